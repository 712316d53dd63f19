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

    /// <summary>Lower-case hex SHA-256 of a file (of its gunzipped content when <paramref name="decompress"/>); memoised per path, size and time stamp.</summary>
    /// <param name="path">The file.</param>
    /// <param name="decompress">Hash the gzip-decompressed content instead of the raw bytes.</param>
    /// <returns>The hash as 64 hex digits.</returns>
    public static string Sha256OfFile(string path, bool decompress = false)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc, decompress);
        if (Known.TryGetValue(key, out var hash)) return hash;
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
