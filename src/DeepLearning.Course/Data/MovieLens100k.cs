using System.Text;
using Microsoft.Data.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>Ratings as tensors: (user index, item index) pairs and their ratings.</summary>
/// <param name="Features">int64 [N, 2]: zero-based user index, zero-based item index.</param>
/// <param name="Ratings">float32 [N]: ratings 1-5.</param>
/// <param name="SourceIndices">Rows of <c>u.data</c> (zero-based, file order) in this split.</param>
/// <remarks>Introduced in chapter 05 (recommender on MovieLens 100k).</remarks>
public sealed record RatingSplit(Tensor Features, Tensor Ratings, IReadOnlyList<int> SourceIndices) : IDisposable
{
    /// <summary>Number of ratings.</summary>
    public int Count => SourceIndices.Count;

    /// <summary>Zero-based user indices [N] (a view of column 0 of <see cref="Features"/>).</summary>
    public Tensor Users => Features[.., 0];

    /// <summary>Zero-based item indices [N] (a view of column 1 of <see cref="Features"/>).</summary>
    public Tensor Items => Features[.., 1];

    /// <summary>Batches of (user/item pairs, ratings).</summary>
    /// <param name="batchSize">Ratings per batch.</param>
    /// <param name="shuffle">Reshuffle every epoch.</param>
    /// <param name="seed">Seed for shuffling.</param>
    /// <param name="device">Device to move batches to.</param>
    /// <returns>The loader.</returns>
    public DataLoader Batches(int batchSize, bool shuffle = false, int seed = 0, Device? device = null) =>
        new(Features, Ratings, batchSize, shuffle, seed, device);

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Ratings.Dispose();
    }
}

/// <summary>MovieLens 100k loaded: tables of ratings, movies and users, and a seeded train/test split as tensors.</summary>
/// <param name="Ratings">Columns <c>user_id</c>, <c>item_id</c>, <c>rating</c>, <c>timestamp</c> (ids as in the files, 1-based).</param>
/// <param name="Movies">Columns <c>item_id</c>, <c>title</c>, <c>release_date</c>, <c>imdb_url</c>, <c>genres</c> (pipe-joined names).</param>
/// <param name="Users">Columns <c>user_id</c>, <c>age</c>, <c>gender</c>, <c>occupation</c>, <c>zip_code</c>.</param>
/// <param name="NumUsers">Number of users (943); user index = user_id - 1.</param>
/// <param name="NumItems">Number of movies (1,682); item index = item_id - 1.</param>
/// <param name="Train">Training ratings.</param>
/// <param name="Test">Test ratings (disjoint rows of <c>u.data</c>).</param>
/// <remarks>Introduced in chapter 05 (recommender on MovieLens 100k).</remarks>
public sealed record MovieLensData(DataFrame Ratings, DataFrame Movies, DataFrame Users, int NumUsers, int NumItems, RatingSplit Train, RatingSplit Test) : IDisposable
{
    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>Loader for the MovieLens 100k ratings (GroupLens). Downloaded on first use; never committed.</summary>
/// <remarks>Introduced in chapter 05 (recommender on MovieLens 100k).</remarks>
public static class MovieLens100k
{
    /// <summary>
    /// Loads MovieLens 100k: tables from <c>u.data</c>, <c>u.item</c> (Latin-1 titles) and <c>u.user</c>, and a
    /// random split of the 100,000 ratings (by <paramref name="seed"/>) into train and test.
    /// </summary>
    /// <param name="path">Folder holding <c>u.data</c>, <c>u.item</c>, <c>u.user</c>, <c>u.genre</c> (optional).</param>
    /// <param name="testFraction">Fraction of ratings in the test split (default 0.2: an 80/20 split).</param>
    /// <param name="seed">Seed of the split.</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The tables and splits.</returns>
    public static MovieLensData Load(string? path = null, double testFraction = 0.2, int seed = 0, DatasetLocator? locator = null)
    {
        var location = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.MovieLens100k, path);
        var latin1 = Encoding.Latin1;

        var userIds = new List<int>();
        var itemIds = new List<int>();
        var ratings = new List<int>();
        var stamps = new List<long>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(location.PathOf("u.data"), latin1))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length != 4 || !int.TryParse(f[0], out var u) || !int.TryParse(f[1], out var i) || !int.TryParse(f[2], out var r) || !long.TryParse(f[3], out var t))
                throw new DataFormatException($"u.data line {lineNo}: expected 'user<TAB>item<TAB>rating<TAB>timestamp', found '{line}'.");
            userIds.Add(u);
            itemIds.Add(i);
            ratings.Add(r);
            stamps.Add(t);
        }
        var ratingTable = new DataFrame(
            new Int32DataFrameColumn("user_id", userIds),
            new Int32DataFrameColumn("item_id", itemIds),
            new Int32DataFrameColumn("rating", ratings),
            new Int64DataFrameColumn("timestamp", stamps));

        var genres = File.ReadLines(location.PathOf("u.genre"), latin1)
            .Where(l => l.Contains('|'))
            .Select(l => l.Split('|'))
            .OrderBy(p => int.Parse(p[1]))
            .Select(p => p[0])
            .ToArray();
        var movieIds = new List<int>();
        var titles = new List<string?>();
        var dates = new List<string?>();
        var urls = new List<string?>();
        var genreNames = new List<string?>();
        foreach (var line in File.ReadLines(location.PathOf("u.item"), latin1))
        {
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != 5 + genres.Length)
                throw new DataFormatException($"u.item: expected {5 + genres.Length} fields, found {f.Length} in '{line}'.");
            movieIds.Add(int.Parse(f[0]));
            titles.Add(f[1]);
            dates.Add(f[2].Length == 0 ? null : f[2]);
            urls.Add(f[4].Length == 0 ? null : f[4]);
            genreNames.Add(string.Join('|', genres.Where((_, g) => f[5 + g] == "1")));
        }
        var movies = new DataFrame(
            new Int32DataFrameColumn("item_id", movieIds),
            new StringDataFrameColumn("title", titles),
            new StringDataFrameColumn("release_date", dates),
            new StringDataFrameColumn("imdb_url", urls),
            new StringDataFrameColumn("genres", genreNames));

        var users = new DataFrame(
            new Int32DataFrameColumn("user_id", 0),
            new Int32DataFrameColumn("age", 0),
            new StringDataFrameColumn("gender", 0),
            new StringDataFrameColumn("occupation", 0),
            new StringDataFrameColumn("zip_code", 0));
        foreach (var line in File.ReadLines(location.PathOf("u.user"), latin1))
        {
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != 5 || !int.TryParse(f[0], out var id))
                throw new DataFormatException($"u.user: expected 'id|age|gender|occupation|zip', found '{line}'.");
            if (id < 1) continue; // ids are 1-based; some copies carry a placeholder row 0 ("default_user")
            users.Append([id, int.Parse(f[1]), f[2], f[3], f[4]], inPlace: true);
        }

        var numUsers = userIds.Max();
        var numItems = Math.Max(itemIds.Max(), movieIds.Max());
        var (train, _, test) = Splits.Partition(ratings.Count, 0, testFraction, seed);
        return new MovieLensData(ratingTable, movies, users, numUsers, numItems,
            Select(train, userIds, itemIds, ratings), Select(test, userIds, itemIds, ratings));
    }

    private static RatingSplit Select(int[] rows, List<int> users, List<int> items, List<int> ratings)
    {
        var pairs = new long[rows.Length * 2];
        var r = new float[rows.Length];
        for (var k = 0; k < rows.Length; k++)
        {
            pairs[2 * k] = users[rows[k]] - 1;
            pairs[2 * k + 1] = items[rows[k]] - 1;
            r[k] = ratings[rows[k]];
        }
        return new RatingSplit(
            torch.tensor(pairs, [rows.Length, 2]).DetachFromDisposeScope(),
            torch.tensor(r).DetachFromDisposeScope(),
            rows);
    }
}
