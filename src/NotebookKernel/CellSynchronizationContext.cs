namespace NotebookKernel;

/// <summary>
/// The synchronization context of a cell's thread. An exception that escapes an <c>async void</c> method is
/// rethrown on the context the method started on; with none it is rethrown on the thread pool, where .NET
/// ends the process. Here it is caught and reported to the cell instead (continuations run on the thread pool,
/// as without a context).
/// </summary>
internal sealed class CellSynchronizationContext(Action<Exception> report) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => ThreadPool.QueueUserWorkItem(_ => Run(d, state));

    public override void Send(SendOrPostCallback d, object? state) => Run(d, state);

    public override SynchronizationContext CreateCopy() => this;

    private void Run(SendOrPostCallback d, object? state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            d(state);
        }
        catch (Exception e)
        {
            report(e);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
