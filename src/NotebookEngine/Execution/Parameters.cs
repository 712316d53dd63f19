using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using NotebookEngine.Documents;

namespace NotebookEngine.Execution;

/// <summary>
/// Papermill-style parameters: the cell tagged <c>parameters</c> keeps its defaults, and an
/// <c>injected-parameters</c> cell inserted right after it (or first, when there is none)
/// redeclares each given name, typed like the original declaration. Names must be C# identifiers (not keywords) and
/// appear once; values become literals of the declared type (strings fully escaped), so neither can inject code. Running
/// an executed notebook again replaces its injected cell instead of adding another, as papermill does.
/// </summary>
public static partial class Parameters
{
    /// <summary>Tag of the cell holding defaults.</summary>
    public const string Tag = "parameters";

    /// <summary>Tag of the inserted cell.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>
    /// Inserts the injected cell into <paramref name="doc"/> (replacing one a previous run injected); returns its index,
    /// or -1 when there are no values.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a C# identifier, a name is given twice, or a value does not fit its declared type.</exception>
    public static int Inject(NotebookDocument doc, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0)
            return -1;
        Validate(values);
        var at = doc.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(Tag));
        var declarations = at >= 0 ? doc.Cells[at].Source : "";
        var lines = new List<string> { "// Parameters" };
        foreach (var (name, value) in values)
            lines.Add(Declaration(declarations, name, value));
        doc.Cells.RemoveAll(c => c.Tags.Contains(InjectedTag));
        at = doc.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(Tag));
        var cell = NotebookCell.CreateCode(string.Join('\n', lines), InjectedTag);
        doc.Cells.Insert(at + 1, cell);
        return at + 1;
    }

    /// <summary>Checks that every name is a C# identifier and appears once.</summary>
    /// <exception cref="ArgumentException">Which name is wrong, and why.</exception>
    public static void Validate(IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in values)
        {
            ValidateName(name);
            if (!seen.Add(name))
                throw new ArgumentException($"parameter {name} is given more than once; give each parameter once");
        }
    }

    /// <summary>Checks that <paramref name="name"/> is a C# identifier that is not a keyword.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one.</exception>
    public static void ValidateName(string name)
    {
        if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            throw new ArgumentException(
                $"parameter name {StringLiteral(name)} is not a C# identifier (letters, digits and _, not starting with a digit, not a keyword)");
        }
    }

    /// <summary>The C# declaration for <paramref name="name"/> = <paramref name="value"/>, typed like its declaration in <paramref name="declarations"/>.</summary>
    public static string Declaration(string declarations, string name, string value)
    {
        ValidateName(name);
        var m = Regex.Match(declarations, $@"(?<type>[\w<>\[\]?.]+)\s+{Regex.Escape(name)}\s*=\s*(?<init>[^;\n]+)\s*;");
        var type = m.Success ? m.Groups["type"].Value : "var";
        var kind = type switch
        {
            "var" or "const" when m.Success => KindOfLiteral(m.Groups["init"].Value.Trim()),
            "var" => KindOfLiteral(LooksLikeLiteral(value)),
            _ => type.TrimEnd('?'),
        };
        var declaredType = type is "const" ? "var" : type;
        return $"{declaredType} {name} = {CheckedLiteral(kind, name, value)};";
    }

    /// <summary>
    /// <paramref name="value"/> converted to <paramref name="type"/> (or the type a nullable one wraps) at run time, exactly as
    /// <see cref="Declaration"/> turns it into a literal of that type: what a program that takes the parameters as
    /// command-line arguments (an exported file-based app) uses, so its variables get the values the injected cell would.
    /// </summary>
    /// <exception cref="ArgumentException">The value does not fit the type, or the type is not bool, a number or string.</exception>
    public static object Value(Type type, string name, string value)
    {
        ValidateName(name);
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var kind = Type.GetTypeCode(underlying) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Int32 => "int",
            TypeCode.Int64 => "long",
            TypeCode.Int16 => "short",
            TypeCode.Byte => "byte",
            TypeCode.Double => "double",
            TypeCode.Single => "float",
            TypeCode.Decimal => "decimal",
            TypeCode.String => "string",
            _ => throw new ArgumentException($"parameter {name} is a {underlying.Name}; only bool, numbers and strings can be given as parameters"),
        };
        if (kind == "string")
            return value;
        // The literal's text, read back as the compiler reads the literal (a float from its own decimal text, not from a double).
        var literal = CheckedLiteral(kind, name, value).TrimEnd('L', 'f', 'm');
        var invariant = CultureInfo.InvariantCulture;
        return kind switch
        {
            "bool" => literal == "true",
            "int" => int.Parse(literal, invariant),
            "long" => long.Parse(literal, invariant),
            "short" => short.Parse(literal, invariant),
            "byte" => byte.Parse(literal, invariant),
            "double" => double.Parse(literal, NumberStyles.Float, invariant),
            "float" => float.Parse(literal, NumberStyles.Float, invariant),
            _ => decimal.Parse(literal, NumberStyles.Float, invariant),
        };
    }

    private static string CheckedLiteral(string kind, string name, string value)
    {
        try
        {
            return Literal(kind, name, value);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"parameter {name} is declared {kind}; '{value}' is not a valid {kind}", e);
        }
    }

    private static string Literal(string kind, string name, string value) =>
        kind switch
        {
            "bool" => ParseBool(value, name),
            "int" => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            "long" => long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L",
            "short" => short.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            "byte" => byte.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
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
        if (!double.IsFinite(d))
            throw new FormatException($"'{value}' is not a finite number");
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

    /// <summary>A C# string literal for <paramref name="value"/>: quotes, backslashes and every control or line-separator character escaped.</summary>
    public static string StringLiteral(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case var other when char.IsControl(other) || char.IsSurrogate(other) || other is '\u2028' or '\u2029' or '\ufeff':
                    text.Append("\\u").Append(((int)other).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }
}
