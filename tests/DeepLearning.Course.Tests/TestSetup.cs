using System.Runtime.CompilerServices;

namespace DeepLearning.Course.Tests;

internal static class TestSetup
{
    /// <summary>
    /// The models under test are tiny; one torch thread avoids OpenMP spin-waiting when the test
    /// runner's parallel tests (and other processes) oversubscribe the cores.
    /// </summary>
    [ModuleInitializer]
    internal static void OneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
