using System.Globalization;
using System.Text.RegularExpressions;
using NotebookEngine.Documents;

namespace NotebookEngine.Execution;

/// <summary>
/// Papermill-style parameters: the cell tagged <c>parameters</c> keeps its defaults, and an
/// <c>injected-parameters</c> cell inserted right after it (or first, when there is none)
/// redeclares each given name, typed like the original declaration.
/// </summary>
public static partial class Parameters
{
    /// <summary>Tag of the cell holding defaults.</summary>
    public const string Tag = "parameters";

    /// <summary>Tag of the inserted cell.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Inserts the injected cell into <paramref name="doc"/>; returns its index, or -1 when there are no values.</summary>
    public static int Inject(NotebookDocument doc, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0)
            return -1;
        var at = doc.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(Tag));
        var declarations = at >= 0 ? doc.Cells[at].Source : "";
        var lines = new List<string> { "// Parameters" };
        foreach (var (name, value) in values)
            lines.Add(Declaration(declarations, name, value));
        var cell = NotebookCell.CreateCode(string.Join('\n', lines), InjectedTag);
        doc.Cells.Insert(at + 1, cell);
        return at + 1;
    }

    /// <summary>The C# declaration for <paramref name="name"/> = <paramref name="value"/>, typed like its declaration in <paramref name="declarations"/>.</summary>
    public static string Declaration(string declarations, string name, string value)
    {
        var m = Regex.Match(declarations, $@"(?<type>[\w<>\[\]?.]+)\s+{Regex.Escape(name)}\s*=\s*(?<init>[^;\n]+)\s*;");
        var type = m.Success ? m.Groups["type"].Value : "var";
        var kind = type switch
        {
            "var" or "const" when m.Success => KindOfLiteral(m.Groups["init"].Value.Trim()),
            "var" => KindOfLiteral(LooksLikeLiteral(value)),
            _ => type.TrimEnd('?'),
        };
        string literal;
        try
        {
            literal = Literal(kind, name, value);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"parameter {name} is declared {kind}; '{value}' is not a valid {kind}", e);
        }
        var declaredType = type is "const" ? "var" : type;
        return $"{declaredType} {name} = {literal};";
    }

    private static string Literal(string kind, string name, string value) =>
        kind switch
        {
            "bool" => ParseBool(value, name),
            "int" or "long" or "short" or "byte" => long.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            "double" => FormatDouble(value, ""),
            "float" => FormatDouble(value, "f"),
            "decimal" => FormatDouble(value, "m"),
            _ => StringLiteral(value),
        };

    private static string ParseBool(string value, string name) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => "true",
        "false" or "0" or "no" => "false",
        _ => throw new ArgumentException($"parameter {name} is a bool; '{value}' is not true or false"),
    };

    private static string FormatDouble(string value, string suffix)
    {
        var d = double.Parse(value.TrimEnd('f', 'F', 'd', 'D', 'm', 'M'), NumberStyles.Float, CultureInfo.InvariantCulture);
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        if (suffix.Length == 0 && !text.Contains('.') && !text.Contains('E'))
            text += ".0";
        return text + suffix;
    }

    private static string LooksLikeLiteral(string value)
    {
        if (value is "true" or "false")
            return value;
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            return value;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return value.Contains('.') ? value : value + ".0";
        return "\"\"";
    }

    private static string KindOfLiteral(string init)
    {
        if (init is "true" or "false")
            return "bool";
        if (init.StartsWith('"') || init.StartsWith("@\"", StringComparison.Ordinal) || init.StartsWith("$\"", StringComparison.Ordinal))
            return "string";
        if (Regex.IsMatch(init, @"^-?\d+[lL]$"))
            return "long";
        if (Regex.IsMatch(init, @"^-?\d+$"))
            return "int";
        if (Regex.IsMatch(init, @"^-?[\d.]+([eE][-+]?\d+)?[fF]$"))
            return "float";
        if (Regex.IsMatch(init, @"^-?[\d.]+([eE][-+]?\d+)?[mM]$"))
            return "decimal";
        if (Regex.IsMatch(init, @"^-?[\d.]+([eE][-+]?\d+)?[dD]?$"))
            return "double";
        return "string";
    }

    /// <summary>A C# string literal for <paramref name="value"/>.</summary>
    public static string StringLiteral(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "\"";
}
