using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookEngine.Execution;

namespace NotebookKernel;

/// <summary>is_complete, complete and inspect requests, answered with Roslyn against the session's state.</summary>
internal sealed class CodeAssistant(KernelSession session)
{
    /// <summary><c>complete</c> or <c>incomplete</c> (an open brace, a statement without its semicolon...).</summary>
    public static string IsComplete(string code)
    {
        var analyzed = SourceText.BlankDirectives(code);
        if (analyzed.Trim().Length == 0)
            return "complete";
        var tree = CSharpSyntaxTree.ParseText(analyzed, SourceText.ScriptOptions);
        return SyntaxFactory.IsCompleteSubmission(tree) ? "complete" : "incomplete";
    }

    /// <summary>Completions at <paramref name="cursor"/> (a UTF-16 offset): the matches and the span they replace.</summary>
    public (List<string> Matches, int Start, int End) Complete(string code, int cursor)
    {
        var analyzed = SourceText.BlankDirectives(code);
        cursor = Math.Clamp(cursor, 0, analyzed.Length);
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(analyzed[start - 1]) || analyzed[start - 1] == '_'))
            start--;
        var prefix = analyzed[start..cursor];
        var compilation = session.GetCompilation(analyzed);
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();

        IEnumerable<ISymbol> symbols;
        var before = start - 1;
        while (before >= 0 && char.IsWhiteSpace(analyzed[before]))
            before--;
        if (before >= 0 && analyzed[before] == '.')
        {
            var dot = root.FindToken(before);
            symbols = dot.Parent switch
            {
                MemberAccessExpressionSyntax access => MembersOf(model, access.Expression, start),
                QualifiedNameSyntax qualified => MembersOf(model, qualified.Left, start),
                _ => [],
            };
        }
        else
            symbols = model.LookupSymbols(start);

        var matches = symbols
            .Where(s => s.CanBeReferencedByName && !s.IsImplicitlyDeclared)
            .Select(s => s.Name)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .OrderBy(n => !n.StartsWith(prefix, StringComparison.Ordinal))
            .ThenBy(n => n, StringComparer.OrdinalIgnoreCase)
            .Take(500)
            .ToList();
        var end = cursor;
        while (end < analyzed.Length && (char.IsLetterOrDigit(analyzed[end]) || analyzed[end] == '_'))
            end++;
        return (matches, start, end);
    }

    private static IEnumerable<ISymbol> MembersOf(SemanticModel model, ExpressionSyntax left, int position)
    {
        var symbol = model.GetSymbolInfo(left).Symbol;
        if (symbol is INamespaceOrTypeSymbol container && symbol is not ILocalSymbol)
            return model.LookupSymbols(position, container).Where(s => s.IsStatic || s is INamespaceOrTypeSymbol || container is INamespaceSymbol);
        var type = model.GetTypeInfo(left).Type;
        return type is null ? [] : model.LookupSymbols(position, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { IsExtensionMethod: true });
    }

    /// <summary>A text/plain description of the symbol at <paramref name="cursor"/>, or null.</summary>
    public string? Inspect(string code, int cursor)
    {
        var analyzed = SourceText.BlankDirectives(code);
        cursor = Math.Clamp(cursor, 0, analyzed.Length);
        var compilation = session.GetCompilation(analyzed);
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var token = tree.GetRoot().FindToken(cursor > 0 && (cursor == analyzed.Length || !char.IsLetterOrDigit(analyzed[cursor])) ? cursor - 1 : cursor);
        for (var node = token.Parent; node is not null; node = node.Parent)
        {
            var info = model.GetSymbolInfo(node);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node);
            if (symbol is null)
                continue;
            var text = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            if (symbol is ILocalSymbol local)
                text = $"(local) {local.Type.ToDisplayString()} {local.Name}";
            else if (symbol is IFieldSymbol or IPropertySymbol && symbol.ContainingType?.IsScriptClass == true)
                text = $"(variable) {(symbol as IFieldSymbol)?.Type.ToDisplayString() ?? (symbol as IPropertySymbol)!.Type.ToDisplayString()} {symbol.Name}";
            var summary = Summary(symbol.GetDocumentationCommentXml());
            return summary is null ? text : $"{text}\n\n{summary}";
        }
        return null;
    }

    private static string? Summary(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return null;
        try
        {
            return XElement.Parse(xml).Element("summary")?.Value.Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>The completion reply content.</summary>
    public static JsonObject CompleteReply(List<string> matches, int start, int end) => new()
    {
        ["status"] = "ok",
        ["matches"] = new JsonArray([.. matches.Select(m => (JsonNode)m)]),
        ["cursor_start"] = start,
        ["cursor_end"] = end,
        ["metadata"] = new JsonObject(),
    };
}
