using System.Runtime.InteropServices;
using DeepLearning.Course.Platform;

namespace DeepLearning.Course.Platform.Tests;

/// <summary>
/// NativeAllocator keeps large freed blocks in glibc's heap instead of mapping and unmapping them per allocation:
/// observed through glibc's own accounting (mallinfo2: hblks counts blocks currently served by mmap).
/// </summary>
[Collection("Console")] // process-wide allocator settings; keep away from tests that time things
public class NativeAllocatorTests
{
    [LinuxFact]
    public void Configure_tunes_glibc_and_large_blocks_are_no_longer_mapped_separately()
    {
        // Given a glibc process (the Debian CI machine)
        Assert.True(NativeAllocator.IsGlibc(), "expected glibc on this Linux host");
        // When the allocator is configured
        var status = NativeAllocator.Configure(switchValue: null);
        // Then glibc accepted both thresholds ...
        Assert.Equal(NativeAllocatorStatus.Tuned, status);
        Assert.Equal("malloc tuned", NativeAllocator.Describe());
        // ... and a 16 MiB block (far above glibc's 128 KiB default mmap threshold) comes from the heap, not its own mapping
        var before = MallInfo();
        var block = Marshal.AllocHGlobal(16 << 20); // malloc on Unix
        try
        {
            // (deltas, not equalities: tests in other collections allocate concurrently)
            var during = MallInfo();
            Assert.True(Delta(before.Hblkhd, during.Hblkhd) < 16 << 20, $"mapped bytes {before.Hblkhd} -> {during.Hblkhd}");
            Assert.True(Delta(before.Uordblks, during.Uordblks) >= 15 << 20, $"heap in use {before.Uordblks} -> {during.Uordblks}");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
        // And so does a block above glibc's largest mmap threshold (32 MiB): separate mappings are off (an LSTM's workspace).
        // (48 MiB: on a thread other than the process's first, glibc still maps blocks larger than its 64 MiB per-thread heaps.)
        var big = Marshal.AllocHGlobal(48 << 20);
        try { Assert.True(Delta(before.Hblkhd, MallInfo().Hblkhd) < 48 << 20, "a 48 MiB block should come from the heap"); }
        finally { Marshal.FreeHGlobal(big); }
    }

    [LinuxFact]
    public void A_tensor_step_sized_allocation_reuses_heap_memory_after_configure()
    {
        // Given a configured allocator
        Assert.Equal(NativeAllocatorStatus.Tuned, NativeAllocator.Configure(switchValue: ""));
        // When libtorch allocates and frees a 12.8 MB activation (chapter 03's first conv output) twice
        var before = MallInfo();
        using (var a = TorchSharp.torch.empty(128, 32, 28, 28)) a.fill_(1);
        var afterFirst = MallInfo();
        using (var b = TorchSharp.torch.empty(128, 32, 28, 28)) b.fill_(2);
        var afterSecond = MallInfo();
        // Then neither was served by a separate mapping, and the freed memory stayed in the heap (not trimmed)
        Assert.True(Delta(before.Hblkhd, afterFirst.Hblkhd) < 12 << 20, $"mapped bytes {before.Hblkhd} -> {afterFirst.Hblkhd}");
        Assert.True(Delta(before.Hblkhd, afterSecond.Hblkhd) < 12 << 20, $"mapped bytes {before.Hblkhd} -> {afterSecond.Hblkhd}");
        Assert.True(afterSecond.Arena >= 12_845_056, $"heap size {afterSecond.Arena} after freeing a 12.8 MB tensor");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("off")]
    [InlineData(" OFF ")]
    [InlineData("0")]
    public void DLCOURSE_MALLOC_default_keeps_glibc_defaults(string value)
    {
        try
        {
            Assert.Equal(NativeAllocatorStatus.Disabled, NativeAllocator.Configure(value));
            Assert.Equal("malloc default (DLCOURSE_MALLOC)", NativeAllocator.Describe());
        }
        finally
        {
            NativeAllocator.Configure(switchValue: null); // leave the process as Course.Setup does
        }
    }

    [Fact]
    public void The_child_environment_names_the_same_thresholds()
    {
        Assert.Equal("33554432", NativeAllocator.ChildEnvironment["MALLOC_MMAP_THRESHOLD_"]);
        Assert.Equal("268435456", NativeAllocator.ChildEnvironment["MALLOC_TRIM_THRESHOLD_"]);
        Assert.Equal("0", NativeAllocator.ChildEnvironment["MALLOC_MMAP_MAX_"]);
        Assert.Equal("1", NativeAllocator.ChildEnvironment["MALLOC_ARENA_MAX"]);
        Assert.Equal(NativeAllocator.MmapThresholdBytes.ToString(), NativeAllocator.ChildEnvironment["MALLOC_MMAP_THRESHOLD_"]);
    }

    [Fact]
    public void Processes_started_for_notebooks_get_one_heap_for_all_threads_unless_switched_off()
    {
        // Given the environment of a process about to start
        var env = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };
        // When the startup settings are added
        NativeAllocator.AddStartupEnvironment(env);
        // Then glibc will keep one heap for all threads
        Assert.Equal("1", env["MALLOC_ARENA_MAX"]);

        // And a value the user chose is kept
        var chosen = new Dictionary<string, string?> { ["MALLOC_ARENA_MAX"] = "4" };
        NativeAllocator.AddStartupEnvironment(chosen);
        Assert.Equal("4", chosen["MALLOC_ARENA_MAX"]);

        // And DLCOURSE_MALLOC=default in that environment leaves it alone
        var off = new Dictionary<string, string?> { [NativeAllocator.SwitchVariable] = "default" };
        NativeAllocator.AddStartupEnvironment(off);
        Assert.False(off.ContainsKey("MALLOC_ARENA_MAX"));
    }

    [Fact]
    public void The_setup_cell_notes_a_worker_thread_without_one_heap_and_says_how_to_start_the_kernel()
    {
        // Given a tuned allocator on a thread other than the process's first, without MALLOC_ARENA_MAX=1 (Microsoft's kernel)
        var note = NativeAllocator.WorkerThreadNote(NativeAllocatorStatus.Tuned, onOtherThread: true, arenaMax: null);
        // Then the note names the cause and the kernel.json fix
        Assert.Contains("MALLOC_ARENA_MAX", note);
        Assert.Contains("kernel.json", note);
        Assert.Contains("64 MiB", note);
        // And there is no note with the setting, on the first thread, or when the tuning is off
        Assert.Equal("", NativeAllocator.WorkerThreadNote(NativeAllocatorStatus.Tuned, onOtherThread: true, arenaMax: "1"));
        Assert.Equal("", NativeAllocator.WorkerThreadNote(NativeAllocatorStatus.Tuned, onOtherThread: false, arenaMax: null));
        Assert.Equal("", NativeAllocator.WorkerThreadNote(NativeAllocatorStatus.Disabled, onOtherThread: true, arenaMax: null));
    }

    [LinuxFact]
    public void The_first_thread_is_told_apart_from_a_fresh_one()
    {
        // Given the test's own thread and a fresh thread: at most one of them is the process's first, and a fresh one never is
        var fresh = true;
        var thread = new Thread(() => fresh = NativeAllocator.OnFirstThread());
        thread.Start();
        thread.Join();
        Assert.False(fresh);
    }

    private static MallInfo2 MallInfo() => mallinfo2();

    private static long Delta(nuint before, nuint after) => (long)after - (long)before;

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern MallInfo2 mallinfo2();

    /// <summary>glibc's struct mallinfo2 (malloc.h, glibc 2.33+): ten size_t fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        public readonly nuint Arena;     // non-mmapped space allocated (bytes)
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;     // number of mmapped regions
        public readonly nuint Hblkhd;    // bytes in mmapped regions
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;  // allocated bytes in use
        public readonly nuint Fordblks;  // free bytes
        public readonly nuint Keepcost;
    }
}
