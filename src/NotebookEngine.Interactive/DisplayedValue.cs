using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Hosting;

namespace Microsoft.DotNet.Interactive;

/// <summary>An output shown by <see cref="Kernel.display"/>, which can later be replaced in place.</summary>
public class DisplayedValue
{
    private readonly IDisplaySink? _sink;

    internal DisplayedValue(string displayId, IReadOnlyList<string> mimeTypes, IDisplaySink? sink)
    {
        DisplayId = displayId;
        MimeTypes = mimeTypes;
        _sink = sink;
    }

    /// <summary>The id that frontends use to find this output again (<c>transient.display_id</c>).</summary>
    public string DisplayId { get; }

    /// <summary>The MIME types the value is shown with.</summary>
    public IReadOnlyList<string> MimeTypes { get; }

    /// <summary>Replaces this output with <paramref name="updatedValue"/>, formatted with the same MIME types.</summary>
    public void Update(object updatedValue)
    {
        if (_sink is not null)
            _sink.Update(this, updatedValue);
        else
            Console.WriteLine(updatedValue.ToDisplayString(PlainTextFormatter.MimeType));
    }

    internal static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var sink = KernelHost.Current;
        var displayed = new DisplayedValue(Guid.NewGuid().ToString("N"), mimeTypes, sink);
        if (sink is not null)
            sink.Publish(displayed, value, mimeTypes);
        else
            Console.WriteLine(value?.ToDisplayString(PlainTextFormatter.MimeType) ?? "<null>");
        return displayed;
    }
}
