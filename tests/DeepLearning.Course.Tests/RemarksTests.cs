using System.Text.Json;
using System.Text.RegularExpressions;
using DeepLearning.Course.Data;

namespace DeepLearning.Course.Tests;

/// <summary>
/// Each public library type's <c>&lt;remarks&gt;</c> says "Introduced in chapter NN"; these tests hold
/// that to the chapters: NN is the first notebook, in order, whose code cells name the type.
/// </summary>
public partial class RemarksTests
{
    /// <summary>
    /// Types a chapter reaches without writing their name, and the code that reaches them (any
    /// one counts as a use, beside the type's own name).
    /// </summary>
    private static readonly Dictionary<string, string[]> ReachedThrough = new()
    {
        ["TrainStep"] = ["Step = "], ["StepContext"] = ["Step = "], ["StepResult"] = ["Step = "],
        ["ProgressBoard"] = ["new Trainer("], ["History"] = [".Fit("], ["EpochRecord"] = [".Fit("],
        ["Batch"] = ["Batches("], ["MonitorMode"] = ["Monitor ="],
        ["Checkpoint"] = ["CheckpointPath"], ["CheckpointEntry"] = ["CheckpointPath"], ["CheckpointMismatchException"] = ["CheckpointPath"],
        ["GanStepResult"] = ["GanTrainer"], ["LeNetConfig"] = ["new LeNet("], ["TinyResNetConfig"] = ["new TinyResNet("], ["DecoderBlock"] = ["Seq2SeqTransformer"], ["LayerInfo"] = ["ModelSummary"],
        ["IdxArray"] = ["FashionMnist"], ["IdxReader"] = ["FashionMnist"], ["Figure"] = ["Charts."], ["PlotlyObject"] = ["Charts."],
        ["MovieLensData"] = ["MovieLens100k"], ["RatingSplit"] = ["MovieLens100k"], ["TimeSeriesData"] = ["Co2"],
        ["TokenKind"] = ["Vocabulary"], ["ClassificationData"] = ["Digits."], ["Tables"] = ["Cars."],
        ["MetricRecord"] = ["ChapterResults"], ["Condition"] = ["ChapterResults"], ["ThresholdKind"] = ["ChapterResults"],
        ["ResultRow"] = ["ChapterResults"], ["ResultsCheckException"] = ["ChapterResults"],
        ["PublishedResult"] = ["ChapterResults"], ["PublishedResults"] = ["ChapterResults"],
        ["Exercise"] = ["Exercises."], ["ExerciseVerdict"] = ["Exercises."], ["Expect"] = ["Exercises."], ["NotYetException"] = ["Exercises."],
        ["IEnvironment"] = ["new CartPole("], ["Transition"] = [".Step("], ["Space"] = ["new CartPole("], ["GaussianBandit"] = ["BanditExperiment"],
        ["TabularTransition"] = ["ValueIteration"], ["ITabularModel"] = ["ValueIteration"], ["EpsilonSchedule"] = ["DqnAgent"],
        ["ReplayBuffer"] = ["DqnAgent"], ["ReplayBatch"] = ["DqnAgent"], ["EvaluationRecord"] = ["DqnAgent"],
        ["GraphConvolution"] = ["new Gcn("], ["GraphAttention"] = ["new Gat("], ["SparseDropout"] = ["to_sparse()"],
        ["BpeMerge"] = ["bpe.Merges"], ["SotuAddress"] = ["StateOfTheUnion."], ["SpamMessage"] = ["SpamAssassin."], ["CmuDictEntry"] = ["CmuDict."],
        ["AdditiveAttention"] = ["new AttentionSeq2Seq("], ["EncodedSource"] = ["new AttentionSeq2Seq("],
        ["PrecisionRecallCurve"] = ["BinaryScores.PrecisionRecall("], ["BinaryConfusion"] = ["BinaryScores.Confusion("],
        ["UNetBlock"] = ["new UNet("], ["PaddedConvolution"] = ["new UNet("], ["JudgeVerdict"] = [".Verdict("], ["ModelCache"] = ["CourseGenerators."], ["CachedModel"] = ["CourseGenerators."],
    };

    /// <summary>
    /// Machinery no chapter names or reaches directly (display, formatting, dataset acquisition): its
    /// remark names the chapter where it first works behind the scenes, which no notebook text shows.
    /// </summary>
    private static readonly HashSet<string> BehindTheScenes =
    [
        "CourseInfo", "Notebook", "DisplayHandle", "Formatters", "DataFrameHtml", "PlotlyHtml", "TensorHtml", "XPlotHtml",
        "PngEncoder", "TrainingDivergedException",
        "ArchiveExtractor", "Checksums", "ConsoleProgress", "DatasetCatalog", "DatasetLocator", "DatasetLocatorOptions",
        "DatasetLocation", "DatasetSource", "DatasetPaths", "DatasetSpec", "DatasetFile", "DatasetDownload", "DownloadKind",
        "DownloadProgress", "DatasetException", "DatasetNotFoundException", "DatasetChecksumException",
        "DatasetDownloadException", "DataFormatException",
    ];

    [Fact]
    public void Every_introduced_in_chapter_remark_names_the_first_chapter_that_uses_the_type()
    {
        // Given every public type with an "Introduced in chapter NN" remark, and the chapters' code cells in order
        var types = RemarkedTypes();
        var chapters = ChapterCode();
        Assert.True(types.Count > 50, $"found only {types.Count} remarked types: is the source scan broken?");
        Assert.Equal(12, chapters.Count);
        // Then each type's chapter is the first one that names it (or reaches it through the code listed above)
        var wrong = new List<string>();
        foreach (var (name, (chapter, file)) in types)
        {
            var first = chapters.FirstOrDefault(c => Uses(c.Code, name)).Number;
            if (first is null)
            {
                if (!BehindTheScenes.Contains(name))
                    wrong.Add($"{name} ({file}): remark says chapter {chapter}, but no chapter uses it; list how a chapter reaches it in ReachedThrough, or add it to BehindTheScenes");
            }
            else if (BehindTheScenes.Contains(name))
                wrong.Add($"{name} ({file}): listed as behind the scenes, but chapter {first} uses it; take it off the list");
            else if (first != chapter)
                wrong.Add($"{name} ({file}): remark says chapter {chapter}, but it is first used in chapter {first}");
        }
        Assert.True(wrong.Count == 0, "remarks out of step with the chapters:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_check_sees_a_type_used_only_through_its_marker()
    {
        // Given the chapters' code, TrainStep is never written by name but a custom step is ("Step = c => ...")
        var chapters = ChapterCode();
        Assert.DoesNotContain(chapters, c => NameUse(c.Code, "TrainStep"));
        // Then its first use is the first chapter with a custom step, not "never"
        Assert.NotNull(chapters.FirstOrDefault(c => Uses(c.Code, "TrainStep")).Number);
    }

    private static bool Uses(string code, string type) =>
        NameUse(code, type) || (ReachedThrough.TryGetValue(type, out var markers) && markers.Any(m => code.Contains(m, StringComparison.Ordinal)));

    private static bool NameUse(string code, string type) => Regex.IsMatch(code, $@"\b{Regex.Escape(type)}\b");

    private static string Root() => DatasetPaths.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");

    private static SortedDictionary<string, (string Chapter, string File)> RemarkedTypes()
    {
        var source = Path.Combine(Root(), "src", "DeepLearning.Course");
        var types = new SortedDictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            foreach (Match m in TypeWithDocs().Matches(File.ReadAllText(file)))
            {
                var remark = IntroducedIn().Match(m.Groups["doc"].Value);
                if (remark.Success) types[m.Groups["name"].Value] = (remark.Groups[1].Value, relative);
            }
        }
        return types;
    }

    private static List<(string Number, string Code)> ChapterCode()
    {
        var notebooks = Directory.GetFiles(Path.Combine(Root(), "notebooks"), "*.ipynb").Order(StringComparer.Ordinal);
        return notebooks.Select(path =>
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var code = document.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.GetProperty("cell_type").GetString() == "code")
                .Select(c => c.GetProperty("source") is { ValueKind: JsonValueKind.Array } lines
                    ? string.Concat(lines.EnumerateArray().Select(l => l.GetString()))
                    : c.GetProperty("source").GetString());
            return (Path.GetFileName(path)[..2], string.Join("\n", code));
        }).ToList();
    }

    [GeneratedRegex(@"(?<doc>(?:^///.*\n)+)(?:^\[.*\]\n)*^public [^\n]*?\b(?:class|record|enum|delegate|struct|interface)\s+(?:[\w.<>]+\s+)?(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeWithDocs();

    [GeneratedRegex(@"Introduced in chapter (\d\d)")]
    private static partial Regex IntroducedIn();
}
