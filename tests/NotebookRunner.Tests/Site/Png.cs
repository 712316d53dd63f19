using System.Buffers.Binary;
using System.IO.Compression;

namespace NotebookRunner.Tests.Site;

/// <summary>Just enough of a PNG decoder to look at a browser screenshot (8-bit RGB/RGBA, not interlaced).</summary>
public sealed record Png(int Width, int Height, byte[] Rgb)
{
    public static Png Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0 || data[9] is not (2 or 6))
                    throw new NotSupportedException($"PNG: bit depth {data[8]}, colour type {data[9]}, interlace {data[12]}");
                channels = data[9] == 6 ? 4 : 3;
            }
            else if (type == "IDAT")
                idat.Write(data);
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(inflated);
        return new Png(width, height, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>Counts the pixels whose (r, g, b) satisfy <paramref name="predicate"/>.</summary>
    public int Count(Func<byte, byte, byte, bool> predicate)
    {
        var count = 0;
        for (var i = 0; i < Rgb.Length; i += 3)
            if (predicate(Rgb[i], Rgb[i + 1], Rgb[i + 2])) count++;
        return count;
    }

    private static byte[] Unfilter(byte[] data, int width, int height, int channels)
    {
        var stride = width * channels;
        var current = new byte[stride];
        var previous = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            Array.Copy(data, y * (stride + 1) + 1, current, 0, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? current[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                current[x] += filter switch
                {
                    1 => (byte)a,
                    2 => (byte)b,
                    3 => (byte)((a + b) / 2),
                    4 => (byte)Paeth(a, b, c),
                    _ => 0,
                };
            }
            for (var x = 0; x < width; x++)
                Array.Copy(current, x * channels, rgb, (y * width + x) * 3, 3);
            (previous, current) = (current, previous);
        }
        return rgb;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
