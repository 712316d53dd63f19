using System.Collections.Concurrent;

// A stand-in for the notebook frontend's API, with the same namespace, type names and signatures
// as Polyglot's Microsoft.DotNet.Interactive, which the library finds by reflection. Its presence in the test assembly is
// what the library's reflection bridge finds.
namespace Microsoft.DotNet.Interactive;

public static class Kernel
{
    public static ConcurrentQueue<DisplayedValue> Displayed { get; } = new();

    public static DisplayedValue display(object value, params string[] mimeTypes)
    {
        var shown = new DisplayedValue(value, mimeTypes);
        Displayed.Enqueue(shown);
        return shown;
    }
}

public sealed class DisplayedValue(object value, string[] mimeTypes)
{
    public object Value { get; } = value;

    public string[] MimeTypes { get; } = mimeTypes;

    public ConcurrentQueue<object> Updates { get; } = new();

    public void Update(object updatedValue) => Updates.Enqueue(updatedValue);
}
