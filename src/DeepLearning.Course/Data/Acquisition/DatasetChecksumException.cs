namespace DeepLearning.Course.Data;

/// <summary>A file's SHA-256 differs from the one its dataset declares.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed class DatasetChecksumException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was checked, expected and found.</param>
    public DatasetChecksumException(string message) : base(message) { }
}
