using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// A minimal PNG writer (8-bit grayscale or RGB, zlib via <see cref="ZLibStream"/>), so image
/// grids need no native imaging library.
/// </summary>
/// <remarks>Introduced in chapter 02 (MLP), where the first Fashion-MNIST images are shown.</remarks>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>Encodes pixels as a PNG file.</summary>
    /// <param name="pixels">Row-major pixels: <c>height * width * channels</c> bytes.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="channels">1 (grayscale) or 3 (RGB).</param>
    /// <returns>The PNG file's bytes.</returns>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentException("PNG encoder supports 1 (gray) or 3 (RGB) channels.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != width * height * channels)
            throw new ArgumentException($"Expected {width * height * channels} bytes, got {pixels.Length}.", nameof(pixels));
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = channels == 1 ? (byte)0 : (byte)2; // color type: gray / truecolor
        WriteChunk(output, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var stride = width * channels;
                for (var row = 0; row < height; row++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(pixels.Slice(row * stride, stride));
                }
            }
            WriteChunk(output, "IDAT", compressed.ToArray());
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        output.Write(buffer);
    }

    internal static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
