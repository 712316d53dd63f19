namespace NotebookEngine.Tests;

public class EngineInfoTests
{
    [Fact]
    public void Engine_reports_a_version() => Assert.Matches(@"^\d+\.\d+\.\d+$", EngineInfo.Version);
}
