using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookEngine.Execution;

namespace NotebookKernel;

/// <summary>Thrown into a running cell when the frontend interrupts it (Jupyter's <c>KeyboardInterrupt</c>).</summary>
public sealed class KeyboardInterruptException() : Exception("the cell was interrupted");

/// <summary>
/// Cooperative interruption of a running cell. .NET cannot abort a thread, so the kernel makes the
/// cell's own code check: every loop body in a cell gets a call to <see cref="Check"/> (inserted on
/// the same line, so line numbers stay the cell's), and every console write or display from the cell
/// checks too. A cell blocked elsewhere (a long native call, library code that neither loops in the
/// cell nor writes) is abandoned after a grace period instead; see <see cref="JupyterKernel.InterruptGrace"/>.
/// </summary>
public static class Interrupts
{
    private static readonly AsyncLocal<Execution?> s_current = new();
    private static volatile Execution? s_fallback;

    /// <summary>The execution the calling code belongs to.</summary>
    internal static Execution? Current => s_current.Value ?? s_fallback;

    /// <summary>Throws <see cref="KeyboardInterruptException"/> when the calling cell was interrupted. Called by rewritten cell code.</summary>
    public static void Check()
    {
        if (Current is { Interrupted: true })
            throw new KeyboardInterruptException();
    }

    internal static void Enter(Execution execution)
    {
        s_current.Value = execution;
        s_fallback = execution;
    }

    /// <summary>The call inserted into loop bodies.</summary>
    internal const string CheckCall = "global::NotebookKernel.Interrupts.Check();";

    /// <summary>
    /// Inserts <see cref="CheckCall"/> at the start of every loop body in <paramref name="source"/>,
    /// without adding lines. Directive lines are left alone. Returns the source unchanged when it does not parse as C#.
    /// </summary>
    public static string AddLoopChecks(string source)
    {
        var analyzed = SourceText.BlankDirectives(source);
        var tree = CSharpSyntaxTree.ParseText(analyzed, SourceText.ScriptOptions);
        var inserts = new List<(int Position, string Text)>();
        foreach (var loop in tree.GetRoot().DescendantNodes().Where(n => n is ForStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax or WhileStatementSyntax or DoStatementSyntax))
        {
            var body = loop switch
            {
                ForStatementSyntax f => f.Statement,
                CommonForEachStatementSyntax f => f.Statement,
                WhileStatementSyntax w => w.Statement,
                DoStatementSyntax d => d.Statement,
                _ => null,
            };
            if (body is null || body.IsMissing)
                continue;
            if (body is BlockSyntax block)
            {
                if (!block.OpenBraceToken.IsMissing)
                    inserts.Add((block.OpenBraceToken.Span.End, " " + CheckCall));
            }
            else
            {
                inserts.Add((body.SpanStart, "{ " + CheckCall + " "));
                inserts.Add((body.Span.End, " }"));
            }
        }
        if (inserts.Count == 0)
            return source;
        var text = new StringBuilder(source);
        foreach (var (position, insert) in inserts.OrderByDescending(i => i.Position))
            text.Insert(position, insert);
        return text.ToString();
    }
}

/// <summary>One execute request as the kernel runs it.</summary>
internal sealed class Execution(JupyterMessage request)
{
    public JupyterMessage Request { get; } = request;

    public volatile bool Interrupted;

    public volatile bool Abandoned;

    public bool Silent { get; init; }

    public int Count { get; init; }

    public CancellationTokenSource Cancellation { get; } = new();
}

/// <summary>Helpers to analyse cell text with Roslyn as the engine would compile it.</summary>
internal static class SourceText
{
    public static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    /// <summary>The cell with its directive lines (<c>#r</c>, <c>#!time</c>, ...) replaced by spaces: same length, same positions.</summary>
    public static string BlankDirectives(string source)
    {
        var lines = source.Split('\n');
        var (_, code) = Directives.Parse(source);
        var codeLines = code.Split('\n');
        if (codeLines.Length != lines.Length)
            return source;
        for (var i = 0; i < lines.Length; i++)
        {
            var original = lines[i].TrimEnd('\r');
            if (codeLines[i].Length == 0 && original.Trim().Length > 0)
                lines[i] = new string(' ', lines[i].Length);
            else if (original.TrimStart().StartsWith("#!", StringComparison.Ordinal))
                lines[i] = new string(' ', lines[i].Length);
        }
        return string.Join('\n', lines);
    }
}
