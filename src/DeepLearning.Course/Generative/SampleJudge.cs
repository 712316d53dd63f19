using DeepLearning.Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Generative;

/// <summary>
/// One yardstick for generated images: a trained classifier (chapter 07's judge, a <see cref="ModernCnn"/>) says which
/// class each image shows and how sure it is (<see cref="Verdict"/>), and its penultimate layer gives each image a feature
/// vector (<see cref="Features"/>) in which two sets of images are compared by the Fréchet distance
/// (<see cref="FrechetDistance"/>), FID's formula on the course's judge instead of Inception-v3.
/// </summary>
/// <remarks>
/// Introduced in chapter 09 (diffusion models), which scores the DCGAN (07), the VAE (08) and the DDPM (09) with it;
/// chapter 07 writes the verdict out in its notebook. Images are <c>(N, 1, 28, 28)</c> in [0, 1]. The distance is not the
/// Inception FID and its numbers are not comparable with published FIDs: it measures the same thing in the judge's
/// 128-dimensional feature space.
/// </remarks>
public sealed class SampleJudge
{
    /// <summary>Wraps a trained classifier.</summary>
    /// <param name="classifier">The judge; it is put in evaluation mode.</param>
    public SampleJudge(ModernCnn classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        Classifier = classifier;
        Classifier.eval();
    }

    /// <summary>The classifier.</summary>
    public ModernCnn Classifier { get; }

    /// <summary>Class probabilities of images.</summary>
    /// <param name="images">Images <c>(N, 1, 28, 28)</c> in [0, 1].</param>
    /// <returns>Probabilities <c>(N, classes)</c>.</returns>
    public Tensor Probabilities(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Batched(images, x => softmax(Classifier.call(x), 1));
    }

    /// <summary>The judge's penultimate layer (after its ReLU): one feature vector per image.</summary>
    /// <param name="images">Images <c>(N, 1, 28, 28)</c> in [0, 1].</param>
    /// <returns>Features <c>(N, Hidden)</c>, float64.</returns>
    public Tensor Features(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var head = Classifier.Head;
        var fc1 = (nn.Module<Tensor, Tensor>)head.named_children().Single(c => c.name == "fc1").module;
        return Batched(images, x => nn.functional.relu(fc1.call(Classifier.Features.call(x))).to(float64));
    }

    /// <summary>Classes covered and mean top-class probability of a set of images.</summary>
    /// <param name="images">Images <c>(N, 1, 28, 28)</c> in [0, 1].</param>
    /// <param name="minShare">The share of images a class needs to count as covered.</param>
    /// <returns>The verdict.</returns>
    public JudgeVerdict Verdict(Tensor images, double minShare = 0.02)
    {
        using var scope = NewDisposeScope();
        var p = Probabilities(images);
        var (top, cls) = p.max(1);
        var perClass = bincount(cls, minlength: (int)p.shape[1]).data<long>().ToArray();
        return new JudgeVerdict(perClass.Count(c => c >= minShare * images.shape[0]), top.mean().item<float>(), perClass);
    }

    /// <summary>The Fréchet distance between the judge's features of two sets of images.</summary>
    /// <param name="images">Images <c>(N, 1, 28, 28)</c> in [0, 1].</param>
    /// <param name="reference">Reference images, e.g. real test images.</param>
    /// <returns>The distance (0 for identical feature statistics).</returns>
    public double FrechetDistance(Tensor images, Tensor reference)
    {
        using var scope = NewDisposeScope();
        return FrechetDistanceOfFeatures(Features(images), Features(reference));
    }

    /// <summary>
    /// The Fréchet distance between the Gaussians fitted to two sets of feature vectors (Heusel et al. 2017's FID formula):
    /// <c>‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½)</c>. The trace of the matrix square root is computed as the sum of the square
    /// roots of the eigenvalues of the symmetric <c>Σ₁^½ Σ₂ Σ₁^½</c>, which has the same eigenvalues as <c>Σ₁ Σ₂</c>.
    /// </summary>
    /// <param name="a">Features <c>(N, D)</c>.</param>
    /// <param name="b">Features <c>(M, D)</c>.</param>
    /// <returns>The distance.</returns>
    public static double FrechetDistanceOfFeatures(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 2 || b.dim() != 2 || a.shape[1] != b.shape[1])
            throw new ArgumentException($"Feature sets must be (N, D) and (M, D) with the same D; got ({string.Join(", ", a.shape)}) and ({string.Join(", ", b.shape)}).");
        if (a.shape[0] < 2 || b.shape[0] < 2) throw new ArgumentException("Each feature set needs at least two rows for a covariance.");
        using var scope = NewDisposeScope();
        a = a.to(float64);
        b = b.to(float64);
        var (mean1, mean2) = (a.mean([0L]), b.mean([0L]));                       // (D)
        var d = a.shape[1];
        var (cov1, cov2) = (a.T.cov().reshape(d, d), b.T.cov().reshape(d, d));    // (D, D); cov gives a scalar when D = 1
        var root1 = SymmetricSqrt(cov1);
        var middle = matmul(matmul(root1, cov2), root1);                          // symmetric, eigenvalues of Σ₁ Σ₂
        var traceRoot = linalg.eigvalsh((middle + middle.T) / 2).clamp_min(0).sqrt().sum();
        var distance = (mean1 - mean2).square().sum() + cov1.trace() + cov2.trace() - 2 * traceRoot;
        return distance.item<double>();
    }

    private static Tensor SymmetricSqrt(Tensor m)
    {
        var (values, vectors) = linalg.eigh((m + m.T) / 2);
        return matmul(vectors * values.clamp_min(0).sqrt().unsqueeze(0), vectors.T);
    }

    private Tensor Batched(Tensor images, Func<Tensor, Tensor> f)
    {
        var c = Classifier.Config;
        if (images.dim() != 4 || images.shape[1] != c.InChannels || images.shape[2] != c.ImageSize || images.shape[3] != c.ImageSize)
            throw new ArgumentException($"The judge takes images (N, {c.InChannels}, {c.ImageSize}, {c.ImageSize}) in [0, 1]; got ({string.Join(", ", images.shape)}).", nameof(images));
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long i = 0; i < images.shape[0]; i += 1000)
            parts.Add(f(images.narrow(0, i, Math.Min(1000, images.shape[0] - i))));
        return cat(parts, 0);
    }
}
