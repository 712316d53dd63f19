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
        using var buffer = new MemoryStream();
        try
        {
            stream.CopyTo(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException($"{path}: corrupt gzip data ({ex.Message}).");
        }
        return Parse(buffer.ToArray(), path);
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
        var shape = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (shape[i] < 0) throw new DataFormatException($"{source}: IDX dimension {i} is negative ({shape[i]}).");
            count *= shape[i];
        }
        if (bytes.Length - header != count)
            throw new DataFormatException(
                $"{source}: IDX header declares shape [{string.Join(", ", shape)}] = {count:N0} bytes of data, but the file holds {bytes.Length - header:N0} (truncated or corrupt).");
        return new IdxArray(shape, bytes[header..]);
    }
}
