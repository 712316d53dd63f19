using System.Buffers.Binary;
using System.Collections;
using Razorvine.Pickle;

namespace DeepLearning.Course.Data;

/// <summary>
/// Reads the Python 2 pickles (protocol 2) of the Planetoid files with Razorvine.Pickle: the library
/// handles the pickle opcodes; the constructors registered here rebuild the three Python types the
/// files hold — <c>numpy.ndarray</c> (and its <c>numpy.dtype</c>), <c>scipy.sparse.csr_matrix</c>, and
/// <c>collections.defaultdict(list)</c> (a plain dictionary of lists here).
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks); <see cref="Planetoid"/> is its only user.</remarks>
internal static class PlanetoidPickles
{
    static PlanetoidPickles()
    {
        // Registration is process-wide in Razorvine.Pickle; the static constructor runs it once.
        Unpickler.registerConstructor("numpy.core.multiarray", "_reconstruct", new Constructor(_ => new NdArray()));
        Unpickler.registerConstructor("numpy", "dtype", new Constructor(args => new NumpyDtype(args)));
        Unpickler.registerConstructor("scipy.sparse.csr", "csr_matrix", new Constructor(_ => new CsrMatrix()));
        Unpickler.registerConstructor("scipy.sparse._csr", "csr_matrix", new Constructor(_ => new CsrMatrix()));
        Unpickler.registerConstructor("collections", "defaultdict", new Constructor(_ => new Hashtable()));
    }

    /// <summary>Unpickles one file's bytes, expecting a value of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T"><see cref="NdArray"/>, <see cref="CsrMatrix"/> or <see cref="Hashtable"/>.</typeparam>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="file">The file's name, for error messages.</param>
    /// <returns>The value.</returns>
    /// <exception cref="DataFormatException">The bytes are not a pickle of the expected type.</exception>
    public static T Load<T>(byte[] bytes, string file) where T : class
    {
        object? value;
        try
        {
            using var unpickler = new Unpickler();
            value = unpickler.loads(bytes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var cause = ex is PickleException { InnerException: { } inner } ? inner.InnerException ?? inner : ex;
            throw new DataFormatException($"{file}: not a readable Python pickle of a {Describe(typeof(T))} ({cause.GetType().Name}: {cause.Message}).");
        }
        return value as T
            ?? throw new DataFormatException($"{file}: expected a pickled {Describe(typeof(T))}, found {value?.GetType().Name ?? "None"}.");
    }

    private static string Describe(Type type) =>
        type == typeof(NdArray) ? "numpy.ndarray" : type == typeof(CsrMatrix) ? "scipy.sparse.csr_matrix" : "dict of adjacency lists";

    /// <summary>The bytes of a Python 2 <c>str</c>, which Razorvine.Pickle hands over as a string of chars 0-255.</summary>
    internal static byte[] RawBytes(object? value, string what) => value switch
    {
        byte[] bytes => bytes,
        string s => s.Select(c => c <= '\xff' ? (byte)c : throw new DataFormatException($"{what}: raw data holds a character above 255.")).ToArray(),
        _ => throw new DataFormatException($"{what}: expected raw bytes, found {value?.GetType().Name ?? "None"}."),
    };

    private sealed class Constructor(Func<object[], object> factory) : IObjectConstructor
    {
        public object construct(object[] args) => factory(args);
    }
}

/// <summary><c>numpy.dtype</c> as pickled: a type code such as <c>i4</c> or <c>f4</c>, then its byte order.</summary>
internal sealed class NumpyDtype
{
    public NumpyDtype(object[] args) =>
        Code = args.Length > 0 && args[0] is string code ? code : throw new DataFormatException("numpy.dtype: missing type code.");

    /// <summary>Type code: <c>i4</c>, <c>i8</c>, <c>f4</c>, <c>f8</c>, <c>u1</c>, <c>b1</c>, …</summary>
    public string Code { get; }

    /// <summary>Byte order: <c>&lt;</c> little-endian, <c>|</c> not applicable, <c>&gt;</c> big-endian.</summary>
    public string ByteOrder { get; private set; } = "<";

    /// <summary>Called by the unpickler with numpy's dtype state <c>(version, byteorder, …)</c>.</summary>
    /// <param name="state">The state tuple.</param>
#pragma warning disable IDE1006 // Python's name, found by Razorvine.Pickle through reflection
    public void __setstate__(object[] state)
#pragma warning restore IDE1006
    {
        if (state.Length > 1 && state[1] is string order) ByteOrder = order;
    }
}

/// <summary><c>numpy.ndarray</c> as pickled: shape, dtype, and the raw little-endian bytes (C order).</summary>
internal sealed class NdArray
{
    public long[] Shape { get; private set; } = [];

    public NumpyDtype? Dtype { get; private set; }

    public byte[] Data { get; private set; } = [];

    /// <summary>Number of rows (the first dimension).</summary>
    public int Rows => Shape.Length > 0 ? checked((int)Shape[0]) : 1;

    /// <summary>Number of columns (the second dimension; 1 for a vector).</summary>
    public int Columns => Shape.Length > 1 ? checked((int)Shape[1]) : 1;

    /// <summary>Number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Called by the unpickler with numpy's state <c>(version, shape, dtype, is_fortran, rawdata)</c>.</summary>
    /// <param name="state">The state tuple.</param>
#pragma warning disable IDE1006 // Python's name, found by Razorvine.Pickle through reflection
    public void __setstate__(object[] state)
#pragma warning restore IDE1006
    {
        var o = state.Length == 5 ? 1 : 0; // numpy writes a version number first; very old pickles did not
        if (state.Length - o != 4) throw new DataFormatException($"numpy.ndarray: unexpected state of {state.Length} items.");
        Shape = state[o] is object[] shape ? shape.Select(Convert.ToInt64).ToArray() : throw new DataFormatException("numpy.ndarray: missing shape.");
        Dtype = state[o + 1] as NumpyDtype ?? throw new DataFormatException("numpy.ndarray: missing dtype.");
        if (state[o + 2] is true && Shape.Length > 1) throw new DataFormatException("numpy.ndarray: Fortran-ordered arrays are not supported.");
        if (Dtype.ByteOrder == ">") throw new DataFormatException("numpy.ndarray: big-endian arrays are not supported.");
        Data = PlanetoidPickles.RawBytes(state[o + 3], "numpy.ndarray");
        if (Data.LongLength != Count * ItemSize)
            throw new DataFormatException($"numpy.ndarray: {Data.LongLength} bytes of data for shape ({string.Join(", ", Shape)}) of {Dtype.Code} (expected {Count * ItemSize}).");
    }

    private int ItemSize => Dtype?.Code switch
    {
        "i1" or "u1" or "b1" or "b" or "B" or "?" => 1,
        "i2" or "u2" or "f2" => 2,
        "i4" or "u4" or "f4" => 4,
        "i8" or "u8" or "f8" => 8,
        var code => throw new DataFormatException($"numpy.ndarray: unsupported dtype '{code}'."),
    };

    /// <summary>The elements, in C order, converted to <see cref="double"/>.</summary>
    /// <returns>The values.</returns>
    public double[] ToDoubles()
    {
        var size = ItemSize;
        var span = Data.AsSpan();
        var values = new double[Count];
        for (var i = 0; i < values.Length; i++)
        {
            var item = span.Slice(i * size, size);
            values[i] = Dtype!.Code switch
            {
                "i1" or "b" => (sbyte)item[0],
                "u1" or "b1" or "B" or "?" => item[0],
                "i2" => BinaryPrimitives.ReadInt16LittleEndian(item),
                "u2" => BinaryPrimitives.ReadUInt16LittleEndian(item),
                "f2" => (double)BinaryPrimitives.ReadHalfLittleEndian(item),
                "i4" => BinaryPrimitives.ReadInt32LittleEndian(item),
                "u4" => BinaryPrimitives.ReadUInt32LittleEndian(item),
                "f4" => BinaryPrimitives.ReadSingleLittleEndian(item),
                "i8" => BinaryPrimitives.ReadInt64LittleEndian(item),
                "u8" => BinaryPrimitives.ReadUInt64LittleEndian(item),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(item),
            };
        }
        return values;
    }

    /// <summary>The elements as <see cref="int"/> (for index arrays).</summary>
    /// <returns>The values.</returns>
    public int[] ToInt32() => ToDoubles().Select(v => checked((int)v)).ToArray();
}

/// <summary><c>scipy.sparse.csr_matrix</c> as pickled: its instance dictionary (<c>_shape</c>, <c>data</c>, <c>indices</c>, <c>indptr</c>).</summary>
internal sealed class CsrMatrix
{
    public int Rows { get; private set; }

    public int Columns { get; private set; }

    /// <summary>Non-zero values, row by row.</summary>
    public double[] Values { get; private set; } = [];

    /// <summary>Column of each non-zero value.</summary>
    public int[] ColumnIndices { get; private set; } = [];

    /// <summary>Row <c>r</c>'s values are <c>Values[RowStarts[r]..RowStarts[r + 1]]</c>.</summary>
    public int[] RowStarts { get; private set; } = [];

    /// <summary>Called by the unpickler with the matrix's instance dictionary.</summary>
    /// <param name="state">The dictionary.</param>
#pragma warning disable IDE1006 // Python's name, found by Razorvine.Pickle through reflection
    public void __setstate__(Hashtable state)
#pragma warning restore IDE1006
    {
        var shape = (state["_shape"] ?? state["shape"]) as object[] ?? throw new DataFormatException("csr_matrix: missing shape.");
        if (shape.Length != 2) throw new DataFormatException($"csr_matrix: shape of {shape.Length} dimensions.");
        Rows = Convert.ToInt32(shape[0]);
        Columns = Convert.ToInt32(shape[1]);
        Values = Array("data").ToDoubles();
        ColumnIndices = Array("indices").ToInt32();
        RowStarts = Array("indptr").ToInt32();
        if (RowStarts.Length != Rows + 1 || RowStarts[0] != 0 || RowStarts[^1] != Values.Length || ColumnIndices.Length != Values.Length)
            throw new DataFormatException($"csr_matrix: inconsistent arrays for {Rows} rows (indptr {RowStarts.Length}, indices {ColumnIndices.Length}, data {Values.Length}).");
        if (ColumnIndices.Any(c => c < 0 || c >= Columns)) throw new DataFormatException($"csr_matrix: a column index outside 0..{Columns - 1}.");

        NdArray Array(string key) => state[key] as NdArray ?? throw new DataFormatException($"csr_matrix: missing '{key}' array.");
    }
}
