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

/// <summary>
/// No usable copy of a dataset was found and none could be downloaded. The message names the
/// dataset, every place that was searched, and how to provide a copy.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed class DatasetNotFoundException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="dataset">The dataset's name.</param>
    /// <param name="searched">Each place looked at, with why it was not used.</param>
    /// <param name="message">The full message.</param>
    /// <param name="inner">The last download error, if any.</param>
    public DatasetNotFoundException(string dataset, IReadOnlyList<string> searched, string message, Exception? inner = null)
        : base(message, inner)
    {
        Dataset = dataset;
        Searched = searched;
    }

    /// <summary>The dataset's name.</summary>
    public string Dataset { get; }

    /// <summary>Each place looked at, with why it was not used.</summary>
    public IReadOnlyList<string> Searched { get; }
}

/// <summary>A file's SHA-256 differs from the one its dataset declares.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed class DatasetChecksumException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was checked, expected and found.</param>
    public DatasetChecksumException(string message) : base(message) { }
}

/// <summary>A download failed (HTTP error, connection lost, short transfer) or an archive was unsafe.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed class DatasetDownloadException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public DatasetDownloadException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A data file is malformed (bad IDX header, wrong length, unparsable row).</summary>
/// <remarks>Introduced in chapter 02 (MLP), where IDX files are first read.</remarks>
public sealed class DataFormatException : DatasetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is malformed, and where.</param>
    public DataFormatException(string message) : base(message) { }
}
