using System.Globalization;

namespace DeepLearning.Course.Data;

/// <summary>Progress of one download, reported while bytes arrive.</summary>
/// <param name="FileName">What is being downloaded.</param>
/// <param name="Bytes">Bytes received so far.</param>
/// <param name="TotalBytes">Expected size, when the server said.</param>
/// <param name="Elapsed">Time since the transfer started.</param>
/// <param name="Done">Whether this is the final report.</param>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed record DownloadProgress(string FileName, long Bytes, long? TotalBytes, TimeSpan Elapsed, bool Done)
{
    /// <summary>A one-line text progress bar, e.g. <c>ml-100k.zip [#####-----] 52% 2.5/4.9 MB 3.1 MB/s</c>.</summary>
    /// <returns>The line.</returns>
    public string Render()
    {
        var mb = Bytes / 1e6;
        var rate = Elapsed.TotalSeconds > 0 ? mb / Elapsed.TotalSeconds : 0;
        if (TotalBytes is { } total && total > 0)
        {
            var fraction = Math.Clamp((double)Bytes / total, 0, 1);
            var filled = (int)Math.Round(fraction * 20);
            return string.Create(CultureInfo.InvariantCulture,
                $"{FileName} [{new string('#', filled)}{new string('-', 20 - filled)}] {fraction * 100,3:F0}% {mb:F1}/{total / 1e6:F1} MB {rate:F1} MB/s");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{FileName} {mb:F1} MB {rate:F1} MB/s");
    }
}
