using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookEngine.Documents;

/// <summary>Reads and writes Jupyter <c>.ipynb</c> (nbformat 4.x) as VS Code Polyglot and .NET Interactive Documents write it.</summary>
public static class IpynbFormat
{
    private static readonly JsonSerializerOptions s_write = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses notebook JSON.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    /// <exception cref="FormatException">The JSON is not an nbformat 4 notebook (an object with <c>"nbformat": 4</c> and a <c>"cells"</c> array).</exception>
    public static NotebookDocument Read(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("A notebook must be a JSON object.");
        if (root["nbformat"] is not JsonValue major || major.GetValueKind() != JsonValueKind.Number || root["cells"] is not JsonArray)
            throw new FormatException("not an nbformat 4 notebook (expected \"nbformat\": 4 and a \"cells\" array)");
        var doc = new NotebookDocument
        {
            NbFormat = major.GetValue<int>(),
            NbFormatMinor = root["nbformat_minor"]?.GetValue<int>() ?? 5,
            Metadata = root["metadata"]?.DeepClone() as JsonObject ?? [],
        };
        if (doc.NbFormat != 4)
            throw new FormatException($"nbformat {doc.NbFormat} is not supported (only 4.x).");
        foreach (var (key, value) in root)
        {
            if (key is not ("cells" or "metadata" or "nbformat" or "nbformat_minor"))
                doc.Extra[key] = value?.DeepClone();
        }
        foreach (var node in root["cells"] as JsonArray ?? [])
        {
            if (node is JsonObject c)
                doc.Cells.Add(ReadCell(c));
        }
        return doc;
    }

    private static NotebookCell ReadCell(JsonObject c)
    {
        var cell = new NotebookCell
        {
            CellType = c["cell_type"]?.GetValue<string>() ?? "code",
            Source = ReadMultiline(c["source"]),
            Metadata = c["metadata"]?.DeepClone() as JsonObject ?? [],
            Id = (c["id"] as JsonValue)?.GetValue<string>(),
        };
        if (c["execution_count"] is JsonValue count && count.TryGetValue(out int n))
            cell.ExecutionCount = n;
        foreach (var output in c["outputs"] as JsonArray ?? [])
        {
            if (output is JsonObject o)
                cell.Outputs.Add((JsonObject)o.DeepClone());
        }
        foreach (var (key, value) in c)
        {
            if (key is not ("cell_type" or "source" or "metadata" or "id" or "execution_count" or "outputs"))
                cell.Extra[key] = value?.DeepClone();
        }
        cell.KernelName =
            (cell.Metadata["polyglot_notebook"]?["kernelName"] as JsonValue)?.GetValue<string>()
            ?? (cell.Metadata["dotnet_interactive"]?["language"] as JsonValue)?.GetValue<string>();
        return cell;
    }

    /// <summary>
    /// Joins nbformat's "multiline string" (a string or a list of lines) into one string; other JSON (a MIME bundle's
    /// parsed <c>application/json</c> payload) as compact JSON text; nothing as "".
    /// </summary>
    public static string ReadMultiline(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(ReadMultiline)),
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>Splits text into nbformat's list of lines (each keeps its <c>\n</c>).</summary>
    public static JsonArray ToMultiline(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }

    /// <summary>Serializes a notebook as nbformat JSON (one-space indent, as Jupyter writes it).</summary>
    public static string Write(NotebookDocument doc)
    {
        var root = new JsonObject();
        var cells = new JsonArray();
        foreach (var cell in doc.Cells)
            cells.Add(WriteCell(cell, doc));
        root["cells"] = cells;
        root["metadata"] = doc.Metadata.DeepClone();
        foreach (var (key, value) in doc.Extra)
            root[key] = value?.DeepClone();
        root["nbformat"] = doc.NbFormat;
        root["nbformat_minor"] = doc.NbFormatMinor;
        return root.ToJsonString(s_write) + "\n";
    }

    private static JsonObject WriteCell(NotebookCell cell, NotebookDocument doc)
    {
        var c = new JsonObject { ["cell_type"] = cell.CellType };
        if (doc.NbFormatMinor >= 5)
            c["id"] = cell.Id ??= Guid.NewGuid().ToString("N")[..12];
        if (cell.IsCode)
        {
            c["execution_count"] = cell.ExecutionCount is int n ? JsonValue.Create(n) : null;
            if (cell.KernelName is { } kernel && cell.Metadata["polyglot_notebook"] is null)
                cell.Metadata["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel };
        }
        c["metadata"] = cell.Metadata.DeepClone();
        if (cell.IsCode)
            c["outputs"] = new JsonArray([.. cell.Outputs.Select(o => o.DeepClone())]);
        c["source"] = ToMultiline(cell.Source);
        foreach (var (key, value) in cell.Extra)
            c[key] = value?.DeepClone();
        return c;
    }
}
