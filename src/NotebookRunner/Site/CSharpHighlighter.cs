using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NotebookRunner.Site;

/// <summary>
/// Light C# highlighting for code cells: comments, strings, keywords, numbers and directives
/// (<c>#r</c>, <c>#!import</c>) get a <c>span</c> class; everything is HTML-escaped.
/// </summary>
public static partial class CSharpHighlighter
{
    public static string Highlight(string source)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match token in Token().Matches(source))
        {
            html.Append(WebUtility.HtmlEncode(source[at..token.Index]));
            var kind = token.Groups["comment"].Success ? "comment"
                : token.Groups["directive"].Success ? "directive"
                : token.Groups["string"].Success ? "string"
                : token.Groups["number"].Success ? "number"
                : "keyword";
            html.Append($"<span class=\"{kind}\">{WebUtility.HtmlEncode(token.Value)}</span>");
            at = token.Index + token.Length;
        }
        return html.Append(WebUtility.HtmlEncode(source[at..])).ToString();
    }

    [GeneratedRegex("""
        (?<comment>//[^\n]*|/\*.*?\*/)
        |(?<directive>^[ \t]*\#[!a-z][^\n]*)
        |(?<string>\$?@"(?:[^"]|"")*"|\$?"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)')
        |(?<number>\b\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[fFdDmMlLuU]?\b)
        |\b(?:abstract|as|async|await|base|bool|break|byte|case|catch|char|class|const|continue|decimal|default|do|double|else|enum|false|finally|float|for|foreach|if|in|init|int|interface|internal|is|long|namespace|new|null|object|out|override|params|private|protected|public|readonly|record|ref|return|sealed|short|static|string|struct|switch|this|throw|true|try|typeof|uint|ulong|using|var|virtual|void|when|where|while|with|yield)\b
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Token();
}
