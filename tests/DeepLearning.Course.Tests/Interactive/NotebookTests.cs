using DeepLearning.Course.Interactive;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace DeepLearning.Course.Tests.Interactive;

[Collection("Console")]
public class NotebookTests
{
    [Fact]
    public void Display_finds_the_frontend_kernel_by_reflection_and_updates_in_place()
    {
        // Given a frontend's Kernel.display is loaded (the fake in this assembly)
        var value = new object();
        // When the library displays a value and then updates it
        var handle = Notebook.Display(value, "text/html", "text/plain");
        handle.Update("second");
        // Then the frontend received the value with the MIME types, and the update went to its DisplayedValue
        var shown = Kernel.Displayed.Single(d => ReferenceEquals(d.Value, value));
        Assert.Equal(["text/html", "text/plain"], shown.MimeTypes);
        Assert.True(handle.IsLive);
        Assert.Equal(["second"], shown.Updates.ToArray());
    }

    [Fact]
    public void Without_a_frontend_display_writes_plain_text_to_the_console()
    {
        // Given no frontend
        var console = new StringWriter();
        Notebook.ForceConsole = true;
        Notebook.ConsoleOverride = console;
        try
        {
            // When a value is displayed and updated
            var handle = Notebook.Display("hello board", "text/html");
            handle.Update("updated board");
            // Then both appear as console text and the handle is not live
            Assert.False(handle.IsLive);
            Assert.Contains("hello board", console.ToString());
            Assert.Contains("updated board", console.ToString());
        }
        finally
        {
            Notebook.ForceConsole = false;
            Notebook.ConsoleOverride = null;
        }
    }

    [Fact]
    public void In_dotnet_interactive_display_and_update_publish_on_the_invocation_context_with_one_display_id()
    {
        // Given a running .NET Interactive cell (an invocation context is current; the fakes in this assembly)
        var context = KernelInvocationContext.Enter();
        try
        {
            // When the library displays a value and then updates it twice
            var handle = Notebook.Display("first frame", "text/plain");
            handle.Update("second frame");
            handle.Update("last frame");
            // Then the context got one DisplayedValueProduced and two DisplayedValueUpdated events, all with the display id
            // first published (Kernel.display's DisplayedValue would name another: dotnet/interactive#3970), formatted as asked
            var events = context.Events.ToArray();
            var produced = Assert.IsType<DisplayedValueProduced>(events[0]);
            var updates = events.Skip(1).Select(e => Assert.IsType<DisplayedValueUpdated>(e)).ToList();
            Assert.Equal(2, updates.Count);
            Assert.All(updates, u => Assert.Equal(produced.ValueId, u.ValueId));
            Assert.False(string.IsNullOrWhiteSpace(produced.ValueId));
            Assert.Equal("SubmitCode", produced.Command);
            Assert.Equal([new FormattedValue("text/plain", "last frame")], (IReadOnlyList<FormattedValue>)updates[^1].FormattedValues);
            Assert.True(handle.IsLive);
            Assert.True(Notebook.HasFrontend);
            Assert.DoesNotContain(Kernel.Displayed, d => Equals(d.Value, "first frame"));
        }
        finally
        {
            KernelInvocationContext.Leave();
        }
    }
}
