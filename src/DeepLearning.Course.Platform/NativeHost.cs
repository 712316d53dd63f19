namespace DeepLearning.Course.Platform;

/// <summary>What <see cref="NativeHost.Prepare"/> found and did.</summary>
/// <param name="NativeFix">The libstdc++ compatibility fix over every copy of TorchSharp's native library.</param>
/// <param name="Allocator">The state of glibc's allocator tuning, one short phrase (<see cref="NativeAllocator.Describe"/>, e.g. <c>malloc tuned</c>).</param>
/// <param name="SystemLibTorch">What <see cref="SystemLibTorch.PreferPackageCopies"/> did about a system libtorch (empty when nothing was needed).</param>
/// <param name="WorkerThread">The note for a cell thread the tuning cannot reach (<see cref="NativeAllocator.WorkerThreadNote()"/>; empty when none).</param>
public sealed record NativeHostReport(NativeFixReport NativeFix, string Allocator, string SystemLibTorch, string WorkerThread = "")
{
    /// <summary>
    /// What a setup cell should print before its banner: the fix's <see cref="NativeFixReport.Summary"/>, the system-libtorch
    /// note and the worker-thread note (<see cref="NativeAllocator.WorkerThreadNote()"/>), one per line (empty when nothing happened).
    /// </summary>
    public string Summary => string.Join(Environment.NewLine, new[] { NativeFix.Summary, SystemLibTorch, WorkerThread }.Where(s => s.Length > 0));
}

/// <summary>
/// Gets this process ready for TorchSharp, in one call: makes its native library loadable
/// (<see cref="TorchSharpNative.EnsureLoadable"/>), makes sure a system libtorch cannot shadow TorchSharp's own
/// (<see cref="SystemLibTorch.PreferPackageCopies"/>), then keeps freed tensor memory in the process between training
/// steps (<see cref="NativeAllocator.Configure()"/>).
/// </summary>
/// <remarks>
/// The helper library's <c>Course.Setup</c> (every chapter's setup cell) calls <see cref="Prepare"/> before the first
/// tensor is created (its only call into this project) and keeps the report for its banner. Safe to call repeatedly.
/// </remarks>
public static class NativeHost
{
    /// <summary>Applies the libstdc++ compatibility fix, then the allocator tuning.</summary>
    /// <returns>What was found and done; print <see cref="NativeHostReport.Summary"/> when it is not empty.</returns>
    public static NativeHostReport Prepare()
    {
        // Before the first torch call: make libLibTorchSharp.so loadable on GCC 12 hosts (Debian 12).
        var nativeFix = TorchSharpNative.EnsureLoadable();
        // Hosts that load libtorch by name (.NET Interactive) would take a system libtorch (Debian's libtorch-dev) instead.
        var systemLibTorch = SystemLibTorch.PreferPackageCopies();
        // Keep freed tensor memory in the process between steps (3x faster CNN steps on the course's VM; README "Speed").
        NativeAllocator.Configure();
        // What the tuning cannot reach from here: a cell thread with its own glibc arena (Microsoft's .NET Interactive).
        return new NativeHostReport(nativeFix, NativeAllocator.Describe(), systemLibTorch, NativeAllocator.WorkerThreadNote());
    }
}
