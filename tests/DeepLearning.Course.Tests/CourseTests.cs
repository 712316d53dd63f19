using DeepLearning.Course.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests;

[Collection("Console")] // Setup writes to the console and reseeds the global generators
public class CourseTests
{
    [Fact]
    public void The_same_seed_gives_the_same_torch_and_dotnet_random_numbers()
    {
        Course.Seed(42);
        using var a = rand(5);
        var r1 = Course.Random.Next();
        Course.Seed(42);
        using var b = rand(5);
        var r2 = Course.Random.Next();
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.Equal(r1, r2);
        Assert.Equal(42, Course.CurrentSeed);
    }

    [Fact]
    public void Setup_registers_formatters_and_prints_one_banner_line_after_the_host_notes_that_apply()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        try
        {
            Course.Setup(seed: 7, threads: Course.Threads);
        }
        finally
        {
            Console.SetOut(original);
        }
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        // The only note this process can get: the worker-thread one (xunit runs tests off the process's first thread;
        // whether it applies depends on MALLOC_ARENA_MAX in the test's environment)
        var note = DeepLearning.Course.Platform.NativeAllocator.WorkerThreadNote();
        Assert.Equal(note.Length == 0 ? [] : new[] { note }, lines[..^1]);
        var banner = lines[^1];
        Assert.Matches(@"^DeepLearning\.Course \d+\.\d+\.\d+ \| TorchSharp 0\.107\.0 \(libtorch \d+\.\d+\.\d+\) \| device (cpu|cuda .+) \| \d+ threads \| seed 7 \| malloc (tuned|default.*)$", banner);
        Assert.True(Formatters.IsRegistered);
        Assert.NotEqual(DeepLearning.Course.Platform.NativeAllocatorStatus.NotConfigured, DeepLearning.Course.Platform.NativeAllocator.Status);
        Assert.Equal(7, Course.CurrentSeed);
        Assert.Equal(cuda.is_available() ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU, Course.Device.type);
    }
}
