using System.Text;
using System.Text.Json.Nodes;

namespace NotebookKernel.Tests;

public sealed class ProtocolTests
{
    [Fact]
    public void A_signed_message_round_trips_and_a_tampered_one_is_rejected()
    {
        // Given a message signed with the connection key
        var signer = new MessageSigner("secret");
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1 + 1" }, null, "session", [Encoding.UTF8.GetBytes("client")]);
        var frames = message.ToFrames(signer).Select(f => f.ToByteArray()).ToList();

        // When it is parsed back, and when its content is changed in transit or it is signed with another key
        var parsed = JupyterMessage.Parse(frames, signer);
        var tampered = frames.ToList();
        tampered[^1] = Encoding.UTF8.GetBytes("""{"code":"System.IO.File.Delete(\"x\")"}""");
        var foreign = JupyterMessage.Create("execute_request", new JsonObject(), null, "s").ToFrames(new MessageSigner("other")).Select(f => f.ToByteArray()).ToList();

        // Then the first is intact (identities kept), the others throw
        Assert.Equal("execute_request", parsed.MessageType);
        Assert.Equal("1 + 1", parsed.Content["code"]!.GetValue<string>());
        Assert.Equal("client", Encoding.UTF8.GetString(Assert.Single(parsed.Identities)));
        Assert.Throws<InvalidDataException>(() => JupyterMessage.Parse(tampered, signer));
        Assert.Throws<InvalidDataException>(() => JupyterMessage.Parse(foreign, signer));
        Assert.Throws<InvalidDataException>(() => JupyterMessage.Parse([Encoding.UTF8.GetBytes("no delimiter")], signer));
    }

    [Fact]
    public void The_signature_is_hex_hmac_sha256_of_the_four_json_frames()
    {
        var signer = new MessageSigner("key");
        var parts = new[] { "{}", "{}", "{}", "{}" }.Select(Encoding.UTF8.GetBytes).ToList();
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("key"));
        Assert.Equal(Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("{}{}{}{}"))), signer.Sign(parts));
    }

    [Fact]
    public void Loop_checks_are_inserted_into_every_loop_body_without_changing_line_numbers()
    {
        // Given a cell with several kinds of loops and a directive
        var cell = "#r \"nuget: Foo, 1.0\"\nfor (var i = 0; i < 3; i++)\n    total += i;\nwhile (go) { step(); }\nforeach (var x in xs) Use(x);\ndo { n--; } while (n > 0);";

        // When checks are added
        var rewritten = Interrupts.AddLoopChecks(cell);

        // Then each loop body starts with the check, the line count is the same, and the directive line is untouched
        Assert.Equal(4, rewritten.Split(Interrupts.CheckCall).Length - 1);
        Assert.Equal(cell.Split('\n').Length, rewritten.Split('\n').Length);
        Assert.StartsWith("#r \"nuget: Foo, 1.0\"\n", rewritten);
        Assert.Contains("{ " + Interrupts.CheckCall + " total += i; }", rewritten);
    }

    [Fact]
    public void Cursor_positions_convert_between_code_points_and_utf16()
    {
        var text = "a😀b";
        Assert.Equal(3, CodePoints.ToUtf16(text, 2));
        Assert.Equal(2, CodePoints.FromUtf16(text, 3));
    }
}
