using System.Net;
using System.Text.Json;

namespace DeepLearning.Course.Exercises;

/// <summary>The outcome of one exercise check: solved, or "not yet" with what is still wrong.</summary>
/// <param name="Id">The exercise's id, <c>chapter.number</c>, e.g. <c>01.2</c>.</param>
/// <param name="Title">What the exercise asks, in a few words.</param>
/// <param name="Solved">True when every case of the check passed.</param>
/// <param name="Message">For a solved exercise, what was confirmed; otherwise exactly what is wrong.</param>
/// <remarks>Introduced in chapter 01 (basics), with the chapter's checked exercises.</remarks>
public sealed record ExerciseVerdict(string Id, string Title, bool Solved, string Message)
{
    /// <summary>The JSON payload the runner's report collects (MIME <see cref="Platform.MetricsFormat.ExerciseMimeType"/>).</summary>
    /// <returns>Compact JSON: <c>{"id":…,"title":…,"solved":…,"message":…}</c>.</returns>
    public string ToJson() => JsonSerializer.Serialize(new { id = Id, title = Title, solved = Solved, message = Message });

    /// <summary>One line: <c>Exercise 01.2 (title): correct — …</c> or <c>… not yet — …</c>.</summary>
    /// <returns>Plain text.</returns>
    public override string ToString() => $"Exercise {Id} ({Title}): {(Solved ? "correct" : "not yet")} — {Message}";

    /// <summary>A coloured box for notebook frontends: green when solved, amber when not yet.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml()
    {
        var (border, background, mark, word) = Solved
            ? ("#1a7f37", "#dafbe1", "&#10004;", "correct")
            : ("#9a6700", "#fff8c5", "&#9998;", "not yet");
        return $"<div class=\"dlc-exercise\" style=\"border-left:4px solid {border};background:{background};padding:6px 10px;margin:4px 0\">"
            + $"{mark} <b>Exercise {WebUtility.HtmlEncode(Id)}</b> ({WebUtility.HtmlEncode(Title)}): <b>{word}</b> — "
            + $"{WebUtility.HtmlEncode(Message)}</div>";
    }
}
