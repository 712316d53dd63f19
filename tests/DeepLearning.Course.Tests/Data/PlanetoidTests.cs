using DeepLearning.Course.Data;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Data;

public class PlanetoidTests : IDisposable
{
    private readonly string _root = TestData.NewTempDir();

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>The Planetoid files of CI: planetoid/ in a folder of $DLCOURSE_DATA_DIRS (../shared/datasets).</summary>
    private static DatasetLocation Installed() =>
        TestData.RequireInstalled(DatasetCatalog.Planetoid, $"a planetoid/ folder in ${DatasetPaths.DataDirsVariable}");

    private static long[] CountPerClass(Tensor labels, Tensor nodes, int classes) =>
        labels.index_select(0, nodes).bincount(null, classes).data<long>().ToArray();

    [Fact]
    public void Cora_has_the_published_size_split_and_the_GCN_test_index_reordering()
    {
        // Given the GCN repository's Cora files
        var folder = Installed().Directory;

        // When loaded with the standard preprocessing
        using var cora = Planetoid.Load("cora", path: folder);

        // Then it has 2,708 papers, 1,433 word features and 7 classes
        Assert.Equal(2_708, cora.NumNodes);
        Assert.Equal(1_433, cora.NumFeatures);
        Assert.Equal(7, cora.NumClasses);
        // and the 5,429 links of Kipf & Welling's Table 1, which are 5,278 distinct undirected edges (151 links are
        // listed twice, once from each paper) and no self-loops: 10,556 directed entries
        Assert.Equal(5_429, cora.LinkCount);
        Assert.Equal(5_278, cora.EdgeCount);
        Assert.Equal(0, cora.SelfLoopCount);
        Assert.Equal([2L, 10_556L], cora.EdgeIndex.shape);
        // and the Planetoid split: 140 training nodes (20 per class), 500 validation, 1,000 test
        Assert.Equal([20L, 20, 20, 20, 20, 20, 20], CountPerClass(cora.Labels, cora.TrainNodes, 7));
        Assert.Equal(500, cora.ValidationNodes.shape[0]);
        Assert.Equal([130L, 91, 144, 319, 149, 103, 64], CountPerClass(cora.Labels, cora.TestNodes, 7));
        Assert.Equal([351L, 217, 418, 818, 426, 298, 180], cora.Labels.bincount(null, 7).data<long>().ToArray());
        // and tx's first row belongs to node 2692, the first id of test.index (not to node 1708)
        Assert.Equal(3, cora.Labels[2692].item<long>());
        Assert.Equal([311L, 314, 353, 505, 510], cora.Features[2692].nonzero().squeeze(1).data<long>().Take(5).ToArray());
        // and every feature row is normalised to sum to one (node 2692 has 15 words: 1/15 each)
        Assert.Equal(1f / 15, cora.Features[2692, 311].item<float>(), 6);
        Assert.True(cora.Features.sum(1).allclose(ones(2_708), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Citeseer_pads_its_15_isolated_test_nodes_with_zero_features_and_no_label()
    {
        // Given the GCN repository's Citeseer files
        var folder = Installed().Directory;

        // When loaded
        using var citeseer = Planetoid.Load("citeseer", path: folder);

        // Then it has 3,327 nodes (1,015 test-range ids of which test.index lists 1,000), 3,703 features, 6 classes
        Assert.Equal(3_327, citeseer.NumNodes);
        Assert.Equal(3_703, citeseer.NumFeatures);
        Assert.Equal(6, citeseer.NumClasses);
        Assert.Equal(4_732, citeseer.LinkCount);
        Assert.Equal(4_552, citeseer.EdgeCount);
        Assert.Equal(124, citeseer.SelfLoopCount);
        Assert.Equal([2L, 2 * 4_552 + 124], citeseer.EdgeIndex.shape);
        // and the 15 nodes missing from test.index have a zero feature row and label -1, and are in no split
        var unlabelled = citeseer.Labels.eq(-1).nonzero().squeeze(1);
        Assert.Equal(15, unlabelled.shape[0]);
        Assert.Equal(unlabelled.data<long>().ToArray(), citeseer.Features.sum(1).eq(0).nonzero().squeeze(1).data<long>().ToArray());
        Assert.True(unlabelled.data<long>().ToArray().All(n => n is >= 2_312 and <= 3_326));
        foreach (var split in new[] { citeseer.TrainNodes, citeseer.ValidationNodes, citeseer.TestNodes })
            Assert.True(citeseer.Labels.index_select(0, split).ge(0).all().item<bool>());
        // and the split is 120 (20 per class) / 500 / 1,000
        Assert.Equal([20L, 20, 20, 20, 20, 20], CountPerClass(citeseer.Labels, citeseer.TrainNodes, 6));
        Assert.Equal([77L, 182, 181, 231, 169, 160], CountPerClass(citeseer.Labels, citeseer.TestNodes, 6));
        // and tx's first row went to node 2488, the first id of test.index
        Assert.Equal(2, citeseer.Labels[2488].item<long>());
        Assert.Equal(41, citeseer.Features[2488].count_nonzero().item<long>());
    }

    [Fact]
    public void Without_normalisation_the_features_are_the_binary_word_indicators()
    {
        // Given Cora loaded without row normalisation
        using var cora = Planetoid.Load("cora", normalizeFeatures: false, path: Installed().Directory);
        // Then every value is 0 or 1, with the files' 49,216 ones, and node 0 has 9 words
        Assert.True(cora.Features.eq(0).logical_or(cora.Features.eq(1)).all().item<bool>());
        Assert.Equal(49_216, cora.Features.sum().item<float>());
        Assert.Equal(9, cora.Features[0].sum().item<float>());
    }

    [Fact]
    public void A_corrupted_file_is_refused_by_its_checksum_naming_the_file()
    {
        // Given a copy of the files with one byte of ind.cora.graph changed
        var source = Installed().Directory;
        var copy = Path.Combine(_root, "planetoid");
        Directory.CreateDirectory(copy);
        foreach (var f in DatasetCatalog.Planetoid.Files) File.Copy(Path.Combine(source, f.Name), Path.Combine(copy, f.Name));
        var graph = File.ReadAllBytes(Path.Combine(copy, "ind.cora.graph"));
        graph[100] ^= 0xff;
        File.WriteAllBytes(Path.Combine(copy, "ind.cora.graph"), graph);

        // When Cora is loaded from it / Then the checksum error names the file
        var error = Assert.Throws<DatasetChecksumException>(() => Planetoid.Load("cora", path: copy));
        Assert.Contains("ind.cora.graph", error.Message);
    }

    [Fact]
    public void A_truncated_or_wrong_pickle_gives_a_data_format_error_naming_the_file_and_the_expected_type()
    {
        // Given the bytes of ind.cora.x cut in half, and the adjacency pickle read as if it were an array
        var location = Installed();
        var x = File.ReadAllBytes(location.PathOf("ind.cora.x"));
        var graph = File.ReadAllBytes(location.PathOf("ind.cora.graph"));

        // When each is unpickled / Then the error says which file, what was expected and what went wrong
        var truncated = Assert.Throws<DataFormatException>(() => PlanetoidPickles.Load<CsrMatrix>(x[..(x.Length / 2)], "ind.cora.x"));
        Assert.Contains("ind.cora.x: not a readable Python pickle of a scipy.sparse.csr_matrix", truncated.Message);
        var wrong = Assert.Throws<DataFormatException>(() => PlanetoidPickles.Load<NdArray>(graph, "ind.cora.graph"));
        Assert.Contains("ind.cora.graph: expected a pickled numpy.ndarray, found Hashtable", wrong.Message);
    }

    [Fact]
    public void A_missing_copy_is_downloaded_from_a_mirror_verified_and_loaded()
    {
        // Given a local HTTP mirror serving the sixteen files, and an empty cache
        var source = Installed().Directory;
        using var server = new LocalHttpServer();
        foreach (var f in DatasetCatalog.Planetoid.Files) server.Serve($"/planetoid/{f.Name}", File.ReadAllBytes(Path.Combine(source, f.Name)));
        var locator = new DatasetLocator(TestData.Isolated(Path.Combine(_root, "cache"), server.BaseUrl));

        // When the dataset is located, then Cora loaded through the same locator
        var location = locator.Locate(DatasetCatalog.Planetoid);
        using var cora = Planetoid.Load("cora", locator: locator);

        // Then the files came over HTTP into the cache, byte for byte, and load as from the shared copy
        Assert.Equal(DatasetSource.Download, location.Source);
        Assert.All(DatasetCatalog.Planetoid.Files, f => Assert.Equal(1, server.Hits($"/planetoid/{f.Name}")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "ind.cora.allx")), File.ReadAllBytes(location.PathOf("ind.cora.allx")));
        Assert.Equal(2_708, cora.NumNodes);
        // and for real users the official source is the GCN repository's raw files
        Assert.Equal("https://raw.githubusercontent.com/tkipf/gcn/master/gcn/data/ind.cora.x", DatasetCatalog.Planetoid.Downloads[0].Urls[0]);
    }
}
