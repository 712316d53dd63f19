using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;
using NetMQ;
using NetMQ.Sockets;
using NotebookEngine;
using NotebookEngine.Execution;

namespace NotebookKernel;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) for C#, on the course's notebook engine: the shell,
/// control, stdin, iopub and heartbeat sockets, HMAC-signed messages, and one
/// <see cref="KernelSession"/> whose state carries from cell to cell.
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    /// <summary>How long an interrupted cell may take to stop by itself before it is abandoned.</summary>
    public static TimeSpan InterruptGrace { get; set; } = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    private readonly ConnectionInfo _connection;
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly KernelSession _kernelSession;
    private readonly CodeAssistant _assistant;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly NetMQSocket _iopub;
    private readonly ResponseSocket? _heartbeat;
    private readonly Lock _iopubGate = new();
    private readonly Task _ready;
    private readonly TextWriter _log;
    private readonly ReplayGuard _replays = new();
    private volatile bool _stopping;
    private volatile Execution? _running;
    private volatile Execution? _last;
    private int _executionCount;
    private bool _loopChecks;

    /// <summary>Binds the sockets named in <paramref name="connection"/> and starts warming up the engine.</summary>
    /// <param name="connection">The frontend's connection file, or (<paramref name="worker"/>) the supervisor's private one.</param>
    /// <param name="log">Where the kernel's own log lines go (default: the real stderr).</param>
    /// <param name="worker">
    /// Runs as the worker of a <see cref="KernelSupervisor"/>: connects to its endpoints instead of binding,
    /// sends iopub messages on a PUSH socket (queued until connected, so none is lost), and leaves the heartbeat to it.
    /// </param>
    public JupyterKernel(ConnectionInfo connection, TextWriter? log = null, bool worker = false)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        _log = log ?? ConsoleCapture.RealError;
        _iopub = worker ? new PushSocket() : new PublisherSocket();
        _heartbeat = worker ? null : new ResponseSocket();
        foreach (var socket in Sockets)
            socket.Options.Linger = TimeSpan.FromSeconds(1);
        foreach (var (socket, port) in new (NetMQSocket?, int)[] { (_shell, connection.ShellPort), (_control, connection.ControlPort), (_stdin, connection.StdinPort), (_iopub, connection.IOPubPort), (_heartbeat, connection.HeartbeatPort) })
        {
            if (socket is null)
                continue;
            if (worker)
                socket.Connect(connection.Address(port));
            else
                socket.Bind(connection.Address(port));
        }
        _kernelSession = new KernelSession();
        _kernelSession.OutputChanged += OnOutput;
        _assistant = new CodeAssistant(_kernelSession);
        _ready = Task.Run(WarmUpAsync);
    }

    private IEnumerable<NetMQSocket> Sockets => new NetMQSocket?[] { _shell, _control, _stdin, _iopub, _heartbeat }.OfType<NetMQSocket>();

    /// <summary>Serves until a shutdown request; returns the process exit code.</summary>
    public int Run()
    {
        // No input_request support (allow_stdin): Console.ReadLine in a cell reads end-of-input instead of hanging.
        Console.SetIn(TextReader.Null);
        AppDomain.CurrentDomain.UnhandledException += (_, e) => ReportDying(e.ExceptionObject);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Interrupt();
        };
        List<Thread> threads =
        [
            new Thread(() => Serve(_shell, "shell")) { IsBackground = true, Name = "shell" },
            new Thread(() => Serve(_control, "control")) { IsBackground = true, Name = "control" },
            new Thread(WatchParent) { IsBackground = true, Name = "parent watch" },
        ];
        if (_heartbeat is { } heartbeat)
            threads.Add(new Thread(() => Heartbeat(heartbeat)) { IsBackground = true, Name = "heartbeat" });
        foreach (var t in threads)
            t.Start();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        foreach (var t in threads)
            t.Join();
        return 0;
    }

    private async Task WarmUpAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Cells call Interrupts.Check from their loops (see Interrupts.AddLoopChecks): reference this assembly.
            var location = typeof(Interrupts).Assembly.Location;
            if (location.Length > 0)
            {
                var r = await _kernelSession.ExecuteAsync($"#r \"{location}\"");
                _loopChecks = r.Succeeded;
                if (!r.Succeeded)
                    _log.WriteLine($"[kernel] interrupt checks disabled: {r.ErrorValue}");
            }
            await _kernelSession.WarmUpAsync();
            // The first display pays for the formatters' start-up; pay it here, before the first cell.
            var compiled = clock.Elapsed;
            MimeBundle.Format(0, null);
            _log.WriteLine($"[kernel] engine warm in {clock.Elapsed.TotalSeconds:0.00} s (references + first compile {compiled.TotalSeconds:0.00} s, formatters {(clock.Elapsed - compiled).TotalSeconds:0.00} s)");
        }
        catch (Exception e)
        {
            _log.WriteLine($"[kernel] warm-up failed: {e}");
        }
    }

    private void Serve(RouterSocket socket, string channel)
    {
        var frames = new List<byte[]>();
        while (!_stopping)
        {
            if (!socket.TryReceiveMultipartBytes(s_poll, ref frames))
                continue;
            JupyterMessage message;
            try
            {
                message = JupyterMessage.Parse(frames, _signer);
            }
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
            {
                _log.WriteLine($"[kernel] rejected a message on {channel}: {e.Message}");
                continue;
            }
            if (!_replays.FirstTime(message.Signature))
            {
                _log.WriteLine($"[kernel] rejected a replayed {message.MessageType} on {channel} (its signature was seen before)");
                continue;
            }
            try
            {
                Handle(socket, channel, message);
            }
            catch (Exception e)
            {
                // Never let one request end the serving thread (that would end the kernel).
                _log.WriteLine($"[kernel] error handling {message.MessageType} on {channel}: {e}");
            }
        }
    }

    private void Handle(RouterSocket socket, string channel, JupyterMessage request)
    {
        var type = request.MessageType;
        if (channel == "control")
        {
            switch (type)
            {
                case "interrupt_request":
                    Interrupt();
                    Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    return;
                case "shutdown_request":
                    Shutdown(socket, request);
                    return;
                case "kernel_info_request":
                    Reply(socket, request, "kernel_info_reply", KernelInfo());
                    return;
                default:
                    _log.WriteLine($"[kernel] unsupported control message {type}");
                    ReplyUnsupported(socket, request);
                    return;
            }
        }

        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            switch (type)
            {
                case "kernel_info_request":
                    Reply(socket, request, "kernel_info_reply", KernelInfo());
                    break;
                case "execute_request":
                    Execute(socket, request);
                    break;
                case "is_complete_request":
                    var status = CodeAssistant.IsComplete(request.Text("code"));
                    Reply(socket, request, "is_complete_reply", status == "incomplete"
                        ? new JsonObject { ["status"] = status, ["indent"] = "" }
                        : new JsonObject { ["status"] = status });
                    break;
                case "complete_request":
                    Complete(socket, request);
                    break;
                case "inspect_request":
                    Inspect(socket, request);
                    break;
                case "comm_info_request":
                    Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                    break;
                case "history_request":
                    Reply(socket, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                    break;
                case "shutdown_request":
                    Shutdown(socket, request);
                    break;
                case "comm_open" or "comm_msg" or "comm_close":
                    break;
                default:
                    _log.WriteLine($"[kernel] unsupported shell message {type}");
                    ReplyUnsupported(socket, request);
                    break;
            }
        }
        catch (Exception e)
        {
            // Every request gets a reply, so a frontend never waits forever: an error reply naming the fault.
            _log.WriteLine($"[kernel] {type} failed: {e.Message}");
            if (type.EndsWith("_request", StringComparison.Ordinal))
                ReplyError(socket, request, e is MalformedRequestException ? "MalformedRequest" : e.GetType().Name, e.Message);
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    private void ReplyUnsupported(RouterSocket socket, JupyterMessage request)
    {
        if (request.MessageType.EndsWith("_request", StringComparison.Ordinal))
            ReplyError(socket, request, "UnsupportedRequest", $"this kernel does not handle {request.MessageType}");
    }

    /// <summary>An error reply to <paramref name="request"/> (<c>x_request</c> → <c>x_reply</c>, status error).</summary>
    private void ReplyError(RouterSocket socket, JupyterMessage request, string name, string value)
    {
        var type = request.MessageType[..^"_request".Length] + "_reply";
        var content = new JsonObject { ["status"] = "error", ["ename"] = name, ["evalue"] = value, ["traceback"] = new JsonArray(value) };
        if (type == "execute_reply")
            content["execution_count"] = _executionCount;
        Reply(socket, request, type, content);
    }

    private JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "deeplearning-course-csharp",
        ["implementation_version"] = EngineInfo.Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#",
            ["version"] = LanguageVersionFacts.MapSpecifiedToEffectiveVersion(LanguageVersion.Latest).ToDisplayString(),
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"C# (deeplearning-course notebook engine {EngineInfo.Version}, .NET {Environment.Version})",
        ["help_links"] = new JsonArray(),
    };

    private void Execute(RouterSocket socket, JupyterMessage request)
    {
        var code = request.Text("code");
        var silent = request.Flag("silent", false);
        var storeHistory = request.Flag("store_history", true) && !silent;
        var count = storeHistory ? Interlocked.Increment(ref _executionCount) : _executionCount;
        if (!silent)
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        var execution = new Execution(request) { Silent = silent, Count = count };
        _last = execution;
        _running = execution; // an interrupt while the engine is still warming up cancels this cell before it starts
        _ready.Wait();
        var source = _loopChecks && !IsOtherKernel(code) ? Interrupts.AddLoopChecks(code) : code;
        var done = new TaskCompletionSource<CellResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Interrupts.Enter(execution);
            SynchronizationContext.SetSynchronizationContext(new CellSynchronizationContext(e => ReportBackground(execution, e)));
            try
            {
                done.TrySetResult(_kernelSession.ExecuteAsync(source, null, execution.Cancellation.Token).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, 16 * 1024 * 1024) { IsBackground = true, Name = $"cell {count}" };
        if (execution.Interrupted)
            done.TrySetException(new OperationCanceledException());
        else
            thread.Start();

        // Wait for the cell; once interrupted, give it a grace period to stop, then abandon it.
        var finished = done.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!finished.Wait(s_poll))
        {
            if (execution.Interrupted && !finished.Wait(InterruptGrace))
            {
                execution.Abandoned = true;
                _log.WriteLine($"[kernel] cell {count} did not stop within {InterruptGrace.TotalSeconds:0.#} s of the interrupt; abandoned (its thread may keep running)");
                break;
            }
        }
        _running = null;

        JsonObject reply;
        if (execution.Interrupted && (!done.Task.IsCompletedSuccessfully || !done.Task.Result.Succeeded))
        {
            var traceback = done.Task.IsCompletedSuccessfully
                ? ErrorOf(done.Task.Result)?["traceback"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? []
                : [];
            if (traceback.Count == 0 || execution.Abandoned)
                traceback = [execution.Abandoned
                    ? "KeyboardInterrupt: the cell did not stop by itself and was abandoned (code outside the cell's own loops cannot be stopped in .NET); its state is not kept"
                    : "KeyboardInterrupt: the cell was interrupted"];
            reply = Error("KeyboardInterrupt", "the cell was interrupted", traceback, count, request, silent);
        }
        else if (done.Task.Exception is { } failure)
        {
            var e = failure.GetBaseException();
            reply = Error(e.GetType().FullName ?? "Exception", e.Message, [e.ToString()], count, request, silent);
        }
        else if (!done.Task.Result.Succeeded)
        {
            var error = ErrorOf(done.Task.Result);
            reply = Error(done.Task.Result.ErrorName ?? "Error", done.Task.Result.ErrorValue ?? "",
                error?["traceback"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [], count, request, silent);
        }
        else
            reply = new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() };
        Reply(socket, request, "execute_reply", reply);
    }

    private static bool IsOtherKernel(string code)
    {
        var first = code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return first.StartsWith("#!", StringComparison.Ordinal) && Directives.KernelNames.Contains(first[2..])
            && first[2..].ToLowerInvariant() is not ("csharp" or "c#");
    }

    private static JsonObject? ErrorOf(CellResult result) =>
        result.Outputs.LastOrDefault(o => o["output_type"]?.GetValue<string>() == "error");

    private JsonObject Error(string name, string value, List<string> traceback, int count, JupyterMessage request, bool silent)
    {
        var tb = new JsonArray([.. traceback.Select(t => (JsonNode)t)]);
        if (!silent)
            Publish("error", new JsonObject { ["ename"] = name, ["evalue"] = value, ["traceback"] = tb.DeepClone() }, request);
        return new JsonObject { ["status"] = "error", ["execution_count"] = count, ["ename"] = name, ["evalue"] = value, ["traceback"] = tb };
    }

    /// <summary>Publishes a running cell's outputs as they happen; interrupts the cell when it writes or displays after an interrupt.</summary>
    private void OnOutput(OutputEvent e)
    {
        var execution = Interrupts.Current;
        if (execution is null)
            return;
        var kind = e.Output["output_type"]?.GetValue<string>();
        if (execution.Interrupted && kind is "stream" or "display_data")
            throw new KeyboardInterruptException();
        if (execution.Silent || execution.Abandoned)
            return;
        var request = execution.Request;
        switch (kind)
        {
            case "stream":
                // A stream event carries only the text that write added (the engine keeps the whole stream).
                var delta = e.Output["text"]?.GetValue<string>() ?? "";
                if (delta.Length > 0)
                    Publish("stream", new JsonObject { ["name"] = e.Output["name"]?.GetValue<string>() ?? "stdout", ["text"] = delta }, request);
                break;
            case "display_data":
                var content = new JsonObject
                {
                    ["data"] = e.Output["data"]?.DeepClone(),
                    ["metadata"] = e.Output["metadata"]?.DeepClone() ?? new JsonObject(),
                    ["transient"] = e.Output["transient"]?.DeepClone() ?? new JsonObject(),
                };
                var updated = e.Kind == "updated" && e.Output["transient"]?["display_id"] is not null;
                Publish(updated ? "update_display_data" : "display_data", content, request);
                break;
            case "execute_result":
                Publish("execute_result", new JsonObject
                {
                    ["data"] = e.Output["data"]?.DeepClone(),
                    ["metadata"] = e.Output["metadata"]?.DeepClone() ?? new JsonObject(),
                    ["execution_count"] = execution.Count,
                }, request);
                break;
        }
    }

    private void Complete(RouterSocket socket, JupyterMessage request)
    {
        var code = request.Text("code");
        var cursor = CodePoints.ToUtf16(code, request.Count("cursor_pos", code.Length));
        var (matches, start, end) = _ready.IsCompleted ? _assistant.Complete(code, cursor) : ([], cursor, cursor);
        Reply(socket, request, "complete_reply", CodeAssistant.CompleteReply(matches, CodePoints.FromUtf16(code, start), CodePoints.FromUtf16(code, end)));
    }

    private void Inspect(RouterSocket socket, JupyterMessage request)
    {
        var code = request.Text("code");
        var cursor = CodePoints.ToUtf16(code, request.Count("cursor_pos", code.Length));
        var text = _ready.IsCompleted ? _assistant.Inspect(code, cursor) : null;
        Reply(socket, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text },
            ["metadata"] = new JsonObject(),
        });
    }

    /// <summary>An exception that escaped an <c>async void</c> method of a cell: shown under that cell as stderr; the kernel goes on.</summary>
    private void ReportBackground(Execution execution, Exception e)
    {
        _log.WriteLine($"[kernel] cell {execution.Count}: an async void method threw: {e}");
        Publish("stream", new JsonObject
        {
            ["name"] = "stderr",
            ["text"] = $"An exception escaped an async void method of this cell and was caught by the kernel (the session goes on):\n{e}\n"
                + "Declare the method async Task and await it to get the error in the cell that calls it.\n",
        }, execution.Request);
    }

    /// <summary>
    /// An exception nothing caught on a thread a cell started: .NET ends the process and no handler can stop it.
    /// Tell the frontend why, under the last cell, before the process goes (the supervisor, or Jupyter, then restarts the kernel).
    /// </summary>
    private void ReportDying(object exception)
    {
        var thread = Thread.CurrentThread.Name is { Length: > 0 } name ? $"thread '{name}'" : $"thread {Environment.CurrentManagedThreadId}";
        var text = $"The kernel is ending: an exception was thrown on {thread} and nothing caught it, so .NET ends the process; "
            + "every variable is lost and the kernel restarts. Catch exceptions inside threads a cell starts "
            + "(or use Task.Run and await the task, which reports the error in the cell).\n" + exception + "\n";
        _log.WriteLine("[kernel] " + text);
        try
        {
            Publish("stream", new JsonObject { ["name"] = "stderr", ["text"] = text }, _last?.Request);
            Thread.Sleep(300); // let the I/O thread send it before the runtime ends the process
        }
        catch (Exception e) when (e is NetMQ.NetMQException or ObjectDisposedException or InvalidOperationException)
        {
            // the sockets are gone: the log line above is all that can be done
        }
    }

    /// <summary>Interrupts the running cell, if any.</summary>
    public void Interrupt()
    {
        if (_running is not { } execution)
            return;
        execution.Interrupted = true;
        execution.Cancellation.Cancel();
    }

    private void Shutdown(RouterSocket socket, JupyterMessage request)
    {
        var restart = request.Flag("restart", false);
        Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        // As ipykernel does: reply, then exit; on restart the client starts a new process.
        _stopping = true;
        Interrupt();
    }

    /// <summary>Stops the kernel when the process that started it dies (as ipykernel's parent poller does), so no kernel is orphaned.</summary>
    private void WatchParent()
    {
        var parent = ParentProcess.Id();
        while (!_stopping && parent is > 1)
        {
            Thread.Sleep(1000);
            if (ParentProcess.Id() != parent)
            {
                _log.WriteLine("[kernel] the parent process is gone; shutting down");
                _stopping = true;
            }
        }
    }

    private void Heartbeat(ResponseSocket heartbeat)
    {
        while (!_stopping)
        {
            if (heartbeat.TryReceiveFrameBytes(s_poll, out var ping, out var more))
            {
                if (more)
                    heartbeat.SendMoreFrame(ping);
                else
                    heartbeat.SendFrame(ping);
            }
        }
    }

    private void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var message = JupyterMessage.Create(type, content, request, _session).ToFrames(_signer);
        socket.SendMultipartMessage(message); // each router socket is used by its own thread only
    }

    private void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = JupyterMessage.Create(type, content, parent, _session, [Encoding.UTF8.GetBytes($"kernel.{_session}.{type}")]);
        var frames = message.ToFrames(_signer);
        lock (_iopubGate)
            _iopub.SendMultipartMessage(frames);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping = true;
        foreach (var socket in Sockets)
            socket.Dispose();
        NetMQConfig.Cleanup(block: true);
    }
}

/// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings index UTF-16 units.</summary>
internal static class CodePoints
{
    public static int ToUtf16(string text, int codePoints)
    {
        var i = 0;
        for (var n = 0; n < codePoints && i < text.Length; n++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
        return i;
    }

    public static int FromUtf16(string text, int index)
    {
        var n = 0;
        for (var i = 0; i < index && i < text.Length; i++, n++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length)
                i++;
        }
        return n;
    }
}
