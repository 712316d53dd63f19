using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepLearning.Course.Visualization;

namespace DeepLearning.Course.Formatting;

/// <summary>
/// Writes plotly objects as JSON the way Plotly.NET (Newtonsoft.Json) did, so figures are byte-for-byte
/// what they were: doubles round-trip with a decimal point (<c>1.0</c>, <c>1E-07</c>), NaN and infinities
/// as strings, non-ASCII text unescaped, only quotes, backslashes and control characters escaped.
/// </summary>
internal static class PlotlyJson
{
    public static string Write(object? value)
    {
        var json = new StringBuilder();
        WriteValue(json, value);
        return json.ToString();
    }

    private static void WriteValue(StringBuilder json, object? value)
    {
        switch (value)
        {
            case null:
                json.Append("null");
                break;
            case string s:
                WriteString(json, s);
                break;
            case char c:
                WriteString(json, c.ToString());
                break;
            case bool b:
                json.Append(b ? "true" : "false");
                break;
            case double d:
                WriteFloating(json, d, d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                WriteFloating(json, f, f.ToString("R", CultureInfo.InvariantCulture));
                break;
            case decimal m:
                WriteFloating(json, 0, m.ToString(CultureInfo.InvariantCulture));
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                json.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case Enum e:
                WriteString(json, e.ToString());
                break;
            case JsonElement element:
                json.Append(element.GetRawText());
                break;
            case JsonNode node:
                json.Append(node.ToJsonString());
                break;
            case PlotlyObject o:
                WriteObject(json, o);
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs: // Dictionary<string, object> in insertion order
                WriteObject(json, pairs);
                break;
            case IDictionary dictionary:
                WriteObject(json, Entries(dictionary));
                break;
            case IEnumerable items:
                json.Append('[');
                var first = true;
                foreach (var item in items)
                {
                    if (!first) json.Append(',');
                    first = false;
                    WriteValue(json, item);
                }
                json.Append(']');
                break;
            default:
                throw new ArgumentException($"a plotly attribute cannot hold a {value.GetType()}: use strings, numbers, booleans, arrays, dictionaries or PlotlyObject");
        }
    }

    private static void WriteObject(StringBuilder json, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        json.Append('{');
        var first = true;
        foreach (var (name, value) in attributes)
        {
            if (!first) json.Append(',');
            first = false;
            WriteString(json, name);
            json.Append(':');
            WriteValue(json, value);
        }
        json.Append('}');
    }

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
            yield return new(Convert.ToString(entries.Key, CultureInfo.InvariantCulture) ?? "", entries.Value);
    }

    private static void WriteFloating(StringBuilder json, double value, string text)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            WriteString(json, text); // "NaN", "Infinity", "-Infinity" (the invariant culture's symbols)
            return;
        }
        json.Append(text);
        if (text.IndexOfAny(['.', 'E', 'e']) < 0) json.Append(".0");
    }

    private static void WriteString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case < ' ' or '\u0085' or '\u2028' or '\u2029':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
}
