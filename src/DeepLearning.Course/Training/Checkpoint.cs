using System.Text;
using System.Text.Json;
using DeepLearning.Course.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// Saves and loads model weights atomically. A checkpoint is a small header (magic bytes and a
/// JSON manifest of tensor names, dtypes and shapes) followed by TorchSharp's own
/// <c>Module.save</c> payload. Saving writes a temporary file beside the target and renames it
/// over the target only when complete, so a crash never leaves a half-written checkpoint.
/// Loading compares the manifest with the model first and fails with every difference listed.
/// </summary>
/// <remarks>Introduced in chapter 02 (MLP); the <see cref="Trainer"/> keeps the best epoch with it.</remarks>
public static class Checkpoint
{
    private static readonly byte[] Magic = "DLCKPT01"u8.ToArray();

    /// <summary>Test seam: runs after the temporary file is written, before it is renamed.</summary>
    internal static Action<string>? BeforeCommit { get; set; }

    /// <summary>Writes the model's weights to <paramref name="path"/> atomically (temp file + rename).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">Destination file; its folder is created if needed.</param>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                {
                    var manifest = JsonSerializer.SerializeToUtf8Bytes(Manifest(model));
                    writer.Write(Magic);
                    writer.Write(manifest.Length);
                    writer.Write(manifest);
                    model.save(writer);
                    writer.Flush();
                }
                stream.Flush(flushToDisk: true);
            }
            BeforeCommit?.Invoke(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { /* best effort: the target is untouched either way */ }
            throw;
        }
    }

    /// <summary>
    /// Loads weights from <paramref name="path"/> into <paramref name="model"/>, after checking that
    /// names, dtypes and shapes match exactly.
    /// </summary>
    /// <param name="model">A model of the same architecture as the one saved.</param>
    /// <param name="path">A file written by <see cref="Save"/>.</param>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not fit the model (every difference is listed).</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint written by <see cref="Save"/>.</exception>
    public static void Load(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var saved = ReadManifest(reader, path);
        var expected = Manifest(model);
        var problems = Compare(saved, expected);
        if (problems.Count > 0) throw new CheckpointMismatchException(path, problems);
        model.load(reader, strict: true);
    }

    /// <summary>The names, dtypes and shapes stored in a checkpoint file.</summary>
    /// <param name="path">A file written by <see cref="Save"/>.</param>
    /// <returns>The manifest entries in state-dict order.</returns>
    public static IReadOnlyList<CheckpointEntry> ReadManifest(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadManifest(reader, path);
    }

    /// <summary>The names, dtypes and shapes of a model's state dict.</summary>
    /// <param name="model">Any module.</param>
    /// <returns>Entries in state-dict order.</returns>
    public static IReadOnlyList<CheckpointEntry> Manifest(nn.Module model) =>
        model.state_dict().Select(kv => new CheckpointEntry(kv.Key, TensorHtml.DTypeName(kv.Value.dtype), kv.Value.shape)).ToList();

    private static List<CheckpointEntry> ReadManifest(BinaryReader reader, string path)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"'{path}' is not a DeepLearning.Course checkpoint (write it with Checkpoint.Save or Trainer's CheckpointPath).");
        var length = reader.ReadInt32();
        return JsonSerializer.Deserialize<List<CheckpointEntry>>(reader.ReadBytes(length))
            ?? throw new InvalidDataException($"'{path}' has an empty manifest.");
    }

    private static List<string> Compare(IReadOnlyList<CheckpointEntry> saved, IReadOnlyList<CheckpointEntry> model)
    {
        var problems = new List<string>();
        var byName = model.ToDictionary(e => e.Name);
        var savedNames = saved.Select(e => e.Name).ToHashSet();
        foreach (var entry in saved)
        {
            if (!byName.TryGetValue(entry.Name, out var mine)) { problems.Add($"unexpected in checkpoint (not in model): {entry}"); continue; }
            if (!mine.Shape.SequenceEqual(entry.Shape) || mine.DType != entry.DType)
                problems.Add($"mismatch {entry.Name}: checkpoint [{string.Join(", ", entry.Shape)}] {entry.DType}, model [{string.Join(", ", mine.Shape)}] {mine.DType}");
        }
        foreach (var entry in model.Where(e => !savedNames.Contains(e.Name)))
            problems.Add($"missing from checkpoint (model expects it): {entry}");
        return problems;
    }
}
