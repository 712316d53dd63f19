using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>Zachary's karate club as tensors: 34 members, the 78 ties between them, and the club each joined after the split.</summary>
/// <param name="EdgeIndex">int64 [2, 156]: each tie in both directions (row 0 source, row 1 target).</param>
/// <param name="Weights">float32 [156]: for each column of <see cref="EdgeIndex"/>, the number of contexts in which the two members interacted.</param>
/// <param name="Clubs">int64 [34]: 0 for Mr. Hi's club, 1 for the Officer's.</param>
/// <param name="ClubNames">The clubs' names, by index: <c>Mr. Hi</c>, <c>Officer</c>.</param>
/// <remarks>Introduced in chapter 11 (graph neural networks): a GCN given one labelled member per club classifies the rest.</remarks>
public sealed record KarateClubData(Tensor EdgeIndex, Tensor Weights, Tensor Clubs, IReadOnlyList<string> ClubNames) : IDisposable
{
    /// <summary>Number of members (34).</summary>
    public int NumMembers => (int)Clubs.shape[0];

    /// <summary>Number of ties (78): half the columns of <see cref="EdgeIndex"/>.</summary>
    public int NumTies => (int)EdgeIndex.shape[1] / 2;

    /// <summary>Member 0, the instructor ("Mr. Hi").</summary>
    public const int Instructor = 0;

    /// <summary>Member 33, the club's administrator ("Officer", John A.).</summary>
    public const int Administrator = 33;

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        EdgeIndex.Dispose();
        Weights.Dispose();
        Clubs.Dispose();
    }
}

/// <summary>Loader for Zachary's karate club (Zachary 1977), committed in the repository's <c>datasets/karate-club/</c>.</summary>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public static class KarateClub
{
    /// <summary>
    /// Loads <c>edges.csv</c> (<c>source,target,weight</c>, 0-based, one row per tie) and <c>members.csv</c>
    /// (<c>member,club</c>), verified against their SHA-256.
    /// </summary>
    /// <param name="path">Folder holding the two files (optional; by default the repository's <c>datasets/karate-club/</c>).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The graph and the clubs.</returns>
    /// <exception cref="DataFormatException">A row cannot be parsed.</exception>
    public static KarateClubData Load(string? path = null, DatasetLocator? locator = null)
    {
        var location = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.KarateClub, path);
        string[] clubNames = ["Mr. Hi", "Officer"];

        var clubs = new List<long>();
        foreach (var (f, line) in Rows(location.PathOf("members.csv"), "member,club", 2))
        {
            var club = Array.IndexOf(clubNames, f[1]);
            if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var member) || member != clubs.Count || club < 0)
                throw new DataFormatException($"members.csv line {line}: expected member {clubs.Count} and 'Mr. Hi' or 'Officer', found '{string.Join(',', f)}'.");
            clubs.Add(club);
        }

        var sources = new List<long>();
        var targets = new List<long>();
        var weights = new List<float>();
        foreach (var (f, line) in Rows(location.PathOf("edges.csv"), "source,target,weight", 3))
        {
            if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                || !float.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || s >= clubs.Count || t >= clubs.Count || s == t)
                throw new DataFormatException($"edges.csv line {line}: expected two different members below {clubs.Count} and a weight, found '{string.Join(',', f)}'.");
            sources.AddRange([s, t]);
            targets.AddRange([t, s]);
            weights.AddRange([w, w]);
        }
        var index = sources.Concat(targets).ToArray();
        return new KarateClubData(
            torch.tensor(index, [2, sources.Count]).DetachFromDisposeScope(),
            torch.tensor(weights.ToArray()).DetachFromDisposeScope(),
            torch.tensor(clubs.ToArray()).DetachFromDisposeScope(),
            clubNames);
    }

    private static IEnumerable<(string[] Fields, int Line)> Rows(string path, string header, int fields)
    {
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (lineNo == 1)
            {
                if (line != header) throw new DataFormatException($"{Path.GetFileName(path)}: expected the header '{header}', found '{line}'.");
                continue;
            }
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != fields) throw new DataFormatException($"{Path.GetFileName(path)} line {lineNo}: expected {fields} fields, found '{line}'.");
            yield return (f, lineNo);
        }
    }
}
