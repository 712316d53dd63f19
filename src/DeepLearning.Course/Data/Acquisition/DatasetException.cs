namespace DeepLearning.Course.Data;

/// <summary>Base class of the errors the data layer raises; messages say what went wrong and how to fix it.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public class DatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public DatasetException(string message, Exception? inner = null) : base(message, inner) { }
}
