using System.Diagnostics;

namespace NotebookKernel.Tests.Hardening;

/// <summary>Runs alone: a supervisor ends NetMQ's shared context when disposed, which in-process kernels of other tests use.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SupervisorCollection
{
    public const string Name = "In-process supervisor";
}

/// <summary>The supervisor in the test process, with a worker command that cannot start (a broken install, not a cell).</summary>
[Collection(SupervisorCollection.Name)]
public sealed class KernelSupervisorTests
{
    [Fact]
    public async Task A_worker_that_dies_before_answering_anything_is_retried_then_the_supervisor_gives_up_with_exit_code_1()
    {
        // Given a supervisor whose worker exits at once, saying why on stderr
        var log = new StringWriter();
        var connection = new ConnectionInfo
        {
            Key = "k", ShellPort = InProcessKernel.FreePort(), IOPubPort = InProcessKernel.FreePort(), StdinPort = InProcessKernel.FreePort(),
            ControlPort = InProcessKernel.FreePort(), HeartbeatPort = InProcessKernel.FreePort(),
        };
        using var supervisor = new KernelSupervisor(connection, _ => new ProcessStartInfo("/bin/sh", ["-c", "echo broken install >&2; exit 1"]), log);

        // When it runs
        var run = Task.Run(supervisor.Run);

        // Then it starts the worker MaxFailedStarts times, not forever, and ends with exit code 1, its log saying why
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "the supervisor kept restarting a worker that cannot start\n" + log);
        Assert.Equal(1, await run);
        var text = log.ToString();
        Assert.Equal(KernelSupervisor.MaxFailedStarts, text.Split("broken install").Length - 1);
        Assert.Contains($"died {KernelSupervisor.MaxFailedStarts} times in a row before answering a request; giving up", text);
    }
}
