using System.Text.Json;
using System.Text.RegularExpressions;
using NotebookEngine.Documents;
using NotebookRunner.Run;

namespace NotebookRunner.Site;

/// <summary>
/// An executed notebook as the site needs it: the engine's <see cref="NotebookDocument"/> (cells, sources,
/// outputs, papermill timings, attachments) with a title, a chapter number and the headline metrics it recorded.
/// </summary>
public sealed partial record ExecutedNotebook(string Path, NotebookDocument Document)
{
    /// <summary>Reads an executed notebook; throws <see cref="InvalidDataException"/> naming the file when it is not nbformat 4 JSON.</summary>
    public static ExecutedNotebook Load(string path)
    {
        try
        {
            return new ExecutedNotebook(path, IpynbFormat.Read(File.ReadAllText(path)));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a notebook (invalid JSON: {e.Message})", e);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a notebook ({e.Message})", e);
        }
    }

    /// <summary>The cells, top to bottom.</summary>
    public IReadOnlyList<NotebookCell> Cells => Document.Cells;

    /// <summary>File name without extension, used as the chapter page's name (<c>03-cnn</c> → <c>03-cnn.html</c>).</summary>
    public string Slug => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The leading number of the file name (<c>03-cnn</c> → <c>03</c>), or null.</summary>
    public string? Number => ChapterNumber(Slug);

    internal static string? ChapterNumber(string fileName) => LeadingNumber().Match(fileName) is { Success: true } m ? m.Value : null;

    /// <summary>The first Markdown heading's text, or the file name when there is none.</summary>
    public string Title =>
        Cells.Where(c => c.CellType == "markdown")
             .Select(c => Heading().Match(c.Source))
             .FirstOrDefault(m => m.Success) is { } heading
            ? Markdig.Markdown.ToPlainText(heading.Groups[1].Value).Trim() // "3. *Convolutional* nets" → "3. Convolutional nets"
            : Slug;

    /// <summary>
    /// What the chapter is about, for its card on the landing page: the first paragraph of prose after the title
    /// (plain text) without a closing lead-in to a list ("In this chapter you will:"), or an empty string.
    /// </summary>
    public string Summary
    {
        get
        {
            var paragraph = Cells.Where(c => c.CellType == "markdown" && Heading().IsMatch(c.Source))
                .Select(c => Paragraphs().Split(Heading().Replace(c.Source, "", 1))
                                         .Select(p => p.Trim())
                                         .FirstOrDefault(p => p.Length > 0 && !NotProse().IsMatch(p)))
                .FirstOrDefault();
            var text = paragraph is null ? "" : Markdig.Markdown.ToPlainText(paragraph).ReplaceLineEndings(" ").Trim();
            var lastSentence = text.LastIndexOf(". ", StringComparison.Ordinal);
            return text.EndsWith(':') && lastSentence > 0 ? text[..(lastSentence + 1)] : text;
        }
    }

    /// <summary>The metrics it recorded with what they are (<see cref="MetricsReader.ReadRecords"/>), in order.</summary>
    public IReadOnlyList<RecordedMetric> Records => MetricsReader.ReadRecords(Document);

    /// <summary>True when some cell produced an <c>error</c> output.</summary>
    public bool HasError => Cells.Any(c => c.Outputs.Any(o => (string?)o["output_type"] == "error"));

    /// <summary>Total cell time from the papermill metadata, or null when no cell has it.</summary>
    public double? Seconds => Cells.Any(c => c.DurationSeconds is not null) ? Cells.Sum(c => c.DurationSeconds ?? 0) : null;

    /// <summary>Metrics the notebook recorded (<see cref="MetricsReader"/>); a later record of the same name wins.</summary>
    public IReadOnlyDictionary<string, double> Metrics => MetricsReader.Read(Document);

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex Paragraphs();

    /// <summary>A block that is not a paragraph of prose: a heading, a list, a table, display math, a quote, code, HTML.</summary>
    [GeneratedRegex(@"^(#|[-*+] |\d+\. |\||\$\$|>|```|<)")]
    private static partial Regex NotProse();

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingNumber();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
