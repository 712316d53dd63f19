namespace NotebookRunner.Run;

/// <summary>A published number a recorded metric is compared with, as the library's <c>PublishedResult</c> writes it.</summary>
/// <param name="Id">The anchor in <c>REFERENCES.md</c>, e.g. <c>fashion-mnist-readme-mlp</c>.</param>
/// <param name="Value">The number as published (<c>0.883</c>, <c>0.876–0.916</c>, <c>~1.88</c>).</param>
/// <param name="What">What was measured.</param>
/// <param name="Source">Where it is published.</param>
public sealed record PublishedAnchor(string Id, string Value, string What, string Source);
