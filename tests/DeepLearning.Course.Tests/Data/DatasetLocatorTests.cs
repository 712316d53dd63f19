using System.IO.Compression;
using System.Text;
using DeepLearning.Course.Data;

namespace DeepLearning.Course.Tests.Data;

public class DatasetLocatorTests : IDisposable
{
    private readonly string _root = TestData.NewTempDir();
    private readonly LocalHttpServer _server = new();
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("x,y\n1,2\n", 20_000)));

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static DatasetSpec PlainSpec(string name, byte[] content) => new(
        name, "Test table", "test",
        [new DatasetFile("table.csv", TestData.Sha256(content))],
        [new DatasetDownload("table.csv", [])]);

    private string Cache => Path.Combine(_root, "cache");

    private static string[] FilesUnder(string dir) =>
        Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public void A_missing_dataset_is_downloaded_from_the_mirror_verified_and_renamed_into_the_cache()
    {
        // Given a mirror serving the file and an empty cache
        _server.Serve("/table/table.csv", Payload);
        var progress = new List<DownloadProgress>();
        var locator = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl, progress: progress));

        // When the dataset is located
        var location = locator.Locate(PlainSpec("table", Payload));

        // Then it was downloaded into <cache>/<name>/, with identical bytes and no temporary files left
        Assert.Equal(DatasetSource.Download, location.Source);
        Assert.Equal(Path.Combine(Cache, "table", "table.csv"), location.PathOf("table.csv"));
        Assert.Equal(Payload, File.ReadAllBytes(location.PathOf("table.csv")));
        Assert.Equal([location.PathOf("table.csv")], FilesUnder(Path.Combine(Cache, "table")));
        // and progress was reported up to the full size
        Assert.Contains(progress, p => p.Done && p.Bytes == Payload.Length && p.TotalBytes == Payload.Length);
        Assert.Contains("100%", progress.Last().Render());
    }

    [Fact]
    public void A_cached_dataset_is_used_without_a_second_request()
    {
        // Given a dataset downloaded once
        _server.Serve("/table/table.csv", Payload);
        var spec = PlainSpec("table", Payload);
        new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(spec);

        // When a new locator looks for it again
        var again = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(spec);

        // Then it comes from the cache and the server saw exactly one request
        Assert.Equal(DatasetSource.Cache, again.Source);
        Assert.Equal(1, _server.Hits("/table/table.csv"));
    }

    [Fact]
    public void A_checksum_mismatch_deletes_the_download_and_leaves_the_cache_untouched()
    {
        // Given a mirror serving different bytes than the spec pins
        var tampered = Payload.ToArray();
        tampered[100] ^= 0xff;
        _server.Serve("/table/table.csv", tampered);
        var locator = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl));

        // When the dataset is located
        var error = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(PlainSpec("table", Payload)));

        // Then the error explains the mismatch, and no file (final or partial) remains in the cache
        var inner = Assert.IsType<DatasetChecksumException>(error.InnerException);
        Assert.Contains("SHA-256 mismatch", inner.Message);
        Assert.Contains(TestData.Sha256(Payload), error.Message);
        Assert.Empty(FilesUnder(Path.Combine(Cache, "table")));
    }

    [Fact]
    public void An_interrupted_transfer_leaves_no_partial_file_and_a_retry_succeeds()
    {
        // Given a server that promises the full length but closes after a third of the body
        _server.Set("/table/table.csv", new LocalHttpServer.Route(Payload, TruncateAfter: Payload.Length / 3));
        var spec = PlainSpec("table", Payload);

        // When the dataset is located
        var error = Assert.Throws<DatasetNotFoundException>(() => new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(spec));

        // Then the error says the transfer was cut short and nothing partial is left behind
        Assert.IsType<DatasetDownloadException>(error.InnerException);
        Assert.Matches("ended|prematurely", error.Message);
        Assert.Empty(FilesUnder(Path.Combine(Cache, "table")));

        // And when the server recovers, a retry downloads the complete file
        _server.Serve("/table/table.csv", Payload);
        var location = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(spec);
        Assert.Equal(Payload, File.ReadAllBytes(location.PathOf("table.csv")));
    }

    [Fact]
    public void A_stalled_transfer_is_abandoned_after_the_idle_timeout_without_a_partial_file()
    {
        // Given a server that sends part of the body and then goes silent
        _server.Set("/table/table.csv", new LocalHttpServer.Route(Payload, StallAfter: 1000));
        var options = TestData.Isolated(Cache, _server.BaseUrl) with { IdleTimeout = TimeSpan.FromMilliseconds(500) };

        // When the dataset is located
        var error = Assert.Throws<DatasetNotFoundException>(() => new DatasetLocator(options).Locate(PlainSpec("table", Payload)));

        // Then the idle timeout is reported and nothing partial remains
        Assert.Contains("no data arrived", error.Message);
        Assert.Empty(FilesUnder(Path.Combine(Cache, "table")));
    }

    [Fact]
    public void A_refused_connection_is_reported_as_a_failed_request()
    {
        // Given a mirror on a port nobody listens on
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}";
        port.Stop();

        // When located / Then the error says the request failed and names the URL
        var error = Assert.Throws<DatasetNotFoundException>(() => new DatasetLocator(TestData.Isolated(Cache, url)).Locate(PlainSpec("table", Payload)));
        Assert.Contains("the request failed", error.Message);
        Assert.Contains($"{url}/table/table.csv", error.Message);
    }

    [Fact]
    public void A_404_gives_an_error_naming_the_dataset_the_places_searched_and_how_to_provide_it()
    {
        // Given a mirror without the file
        var locator = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl, repository: Path.Combine(_root, "repo-datasets")));

        // When the dataset is located
        var error = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(PlainSpec("table", Payload)));

        // Then the message names the dataset, the HTTP status, every folder searched and the ways to provide it
        Assert.Equal("table", error.Dataset);
        Assert.Contains("'table'", error.Message);
        Assert.Contains("HTTP 404", error.Message);
        Assert.Contains(Path.Combine(_root, "repo-datasets", "table"), error.Message);
        Assert.Contains(Path.Combine(Cache, "table"), error.Message);
        Assert.Contains("DLCOURSE_TABLE", error.Message);
        Assert.Contains(DatasetPaths.MirrorVariable, error.Message);
    }

    [Fact]
    public void Offline_with_no_copy_the_error_names_the_official_url_and_the_install_hint()
    {
        // Given downloads disabled and no copy anywhere
        var locator = new DatasetLocator(TestData.Isolated(Cache) with { AllowDownload = false });

        // When Fashion-MNIST is located
        var error = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(DatasetCatalog.FashionMnist));

        // Then the message says where it looked and how to get it
        Assert.Contains("Fashion-MNIST", error.Message);
        Assert.Contains("DLCOURSE_FASHION_MNIST", error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains("http://fashion-mnist.s3-website.eu-west-1.amazonaws.com/train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains("download: disabled", error.Message);
    }

    [Fact]
    public void An_archive_with_a_path_traversal_entry_is_rejected_and_nothing_is_written()
    {
        // Given a zip whose entries include ../evil next to the wanted member
        var zipBytes = BuildZip(("data/table.csv", Payload), ("../evil", "gotcha"u8.ToArray()));
        _server.Serve("/table/table.zip", zipBytes);
        var spec = new DatasetSpec("table", "Zipped table", "test",
            [new DatasetFile("table.csv", TestData.Sha256(Payload))],
            [new DatasetDownload("table.zip", [], DownloadKind.Zip, Members: new Dictionary<string, string> { ["data/table.csv"] = "table.csv" })]);

        // When the dataset is located
        var error = Assert.Throws<DatasetNotFoundException>(() => new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(spec));

        // Then the archive is refused as path traversal and neither the cache nor its parent gained files
        Assert.Contains("path traversal", error.Message);
        Assert.Empty(FilesUnder(Path.Combine(Cache, "table")));
        Assert.False(File.Exists(Path.Combine(Cache, "evil")));
    }

    [Fact]
    public void An_archive_with_an_absolute_entry_is_rejected()
    {
        // Given a zip with an absolute entry
        var zipPath = Path.Combine(_root, "abs.zip");
        File.WriteAllBytes(zipPath, BuildZip(("/etc/evil", "x"u8.ToArray())));

        // When it is extracted / Then it is refused
        var error = Assert.Throws<DatasetDownloadException>(() => ArchiveExtractor.ExtractZip(zipPath, Path.Combine(_root, "out"), ["/etc/evil"]));
        Assert.Contains("absolute", error.Message);
    }

    [Fact]
    public void A_zip_archive_is_extracted_and_its_members_verified_MovieLens_100k_from_a_local_mirror()
    {
        // Given the real MovieLens files zipped as GroupLens ships them, served by a local mirror
        var ml = TestData.RequireMovieLensFolder();
        var zip = BuildZip(new[] { "u.data", "u.item", "u.user", "u.genre", "README" }
            .Select(f => ($"ml-100k/{f}", File.ReadAllBytes(Path.Combine(ml, f)))).ToArray());
        _server.Serve("/ml-100k/ml-100k.zip", zip);

        // When the catalogue's MovieLens 100k is located
        var location = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(DatasetCatalog.MovieLens100k);

        // Then the four declared files are in the cache, verified, and no archive or temp folder remains
        Assert.Equal(DatasetSource.Download, location.Source);
        Assert.Equal(["u.data", "u.genre", "u.item", "u.user"], FilesUnder(Path.Combine(Cache, "ml-100k")).Select(Path.GetFileName).Order());
        Assert.Equal(File.ReadAllBytes(Path.Combine(ml, "u.data")), File.ReadAllBytes(location.PathOf("u.data")));
    }

    [Fact]
    public void A_tar_gz_archive_member_is_extracted()
    {
        // Given an npm-style .tgz holding package/data/names.txt
        var tgz = Path.Combine(_root, "p.tgz");
        using (var file = File.Create(tgz))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new System.Formats.Tar.TarWriter(gz))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "package/data/names.txt")
            { DataStream = new MemoryStream("Ann\nBob\n"u8.ToArray()) };
            tar.WriteEntry(entry);
        }

        // When the member is extracted
        var result = ArchiveExtractor.ExtractTarGz(tgz, Path.Combine(_root, "out"), ["package/data/names.txt"]);

        // Then its bytes are intact
        Assert.Equal("Ann\nBob\n", File.ReadAllText(result["package/data/names.txt"]));
    }

    [Fact]
    public void Lookup_prefers_the_repository_folder_over_the_cache_and_an_explicit_path_over_both()
    {
        // Given identical valid copies in the repository folder, the cache and an explicit folder
        var spec = PlainSpec("table", Payload);
        foreach (var dir in new[] { Path.Combine(_root, "repo", "table"), Path.Combine(Cache, "table"), Path.Combine(_root, "mine") })
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, "table.csv"), Payload);
        }
        var locator = new DatasetLocator(TestData.Isolated(Cache, repository: Path.Combine(_root, "repo")));

        // When located without and with an explicit path
        var found = locator.Locate(spec);
        var explicitOne = locator.Locate(spec, Path.Combine(_root, "mine"));

        // Then the repository copy wins the search and the explicit path wins outright
        Assert.Equal(DatasetSource.Repository, found.Source);
        Assert.Equal(DatasetSource.ExplicitPath, explicitOne.Source);
    }

    [Fact]
    public void A_corrupt_copy_in_the_cache_is_skipped_and_replaced_by_a_fresh_download()
    {
        // Given a corrupt cached file and a good mirror
        Directory.CreateDirectory(Path.Combine(Cache, "table"));
        File.WriteAllText(Path.Combine(Cache, "table", "table.csv"), "corrupt");
        _server.Serve("/table/table.csv", Payload);

        // When located
        var location = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(PlainSpec("table", Payload));

        // Then the download replaced it
        Assert.Equal(DatasetSource.Download, location.Source);
        Assert.Equal(Payload, File.ReadAllBytes(location.PathOf("table.csv")));
    }

    [Fact]
    public void An_explicit_path_with_wrong_content_fails_with_a_checksum_error()
    {
        // Given an explicit folder whose file does not match the pinned checksum
        var dir = Path.Combine(_root, "mine");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "table.csv"), "not the data");

        // When located from that path / Then the checksum error names the file and both hashes
        var error = Assert.Throws<DatasetChecksumException>(() =>
            new DatasetLocator(TestData.Isolated(Cache)).Locate(PlainSpec("table", Payload), dir));
        Assert.Contains("table.csv", error.Message);
        Assert.Contains(TestData.Sha256(Payload), error.Message);
    }

    [Fact]
    public void A_recompressed_or_decompressed_copy_is_accepted_by_its_content_checksum()
    {
        // Given a spec pinning only the decompressed content of a .gz file (as for Debian's Fashion-MNIST)
        var spec = new DatasetSpec("packed", "Packed", "test",
            [new DatasetFile("data.bin.gz", ContentSha256: TestData.Sha256(Payload))], []);
        var recompressed = Path.Combine(_root, "recompressed");
        var plain = Path.Combine(_root, "plain");
        Directory.CreateDirectory(recompressed);
        Directory.CreateDirectory(plain);
        using (var file = File.Create(Path.Combine(recompressed, "data.bin.gz")))
        using (var gz = new GZipStream(file, CompressionLevel.SmallestSize))
            gz.Write(Payload);
        File.WriteAllBytes(Path.Combine(plain, "data.bin"), Payload);
        var locator = new DatasetLocator(TestData.Isolated(Cache));

        // When located in either folder
        var a = locator.Locate(spec, recompressed);
        var b = locator.Locate(spec, plain);

        // Then both are accepted and read back the same content
        Assert.Equal(Payload, a.ReadAllBytes("data.bin.gz"));
        Assert.Equal(Payload, b.ReadAllBytes("data.bin.gz"));
    }

    [Fact]
    public void The_cache_root_follows_DLCOURSE_DATA_HOME_then_XDG_CACHE_HOME_then_the_home_folder()
    {
        // Given three environments / Then the cache-root rule (DLCOURSE_DATA_HOME, XDG_CACHE_HOME, ~/.cache) picks the right root
        Assert.Equal("/data/home", DatasetPaths.ResolveCacheRoot(v => v == "DLCOURSE_DATA_HOME" ? "/data/home" : "/xdg", "/home/u"));
        Assert.Equal("/xdg/deeplearning-course/datasets", DatasetPaths.ResolveCacheRoot(v => v == "XDG_CACHE_HOME" ? "/xdg" : null, "/home/u"));
        Assert.Equal("/home/u/.cache/deeplearning-course/datasets", DatasetPaths.ResolveCacheRoot(_ => null, "/home/u"));
        // And the model cache's use of the same rule reads its own variable (not the datasets') and its own subfolder
        string? Env(string v) => v switch { "DLCOURSE_MODEL_HOME" => "/models/home", "DLCOURSE_DATA_HOME" => "/data/home", _ => null };
        Assert.Equal("/models/home", DatasetPaths.ResolveCacheRoot(Env, "/home/u", DeepLearning.Course.Generative.ModelCache.ModelHomeVariable, "models"));
        Assert.Equal("/xdg/deeplearning-course/models", DatasetPaths.ResolveCacheRoot(v => v == "XDG_CACHE_HOME" ? "/xdg" : v == "DLCOURSE_DATA_HOME" ? "/data/home" : null, "/home/u", "DLCOURSE_MODEL_HOME", "models"));
        Assert.Equal("/home/u/.cache/deeplearning-course/models", DatasetPaths.ResolveCacheRoot(_ => null, "/home/u", "DLCOURSE_MODEL_HOME", "models"));
    }

    [Fact]
    public void The_repository_root_is_found_by_walking_up_to_the_solution_file()
    {
        // Given the test's working directory somewhere under the repository / Then the root holds the .slnx
        var root = DatasetPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, DatasetPaths.SolutionFileName)));
    }

    [Fact]
    public void Every_catalogue_dataset_declares_checksums_and_a_download()
    {
        // Given the catalogue / Then every file is pinned by a SHA-256 and every dataset can be downloaded
        foreach (var spec in DatasetCatalog.All)
        {
            Assert.NotEmpty(spec.Downloads);
            Assert.All(spec.Files, f => Assert.True(f.Sha256 is { Length: 64 } || f.ContentSha256 is { Length: 64 }, $"{spec.Name}/{f.Name}"));
            Assert.All(spec.Downloads.SelectMany(d => d.Urls), u => Assert.StartsWith("http", u));
        }
    }

    [Fact]
    public void The_survey_reports_each_dataset_local_copy_or_download_without_downloading()
    {
        // Given a locator that sees only the repository's committed datasets
        var repo = Path.Combine(DatasetPaths.FindRepositoryRoot(AppContext.BaseDirectory)!, "datasets");
        var lines = DatasetCatalog.Survey(new DatasetLocator(TestData.Isolated(Cache, repository: repo)));

        // Then committed datasets are reported in the repository and the others as downloads
        Assert.Equal(DatasetCatalog.All.Count, lines.Count);
        Assert.Contains(lines, l => l.StartsWith("cars: Repository", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("moby-dick: Repository", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ml-100k: no local copy (would download from https://files.grouplens.org", StringComparison.Ordinal));
    }

    private static byte[] BuildZip(params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                s.Write(bytes);
            }
        }
        return buffer.ToArray();
    }
}
