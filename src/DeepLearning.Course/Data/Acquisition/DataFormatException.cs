namespace DeepLearning.Course.Data;

/// <summary>A data file is malformed (bad IDX header, wrong length, unparsable row).</summary>
/// <remarks>Introduced in chapter 02 (MLP), where IDX files are first read.</remarks>
public sealed class DataFormatException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is malformed, and where.</param>
    public DataFormatException(string message) : base(message) { }
}
