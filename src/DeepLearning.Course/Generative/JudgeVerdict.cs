namespace DeepLearning.Course.Generative;

/// <summary>What <see cref="SampleJudge.Verdict"/> says about a set of images.</summary>
/// <param name="Covered">Classes that hold at least 2% of the images by the judge's top class.</param>
/// <param name="Confidence">Mean top-class probability: how sure the judge is, on average, of what each image shows.</param>
/// <param name="PerClass">Images per top class.</param>
/// <remarks>Introduced in chapter 09 (diffusion models); chapter 07 writes the same verdict out in its notebook.</remarks>
public sealed record JudgeVerdict(int Covered, double Confidence, IReadOnlyList<long> PerClass);
