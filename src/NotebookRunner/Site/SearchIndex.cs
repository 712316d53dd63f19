using System.Text.Json;

namespace NotebookRunner.Site;

/// <summary>
/// <c>search-index.js</c>: every section of every chapter (<see cref="RenderedChapter.Sections"/>: the chapter, the
/// heading, its anchor and the plain text of its prose and code) as a script that sets
/// <c>window.courseSearchDocuments</c>. A script, not JSON, because a page opened from a file:// URL may load
/// scripts beside it but may not <c>fetch()</c> them; <c>site.js</c> indexes the documents with the bundled
/// MiniSearch when the reader first types into the search box and shows the best sections as links to their headings.
/// </summary>
public static class SearchIndex
{
    /// <summary>The script's file name in the site.</summary>
    public const string FileName = "search-index.js";

    /// <summary>One searchable section: <c>url</c> is the chapter page with the heading's anchor.</summary>
    public sealed record Document(int Id, string Url, string Chapter, string Section, string Text);

    /// <summary>The documents of <paramref name="chapters"/> (parallel to <paramref name="notebooks"/>), in order.</summary>
    public static IReadOnlyList<Document> Documents(IReadOnlyList<ExecutedNotebook> notebooks, IReadOnlyList<RenderedChapter> chapters) =>
        notebooks.Zip(chapters)
                 .SelectMany(pair => pair.Second.Sections.Select(section => (Notebook: pair.First, Section: section)))
                 .Select((s, i) => new Document(i, $"{s.Notebook.Slug}.html" + (s.Section.Anchor.Length > 0 ? "#" + s.Section.Anchor : ""),
                                                s.Notebook.Title, s.Section.Heading, s.Section.Text))
                 .ToList();

    /// <summary>The script.</summary>
    public static string Script(IReadOnlyList<ExecutedNotebook> notebooks, IReadOnlyList<RenderedChapter> chapters) =>
        "// Written by the site renderer (NotebookRunner render): the sections the search box searches.\n"
        + $"window.courseSearchDocuments = {JsonSerializer.Serialize(Documents(notebooks, chapters), Options)};\n";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
