using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DeepLearning.Course.Data;

/// <summary>SHA-256 helpers used to verify dataset files.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public static class Checksums
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified, bool Decompress), string> Known = new();

    /// <summary>Lower-case hex SHA-256 of a stream's remaining bytes.</summary>
    /// <param name="stream">The stream to hash.</param>
    /// <returns>The hash as 64 hex digits.</returns>
    public static string Sha256(Stream stream) =>
        Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();

    /// <summary>
    /// Lower-case hex SHA-256 of a file (of its gunzipped content when <paramref name="decompress"/>);
    /// memoised per path, size and time stamp. A memoised hash that differs from <paramref name="expected"/>
    /// is computed again from the file, so a file repaired in place (same size, time stamp kept, e.g.
    /// <c>cp -p</c>) is judged by its new content rather than by the memo of the corrupted one.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="decompress">Hash the gzip-decompressed content instead of the raw bytes.</param>
    /// <param name="expected">The hash the caller expects, if any: a memo that disagrees with it is not trusted.</param>
    /// <returns>The hash as 64 hex digits.</returns>
    public static string Sha256OfFile(string path, bool decompress = false, string? expected = null)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc, decompress);
        if (Known.TryGetValue(key, out var hash) && (expected is null || hash == expected)) return hash;
        using (var file = File.OpenRead(path))
        {
            if (decompress)
            {
                using var gz = new GZipStream(file, CompressionMode.Decompress);
                hash = Sha256(gz);
            }
            else
            {
                hash = Sha256(file);
            }
        }
        Known[key] = hash;
        return hash;
    }
}
