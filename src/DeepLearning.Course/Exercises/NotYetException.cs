namespace DeepLearning.Course.Exercises;

/// <summary>
/// What a check throws at the first thing that is not right yet; <see cref="Exercise.Check"/> turns it into a
/// "not yet" verdict whose text is this message. Checks throw it through <see cref="Expect"/>.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), with the chapter's checked exercises.</remarks>
public sealed class NotYetException : Exception
{
    /// <summary>Creates the exception with the learner-facing explanation.</summary>
    /// <param name="message">What is wrong, in one or two sentences: the case, what was expected, what came out.</param>
    public NotYetException(string message) : base(message)
    {
    }
}
