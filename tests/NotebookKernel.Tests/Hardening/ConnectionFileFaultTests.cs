using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NotebookKernel.Tests.Hardening;

/// <summary>Generated bad connection files: each is refused with one line naming the file and the fault.</summary>
public sealed class ConnectionFileFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kernel-conn-fault-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonObject Good() => new()
    {
        ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["shell_port"] = 50001, ["iopub_port"] = 50002, ["stdin_port"] = 50003,
        ["control_port"] = 50004, ["hb_port"] = 50005, ["key"] = "k", ["signature_scheme"] = "hmac-sha256",
    };

    public static IEnumerable<(string, string?)> BadFiles()
    {
        yield return ("missing file", null);
        foreach (var text in new[] { "", " ", "{", "[]", "null", "42", "\"x\"", "{\"shell_port\": }", "not json", "\u0000\u0001" })
            yield return ($"text {text}", text);
        foreach (var field in Good().Select(p => p.Key).ToList())
        {
            foreach (var wrong in new JsonNode?[] { "abc", new JsonArray(), new JsonObject(), true, 1.5 })
            {
                var file = Good();
                if (field is "transport" or "ip" or "key" or "signature_scheme" && wrong is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    continue;
                file[field] = wrong;
                yield return ($"{field} = {wrong?.ToJsonString()}", file.ToJsonString());
            }
        }
        foreach (var port in new[] { "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port" })
        {
            foreach (var value in new[] { 0, -1, 65536, 1_000_000 })
            {
                var file = Good();
                file[port] = value;
                yield return ($"{port} = {value}", file.ToJsonString());
            }
            var missing = Good();
            missing.Remove(port);
            yield return ($"{port} missing", missing.ToJsonString());
        }
        var same = Good();
        same["iopub_port"] = 50001;
        yield return ("two channels on one port", same.ToJsonString());
        foreach (var (field, value) in new[] { ("transport", "udp"), ("transport", ""), ("ip", ""), ("signature_scheme", "hmac-md5"), ("key", null) })
        {
            var file = Good();
            file[field] = value;
            yield return ($"{field} = {value ?? "null"}", file.ToJsonString());
        }
    }

    [Fact]
    public void Every_bad_connection_file_is_refused_with_one_line_naming_it()
    {
        var tried = 0;
        foreach (var (damage, text) in BadFiles())
        {
            // Given a bad connection file
            var path = Path.Combine(_dir, $"bad-{tried}.json");
            if (text is not null)
                File.WriteAllText(path, text);

            // When it is loaded, Then an InvalidDataException of one line names the file
            var error = Assert.Throws<InvalidDataException>(() => ConnectionInfo.Load(path));
            Assert.Contains(path, error.Message);
            Assert.DoesNotContain('\n', error.Message);
            tried++;
        }
        Assert.True(tried >= 60, $"{tried} files");
        File.WriteAllText(Path.Combine(_dir, "good.json"), Good().ToJsonString());
        Assert.Equal(50001, ConnectionInfo.Load(Path.Combine(_dir, "good.json")).ShellPort);
    }

    [Fact]
    public async Task The_kernel_command_prints_one_line_and_exits_1_for_a_bad_connection_file()
    {
        // Given a connection file with a port of the wrong type
        var path = Path.Combine(_dir, "kernel.json");
        var file = Good();
        file["shell_port"] = "abc";
        File.WriteAllText(path, file.ToJsonString());

        // When Jupyter would start the kernel with it
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Python.Runner, "kernel", "--connection-file", path })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        // Then it exits with 1 and one line on stderr that names the file, and no stack trace
        Assert.Equal(1, process.ExitCode);
        var text = await stderr;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(path, lines[0]);
        Assert.DoesNotContain(" at ", text);
    }
}
