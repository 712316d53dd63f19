using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// A variational autoencoder (Kingma &amp; Welling 2014) with the MLP of PyTorch's VAE example: an encoder
/// <c>784 → 400 → (μ, log σ²)</c> of a 20-dimensional Gaussian <c>q(z | x)</c>, a code drawn by the
/// reparameterisation trick <c>z = μ + σ ε</c>, and a decoder <c>20 → 400 → 784</c> whose outputs are the logits
/// of independent Bernoulli pixels, <c>p(x | z)</c>. The prior is <c>p(z) = N(0, I)</c>.
/// </summary>
/// <remarks>
/// Introduced in chapter 08 (autoencoders and VAEs), where the reparameterisation trick, the ELBO and its two
/// terms are first written out in the notebook; chapter 09 samples it beside the DCGAN and the diffusion model.
/// Inputs are images <c>(N, 1, 28, 28)</c> or flattened vectors <c>(N, 784)</c> (any <c>(N, ...)</c> with
/// <c>inputSize</c> values per example) with pixel values in [0, 1]: binary pixels make <see cref="NegativeElbo(Tensor)"/>
/// a true negative log-likelihood bound in nats; grey pixels make it the usual binary cross-entropy, which is not a
/// normalised density. Train it with <see cref="ElboStep"/> as the <see cref="Training.Trainer"/>'s step.
/// </remarks>
public sealed class Vae : nn.Module<Tensor, (Tensor Logits, Tensor Mean, Tensor LogVariance)>
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    private readonly Linear _encode;
    private readonly Linear _mean;
    private readonly Linear _logVariance;
    private readonly Linear _decode;
    private readonly Linear _logits;
    private readonly long[] _imageShape;

    /// <summary>Builds the encoder and decoder.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="inputSize">Values per example (784 for a 28x28 grey image).</param>
    /// <param name="hidden">Width of the encoder's and the decoder's hidden layer.</param>
    /// <param name="latent">Dimension of the code <c>z</c>.</param>
    /// <param name="imageShape">Shape of one example as <see cref="Decode"/> and <see cref="Sample"/> return it;
    /// <c>null</c> means <c>(1, 28, 28)</c> when <paramref name="inputSize"/> is 784, else <c>(inputSize)</c>.</param>
    public Vae(string name = "vae", long inputSize = 784, long hidden = 400, long latent = 20, long[]? imageShape = null) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        _imageShape = imageShape ?? (inputSize == 784 ? [1, 28, 28] : [inputSize]);
        if (_imageShape.Aggregate(1L, (a, b) => a * b) != inputSize)
            throw new ArgumentException($"imageShape [{string.Join(", ", _imageShape)}] does not hold {inputSize} values.", nameof(imageShape));
        (InputSize, Hidden, Latent) = (inputSize, hidden, latent);
        _encode = nn.Linear(inputSize, hidden);
        _mean = nn.Linear(hidden, latent);
        _logVariance = nn.Linear(hidden, latent);
        _decode = nn.Linear(latent, hidden);
        _logits = nn.Linear(hidden, inputSize);
        RegisterComponents();
    }

    /// <summary>Values per example.</summary>
    public long InputSize { get; }

    /// <summary>Width of the hidden layers.</summary>
    public long Hidden { get; }

    /// <summary>Dimension of the code <c>z</c>.</summary>
    public long Latent { get; }

    /// <summary>Shape of one example as <see cref="Decode"/> returns it, e.g. <c>(1, 28, 28)</c>.</summary>
    public IReadOnlyList<long> ImageShape => _imageShape;

    /// <summary>
    /// One pass through the autoencoder: encode, draw one code per example with the reparameterisation trick
    /// (from the global generator, in training and evaluation mode alike), decode.
    /// </summary>
    /// <param name="x">Examples <c>(N, ...)</c>, e.g. images <c>(N, 1, 28, 28)</c> or vectors <c>(N, 784)</c>, pixels in [0, 1].</param>
    /// <returns>Bernoulli logits shaped like <paramref name="x"/>, and <c>q(z | x)</c>'s mean and log-variance <c>(N, Latent)</c>.</returns>
    public override (Tensor Logits, Tensor Mean, Tensor LogVariance) forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var (mean, logVariance) = Encode(x);                      // (N, L) each
        var z = Reparameterize(mean, logVariance);                // (N, L)
        var logits = DecodeFlat(z).reshape(x.shape);              // (N, ...) like x
        return (logits.MoveToOuterDisposeScope(), mean.MoveToOuterDisposeScope(), logVariance.MoveToOuterDisposeScope());
    }

    /// <summary>The encoder: the mean and log-variance of the Gaussian <c>q(z | x)</c>.</summary>
    /// <param name="x">Examples <c>(N, ...)</c> with <see cref="InputSize"/> values each.</param>
    /// <returns>Mean and log-variance, <c>(N, Latent)</c> each.</returns>
    public (Tensor Mean, Tensor LogVariance) Encode(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var flat = Flatten(x);                                    // (N, D)
        var h = nn.functional.relu(_encode.call(flat));           // (N, H)
        return (_mean.call(h).MoveToOuterDisposeScope(), _logVariance.call(h).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The reparameterisation trick: <c>z = μ + exp(½ log σ²) ⊙ ε</c> with <c>ε ~ N(0, I)</c>, so the draw is a
    /// differentiable function of <c>μ</c> and <c>log σ²</c> and gradients reach the encoder.
    /// </summary>
    /// <param name="mean">Means <c>(..., Latent)</c>.</param>
    /// <param name="logVariance">Log-variances, shaped like <paramref name="mean"/>.</param>
    /// <param name="generator">Random-number generator for <c>ε</c>; <c>null</c> uses the global one.</param>
    /// <returns>One code per mean, shaped like <paramref name="mean"/>.</returns>
    public static Tensor Reparameterize(Tensor mean, Tensor logVariance, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        using var scope = NewDisposeScope();
        var epsilon = generator is null
            ? randn(mean.shape, dtype: mean.dtype, device: mean.device)
            : randn(mean.shape, dtype: mean.dtype, generator: generator).to(mean.device);   // a generator draws on the CPU
        return (mean + (0.5 * logVariance).exp() * epsilon).MoveToOuterDisposeScope();
    }

    /// <summary>The decoder: Bernoulli logits of every pixel given codes.</summary>
    /// <param name="z">Codes <c>(N, Latent)</c>.</param>
    /// <returns>Logits <c>(N, ImageShape...)</c>, e.g. <c>(N, 1, 28, 28)</c>; <c>sigmoid</c> of them are the pixel probabilities.</returns>
    public Tensor Decode(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        return DecodeFlat(z).reshape([z.shape[0], .. _imageShape]).MoveToOuterDisposeScope();
    }

    /// <summary>New images: codes from the prior <c>N(0, I)</c>, decoded to pixel probabilities (the Bernoulli means, not binary draws).</summary>
    /// <param name="count">Number of images.</param>
    /// <param name="generator">Random-number generator for the codes; <c>null</c> uses the global one.</param>
    /// <returns>Images <c>(count, ImageShape...)</c>, e.g. <c>(count, 1, 28, 28)</c>, in [0, 1], on the model's device, without gradient.</returns>
    public Tensor Sample(long count, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = randn([count, Latent], generator: generator).to(Device);   // (count, L); a generator draws on the CPU
        return Decode(z).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>Reconstructions through the mean code: <c>sigmoid(Decode(μ(x)))</c>, without sampling and without gradient.</summary>
    /// <param name="x">Examples <c>(N, ...)</c>.</param>
    /// <returns>Pixel probabilities shaped like <paramref name="x"/>.</returns>
    public Tensor Reconstruct(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, _) = Encode(x);
        return DecodeFlat(mean).sigmoid().reshape(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The two terms of the negative ELBO per example, in nats: the reconstruction term
    /// <c>−log p(x | z) = Σ_pixels BCE(logit, x)</c> for the drawn <c>z</c>, and the KL divergence
    /// <c>KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²)</c> in closed form.
    /// </summary>
    /// <param name="logits">Decoder logits <c>(N, ...)</c>.</param>
    /// <param name="x">Targets in [0, 1], shaped like <paramref name="logits"/> (or with the same number of values per example).</param>
    /// <param name="mean">Means of <c>q(z | x)</c>, <c>(N, Latent)</c>.</param>
    /// <param name="logVariance">Log-variances of <c>q(z | x)</c>, <c>(N, Latent)</c>.</param>
    /// <returns>Reconstruction and KL terms, <c>(N)</c> each; their sum is the negative ELBO.</returns>
    public static (Tensor Reconstruction, Tensor Kl) ElboTerms(Tensor logits, Tensor x, Tensor mean, Tensor logVariance)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        using var scope = NewDisposeScope();
        var n = logits.shape[0];
        var target = x.reshape(logits.shape).to_type(logits.dtype);
        var reconstruction = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None)
            .reshape(n, -1).sum(1);                                                               // (N)
        var kl = -0.5 * (1 + logVariance - mean.square() - logVariance.exp()).sum(1);            // (N)
        return (reconstruction.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope());
    }

    /// <summary>The training loss: the negative ELBO in nats per example, averaged over the batch (one code drawn per example).</summary>
    /// <param name="x">Examples <c>(N, ...)</c>, pixels in [0, 1].</param>
    /// <returns>A scalar with gradient.</returns>
    public Tensor NegativeElbo(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var (logits, mean, logVariance) = forward(x);
        var (reconstruction, kl) = ElboTerms(logits, x, mean, logVariance);
        return (reconstruction + kl).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A <see cref="Training.TrainStep"/> for this model on unlabelled batches of images: zero the gradients, the
    /// negative ELBO of the batch (<see cref="ElboTerms"/>), backward, clip, optimizer step. Reports the loss (nats per
    /// example) and its two terms, <c>reconstruction</c> and <c>kl</c> (<c>train_reconstruction</c>, <c>train_kl</c> in the history).
    /// </summary>
    /// <param name="context">The batch and the optimizer (the model is this VAE; the context's model is not read).</param>
    /// <returns>The batch's mean negative ELBO and its terms.</returns>
    public Training.StepResult ElboStep(Training.StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Optimizer.zero_grad();
        var x = context.X;
        var (logits, mean, logVariance) = forward(x);
        var (reconstruction, kl) = ElboTerms(logits, x, mean, logVariance);
        var loss = (reconstruction + kl).mean();
        var value = Training.StepContext.ReadLoss(loss);
        context.CheckFinite(value);
        loss.backward();
        context.ClipGradients(parameters());
        context.Optimizer.step();
        return new Training.StepResult(value, Values: new Dictionary<string, double>
        {
            ["reconstruction"] = Training.StepContext.ReadLoss(reconstruction.mean()),
            ["kl"] = Training.StepContext.ReadLoss(kl.mean()),
        });
    }

    /// <summary>
    /// The importance-weighted lower bound on <c>log p(x)</c> (Burda et al. 2016) per example, in nats:
    /// <c>log (1/k) Σᵢ p(x | zᵢ) p(zᵢ) / q(zᵢ | x)</c> with <c>zᵢ ~ q(z | x)</c>. With <c>k = 1</c> it is the ELBO; it
    /// rises toward <c>log p(x)</c> as <paramref name="samples"/> grows. Meaningful as a likelihood for binary pixels.
    /// </summary>
    /// <param name="x">Examples <c>(N, ...)</c>, pixels in [0, 1] (binary for a likelihood).</param>
    /// <param name="samples">Importance samples per example, <c>k</c>.</param>
    /// <param name="generator">Random-number generator for the samples; <c>null</c> uses the global one.</param>
    /// <returns>The bound <c>(N)</c>, without gradient; its negative mean is an upper bound on the negative log-likelihood.</returns>
    public Tensor LogLikelihoodBound(Tensor x, int samples, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = Flatten(x).to_type(ScalarType.Float32);                       // (N, D)
        var n = flat.shape[0];
        var (mean, logVariance) = Encode(flat);                                  // (N, L)
        var chunk = (int)Math.Max(1, 16_384 / Math.Max(1, n));                   // samples decoded at once (memory: chunk * N * D floats)
        var logWeights = new List<Tensor>();
        for (var start = 0; start < samples; start += chunk)
        {
            var k = Math.Min(chunk, samples - start);
            var z = Reparameterize(mean.expand(k, n, Latent), logVariance.expand(k, n, Latent), generator);   // (k, N, L)
            var logits = DecodeFlat(z.reshape(k * n, Latent)).reshape(k, n, InputSize);                        // (k, N, D)
            var logPxGivenZ = -nn.functional.binary_cross_entropy_with_logits(logits, flat.expand(k, n, InputSize),
                reduction: nn.Reduction.None).sum(2);                                                          // (k, N)
            logWeights.Add(logPxGivenZ + LogStandardNormal(z) - LogNormal(z, mean, logVariance));             // (k, N)
        }
        var all = cat(logWeights, 0);                                                                          // (samples, N)
        return (all.logsumexp(0) - Math.Log(samples)).MoveToOuterDisposeScope();
    }

    /// <summary>Log-density of a diagonal Gaussian, summed over the last dimension.</summary>
    /// <param name="z">Points <c>(..., L)</c>.</param>
    /// <param name="mean">Means, broadcastable to <paramref name="z"/>.</param>
    /// <param name="logVariance">Log-variances, broadcastable to <paramref name="z"/>.</param>
    /// <returns><c>log N(z; μ, σ²)</c>, <c>(...)</c>.</returns>
    public static Tensor LogNormal(Tensor z, Tensor mean, Tensor logVariance)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        using var scope = NewDisposeScope();
        return (-0.5 * (LogTwoPi + logVariance + (z - mean).square() / logVariance.exp())).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Log-density of the prior <c>N(0, I)</c>, summed over the last dimension.</summary>
    /// <param name="z">Points <c>(..., L)</c>.</param>
    /// <returns><c>log N(z; 0, I)</c>, <c>(...)</c>.</returns>
    public static Tensor LogStandardNormal(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        return (-0.5 * (LogTwoPi + z.square())).sum(-1).MoveToOuterDisposeScope();
    }

    private Tensor DecodeFlat(Tensor z) => _logits.call(nn.functional.relu(_decode.call(z)));   // (..., L) -> (..., H) -> (..., D)

    private Tensor Flatten(Tensor x)
    {
        var flat = x.reshape(x.shape[0], -1);   // (N, D)
        if (flat.shape[1] != InputSize)
            throw new ArgumentException($"The VAE reads {InputSize} values per example; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        return flat;
    }

    private Device Device => _logits.weight!.device;
}
