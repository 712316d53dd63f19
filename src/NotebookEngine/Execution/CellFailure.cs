namespace NotebookEngine.Execution;

/// <summary>A cell failure with the error output's name, message and traceback (see <see cref="CellErrors"/>).</summary>
internal sealed class CellFailure(string errorName, string message, IReadOnlyList<string>? traceback = null) : Exception(message)
{
    public string ErrorName { get; } = errorName;

    public IReadOnlyList<string> Traceback { get; } = traceback ?? [message];

    public int? Line { get; init; }
}
