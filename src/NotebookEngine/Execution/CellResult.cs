using System.Text.Json.Nodes;

namespace NotebookEngine.Execution;

/// <summary>The outcome of one cell.</summary>
/// <param name="Succeeded">False when the cell produced an error output.</param>
/// <param name="Outputs">nbformat outputs, in order (display outputs still carry <c>transient</c>).</param>
/// <param name="ExecutionCount">The execution count given to this cell.</param>
/// <param name="ErrorName">The error's name (exception type, <c>CompilationError</c>, ...), when it failed.</param>
/// <param name="ErrorValue">The error's message, when it failed.</param>
/// <param name="Duration">Wall time of the cell.</param>
public sealed record CellResult(bool Succeeded, List<JsonObject> Outputs, int ExecutionCount, string? ErrorName, string? ErrorValue, TimeSpan Duration);
