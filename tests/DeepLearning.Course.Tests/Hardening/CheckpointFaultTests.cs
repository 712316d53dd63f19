using System.Text;
using System.Text.Json;
using DeepLearning.Course.Training;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Hardening;

/// <summary>
/// Fault injection for <see cref="Checkpoint"/>: damaged files generated from a good one (truncated at
/// many offsets, single bit flips, zeroed blocks, bytes appended). Every one is refused with a clear
/// error before a weight is touched, and the model keeps its state.
/// </summary>
[Collection("Hardening")]
public sealed class CheckpointFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlc-ckpt-fault-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static nn.Module<Tensor, Tensor> Mlp() => nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));

    private static Dictionary<string, float[]> State(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

    private static void AssertSameState(Dictionary<string, float[]> expected, nn.Module model, string damage)
    {
        var actual = State(model);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, values) in expected)
            Assert.True(values.SequenceEqual(actual[name]), $"{damage}: tensor {name} changed");
    }

    /// <summary>Damaged variants of <paramref name="good"/>: (description, bytes).</summary>
    public static IEnumerable<(string, byte[])> Damages(byte[] good, int seed)
    {
        var random = new Random(seed);
        // Truncations: every one of the first 24 bytes (magic, manifest length), then spread over the file, then the tail (trailer).
        var cuts = Enumerable.Range(0, 24).Concat(Enumerable.Range(1, 30).Select(i => (int)((long)good.Length * i / 31)))
            .Concat(Enumerable.Range(1, 48).Select(i => good.Length - i)).Distinct().Where(n => n >= 0 && n < good.Length);
        foreach (var n in cuts)
            yield return ($"truncated to {n} of {good.Length} bytes", good[..n]);
        // Single bit flips: in the header, at random places, in the trailer.
        var positions = new[] { 0, 7, 8, 11, 12, 20 }.Concat(Enumerable.Range(0, 50).Select(_ => random.Next(good.Length)))
            .Concat(Enumerable.Range(1, 12).Select(i => good.Length - i * 4)).Distinct();
        foreach (var at in positions)
        {
            var bit = random.Next(8);
            var flipped = (byte[])good.Clone();
            flipped[at] ^= (byte)(1 << bit);
            yield return ($"bit {bit} of byte {at} flipped", flipped);
        }
        // A zeroed block in the payload, a copy cut short and padded with zeros to the right length, bytes appended.
        var zeroed = (byte[])good.Clone();
        Array.Clear(zeroed, good.Length / 2, 16);
        yield return ("16 bytes zeroed in the middle", zeroed);
        var padded = new byte[good.Length];
        Array.Copy(good, padded, good.Length / 2);
        yield return ("second half zeros (a sparse copy)", padded);
        yield return ("one byte appended", [.. good, 0]);
        yield return ("a second checkpoint appended", [.. good, .. good]);
        yield return ("empty", []);
    }

    [Fact]
    public void Every_damaged_checkpoint_is_refused_and_the_model_is_unchanged()
    {
        // Given a good checkpoint of one model, and another model of the same architecture with its own weights
        manual_seed(1);
        var path = Path.Combine(_dir, "good.ckpt");
        Checkpoint.Save(Mlp(), path);
        var good = File.ReadAllBytes(path);
        manual_seed(2);
        var model = Mlp();
        var before = State(model);
        var damaged = Path.Combine(_dir, "damaged.ckpt");
        var tried = 0;

        foreach (var (damage, bytes) in Damages(good, seed: 7))
        {
            // When each damaged variant is loaded
            File.WriteAllBytes(damaged, bytes);
            var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(model, damaged));

            // Then it is refused with a message naming the file and what is wrong, and no weight changed
            Assert.Contains(damaged, error.Message);
            Assert.True(error.Message.Contains("is damaged", StringComparison.Ordinal) || error.Message.Contains("not a DeepLearning.Course checkpoint", StringComparison.Ordinal),
                $"{damage}: {error.Message}");
            AssertSameState(before, model, damage);
            tried++;
        }
        Assert.True(tried >= 150, $"only {tried} damaged checkpoints generated");

        // And the good file still loads into the same model afterwards
        Checkpoint.Load(model, path);
        Assert.NotEqual(before["0.weight"], State(model)["0.weight"]);
    }

    [Fact]
    public void A_damaged_file_is_named_as_damaged_not_as_an_end_of_stream()
    {
        // Given a checkpoint cut in the middle of its weights
        var path = Path.Combine(_dir, "cut.ckpt");
        Checkpoint.Save(Mlp(), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        // When it is loaded, Then the error says it is damaged, that the model was not changed, and what to do
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(Mlp(), path));
        Assert.Contains("is damaged", error.Message);
        Assert.Contains("The model was not changed", error.Message);
        Assert.Throws<InvalidDataException>(() => Checkpoint.ReadManifest(path));
    }

    /// <summary>A checkpoint as <see cref="Checkpoint.Save"/> wrote them before the checksum: magic DLCKPT01, manifest, payload.</summary>
    private static byte[] Legacy(nn.Module model)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            var manifest = JsonSerializer.SerializeToUtf8Bytes(Checkpoint.Manifest(model));
            writer.Write("DLCKPT01"u8);
            writer.Write(manifest.Length);
            writer.Write(manifest);
            model.save(writer);
        }
        return memory.ToArray();
    }

    [Fact]
    public void A_checkpoint_from_before_the_checksum_loads_and_a_truncated_one_leaves_the_model_unchanged()
    {
        // Given an old-format checkpoint (no checksum) and a model with other weights
        manual_seed(3);
        var saved = Mlp();
        var legacy = Legacy(saved);
        var path = Path.Combine(_dir, "old.ckpt");
        manual_seed(4);
        var model = Mlp();
        var before = State(model);

        // When it is truncated inside the weights at several places and loaded
        foreach (var cut in Enumerable.Range(1, 9).Select(i => legacy.Length * i / 10))
        {
            File.WriteAllBytes(path, legacy[..cut]);
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(model, path));
            // Then the weights read before the cut were put back
            AssertSameState(before, model, $"legacy cut at {cut}");
        }

        // And the whole old file still loads (with a warning), giving the saved weights
        File.WriteAllBytes(path, legacy);
        Checkpoint.Load(model, path);
        AssertSameState(State(saved), model, "legacy load");
    }

    [Fact]
    public void A_save_removes_temporary_files_that_killed_saves_left_behind()
    {
        // Given temporary files of saves by processes that no longer run (a killed training run), an old one without a process id, and one of a live process
        var path = Path.Combine(_dir, "model.ckpt");
        var dead = Path.Combine(_dir, ".model.ckpt.999999999.0123456789abcdef.tmp");
        var unnamed = Path.Combine(_dir, ".model.ckpt.0123456789abcdef.tmp");
        var live = Path.Combine(_dir, $".model.ckpt.{Environment.ProcessId}.fedcba9876543210.tmp");
        var other = Path.Combine(_dir, ".other.ckpt.999999999.0123456789abcdef.tmp");
        foreach (var f in new[] { dead, unnamed, live, other })
            File.WriteAllBytes(f, new byte[1024]);
        File.SetLastWriteTimeUtc(unnamed, DateTime.UtcNow.AddDays(-1)); // from before temp names carried the process id

        // When the model is saved to the same target
        Checkpoint.Save(Mlp(), path);

        // Then the dead saves' files are gone, the live one and another target's are kept
        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(unnamed));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
    }
}
