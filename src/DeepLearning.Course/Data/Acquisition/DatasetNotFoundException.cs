namespace DeepLearning.Course.Data;

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
