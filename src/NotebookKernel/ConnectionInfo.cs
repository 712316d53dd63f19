using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookKernel;

/// <summary>The connection file a Jupyter frontend writes for a kernel (ports, transport, signing key).</summary>
public sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    [JsonPropertyName("iopub_port")] public int IOPubPort { get; init; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>Reads and checks a connection file.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is missing or unreadable, not JSON, has a field of the wrong type, or names an unusable
    /// transport, address, port or signature scheme; the message is one line naming the file and the fault.
    /// </exception>
    public static ConnectionInfo Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Bad(path, $"cannot be read ({e.Message})");
        }
        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(text);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"is not a valid connection file: {(e.Path is { Length: > 0 } p ? $"field {p} has the wrong type or the JSON is malformed" : "malformed JSON")} (line {e.LineNumber + 1})");
        }
        if (info is null)
            throw Bad(path, "is empty (null)");
        info.Validate(path);
        return info;
    }

    /// <summary>Checks the fields a kernel needs; throws <see cref="InvalidDataException"/> naming the first bad one.</summary>
    private void Validate(string path)
    {
        if (Transport is not ("tcp" or "ipc"))
            throw Bad(path, $"names transport '{Transport}' (tcp or ipc)");
        if (string.IsNullOrWhiteSpace(Ip) || Ip.Any(char.IsControl))
            throw Bad(path, "has no usable ip");
        foreach (var (name, port) in new[] { ("shell_port", ShellPort), ("iopub_port", IOPubPort), ("stdin_port", StdinPort), ("control_port", ControlPort), ("hb_port", HeartbeatPort) })
        {
            if (port is < 1 or > 65535)
                throw Bad(path, $"has {name} {port} (a port from 1 to 65535 is needed)");
        }
        var ports = new[] { ShellPort, IOPubPort, StdinPort, ControlPort, HeartbeatPort };
        if (ports.Distinct().Count() != ports.Length)
            throw Bad(path, "names the same port for two channels");
        if (Key is null)
            throw Bad(path, "has a null key");
        if (Key.Length > 0 && SignatureScheme != "hmac-sha256")
            throw Bad(path, $"names signature scheme '{SignatureScheme}' (only hmac-sha256 is supported)");
    }

    private static InvalidDataException Bad(string path, string why) => new($"connection file '{path}' {why}");

    /// <summary>The ZeroMQ address for <paramref name="port"/> (ipc transport: <c>ip-port</c> as a path, as jupyter_client does).</summary>
    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}
