using System.Runtime.InteropServices;

namespace NotebookEngine.Documents;

/// <summary>What a path names, as far as reading a notebook from it is concerned.</summary>
public enum PathKind
{
    /// <summary>A regular file (possibly through symbolic links).</summary>
    File,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A named pipe (FIFO): opening it for reading blocks until a writer comes, so it is never opened.</summary>
    Fifo,

    /// <summary>A character or block device, or a socket.</summary>
    Special,

    /// <summary>Nothing at that path.</summary>
    Missing,

    /// <summary>A symbolic link whose target does not exist.</summary>
    DanglingLink,

    /// <summary>A symbolic link that leads back to itself (too many levels of links).</summary>
    LinkLoop,

    /// <summary>A path that could not be examined (permissions).</summary>
    Unreadable,
}

/// <summary>The kind of a path, its size and its file identity (device and inode), found without opening it.</summary>
/// <param name="Kind">What the path names, links followed.</param>
/// <param name="Size">Size in bytes of a regular file (0 otherwise).</param>
/// <param name="Identity">Device and inode of the final target (null where the platform does not say): two paths with the same identity are the same file.</param>
/// <param name="LinkTarget">Where the path's symbolic link points, when it is one.</param>
public sealed record PathInfo(PathKind Kind, long Size, (ulong Device, ulong Inode)? Identity, string? LinkTarget);

/// <summary>
/// Examines a path without opening it (<c>statx</c> on Linux, .NET's file information elsewhere), so that a FIFO or a
/// device named <c>.ipynb</c> is refused instead of blocking the reader, and a symbolic-link loop is seen as one.
/// </summary>
public static class PathInspector
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxIno = 0x100, StatxSize = 0x200;
    private const int ENoEnt = 2, EAcces = 13, ENotDir = 20, ELoop = 40;
    private static bool s_statxMissing = !OperatingSystem.IsLinux();

    /// <summary>Examines <paramref name="path"/>, following symbolic links.</summary>
    public static PathInfo Inspect(string path)
    {
        string? link = null;
        try
        {
            link = new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
        if (!s_statxMissing)
        {
            try
            {
                return Statx(path, link);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_statxMissing = true;
            }
        }
        return Managed(path, link);
    }

    private static PathInfo Statx(string path, string? link)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, 0, StatxType | StatxIno | StatxSize, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var kind = errno switch
            {
                ELoop => PathKind.LinkLoop,
                ENoEnt or ENotDir when link is not null || IsLink(path) => PathKind.DanglingLink,
                ENoEnt or ENotDir => PathKind.Missing,
                EAcces => PathKind.Unreadable,
                _ => PathKind.Unreadable,
            };
            return new PathInfo(kind, 0, null, link);
        }
        var mode = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        var inode = BitConverter.ToUInt64(buffer, 32);
        var size = (long)BitConverter.ToUInt64(buffer, 40);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        var type = mode switch
        {
            0x8000 => PathKind.File,
            0x4000 => PathKind.Directory,
            0x1000 => PathKind.Fifo,
            _ => PathKind.Special,
        };
        return new PathInfo(type, type == PathKind.File ? size : 0, (device, inode), link);
    }

    private static bool IsLink(string path)
    {
        var buffer = new byte[256];
        return statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0 && (BitConverter.ToUInt16(buffer, 28) & 0xF000) == 0xA000;
    }

    private static PathInfo Managed(string path, string? link)
    {
        try
        {
            if (link is not null)
            {
                var final = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
                if (final is null || !final.Exists && !System.IO.Directory.Exists(final.FullName))
                    return new PathInfo(PathKind.DanglingLink, 0, null, link);
            }
        }
        catch (IOException)
        {
            return new PathInfo(PathKind.LinkLoop, 0, null, link);
        }
        if (System.IO.Directory.Exists(path))
            return new PathInfo(PathKind.Directory, 0, null, link);
        var info = new FileInfo(path);
        if (!info.Exists)
            return new PathInfo(PathKind.Missing, 0, null, link);
        // Without statx a FIFO or device reads as size 0; callers refuse empty files before opening them.
        return new PathInfo(PathKind.File, info.Length, null, link);
    }

    [DllImport("libc.so.6", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
