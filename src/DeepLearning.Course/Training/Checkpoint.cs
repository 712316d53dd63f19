using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeepLearning.Course.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>
/// Saves and loads model weights atomically. A checkpoint is a small header (magic bytes and a
/// JSON manifest of tensor names, dtypes and shapes), TorchSharp's own <c>Module.save</c> payload,
/// and a trailer with the length and SHA-256 of everything before it. Saving writes a temporary
/// file beside the target and renames it over the target only when complete, so a crash never
/// leaves a half-written checkpoint (temporary files of killed saves are removed by the next save).
/// Loading verifies the whole file (length and checksum) and compares the manifest with the model
/// before it touches a single weight, and fails with a clear message; the model is then unchanged.
/// </summary>
/// <remarks>
/// Introduced in chapter 02 (MLP); the <see cref="Trainer"/> keeps the best epoch with it.
/// Checkpoints written before the checksum existed (magic <c>DLCKPT01</c>) still load, with a
/// warning on standard error: nothing can tell a corrupted payload of theirs from a good one
/// (a truncated one still fails and leaves the model unchanged). Save again to add the checksum.
/// </remarks>
public static class Checkpoint
{
    private static readonly byte[] Magic = "DLCKPT02"u8.ToArray();
    private static readonly byte[] LegacyMagic = "DLCKPT01"u8.ToArray();
    private static readonly byte[] TrailerMagic = "DLCKEND2"u8.ToArray();

    /// <summary>Trailer: the checked length (int64), its SHA-256 (32 bytes), the trailer magic.</summary>
    private const int TrailerLength = sizeof(long) + 32 + 8;

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
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        TemporaryFiles.RemoveOrphans(folder, TempPrefix(full), ".tmp");
        var temp = TemporaryFiles.Create(folder, TempPrefix(full), ".tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var hashed = new HashingStream(file))
                using (var writer = new BinaryWriter(hashed, Encoding.UTF8, leaveOpen: true))
                {
                    var manifest = JsonSerializer.SerializeToUtf8Bytes(Manifest(model));
                    writer.Write(Magic);
                    writer.Write(manifest.Length);
                    writer.Write(manifest);
                    model.save(writer);
                    writer.Flush();
                    var trailer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
                    trailer.Write(hashed.Length);
                    trailer.Write(hashed.Hash());
                    trailer.Write(TrailerMagic);
                    trailer.Flush();
                }
                file.Flush(flushToDisk: true);
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
    /// Loads weights from <paramref name="path"/> into <paramref name="model"/>, after checking the
    /// file's length and checksum and that names, dtypes and shapes match exactly.
    /// </summary>
    /// <param name="model">A model of the same architecture as the one saved.</param>
    /// <param name="path">A file written by <see cref="Save"/>.</param>
    /// <exception cref="CheckpointMismatchException">The checkpoint does not fit the model (every difference is listed).</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint written by <see cref="Save"/>, or it is truncated or corrupted; the model is unchanged.</exception>
    public static void Load(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = File.OpenRead(path);
        var legacy = Verify(stream, path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var saved = ReadManifest(reader, path);
        var expected = Manifest(model);
        var problems = Compare(saved, expected);
        if (problems.Count > 0) throw new CheckpointMismatchException(path, problems);
        if (legacy)
            Console.Error.WriteLine($"warning: checkpoint '{path}' was written before checkpoints carried a checksum, so corruption cannot be detected; save it again to add one.");
        LoadKeepingModelOnFailure(model, reader, path);
    }

    /// <summary>The names, dtypes and shapes stored in a checkpoint file.</summary>
    /// <param name="path">A file written by <see cref="Save"/>.</param>
    /// <returns>The manifest entries in state-dict order.</returns>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or it is truncated or corrupted.</exception>
    public static IReadOnlyList<CheckpointEntry> ReadManifest(string path)
    {
        using var stream = File.OpenRead(path);
        Verify(stream, path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadManifest(reader, path);
    }

    /// <summary>The names, dtypes and shapes of a model's state dict.</summary>
    /// <param name="model">Any module.</param>
    /// <returns>Entries in state-dict order.</returns>
    public static IReadOnlyList<CheckpointEntry> Manifest(nn.Module model) =>
        model.state_dict().Select(kv => new CheckpointEntry(kv.Key, TensorHtml.DTypeName(kv.Value.dtype), kv.Value.shape)).ToList();

    /// <summary>
    /// Checks the magic, the length and the checksum of the whole file, then rewinds it; true for
    /// a legacy checkpoint without a checksum (only its magic can be checked).
    /// </summary>
    private static bool Verify(FileStream stream, string path)
    {
        var magic = new byte[Magic.Length];
        var read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read == magic.Length && magic.AsSpan().SequenceEqual(LegacyMagic))
            return true;
        if (read < magic.Length || !magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"'{path}' is not a DeepLearning.Course checkpoint (write it with Checkpoint.Save or Trainer's CheckpointPath).");
        var length = stream.Length;
        if (length < Magic.Length + sizeof(int) + TrailerLength)
            throw Damaged(path, $"it is only {length} bytes long, shorter than any checkpoint");
        stream.Position = length - TrailerLength;
        using (var trailer = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true))
        {
            var checkedLength = trailer.ReadInt64();
            var hash = trailer.ReadBytes(32);
            var end = trailer.ReadBytes(TrailerMagic.Length);
            if (!end.AsSpan().SequenceEqual(TrailerMagic) || checkedLength != length - TrailerLength)
                throw Damaged(path, $"it is {length} bytes long but its trailer is missing or names another length (truncated, or bytes appended or changed)");
            stream.Position = 0;
            var actual = SHA256Of(stream, checkedLength);
            if (!CryptographicOperations.FixedTimeEquals(actual, hash))
                throw Damaged(path, "its SHA-256 checksum does not match its contents (bytes changed on disk or in a copy)");
        }
        stream.Position = 0;
        return false;
    }

    private static InvalidDataException Damaged(string path, string why) =>
        new($"Checkpoint '{path}' is damaged: {why}. The model was not changed; save the checkpoint again, or train from scratch.");

    private static byte[] SHA256Of(Stream stream, long count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0) throw new EndOfStreamException();
            hash.AppendData(buffer, 0, n);
            count -= n;
        }
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Loads the payload; should it fail part-way (only possible for a legacy checkpoint, whose
    /// payload is not checksummed), the weights read so far are put back.
    /// </summary>
    private static void LoadKeepingModelOnFailure(nn.Module model, BinaryReader reader, string path)
    {
        var backup = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        try
        {
            model.load(reader, strict: true);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            using (no_grad())
            {
                foreach (var (name, tensor) in model.state_dict())
                    tensor.copy_(backup[name]);
            }
            throw Damaged(path, $"its weights could not be read ({e.GetType().Name}: {e.Message})");
        }
        finally
        {
            foreach (var tensor in backup.Values)
                tensor.Dispose();
        }
    }

    private static string TempPrefix(string full) => $".{Path.GetFileName(full)}.";

    private static List<CheckpointEntry> ReadManifest(BinaryReader reader, string path)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic) && !magic.AsSpan().SequenceEqual(LegacyMagic))
            throw new InvalidDataException($"'{path}' is not a DeepLearning.Course checkpoint (write it with Checkpoint.Save or Trainer's CheckpointPath).");
        try
        {
            var length = reader.ReadInt32();
            if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
                throw Damaged(path, $"its manifest claims {length} bytes");
            return JsonSerializer.Deserialize<List<CheckpointEntry>>(reader.ReadBytes(length))
                ?? throw new InvalidDataException($"'{path}' has an empty manifest.");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw Damaged(path, $"its manifest cannot be read ({e.Message})");
        }
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

    /// <summary>A write-only stream that hashes what passes through it on its way to the file.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public byte[] Hash() => _hash.GetCurrentHash();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _length += buffer.Length;
            inner.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
