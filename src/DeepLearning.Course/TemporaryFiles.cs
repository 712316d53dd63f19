using System.Globalization;

namespace DeepLearning.Course;

/// <summary>
/// Temporary files beside their target (checkpoint saves, dataset downloads) carry the writing
/// process' id: <c>{prefix}{pid}.{guid}{suffix}</c>. A killed process leaves its file behind; the next
/// writer of the same target removes files whose process is gone (and unnamed ones over an hour old,
/// from before ids were written), and never a file another running process is writing.
/// </summary>
internal static class TemporaryFiles
{
    private static readonly TimeSpan UnownedAge = TimeSpan.FromHours(1);

    /// <summary>A new temporary path <c>{folder}/{prefix}{pid}.{guid}{suffix}</c> owned by this process.</summary>
    /// <param name="folder">The folder (the target's, so the final rename is atomic).</param>
    /// <param name="prefix">Prefix shared by every temporary file of one target.</param>
    /// <param name="suffix">Suffix, e.g. <c>.tmp</c>.</param>
    /// <returns>The path.</returns>
    public static string Create(string folder, string prefix, string suffix) =>
        Path.Combine(folder, $"{prefix}{Environment.ProcessId}.{Guid.NewGuid():N}{suffix}");

    /// <summary>Deletes files and folders <c>{prefix}*{suffix}</c> in <paramref name="folder"/> whose writer is no longer running.</summary>
    /// <param name="folder">The folder to clean.</param>
    /// <param name="prefix">Prefix of the temporary names.</param>
    /// <param name="suffix">Suffix of the temporary names.</param>
    /// <returns>How many entries were removed.</returns>
    public static int RemoveOrphans(string folder, string prefix, string suffix)
    {
        if (!Directory.Exists(folder)) return 0;
        var removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, prefix + "*" + suffix))
        {
            var name = Path.GetFileName(entry);
            var rest = name[prefix.Length..];
            var dot = rest.IndexOf('.');
            var owner = dot > 0 && int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : (int?)null;
            var orphan = owner is { } p
                ? !IsRunning(p)
                : DateTime.UtcNow - File.GetLastWriteTimeUtc(entry) > UnownedAge;
            if (!orphan) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another process may be removing it too, or it is not ours to remove
            }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
