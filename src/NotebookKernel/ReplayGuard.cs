namespace NotebookKernel;

/// <summary>
/// Rejects a signed message seen before (as ipykernel's digest history does): a captured message
/// re-sent by someone without the key would otherwise run its code again. Remembers the most recent
/// <see cref="Capacity"/> signatures; unsigned messages (empty key) are not tracked.
/// </summary>
public sealed class ReplayGuard
{
    /// <summary>How many signatures are remembered (oldest forgotten first).</summary>
    public const int Capacity = 65536;

    private readonly HashSet<string> _seen = [];
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>True the first time <paramref name="signature"/> is offered, false for a replay.</summary>
    /// <param name="signature">The message's HMAC signature (empty: unsigned, always accepted).</param>
    public bool FirstTime(string signature)
    {
        if (signature.Length == 0)
            return true;
        lock (_gate)
        {
            if (!_seen.Add(signature))
                return false;
            _order.Enqueue(signature);
            if (_order.Count > Capacity)
                _seen.Remove(_order.Dequeue());
            return true;
        }
    }
}
