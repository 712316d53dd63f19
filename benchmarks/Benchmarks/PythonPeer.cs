using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Benchmarks;

/// <summary>
/// One long-lived PyTorch process (benchmarks/pytorch/peer.py) per model: started once, asked
/// "run N" between the C# repetitions so the two sides interleave; it times its own steps.
/// </summary>
internal sealed class PythonPeer : IDisposable
{
    public const string InstallHint = "apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread (Debian 12; run with /usr/bin/python3; without recommends, so no libtorch-dev, whose system libtorch shadows TorchSharp's in .NET Interactive)";

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private PythonPeer(Process process, JsonObject info)
    {
        _process = process;
        Info = info;
    }

    /// <summary>What the peer reported when ready: torch and numpy versions, threads, BLAS.</summary>
    public JsonObject Info { get; }

    /// <summary>Starts the peer for <paramref name="module"/> on the data in <paramref name="dataDir"/>; throws with the reason when it cannot.</summary>
    /// <param name="o">The run's options: interpreter, thread count, allocator and the peer's environment (<see cref="BenchOptions.PeerEnvironment"/>).</param>
    /// <param name="scriptsDir">benchmarks/pytorch.</param>
    /// <param name="module">The workload module (mlp, cnn, ..., matmul).</param>
    /// <param name="dataDir">Where the C# side wrote the arrays and MODULE.json.</param>
    /// <param name="extra">Further environment settings for this peer (the OpenMP wait policy being tried), applied last.</param>
    public static PythonPeer Start(BenchOptions o, string scriptsDir, string module, string dataDir, IReadOnlyDictionary<string, string>? extra = null)
    {
        var python = o.Python;
        var threads = o.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(scriptsDir, "peer.py"));
        start.ArgumentList.Add(module);
        start.ArgumentList.Add(dataDir);
        start.ArgumentList.Add(threads);
        foreach (var (name, value) in extra is null ? o.PeerEnvironment : o.PeerEnvironment.Concat(extra))
        {
            if (value.Length == 0) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {python} ({e.Message}); install the peer: {InstallHint}", e);
        }
        var peer = new PythonPeer(process, []);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (peer._stderr) peer._stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var ready = peer.ReadReply(TimeSpan.FromSeconds(120));
        foreach (var (k, v) in ready) peer.Info[k] = v?.DeepClone();
        return peer;
    }

    /// <summary>Runs <paramref name="steps"/> steps in the peer; returns its reply (with "seconds").</summary>
    public JsonObject Run(int steps, TimeSpan timeout)
    {
        _process.StandardInput.WriteLine($"run {steps}");
        _process.StandardInput.Flush();
        var reply = ReadReply(timeout);
        if (reply["error"] is JsonNode error) throw new InvalidOperationException($"PyTorch peer: {error}");
        return reply;
    }

    private JsonObject ReadReply(TimeSpan timeout)
    {
        var read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(timeout))
            throw new TimeoutException($"PyTorch peer did not answer within {timeout.TotalSeconds:F0} s. {Stderr()}");
        var line = read.Result;
        if (line is null)
        {
            _process.WaitForExit(5000);
            var text = Stderr();
            var hint = text.Contains("No module named 'torch'", StringComparison.Ordinal) ? $" Install it: {InstallHint}." : "";
            throw new InvalidOperationException($"PyTorch peer exited.{hint} {text}");
        }
        return JsonNode.Parse(line) as JsonObject ?? throw new InvalidOperationException($"PyTorch peer said: {line}");
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length > 1500 ? text[^1500..] : text;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("quit");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(5000)) _process.Kill();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
