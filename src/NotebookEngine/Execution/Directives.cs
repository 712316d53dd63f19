using System.Text;
using System.Text.RegularExpressions;

namespace NotebookEngine.Execution;

/// <summary>A directive found at the start of a line in a C# cell.</summary>
/// <param name="Kind"><c>r</c>, <c>i</c>, <c>load</c>, <c>import</c>, <c>time</c>, or <c>magic</c> (unsupported).</param>
/// <param name="Argument">The directive's argument without quotes.</param>
/// <param name="Line">1-based line in the cell.</param>
public sealed record Directive(string Kind, string Argument, int Line);

/// <summary>
/// Splits a C# cell into its directives and its code. Directive lines anywhere in the cell are
/// hoisted (run before the code, as Polyglot does) and replaced by empty lines, so the code's line
/// numbers stay the cell's own.
/// </summary>
public static partial class Directives
{
    /// <summary>Kernel names Polyglot knows; a <c>#!name</c> line with one of them switches kernel.</summary>
    public static readonly IReadOnlySet<string> KernelNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "csharp", "c#", "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md",
        "sql", "kql", "mermaid", "value", "http", "python", "r",
    };

    /// <summary>A directive's path: as given when rooted, else relative to <paramref name="workingDirectory"/> (the notebook's folder).</summary>
    public static string ResolvePath(string path, string workingDirectory) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(workingDirectory, path));

    /// <summary>Parses a cell into directives and code (same line count as the cell).</summary>
    public static (List<Directive> Directives, string Code) Parse(string source)
    {
        var found = new List<Directive>();
        var code = new StringBuilder();
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var directive = ParseLine(lines[i].Trim(), i + 1);
            if (directive is not null)
                found.Add(directive);
            code.Append(directive is null ? lines[i] : "");
            if (i < lines.Length - 1)
                code.Append('\n');
        }
        return (found, code.ToString());
    }

    private static Directive? ParseLine(string line, int number)
    {
        if (!line.StartsWith('#'))
            return null;
        var m = Pattern().Match(line);
        if (!m.Success)
            return null;
        var kind = m.Groups["kind"].Value;
        var argument = m.Groups["arg"].Value.Trim();
        if (argument.Length >= 2 && argument[0] == '"' && argument[^1] == '"')
            argument = argument[1..^1];
        return kind switch
        {
            "r" or "i" or "load" => new Directive(kind, argument, number),
            "!import" => new Directive("import", argument, number),
            "!time" => new Directive("time", argument, number),
            _ when kind.StartsWith('!') && KernelNames.Contains(kind[1..]) => new Directive("kernel", kind[1..], number),
            _ when kind.StartsWith('!') => new Directive("magic", kind[1..], number),
            _ => null,
        };
    }

    [GeneratedRegex(@"^#(?<kind>r|i|load|![A-Za-z#][\w#\-]*)(?:\s+(?<arg>.*))?$")]
    private static partial Regex Pattern();

    /// <summary>Parses <c>nuget: Name, Version</c> (version optional).</summary>
    public static bool TryParseNuGet(string argument, out string name, out string? version)
    {
        name = "";
        version = null;
        if (!argument.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            return false;
        var parts = argument["nuget:".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            return false;
        name = parts[0];
        version = parts.Length > 1 ? parts[1] : null;
        return true;
    }
}
