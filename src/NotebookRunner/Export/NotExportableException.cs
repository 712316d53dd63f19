namespace NotebookRunner.Export;

/// <summary>A notebook that cannot become a file-based app: which cell, and why.</summary>
/// <param name="where">The cell (<c>cell 12</c>, or <c>kernels/setup.dib, cell 1</c> for an imported one).</param>
/// <param name="reason">What in it has no counterpart in a C# program, and what to do instead.</param>
public sealed class NotExportableException(string where, string reason) : Exception($"{where}: {reason}")
{
    /// <summary>The cell the problem is in.</summary>
    public string Where { get; } = where;

    /// <summary>Why it cannot be exported.</summary>
    public string Reason { get; } = reason;
}
