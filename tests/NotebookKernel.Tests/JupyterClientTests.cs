using System.Text.Json.Nodes;
using static NotebookKernel.Tests.DrivenSession;

namespace NotebookKernel.Tests;

/// <summary>
/// Runs one real-client script from scripts/ once (Debian's jupyter_client starting the kernel as a frontend does)
/// and keeps what it recorded, for the tests of one class to assert on.
/// </summary>
public abstract class DrivenSession(string script)
{
    private readonly Lazy<JsonObject> _result = new(() => Drive(script));

    public JsonObject Result => _result.Value;

    /// <summary>The contents of the iopub messages of type <paramref name="type"/> a recorded step received.</summary>
    public static List<JsonObject> Iopub(JsonNode step, string type) =>
        [.. step["iopub"]!.AsArray().Select(m => m!.AsObject()).Where(m => m["msg_type"]!.GetValue<string>() == type).Select(m => m["content"]!.AsObject())];

    /// <summary>The text/plain form of a display or execute_result.</summary>
    public static string Plain(JsonObject content) => content["data"]!["text/plain"]!.GetValue<string>();

    private static JsonObject Drive(string script)
    {
        Python.Require("jupyter_client");
        var output = Path.Combine(Path.GetTempPath(), $"kernel-client-{Guid.NewGuid():N}.json");
        try
        {
            var (code, log) = Python.Run([Python.Script(script), Python.Runner, output], TimeSpan.FromMinutes(8));
            Assert.True(File.Exists(output), $"{script} wrote no result (exit {code}):\n{log}");
            var result = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
            Assert.True(code == 0, $"{script} failed (exit {code}); partial result keys: {string.Join(", ", result.Select(p => p.Key))}\n{log}");
            return result;
        }
        finally
        {
            File.Delete(output);
        }
    }
}

/// <summary>The session of scripts/drive_kernel.py: every request type, interrupts, a bad signature, restart and shutdown.</summary>
public sealed class JupyterClientSession() : DrivenSession("drive_kernel.py");

/// <summary>The kernel as Jupyter frontends see it, driven by the real <c>jupyter_client</c>.</summary>
public sealed class JupyterClientTests(JupyterClientSession session) : IClassFixture<JupyterClientSession>
{
    private JsonObject R => session.Result;

    [Fact]
    public void Kernel_info_describes_csharp_and_protocol_5_3()
    {
        // Given a kernel started by KernelManager, When the client asks for kernel_info
        var reply = R["kernel_info"]!["reply"]!;

        // Then it describes C# and the protocol, with busy/idle status around the request
        Assert.Equal("5.3", reply["protocol_version"]!.GetValue<string>());
        Assert.Equal("deeplearning-course-csharp", reply["implementation"]!.GetValue<string>());
        Assert.Equal("C#", reply["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", reply["language_info"]!["mimetype"]!.GetValue<string>());
        Assert.Equal(".cs", reply["language_info"]!["file_extension"]!.GetValue<string>());
        Assert.Equal(["busy", "idle"], Iopub(R["kernel_info"]!, "status").Select(s => s["execution_state"]!.GetValue<string>()));
    }

    [Fact]
    public void Execute_streams_console_output_and_replies_ok()
    {
        // Given a cell that writes a line, When it runs
        var step = R["stream"]!;

        // Then the frontend gets execute_input, the text as a stdout stream, and an ok reply with the count
        Assert.Single(Iopub(step, "execute_input"));
        Assert.Equal("hello from C#\n", string.Concat(Iopub(step, "stream").Select(s => s["text"]!.GetValue<string>())));
        Assert.Equal("ok", step["reply"]!["status"]!.GetValue<string>());
        Assert.Equal(1, step["reply"]!["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void The_last_expression_is_an_execute_result_and_state_carries_over()
    {
        // Given `var x = 6 * 7;` ran before, When `x + 1` runs
        var result = Assert.Single(Iopub(R["execute_result"]!, "execute_result"));

        // Then its value comes back as execute_result with text/plain and the cell's count
        Assert.Equal("43", Plain(result));
        Assert.Equal(2, result["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void Display_then_Update_sends_display_data_and_update_display_data_with_the_same_id()
    {
        // Given `var d = display("first"); d.Update("second");`
        var step = R["display"]!;

        // Then the display carries a display_id, and the update replaces it in place
        var shown = Assert.Single(Iopub(step, "display_data"));
        var update = Assert.Single(Iopub(step, "update_display_data"));
        Assert.Equal("first", Plain(shown));
        Assert.Equal("second", Plain(update));
        var id = shown["transient"]!["display_id"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, update["transient"]!["display_id"]!.GetValue<string>());
    }

    [Fact]
    public void A_throwing_cell_gives_an_error_with_traceback_and_the_kernel_stays_alive()
    {
        // Given a cell that throws
        var step = R["error"]!;

        // Then an error message and an error reply name the exception, and the next cell still sees the state
        var error = Assert.Single(Iopub(step, "error"));
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Contains("boom", error["evalue"]!.GetValue<string>());
        Assert.Contains(error["traceback"]!.AsArray(), line => line!.GetValue<string>().Contains("line 1"));
        Assert.Equal("error", step["reply"]!["status"]!.GetValue<string>());
        Assert.Equal("42", Plain(Assert.Single(Iopub(R["after_error"]!, "execute_result"))));
    }

    [Fact]
    public void Is_complete_uses_csharp_syntax()
    {
        var statuses = R["is_complete"]!;
        Assert.Equal("complete", statuses["var y = 1;"]!.GetValue<string>());
        Assert.Equal("incomplete", statuses["if (true) {"]!.GetValue<string>());
        Assert.Equal("complete", statuses["#r \"nuget: Foo, 1.0\"\nvar z = 2;"]!.GetValue<string>());
    }

    [Fact]
    public void Complete_offers_members_of_a_typed_expression_and_names_in_scope()
    {
        // Given "s.Len|" where s is a string, and "Conso|"
        var member = R["complete_member"]!;
        var name = R["complete_name"]!;

        // Then Length is offered for the span of "Len", and Console among the names
        Assert.Contains("Length", member["matches"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("var s = \"abc\";\ns.".Length, member["cursor_start"]!.GetValue<int>());
        Assert.Contains("Console", name["matches"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(0, name["cursor_start"]!.GetValue<int>());
    }

    [Fact]
    public void Inspect_describes_a_session_variable()
    {
        var reply = R["inspect"]!;
        Assert.True(reply["found"]!.GetValue<bool>());
        Assert.Contains("int x", reply["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public void Interrupt_stops_a_cpu_bound_loop_and_the_kernel_goes_on()
    {
        // Given `while (true) { n++; }` running, When the client interrupts (interrupt_mode message)
        var step = R["interrupt_loop"]!;

        // Then the cell ends with KeyboardInterrupt quickly (the loop checks), and the next cell runs with the state intact
        Assert.Equal("KeyboardInterrupt", step["reply"]!["ename"]!.GetValue<string>());
        Assert.DoesNotContain("abandoned", step["reply"]!["traceback"]!.ToJsonString());
        Assert.True(R["interrupt_loop_seconds"]!.GetValue<double>() < 5, $"interrupt took {R["interrupt_loop_seconds"]} s");
        Assert.Equal("84", Plain(Assert.Single(Iopub(R["after_interrupt"]!, "execute_result"))));
    }

    [Fact]
    public void Interrupt_stops_a_cell_that_keeps_updating_a_display_from_code_outside_its_loops()
    {
        // Given a cell whose work runs in a LINQ pipeline (no loop statement in the cell) and updates a display, as a library training loop does
        var step = R["interrupt_display"]!;

        // Then the interrupt stops it at its next update, without abandoning it
        Assert.Equal("KeyboardInterrupt", step["reply"]!["ename"]!.GetValue<string>());
        Assert.DoesNotContain("abandoned", step["reply"]!["traceback"]!.ToJsonString());
        Assert.NotEmpty(Iopub(step, "update_display_data"));
        Assert.True(R["interrupt_display_seconds"]!.GetValue<double>() < 5, $"interrupt took {R["interrupt_display_seconds"]} s");
    }

    [Fact]
    public void Interrupt_abandons_a_cell_blocked_outside_its_own_loops_and_the_kernel_goes_on()
    {
        // Given a cell blocked in Thread.Sleep(60000), When the client interrupts
        var step = R["interrupt_sleep"]!;

        // Then after the grace period the cell is reported as interrupted (abandoned) and the kernel answers the next cell
        Assert.Equal("KeyboardInterrupt", step["reply"]!["ename"]!.GetValue<string>());
        Assert.Contains("abandoned", step["reply"]!["traceback"]![0]!.GetValue<string>());
        Assert.True(R["interrupt_sleep_seconds"]!.GetValue<double>() < 10);
        Assert.Equal("126", Plain(Assert.Single(Iopub(R["after_interrupt_sleep"]!, "execute_result"))));
    }

    [Fact]
    public void A_message_signed_with_the_wrong_key_is_not_executed()
    {
        // Given an execute_request `x = 1000;` signed with another key sent on the shell socket
        // When x is read afterwards with a properly signed request
        var step = R["after_bad_signature"]!;

        // Then x is unchanged
        Assert.Equal("42", Plain(Assert.Single(Iopub(step, "execute_result"))));
    }

    [Fact]
    public void Restart_gives_a_fresh_session_and_shutdown_ends_the_process()
    {
        // Given a restart (shutdown_request restart=true, then the client starts a new process)
        var lost = R["after_restart"]!;
        var fresh = R["after_restart_fresh"]!;

        // Then earlier state is gone, counts start again, new cells run, and shutdown leaves no process
        Assert.Equal("CompilationError", lost["reply"]!["ename"]!.GetValue<string>());
        Assert.Equal(1, lost["reply"]!["execution_count"]!.GetValue<int>());
        Assert.Equal("42", Plain(Assert.Single(Iopub(fresh, "execute_result"))));
        Assert.False(R["shutdown_alive"]!.GetValue<bool>());
    }

    [Fact]
    public void The_kernel_is_a_supervisor_and_its_worker_and_restart_and_shutdown_leave_neither_running()
    {
        // Given the kernel Jupyter started (the supervisor, with its worker process)
        // When it is restarted, and later shut down
        // Then it was two processes, and each time none of them is left
        Assert.Equal(2, R["kernel_processes"]!.GetValue<int>());
        Assert.Empty(R["restart_left_alive"]!.AsArray());
        Assert.Empty(R["shutdown_left_alive"]!.AsArray());
    }
}
