using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>Writes a CPU tensor as a NumPy .npy file (format 1.0), so the PyTorch peer trains on the very same arrays.</summary>
internal static class Npy
{
    public static void Write(string path, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var t = tensor.cpu().contiguous();
        var (descr, bytes) = t.dtype switch
        {
            ScalarType.Float32 => ("<f4", Bytes<float>(t)),
            ScalarType.Int64 => ("<i8", Bytes<long>(t)),
            ScalarType.Int32 => ("<i4", Bytes<int>(t)),
            ScalarType.Float64 => ("<f8", Bytes<double>(t)),
            _ => throw new NotSupportedException($"dtype {t.dtype}"),
        };
        var shape = t.shape.Length == 1 ? $"({t.shape[0]},)" : $"({string.Join(", ", t.shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        var total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var file = File.Create(path);
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        file.Write(BitConverter.GetBytes((ushort)header.Length));
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(bytes);
    }

    private static byte[] Bytes<T>(Tensor t) where T : unmanaged
    {
        var values = t.data<T>().ToArray();
        var bytes = new byte[values.Length * System.Runtime.InteropServices.Marshal.SizeOf<T>()];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
