using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookEngine.Documents;

/// <summary>
/// Reads and writes Polyglot's plain-text <c>.dib</c> format: blocks introduced by a kernel line
/// (<c>#!csharp</c>, <c>#!markdown</c>, ...) and an optional leading <c>#!meta</c> JSON block.
/// Magic commands such as <c>#!import</c> or <c>#!time</c> are not block separators.
/// </summary>
public static class DibFormat
{
    private static readonly string[] s_knownKernels =
    [
        "csharp", "c#", "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md",
        "sql", "kql", "mermaid", "value", "http", "python", "r", "meta",
    ];

    /// <summary>Parses <c>.dib</c> text.</summary>
    public static NotebookDocument Read(string text)
    {
        var doc = NotebookDocument.CreateCSharp();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var kernels = new HashSet<string>(s_knownKernels, StringComparer.OrdinalIgnoreCase);

        // The meta block declares more kernel names (and aliases) that may separate blocks.
        var metaJson = ExtractMeta(lines);
        if (metaJson is not null)
        {
            doc.Metadata["polyglot_notebook"] = metaJson;
            foreach (var item in metaJson["kernelInfo"]?["items"] as JsonArray ?? [])
            {
                if (item?["name"] is JsonValue name)
                    kernels.Add(name.GetValue<string>());
                foreach (var alias in item?["aliases"] as JsonArray ?? [])
                    kernels.Add(alias!.GetValue<string>().TrimStart('#', '!'));
            }
        }

        string? current = null;
        var body = new StringBuilder();
        void Flush()
        {
            if (current is null || current == "meta")
                return;
            var source = body.ToString().Trim('\n');
            if (source.Length == 0)
                return;
            var isMarkdown = current is "markdown" or "md";
            doc.Cells.Add(new NotebookCell
            {
                CellType = isMarkdown ? "markdown" : "code",
                Source = source,
                KernelName = isMarkdown ? null : Normalize(current),
            });
        }
        foreach (var line in lines)
        {
            var trimmed = line.TrimEnd();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal) && kernels.Contains(trimmed[2..]))
            {
                Flush();
                current = trimmed[2..];
                body.Clear();
                continue;
            }
            current ??= doc.DefaultKernelName;
            body.Append(line).Append('\n');
        }
        Flush();
        return doc;
    }

    private static JsonObject? ExtractMeta(string[] lines)
    {
        var index = Array.FindIndex(lines, l => l.TrimEnd() == "#!meta");
        if (index < 0)
            return null;
        var json = new StringBuilder();
        for (var i = index + 1; i < lines.Length && !lines[i].StartsWith("#!", StringComparison.Ordinal); i++)
            json.Append(lines[i]).Append('\n');
        try
        {
            return JsonNode.Parse(json.ToString()) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Normalize(string kernel) => kernel switch
    {
        "c#" => "csharp",
        "f#" => "fsharp",
        "powershell" => "pwsh",
        "js" => "javascript",
        _ => kernel,
    };

    /// <summary>Serializes a notebook as <c>.dib</c> (outputs are not part of the format).</summary>
    public static string Write(NotebookDocument doc)
    {
        var text = new StringBuilder();
        if (doc.Metadata["polyglot_notebook"] is JsonObject meta)
            text.Append("#!meta\n\n").Append(meta.ToJsonString()).Append("\n\n");
        foreach (var cell in doc.Cells)
        {
            var kernel = cell.CellType == "markdown" ? "markdown" : cell.KernelName ?? doc.DefaultKernelName;
            text.Append("#!").Append(kernel).Append("\n\n").Append(cell.Source.TrimEnd('\n')).Append("\n\n");
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }
}
