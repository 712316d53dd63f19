using DeepLearning.Course.Generative;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Generative;

[Collection("Console")]
public sealed class ModelCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dlc-model-cache-").FullName;
    private int _trainings;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static nn.Module<Tensor, Tensor> Fresh()
    {
        manual_seed(0);   // every fresh model starts from the same weights
        return nn.Linear(3, 2);
    }

    /// <summary>"Training": counts the call and sets the weights to values no initialisation gives.</summary>
    private void Train(nn.Module<Tensor, Tensor> model)
    {
        _trainings++;
        using var noGrad = no_grad();
        foreach (var p in model.parameters()) p.copy_(arange(p.numel(), dtype: float32).reshape(p.shape) + 0.5f);
    }

    private CachedModel Get(nn.Module<Tensor, Tensor> model, int seed = 1, string recipe = "recipe", string data = "data") =>
        ModelCache.GetOrTrain(model, "tiny", data, seed, recipe, Train, _root);

    private static bool SameWeights(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0));

    [Fact]
    public void A_miss_trains_and_stores_a_hit_loads_the_same_weights_without_training()
    {
        // Given an empty cache
        using var first = Fresh();
        // When a model is asked for twice, each time freshly built
        var miss = Get(first);
        using var second = Fresh();
        Assert.False(SameWeights(first, second));
        var hit = Get(second);
        // Then the first call trained and wrote the entry, the second loaded it without training: identical weights, eval mode
        Assert.False(miss.FromCache);
        Assert.True(hit.FromCache);
        Assert.Equal(1, _trainings);
        Assert.Equal(miss.Path, hit.Path);
        Assert.True(File.Exists(miss.Path));
        Assert.Equal(_root, Path.GetDirectoryName(miss.Path));
        Assert.True(SameWeights(first, second));
        Assert.False(second.training);
        Assert.Contains("loaded from the model cache", hit.ToString());
        Assert.Contains("trained in", miss.ToString());
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Another_seed_recipe_or_data_is_another_entry()
    {
        // Given the key of one entry
        var path = ModelCache.PathFor("tiny", "data", 1, "recipe", _root);
        // Then the same key gives the same path, and any change gives another
        Assert.Equal(path, ModelCache.PathFor("tiny", "data", 1, "recipe", _root));
        Assert.StartsWith(Path.Combine(_root, "tiny-"), path);
        Assert.EndsWith(".ckpt", path);
        string[] others =
        [
            ModelCache.PathFor("tiny", "data", 2, "recipe", _root),
            ModelCache.PathFor("tiny", "data", 1, "recipe, 2 epochs", _root),
            ModelCache.PathFor("tiny", "other data", 1, "recipe", _root),
            ModelCache.PathFor("small", "data", 1, "recipe", _root),
        ];
        Assert.Equal(others.Length + 1, others.Append(path).Distinct().Count());
        // ... and a model under another seed is trained again
        using var a = Fresh();
        using var b = Fresh();
        Get(a, seed: 1);
        Get(b, seed: 2);
        Assert.Equal(2, _trainings);
    }

    [Fact]
    public void A_damaged_entry_is_reported_deleted_and_trained_again()
    {
        // Given a stored entry cut to half its length
        using var first = Fresh();
        var stored = Get(first);
        var bytes = File.ReadAllBytes(stored.Path);
        File.WriteAllBytes(stored.Path, bytes[..(bytes.Length / 2)]);
        // When the model is asked for again, with standard error captured
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        CachedModel again;
        using var second = Fresh();
        try { again = Get(second); }
        finally { Console.SetError(previous); }
        // Then the damage is reported, the model is trained again and a whole entry replaces the damaged one
        Assert.Contains("cannot be used", error.ToString());
        Assert.Contains(stored.Path, error.ToString());
        Assert.False(again.FromCache);
        Assert.Equal(2, _trainings);
        Assert.Equal(bytes.Length, new FileInfo(stored.Path).Length);
        using var third = Fresh();
        Assert.True(Get(third).FromCache);
        Assert.True(SameWeights(second, third));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("two words")]
    [InlineData("a/b")]
    [InlineData(" ")]
    public void A_name_that_is_not_a_plain_file_name_is_refused(string name)
    {
        // When a model is asked for under a name with separators, spaces or nothing
        using var model = Fresh();
        var error = Assert.ThrowsAny<ArgumentException>(() => ModelCache.GetOrTrain(model, name, "data", 0, "recipe", Train, _root));
        // Then nothing is trained or written
        Assert.Contains("name", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _trainings);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }
}
