using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// Autoregressive sampling from any language model that maps tokens <c>[1, T]</c> to next-token logits
/// <c>[1, T, V]</c> (<see cref="CharRnn"/>, chapter 06's GPT): feed the context, sample the next token
/// from the softmax of the last position's logits divided by a temperature, append it, repeat.
/// </summary>
/// <remarks>
/// Introduced in chapter 04 (recurrent networks: sampled names and Moby Dick text) and reused in chapter 06
/// (transformers). Each step re-runs the whole (or the last <c>contextLength</c> tokens of the) context, which
/// is simple and model-agnostic rather than fast.
/// </remarks>
public static class TextSampler
{
    /// <summary>Samples <paramref name="count"/> tokens that continue <paramref name="prompt"/>.</summary>
    /// <param name="model">The language model; it runs in eval mode without gradients, and its training mode is restored afterwards.</param>
    /// <param name="prompt">Token indices to start from (at least one, e.g. a start marker).</param>
    /// <param name="count">How many tokens to generate.</param>
    /// <param name="temperature">Divides the logits: below 1 sharper, above 1 flatter; 0 takes the most likely token (greedy).</param>
    /// <param name="contextLength">Feed at most this many of the latest tokens per step (a transformer's block size); <c>null</c> feeds all.</param>
    /// <param name="generator">Random generator for reproducible samples (e.g. <c>new torch.Generator(42)</c>); <c>null</c> uses torch's global one.</param>
    /// <returns>The <paramref name="count"/> generated token indices, without the prompt.</returns>
    /// <exception cref="ArgumentException">The prompt is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative count or temperature, or a context length below 1.</exception>
    public static int[] Sample(nn.Module<Tensor, Tensor> model, IReadOnlyList<int> prompt, int count, double temperature = 1.0,
        int? contextLength = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0) throw new ArgumentException("The prompt needs at least one token (e.g. a start-of-text marker).", nameof(prompt));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "count must be >= 0");
        if (temperature < 0 || double.IsNaN(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be >= 0");
        if (contextLength is < 1) throw new ArgumentOutOfRangeException(nameof(contextLength), "contextLength must be at least 1");

        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        var wasTraining = model.training;
        model.eval();
        var tokens = prompt.Select(t => (long)t).ToList();
        var generated = new int[count];
        try
        {
            using var _ = no_grad();
            for (var i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                var start = contextLength is int c ? Math.Max(0, tokens.Count - c) : 0;
                var context = tensor(tokens.GetRange(start, tokens.Count - start).ToArray(), device: device).unsqueeze(0); // (1, T)
                var logits = model.call(context)[0, -1].to_type(ScalarType.Float32);                                   // (V)
                long next;
                if (temperature == 0)
                {
                    next = logits.argmax().item<long>();
                }
                else
                {
                    var probs = softmax(logits / temperature, 0).cpu();
                    next = multinomial(probs, 1, generator: generator).item<long>();
                }
                tokens.Add(next);
                generated[i] = (int)next;
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return generated;
    }
}
