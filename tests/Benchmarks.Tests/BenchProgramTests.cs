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

            // And it counts what each side leaves for the .NET finalizer: TorchSharp's Adam a native scalar per parameter
            // and operation (six parameter tensors), the library's optimizer none (a few objects per Fit call remain)
            var libraryLeft = mlp["library"]!["finalizablePerStep"]!.GetValue<double>();
            var handLeft = mlp["hand"]!["finalizablePerStep"]!.GetValue<double>();
            Assert.True(handLeft >= 6 * 7, $"hand-written loop with optim.Adam: {handLeft} per step");
            Assert.True(libraryLeft < 6, $"library: {libraryLeft} per step");

            // And it says how the native allocator ran (Course.Setup tunes it) and what the peer would have been given
            Assert.Equal("malloc tuned", json["settings"]!["allocator"]!.GetValue<string>());
            Assert.Equal("0", json["settings"]!["peerEnvironment"]!["MALLOC_MMAP_MAX_"]!.GetValue<string>());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData(0.0131, "+1.3")]
    [InlineData(-0.0004, "0.0")]
    [InlineData(0.0004, "0.0")]
    [InlineData(-0.629, "-62.9")]
    public void Percentages_are_signed_and_never_print_a_negative_zero(double fraction, string expected) =>
        Assert.Equal(expected, Table.Pct(fraction));

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

    [Fact]
    public void The_peer_gets_the_thread_budget_the_allocator_settings_and_overrides()
    {
        // Given default options
        var o = BenchOptions.Parse(["--threads", "3"], TextWriter.Null)!;
        // Then the peer is told the thread count for both of its pools and the library's malloc thresholds,
        // and each model tries libgomp's default wait policy and PASSIVE
        Assert.Equal("3", o.PeerEnvironment["OMP_NUM_THREADS"]);
        Assert.Equal("3", o.PeerEnvironment["OPENBLAS_NUM_THREADS"]);
        Assert.Equal("0", o.PeerEnvironment["MALLOC_MMAP_MAX_"]);
        Assert.Equal("268435456", o.PeerEnvironment["MALLOC_TRIM_THRESHOLD_"]);
        Assert.Equal(["", "PASSIVE"], o.PeerWaitPolicies);

        // When glibc's defaults are asked for and a wait policy is fixed
        var d = BenchOptions.Parse(["--default-malloc", "--peer-env", "OMP_WAIT_POLICY=PASSIVE", "--peer-env", "FOO=a=b"], TextWriter.Null)!;
        // Then the malloc variables are removed (empty value), the policy is not tried both ways, and values may hold '='
        Assert.True(d.DefaultMalloc);
        Assert.Equal("", d.PeerEnvironment["MALLOC_MMAP_MAX_"]);
        Assert.Equal("PASSIVE", d.PeerEnvironment["OMP_WAIT_POLICY"]);
        Assert.Equal("a=b", d.PeerEnvironment["FOO"]);
        Assert.Empty(d.PeerWaitPolicies);

        // And the hand-written loops use TorchSharp's stock optimizers unless the course's are asked for
        Assert.False(d.HandCourseOptimizer);
        Assert.True(BenchOptions.Parse(["--hand-optimizer", "course"], TextWriter.Null)!.HandCourseOptimizer);
    }

    [Theory]
    [InlineData("--peer-env", "NOVALUE", "--peer-env takes NAME=VALUE")]
    [InlineData("--peer-env", "=x", "--peer-env takes NAME=VALUE")]
    [InlineData("--chapters", "some", "--chapters takes quick, full or both")]
    [InlineData("--hand-optimizer", "adam", "--hand-optimizer takes stock or course, not 'adam'")]
    public void Malformed_options_are_refused_with_the_reason(string option, string value, string reason)
    {
        var log = new StringWriter();
        Assert.Equal(2, BenchProgram.Run([option, value], log));
        Assert.Contains(reason, log.ToString());
    }

    [Fact]
    public void Quick_and_full_chapter_runs_merge_into_one_list_with_their_modes()
    {
        // Given the chapter results of a quick and of a full run
        static JsonObject Run(string mode) => new()
        {
            ["source"] = $"NotebookRunner run (this benchmark, {mode} mode)",
            ["notebooks"] = new JsonArray(new JsonObject { ["path"] = "notebooks/01-ml-basics.ipynb", ["mode"] = mode, ["seconds"] = 1.0 }),
        };
        // When they are merged
        var merged = EngineBench.MergeChapters(EngineBench.MergeChapters(null, Run("quick")), Run("full"));
        // Then both rows are there, in order, under one source
        var modes = merged["notebooks"]!.AsArray().Select(n => n!["mode"]!.GetValue<string>()).ToArray();
        Assert.Equal(["quick", "full"], modes);
        Assert.Contains("quick and full", merged["source"]!.GetValue<string>());
    }
}
