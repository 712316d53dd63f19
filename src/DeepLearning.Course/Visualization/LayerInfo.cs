
namespace DeepLearning.Course.Visualization;

/// <summary>One row of a <see cref="ModelSummary"/>.</summary>
/// <param name="Name">The module's path in the model (e.g. <c>net.0</c>).</param>
/// <param name="Type">The module's type name (e.g. <c>Linear</c>).</param>
/// <param name="OutputShape">Output shape from the sample forward pass, or empty when it did not run.</param>
/// <param name="Parameters">Number of parameters the module owns directly.</param>
/// <remarks>Introduced in chapter 02 (MLP).</remarks>
public sealed record LayerInfo(string Name, string Type, long[] OutputShape, long Parameters);
