using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;

namespace NotebookEngine.Execution;

/// <summary>
/// Error formatting: compile errors and runtime exceptions become nbformat <c>error</c> outputs that name the
/// cell's own lines (debug info is emitted with the cell's label as the file name) and hide Roslyn's scripting frames.
/// </summary>
public static class CellErrors
{
    /// <summary>An nbformat error output.</summary>
    public static JsonObject Output(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray([.. traceback.Select(t => (JsonNode)t)]),
    };

    /// <summary>A <c>CompilationError</c> listing every error as <c>(line,column): error CSnnnn: message</c>.</summary>
    internal static CellFailure Compilation(IEnumerable<Diagnostic> errors)
    {
        var listed = errors.Select(FormatDiagnostic).ToList();
        return new CellFailure("CompilationError", string.Join("\n", listed), listed);
    }

    private static string FormatDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        var file = d.Location.IsInSource && !span.Path.StartsWith("cell", StringComparison.Ordinal) ? Path.GetFileName(span.Path) : "";
        return $"{file}{where}error {d.Id}: {d.GetMessage()}";
    }

    /// <summary>
    /// The failure for an exception a submission labelled <paramref name="label"/> threw: its type and message
    /// (with the cell line it came from), a traceback without scripting frames, and inner exceptions.
    /// </summary>
    internal static CellFailure Runtime(Exception exception, string label)
    {
        if (exception is TargetInvocationException { InnerException: { } unwrapped })
            exception = unwrapped;
        var trace = new List<string> { $"{exception.GetType().FullName}: {exception.Message}" };
        int? cellLine = null;
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var file = frame.GetFileName();
            var type = method?.DeclaringType;
            if (type?.Namespace?.StartsWith("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) == true
                || type?.Namespace?.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal) == true
                || type?.Namespace?.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal) == true)
                continue;
            var name = type is null ? method?.Name ?? "?" : $"{type.FullName}.{method?.Name}";
            if (name.Contains("<<Initialize>>", StringComparison.Ordinal) || name.StartsWith("Submission#", StringComparison.Ordinal))
                name = name.Contains("<<Initialize>>", StringComparison.Ordinal) ? "<cell>" : name[(name.IndexOf('.') + 1)..];
            if (file is not null && frame.GetFileLineNumber() > 0)
            {
                var where = file == label ? "line" : $"{Path.GetFileName(file)}, line";
                trace.Add($"   at {name} ({where} {frame.GetFileLineNumber()})");
                if (file == label)
                    cellLine ??= frame.GetFileLineNumber();
            }
            else
                trace.Add($"   at {name}");
        }
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            trace.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        var message = cellLine is int line ? $"{exception.Message} (cell line {line})" : exception.Message;
        return new CellFailure(exception.GetType().FullName ?? "Exception", message, trace) { Line = cellLine };
    }
}
