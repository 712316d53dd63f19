using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NotebookRunner.Site;

/// <summary>
/// A chapter rendered once, for its page, its table of contents and the search index: the cells as HTML with every
/// Markdown heading given a unique anchor, the h2/h3 headings in order, and the text under each heading.
/// </summary>
public sealed partial record RenderedChapter(string Html, IReadOnlyList<ChapterHeading> Headings, IReadOnlyList<ChapterSection> Sections)
{
    /// <summary>Renders <paramref name="notebook"/>'s cells (<see cref="OutputRenderer.RenderCell"/>) and collects its headings and sections.</summary>
    public static RenderedChapter Of(ExecutedNotebook notebook)
    {
        var html = new StringBuilder();
        var headings = new List<ChapterHeading>();
        var sections = new List<ChapterSection>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var (anchor, heading, text) = ("", notebook.Title, new StringBuilder());

        void Close()
        {
            if (text.Length > 0 || anchor.Length > 0)
                sections.Add(new ChapterSection(anchor, heading, Whitespace().Replace(text.ToString(), " ").Trim()));
            text.Clear();
        }

        foreach (var cell in notebook.Cells)
        {
            var rendered = OutputRenderer.RenderCell(cell);
            if (cell.CellType == "code")
            {
                text.Append(' ').Append(cell.Source);
                html.Append(rendered);
                continue;
            }
            // A Markdown cell: split it at its headings; each h2/h3 starts a section.
            var at = 0;
            foreach (Match m in HeadingTag().Matches(rendered))
            {
                text.Append(' ').Append(PlainText(rendered[at..m.Index]));
                var level = m.Groups["level"].Value[0] - '0';
                var id = Unique(m.Groups["id"].Value, used);
                var title = PlainText(m.Groups["text"].Value);
                html.Append(rendered, at, m.Index - at).Append($"<h{level} id=\"{id}\">{m.Groups["text"].Value}</h{level}>");
                at = m.Index + m.Length;
                if (level is 2 or 3)
                {
                    Close();
                    (anchor, heading) = (id, title);
                    headings.Add(new ChapterHeading(level, id, title));
                }
            }
            text.Append(' ').Append(PlainText(rendered[at..]));
            html.Append(rendered, at, rendered.Length - at);
        }
        Close();
        return new RenderedChapter(html.ToString(), headings, sections);
    }

    /// <summary>Markdig's anchor, or the anchor with <c>-2</c>, <c>-3</c>… when an earlier cell has a heading of the same text.</summary>
    private static string Unique(string id, HashSet<string> used)
    {
        var unique = id.Length > 0 ? id : "section";
        for (var n = 2; !used.Add(unique); n++)
            unique = $"{id}-{n}";
        return unique;
    }

    /// <summary>The text of an HTML fragment: tags dropped, entities decoded.</summary>
    public static string PlainText(string html) => WebUtility.HtmlDecode(Tag().Replace(html, " "));

    /// <summary>A heading as Markdig writes it with its automatic identifiers (<c>&lt;h2 id="why-depth-xor"&gt;…&lt;/h2&gt;</c>).</summary>
    [GeneratedRegex(@"<h(?<level>[1-6]) id=""(?<id>[^""]*)"">(?<text>.*?)</h\k<level>>", RegexOptions.Singleline)]
    private static partial Regex HeadingTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
