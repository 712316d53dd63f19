using System.Net;
using System.Net.Sockets;

namespace NotebookRunner.Tests.Site;

/// <summary>Serves a folder over HTTP on 127.0.0.1 (a free port) for the browser test, and records what was asked for.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public LoopbackServer(string root)
    {
        _root = Path.GetFullPath(root);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }
    public List<string> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
            lock (Requests) Requests.Add(relative);
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            using var response = context.Response;
            if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                continue;
            }
            response.ContentType = Path.GetExtension(path) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript",
                ".css" => "text/css",
                _ => "application/octet-stream",
            };
            var bytes = await File.ReadAllBytesAsync(path);
            response.ContentLength64 = bytes.Length;
            try { await response.OutputStream.WriteAsync(bytes); }
            catch (HttpListenerException) { } // the browser went away
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
