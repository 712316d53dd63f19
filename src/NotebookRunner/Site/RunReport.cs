using System.Text.Json;

namespace NotebookRunner.Site;

/// <summary>One notebook's line in the runner's <c>report.json</c>.</summary>
public sealed record ReportEntry(string Path, string Status, double? Seconds, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// The runner's report (<c>{"notebooks":[{"path","status","seconds","metrics"}…],"passed","failed"}</c>),
/// read for the index page. Fields the site does not show are ignored.
/// </summary>
public sealed record RunReport(IReadOnlyList<ReportEntry> Notebooks)
{
    public static RunReport Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var entries = document.RootElement.GetProperty("notebooks").EnumerateArray().Select(n => new ReportEntry(
                n.GetProperty("path").GetString() ?? "",
                n.TryGetProperty("status", out var s) ? s.GetString() ?? "unknown" : "unknown",
                n.TryGetProperty("seconds", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null,
                n.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object
                    ? m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
                       .ToDictionary(p => p.Name, p => p.Value.GetDouble())
                    : new Dictionary<string, double>()));
            return new RunReport(entries.ToList());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a runner report ({e.Message})", e);
        }
    }

    /// <summary>
    /// The entry for an executed notebook. The report names source notebooks
    /// (<c>notebooks/03-cnn.ipynb</c>) and the site reads executed copies
    /// (<c>artifacts/executed/03-cnn.ipynb</c>), so they are matched by file name.
    /// </summary>
    public ReportEntry? Find(string notebookPath) =>
        Notebooks.FirstOrDefault(n => Path.GetFileName(n.Path) == Path.GetFileName(notebookPath));
}
