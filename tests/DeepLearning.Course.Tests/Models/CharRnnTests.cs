using DeepLearning.Course.Models;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class CharRnnTests
{
    [Theory]
    [InlineData(RecurrentCell.Rnn)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void Maps_a_batch_of_tokens_to_logits_at_every_step(RecurrentCell cell)
    {
        // Given a two-layer model of each cell over a vocabulary of 11 tokens
        manual_seed(0);
        using var model = new CharRnn(new CharRnnConfig(11, EmbeddingDim: 8, HiddenSize: 16, NumLayers: 2, Cell: cell, Dropout: 0.1));
        // When it reads 3 sequences of 7 tokens
        using var tokens = randint(0, 11, [3, 7], dtype: ScalarType.Int64);
        using var logits = model.call(tokens);
        // Then it returns [3, 7, 11] logits, and the loss accepts them as they are
        Assert.Equal([3L, 7L, 11L], logits.shape);
        using var loss = Losses.CrossEntropy(logits, tokens);
        Assert.True(double.IsFinite(loss.item<float>()));
    }

    [Fact]
    public void Step_t_only_sees_tokens_up_to_t()
    {
        // Given an LSTM in eval mode and two sequences that differ only in their last token
        manual_seed(1);
        using var model = new CharRnn(new CharRnnConfig(5, EmbeddingDim: 4, HiddenSize: 8));
        model.eval();
        using var a = tensor(new long[,] { { 1, 2, 3, 4 } });
        using var b = tensor(new long[,] { { 1, 2, 3, 0 } });
        // When both are read
        using var la = model.call(a);
        using var lb = model.call(b);
        // Then the logits of the first three steps are identical and the last differ
        Assert.True(la[.., ..3].allclose(lb[.., ..3]));
        Assert.False(la[.., 3].allclose(lb[.., 3]));
    }

    [Fact]
    public void Loss_falls_when_it_overfits_a_short_text()
    {
        // Given one repeated 12-character pattern as 8 windows of 12 tokens
        manual_seed(0);
        var pattern = new long[] { 1, 2, 3, 4, 5, 1, 2, 6, 7, 1, 3, 5 };
        var x = new long[8 * 12];
        var y = new long[8 * 12];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = pattern[i % 12];
            y[i] = pattern[(i + 1) % 12];
        }
        var data = new List<(Tensor X, Tensor y)> { (tensor(x, [8, 12]), tensor(y, [8, 12])) };
        using var model = new CharRnn(new CharRnnConfig(8, EmbeddingDim: 8, HiddenSize: 32, Cell: RecurrentCell.Gru));
        var options = new TrainerOptions
        {
            Epochs = 60, LearningRate = 0.02, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy,
            ShowProgress = false, Device = CPU, ClipGradientNorm = 1,
        };
        // When it trains on them
        var history = new Trainer(options).Fit(model, data);
        // Then the loss starts near ln 8 and falls below a tenth of it (the pattern is learnt)
        var first = history.Epochs[0].Values["train_loss"];
        var last = history.Last["train_loss"];
        Assert.True(first > 1.5, $"first loss {first}");
        Assert.True(last < 0.2, $"last loss {last}");
    }

    [Fact]
    public void Invalid_hyperparameters_are_clear_errors()
    {
        // Given / When / Then a zero vocabulary or dropout of 1 are refused with the field named
        Assert.Contains("VocabSize", Assert.Throws<ArgumentOutOfRangeException>(() => new CharRnn(new CharRnnConfig(0))).Message);
        Assert.Contains("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new CharRnn(new CharRnnConfig(5, Dropout: 1))).Message);
    }
}

public class TextSamplerTests
{
    private static CharRnn Model()
    {
        manual_seed(3);
        return new CharRnn(new CharRnnConfig(9, EmbeddingDim: 4, HiddenSize: 8));
    }

    [Fact]
    public void The_same_seeded_generator_gives_the_same_tokens()
    {
        // Given an untrained model (so sampling is nearly uniform and sequences vary)
        using var model = Model();
        // When it samples 30 tokens twice with generators seeded alike, and once with another seed
        var a = TextSampler.Sample(model, [1], 30, generator: new Generator(42));
        var b = TextSampler.Sample(model, [1], 30, generator: new Generator(42));
        var c = TextSampler.Sample(model, [1], 30, generator: new Generator(7));
        // Then the first two agree, the third differs, and every token is in the vocabulary
        Assert.Equal(30, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, t => Assert.InRange(t, 0, 8));
    }

    [Fact]
    public void Returns_only_the_new_tokens_and_leaves_the_model_in_training_mode()
    {
        // Given a model in training mode and a three-token prompt
        using var model = Model();
        model.train();
        // When it samples five tokens greedily
        var tokens = TextSampler.Sample(model, [1, 2, 3], 5, temperature: 0);
        // Then five tokens come back (no prompt), greedy sampling repeats itself, and training mode is restored
        Assert.Equal(5, tokens.Length);
        Assert.Equal(tokens, TextSampler.Sample(model, [1, 2, 3], 5, temperature: 0));
        Assert.True(model.training);
    }

    [Fact]
    public void The_prompt_conditions_the_samples_and_the_context_can_be_cut()
    {
        // Given a model whose greedy choice depends on the prompt
        using var model = Model();
        // When prompts differ only far back, with the context cut to the last two tokens
        var cutA = TextSampler.Sample(model, [4, 4, 4, 1, 2], 6, temperature: 0, contextLength: 2);
        var cutB = TextSampler.Sample(model, [7, 0, 5, 1, 2], 6, temperature: 0, contextLength: 2);
        // Then the samples agree: only the last two tokens were ever fed
        Assert.Equal(cutA, cutB);
        // And an empty prompt is a clear error
        Assert.Throws<ArgumentException>(() => TextSampler.Sample(model, [], 3));
    }
}
