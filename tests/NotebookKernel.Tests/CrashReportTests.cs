namespace NotebookKernel.Tests;

/// <summary>How a dead process's stderr and exit code become the one line a report shows and the message a cell shows.</summary>
public sealed class CrashReportTests
{
    private static CrashReport Read(params string[] lines)
    {
        var report = new CrashReport();
        foreach (var line in lines)
            report.Observe(line);
        return report;
    }

    [Fact]
    public void A_native_abort_names_the_native_librarys_message_even_after_its_frames()
    {
        // Given libtorch's abort as the C++ runtime prints it, followed by many frames
        var report = Read(["[kernel] engine warm", "terminate called after throwing an instance of 'c10::Error'",
            "  what():  mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", .. Enumerable.Range(0, 50).Select(i => $"frame #{i}: somewhere")]);

        // Then the reason and the cell's message name the crash and the message; the tail is bounded
        Assert.Equal("the native library aborted the process (SIGABRT): mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", report.Reason(134));
        Assert.StartsWith("The native library crashed (SIGABRT) while running this cell: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5).", report.CellMessage(134));
        Assert.Contains("The kernel restarted and all variables are lost", report.CellMessage(134));
        Assert.Equal(CrashReport.TailLength, report.Tail.Count);
    }

    [Fact]
    public void A_stack_overflow_keeps_the_runtimes_line()
    {
        var report = Read(["Stack overflow.", "Repeated 349312 times:", "   at Submission#3.<<Initialize>>b__0_0(Int32)", "Unhandled exception. not this one"]);
        Assert.True(report.StackOverflow);
        Assert.Equal("Stack overflow.", report.Reason(134));
        Assert.StartsWith("Stack overflow while running this cell (the .NET runtime printed \"Stack overflow.\")", report.CellMessage(134));
    }

    [Theory]
    [InlineData(134, "the process aborted (SIGABRT), most likely in native code", "The native library crashed (SIGABRT) while no cell was running.")]
    [InlineData(139, "the process crashed in native code (SIGSEGV)", "The kernel process ended while no cell was running (SIGSEGV).")]
    [InlineData(137, "the process was killed (SIGKILL; the system may have run out of memory)", "(SIGKILL; the system may have run out of memory)")]
    [InlineData(3, null, "The kernel process ended while no cell was running (exit code 3).")]
    public void Without_a_line_the_exit_code_says_what_it_can(int exitCode, string? reason, string message)
    {
        // Given nothing about the cause on stderr
        var report = Read("some output");

        // Then the signal in the exit code is named (a normal exit code is given as it is)
        Assert.Equal(reason, report.Reason(exitCode));
        Assert.Contains(message, report.CellMessage(exitCode, running: false));
    }

    [Fact]
    public void An_unhandled_exception_is_named_not_taken_for_a_native_crash()
    {
        // Given .NET's line for an exception nothing caught (the runtime then aborts: exit code 134 as for a native abort)
        var report = Read("Unhandled exception. System.InvalidOperationException: boom", "   at Program.Main()");

        // Then the exception is what the report and the cell are told
        Assert.Equal("Unhandled exception. System.InvalidOperationException: boom", report.Reason(134));
        Assert.StartsWith("The kernel process ended while running this cell: Unhandled exception. System.InvalidOperationException: boom", report.CellMessage(134));
    }
}
