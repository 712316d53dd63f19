using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace NotebookKernel.Tests.Hardening;

/// <summary>
/// A <see cref="JupyterKernel"/> served on a thread of the test process, on free local ports, with a
/// raw client (shell and control DEALER sockets) that can send anything, signed or not.
/// </summary>
public sealed class InProcessKernel : IDisposable
{
    public const string Key = "fault-injection-key";

    private readonly JupyterKernel _kernel;
    private readonly Thread _serving;
    private readonly StringWriter _log = new();

    public InProcessKernel()
    {
        Connection = new ConnectionInfo
        {
            Key = Key, ShellPort = FreePort(), IOPubPort = FreePort(), StdinPort = FreePort(), ControlPort = FreePort(), HeartbeatPort = FreePort(),
        };
        _kernel = new JupyterKernel(Connection, TextWriter.Synchronized(_log));
        _serving = new Thread(() => _kernel.Run()) { IsBackground = true, Name = "kernel under test" };
        _serving.Start();
        Shell = Connect(Connection.ShellPort, "shell-client");
        Control = Connect(Connection.ControlPort, "control-client");
    }

    public ConnectionInfo Connection { get; }

    public MessageSigner Signer { get; } = new(Key);

    public DealerSocket Shell { get; }

    public DealerSocket Control { get; }

    public string Log => _log.ToString();

    private static DealerSocket Connect(int port, string identity)
    {
        var socket = new DealerSocket();
        socket.Options.Identity = Encoding.UTF8.GetBytes(identity);
        socket.Options.Linger = TimeSpan.Zero;
        socket.Connect($"tcp://127.0.0.1:{port}");
        return socket;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The frames of a message as a client sends them (no routing identity: the DEALER adds its own).</summary>
    public static List<byte[]> Frames(string signature, params string[] json) =>
        [Encoding.ASCII.GetBytes(JupyterMessage.Delimiter), Encoding.ASCII.GetBytes(signature), .. json.Select(Encoding.UTF8.GetBytes)];

    /// <summary>A correctly signed message with the given header fields and content.</summary>
    public List<byte[]> Signed(JsonObject header, JsonObject content)
    {
        header["msg_id"] ??= Guid.NewGuid().ToString();
        header["session"] ??= "fault-client";
        header["username"] ??= "test";
        header["version"] ??= JupyterMessage.ProtocolVersion;
        var parts = new[] { header.ToJsonString(), "{}", "{}", content.ToJsonString() };
        return Frames(Signer.Sign([.. parts.Select(Encoding.UTF8.GetBytes)]), parts);
    }

    public List<byte[]> Request(string type, JsonObject content) => Signed(new JsonObject { ["msg_type"] = type }, content);

    public static void Send(DealerSocket socket, List<byte[]> frames)
    {
        var message = new NetMQMessage();
        foreach (var frame in frames)
            message.Append(frame);
        socket.SendMultipartMessage(message);
    }

    /// <summary>The next reply on <paramref name="socket"/> within <paramref name="timeout"/>, or null.</summary>
    public JupyterMessage? Receive(DealerSocket socket, TimeSpan timeout)
    {
        var frames = new List<byte[]>();
        return socket.TryReceiveMultipartBytes(timeout, ref frames) ? JupyterMessage.Parse(frames, Signer) : null;
    }

    /// <summary>Sends <paramref name="frames"/> and returns the reply, or null when none came within <paramref name="timeout"/>.</summary>
    public JupyterMessage? Ask(DealerSocket socket, List<byte[]> frames, TimeSpan timeout)
    {
        while (Receive(socket, TimeSpan.Zero) is not null)
        {
            // a late reply to an earlier request: not this one's
        }
        Send(socket, frames);
        return Receive(socket, timeout);
    }

    /// <summary>True when the kernel still answers kernel_info on the shell channel.</summary>
    public bool Answers()
    {
        var reply = Ask(Shell, Request("kernel_info_request", []), TimeSpan.FromSeconds(10));
        return reply?.MessageType == "kernel_info_reply" && reply.Content["status"]?.GetValue<string>() == "ok";
    }

    public void Dispose()
    {
        try
        {
            Ask(Control, Request("shutdown_request", new JsonObject { ["restart"] = false }), TimeSpan.FromSeconds(5));
            _serving.Join(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Shell.Dispose();
            Control.Dispose();
            _kernel.Dispose();
        }
    }
}
