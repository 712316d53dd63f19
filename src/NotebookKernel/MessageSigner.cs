using System.Security.Cryptography;

namespace NotebookKernel;

/// <summary>HMAC signing of wire messages with the connection file's key (an empty key: no signing, as Jupyter allows).</summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    /// <summary>Creates a signer for <paramref name="scheme"/> (only <c>hmac-sha256</c> is supported).</summary>
    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        if (key.Length > 0 && scheme != "hmac-sha256")
            throw new NotSupportedException($"signature scheme '{scheme}' is not supported (use hmac-sha256)");
        _key = System.Text.Encoding.UTF8.GetBytes(key);
    }

    /// <summary>True when messages are signed.</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>The hex signature of the four JSON frames (header, parent header, metadata, content).</summary>
    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
            return "";
        using var hmac = new HMACSHA256(_key);
        foreach (var part in parts)
            hmac.TransformBlock(part, 0, part.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>Checks a received signature in constant time.</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
            return true;
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(parts));
        var actual = System.Text.Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
