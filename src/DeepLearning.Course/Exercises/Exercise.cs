using System.Collections.Concurrent;
using DeepLearning.Course.Interactive;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// Runs an exercise's check and shows its verdict: "correct", or "not yet" with exactly what is wrong (the case,
/// the expected and the actual value or shape). A check never throws into the notebook and never shows a stack
/// trace, so an unsolved exercise never fails the chapter.
/// </summary>
/// <example>
/// A starter cell the learner edits, then the check cell:
/// <code>
/// Tensor MeanSquaredError(Tensor predictions, Tensor targets)
/// {
///     throw new NotImplementedException("exercise 01.1: your code here");
/// }
/// ---
/// Chapter01Exercises.MeanSquaredError(MeanSquaredError);
/// </code>
/// Each chapter's checks (<c>Chapter01Exercises</c>, …) are written with <see cref="Check"/> and <see cref="Expect"/>.
/// </example>
/// <remarks>Introduced in chapter 01 (basics): every chapter ends with checked exercises.</remarks>
public static class Exercise
{
    private static readonly ConcurrentDictionary<string, ExerciseVerdict> Verdicts = new(StringComparer.Ordinal);

    /// <summary>The latest verdict of every exercise checked in this process, by id.</summary>
    public static IReadOnlyDictionary<string, ExerciseVerdict> Checked => Verdicts;

    /// <summary>
    /// Runs <paramref name="check"/>, displays the verdict (HTML, plain text and the report's JSON) and returns it.
    /// The check throws <see cref="NotYetException"/> (through <see cref="Expect"/>) at the first thing that is not
    /// right; the learner's own code still throwing <see cref="NotImplementedException"/> means "not started"; any
    /// other exception escaping the learner's code becomes a one-line "your code threw …" verdict.
    /// </summary>
    /// <param name="id">The exercise's id, <c>chapter.number</c>, e.g. <c>01.2</c>.</param>
    /// <param name="title">What the exercise asks, in a few words.</param>
    /// <param name="check">The check: returns what it confirmed (shown with "correct"), throws to say "not yet".</param>
    /// <returns>The verdict that was displayed.</returns>
    public static ExerciseVerdict Check(string id, string title, Func<string> check)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(check);
        var verdict = Judge(id, title, check);
        Verdicts[id] = verdict;
        Formatting.Formatters.Register();
        Notebook.Display(verdict, "text/html", "text/plain", Platform.MetricsFormat.ExerciseMimeType);
        return verdict;
    }

    /// <summary>Runs a check without displaying anything: the verdict <see cref="Check"/> would show.</summary>
    /// <param name="id">The exercise's id.</param>
    /// <param name="title">What the exercise asks.</param>
    /// <param name="check">The check.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict Judge(string id, string title, Func<string> check)
    {
        try
        {
            return new ExerciseVerdict(id, title, true, check());
        }
        catch (Exception e)
        {
            return new ExerciseVerdict(id, title, false, Explain(e));
        }
    }

    /// <summary>The one-line explanation of why a check did not pass, never a stack trace.</summary>
    /// <param name="e">What the check or the learner's code threw.</param>
    /// <returns>The message shown after "not yet —".</returns>
    public static string Explain(Exception e) => Unwrap(e) switch
    {
        NotYetException notYet => notYet.Message,
        NotImplementedException => "the starter still throws NotImplementedException: replace the `throw` with your code, run that cell, then run this check again.",
        var other => $"your code threw {other.GetType().Name}: {FirstLine(other.Message)} Fix it, run that cell again, then this check.",
    };

    private static Exception Unwrap(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
