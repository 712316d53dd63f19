namespace NotebookRunner.Site;

/// <summary>
/// The words of a chapter between two headings, for search: the heading's anchor (empty for the text before the
/// first heading), the heading's text and the plain text of its prose and code.
/// </summary>
public sealed record ChapterSection(string Anchor, string Heading, string Text);
