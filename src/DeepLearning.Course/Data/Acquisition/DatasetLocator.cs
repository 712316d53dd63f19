using System.Diagnostics;
using System.Text;

namespace DeepLearning.Course.Data;

/// <summary>
/// Finds a verified copy of a dataset, downloading it into the cache when there is none.
/// Lookup order: explicit path, the dataset's environment variable, the repository's <c>datasets/</c>,
/// system package folders, <c>DLCOURSE_DATA_DIRS</c> folders, the user cache; then download
/// (mirror first, then official URLs) into a temporary file, verify SHA-256, and rename atomically.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics); every loader in <c>DeepLearning.Course.Data</c> goes through it.</remarks>
public sealed class DatasetLocator
{
    private static readonly Lazy<HttpClient> SharedClient = new(() =>
    {
        var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"DeepLearning.Course/{CourseInfo.Version}");
        return client;
    });

    /// <summary>Creates a locator.</summary>
    /// <param name="options">Where to look; <see cref="DatasetLocatorOptions.FromEnvironment"/> when <see langword="null"/>.</param>
    public DatasetLocator(DatasetLocatorOptions? options = null) =>
        Options = options ?? DatasetLocatorOptions.FromEnvironment();

    /// <summary>The options in use.</summary>
    public DatasetLocatorOptions Options { get; }

    /// <summary>Finds (or downloads) a verified copy of <paramref name="spec"/>.</summary>
    /// <param name="spec">The dataset.</param>
    /// <param name="path">An explicit folder (or a file inside it) to use instead of searching.</param>
    /// <returns>The verified copy.</returns>
    /// <exception cref="DatasetNotFoundException">No copy anywhere and the download failed or is disabled.</exception>
    /// <exception cref="DatasetChecksumException">An explicitly given copy has the wrong checksum.</exception>
    public DatasetLocation Locate(DatasetSpec spec, string? path = null) =>
        LocateAsync(spec, path).ConfigureAwait(false).GetAwaiter().GetResult();

    /// <summary>Finds only a local copy (no download); <see langword="null"/> when there is none.</summary>
    /// <param name="spec">The dataset.</param>
    /// <param name="path">An explicit folder (or a file inside it).</param>
    /// <returns>The verified copy, or <see langword="null"/>.</returns>
    public DatasetLocation? TryLocateLocal(DatasetSpec spec, string? path = null) =>
        SearchLocal(spec, path, new List<string>());

    /// <inheritdoc cref="Locate"/>
    /// <param name="spec">The dataset.</param>
    /// <param name="path">An explicit folder (or a file inside it) to use instead of searching.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    public async Task<DatasetLocation> LocateAsync(DatasetSpec spec, string? path = null, CancellationToken cancellationToken = default)
    {
        var searched = new List<string>();
        var local = SearchLocal(spec, path, searched);
        if (local is not null) return local;

        var cacheDir = Path.Combine(Options.CacheRoot, spec.Name);
        Exception? lastError = null;
        if (Options.AllowDownload && spec.Downloads.Count > 0)
        {
            try
            {
                return await DownloadAsync(spec, cacheDir, searched, cancellationToken).ConfigureAwait(false);
            }
            catch (DatasetException ex)
            {
                lastError = ex.InnerException ?? ex;
            }
        }
        else
        {
            searched.Add(Options.AllowDownload ? "download: the dataset declares no URL" : $"download: disabled ({DatasetPaths.OfflineVariable}=1 or options)");
        }
        throw NotFound(spec, searched, cacheDir, lastError);
    }

    private DatasetLocation? SearchLocal(DatasetSpec spec, string? path, List<string> searched)
    {
        if (path is not null)
        {
            var dir = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
            return TryStrict(spec, dir, DatasetSource.ExplicitPath, $"explicit path {path}");
        }
        if (Options.UseEnvironmentVariable)
        {
            var env = Environment.GetEnvironmentVariable(spec.EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env))
            {
                var dir = Directory.Exists(env) ? env : Path.GetDirectoryName(Path.GetFullPath(env))!;
                return TryStrict(spec, dir, DatasetSource.EnvironmentVariable, $"${spec.EnvironmentVariable}={env}");
            }
            searched.Add($"${spec.EnvironmentVariable}: not set");
        }
        var candidates = new List<(string Dir, DatasetSource Source)>();
        if (Options.RepositoryDatasets is { } repo) candidates.Add((Path.Combine(repo, spec.Name), DatasetSource.Repository));
        if (Options.UseSystemDirectories) candidates.AddRange(spec.SystemDirectories.Select(d => (d, DatasetSource.System)));
        candidates.AddRange(Options.ExtraDirectories.Select(d => (Path.Combine(d, spec.Name), DatasetSource.SearchPath)));
        candidates.Add((Path.Combine(Options.CacheRoot, spec.Name), DatasetSource.Cache));
        foreach (var (dir, source) in candidates)
        {
            foreach (var sub in Expand(spec, dir))
            {
                var (location, reason) = TryDirectory(spec, sub, source);
                if (location is not null) return location;
                searched.Add($"{source.ToString().ToLowerInvariant()}: {sub} ({reason})");
            }
        }
        return null;
    }

    private static IEnumerable<string> Expand(DatasetSpec spec, string dir) =>
        new[] { dir }.Concat(spec.Subdirectories.Select(s => Path.Combine(dir, s)));

    private static DatasetLocation TryStrict(DatasetSpec spec, string dir, DatasetSource source, string what)
    {
        var reasons = new List<string>();
        foreach (var sub in Expand(spec, dir))
        {
            var (location, reason) = TryDirectory(spec, sub, source);
            if (location is not null) return location;
            reasons.Add($"{sub}: {reason}");
        }
        var message = $"Dataset '{spec.Name}' ({spec.Title}) was requested from {what}, but that copy is not usable: "
            + string.Join("; ", reasons) + $". Expected files: {string.Join(", ", spec.Files.Select(f => f.Name))}.";
        throw reasons.Any(r => r.Contains("SHA-256", StringComparison.Ordinal))
            ? new DatasetChecksumException(message)
            : new DatasetNotFoundException(spec.Name, reasons, message);
    }

    /// <summary>Checks one folder: every declared file present (as named, or decompressed) with matching checksums.</summary>
    internal static (DatasetLocation? Location, string Reason) TryDirectory(DatasetSpec spec, string dir, DatasetSource source)
    {
        if (!Directory.Exists(dir)) return (null, "does not exist");
        var files = new Dictionary<string, string>();
        var missing = new List<string>();
        var bad = new List<string>();
        foreach (var file in spec.Files)
        {
            var exact = Path.Combine(dir, file.Name);
            var plain = file.DecompressedName is { } d ? Path.Combine(dir, d) : null;
            if (File.Exists(exact))
            {
                var problem = Verify(file, exact, decompressedCopy: false);
                if (problem is null) files[file.Name] = exact;
                else bad.Add(problem);
            }
            else if (plain is not null && File.Exists(plain))
            {
                var problem = Verify(file, plain, decompressedCopy: true);
                if (problem is null) files[file.Name] = plain;
                else bad.Add(problem);
            }
            else
            {
                missing.Add(file.Name);
            }
        }
        if (missing.Count == 0 && bad.Count == 0) return (new DatasetLocation(spec, Path.GetFullPath(dir), source, files), "ok");
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add("missing " + string.Join(", ", missing));
        parts.AddRange(bad);
        return (null, string.Join("; ", parts));
    }

    /// <summary>Returns <see langword="null"/> when the file matches its declared checksums, else a description of the mismatch.</summary>
    internal static string? Verify(DatasetFile file, string path, bool decompressedCopy)
    {
        if (decompressedCopy)
        {
            if (file.ContentSha256 is null) return null;
            var actual = Checksums.Sha256OfFile(path, expected: file.ContentSha256);
            return actual == file.ContentSha256 ? null : Mismatch(Path.GetFileName(path), file.ContentSha256, actual);
        }
        if (file.Sha256 is null && file.ContentSha256 is null) return null;
        if (file.Sha256 is not null)
        {
            var actual = Checksums.Sha256OfFile(path, expected: file.Sha256);
            if (actual == file.Sha256) return null;
            if (file.ContentSha256 is null) return Mismatch(file.Name, file.Sha256, actual);
        }
        try
        {
            var content = Checksums.Sha256OfFile(path, decompress: true, expected: file.ContentSha256);
            return content == file.ContentSha256 ? null : Mismatch(file.Name + " (decompressed)", file.ContentSha256!, content);
        }
        catch (InvalidDataException)
        {
            return $"{file.Name}: not a valid gzip file";
        }
    }

    private static string Mismatch(string name, string expected, string actual) =>
        $"{name}: SHA-256 mismatch (expected {expected}, found {actual})";

    private async Task<DatasetLocation> DownloadAsync(DatasetSpec spec, string cacheDir, List<string> searched, CancellationToken ct)
    {
        Directory.CreateDirectory(cacheDir);
        foreach (var download in spec.Downloads)
        {
            var provides = download.Kind == DownloadKind.File ? [download.FileName] : download.Members!.Values.ToArray();
            if (provides.All(name => TryExisting(spec, cacheDir, name))) continue;

            var urls = new List<string>();
            if (Options.Mirror is { } mirror) urls.Add($"{mirror.TrimEnd('/')}/{spec.Name}/{download.FileName}");
            urls.AddRange(download.Urls);
            Exception? last = null;
            var done = false;
            foreach (var url in urls)
            {
                try
                {
                    await FetchAndInstallAsync(spec, download, url, cacheDir, ct).ConfigureAwait(false);
                    done = true;
                    break;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is DatasetException or HttpRequestException or IOException or OperationCanceledException or InvalidDataException)
                {
                    searched.Add($"download: {url} failed: {ex.Message}");
                    last = ex;
                }
            }
            if (!done) throw new DatasetDownloadException($"Could not download {download.FileName}.", last);
        }
        var (location, reason) = TryDirectory(spec, cacheDir, DatasetSource.Download);
        return location ?? throw new DatasetDownloadException($"After downloading, the cache folder {cacheDir} is still incomplete: {reason}.");
    }

    private static bool TryExisting(DatasetSpec spec, string dir, string name)
    {
        var file = spec.File(name);
        var path = Path.Combine(dir, name);
        return File.Exists(path) && Verify(file, path, decompressedCopy: false) is null;
    }

    private async Task FetchAndInstallAsync(DatasetSpec spec, DatasetDownload download, string url, string cacheDir, CancellationToken ct)
    {
        // Killed runs leave their partial downloads and extraction folders; remove those whose process is gone.
        TemporaryFiles.RemoveOrphans(cacheDir, $".{download.FileName}.", ".part");
        TemporaryFiles.RemoveOrphans(cacheDir, ".extract-", ".dir");
        var temp = TemporaryFiles.Create(cacheDir, $".{download.FileName}.", ".part");
        var extractDir = TemporaryFiles.Create(cacheDir, ".extract-", ".dir");
        try
        {
            await FetchAsync(url, download.FileName, temp, ct).ConfigureAwait(false);
            if (download.Sha256 is not null)
            {
                var actual = Checksums.Sha256OfFile(temp);
                if (actual != download.Sha256)
                    throw new DatasetChecksumException(
                        $"{Mismatch(download.FileName, download.Sha256, actual)} for the download from {url}. The file was deleted and the cache left unchanged; try again or use another mirror.");
            }
            switch (download.Kind)
            {
                case DownloadKind.File:
                    Install(spec.File(download.FileName), temp, Path.Combine(cacheDir, download.FileName), url);
                    break;
                default:
                    Directory.CreateDirectory(extractDir);
                    var extracted = download.Kind == DownloadKind.Zip
                        ? ArchiveExtractor.ExtractZip(temp, extractDir, download.Members!.Keys)
                        : ArchiveExtractor.ExtractTarGz(temp, extractDir, download.Members!.Keys);
                    // Verify every member before moving any, so a bad archive leaves the cache untouched.
                    foreach (var (member, name) in download.Members!)
                    {
                        var problem = Verify(spec.File(name), extracted[member], decompressedCopy: false);
                        if (problem is not null)
                            throw new DatasetChecksumException($"{problem} in archive {download.FileName} from {url}. Nothing was written to the cache.");
                    }
                    foreach (var (member, name) in download.Members!)
                        File.Move(extracted[member], Path.Combine(cacheDir, name), overwrite: true);
                    break;
            }
        }
        finally
        {
            TryDelete(temp);
            if (Directory.Exists(extractDir))
            {
                try { Directory.Delete(extractDir, recursive: true); } catch (IOException) { }
            }
        }
    }

    private static void Install(DatasetFile file, string temp, string target, string url)
    {
        var problem = Verify(file, temp, decompressedCopy: false);
        if (problem is not null)
            throw new DatasetChecksumException($"{problem} for the download from {url}. The file was deleted and the cache left unchanged; try again or use another mirror.");
        File.Move(temp, target, overwrite: true); // same folder: an atomic rename
    }

    private async Task FetchAsync(string url, string fileName, string temp, CancellationToken ct)
    {
        var client = Options.HttpClient ?? SharedClient.Value;
        var report = Options.Progress ?? ConsoleProgress.Create();
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(Options.IdleTimeout);
        long received = 0;
        long? total = null;
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new DatasetDownloadException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            total = response.Content.Headers.ContentLength;
            var clock = Stopwatch.StartNew();
            await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false)) > 0)
            {
                idle.CancelAfter(Options.IdleTimeout);
                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                received += n;
                report(new DownloadProgress(fileName, received, total, clock.Elapsed, Done: false));
            }
            if (total is { } expected && received != expected)
                throw new DatasetDownloadException($"the transfer ended after {received:N0} of {expected:N0} bytes; the partial file was deleted, try again");
            report(new DownloadProgress(fileName, received, total, clock.Elapsed, Done: true));
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new DatasetDownloadException(
                $"no data arrived for {Options.IdleTimeout.TotalSeconds:0.#} s after {received:N0}{(total is { } t ? $" of {t:N0}" : "")} bytes; the partial file was deleted, try again", ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            if (total is null && received == 0) throw new DatasetDownloadException($"the request failed ({ex.Message})", ex);
            throw new DatasetDownloadException(
                $"the connection ended after {received:N0}{(total is { } t ? $" of {t:N0}" : "")} bytes ({ex.Message}); the partial file was deleted, try again", ex);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static DatasetNotFoundException NotFound(DatasetSpec spec, List<string> searched, string cacheDir, Exception? lastError)
    {
        var text = new StringBuilder();
        text.AppendLine($"Dataset '{spec.Name}' ({spec.Title}) was not found on this machine and could not be downloaded.");
        text.AppendLine("Looked in:");
        foreach (var s in searched) text.AppendLine($"  - {s}");
        text.AppendLine("To provide it, do one of:");
        text.AppendLine($"  - pass the folder holding {string.Join(", ", spec.Files.Select(f => f.Name))} as the path argument;");
        text.AppendLine($"  - set {spec.EnvironmentVariable} to that folder;");
        if (spec.InstallHint is { } hint) text.AppendLine($"  - {hint};");
        foreach (var d in spec.Downloads)
            text.AppendLine($"  - download {string.Join(" or ", d.Urls)}{(d.Kind == DownloadKind.File ? "" : " and extract it")} into {cacheDir};");
        text.Append($"  - or set {DatasetPaths.MirrorVariable} to a mirror serving {{mirror}}/{spec.Name}/<file>.");
        return new DatasetNotFoundException(spec.Name, searched, text.ToString(), lastError);
    }
}
