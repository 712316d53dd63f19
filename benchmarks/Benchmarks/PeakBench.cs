using System.Diagnostics;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>The machine's float32 matrix-multiply peak: 2048 x 2048 @ 2048 x 2048 with the run's thread count, through TorchSharp and through PyTorch, interleaved.</summary>
internal static class PeakBench
{
    public const int Size = 2048;

    public static JsonObject Run(BenchOptions o, string scriptsDir, string tempDir, TextWriter log)
    {
        var flops = 2.0 * Size * Size * Size;
        var perRep = o.Smoke ? 1 : o.Quick ? 3 : 6;
        var reps = Math.Max(3, o.Repetitions);
        var torchSharp = new SideResult();
        var pyTorch = new SideResult();
        PythonPeer? peer = null;
        JsonObject? info = null;
        if (o.PyTorch)
        {
            try
            {
                var dir = Path.Combine(tempDir, "matmul");
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "matmul.json"), new JsonObject { ["size"] = Size }.ToJsonString());
                peer = PythonPeer.Start(o, scriptsDir, "matmul", dir);
                peer.Run(o.Smoke ? 1 : 3 * perRep, TimeSpan.FromSeconds(120)); // warm-up, as long as the C# side's
                info = peer.Info;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                pyTorch.Error = e.Message;
                peer?.Dispose();
                peer = null;
            }
        }
        else
        {
            pyTorch.Error = "skipped (--no-pytorch)";
        }
        try
        {
            using var scope = NewDisposeScope();
            var a = randn(Size, Size);
            var b = randn(Size, Size);
            // Warm-up: the first repetitions ran up to 25% slow after only two products (heap and thread pool still settling).
            for (var i = 0; i < (o.Smoke ? 1 : 3 * perRep); i++) a.matmul(b).Dispose();
            for (var rep = 0; rep < reps; rep++)
            {
                if (!o.Smoke) Thread.Sleep(300); // let the peer's OpenBLAS threads stop spinning (see ModelBench.Quiet)
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < perRep; i++) a.matmul(b).Dispose();
                var seconds = clock.Elapsed.TotalSeconds;
                torchSharp.Seconds.Add(seconds);
                torchSharp.Throughput.Add(perRep * flops / seconds / 1e9);
                if (peer is not null)
                {
                    try
                    {
                        Thread.Sleep(300);
                        var s = peer.Run(perRep, TimeSpan.FromSeconds(120))["seconds"]!.GetValue<double>();
                        pyTorch.Seconds.Add(s);
                        pyTorch.Throughput.Add(perRep * flops / s / 1e9);
                    }
                    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
                    {
                        pyTorch.Error = e.Message;
                        peer.Dispose();
                        peer = null;
                    }
                }
            }
        }
        finally
        {
            peer?.Dispose();
        }
        log.WriteLine($"  peak: TorchSharp {torchSharp.Median:F1} GFLOP/s, PyTorch {(pyTorch.Throughput.Count > 0 ? pyTorch.Median.ToString("F1") : "-")} GFLOP/s");
        return new JsonObject
        {
            ["size"] = Size,
            ["threads"] = o.Threads,
            ["matmulsPerRepetition"] = perRep,
            ["torchsharpGFlops"] = Summary(torchSharp),
            ["pytorchGFlops"] = Summary(pyTorch),
            ["pytorchPeer"] = info?.DeepClone(),
        };
    }

    private static JsonObject Summary(SideResult side) => new()
    {
        ["median"] = SideResult.Round(side.Median),
        ["best"] = side.Throughput.Count > 0 ? SideResult.Round(side.Throughput.Max()) : null,
        ["samples"] = new JsonArray([.. side.Throughput.Select(t => (JsonNode?)SideResult.Round(t))]),
        ["error"] = side.Error,
    };
}
