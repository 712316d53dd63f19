using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace NotebookKernel;

/// <summary>
/// The process Jupyter starts. It holds the frontend's five sockets for the whole session and runs the kernel
/// itself (<see cref="JupyterKernel"/>) in a worker process, forwarding messages both ways. .NET cannot survive a
/// native abort (a libtorch error that TorchSharp lets escape, such as <c>matmul</c> with shapes that cannot be
/// multiplied) or a stack overflow: when the worker dies, the supervisor answers the request it was running with a
/// <see cref="CrashedName"/> error saying why and that every variable is lost, answers the requests queued behind it
/// (<c>aborted</c>), and starts a fresh worker. The frontend's connection, heartbeat and kernel process stay.
/// </summary>
/// <remarks>
/// Signatures and replays are checked here, before forwarding, so a message replayed after a restart is still refused
/// (the worker checks again). The worker connects to private loopback endpoints bound here; its iopub is a PUSH socket,
/// so nothing it publishes is lost while it connects. A worker that dies before answering anything, with no cell
/// running, counts as a failed start; after <see cref="MaxFailedStarts"/> in a row the supervisor gives up (exit 1).
/// </remarks>
public sealed class KernelSupervisor : IDisposable
{
    /// <summary>The <c>ename</c> of the error a cell gets when the worker died while running it.</summary>
    public const string CrashedName = "KernelCrashed";

    /// <summary>How many workers in a row may die before answering anything (with no cell running) before the supervisor gives up.</summary>
    public const int MaxFailedStarts = 3;

    private static readonly TimeSpan s_shutdownGrace = TimeSpan.FromSeconds(5);

    private readonly ConnectionInfo _connection;
    private readonly Func<string, ProcessStartInfo> _workerStart;
    private readonly MessageSigner _signer;
    private readonly ReplayGuard _replays = new();
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly TextWriter _log;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQPoller _poller = [];
    private readonly NetMQQueue<Action> _events = new();
    private readonly NetMQTimer _tick = new(TimeSpan.FromMilliseconds(20));
    private readonly List<Pending> _pending = [];
    private readonly Queue<(Channel Channel, NetMQMessage Message)> _outbox = new();
    private readonly Stopwatch _sinceShutdown = new();
    private readonly int? _parent = ParentProcess.Id();
    private Worker? _worker;
    private JupyterMessage? _lastExecute;
    private int _executionCount;
    private int _failedStarts;
    private int _exitCode;
    private bool _stopped;
    private bool _shutdownRequested;

    /// <summary>Binds the sockets named in <paramref name="connection"/>.</summary>
    /// <param name="connection">The frontend's connection file.</param>
    /// <param name="workerStart">
    /// The command that runs a worker for a private connection file (a <see cref="JupyterKernel"/> with <c>worker: true</c>);
    /// its stderr is read here (echoed to <paramref name="log"/> and kept to say why the worker died).
    /// </param>
    /// <param name="log">Where log lines go (default: stderr, which Jupyter keeps in its log).</param>
    public KernelSupervisor(ConnectionInfo connection, Func<string, ProcessStartInfo> workerStart, TextWriter? log = null)
    {
        _connection = connection;
        _workerStart = workerStart;
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        _log = TextWriter.Synchronized(log ?? Console.Error);
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
            socket.Options.Linger = TimeSpan.FromSeconds(1);
        _shell.Bind(connection.Address(connection.ShellPort));
        _control.Bind(connection.Address(connection.ControlPort));
        _stdin.Bind(connection.Address(connection.StdinPort));
        _iopub.Bind(connection.Address(connection.IOPubPort));
        _heartbeat.Bind(connection.Address(connection.HeartbeatPort));
    }

    private enum Channel
    {
        Shell,
        Control,
        Stdin,
    }

    /// <summary>A request forwarded to the worker and not answered yet (<see cref="Internal"/>: sent by the supervisor itself).</summary>
    private sealed record Pending(Channel Channel, JupyterMessage Request, bool Internal = false)
    {
        public string Id => Request.Header["msg_id"]?.ToString() ?? "";
    }

    /// <summary>One worker process and the private sockets it connects to.</summary>
    private sealed class Worker : IDisposable
    {
        public DealerSocket Shell { get; } = new();
        public DealerSocket Control { get; } = new();
        public DealerSocket Stdin { get; } = new();
        public PullSocket IOPub { get; } = new();
        public required string Folder { get; init; }
        public Process? Process { get; set; }
        public CrashReport Crash { get; } = new();
        public bool Answered { get; set; }

        public DealerSocket Socket(Channel channel) => channel switch
        {
            Channel.Shell => Shell,
            Channel.Control => Control,
            _ => Stdin,
        };

        public IEnumerable<NetMQSocket> Sockets => [Shell, Control, Stdin, IOPub];

        public void Dispose()
        {
            foreach (var socket in Sockets)
                socket.Dispose();
            Process?.Dispose();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Serves until a shutdown request (or the parent's death); returns the process exit code.</summary>
    public int Run()
    {
        Console.CancelKeyPress += (_, e) =>
        {
            // SIGINT (Jupyter's signal interrupt mode, or Ctrl+C): the worker gets it as an interrupt_request.
            e.Cancel = true;
            _events.Enqueue(Interrupt);
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillWorker(_worker);
        _shell.ReceiveReady += (_, e) => FromFrontend(Channel.Shell, e.Socket);
        _control.ReceiveReady += (_, e) => FromFrontend(Channel.Control, e.Socket);
        _stdin.ReceiveReady += (_, e) => FromFrontend(Channel.Stdin, e.Socket);
        _heartbeat.ReceiveReady += (_, e) => Echo(e.Socket);
        _events.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero))
                action();
        };
        var lastParentCheck = Stopwatch.StartNew();
        _tick.Elapsed += (_, _) =>
        {
            Flush();
            if (_sinceShutdown.Elapsed > s_shutdownGrace && _worker is not null)
            {
                _log.WriteLine($"[kernel] the worker did not exit within {s_shutdownGrace.TotalSeconds:0} s of the shutdown request; killing it");
                KillWorker(_worker);
                _sinceShutdown.Reset();
            }
            if (lastParentCheck.Elapsed > TimeSpan.FromSeconds(1))
            {
                lastParentCheck.Restart();
                if (_parent is > 1 && ParentProcess.Id() != _parent)
                {
                    _log.WriteLine("[kernel] the parent process is gone; shutting down");
                    Stop(0);
                }
            }
        };
        foreach (var pollable in new ISocketPollable[] { _shell, _control, _stdin, _heartbeat, _events })
            _poller.Add(pollable);
        _poller.Add(_tick);
        if (!StartWorker())
            return 1;
        _poller.Run();
        KillWorker(_worker);
        _worker?.Dispose();
        _worker = null;
        return _exitCode;
    }

    private void Stop(int exitCode)
    {
        if (_stopped)
            return;
        _stopped = true;
        _exitCode = exitCode;
        _poller.Stop();
    }

    private bool StartWorker()
    {
        var worker = new Worker { Folder = Directory.CreateTempSubdirectory("nbkernel-").FullName };
        foreach (var socket in worker.Sockets)
            socket.Options.Linger = TimeSpan.Zero;
        int Bind(NetMQSocket socket) => socket.BindRandomPort("tcp://127.0.0.1");
        var ports = new[] { Bind(worker.Shell), Bind(worker.Control), Bind(worker.Stdin), Bind(worker.IOPub) };
        var file = Path.Combine(worker.Folder, "connection.json");
        // Same key (the worker signs what the frontend reads); the folder is the user's only (0700), as Jupyter's runtime files.
        // hb_port is not used by a worker (the supervisor answers heartbeats): any port distinct from the others.
        var info = _connection with
        {
            Transport = "tcp", Ip = "127.0.0.1", ShellPort = ports[0], ControlPort = ports[1], StdinPort = ports[2], IOPubPort = ports[3],
            HeartbeatPort = Enumerable.Range(1, 5).First(p => !ports.Contains(p)),
        };
        File.WriteAllText(file, JsonSerializer.Serialize(info));
        worker.Shell.ReceiveReady += (_, e) => FromWorker(worker, Channel.Shell, e.Socket);
        worker.Control.ReceiveReady += (_, e) => FromWorker(worker, Channel.Control, e.Socket);
        worker.Stdin.ReceiveReady += (_, e) => FromWorker(worker, Channel.Stdin, e.Socket);
        worker.IOPub.ReceiveReady += (_, e) => Publish(worker, e.Socket);
        foreach (var socket in worker.Sockets)
            _poller.Add(socket);

        var start = _workerStart(file);
        start.UseShellExecute = false;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _log.WriteLine($"[kernel] cannot start the kernel's worker process ({start.FileName}): {e.Message}");
            process.Dispose();
            RemoveWorker(worker);
            return false;
        }
        worker.Process = process;
        _worker = worker;
        _executionCount = 0;
        var stderr = Task.Run(async () =>
        {
            try
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    worker.Crash.Observe(line);
                    _log.WriteLine(line);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        });
        process.Exited += (_, _) => Task.Run(async () =>
        {
            // A process a cell started may still hold the pipe: read what is there, never wait on it.
            await Task.WhenAny(stderr, Task.Delay(2000));
            try
            {
                _events.Enqueue(() => OnWorkerExit(worker));
            }
            catch (ObjectDisposedException)
            {
                // the supervisor has ended
            }
        });
        _log.WriteLine($"[kernel] worker process {process.Id} started");
        return true;
    }

    private void RemoveWorker(Worker worker)
    {
        foreach (var socket in worker.Sockets)
            _poller.Remove(socket);
        worker.Dispose();
    }

    private static void KillWorker(Worker? worker)
    {
        try
        {
            if (worker?.Process is { HasExited: false } process)
                process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
        }
    }

    /// <summary>A message from the frontend: checked (signature, replay), remembered while unanswered, forwarded to the worker.</summary>
    private void FromFrontend(Channel channel, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            JupyterMessage message;
            try
            {
                message = JupyterMessage.Parse(frames, _signer);
            }
            catch (Exception e) when (e is InvalidDataException or JsonException or InvalidOperationException)
            {
                _log.WriteLine($"[kernel] rejected a message on {Name(channel)}: {e.Message}");
                continue;
            }
            if (!_replays.FirstTime(message.Signature))
            {
                _log.WriteLine($"[kernel] rejected a replayed {message.MessageType} on {Name(channel)} (its signature was seen before)");
                continue;
            }
            if (channel != Channel.Stdin && message.MessageType.EndsWith("_request", StringComparison.Ordinal))
            {
                _pending.Add(new Pending(channel, message));
                if (message.MessageType == "execute_request")
                    _lastExecute = message;
                if (message.MessageType == "shutdown_request" && !_shutdownRequested)
                {
                    _shutdownRequested = true;
                    _sinceShutdown.Start();
                }
            }
            Forward(channel, ToMessage(frames));
        }
    }

    private static string Name(Channel channel) => channel.ToString().ToLowerInvariant();

    private static NetMQMessage ToMessage(List<byte[]> frames)
    {
        var message = new NetMQMessage();
        foreach (var frame in frames)
            message.Append(frame);
        return message;
    }

    /// <summary>Sends to the worker, or keeps it (in order) until a worker is connected.</summary>
    private void Forward(Channel channel, NetMQMessage message)
    {
        if (_outbox.Count > 0 || _worker is null || !_worker.Socket(channel).TrySendMultipartMessage(message))
            _outbox.Enqueue((channel, message));
    }

    private void Flush()
    {
        while (_worker is not null && _outbox.TryPeek(out var next) && _worker.Socket(next.Channel).TrySendMultipartMessage(next.Message))
            _outbox.Dequeue();
    }

    /// <summary>A reply from the worker: the request is answered; forwarded to the frontend unless the supervisor asked.</summary>
    private void FromWorker(Worker worker, Channel channel, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            worker.Answered = true;
            if (channel != Channel.Stdin && TryParse(frames) is { } reply
                && _pending.FindIndex(p => p.Channel == channel && p.Id == reply.ParentHeader["msg_id"]?.ToString()) is var at and >= 0)
            {
                var answered = _pending[at];
                _pending.RemoveAt(at);
                if (answered.Internal)
                    continue;
            }
            Frontend(channel).SendMultipartMessage(ToMessage(frames));
        }
    }

    private RouterSocket Frontend(Channel channel) => channel switch
    {
        Channel.Shell => _shell,
        Channel.Control => _control,
        _ => _stdin,
    };

    private JupyterMessage? TryParse(List<byte[]> frames)
    {
        try
        {
            return JupyterMessage.Parse(frames, _signer);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or InvalidOperationException)
        {
            _log.WriteLine($"[kernel] the worker sent a message that does not parse: {e.Message}");
            return null;
        }
    }

    /// <summary>An iopub message of the worker, published to the frontend as it is (its execution count noted).</summary>
    private void Publish(Worker worker, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            if (frames.Count > 0 && Encoding.UTF8.GetString(frames[0]).EndsWith(".execute_input", StringComparison.Ordinal)
                && TryParse(frames)?.Content["execution_count"] is JsonValue count && count.TryGetValue<int>(out var n))
                _executionCount = n;
            _iopub.SendMultipartMessage(ToMessage(frames));
        }
    }

    private static void Echo(NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        if (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
            socket.SendMultipartMessage(ToMessage(frames));
    }

    /// <summary>Interrupts the running cell: an interrupt_request of the supervisor's own to the worker.</summary>
    private void Interrupt()
    {
        var request = JupyterMessage.Create("interrupt_request", [], null, _session);
        _pending.Add(new Pending(Channel.Control, request, Internal: true));
        Forward(Channel.Control, request.ToFrames(_signer));
    }

    private void OnWorkerExit(Worker worker)
    {
        if (worker != _worker)
            return;
        var code = worker.Process!.ExitCode;
        _worker = null;
        RemoveWorker(worker);
        // Requests queued for the dead worker are answered below; none of them may reach the next one.
        var queued = _outbox.Count;
        _outbox.Clear();
        if (_shutdownRequested || _stopped)
        {
            foreach (var pending in _pending.Where(p => p.Request.MessageType == "shutdown_request" && !p.Internal))
                Reply(pending, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = pending.Request.Content["restart"]?.DeepClone() ?? false });
            _pending.Clear();
            Stop(0);
            return;
        }
        var running = _pending.Any(p => p.Channel == Channel.Shell && p.Request.MessageType == "execute_request" && !p.Internal);
        _log.WriteLine($"[kernel] the worker process ended (exit code {code}){(worker.Crash.Reason(code) is { } reason ? ": " + reason : "")}; "
            + $"{_pending.Count(p => !p.Internal) + queued} request(s) answered for it; starting a new worker");
        AnswerLost(worker.Crash, code);
        _failedStarts = worker.Answered || running ? 0 : _failedStarts + 1;
        if (_failedStarts >= MaxFailedStarts)
        {
            _log.WriteLine($"[kernel] the worker process died {_failedStarts} times in a row before answering a request; giving up");
            Stop(1);
            return;
        }
        if (!StartWorker())
            Stop(1);
    }

    /// <summary>
    /// Answers what the dead worker left unanswered: the request it was running gets <see cref="CrashedName"/> (and an
    /// <c>error</c> on iopub), those queued behind it <c>aborted</c>; with nothing running, the last cell gets a stderr note.
    /// </summary>
    private void AnswerLost(CrashReport crash, int exitCode)
    {
        var lost = _pending.Where(p => !p.Internal).ToList();
        _pending.Clear();
        var first = true;
        foreach (var pending in lost.Where(p => p.Channel == Channel.Shell))
        {
            var request = pending.Request;
            var reply = request.MessageType[..^"_request".Length] + "_reply";
            if (first)
            {
                var message = crash.CellMessage(exitCode, running: true);
                var error = new JsonObject { ["ename"] = CrashedName, ["evalue"] = message, ["traceback"] = new JsonArray(message) };
                if (request.MessageType == "execute_request" && !IsSilent(request))
                    Publish("error", (JsonObject)error.DeepClone(), request);
                error["status"] = "error";
                if (request.MessageType == "execute_request")
                    error["execution_count"] = _executionCount;
                Reply(pending, reply, error);
            }
            else
            {
                Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
                Reply(pending, reply, new JsonObject { ["status"] = "aborted" });
            }
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
            first = false;
        }
        foreach (var pending in lost.Where(p => p.Channel == Channel.Control))
        {
            var message = crash.CellMessage(exitCode, running: false);
            Reply(pending, pending.Request.MessageType[..^"_request".Length] + "_reply", pending.Request.MessageType == "interrupt_request"
                ? new JsonObject { ["status"] = "ok" }
                : new JsonObject { ["status"] = "error", ["ename"] = CrashedName, ["evalue"] = message, ["traceback"] = new JsonArray(message) });
        }
        if (first)
            Publish("stream", new JsonObject { ["name"] = "stderr", ["text"] = crash.CellMessage(exitCode, running: false) + "\n" }, _lastExecute);
    }

    private static bool IsSilent(JupyterMessage request) => request.Content["silent"] is JsonValue v && v.TryGetValue<bool>(out var silent) && silent;

    private void Reply(Pending pending, string type, JsonObject content) =>
        Frontend(pending.Channel).SendMultipartMessage(JupyterMessage.Create(type, content, pending.Request, _session).ToFrames(_signer));

    private void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        _iopub.SendMultipartMessage(JupyterMessage.Create(type, content, parent, _session, [Encoding.UTF8.GetBytes($"kernel.{_session}.{type}")]).ToFrames(_signer));

    /// <inheritdoc />
    public void Dispose()
    {
        KillWorker(_worker);
        _worker?.Dispose();
        _poller.Dispose();
        _events.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
            socket.Dispose();
        NetMQConfig.Cleanup(block: true);
    }
}
