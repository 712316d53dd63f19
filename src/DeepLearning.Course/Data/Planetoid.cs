using System.Collections;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>
/// A Planetoid citation graph (Cora or Citeseer) as tensors, preprocessed exactly as Kipf &amp; Welling's GCN
/// code does (see <see cref="Planetoid.Load"/>): papers are nodes, citations are undirected edges.
/// </summary>
/// <param name="Name">Dataset name: <c>cora</c> or <c>citeseer</c>.</param>
/// <param name="Features">float32 [N, F]: bag-of-words features, each row divided by its sum (unless loaded with <c>normalizeFeatures: false</c>).</param>
/// <param name="Labels">int64 [N]: class index 0..C-1; -1 for the 15 Citeseer nodes that have no label (see <see cref="Planetoid.Load"/>).</param>
/// <param name="EdgeIndex">int64 [2, E]: every undirected edge in both directions (row 0 source, row 1 target), each once, plus each self-loop the file lists, once; sorted by source, then target.</param>
/// <param name="TrainNodes">int64 [140] (Cora) / [120] (Citeseer): the labelled training nodes, 20 per class.</param>
/// <param name="ValidationNodes">int64 [500]: the validation nodes.</param>
/// <param name="TestNodes">int64 [1000]: the test nodes, ascending.</param>
/// <param name="NumClasses">Number of classes C (7 for Cora, 6 for Citeseer).</param>
/// <param name="LinkCount">Citation links as the files list them (each adjacency list entry counted once per direction, duplicates kept): 5,429 for Cora, 4,732 for Citeseer, the numbers Kipf &amp; Welling's Table 1 gives.</param>
/// <param name="EdgeCount">Distinct undirected edges between two different nodes: 5,278 for Cora, 4,552 for Citeseer.</param>
/// <param name="SelfLoopCount">Nodes linked to themselves in the files: 0 for Cora, 124 for Citeseer.</param>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public sealed record PlanetoidData(
    string Name,
    Tensor Features,
    Tensor Labels,
    Tensor EdgeIndex,
    Tensor TrainNodes,
    Tensor ValidationNodes,
    Tensor TestNodes,
    int NumClasses,
    int LinkCount,
    int EdgeCount,
    int SelfLoopCount) : IDisposable
{
    /// <summary>Number of nodes N (2,708 for Cora, 3,327 for Citeseer).</summary>
    public int NumNodes => (int)Features.shape[0];

    /// <summary>Number of features F (1,433 for Cora, 3,703 for Citeseer).</summary>
    public int NumFeatures => (int)Features.shape[1];

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        EdgeIndex.Dispose();
        TrainNodes.Dispose();
        ValidationNodes.Dispose();
        TestNodes.Dispose();
    }
}

/// <summary>
/// Loader for the Planetoid citation graphs (Yang, Cohen &amp; Salakhutdinov 2016) in the files of Kipf &amp;
/// Welling's GCN repository: <c>ind.{name}.{x,y,tx,ty,allx,ally,graph}</c> (Python 2 pickles) and
/// <c>ind.{name}.test.index</c> (text).
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public static class Planetoid
{
    /// <summary>The datasets the files hold.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cora", "citeseer"];

    /// <summary>The eight files of one dataset, in the order Kipf &amp; Welling's <c>load_data</c> reads them.</summary>
    /// <param name="name"><c>cora</c> or <c>citeseer</c>.</param>
    /// <returns>File names such as <c>ind.cora.x</c>.</returns>
    public static IReadOnlyList<string> FilesOf(string name) =>
        new[] { "x", "y", "tx", "ty", "allx", "ally", "graph", "test.index" }.Select(p => $"ind.{name}.{p}").ToArray();

    /// <summary>
    /// Loads Cora or Citeseer with the standard (GCN) preprocessing, which this method reproduces step by step
    /// from <c>gcn/utils.py</c> (<c>load_data</c>, <c>preprocess_features</c>):
    /// <list type="number">
    /// <item>Features are the rows of <c>allx</c> (the labelled and unlabelled training-side nodes, ids
    /// 0..len(allx)-1) followed by the rows of <c>tx</c> (the test nodes). Labels likewise from the
    /// one-hot rows of <c>ally</c> and <c>ty</c>.</item>
    /// <item>Test-index reordering: <c>tx</c>'s k-th row belongs to node <c>test.index[k]</c> (the file is
    /// unsorted); the code places the block at the sorted test ids, then moves row <c>sorted[k]</c> to node
    /// <c>test.index[k]</c>, which is what happens here.</item>
    /// <item>Citeseer's isolated test nodes: its test ids span 2,312..3,326 but only 1,000 of those 1,015
    /// ids are in <c>test.index</c>; the 15 others are nodes of the graph with no features and no label in
    /// the files. As in the GCN code they get a zero feature row and no label (<c>-1</c> here; the GCN code
    /// gives an all-zero one-hot row) and belong to no split.</item>
    /// <item>Edges: the adjacency lists of <c>graph</c> as an undirected graph (NetworkX
    /// <c>from_dict_of_lists</c>): duplicates collapse to one edge, and self-loops listed in the file are
    /// kept (Citeseer has 124), so they appear once on the diagonal of the adjacency matrix. Node ids are
    /// the row indices.</item>
    /// <item>Splits: train = the first len(<c>y</c>) nodes (140 for Cora, 120 for Citeseer: 20 per class),
    /// validation = the next 500, test = the 1,000 ids of <c>test.index</c>.</item>
    /// <item>Row-normalised features (<paramref name="normalizeFeatures"/>): each row divided by its sum; an
    /// all-zero row stays zero.</item>
    /// </list>
    /// Every file is verified against its SHA-256 by the <see cref="DatasetLocator"/> first.
    /// </summary>
    /// <param name="name"><c>cora</c> or <c>citeseer</c>.</param>
    /// <param name="normalizeFeatures">Divide each feature row by its sum, as the GCN code does (default).</param>
    /// <param name="path">Folder holding the <c>ind.*</c> files (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The graph, its features, labels and splits.</returns>
    /// <exception cref="DataFormatException">A file is not the pickle it should be, or the files disagree in size.</exception>
    public static PlanetoidData Load(string name = "cora", bool normalizeFeatures = true, string? path = null, DatasetLocator? locator = null)
    {
        name = name.ToLowerInvariant();
        if (!Names.Contains(name))
            throw new ArgumentException($"Unknown Planetoid dataset '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
        var location = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.Planetoid, path);
        T Read<T>(string part) where T : class =>
            PlanetoidPickles.Load<T>(location.ReadAllBytes($"ind.{name}.{part}"), $"ind.{name}.{part}");

        var x = Read<CsrMatrix>("x");
        var y = Read<NdArray>("y");
        var tx = Read<CsrMatrix>("tx");
        var ty = Read<NdArray>("ty");
        var allx = Read<CsrMatrix>("allx");
        var ally = Read<NdArray>("ally");
        var graph = Read<Hashtable>("graph");
        var testIndex = ReadTestIndex(location.PathOf($"ind.{name}.test.index"), $"ind.{name}.test.index");
        return Build(name, x, y, tx, ty, allx, ally, graph, testIndex, normalizeFeatures);
    }

    private static int[] ReadTestIndex(string path, string file)
    {
        var ids = new List<int>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            if (!int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new DataFormatException($"{file} line {lineNo}: expected a node id, found '{line}'.");
            ids.Add(id);
        }
        if (ids.Count == 0) throw new DataFormatException($"{file}: no node ids.");
        return ids.ToArray();
    }

    private static PlanetoidData Build(string name, CsrMatrix x, NdArray y, CsrMatrix tx, NdArray ty, CsrMatrix allx, NdArray ally,
        Hashtable graph, int[] testIndex, bool normalizeFeatures)
    {
        var numFeatures = allx.Columns;
        var numClasses = ally.Columns;
        if (x.Columns != numFeatures || tx.Columns != numFeatures)
            throw new DataFormatException($"ind.{name}: x, tx and allx disagree on the number of features ({x.Columns}, {tx.Columns}, {allx.Columns}).");
        if (y.Columns != numClasses || ty.Columns != numClasses)
            throw new DataFormatException($"ind.{name}: y, ty and ally disagree on the number of classes ({y.Columns}, {ty.Columns}, {ally.Columns}).");
        if (x.Rows != y.Rows || allx.Rows != ally.Rows || tx.Rows != ty.Rows || tx.Rows != testIndex.Length)
            throw new DataFormatException($"ind.{name}: row counts disagree (x {x.Rows}, y {y.Rows}, allx {allx.Rows}, ally {ally.Rows}, tx {tx.Rows}, ty {ty.Rows}, test.index {testIndex.Length}).");

        // Rows of the stacked matrix vstack(allx, tx_extended): allx's rows, then the test block placed at the
        // sorted test ids (tx_extended[sorted - min] = tx), with zero rows for the ids test.index skips.
        var sorted = testIndex.Order().ToArray();
        var min = sorted[0];
        var stacked = new List<(CsrMatrix? Matrix, NdArray? Labels, int Row)>();
        for (var r = 0; r < allx.Rows; r++) stacked.Add((allx, ally, r));
        var block = new (CsrMatrix? Matrix, NdArray? Labels, int Row)[sorted[^1] - min + 1];
        for (var k = 0; k < sorted.Length; k++) block[sorted[k] - min] = (tx, ty, k);
        stacked.AddRange(block);
        var numNodes = stacked.Count;
        if (sorted.Distinct().Count() != sorted.Length || min < 0 || sorted[^1] >= numNodes)
            throw new DataFormatException($"ind.{name}.test.index: ids must be distinct and within 0..{numNodes - 1}.");

        // Test-index reordering: features[test.index[k]] = stacked[sorted[k]] (numpy reads the right side first).
        var rows = stacked.ToArray();
        for (var k = 0; k < testIndex.Length; k++) rows[testIndex[k]] = stacked[sorted[k]];

        var features = new float[(long)numNodes * numFeatures];
        var labels = new long[numNodes];
        var allyValues = ally.ToDoubles();
        var tyValues = ty.ToDoubles();
        for (var node = 0; node < numNodes; node++)
        {
            var (matrix, labelArray, row) = rows[node];
            labels[node] = -1;
            if (matrix is null) continue;
            for (var i = matrix.RowStarts[row]; i < matrix.RowStarts[row + 1]; i++)
                features[(long)node * numFeatures + matrix.ColumnIndices[i]] = (float)matrix.Values[i];
            var values = ReferenceEquals(labelArray, ally) ? allyValues : tyValues;
            for (var c = 0; c < numClasses; c++)
            {
                if (values[(long)row * numClasses + c] > 0) { labels[node] = c; break; }
            }
        }
        if (normalizeFeatures)
        {
            for (var node = 0; node < numNodes; node++)
            {
                var span = features.AsSpan((int)((long)node * numFeatures), numFeatures);
                var sum = 0.0;
                foreach (var v in span) sum += v;
                if (sum == 0) continue; // GCN: r_inv[isinf(r_inv)] = 0
                var inv = (float)(1.0 / sum);
                for (var j = 0; j < span.Length; j++) span[j] *= inv;
            }
        }

        var (edgeIndex, linkCount, edgeCount, selfLoops) = Edges(graph, numNodes, name);
        var train = Enumerable.Range(0, y.Rows).Select(i => (long)i).ToArray();
        var validation = Enumerable.Range(y.Rows, 500).Select(i => (long)i).ToArray();
        if (validation[^1] >= numNodes) throw new DataFormatException($"ind.{name}: too few nodes ({numNodes}) for 500 validation nodes after {y.Rows} training nodes.");
        return new PlanetoidData(
            name,
            torch.tensor(features, [numNodes, numFeatures]).DetachFromDisposeScope(),
            torch.tensor(labels).DetachFromDisposeScope(),
            edgeIndex,
            torch.tensor(train).DetachFromDisposeScope(),
            torch.tensor(validation).DetachFromDisposeScope(),
            torch.tensor(sorted.Select(i => (long)i).ToArray()).DetachFromDisposeScope(),
            numClasses, linkCount, edgeCount, selfLoops);
    }

    private static (Tensor EdgeIndex, int Links, int Edges, int SelfLoops) Edges(Hashtable graph, int numNodes, string name)
    {
        var pairs = new SortedSet<(int Source, int Target)>();
        var entries = 0;
        foreach (DictionaryEntry entry in graph)
        {
            var u = Node(entry.Key);
            if (entry.Value is not IList neighbours) throw new DataFormatException($"ind.{name}.graph: node {u} has no adjacency list.");
            foreach (var v in neighbours.Cast<object>().Select(Node))
            {
                entries++;
                pairs.Add((u, v));
                pairs.Add((v, u));
            }
        }
        var selfLoops = pairs.Count(p => p.Source == p.Target);
        var index = new long[2 * pairs.Count];
        var e = 0;
        foreach (var (s, t) in pairs)
        {
            index[e] = s;
            index[pairs.Count + e] = t;
            e++;
        }
        return (torch.tensor(index, [2, pairs.Count]).DetachFromDisposeScope(), entries / 2, (pairs.Count - selfLoops) / 2, selfLoops);

        int Node(object? id) => id is int i && i >= 0 && i < numNodes
            ? i
            : throw new DataFormatException($"ind.{name}.graph: node id '{id}' is not within 0..{numNodes - 1}.");
    }
}
