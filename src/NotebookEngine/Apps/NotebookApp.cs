using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Hosting;
using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookEngine.Apps;

/// <summary>
/// The host of a notebook exported as a .NET file-based app (<c>NotebookRunner export</c>): what the engine gives a
/// notebook's cells, given to a plain program. <c>display(...)</c>, <c>.Display()</c> and <c>DisplayedValue.Update</c>
/// (and the course library's displays, which call them) are formatted by the engine's <see cref="MimeBundle"/>, printed
/// as text to the console and written as files (HTML, PNG, SVG, JSON, CSV) into <c>NAME-output/</c> beside the app;
/// the parameters cell's variables take their values from the command line, converted as <c>run -p</c> injects them
/// (<see cref="Parameters.Value"/>); the working directory is the notebook's folder, as in the engine.
/// </summary>
public sealed partial class NotebookApp : IDisplaySink, IDisposable
{
    private readonly Dictionary<string, string> _given;
    private readonly Func<object>? _metrics;
    private readonly Dictionary<string, (int Number, string Text)> _shown = [];
    private readonly Lock _gate = new();
    private readonly IDisposable _host;
    private int _displays;

    private NotebookApp(string outputFolder, Dictionary<string, string> given, Func<object>? metrics)
    {
        OutputFolder = outputFolder;
        _given = given;
        _metrics = metrics;
        _host = KernelHost.Use(this);
    }

    /// <summary>The folder displays and <c>metrics.json</c> are written to.</summary>
    public string OutputFolder { get; }

    /// <summary>
    /// Starts the app: reads <paramref name="args"/> (<c>name=value</c>, <c>--name value</c>, <c>--name=value</c> or
    /// <c>-p name=value</c>, each name one of <paramref name="parameters"/>; <c>--help</c> lists them), empties the
    /// output folder of a previous run, makes <paramref name="notebookFolder"/> (relative to the app's file) the working
    /// directory and routes displays here. Wrong arguments end the process with exit code 2 and one line saying why.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="notebookFolder">The folder of the notebook the app was exported from, relative to the app's file.</param>
    /// <param name="parameters">The names the notebook's parameters cell declares.</param>
    /// <param name="metrics">What <c>metrics.json</c> holds when the app ends (null: no file).</param>
    /// <param name="appPath">The app's source file (filled in by the compiler).</param>
    public static NotebookApp Start(string[] args, string notebookFolder, IReadOnlyList<string> parameters, Func<object>? metrics = null,
        [CallerFilePath] string appPath = "")
    {
        var name = Path.GetFileNameWithoutExtension(appPath);
        var appFolder = Path.GetDirectoryName(Path.GetFullPath(appPath))!;
        Dictionary<string, string> given;
        try
        {
            given = ParseArguments(args, parameters, out var help);
            if (help)
            {
                Console.WriteLine($"usage: dotnet run {name}.cs [-- name=value ...]   parameters: {string.Join(", ", parameters)}");
                Environment.Exit(0);
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{name}: {e.Message}");
            Environment.Exit(2);
            throw;
        }
        var output = Path.Combine(appFolder, $"{name}-output");
        Directory.CreateDirectory(output);
        foreach (var old in Directory.EnumerateFiles(output).Where(f => Path.GetFileName(f) is var n && (n.StartsWith("display-", StringComparison.Ordinal) || n == MetricsFile)))
            File.Delete(old);
        var folder = Path.GetFullPath(Path.Combine(appFolder, notebookFolder));
        if (Directory.Exists(folder))
            Environment.CurrentDirectory = folder;
        return new NotebookApp(output, given, metrics);
    }

    /// <summary>The name of the file the recorded metrics are written to.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>
    /// The value given for parameter <paramref name="name"/> on the command line, converted to <typeparamref name="T"/>
    /// as <c>run -p</c> would inject it; <paramref name="current"/> (the parameters cell's default) when none was given.
    /// </summary>
    public T Parameter<T>(string name, T current)
    {
        if (!_given.TryGetValue(name, out var text))
            return current;
        try
        {
            return (T)Parameters.Value(typeof(T), name, text);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Environment.Exit(2);
            throw;
        }
    }

    /// <summary>Displays the value of a cell's last expression, as a notebook shows it (<c>execute_result</c>).</summary>
    public void Result<T>(Func<T> value) => Kernel.display(value()!);

    /// <summary>Runs a cell's last expression when it has no value (a call of a void method): nothing is shown.</summary>
    public void Result(Action statement) => statement();

    /// <summary>Displays the awaited value of a cell's last expression.</summary>
    public async Task ResultAsync<T>(Func<Task<T>> value) => Kernel.display((await value())!);

    /// <summary>Awaits a cell's last expression when it has no value.</summary>
    public Task ResultAsync(Func<Task> statement) => statement();

    /// <inheritdoc />
    public void Publish(DisplayedValue displayed, object? value, IReadOnlyList<string> mimeTypes)
    {
        var data = MimeBundle.Format(value, mimeTypes);
        lock (_gate)
        {
            var number = ++_displays;
            var files = Write(number, data);
            var text = PlainText(data);
            _shown[displayed.DisplayId] = (number, text);
            Console.WriteLine(text);
            if (files.Count > 0)
                Console.WriteLine($"  [{string.Join(", ", files.Select(f => Path.Combine(Path.GetFileName(OutputFolder), f)))}]");
        }
    }

    /// <inheritdoc />
    public void Update(DisplayedValue displayed, object? value)
    {
        var data = MimeBundle.Format(value, displayed.MimeTypes);
        lock (_gate)
        {
            if (!_shown.TryGetValue(displayed.DisplayId, out var shown))
                return;
            Write(shown.Number, data);
            var text = PlainText(data);
            if (text != shown.Text)
                Console.WriteLine(text);
            _shown[displayed.DisplayId] = (shown.Number, text);
        }
    }

    /// <summary>Writes <c>metrics.json</c> and stops routing displays here; runs when the app ends, normally or by an exception.</summary>
    public void Dispose()
    {
        _host.Dispose();
        if (_metrics is null)
            return;
        var options = new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        NotebookFile.WriteAllTextAtomically(Path.Combine(OutputFolder, MetricsFile), JsonSerializer.Serialize(_metrics(), options) + "\n");
    }

    private static string PlainText(JsonObject data) => data[PlainTextFormatter.MimeType]?.ToString() ?? "";

    /// <summary>Writes every rich MIME type of a display to <c>display-NNN.ext</c>, and each inline PNG of its HTML to <c>display-NNN-K.png</c>.</summary>
    private List<string> Write(int number, JsonObject data)
    {
        var files = new List<string>();
        foreach (var (mime, node) in data)
        {
            if (mime == PlainTextFormatter.MimeType || node is null || Extension(mime) is not { } extension)
                continue;
            var file = $"display-{number:000}{extension}";
            var path = Path.Combine(OutputFolder, file);
            var text = node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString();
            if (mime == "image/png")
                File.WriteAllBytes(path, Convert.FromBase64String(text));
            else if (mime == HtmlFormatter.MimeType)
            {
                File.WriteAllText(path, $"<!DOCTYPE html>\n<meta charset=\"utf-8\">\n{text}\n", Encoding.UTF8);
                var k = 0;
                foreach (Match m in InlinePng().Matches(text))
                {
                    var image = $"display-{number:000}-{++k}.png";
                    File.WriteAllBytes(Path.Combine(OutputFolder, image), Convert.FromBase64String(m.Groups["data"].Value));
                    files.Add(image);
                }
            }
            else
                File.WriteAllText(path, text, Encoding.UTF8);
            files.Insert(0, file);
        }
        return files;
    }

    private static string? Extension(string mime) => mime switch
    {
        "text/html" => ".html",
        "image/png" => ".png",
        "image/svg+xml" => ".svg",
        "text/csv" => ".csv",
        "text/markdown" => ".md",
        _ when JsonMime().IsMatch(mime) => mime == "application/json" ? ".json" : $".{mime[(mime.IndexOf('/') + 1)..].Replace("+json", "", StringComparison.Ordinal)}.json",
        _ => null,
    };

    internal static Dictionary<string, string> ParseArguments(string[] args, IReadOnlyList<string> parameters, out bool help)
    {
        help = false;
        var pairs = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                help = true;
                continue;
            }
            if (arg is "-p" or "--parameter")
            {
                arg = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs name=value");
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('='))
            {
                arg = i + 1 < args.Length ? $"{arg}={args[++i]}" : throw new ArgumentException($"{arg} needs a value");
            }
            var at = arg.IndexOf('=');
            if (at <= 0)
                throw new ArgumentException($"'{arg}' is not name=value (e.g. quick=true or --quick true)");
            pairs.Add(new(arg[..at].TrimStart('-'), arg[(at + 1)..]));
        }
        Parameters.Validate(pairs);
        foreach (var (name, _) in pairs)
        {
            if (!parameters.Contains(name))
                throw new ArgumentException($"unknown parameter {name}; this notebook's parameters: {string.Join(", ", parameters)}");
        }
        return pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^application/(.*\+)?json$")]
    private static partial Regex JsonMime();

    [GeneratedRegex(@"data:image/png;base64,(?<data>[A-Za-z0-9+/=]+)")]
    private static partial Regex InlinePng();
}
