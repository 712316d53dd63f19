using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using DeepLearning.Course.Data;
using DeepLearning.Course.Text;
using Microsoft.ML.Tokenizers;

namespace Benchmarks;

/// <summary>
/// <c>--only tokenizer</c>: chapter 12's GPT-2 byte-level BPE (<see cref="Gpt2Tokenizer"/>, written by the course from
/// GPT-2's <c>encoder.json</c> and <c>vocab.bpe</c>) against <c>Microsoft.ML.Tokenizers</c>' <c>TiktokenTokenizer</c> for
/// "gpt2", encoding the first megabyte of Moby Dick to ids. Both keep a cache of the words they have encoded, so each side
/// is timed twice per repetition on a fresh instance: the first pass (cache empty, as a learner's first call) and a second
/// pass over the same text (cache warm). Building an instance (reading the vocabulary) is not timed. The ids are compared
/// too: a speed-up that changed a token would not count.
/// </summary>
internal static class TokenizerBench
{
    /// <summary>Bytes encoded per pass (smoke: a tenth of it).</summary>
    public const int Megabyte = 1_000_000;

    public static JsonObject Run(BenchOptions o, TextWriter output)
    {
        var text = Prefix(MobyDick.Load(), o.Smoke ? Megabyte / 10 : Megabyte);
        var bytes = Encoding.UTF8.GetByteCount(text);
        var reps = o.Smoke ? 1 : Math.Max(3, o.Repetitions);
        var ours = Measure(reps, () => { var t = Gpt2Tokenizer.Load(); return s => t.Encode(s); }, text);
        var reference = Measure(reps, () => { var t = TiktokenTokenizer.CreateForModel("gpt2"); return s => t.EncodeToIds(s).ToArray(); }, text);
        var mismatches = ours.Ids.Zip(reference.Ids).Count(p => p.First != p.Second) + Math.Abs(ours.Ids.Length - reference.Ids.Length);
        double MBs(double seconds) => bytes / 1e6 / seconds;
        output.WriteLine($"  GPT-2 encode of {bytes / 1e6:F2} MB of Moby Dick ({ours.Ids.Length:N0} tokens, {mismatches} ids differ), median of {reps}:");
        output.WriteLine($"    first pass: ours {MBs(ours.Cold):F2} MB/s, Microsoft.ML.Tokenizers {MBs(reference.Cold):F2} MB/s (ratio {reference.Cold / ours.Cold:F2})");
        output.WriteLine($"    warm cache: ours {MBs(ours.Warm):F2} MB/s, Microsoft.ML.Tokenizers {MBs(reference.Warm):F2} MB/s (ratio {reference.Warm / ours.Warm:F2})");
        return new JsonObject
        {
            ["text"] = "Moby Dick, first characters up to the byte count",
            ["bytes"] = bytes,
            ["tokens"] = ours.Ids.Length,
            ["mismatchedIds"] = mismatches,
            ["repetitions"] = reps,
            ["ours"] = new JsonObject { ["firstPassMBps"] = SideResult.Round(MBs(ours.Cold)), ["warmMBps"] = SideResult.Round(MBs(ours.Warm)) },
            ["microsoftMlTokenizers"] = new JsonObject { ["firstPassMBps"] = SideResult.Round(MBs(reference.Cold)), ["warmMBps"] = SideResult.Round(MBs(reference.Warm)) },
            ["ratioFirstPass"] = SideResult.Round(reference.Cold / ours.Cold),
            ["ratioWarm"] = SideResult.Round(reference.Warm / ours.Warm),
            ["ratioMeaning"] = "ours / Microsoft.ML.Tokenizers throughput: above 1, the course's encoder is faster",
        };
    }

    /// <summary>The longest prefix of <paramref name="text"/> whose UTF-8 form fits in <paramref name="maxBytes"/>.</summary>
    internal static string Prefix(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Encoding.UTF8.GetByteCount(text.AsSpan(0, mid)) <= maxBytes) low = mid; else high = mid - 1;
        }
        if (low > 0 && char.IsHighSurrogate(text[low - 1])) low--;
        return text[..low];
    }

    /// <summary>Median seconds of a first and a second pass, each repetition on a fresh instance; the ids of the last pass.</summary>
    private static (double Cold, double Warm, int[] Ids) Measure(int reps, Func<Func<string, int[]>> create, string text)
    {
        create()(text);   // JIT and first-use costs of the code paths, on a throwaway instance
        var cold = new List<double>();
        var warm = new List<double>();
        int[] ids = [];
        for (var r = 0; r < reps; r++)
        {
            var encode = create();
            var clock = Stopwatch.StartNew();
            ids = encode(text);
            cold.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            ids = encode(text);
            warm.Add(clock.Elapsed.TotalSeconds);
        }
        return (Stats.Median(cold), Stats.Median(warm), ids);
    }
}
