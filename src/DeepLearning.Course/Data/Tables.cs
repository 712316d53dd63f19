using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Analysis;

namespace DeepLearning.Course.Data;

/// <summary>Loads CSV and JSON tables into Microsoft.Data.Analysis <see cref="DataFrame"/>s.</summary>
/// <remarks>Introduced in chapter 01 (basics), which explores the cars table before fitting a line.</remarks>
public static class Tables
{
    /// <summary>
    /// Loads a CSV file (gzip-compressed or plain) into a <see cref="DataFrame"/>. Column types are guessed from
    /// the first <paramref name="guessRows"/> rows unless given; empty numeric cells become nulls. Numbers use
    /// the invariant culture (a dot as decimal separator) whatever the machine's locale.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="separator">Field separator.</param>
    /// <param name="header">Whether the first row names the columns.</param>
    /// <param name="columnNames">Column names when there is no header.</param>
    /// <param name="columnTypes">Column types (e.g. <c>typeof(double)</c>), or <see langword="null"/> to guess.</param>
    /// <param name="guessRows">Rows used to guess types.</param>
    /// <param name="encoding">Text encoding (UTF-8 by default).</param>
    /// <returns>The table.</returns>
    public static DataFrame LoadCsv(string path, char separator = ',', bool header = true, string[]? columnNames = null, Type[]? columnTypes = null, int guessRows = 1000, Encoding? encoding = null)
    {
        using var stream = DatasetLocation.OpenMaybeGzip(path);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer); // DataFrame.LoadCsv needs a seekable stream
        buffer.Position = 0;
        return DataFrame.LoadCsv(buffer, separator, header, columnNames, columnTypes, -1, guessRows, false, encoding ?? Encoding.UTF8, false, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Loads a JSON array of flat objects (records) into a <see cref="DataFrame"/>: one column per property, in
    /// order of first appearance. A column whose non-null values are all numbers becomes a nullable
    /// <see cref="DoubleDataFrameColumn"/>, all booleans a <see cref="BooleanDataFrameColumn"/>, anything else a
    /// <see cref="StringDataFrameColumn"/>. JSON <c>null</c> and missing properties become nulls.
    /// </summary>
    /// <param name="path">The JSON file (gzip-compressed or plain).</param>
    /// <returns>The table.</returns>
    /// <exception cref="DataFormatException">The file is not an array of objects.</exception>
    public static DataFrame LoadJsonRecords(string path)
    {
        using var stream = DatasetLocation.OpenMaybeGzip(path);
        using var doc = JsonDocument.Parse(stream);
        return FromJsonRecords(doc.RootElement, path);
    }

    /// <summary>Converts a parsed JSON array of objects into a <see cref="DataFrame"/> (see <see cref="LoadJsonRecords"/>).</summary>
    /// <param name="records">The array.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <returns>The table.</returns>
    public static DataFrame FromJsonRecords(JsonElement records, string source = "JSON")
    {
        if (records.ValueKind != JsonValueKind.Array)
            throw new DataFormatException($"{source}: expected a JSON array of records, found {records.ValueKind}.");
        var names = new List<string>();
        var rows = new List<Dictionary<string, JsonElement>>();
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
                throw new DataFormatException($"{source}: record {index} is a {record.ValueKind}, expected an object.");
            var row = new Dictionary<string, JsonElement>();
            foreach (var property in record.EnumerateObject())
            {
                if (!row.ContainsKey(property.Name) && !names.Contains(property.Name)) names.Add(property.Name);
                row[property.Name] = property.Value;
            }
            rows.Add(row);
            index++;
        }
        var columns = new List<DataFrameColumn>();
        foreach (var name in names)
        {
            var values = rows.Select(r => r.TryGetValue(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : (JsonElement?)null).ToArray();
            var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
            if (present.Length > 0 && present.All(v => v.ValueKind == JsonValueKind.Number))
                columns.Add(new DoubleDataFrameColumn(name, values.Select(v => v?.GetDouble())));
            else if (present.Length > 0 && present.All(v => v.ValueKind is JsonValueKind.True or JsonValueKind.False))
                columns.Add(new BooleanDataFrameColumn(name, values.Select(v => v?.GetBoolean())));
            else
                columns.Add(new StringDataFrameColumn(name, values.Select(v => v is null ? null : v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : v.Value.GetRawText())));
        }
        return new DataFrame(columns);
    }
}
