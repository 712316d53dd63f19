using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookEngine.Documents;

/// <summary>A notebook in memory: cells plus the metadata the file had, kept so writing it back loses nothing.</summary>
public sealed class NotebookDocument
{
    /// <summary>Notebook-level metadata (kernelspec, polyglot_notebook, papermill, anything else).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The cells, top to bottom.</summary>
    public List<NotebookCell> Cells { get; } = [];

    /// <summary>nbformat major version (always 4).</summary>
    public int NbFormat { get; set; } = 4;

    /// <summary>nbformat minor version (2 to 5). Cell ids are written only from 4.5 on.</summary>
    public int NbFormatMinor { get; set; } = 5;

    /// <summary>Top-level properties this engine does not interpret, written back unchanged.</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>The kernel a cell runs in when it names none (Polyglot's <c>defaultKernelName</c>).</summary>
    public string DefaultKernelName
    {
        get
        {
            if (Member(Member(Metadata["polyglot_notebook"], "kernelInfo"), "defaultKernelName") is JsonValue v && v.TryGetValue(out string? name))
                return name;
            var language = Member(Metadata["kernelspec"], "language") is JsonValue l && l.TryGetValue(out string? lang) ? lang : null;
            return language?.ToLowerInvariant() switch
            {
                "f#" or "fsharp" => "fsharp",
                "powershell" or "pwsh" => "pwsh",
                _ => "csharp",
            };
        }
    }

    /// <summary><paramref name="node"/>[<paramref name="key"/>] when <paramref name="node"/> is an object; null otherwise (metadata of any shape reads safely).</summary>
    public static JsonNode? Member(JsonNode? node, string key) => node is JsonObject o ? o[key] : null;

    /// <summary>Creates an empty C# notebook with the kernelspec and kernel info VS Code writes.</summary>
    public static NotebookDocument CreateCSharp()
    {
        var doc = new NotebookDocument();
        doc.Metadata["kernelspec"] = new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        };
        doc.Metadata["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" };
        doc.Metadata["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        };
        return doc;
    }
}

/// <summary>One notebook cell.</summary>
public sealed class NotebookCell
{
    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType { get; set; } = "code";

    /// <summary>The cell's text, lines joined with <c>\n</c>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The cell's own kernel (from its metadata), or null for the notebook default.</summary>
    public string? KernelName { get; set; }

    /// <summary>Cell metadata (tags, polyglot_notebook, papermill, anything else).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>nbformat outputs (stream, display_data, execute_result, error).</summary>
    public List<JsonObject> Outputs { get; } = [];

    /// <summary>The execution count shown beside a code cell.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>The cell id (nbformat 4.5).</summary>
    public string? Id { get; set; }

    /// <summary>Cell properties this engine does not interpret (attachments, ...), written back unchanged.</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>How long the cell ran, from its papermill metadata (<c>metadata.papermill.duration</c>, seconds), or null.</summary>
    public double? DurationSeconds =>
        Metadata["papermill"]?["duration"] is JsonValue d && d.GetValueKind() == JsonValueKind.Number ? d.GetValue<double>() : null;

    /// <summary>A Markdown cell's attachments (<c>{"name.png": {"image/png": base64}}</c>), or null when it has none.</summary>
    public JsonObject? Attachments => Extra["attachments"] as JsonObject;

    /// <summary>The cell's tags (<c>metadata.tags</c>).</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags ? [.. tags.Select(t => t is JsonValue v && v.TryGetValue(out string? tag) ? tag : "")] : [];

    /// <summary>Creates a C# code cell with the kernel metadata Polyglot writes.</summary>
    public static NotebookCell CreateCode(string source, params string[] tags)
    {
        var cell = new NotebookCell { Source = source, KernelName = "csharp" };
        if (tags.Length > 0)
            cell.Metadata["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]);
        return cell;
    }
}
