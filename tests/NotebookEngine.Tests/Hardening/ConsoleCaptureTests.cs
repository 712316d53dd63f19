using System.Diagnostics;
using NotebookEngine.Execution;

namespace NotebookEngine.Tests.Hardening;

/// <summary>Console capture is linear, loses nothing below its cap, says what it left out above it, and gives cells no stdin.</summary>
[Collection(EngineCollection.Name)]
public class ConsoleCaptureTests
{
    public static TheoryData<int> LineCounts() => [1, 9_999, 20_000, 20_001, 100_000, 400_000];

    [Theory]
    [MemberData(nameof(LineCounts))]
    public void Printed_lines_are_kept_up_to_the_cap_and_the_rest_is_counted_in_a_note(int lines)
    {
        // Given
        var outputs = new CellOutputs();
        var clock = Stopwatch.StartNew();

        // When
        for (var i = 0; i < lines; i++)
            outputs.WriteStream("stdout", $"line {i}\n");
        var text = outputs.Snapshot().Single()["text"]!.GetValue<string>();

        // Then: linear (400,000 lines took 21 s per 20,000 when quadratic)
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{lines} lines took {clock.Elapsed}");
        var kept = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cap = StreamText.HeadLines + StreamText.TailLines;
        if (lines <= cap)
        {
            Assert.Equal(lines, kept.Length);
            Assert.DoesNotContain("output truncated", text);
        }
        else
        {
            Assert.Contains($"... output truncated: {lines - cap:N0} line{(lines - cap == 1 ? "" : "s")} not shown ...", text);
            Assert.Equal("line 0", kept[0]);
            Assert.Equal($"line {StreamText.HeadLines - 1}", kept[StreamText.HeadLines - 1]);
            Assert.Equal($"line {lines - 1}", kept[^1]);
            Assert.Equal(cap + 1, kept.Length);
        }
    }

    [Fact]
    public void One_huge_line_is_cut_with_a_note_of_the_characters_left_out()
    {
        var outputs = new CellOutputs();
        var chunk = new string('x', 1 << 16);

        for (var i = 0; i < 200; i++)
            outputs.WriteStream("stdout", chunk);
        var text = outputs.Snapshot().Single()["text"]!.GetValue<string>();

        Assert.Contains("characters not shown", text);
        Assert.True(text.Length <= StreamText.HeadChars + StreamText.TailChars + 200);
    }

    [Fact]
    public void Live_events_carry_every_write_even_past_the_cap()
    {
        var outputs = new CellOutputs();
        var received = 0L;
        outputs.Changed += e => received += e.Output["text"]!.GetValue<string>().Length;

        for (var i = 0; i < 30_000; i++)
            outputs.WriteStream("stdout", "0123456789\n");

        Assert.Equal(30_000 * 11, received);
    }

    [Fact]
    public async Task A_cell_printing_twenty_thousand_lines_keeps_them_all()
    {
        var session = new KernelSession(Path.GetTempPath());

        var result = await session.ExecuteAsync("for (var i = 0; i < 20000; i++) Console.WriteLine(i);");

        Assert.True(result.Succeeded, result.ErrorValue);
        var text = result.Outputs.Single()["text"]!.GetValue<string>();
        Assert.Equal(20_000, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("19999\n", text);
    }

    [Fact]
    public async Task Console_ReadLine_in_a_cell_returns_null_at_once_and_says_why()
    {
        var session = new KernelSession(Path.GetTempPath());

        var run = session.ExecuteAsync("Console.ReadLine() is null && Console.In.Read() == -1");
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, result.ErrorValue);
        Assert.Equal("True", result.Outputs.Single(o => o["output_type"]!.GetValue<string>() == "execute_result")["data"]!["text/plain"]!.GetValue<string>());
        Assert.Contains("stdin is closed", result.Outputs.Single(o => o["output_type"]!.GetValue<string>() == "stream")["text"]!.GetValue<string>());
    }
}
