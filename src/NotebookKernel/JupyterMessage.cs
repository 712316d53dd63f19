using System.Text;
using System.Text.Json.Nodes;
using NetMQ;

namespace NotebookKernel;

/// <summary>
/// One Jupyter message as it travels on the wire: routing identities, <c>&lt;IDS|MSG&gt;</c>, the
/// HMAC signature, then header, parent header, metadata and content (JSON), then binary buffers.
/// </summary>
public sealed class JupyterMessage
{
    /// <summary>The delimiter between routing identities and the message.</summary>
    public const string Delimiter = "<IDS|MSG>";

    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    public List<byte[]> Identities { get; init; } = [];
    public JsonObject Header { get; init; } = [];
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public JsonObject Content { get; init; } = [];
    public List<byte[]> Buffers { get; init; } = [];

    /// <summary>The message type from the header.</summary>
    public string MessageType => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary>A new message of <paramref name="type"/> answering <paramref name="parent"/> (or none).</summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, string session, List<byte[]>? identities = null) => new()
    {
        Identities = identities ?? parent?.Identities ?? [],
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString(),
            ["session"] = session,
            ["username"] = "kernel",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz"),
            ["msg_type"] = type,
            ["version"] = ProtocolVersion,
        },
        ParentHeader = parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
        Content = content,
    };

    /// <summary>The wire frames, signed with <paramref name="signer"/>.</summary>
    public NetMQMessage ToFrames(MessageSigner signer)
    {
        var parts = new[] { Header, ParentHeader, Metadata, Content }.Select(j => Encoding.UTF8.GetBytes(j.ToJsonString())).ToList();
        var message = new NetMQMessage();
        foreach (var id in Identities)
            message.Append(id);
        message.Append(Delimiter);
        message.Append(signer.Sign(parts));
        foreach (var part in parts)
            message.Append(part);
        foreach (var buffer in Buffers)
            message.Append(buffer);
        return message;
    }

    /// <summary>Parses wire frames; throws <see cref="InvalidDataException"/> for a malformed or badly signed message.</summary>
    public static JupyterMessage Parse(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        var delimiter = Encoding.ASCII.GetBytes(Delimiter);
        var at = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(delimiter))
            {
                at = i;
                break;
            }
        }
        if (at < 0)
            throw new InvalidDataException("no <IDS|MSG> delimiter");
        if (frames.Count < at + 6)
            throw new InvalidDataException($"too few frames ({frames.Count - at - 1} after the delimiter, 5 needed)");
        var signature = Encoding.ASCII.GetString(frames[at + 1]);
        var parts = frames.Skip(at + 2).Take(4).ToList();
        if (!signer.Verify(signature, parts))
            throw new InvalidDataException(signature.Length == 0 ? "missing signature" : "bad signature");
        JsonObject Json(byte[] bytes) => JsonNode.Parse(bytes) as JsonObject ?? throw new InvalidDataException("a JSON frame is not an object");
        return new JupyterMessage
        {
            Identities = [.. frames.Take(at)],
            Header = Json(parts[0]),
            ParentHeader = Json(parts[1]),
            Metadata = Json(parts[2]),
            Content = Json(parts[3]),
            Buffers = [.. frames.Skip(at + 6)],
        };
    }
}
