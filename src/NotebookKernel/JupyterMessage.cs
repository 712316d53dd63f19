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

    /// <summary>The HMAC signature it arrived with (empty for messages built here or sent unsigned).</summary>
    public string Signature { get; init; } = "";

    /// <summary>The message type from the header (<see cref="Parse"/> guarantees a string).</summary>
    public string MessageType => Header["msg_type"] is JsonValue v && v.TryGetValue<string>(out var type) ? type : "";

    /// <summary>A string field of the content; <paramref name="fallback"/> when absent or null.</summary>
    /// <exception cref="MalformedRequestException">The field is not a string.</exception>
    public string Text(string key, string fallback = "") => Content[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        var other => throw Malformed(key, "a string", other),
    };

    /// <summary>A boolean field of the content; <paramref name="fallback"/> when absent or null.</summary>
    /// <exception cref="MalformedRequestException">The field is not a boolean.</exception>
    public bool Flag(string key, bool fallback) => Content[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
        var other => throw Malformed(key, "true or false", other),
    };

    /// <summary>A non-negative integer field of the content; <paramref name="fallback"/> when absent or null.</summary>
    /// <exception cref="MalformedRequestException">The field is not a non-negative 32-bit integer.</exception>
    public int Count(string key, int fallback) => Content[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<int>(out var n) && n >= 0 => n,
        JsonValue v when v.TryGetValue<double>(out var d) && d >= 0 && d <= int.MaxValue && d == Math.Floor(d) => (int)d,
        var other => throw Malformed(key, "a non-negative integer", other),
    };

    private MalformedRequestException Malformed(string key, string expected, JsonNode node) =>
        new($"{MessageType}: content.{key} must be {expected}, not {Describe(node)}");

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => $"the string {Shorten(node.ToJsonString())}",
        System.Text.Json.JsonValueKind.Number => $"the number {Shorten(node.ToJsonString())}",
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => $"the boolean {node.ToJsonString()}",
        System.Text.Json.JsonValueKind.Array => "an array",
        System.Text.Json.JsonValueKind.Object => "an object",
        var kind => kind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

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
        JsonObject Json(byte[] bytes, string frame)
        {
            try
            {
                return JsonNode.Parse(bytes) as JsonObject ?? throw new InvalidDataException($"the {frame} is not a JSON object");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidDataException($"the {frame} is not valid JSON ({e.Message})", e);
            }
        }
        var header = Json(parts[0], "header");
        if (header["msg_type"] is not JsonValue type || !type.TryGetValue<string>(out var name) || name.Length == 0)
            throw new InvalidDataException("header.msg_type is missing or not a string");
        return new JupyterMessage
        {
            Identities = [.. frames.Take(at)],
            Signature = signature,
            Header = header,
            ParentHeader = Json(parts[1], "parent header"),
            Metadata = Json(parts[2], "metadata"),
            Content = Json(parts[3], "content"),
            Buffers = [.. frames.Skip(at + 6)],
        };
    }
}
