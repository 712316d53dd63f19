namespace DeepLearning.Course.Data;

/// <summary>A download failed (HTTP error, connection lost, short transfer) or an archive was unsafe.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed class DatasetDownloadException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public DatasetDownloadException(string message, Exception? inner = null) : base(message, inner) { }
}
