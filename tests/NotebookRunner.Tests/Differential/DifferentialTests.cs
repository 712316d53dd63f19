using System.Text.Json;
using System.Text.Json.Nodes;

using NotebookRunner.Tests.Run;

namespace NotebookRunner.Tests.Differential;

/// <summary>
/// The differential suite: every engine semantics fixture runs in the course runner and in Microsoft's .NET
/// Interactive kernel, and their outputs are compared. Each difference is either fixed in the course engine or
/// declared deliberate in <c>deliberate-differences.json</c> (and the README); an undeclared one fails.
/// </summary>
public sealed class DifferentialTests(DifferentialFixture run) : IClassFixture<DifferentialFixture>
{
    private static readonly JsonObject s_allowList =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Differential", "deliberate-differences.json")))!.AsObject();

    private static HashSet<string> Enabled => [.. s_allowList["normalizations"]!.AsObject().Select(p => p.Key)];

    private static List<Difference> Declared => [.. s_allowList["differences"]!.AsArray().Select(d => new Difference(
        d!["fixture"]!.GetValue<string>(), d["where"]!.GetValue<string>(), d["course"]!.GetValue<string>(), d["dotnetInteractive"]!.GetValue<string>()))];

    private (List<Difference> Found, Dictionary<string, int> Fired) Compare()
    {
        Assert.True(run.Missing is null, run.Missing);
        var found = new List<Difference>();
        var fired = new Dictionary<string, int>();
        foreach (var c in DifferentialFixture.Cases)
        {
            Assert.True(run.Course.ContainsKey(c.Fixture), $"the course runner gave no result for {c.Fixture}\n{run.Log}");
            Assert.True(run.Real.ContainsKey(c.Fixture), $".NET Interactive gave no result for {c.Fixture}\n{run.Log}");
            var (courseStatus, course) = run.Course[c.Fixture];
            var (realStatus, real) = run.Real[c.Fixture];
            found.AddRange(OutputComparison.Compare(c.Fixture, courseStatus, course, realStatus, real, Enabled, fired));
        }
        return (found, fired);
    }

    [Fact]
    public void Every_difference_between_the_course_engine_and_dotnet_interactive_is_declared_deliberate()
    {
        // Given every engine fixture executed by the course runner and by Microsoft's .NET Interactive kernel
        // When their outputs are compared after the declared normalizations
        var (found, _) = Compare();

        // Then each remaining difference is listed in deliberate-differences.json, word for word
        var undeclared = found.Except(Declared).ToList();
        Assert.True(undeclared.Count == 0,
            "differences not declared in tests/NotebookRunner.Tests/Differential/deliberate-differences.json (fix the course engine, " +
            "or declare them with a reason, and in the README):\n" +
            string.Join(",\n", undeclared.Select(d => JsonSerializer.Serialize(new { fixture = d.Fixture, where = d.Where, course = d.Course, dotnetInteractive = d.DotNetInteractive, why = "" }))));
    }

    [Fact]
    public void Every_declared_difference_and_normalization_still_occurs()
    {
        // Given the allow-list
        // When both engines' outputs are compared
        var (found, fired) = Compare();

        // Then nothing is declared that no longer happens (a fixed difference leaves the list), and every normalization is known and used
        var stale = Declared.Except(found).ToList();
        Assert.True(stale.Count == 0, "declared differences that no longer occur (remove them from the list and the README):\n" + string.Join("\n", stale));
        foreach (var id in Enabled)
        {
            Assert.Contains(id, OutputComparison.Normalizations);
            Assert.True(fired.GetValueOrDefault(id) > 0, $"normalization '{id}' is declared but changed nothing");
        }
        Assert.All(s_allowList["differences"]!.AsArray(), d => Assert.False(string.IsNullOrWhiteSpace(d!["why"]?.GetValue<string>()), $"no reason given for {d}"));
    }

    [Fact]
    public void Every_engine_fixture_is_in_the_differential_suite()
    {
        // Given the engine's fixture notebooks
        var fixtures = Directory.GetFiles(RunnerFixture.FixtureFolder).Select(Path.GetFileName)
            .Where(f => f!.EndsWith(".ipynb", StringComparison.Ordinal) || f.EndsWith(".dib", StringComparison.Ordinal));

        // Then each one is compared across the two engines
        Assert.Equal(fixtures.Order(), DifferentialFixture.Cases.Select(c => c.Fixture).Order());
    }
}
