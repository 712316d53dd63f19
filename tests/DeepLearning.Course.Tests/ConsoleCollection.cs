namespace DeepLearning.Course.Tests;

/// <summary>Tests that switch the display bridge to console mode run one at a time.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public class ConsoleCollection;
