using DeepLearning.Course.Interactive;
using Microsoft.DotNet.Interactive;

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
}
