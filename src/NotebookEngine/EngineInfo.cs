namespace NotebookEngine;

/// <summary>Identity of the notebook engine.</summary>
public static class EngineInfo
{
    /// <summary>The engine's version.</summary>
    public static string Version =>
        typeof(EngineInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
