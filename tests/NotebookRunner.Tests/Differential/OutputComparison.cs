using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests.Differential;

/// <summary>A place where the two engines' executed notebooks differ after normalization.</summary>
/// <param name="Fixture">The fixture's file name.</param>
/// <param name="Where"><c>status</c>, or <c>code cell N</c> (1-based among code cells).</param>
/// <param name="Course">What the course runner gave there, normalized.</param>
/// <param name="DotNetInteractive">What Microsoft's kernel gave there, normalized.</param>
public sealed record Difference(string Fixture, string Where, string Course, string DotNetInteractive);

/// <summary>
/// Compares executed notebooks of the two engines: status and failing cell, then each code cell's outputs as
/// output type, MIME types present and text content (HTML reduced to its visible text, styles and scripts left out, <c>#!time</c>'s milliseconds masked,
/// line endings and runs of whitespace unified, consecutive stream outputs of one name merged). Display ids,
/// metadata and execution counts are not compared. Named normalizations (<see cref="Normalizations"/>) remove
/// differences declared deliberate once for all cells; each is applied only when the allow-list names it.
/// </summary>
public static partial class OutputComparison
{
    /// <summary>The normalizations this comparison knows, by the id the allow-list uses.</summary>
    public static readonly string[] Normalizations = ["real-kernel-bootstrap", "plain-text-fallback", "compiler-warnings", "error-messages", "json-as-text"];

    /// <summary>The differences between the course's and the real kernel's run of <paramref name="fixture"/>; counts each normalization that changed something.</summary>
    public static List<Difference> Compare(string fixture, JsonObject courseStatus, JsonObject course, JsonObject realStatus, JsonObject real,
        IReadOnlySet<string> enabled, Dictionary<string, int> fired)
    {
        var differences = new List<Difference>();
        var (cs, rs) = (Status(courseStatus), Status(realStatus));
        if (cs != rs)
            differences.Add(new(fixture, "status", cs, rs));
        var courseCells = CodeCells(course, isReal: false, enabled, fired);
        var realCells = CodeCells(real, isReal: true, enabled, fired);
        for (var i = 0; i < Math.Max(courseCells.Count, realCells.Count); i++)
        {
            var c = i < courseCells.Count ? courseCells[i] : "(no cell)";
            var r = i < realCells.Count ? realCells[i] : "(no cell)";
            if (c != r)
                differences.Add(new(fixture, $"code cell {i + 1}", c, r));
        }
        return differences;
    }

    private static string Status(JsonObject status) =>
        status["status"]!.GetValue<string>() + (status["failedCell"] is JsonValue v && v.TryGetValue<int>(out var cell) ? $" at code cell {cell}" : "");

    private static List<string> CodeCells(JsonObject notebook, bool isReal, IReadOnlySet<string> enabled, Dictionary<string, int> fired)
    {
        void Fire(string id) => fired[id] = fired.GetValueOrDefault(id) + 1;
        var cells = new List<string>();
        foreach (var cell in notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code"))
        {
            var outputs = cell!["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList();
            var parts = new List<string>();
            string? lastStream = null;
            for (var k = 0; k < outputs.Count; k++)
            {
                var output = outputs[k];
                var type = output["output_type"]!.GetValue<string>();
                if (type == "stream")
                {
                    var name = output["name"]!.GetValue<string>();
                    var text = Text(output["text"]).Replace("\r\n", "\n");
                    if (isReal && name == "stderr" && enabled.Contains("compiler-warnings") && CompilerWarning().IsMatch(text))
                    {
                        text = CompilerWarning().Replace(text, "");
                        Fire("compiler-warnings");
                    }
                    var nextIsError = k + 1 < outputs.Count && outputs[k + 1]["output_type"]!.GetValue<string>() == "error";
                    if (isReal && name == "stderr" && nextIsError && enabled.Contains("error-messages") && text.Contains("error CS", StringComparison.Ordinal))
                    {
                        text = "";
                        Fire("error-messages");
                    }
                    if (text.Trim().Length == 0)
                        continue;
                    if (lastStream == name)
                        parts[^1] += text;
                    else
                        parts.Add($"stream {name}: " + text);
                    lastStream = name;
                    continue;
                }
                lastStream = null;
                if (type == "error")
                {
                    if (enabled.Contains("error-messages"))
                    {
                        parts.Add("error");
                        Fire("error-messages");
                    }
                    else
                    {
                        parts.Add($"error: {output["ename"]}: {output["evalue"]}");
                    }
                    continue;
                }
                var data = output["data"]!.AsObject();
                if (isReal && enabled.Contains("real-kernel-bootstrap") && Text(data["text/html"]).Contains("dotnet-interactive-this-cell", StringComparison.Ordinal))
                {
                    Fire("real-kernel-bootstrap");
                    continue;
                }
                var mimes = data.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                if (mimes.Count > 1 && mimes.Contains("text/plain") && enabled.Contains("plain-text-fallback"))
                {
                    mimes.Remove("text/plain");
                    if (!isReal)
                        Fire("plain-text-fallback");
                }
                var values = mimes.ToDictionary(m => m, m => data[m]);
                foreach (var m in mimes.Where(m => JsonMime().IsMatch(m)))
                {
                    if (isReal && enabled.Contains("json-as-text") && data[m] is JsonValue v && v.TryGetValue(out string? json))
                    {
                        values[m] = JsonNode.Parse(json);
                        Fire("json-as-text");
                    }
                }
                parts.Add($"{type} [{string.Join(", ", mimes)}]: " + string.Join(" | ", mimes.Select(m => Content(m, values[m]))));
            }
            cells.Add(string.Join(" ‖ ", parts.Select(p => WallTime().Replace(Whitespace().Replace(p, " ").Trim(), "Wall time: <t>ms"))));
        }
        return cells;
    }

    private static string Content(string mime, JsonNode? value) => mime switch
    {
        "text/html" => WebUtility.HtmlDecode(Tag().Replace(StyleOrScript().Replace(Text(value), " "), " ")),
        _ when JsonMime().IsMatch(mime) => value?.ToJsonString() ?? "",
        _ => Text(value),
    };

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        null => "",
        _ => node.GetValue<string>(),
    };

    [GeneratedRegex(@"(?m)^\s*(\(\d+,\d+\): )?warning CS\d+:.*$\n?")]
    private static partial Regex CompilerWarning();

    [GeneratedRegex(@"(?s)<(style|script)\b.*?</\1>")]
    private static partial Regex StyleOrScript();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^application/(.*\+)?json$")]
    private static partial Regex JsonMime();

    [GeneratedRegex(@"Wall time: [0-9.]+ms")]
    private static partial Regex WallTime();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
