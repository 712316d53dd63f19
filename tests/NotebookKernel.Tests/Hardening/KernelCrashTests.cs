using System.Text.Json.Nodes;
using static NotebookKernel.Tests.DrivenSession;

namespace NotebookKernel.Tests.Hardening;

/// <summary>The session of scripts/drive_crash.py: cells that end the worker process (a native abort, a stack overflow).</summary>
public sealed class CrashSession() : DrivenSession("drive_crash.py");

/// <summary>
/// What .NET cannot survive in-process — libtorch aborting on a matmul shape error that TorchSharp lets escape, a stack
/// overflow — ends only the kernel's worker: through the real jupyter_client, the cell gets a clear error and a reply,
/// the next cell runs in a fresh session, and the kernel process Jupyter started, its heartbeat and its checks stay.
/// </summary>
public sealed class KernelCrashTests(CrashSession session) : IClassFixture<CrashSession>
{
    private JsonObject R => session.Result;

    private static string Status(JsonNode step) => step["reply"]!["status"]!.GetValue<string>();

    private static void AssertCrashed(JsonNode step, params string[] says)
    {
        // the error on iopub and the execute_reply both say why, and that the variables are gone
        var error = Assert.Single(Iopub(step, "error"));
        Assert.Equal(KernelSupervisor.CrashedName, error["ename"]!.GetValue<string>());
        Assert.Equal("error", Status(step));
        Assert.Equal(KernelSupervisor.CrashedName, step["reply"]!["ename"]!.GetValue<string>());
        foreach (var text in says.Append("the kernel restarted and all variables are lost"))
        {
            Assert.Contains(text, error["evalue"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            Assert.Contains(text, step["reply"]!["evalue"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal("idle", Iopub(step, "status").Last()["execution_state"]!.GetValue<string>());
    }

    [Fact]
    public void A_matmul_shape_error_that_aborts_the_native_library_gives_a_clear_error_and_the_next_cell_runs_fresh()
    {
        // Given `var before = 41;` ran, When a cell calls torch.matmul on a 2x3 and a 4x5 tensor (libtorch aborts the process)
        Assert.Equal("ok", Status(R["torch"]!));
        var crash = R["matmul"]!;

        // Then the cell gets KernelCrashed naming the native crash and libtorch's message, and an execute_reply
        AssertCrashed(crash, "The native library crashed (SIGABRT)", "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");

        // And the next cells run in a fresh session: the variable is gone, as the message said, and a new worker serves
        Assert.Contains("'before' does not exist", R["after_matmul_variable"]!["reply"]!["evalue"]!.GetValue<string>());
        Assert.Equal("2", Plain(Assert.Single(Iopub(R["after_matmul"]!, "execute_result"))));
        Assert.NotEqual(R["workers_at_start"]!.ToJsonString(), R["workers_after_matmul"]!.ToJsonString());
    }

    [Fact]
    public void A_stack_overflow_in_a_lambda_gives_a_clear_error_with_the_runtimes_line_and_the_next_cell_runs_fresh()
    {
        // Given `var v = 5;` ran, When a cell's lambda calls itself without end (the kernel's stack checks do not cover lambdas)
        var crash = R["overflow"]!;

        // Then the cell gets KernelCrashed saying stack overflow, with the runtime's "Stack overflow." line
        AssertCrashed(crash, "Stack overflow while running this cell", "\"Stack overflow.\"");

        // And the next cells run in a fresh session
        Assert.Contains("'v' does not exist", R["after_overflow_variable"]!["reply"]!["evalue"]!.GetValue<string>());
        Assert.Equal("42", Plain(Assert.Single(Iopub(R["after_overflow"]!, "execute_result"))));
    }

    [Fact]
    public void A_cell_queued_behind_a_crashing_cell_is_answered_aborted()
    {
        // Given a crashing cell and another sent before it finished
        // When the worker dies running the first
        // Then the first gets the crash error, the queued one an aborted reply with its busy/idle status: no request is left unanswered
        AssertCrashed(R["queued_crash"]!, "Stack overflow");
        var queued = R["queued_behind"]!;
        Assert.Equal("aborted", Status(queued));
        Assert.Equal(["busy", "idle"], Iopub(queued, "status").Select(s => s["execution_state"]!.GetValue<string>()));
    }

    [Fact]
    public void A_worker_that_dies_after_its_cell_finished_leaves_a_note_under_that_cell()
    {
        // Given a cell that starts a thread which throws a second later, after the cell has finished
        Assert.Equal("ok", Status(R["late_throw"]!));

        // When .NET ends the worker for the exception nothing caught
        // Then the cell gets the worker's own last words and the supervisor's note, and the next cell runs
        var notes = string.Concat(R["late_notes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("late boom", notes);
        Assert.Contains("The kernel process ended while no cell was running: Unhandled exception. System.InvalidOperationException: late boom", notes);
        Assert.Contains("all variables are lost", notes);
        Assert.Equal("9", Plain(Assert.Single(Iopub(R["after_late"]!, "execute_result"))));
    }

    [Fact]
    public void The_kernel_process_heartbeat_and_interrupt_stay_through_the_restarts_and_shutdown_leaves_nothing()
    {
        // Given three crashes and restarts of the worker
        // Then Jupyter's kernel process is the one it started, the heartbeat beats, an interrupt reaches the new worker,
        // and shutdown ends every process of the kernel
        Assert.True(R["same_kernel_process"]!.GetValue<bool>());
        Assert.True(R["heartbeat"]!.GetValue<bool>());
        Assert.Equal("KeyboardInterrupt", R["interrupt_after_restart"]!["reply"]!["ename"]!.GetValue<string>());
        Assert.Empty(R["shutdown_left_alive"]!.AsArray());
    }

    [Fact]
    public void A_signed_message_replayed_after_a_restart_is_still_refused()
    {
        // Given a signed execute_request that ran before the worker crashed
        Assert.Contains(Iopub(R["replay_original"]!, "stream"), s => s["text"]!.GetValue<string>().Contains("replayed-marker"));

        // When the same bytes are sent again to the restarted kernel
        // Then nothing runs and nothing answers it (the supervisor remembers signatures across workers), and the kernel goes on
        Assert.Empty(R["replay_messages"]!.AsArray());
        Assert.False(R["replay_reply"]!.GetValue<bool>());
        Assert.Equal("ok", Status(R["after_replay"]!));
    }
}
