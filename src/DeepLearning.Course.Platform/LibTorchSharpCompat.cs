// One source, three users:
//  * the platform project (src/DeepLearning.Course.Platform) compiles it (DLCOURSE_LIBRARY is defined for every
//    project of this repository by Directory.Build.targets) and wraps it in the public TorchSharpNative class,
//    which the helper library's Course.Setup (through NativeHost.Prepare), the runner and doctor call;
//  * Directory.Build.targets compiles it with MSBuild's RoslynCodeTaskFactory (netstandard2.0, no symbols)
//    into the PatchLibTorchSharp task at the end of this file, which fixes build and publish outputs;
//  * the runner applies it (TorchSharpNative.Apply) to each native library the notebook engine resolves
//    (NativeAssetHooks).
// Keep it BCL-only and netstandard2.0-compatible: no spans, no records, no File.Move(overwrite).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace DeepLearning.Course.Platform;

/// <summary>What the libstdc++ compatibility fix found (and did) for one copy of TorchSharp's native library.</summary>
/// <remarks>Public because <c>TorchSharpNative</c> reports it; the MSBuild task compiles it too.</remarks>
public enum NativeFixStatus
{
    /// <summary>The host's libstdc++ provides what the library needs (GCC 13 or later, or not Linux): nothing to do.</summary>
    NotNeeded,
    /// <summary>The file was the known original build and has been patched in place (atomically).</summary>
    Patched,
    /// <summary>The file is the known patched build already: nothing to do.</summary>
    AlreadyPatched,
    /// <summary>The file is not a known build, but needs nothing the host lacks: nothing to do.</summary>
    Compatible,
    /// <summary>The file is not a known build and will not load on this host; it was left untouched.</summary>
    Unrecognized,
    /// <summary>There is no file at the given path.</summary>
    NotFound,
    /// <summary>The fix is switched off by the DLCOURSE_LIBTORCHSHARP_COMPAT=off environment variable.</summary>
    Disabled,
    /// <summary>The file is the known original but could not be patched (for example a read-only directory); it was left untouched.</summary>
    Failed,
}

/// <summary>The outcome of one <see cref="LibTorchSharpCompat.Apply(string)"/> call: status, file and a sentence for people.</summary>
internal sealed class LibTorchSharpCompatResult
{
    public LibTorchSharpCompatResult(NativeFixStatus status, string path, string message)
    {
        Status = status;
        Path = path;
        Message = message;
    }

    public NativeFixStatus Status { get; }

    public string Path { get; }

    /// <summary>One sentence saying what was found and done, with the fix when something is wrong.</summary>
    public string Message { get; }

    /// <summary>True when this call changed the file.</summary>
    public bool Changed => Status == NativeFixStatus.Patched;

    /// <summary>True when the library at <see cref="Path"/> is expected not to load on this host.</summary>
    public bool IsProblem => Status == NativeFixStatus.Unrecognized || Status == NativeFixStatus.Failed;

    public override string ToString() => $"{Status}: {Message}";
}

/// <summary>The libstdc++ the current process uses (or would load), and the symbol versions it defines.</summary>
internal sealed class HostLibStdCxx
{
    public HostLibStdCxx(string? path, ICollection<string> definedVersions)
    {
        Path = path;
        DefinedVersions = new HashSet<string>(definedVersions, StringComparer.Ordinal);
    }

    /// <summary>The file, or null when none was found (not Linux, or a system without libstdc++).</summary>
    public string? Path { get; }

    public HashSet<string> DefinedVersions { get; }

    /// <summary>The newest GLIBCXX_3.4.N version the library defines, for messages ("GLIBCXX_3.4.30" on GCC 12).</summary>
    public string NewestGlibcxx
    {
        get
        {
            int best = -1;
            foreach (var v in DefinedVersions)
            {
                if (v.StartsWith("GLIBCXX_3.4.", StringComparison.Ordinal)
                    && int.TryParse(v.Substring("GLIBCXX_3.4.".Length), out var n) && n > best)
                    best = n;
            }
            return best < 0 ? "none" : "GLIBCXX_3.4." + best;
        }
    }

    public bool Defines(string version) => DefinedVersions.Contains(version);
}

/// <summary>
/// Makes TorchSharp's <c>libLibTorchSharp.so</c> load on Linux systems whose libstdc++ predates GCC 13
/// (Debian 12, Ubuntu 22.04): TorchSharp 0.107.0's build asks for <c>GLIBCXX_3.4.32</c> only for
/// <c>std::ios_base_library_init()</c>, a link-time marker GCC 13 emits for <c>&lt;iostream&gt;</c> that is never
/// called (no relocation refers to it). Marking that one version requirement weak (<c>VER_FLG_WEAK</c> in its
/// <c>Vernaux</c> entry of <c>.gnu.version_r</c>) lets the dynamic loader accept the older libstdc++.
/// </summary>
/// <remarks>
/// Safety rules: only a file whose SHA-256 is the known original is edited, and the result must hash to the known
/// patched value; the edit goes to a temporary copy in the same directory (same file mode) which is then renamed
/// over the original, so readers see either the old or the new file; no root is needed; hosts that provide
/// GLIBCXX_3.4.32 are left alone. See environment/README.md ("The libstdc++ compatibility fix").
/// </remarks>
internal static class LibTorchSharpCompat
{
    /// <summary>The native library's file name on Linux.</summary>
    public const string FileName = "libLibTorchSharp.so";

    /// <summary>Set to <c>off</c> (or 0, false, no) to switch the fix off everywhere.</summary>
    public const string SwitchVariable = "DLCOURSE_LIBTORCHSHARP_COMPAT";

    /// <summary>The symbol version that GCC 12's libstdc++ lacks.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const string LibStdCxxSoname = "libstdc++.so.6";
    private const ushort VerFlagWeak = 0x2;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>The builds this fix knows, by SHA-256 of the original and of the patched file.</summary>
    internal static readonly KnownBuild[] KnownBuilds =
    {
        new KnownBuild(
            "TorchSharp 0.107.0 (linux-x64)",
            "cf33b1b0bb6bbb9754a768fb5c5d04d9f498603be50e73f55621a0b40ee608b8",
            "5968efac8270eff8a2b5ca7381612ea9cc54d81cf4104a54e0e6106b7b5f11e3"),
    };

    private static readonly object s_hostLock = new object();
    private static HostLibStdCxx? s_host;

    /// <summary>One known build of libLibTorchSharp.so.</summary>
    internal sealed class KnownBuild
    {
        public KnownBuild(string name, string originalSha256, string patchedSha256)
        {
            Name = name;
            OriginalSha256 = originalSha256;
            PatchedSha256 = patchedSha256;
        }

        public string Name { get; }
        public string OriginalSha256 { get; }
        public string PatchedSha256 { get; }
    }

    /// <summary>True when the switch variable turns the fix off.</summary>
    public static bool IsSwitchedOff
    {
        get
        {
            var v = System.Environment.GetEnvironmentVariable(SwitchVariable);
            if (v == null) return false;
            v = v.Trim().ToLowerInvariant();
            return v == "off" || v == "0" || v == "false" || v == "no";
        }
    }

    /// <summary>The libstdc++ of this host (cached after the first call).</summary>
    public static HostLibStdCxx Host
    {
        get
        {
            lock (s_hostLock)
            {
                return s_host ??= DetectHost();
            }
        }
    }

    /// <summary>True when this host needs the fix: Linux x64 with a libstdc++ that lacks GLIBCXX_3.4.32.</summary>
    public static bool HostNeedsFix(HostLibStdCxx host) =>
        host.Path != null && !host.Defines(MissingVersion);

    /// <summary>Checks the file at <paramref name="path"/> and patches it when this host needs it.</summary>
    public static LibTorchSharpCompatResult Apply(string path)
    {
        if (IsSwitchedOff)
            return new LibTorchSharpCompatResult(NativeFixStatus.Disabled, path,
                $"libstdc++ compatibility fix switched off by {SwitchVariable}; {path} left as it is.");
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            return new LibTorchSharpCompatResult(NativeFixStatus.NotNeeded, path,
                "Not Linux: the libstdc++ compatibility fix does not apply.");
        return Apply(path, Host);
    }

    /// <summary>As <see cref="Apply(string)"/>, against a given host (tests simulate GCC 12 and GCC 13 hosts).</summary>
    public static LibTorchSharpCompatResult Apply(string path, HostLibStdCxx host)
    {
        // Hooks may pass every native library they resolve (libtorch_cpu.so is ~450 MB): only ours is read.
        if (!string.Equals(System.IO.Path.GetFileName(path), FileName, StringComparison.Ordinal))
            return new LibTorchSharpCompatResult(NativeFixStatus.NotNeeded, path,
                $"{path} is not TorchSharp's {FileName}: nothing to do.");
        if (!File.Exists(path))
            return new LibTorchSharpCompatResult(NativeFixStatus.NotFound, path, $"No file at {path}.");

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return new LibTorchSharpCompatResult(NativeFixStatus.Failed, path,
                $"Cannot read {path}: {e.Message}");
        }

        var sha = Sha256Hex(bytes);
        foreach (var known in KnownBuilds)
        {
            if (sha == known.PatchedSha256)
                return new LibTorchSharpCompatResult(NativeFixStatus.AlreadyPatched, path,
                    $"{known.Name} native library already patched for libstdc++ compatibility: {path}.");
        }

        if (!HostNeedsFix(host))
            return new LibTorchSharpCompatResult(NativeFixStatus.NotNeeded, path,
                host.Path == null
                    ? "No libstdc++.so.6 found on this host: the compatibility fix does not apply."
                    : $"{host.Path} defines {MissingVersion}: the compatibility fix is not needed.");

        foreach (var known in KnownBuilds)
        {
            if (sha == known.OriginalSha256)
                return PatchKnown(path, bytes, known, host);
        }

        return ClassifyUnknown(path, bytes, sha, host);
    }

    private static LibTorchSharpCompatResult PatchKnown(string path, byte[] bytes, KnownBuild known, HostLibStdCxx host)
    {
        long offset = -1;
        foreach (var need in ReadVersionNeeds(bytes))
        {
            if (need.File == LibStdCxxSoname && need.Version == MissingVersion)
                offset = need.FlagsOffset;
        }
        var patched = (byte[])bytes.Clone();
        if (offset < 0 || !SetWeak(patched, offset) || Sha256Hex(patched) != known.PatchedSha256)
            return new LibTorchSharpCompatResult(NativeFixStatus.Failed, path,
                $"Internal error: the {known.Name} patch did not produce the expected file; {path} left untouched.");

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var temp = System.IO.Path.Combine(directory,
            "." + System.IO.Path.GetFileName(path) + ".dlcourse-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            // File.Copy keeps the file mode on Unix; then only the two flag bytes change.
            var modified = File.GetLastWriteTimeUtc(path);
            File.Copy(path, temp, overwrite: false);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.Position = offset;
                stream.Write(patched, (int)offset, 2);
                stream.Flush(flushToDisk: true);
                stream.Position = 0;
                using (var sha = SHA256.Create())
                {
                    if (ToHex(sha.ComputeHash(stream)) != known.PatchedSha256)
                        throw new IOException("the temporary copy does not hash to the expected patched SHA-256");
                }
            }
            // Keep the original's modification time: incremental copies compare size and time, so they then
            // never copy the original over a patched copy (or back); the build checks outputs after every copy.
            File.SetLastWriteTimeUtc(temp, modified);
            // On Unix, File.Replace without a backup is rename(2): atomic within one directory.
            File.Replace(temp, path, destinationBackupFileName: null);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            TryDelete(temp);
            return new LibTorchSharpCompatResult(NativeFixStatus.Failed, path,
                $"{known.Name}'s native library needs the libstdc++ compatibility fix on this host " +
                $"({host.Path} stops at {host.NewestGlibcxx}), but {path} could not be patched: {e.Message} " +
                "Fix: make that directory writable for this user (or delete bin/ and obj/ and rebuild), " +
                "or install GCC 13's libstdc++; see environment/README.md.");
        }

        return new LibTorchSharpCompatResult(NativeFixStatus.Patched, path,
            $"Patched {known.Name} native library for this host's libstdc++ ({host.NewestGlibcxx}, lacks {MissingVersion}): " +
            $"marked its unused {MissingVersion} requirement weak in {path}. See environment/README.md.");
    }

    private static LibTorchSharpCompatResult ClassifyUnknown(string path, byte[] bytes, string sha, HostLibStdCxx host)
    {
        List<VersionNeed> needs;
        try
        {
            needs = ReadVersionNeeds(bytes);
        }
        catch (FormatException e)
        {
            return new LibTorchSharpCompatResult(NativeFixStatus.Unrecognized, path,
                $"{path} is not a TorchSharp native library this fix knows (SHA-256 {sha}) and is not a readable " +
                $"ELF file ({e.Message}); left untouched. Fix: delete bin/ and obj/ (or the NuGet cache's torchsharp " +
                "folder) and restore again; see environment/README.md.");
        }

        var missing = new List<string>();
        foreach (var need in needs)
        {
            if (need.File == LibStdCxxSoname && (need.Flags & VerFlagWeak) == 0 && !host.Defines(need.Version))
                missing.Add(need.Version);
        }
        if (missing.Count == 0)
            return new LibTorchSharpCompatResult(NativeFixStatus.Compatible, path,
                $"{path} is not a known TorchSharp build but needs no libstdc++ version this host lacks.");
        return new LibTorchSharpCompatResult(NativeFixStatus.Unrecognized, path,
            $"{path} (SHA-256 {sha}) is not a TorchSharp native library this fix knows, and it needs " +
            $"{string.Join(", ", missing.ToArray())} which this host's libstdc++ ({host.Path}, {host.NewestGlibcxx}) lacks; " +
            "left untouched. Fix: use the TorchSharp version pinned in Directory.Packages.props, or install GCC 13's " +
            "libstdc++; see environment/README.md.");
    }

    private static bool SetWeak(byte[] bytes, long offset)
    {
        if (offset < 0 || offset + 2 > bytes.Length) return false;
        var flags = (ushort)(ReadU16(bytes, offset) | VerFlagWeak);
        bytes[offset] = (byte)(flags & 0xff);
        bytes[offset + 1] = (byte)(flags >> 8);
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // ---- Host detection ----

    private static HostLibStdCxx DetectHost()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            return new HostLibStdCxx(null, new string[0]);
        foreach (var candidate in LibStdCxxCandidates())
        {
            try
            {
                if (!File.Exists(candidate)) continue;
                var bytes = File.ReadAllBytes(candidate);
                List<string> defined;
                try
                {
                    defined = ReadVersionDefinitions(bytes);
                }
                catch (FormatException)
                {
                    // No usable section headers: fall back to the version strings in the file.
                    defined = new List<string>();
                    var text = Encoding.ASCII.GetString(bytes);
                    foreach (var v in new[] { MissingVersion, "GLIBCXX_3.4.30", "GLIBCXX_3.4.31", "GLIBCXX_3.4.33" })
                    {
                        if (text.Contains(v + "\0")) defined.Add(v);
                    }
                }
                return new HostLibStdCxx(candidate, defined);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }
        return new HostLibStdCxx(null, new string[0]);
    }

    /// <summary>
    /// The libstdc++.so.6 files the dynamic loader would use, best first: the one already mapped into this process
    /// (a native library loaded later shares it), then LD_LIBRARY_PATH, then the usual system directories.
    /// </summary>
    private static IEnumerable<string> LibStdCxxCandidates()
    {
        string[] maps;
        try
        {
            maps = File.ReadAllLines("/proc/self/maps");
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            maps = new string[0];
        }
        foreach (var line in maps)
        {
            var slash = line.IndexOf('/');
            if (slash >= 0 && line.IndexOf("/libstdc++.so", StringComparison.Ordinal) >= 0)
            {
                yield return line.Substring(slash).Trim();
                break;
            }
        }
        var ldPath = System.Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(ldPath))
        {
            foreach (var dir in ldPath!.Split(':'))
            {
                if (dir.Length > 0) yield return System.IO.Path.Combine(dir, LibStdCxxSoname);
            }
        }
        foreach (var dir in new[]
                 {
                     "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                     "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
                 })
        {
            yield return System.IO.Path.Combine(dir, LibStdCxxSoname);
        }
    }

    // ---- A minimal ELF64 little-endian reader: section headers, .gnu.version_d, .gnu.version_r ----

    /// <summary>One <c>Vernaux</c> entry: a symbol version a library needs from another.</summary>
    internal sealed class VersionNeed
    {
        public VersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>File offset of this entry's <c>vna_flags</c>.</summary>
        public long FlagsOffset { get; }
    }

    /// <summary>The version requirements (<c>.gnu.version_r</c>) of an ELF64 little-endian file.</summary>
    /// <exception cref="FormatException">The bytes are not a well-formed ELF64 little-endian file.</exception>
    internal static List<VersionNeed> ReadVersionNeeds(byte[] elf)
    {
        var result = new List<VersionNeed>();
        var sections = ReadSections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strtab = StringTableOf(sections, section);
            long offset = section.Offset;
            int guard = 0;
            while (true)
            {
                Check(elf, offset, 16);
                var count = ReadU16(elf, offset + 2);
                var file = ReadString(elf, strtab, ReadU32(elf, offset + 4));
                long aux = offset + ReadU32(elf, offset + 8);
                var next = ReadU32(elf, offset + 12);
                for (int i = 0; i < count; i++)
                {
                    Check(elf, aux, 16);
                    var flags = ReadU16(elf, aux + 4);
                    var name = ReadString(elf, strtab, ReadU32(elf, aux + 8));
                    result.Add(new VersionNeed(file, name, flags, aux + 4));
                    var auxNext = ReadU32(elf, aux + 12);
                    if (auxNext == 0) break;
                    aux += auxNext;
                }
                if (next == 0) break;
                offset += next;
                if (++guard > 10000) throw new FormatException("version needs do not end");
            }
        }
        return result;
    }

    /// <summary>The version names an ELF64 little-endian file defines (<c>.gnu.version_d</c>).</summary>
    /// <exception cref="FormatException">The bytes are not a well-formed ELF64 little-endian file.</exception>
    internal static List<string> ReadVersionDefinitions(byte[] elf)
    {
        var result = new List<string>();
        bool found = false;
        var sections = ReadSections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef) continue;
            found = true;
            var strtab = StringTableOf(sections, section);
            long offset = section.Offset;
            int guard = 0;
            while (true)
            {
                Check(elf, offset, 20);
                var count = ReadU16(elf, offset + 6);
                long aux = offset + ReadU32(elf, offset + 12);
                var next = ReadU32(elf, offset + 16);
                if (count > 0)
                {
                    Check(elf, aux, 8);
                    result.Add(ReadString(elf, strtab, ReadU32(elf, aux)));
                }
                if (next == 0) break;
                offset += next;
                if (++guard > 10000) throw new FormatException("version definitions do not end");
            }
        }
        if (!found) throw new FormatException("no .gnu.version_d section");
        return result;
    }

    private struct Section
    {
        public uint Type;
        public long Offset;
        public long Size;
        public uint Link;
    }

    private static List<Section> ReadSections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new FormatException("no ELF header");
        if (elf[4] != 2 || elf[5] != 1)
            throw new FormatException("not a 64-bit little-endian ELF file");
        var shoff = ReadU64(elf, 0x28);
        var shentsize = ReadU16(elf, 0x3a);
        var shnum = ReadU16(elf, 0x3c);
        if (shoff == 0 || shnum == 0) throw new FormatException("no section headers");
        if (shentsize < 64) throw new FormatException("bad section header size");
        var sections = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long at = (long)shoff + (long)i * shentsize;
            Check(elf, at, 64);
            var s = new Section
            {
                Type = ReadU32(elf, at + 4),
                Offset = (long)ReadU64(elf, at + 0x18),
                Size = (long)ReadU64(elf, at + 0x20),
                Link = ReadU32(elf, at + 0x28),
            };
            sections.Add(s);
        }
        foreach (var s in sections)
        {
            if (s.Type != 8 /* SHT_NOBITS */ && s.Size > 0) Check(elf, s.Offset, s.Size);
        }
        return sections;
    }

    private static Section StringTableOf(List<Section> sections, Section section)
    {
        if (section.Link >= sections.Count) throw new FormatException("bad string table link");
        return sections[(int)section.Link];
    }

    private static string ReadString(byte[] elf, Section strtab, uint index)
    {
        long start = strtab.Offset + index;
        if (index >= strtab.Size) throw new FormatException("string outside its table");
        long end = start;
        long limit = strtab.Offset + strtab.Size;
        while (end < limit && elf[end] != 0) end++;
        if (end >= limit) throw new FormatException("unterminated string");
        return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
    }

    private static void Check(byte[] elf, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > elf.Length)
            throw new FormatException("truncated ELF file");
    }

    private static ushort ReadU16(byte[] b, long o)
    {
        Check(b, o, 2);
        return (ushort)(b[o] | (b[o + 1] << 8));
    }

    private static uint ReadU32(byte[] b, long o)
    {
        Check(b, o, 4);
        return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
    }

    private static ulong ReadU64(byte[] b, long o) => ReadU32(b, o) | ((ulong)ReadU32(b, o + 4) << 32);

    // ---- Hashing ----

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    internal static string Sha256Hex(byte[] bytes)
    {
        using (var sha = SHA256.Create())
        {
            return ToHex(sha.ComputeHash(bytes));
        }
    }

    private static string ToHex(byte[] hash)
    {
        var sb = new StringBuilder(hash.Length * 2);
        foreach (var b in hash) sb.Append(b.ToString("x2"));
        return sb.ToString();
    }
}

#if !DLCOURSE_LIBRARY
/// <summary>
/// MSBuild task (compiled from this file by RoslynCodeTaskFactory in Directory.Build.targets): applies the
/// compatibility fix to each given file that exists; says what it did once, and nothing when nothing was needed.
/// </summary>
public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    /// <summary>Candidate paths of libLibTorchSharp.so; missing files are skipped silently.</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

    /// <summary>
    /// False for copies that are not loaded themselves (the NuGet cache copy, before it is copied to the output):
    /// a problem there is reported as a normal message, since the output copy is checked and patched afterwards.
    /// </summary>
    public bool WarnOnProblem { get; set; } = true;

    public override bool Execute()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Files)
        {
            var path = System.IO.Path.GetFullPath(item.ItemSpec);
            if (!seen.Add(path) || !File.Exists(path)) continue;
            var result = LibTorchSharpCompat.Apply(path);
            if (result.Changed)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "DLCourse: " + result.Message);
            else if (result.IsProblem && WarnOnProblem)
                Log.LogWarning("DLCourse: " + result.Message);
            else if (result.IsProblem)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "DLCourse: " + result.Message);
            else
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "DLCourse: " + result.Message);
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
