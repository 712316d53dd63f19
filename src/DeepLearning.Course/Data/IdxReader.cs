using System.Buffers.Binary;

namespace DeepLearning.Course.Data;

/// <summary>An IDX array (the MNIST file format): shape and unsigned-byte data.</summary>
/// <param name="Shape">Dimensions, outermost first (e.g. [60000, 28, 28]).</param>
/// <param name="Data">Row-major bytes.</param>
/// <remarks>Introduced in chapter 02 (MLP), which reads Fashion-MNIST.</remarks>
public sealed record IdxArray(int[] Shape, byte[] Data);

/// <summary>Strict reader of IDX files (gzip-compressed or raw): checks magic, type, dimensions and length.</summary>
/// <remarks>Introduced in chapter 02 (MLP), which reads Fashion-MNIST.</remarks>
public static class IdxReader
{
    /// <summary>Reads an IDX file; gzip is detected from its magic bytes.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The array.</returns>
    /// <exception cref="DataFormatException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxArray Read(string path)
    {
        using var stream = DatasetLocation.OpenMaybeGzip(path);
        try
        {
            // Read the header first so the data is read once into an exactly sized array.
            var head = new byte[4];
            var got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            if (got < 4 || head[0] != 0 || head[1] != 0 || head[2] != 0x08 || head[3] is < 1 or > 4)
                return Parse(head[..got], path); // reports the precise header problem
            var dims = new byte[4 * head[3]];
            got = stream.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false);
            if (got < dims.Length) return Parse([.. head, .. dims[..got]], path);
            var shape = ParseShape(dims, head[3], path, out var count);
            var data = new byte[count];
            got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            var extra = got == data.Length ? stream.Read(new byte[1]) : 0;
            if (got != count || extra != 0)
                throw new DataFormatException(
                    $"{path}: IDX header declares shape [{string.Join(", ", shape)}] = {count:N0} bytes of data, but the file holds {(extra != 0 ? "more" : got.ToString("N0"))} (truncated or corrupt).");
            return new IdxArray(shape, data);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException($"{path}: corrupt gzip data ({ex.Message}).");
        }
    }

    private static int[] ParseShape(ReadOnlySpan<byte> dims, int rank, string source, out long count)
    {
        var shape = new int[rank];
        count = 1;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dims[(4 * i)..]);
            if (shape[i] < 0) throw new DataFormatException($"{source}: IDX dimension {i} is negative ({shape[i]}).");
            count *= shape[i];
        }
        if (count > Array.MaxLength) throw new DataFormatException($"{source}: IDX shape [{string.Join(", ", shape)}] is too large.");
        return shape;
    }

    /// <summary>Parses IDX bytes (already decompressed).</summary>
    /// <param name="bytes">The file content.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <returns>The array.</returns>
    /// <exception cref="DataFormatException">The bytes are not a well-formed unsigned-byte IDX array.</exception>
    public static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new DataFormatException($"{source}: {bytes.Length} bytes is too short for an IDX header (4 bytes of magic number).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new DataFormatException($"{source}: not an IDX file (magic number starts 0x{bytes[0]:x2}{bytes[1]:x2}, expected 0x0000).");
        if (bytes[2] != 0x08)
            throw new DataFormatException($"{source}: IDX element type 0x{bytes[2]:x2} is not supported (only 0x08, unsigned byte, as in MNIST).");
        int rank = bytes[3];
        if (rank is < 1 or > 4)
            throw new DataFormatException($"{source}: IDX rank {rank} is not supported (1 to 4 dimensions).");
        var header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new DataFormatException($"{source}: file ends inside the IDX header ({bytes.Length} bytes, header needs {header}).");
        var shape = ParseShape(bytes.AsSpan(4, 4 * rank), rank, source, out var count);
        if (bytes.Length - header != count)
            throw new DataFormatException(
                $"{source}: IDX header declares shape [{string.Join(", ", shape)}] = {count:N0} bytes of data, but the file holds {bytes.Length - header:N0} (truncated or corrupt).");
        return new IdxArray(shape, bytes[header..]);
    }
}
