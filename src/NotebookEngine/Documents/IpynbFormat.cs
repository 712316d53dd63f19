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
    /// <exception cref="FormatException">
    /// The JSON is not an nbformat 4 notebook: not an object, no integer <c>"nbformat": 4</c>, no <c>"cells"</c> array, or
    /// a field of the wrong JSON type (a cell that is not an object, a <c>source</c> that is not a string or a list of
    /// strings, …); the message names the field and, for a cell, its number.
    /// </exception>
    public static NotebookDocument Read(string json)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (ArgumentException e)
        {
            // Duplicate property names.
            throw new FormatException($"invalid notebook JSON: {e.Message}", e);
        }
        var root = parsed as JsonObject ?? throw new FormatException($"a notebook must be a JSON object, not {Kind(parsed)}");
        if (root["nbformat"] is null)
            throw new FormatException("no \"nbformat\" field: not a Jupyter notebook");
        if (root["nbformat"] is not JsonValue major || major.GetValueKind() != JsonValueKind.Number || !major.TryGetValue(out int version))
            throw new FormatException($"\"nbformat\" must be an integer, not {Kind(root["nbformat"])}");
        if (version < 4)
            throw new FormatException($"nbformat {version} is not supported (only 4.x); convert it with `jupyter nbconvert --to notebook --nbformat 4 FILE`");
        if (version > 4)
            throw new FormatException($"nbformat {version} is not supported (only 4.x)");
        if (root["cells"] is not JsonArray cellArray)
            throw new FormatException($"\"cells\" must be a list, not {Kind(root["cells"])}");
        var minor = 5;
        if (root["nbformat_minor"] is { } minorNode && (minorNode is not JsonValue mv || mv.GetValueKind() != JsonValueKind.Number || !mv.TryGetValue(out minor)))
            throw new FormatException($"\"nbformat_minor\" must be an integer, not {Kind(minorNode)}");
        var doc = new NotebookDocument
        {
            NbFormat = version,
            NbFormatMinor = minor,
            Metadata = ObjectOrEmpty(root["metadata"], "\"metadata\""),
        };
        foreach (var (key, value) in root)
        {
            if (key is not ("cells" or "metadata" or "nbformat" or "nbformat_minor"))
                doc.Extra[key] = value?.DeepClone();
        }
        var number = 0;
        foreach (var node in cellArray)
        {
            number++;
            if (node is not JsonObject c)
                throw new FormatException($"cell {number} must be an object, not {Kind(node)}");
            doc.Cells.Add(ReadCell(c, number));
        }
        return doc;
    }

    private static NotebookCell ReadCell(JsonObject c, int number)
    {
        var cell = new NotebookCell
        {
            CellType = c["cell_type"] switch
            {
                null => "code",
                JsonValue v when v.TryGetValue(out string? type) => type,
                var other => throw new FormatException($"cell {number}: \"cell_type\" must be a string, not {Kind(other)}"),
            },
            Source = ReadSource(c["source"], number),
            Metadata = ObjectOrEmpty(c["metadata"], $"cell {number}: \"metadata\""),
            Id = (c["id"] as JsonValue)?.TryGetValue(out string? id) == true ? id : null,
        };
        if (c["execution_count"] is JsonValue count && count.TryGetValue(out int n))
            cell.ExecutionCount = n;
        if (c["outputs"] is { } outputs and not JsonArray)
            throw new FormatException($"cell {number}: \"outputs\" must be a list, not {Kind(outputs)}");
        foreach (var output in c["outputs"] as JsonArray ?? [])
        {
            if (output is not JsonObject o)
                throw new FormatException($"cell {number}: each output must be an object, not {Kind(output)}");
            cell.Outputs.Add((JsonObject)o.DeepClone());
        }
        foreach (var (key, value) in c)
        {
            if (key is not ("cell_type" or "source" or "metadata" or "id" or "execution_count" or "outputs"))
                cell.Extra[key] = value?.DeepClone();
        }
        cell.KernelName = Text(NotebookDocument.Member(cell.Metadata["polyglot_notebook"], "kernelName"))
            ?? Text(NotebookDocument.Member(cell.Metadata["dotnet_interactive"], "language"));
        return cell;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static JsonObject ObjectOrEmpty(JsonNode? node, string what) => node switch
    {
        null => [],
        JsonObject o => (JsonObject)o.DeepClone(),
        _ => throw new FormatException($"{what} must be an object, not {Kind(node)}"),
    };

    /// <summary>A cell's source: a string or a list of strings (nbformat's multiline string), nothing else.</summary>
    private static string ReadSource(JsonNode? node, int number) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray lines => string.Concat(lines.Select(l => l is JsonValue lv && lv.TryGetValue(out string? s)
            ? s
            : throw new FormatException($"cell {number}: \"source\" must be a string or a list of strings; it holds {Kind(l)}"))),
        _ => throw new FormatException($"cell {number}: \"source\" must be a string or a list of strings, not {Kind(node)}"),
    };

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

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
