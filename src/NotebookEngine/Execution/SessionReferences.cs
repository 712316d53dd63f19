using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using NotebookEngine.Packages;

namespace NotebookEngine.Execution;

/// <summary>
/// Package and assembly resolution for one session: <c>#i</c> package sources, <c>#r "nuget:"</c> packages
/// (restored together, one version per package per session), <c>#r "file.dll"</c>; managed assets become
/// metadata references, native assets go through <see cref="NativeAssetHooks"/>, and process-wide resolvers
/// load both by name when the code asks for them.
/// </summary>
internal sealed class SessionReferences
{
    private static readonly Dictionary<string, string> s_nativeByName = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, string> s_managedByName = new(StringComparer.OrdinalIgnoreCase);
    private static int s_resolversInstalled;

    private readonly string _workingDirectory;
    private readonly PackageRestorer _restorer;
    private readonly Dictionary<string, string?> _requestedPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _resolvedPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _referencedPaths = new(StringComparer.Ordinal);

    /// <summary>Resolution for a session whose relative paths resolve against <paramref name="workingDirectory"/>.</summary>
    public SessionReferences(string workingDirectory, PackageRestorer restorer)
    {
        _workingDirectory = workingDirectory;
        _restorer = restorer;
        InstallResolvers();
    }

    /// <summary>Packages resolved in this session (name to version).</summary>
    public IReadOnlyDictionary<string, string> ResolvedPackages => _resolvedPackages;

    /// <summary>Time the last NuGet restore took, and whether it came from the cache.</summary>
    public (TimeSpan Elapsed, bool FromCache)? LastRestore { get; private set; }

    /// <summary><c>#i "nuget: source"</c>: a feed URL or a folder (relative to the session's working directory).</summary>
    public void AddSource(string argument)
    {
        var source = argument.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) ? argument["nuget:".Length..].Trim() : argument.Trim();
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.IsFile)
            source = Directives.ResolvePath(source, _workingDirectory);
        if (!_sources.Contains(source))
            _sources.Add(source);
    }

    /// <summary><c>#r</c>: a NuGet package (restored, with an "Installed package" output) or an assembly file.</summary>
    /// <returns>The metadata references the session's submissions gain.</returns>
    public async Task<IReadOnlyList<MetadataReference>> ReferenceAsync(Directive d, CellOutputs outputs, CancellationToken cancellationToken)
    {
        if (Directives.TryParseNuGet(d.Argument, out var name, out var version))
            return await AddPackageAsync(name, version, outputs, cancellationToken);
        var path = Directives.ResolvePath(d.Argument, _workingDirectory);
        if (!File.Exists(path))
            throw new CellFailure("ReferenceNotFound", $"#r: file not found: {path} (line {d.Line})");
        return AddReferences([path]);
    }

    private async Task<IReadOnlyList<MetadataReference>> AddPackageAsync(string name, string? version, CellOutputs outputs, CancellationToken cancellationToken)
    {
        if (_requestedPackages.TryGetValue(name, out var existing) || _resolvedPackages.ContainsKey(name))
        {
            var loaded = _resolvedPackages.GetValueOrDefault(name) ?? existing;
            if (version is null || string.Equals(version, existing, StringComparison.OrdinalIgnoreCase)
                || string.Equals(version, loaded, StringComparison.OrdinalIgnoreCase))
                return [];
            throw new CellFailure("PackageVersionConflict",
                $"package {name} {version} cannot be added: version {loaded} is already loaded in this session (one version per package per session; restart to change it)");
        }
        _requestedPackages[name] = version;
        var requests = _requestedPackages.Select(p => new PackageRequest(p.Key, p.Value)).ToList();
        RestoreResult result;
        try
        {
            result = await _restorer.RestoreAsync(requests, _sources, cancellationToken);
        }
        catch (PackageRestoreException e)
        {
            _requestedPackages.Remove(name);
            throw new CellFailure("NuGetRestoreError", e.Message);
        }
        LastRestore = (result.Elapsed, result.FromCache);
        foreach (var (package, resolved) in result.ResolvedVersions)
            _resolvedPackages[package] = resolved;
        RegisterNatives(result.NativeLibraries);
        var added = AddReferences(result.Assemblies);
        var shown = _resolvedPackages.GetValueOrDefault(name, version ?? "?");
        outputs.Add(new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = new JsonObject
            {
                ["text/html"] = $"<div><div></div><div></div><div><strong>Installed Packages</strong><ul><li><span>{name}, {shown}</span></li></ul></div></div>",
                ["text/plain"] = $"Installed package {name} version {shown}",
            },
            ["metadata"] = new JsonObject(),
        });
        return added;
    }

    private static void RegisterNatives(IEnumerable<string> natives)
    {
        foreach (var path in natives)
        {
            lock (s_nativeByName)
            {
                if (s_nativeByName.ContainsValue(path))
                    continue;
            }
            NativeAssetHooks.Invoke(path);
            var file = Path.GetFileName(path);
            var stem = file;
            foreach (var ext in new[] { ".so", ".dylib", ".dll" })
            {
                var i = stem.IndexOf(ext, StringComparison.OrdinalIgnoreCase);
                if (i > 0)
                    stem = stem[..i];
            }
            lock (s_nativeByName)
            {
                s_nativeByName[file] = path;
                s_nativeByName[stem] = path;
                if (stem.StartsWith("lib", StringComparison.Ordinal))
                    s_nativeByName[stem[3..]] = path;
            }
        }
    }

    private List<MetadataReference> AddReferences(IEnumerable<string> paths)
    {
        var added = new List<MetadataReference>();
        foreach (var path in paths)
        {
            if (!_referencedPaths.Add(path))
                continue;
            lock (s_managedByName)
                s_managedByName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            added.Add(MetadataReference.CreateFromFile(path));
        }
        return added;
    }

    private static void InstallResolvers()
    {
        if (Interlocked.Exchange(ref s_resolversInstalled, 1) == 1)
            return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string? path;
            lock (s_managedByName)
                s_managedByName.TryGetValue(name.Name ?? "", out path);
            return path is null ? null : context.LoadFromAssemblyPath(path);
        };
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) => LoadNative(name);
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            // Assemblies loaded outside the default context do not raise its ResolvingUnmanagedDll.
            var context = AssemblyLoadContext.GetLoadContext(e.LoadedAssembly);
            if (context is null || context == AssemblyLoadContext.Default || e.LoadedAssembly.IsDynamic)
                return;
            context.ResolvingUnmanagedDll += (_, name) => LoadNative(name);
        };
    }

    private static IntPtr LoadNative(string name)
    {
        string? path;
        lock (s_nativeByName)
        {
            if (!s_nativeByName.TryGetValue(name, out path))
                s_nativeByName.TryGetValue(Path.GetFileName(name), out path);
        }
        return path is not null && NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
    }
}
