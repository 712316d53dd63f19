using System.Collections.Concurrent;

// A stand-in for Microsoft .NET Interactive's invocation context and display events, with the type
// names and constructor shapes of Microsoft.DotNet.Interactive 1.0.0-beta.26120.1. The library's
// KernelContextDisplay finds them by reflection; Current is null unless a test sets it, so other
// tests see the Kernel.display stand-in (FakeKernel.cs) instead.
namespace Microsoft.DotNet.Interactive
{
    public sealed class KernelInvocationContext
    {
        private static readonly AsyncLocal<KernelInvocationContext?> Ambient = new();

        public static KernelInvocationContext? Current => Ambient.Value;

        public string Command { get; } = "SubmitCode";

        public ConcurrentQueue<object> Events { get; } = new();

        public static KernelInvocationContext Enter() => Ambient.Value = new KernelInvocationContext();

        public static void Leave() => Ambient.Value = null;

        public void Publish(object kernelEvent) => Events.Enqueue(kernelEvent);
    }
}

namespace Microsoft.DotNet.Interactive.Formatting
{
    public sealed record FormattedValue(string MimeType, string Value)
    {
        public static IReadOnlyList<FormattedValue> CreateManyFromObject(object value, params string[] mimeTypes) =>
            [.. mimeTypes.Select(m => new FormattedValue(m, Formatter.ToDisplayString(value, m)))];
    }
}

namespace Microsoft.DotNet.Interactive.Events
{
    public sealed record DisplayedValueProduced(object Value, object Command, object FormattedValues, string ValueId);

    public sealed record DisplayedValueUpdated(object Value, string ValueId, object Command, object FormattedValues);
}
