using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeepLearning.Course.Tests.Data;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (TcpListener) for download tests. Each route serves bytes,
/// an error status, or a deliberately truncated body (Content-Length promises more than is sent).
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Route> _routes = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly Task _loop;

    public sealed record Route(byte[] Body, int Status = 200, int? TruncateAfter = null, int? StallAfter = null);

    public LocalHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Serve(string path, byte[] body) => _routes[path] = new Route(body);

    public void Set(string path, Route route) => _routes[path] = route;

    public int Hits(string path) => _hits.TryGetValue(path, out var n) ? n : 0;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync() ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                var path = requestLine.Split(' ') is { Length: >= 2 } parts ? parts[1] : "/";
                _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
                if (!_routes.TryGetValue(path, out var route)) route = new Route(Encoding.ASCII.GetBytes("not found"), 404);
                var reason = route.Status == 200 ? "OK" : route.Status == 404 ? "Not Found" : "Error";
                var header = $"HTTP/1.1 {route.Status} {reason}\r\nContent-Length: {route.Body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
                var count = Math.Min(route.Body.Length, route.TruncateAfter ?? route.StallAfter ?? route.Body.Length);
                await stream.WriteAsync(route.Body.AsMemory(0, count));
                await stream.FlushAsync();
                if (route.StallAfter is not null) await Task.Delay(Timeout.Infinite, _stop.Token);
                if (route.TruncateAfter is not null) client.Client.LingerState = new LingerOption(true, 0);
            }
            catch (IOException) { }
            catch (SocketException) { }
            catch (OperationCanceledException) { }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
