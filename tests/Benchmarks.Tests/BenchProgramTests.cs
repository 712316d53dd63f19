using System.Text.Json.Nodes;

namespace Benchmarks.Tests;

public class BenchProgramTests
{
    [Fact]
    public void A_smoke_run_measures_the_mlp_three_ways_and_writes_the_json_and_latest()
    {
        // Given an empty output folder
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When the benchmark runs in smoke mode on the MLP alone (C# sides only: the PyTorch peer is a Debian package CI does not install)
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--smoke", "--only", "mlp", "--no-pytorch", "--output", output], log);

            // Then it succeeds, writes a timestamped file and an identical latest.json, and prints the table
            Assert.True(exit == 0, log.ToString());
            var files = Directory.GetFiles(output, "*.json").Select(Path.GetFileName).ToArray();
            Assert.Contains("latest.json", files);
            var stamped = Assert.Single(files, f => f != "latest.json");
            Assert.Equal(File.ReadAllText(Path.Combine(output, "latest.json")), File.ReadAllText(Path.Combine(output, stamped!)));
            Assert.Contains("Training throughput", log.ToString());

            // And the JSON holds one measured repetition per C# side, the skipped peer, the Trainer overhead and a flat live-tensor count
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!;
            Assert.Equal(1, json["settings"]!["repetitions"]!.GetValue<int>());
            var mlp = Assert.Single(json["models"]!.AsArray())!;
            Assert.Equal("mlp", mlp["name"]!.GetValue<string>());
            Assert.Equal("ok", mlp["status"]!.GetValue<string>());
            foreach (var side in new[] { "library", "hand" })
            {
                var throughput = Assert.Single(mlp[side]!["throughput"]!.AsArray())!.GetValue<double>();
                Assert.True(throughput > 0, $"{side} throughput {throughput}");
            }
            Assert.Empty(mlp["pytorch"]!["throughput"]!.AsArray());
            Assert.Contains("--no-pytorch", mlp["pytorch"]!["error"]!.GetValue<string>());
            Assert.NotNull(mlp["trainerOverhead"]);
            Assert.Equal(0, mlp["liveTensorGrowth"]!.GetValue<long>());
            Assert.True(mlp["forwardFlopsPerStep"]!.GetValue<double>() > 0);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void Unknown_sections_are_refused_with_the_list_of_known_ones()
    {
        // Given a misspelt model name
        var log = new StringWriter();

        // When the program parses it
        var exit = BenchProgram.Run(["--only", "mlp,lenet"], log);

        // Then it stops before measuring anything and names what it knows
        Assert.Equal(2, exit);
        Assert.Contains("unknown in --only: lenet", log.ToString());
        Assert.Contains("dcgan", log.ToString());
    }
}
