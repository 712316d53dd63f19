using DeepLearning.Course.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Data;

public class MovieLensTests
{
    [Fact]
    public void MovieLens_100k_loads_tables_and_an_80_20_split_of_disjoint_rating_rows()
    {
        // Given the real MovieLens files (DLCOURSE_DATA_DIRS names a folder holding ml-100k/)
        var folder = TestData.RequireMovieLensFolder();

        // When loaded with a seed
        using var data = MovieLens100k.Load(folder, seed: 42);

        // Then the tables hold 100,000 ratings, 1,682 movies and 943 users
        Assert.Equal(100_000, data.Ratings.Rows.Count);
        Assert.Equal(1_682, data.Movies.Rows.Count);
        Assert.Equal(943, data.Users.Rows.Count);
        Assert.Equal(943, data.NumUsers);
        Assert.Equal(1_682, data.NumItems);
        // and Latin-1 titles decode correctly
        Assert.Contains("Misérables, Les (1995)", data.Movies["title"].Cast<string>());
        Assert.Equal("Animation|Children's|Comedy", data.Movies["genres"][0]);
        // and the split is 80/20 over disjoint rows covering every rating once
        Assert.Equal(80_000, data.Train.Count);
        Assert.Equal(20_000, data.Test.Count);
        Assert.Empty(data.Train.SourceIndices.Intersect(data.Test.SourceIndices));
        Assert.Equal(100_000, data.Train.SourceIndices.Union(data.Test.SourceIndices).Count());
        // and tensors hold zero-based indices and ratings 1-5
        Assert.Equal([80_000L, 2L], data.Train.Features.shape);
        Assert.Equal(ScalarType.Int64, data.Train.Features.dtype);
        Assert.Equal(ScalarType.Float32, data.Train.Ratings.dtype);
        Assert.Equal(0, data.Train.Users.min().item<long>());
        Assert.Equal(942, data.Train.Users.max().item<long>());
        Assert.True(data.Train.Items.max().item<long>() <= 1_681);
        Assert.Equal(1f, data.Test.Ratings.min().item<float>());
        Assert.Equal(5f, data.Test.Ratings.max().item<float>());
        // and the mean rating is the published 3.53
        Assert.Equal(3.53, data.Ratings["rating"].Cast<int>().Average(), 2);
    }

    [Fact]
    public void MovieLens_split_is_deterministic_under_a_seed()
    {
        var folder = TestData.RequireMovieLensFolder();
        using var a = MovieLens100k.Load(folder, seed: 1);
        using var b = MovieLens100k.Load(folder, seed: 1);
        using var c = MovieLens100k.Load(folder, seed: 2);
        Assert.Equal(a.Test.SourceIndices, b.Test.SourceIndices);
        Assert.NotEqual(a.Test.SourceIndices, c.Test.SourceIndices);
    }
}
