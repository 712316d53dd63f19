using System.Text;
using System.Text.Json.Nodes;

namespace NotebookKernel.Tests.Hardening;

/// <summary>
/// One kernel for every fault-injection class (NetMQ's context is process-wide: disposing a second kernel
/// would end the first's sockets). The faults must not take it down, so each test also checks it still answers.
/// </summary>
public sealed class KernelUnderFaults : IDisposable
{
    public InProcessKernel Kernel { get; } = new();

    public void Dispose() => Kernel.Dispose();
}

/// <summary>The classes that share the in-process kernel (run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class InProcessKernelCollection : ICollectionFixture<KernelUnderFaults>
{
    public const string Name = "In-process kernel";
}

/// <summary>
/// Fault injection for the kernel's protocol handling: generated messages with fields of the wrong type,
/// damaged headers and frames, replays and bad signatures. Every request that can be answered gets a
/// reply (an error reply where it must), nothing is executed twice, and the kernel keeps answering.
/// </summary>
[Collection(InProcessKernelCollection.Name)]
public sealed class KernelProtocolFaultTests(KernelUnderFaults fixture)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(300);

    private InProcessKernel K => fixture.Kernel;

    /// <summary>Values of every JSON kind, for fields that expect another.</summary>
    private static readonly Func<JsonNode?>[] WrongValues =
    [
        () => 42, () => -1, () => "7", () => 1e300, () => 2.5, () => true, () => "text", () => new JsonArray(1, 2), () => new JsonObject { ["a"] = 1 },
    ];

    /// <summary>(request type, field, the JSON kind it expects) for every field the kernel reads.</summary>
    private static readonly (string Type, string Field, string Kind)[] Fields =
    [
        ("execute_request", "code", "string"), ("execute_request", "silent", "bool"), ("execute_request", "store_history", "bool"),
        ("is_complete_request", "code", "string"),
        ("complete_request", "code", "string"), ("complete_request", "cursor_pos", "int"),
        ("inspect_request", "code", "string"), ("inspect_request", "cursor_pos", "int"),
    ];

    private static bool Fits(JsonNode? value, string kind) => (kind, value?.GetValueKind()) switch
    {
        ("string", System.Text.Json.JsonValueKind.String) => true,
        ("bool", System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) => true,
        ("int", System.Text.Json.JsonValueKind.Number) => double.Parse(value!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) is var d && d is >= 0 and <= int.MaxValue && d % 1 == 0,
        _ => false,
    };

    [Fact]
    public void Every_request_with_a_field_of_the_wrong_type_gets_an_error_reply()
    {
        var tried = 0;
        foreach (var (type, field, kind) in Fields)
        {
            foreach (var make in WrongValues)
            {
                var value = make();
                if (Fits(value, kind))
                    continue;
                // Given a correctly signed request whose field has the wrong JSON type (the rest valid; code that must not run)
                var content = new JsonObject { ["code"] = "System.Environment.Exit(3)", ["cursor_pos"] = 0, [field] = value };
                var description = $"{type} with {field} = {value?.ToJsonString()}";

                // When it is sent
                var reply = K.Ask(K.Shell, K.Request(type, content), ReplyTimeout);

                // Then it gets the matching reply with status error naming the field (never silence, never a crash)
                Assert.True(reply is not null, $"no reply to {description}");
                Assert.Equal(type.Replace("_request", "_reply", StringComparison.Ordinal), reply.MessageType);
                Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
                Assert.Contains($"content.{field}", reply.Content["evalue"]!.GetValue<string>());
                tried++;
            }
        }
        Assert.True(tried >= 50, $"{tried} requests");
        Assert.True(K.Answers(), "the kernel stopped answering\n" + K.Log);
    }

    /// <summary>Headers that cannot be routed to a handler: the message is dropped (no reply type exists for it), the kernel survives.</summary>
    public static IEnumerable<JsonObject> BadHeaders()
    {
        foreach (var make in WrongValues.Where(v => v() is not JsonValue s || s.GetValueKind() != System.Text.Json.JsonValueKind.String))
            yield return new JsonObject { ["msg_type"] = make() };
        yield return new JsonObject { ["msg_type"] = "" };
        yield return new JsonObject();
        yield return new JsonObject { ["msg_type"] = null };
    }

    [Fact]
    public void A_signed_message_whose_msg_type_is_not_a_string_is_dropped_and_the_kernel_survives()
    {
        var tried = 0;
        foreach (var header in BadHeaders())
        {
            // Given a signed message whose msg_type is a number, an array, missing… (the crash the issue reports)
            var frames = K.Signed(header, new JsonObject { ["code"] = "1" });

            // When it is sent, Then no reply comes (there is no reply type), and the kernel still answers
            Assert.Null(K.Ask(K.Shell, frames, Silence));
            Assert.True(K.Answers(), $"the kernel stopped answering after header {header.ToJsonString()}\n{K.Log}");
            tried++;
        }
        Assert.True(tried >= 8, $"{tried} headers");
    }

    [Fact]
    public void Unknown_requests_get_an_error_reply_on_shell_and_control()
    {
        foreach (var socket in new[] { K.Shell, K.Control })
        {
            foreach (var type in new[] { "frobnicate_request", "debug_request", "usage_request", "x_request" })
            {
                var reply = K.Ask(socket, K.Request(type, []), ReplyTimeout);
                Assert.True(reply is not null, $"no reply to {type}");
                Assert.Equal(type.Replace("_request", "_reply", StringComparison.Ordinal), reply.MessageType);
                Assert.Equal("UnsupportedRequest", reply.Content["ename"]!.GetValue<string>());
            }
        }
        Assert.True(K.Answers());
    }

    [Fact]
    public void A_replayed_signed_message_is_rejected_however_it_is_resent()
    {
        var tried = 0;
        foreach (var type in new[] { "kernel_info_request", "is_complete_request", "complete_request", "inspect_request", "comm_info_request", "history_request" })
        {
            // Given a signed request that was answered once
            var frames = K.Request(type, new JsonObject { ["code"] = "Math.", ["cursor_pos"] = 5 });
            Assert.NotNull(K.Ask(K.Shell, frames, ReplyTimeout));

            // When the same frames are sent again, on the same channel or on the other one
            // Then no reply comes: the replay is dropped, not handled again
            Assert.Null(K.Ask(K.Shell, frames, Silence));
            Assert.Null(K.Ask(K.Control, frames, Silence));
            tried += 2;
        }
        Assert.True(tried >= 12);
        Assert.Contains("replayed", K.Log);
        Assert.True(K.Answers());
    }

    /// <summary>Frames a network peer without the key, or a broken client, might send.</summary>
    public static IEnumerable<(string, List<byte[]>)> BadFrames(InProcessKernel k)
    {
        var random = new Random(18);
        var valid = k.Request("kernel_info_request", []);
        yield return ("no delimiter", [Encoding.UTF8.GetBytes("hello")]);
        yield return ("nothing after the delimiter", valid.Take(1).ToList());
        for (var n = 2; n < 6; n++)
            yield return ($"only {n} frames", valid.Take(n).ToList());
        yield return ("unsigned", InProcessKernel.Frames("", """{"msg_type":"kernel_info_request","msg_id":"u"}""", "{}", "{}", "{}"));
        yield return ("signed with another key", [.. valid.Take(1), Encoding.ASCII.GetBytes(new MessageSigner("other").Sign([.. valid.Skip(2)])), .. valid.Skip(2)]);
        yield return ("signature in upper case", [.. valid.Take(1), Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(valid[1]).ToUpperInvariant()), .. valid.Skip(2)]);
        for (var i = 0; i < 12; i++)
        {
            // a byte of a JSON frame changed after signing (tampering in transit)
            var frames = k.Request("kernel_info_request", []);
            var part = 2 + random.Next(4);
            frames[part] = [.. frames[part]];
            frames[part][random.Next(frames[part].Length)] ^= (byte)(1 + random.Next(255));
            yield return ($"byte changed in frame {part}", frames);
        }
        foreach (var json in new[] { "[]", "null", "42", "\"text\"", "{", "\u00ff\u00fe", new string('[', 5000) + new string(']', 5000) })
        {
            var parts = new[] { json, "{}", "{}", "{}" };
            yield return ($"header {json[..Math.Min(json.Length, 12)]}", InProcessKernel.Frames(k.Signer.Sign([.. parts.Select(Encoding.UTF8.GetBytes)]), parts));
            var content = new[] { """{"msg_type":"execute_request","msg_id":"c" }""".Replace("\"c\"", $"\"{Guid.NewGuid()}\"", StringComparison.Ordinal), "{}", "{}", json };
            yield return ($"content {json[..Math.Min(json.Length, 12)]}", InProcessKernel.Frames(k.Signer.Sign([.. content.Select(Encoding.UTF8.GetBytes)]), content));
        }
        for (var i = 0; i < 6; i++)
        {
            var garbage = new byte[random.Next(1, 200)];
            random.NextBytes(garbage);
            yield return ($"random frames {i}", [Encoding.ASCII.GetBytes(JupyterMessage.Delimiter), garbage, garbage, garbage, garbage, garbage]);
        }
    }

    [Fact]
    public void Malformed_tampered_or_unsigned_frames_are_dropped_and_the_kernel_keeps_answering()
    {
        var tried = 0;
        foreach (var (damage, frames) in BadFrames(K))
        {
            // Given frames that are malformed, unsigned, tampered with or not JSON objects
            // When they are sent, Then nothing is handled (no reply) and the kernel still answers a good request
            Assert.True(K.Ask(K.Shell, frames, Silence) is null, $"{damage}: a reply came");
            Assert.True(K.Answers(), $"the kernel stopped answering after: {damage}\n{K.Log}");
            tried++;
        }
        Assert.True(tried >= 40, $"{tried} damaged messages");
    }

    [Fact]
    public void After_every_fault_a_cell_still_runs_and_keeps_its_state()
    {
        // Given the faults of the other tests (in any order), When two cells run
        var first = K.Ask(K.Shell, K.Request("execute_request", new JsonObject { ["code"] = "var survived = 20 + 1;", ["silent"] = false }), TimeSpan.FromMinutes(3));
        var second = K.Ask(K.Shell, K.Request("execute_request", new JsonObject { ["code"] = "survived * 2" }), TimeSpan.FromMinutes(1));

        // Then both succeed
        Assert.Equal("ok", first?.Content["status"]?.GetValue<string>());
        Assert.Equal("ok", second?.Content["status"]?.GetValue<string>());
    }
}
