namespace DeepLearning.Course.Tests.Hardening;

/// <summary>
/// Fault-injection tests run alone: they seed and draw from libtorch's global generator, which other
/// tests running at the same time would disturb (and be disturbed by).
/// </summary>
[CollectionDefinition("Hardening", DisableParallelization = true)]
public class HardeningCollection;
