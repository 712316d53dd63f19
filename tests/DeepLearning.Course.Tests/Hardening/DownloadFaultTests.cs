using System.Text;
using DeepLearning.Course.Data;
using DeepLearning.Course.Tests.Data;

namespace DeepLearning.Course.Tests.Hardening;

/// <summary>
/// Fault injection for dataset downloads into the cache, against the local HTTP test server: bodies cut
/// at many offsets, single bytes changed, error statuses, leftovers of killed runs, and a corrupted cached
/// file repaired in place. The cache entry is always either intact or cleanly absent (no partial file).
/// </summary>
[Collection("Hardening")]
public sealed class DownloadFaultTests : IDisposable
{
    private readonly string _root = TestData.NewTempDir();
    private readonly LocalHttpServer _server = new();
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"{i},{i * 7 % 13}\n")));

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Cache => Path.Combine(_root, "cache");

    private static DatasetSpec Spec(string name) => new(
        name, "Test table", "test",
        [new DatasetFile("table.csv", TestData.Sha256(Payload))],
        [new DatasetDownload("table.csv", [])]);

    private string[] Entries(string name)
    {
        var dir = Path.Combine(Cache, name);
        return Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories) : [];
    }

    private static IEnumerable<(string, LocalHttpServer.Route)> BrokenResponses()
    {
        var random = new Random(9);
        foreach (var cut in new[] { 0, 1, 2, 10, 100, 1000 }.Concat(Enumerable.Range(1, 14).Select(i => Payload.Length * i / 15)).Append(Payload.Length - 1))
            yield return ($"body cut after {cut} bytes", new LocalHttpServer.Route(Payload, TruncateAfter: cut));
        foreach (var at in new[] { 0, Payload.Length - 1 }.Concat(Enumerable.Range(0, 16).Select(_ => random.Next(Payload.Length))))
        {
            var changed = (byte[])Payload.Clone();
            changed[at] ^= (byte)(1 << random.Next(8));
            yield return ($"byte {at} changed", new LocalHttpServer.Route(changed));
        }
        yield return ("body one byte short", new LocalHttpServer.Route(Payload[..^1]));
        yield return ("body one byte long", new LocalHttpServer.Route([.. Payload, 10]));
        yield return ("empty body", new LocalHttpServer.Route([]));
        yield return ("an HTML error page", new LocalHttpServer.Route(Encoding.UTF8.GetBytes("<html>maintenance</html>")));
        foreach (var status in new[] { 403, 404, 500, 503 })
            yield return ($"status {status}", new LocalHttpServer.Route(Payload, Status: status));
    }

    [Fact]
    public void Every_broken_download_leaves_the_cache_entry_cleanly_absent_and_a_retry_succeeds()
    {
        var tried = 0;
        foreach (var (damage, route) in BrokenResponses())
        {
            // Given a server answering with a broken response
            var name = $"t{tried}";
            _server.Set($"/{name}/table.csv", route);

            // When the dataset is located (downloaded into an empty cache)
            var error = Assert.ThrowsAny<DatasetException>(() => new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(Spec(name)));

            // Then it fails saying so, and nothing is left in the cache folder: no table.csv, no .part file
            Assert.False(string.IsNullOrWhiteSpace(error.Message), damage);
            Assert.True(Entries(name).Length == 0, $"{damage}: left {string.Join(", ", Entries(name).Select(Path.GetFileName))}");
            tried++;
        }
        Assert.True(tried >= 40, $"{tried} responses");

        // And once the server is repaired, the same cache downloads the good file
        _server.Serve("/t0/table.csv", Payload);
        var location = new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(Spec("t0"));
        Assert.Equal(Payload, File.ReadAllBytes(location.PathOf("table.csv")));
    }

    [Fact]
    public void Partial_files_of_killed_downloads_are_removed_by_the_next_download_and_live_ones_kept()
    {
        // Given leftovers of killed runs in the cache folder (a dead process' .part and extraction folder, an old
        // unnamed .part), and the .part of a download still running in this process
        var dir = Directory.CreateDirectory(Path.Combine(Cache, "left")).FullName;
        var deadPart = Path.Combine(dir, ".table.csv.999999999.0123456789abcdef.part");
        var oldPart = Path.Combine(dir, ".table.csv.0123456789abcdef.part");
        var livePart = Path.Combine(dir, $".table.csv.{Environment.ProcessId}.fedcba9876543210.part");
        var deadExtract = Directory.CreateDirectory(Path.Combine(dir, ".extract-999999999.0123456789abcdef.dir")).FullName;
        foreach (var f in new[] { deadPart, oldPart, livePart })
            File.WriteAllBytes(f, new byte[4096]);
        File.SetLastWriteTimeUtc(oldPart, DateTime.UtcNow.AddDays(-2));
        _server.Serve("/left/table.csv", Payload);

        // When the dataset is downloaded
        new DatasetLocator(TestData.Isolated(Cache, _server.BaseUrl)).Locate(Spec("left"));

        // Then the leftovers are gone, the live download's file is kept
        Assert.False(File.Exists(deadPart));
        Assert.False(File.Exists(oldPart));
        Assert.False(Directory.Exists(deadExtract));
        Assert.True(File.Exists(livePart));
    }

    [Fact]
    public void A_cached_file_repaired_in_place_with_the_same_size_and_time_stamp_is_accepted()
    {
        // Given a cached file corrupted in place (same size), which the locator has already found bad
        var dir = Directory.CreateDirectory(Path.Combine(Cache, "repair")).FullName;
        var path = Path.Combine(dir, "table.csv");
        var corrupted = (byte[])Payload.Clone();
        corrupted[100] ^= 0x20;
        File.WriteAllBytes(path, corrupted);
        var stamp = File.GetLastWriteTimeUtc(path);
        var offline = TestData.Isolated(Cache);
        Assert.Throws<DatasetNotFoundException>(() => new DatasetLocator(offline).Locate(Spec("repair")));

        // When the good content is copied over it keeping size and time stamp (cp -p, a restore from backup)
        File.WriteAllBytes(path, Payload);
        File.SetLastWriteTimeUtc(path, stamp);

        // Then the next lookup judges the new content, not the memo of the old one
        var location = new DatasetLocator(offline).Locate(Spec("repair"));
        Assert.Equal(Payload, File.ReadAllBytes(location.PathOf("table.csv")));
    }
}
