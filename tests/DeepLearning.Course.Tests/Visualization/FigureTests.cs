using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using DeepLearning.Course.Data;
using DeepLearning.Course.Formatting;
using DeepLearning.Course.Visualization;

namespace DeepLearning.Course.Tests.Visualization;

public class FigureTests
{
    private static readonly string Recorded = Path.Combine(DatasetPaths.FindRepositoryRoot(AppContext.BaseDirectory)!, "tests", "fixtures", "plotly-net-figures");

    public static TheoryData<string> Cases() => [.. ChartCases.All().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_chart_writes_the_figure_json_plotly_net_wrote(string name)
    {
        // Given the JSON Plotly.NET 6.0.0 wrote for this chart call (traces, layout, its default template, config)
        var expected = File.ReadAllText(Path.Combine(Recorded, name + ".json"));
        // When the course's figure type draws the same call
        var actual = PlotlyHtml.ToJson((Figure)ChartCases.All().Single(c => c.Name == name).Build());
        // Then the JSON is the same, byte for byte
        var at = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], Math.Min(expected.Length, actual.Length));
        Assert.True(expected == actual, $"{name}: differs at {at}:\n expected …{Around(expected, at)}…\n actual   …{Around(actual, at)}…");
    }

    [Fact]
    public void The_library_and_everything_it_loads_are_free_of_fsharp()
    {
        // Given the library's assembly references, followed through every assembly beside it in the test output
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<(string Name, string Path)>([("DeepLearning.Course", "DeepLearning.Course")]);
        var reached = new List<string>();
        while (pending.TryDequeue(out var next))
        {
            var file = Path.Combine(AppContext.BaseDirectory, next.Name + ".dll");
            if (!seen.Add(next.Name) || !File.Exists(file)) continue;
            reached.Add(next.Path);
            using var pe = new PEReader(File.OpenRead(file));
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
                pending.Enqueue((reference, next.Path + " -> " + reference));
            }
        }
        // Then none of them is FSharp.Core (a host such as .NET Interactive carries its own, and cannot load a second)
        Assert.Contains(reached, p => p.EndsWith("-> TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain(reached, p => p.Contains("FSharp.Core", StringComparison.Ordinal) || p.Contains("Plotly.NET", StringComparison.Ordinal));
    }

    [Fact]
    public void Setting_an_attribute_again_keeps_its_place_and_unusual_values_are_written_as_plotly_net_did()
    {
        // Given a trace with a few attributes
        var trace = new PlotlyObject().SetProperty("type", "scatter").SetProperty("y", new[] { double.NaN, double.PositiveInfinity, 1e-7, -0.0, 3 })
            .SetProperty("name", "tab\tand \u0001");
        // When one is set again
        trace.SetProperty("type", "bar");
        // Then it keeps its place, and NaN/infinity, tiny numbers, -0 and control characters are written as Newtonsoft.Json wrote them
        Assert.Equal(["type", "y", "name"], trace.Names);
        Assert.Equal("{\"type\":\"bar\",\"y\":[\"NaN\",\"Infinity\",1E-07,-0.0,3.0],\"name\":\"tab\\tand \\u0001\"}", trace.ToJson());
        Assert.Equal("bar", trace["type"]);
        Assert.Throws<KeyNotFoundException>(() => trace["mode"]);
        Assert.Throws<ArgumentException>(() => trace.SetProperty("x", new object()).ToJson());
    }

    [Fact]
    public void A_figure_describes_itself_in_one_line_and_a_new_figure_is_responsive()
    {
        // Given a figure made by hand from two traces and a string title
        var figure = new Figure([new PlotlyObject().SetProperty("type", "bar"), new PlotlyObject()], new PlotlyObject().SetProperty("title", "Counts"));
        // Then its text names trace kinds (plotly.js's default is scatter) and the title, and its config is responsive
        Assert.Equal("Plotly chart: 2 traces (bar, scatter) \"Counts\"", figure.ToString());
        Assert.Equal("{\"data\":[{\"type\":\"bar\"},{}],\"layout\":{\"title\":\"Counts\"},\"config\":{\"responsive\":true}}", figure.ToJson());
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 60), Math.Min(120, text.Length - Math.Max(0, at - 60)));
}
