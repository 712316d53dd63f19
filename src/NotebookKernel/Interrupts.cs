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

    /// <summary>
    /// Throws <see cref="InsufficientExecutionStackException"/> when the calling thread is close to the end of its stack.
    /// Called at the start of every method, local function and accessor a cell declares: runaway recursion in a
    /// cell then fails the cell instead of overflowing the stack, which .NET cannot survive (the process ends).
    /// </summary>
    public static void CheckStack()
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new InsufficientExecutionStackException(
                "the cell's code recursed too deeply (the stack is nearly full): a method, property or local function probably calls itself without end; the kernel stopped it before the process would have crashed");
    }

    /// <summary>The call inserted at the start of methods, local functions and accessors a cell declares.</summary>
    internal const string StackCall = "global::NotebookKernel.Interrupts.CheckStack();";

    /// <summary>The call inserted into loop bodies.</summary>
    internal const string CheckCall = "global::NotebookKernel.Interrupts.Check();";

    /// <summary>
    /// Inserts <see cref="CheckCall"/> at the start of every loop body in <paramref name="source"/>, and
    /// <see cref="StackCall"/> at the start of every method, local function and accessor it declares, without adding lines. Directive lines are left alone. Returns the source unchanged when it does not parse as C#.
    /// </summary>
    public static string AddLoopChecks(string source)
    {
        var analyzed = SourceText.BlankDirectives(source);
        var tree = CSharpSyntaxTree.ParseText(analyzed, SourceText.ScriptOptions);
        var inserts = new List<(int Position, int Remove, string Text)>();
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
                    inserts.Add((block.OpenBraceToken.Span.End, 0, " " + CheckCall));
            }
            else
            {
                inserts.Add((body.SpanStart, 0, "{ " + CheckCall + " "));
                inserts.Add((body.Span.End, 0, " }"));
            }
        }
        AddStackChecks(tree.GetRoot(), inserts);
        if (inserts.Count == 0)
            return source;
        var text = new StringBuilder(source);
        foreach (var (position, remove, insert) in inserts.OrderByDescending(i => i.Position))
            text.Remove(position, remove).Insert(position, insert);
        return text.ToString();
    }

    /// <summary>
    /// Adds <see cref="StackCall"/> at the start of each method, local function, constructor and accessor body
    /// (block bodies get it after the brace; expression bodies become blocks on the same line). Async members and
    /// lambdas are left alone.
    /// </summary>
    private static void AddStackChecks(SyntaxNode root, List<(int Position, int Remove, string Text)> inserts)
    {
        foreach (var node in root.DescendantNodes())
        {
            var (block, arrow, semicolon, returnsValue, isAsync) = node switch
            {
                MethodDeclarationSyntax m => (m.Body, m.ExpressionBody, m.SemicolonToken, !IsVoid(m.ReturnType), m.Modifiers.Any(SyntaxKind.AsyncKeyword)),
                LocalFunctionStatementSyntax f => (f.Body, f.ExpressionBody, f.SemicolonToken, !IsVoid(f.ReturnType), f.Modifiers.Any(SyntaxKind.AsyncKeyword)),
                ConstructorDeclarationSyntax c => (c.Body, c.ExpressionBody, c.SemicolonToken, false, false),
                AccessorDeclarationSyntax a => (a.Body, a.ExpressionBody, a.SemicolonToken, a.Keyword.IsKind(SyntaxKind.GetKeyword), false),
                PropertyDeclarationSyntax p when p.ExpressionBody is not null => ((BlockSyntax?)null, p.ExpressionBody, p.SemicolonToken, true, false),
                _ => (null, null, default, false, false),
            };
            if (isAsync)
                continue;
            if (block is { OpenBraceToken.IsMissing: false })
                inserts.Add((block.OpenBraceToken.Span.End, 0, " " + StackCall));
            else if (arrow is { IsMissing: false } && !semicolon.IsMissing && semicolon.Span.Length > 0)
            {
                var isProperty = node is PropertyDeclarationSyntax;
                var open = (isProperty ? "{ get " : "") + "{ " + StackCall + (returnsValue && arrow.Expression is not ThrowExpressionSyntax ? " return " : " ");
                // "=> expr;" becomes "{ check; return expr; }" on the same line (the arrow and semicolon replaced).
                inserts.Add((arrow.ArrowToken.SpanStart, arrow.ArrowToken.Span.Length, open));
                inserts.Add((semicolon.SpanStart, semicolon.Span.Length, "; }" + (isProperty ? " }" : "")));
            }
        }
    }

    private static bool IsVoid(TypeSyntax type) => type is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword);
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
