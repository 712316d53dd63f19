namespace NotebookRunner.Site;

/// <summary>A heading of a chapter page: its level (2 or 3), its anchor on the page and its text.</summary>
public sealed record ChapterHeading(int Level, string Anchor, string Text);
