using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;

namespace DeepLearning.Course.Interactive;

/// <summary>
/// Displays values from library code without depending on a notebook frontend, all found by reflection
/// over the loaded assemblies: in Microsoft's .NET Interactive (Polyglot Notebooks, its Jupyter kernel)
/// through <c>KernelInvocationContext.Current</c> with a display id of the library's own, so updates
/// replace the first frame (see <see cref="KernelContextDisplay"/>); in the course's engine and kernel
/// through <c>Microsoft.DotNet.Interactive.Kernel.display(object, params string[])</c>; with no frontend
/// loaded (console apps, tests) it writes the value's <c>text/plain</c> form to the console.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics); the progress board (chapter 02) updates through it.</remarks>
public static class Notebook
{
    private const string KernelTypeName = "Microsoft.DotNet.Interactive.Kernel";
    private const string PreferredAssembly = "Microsoft.DotNet.Interactive";
    private static readonly object Gate = new();
    private static MethodInfo? _display;

    /// <summary>Test seam: when true the bridge behaves as if no frontend were loaded.</summary>
    internal static bool ForceConsole { get; set; }

    /// <summary>Test seam: where the console fallback writes (defaults to <see cref="Console.Out"/>).</summary>
    internal static TextWriter? ConsoleOverride { get; set; }

    /// <summary>True when a notebook frontend's <c>Kernel.display</c> is loaded in this process.</summary>
    public static bool HasFrontend => !ForceConsole && (KernelContextDisplay.CurrentContext() is not null || FindDisplay() is not null);

    /// <summary>
    /// Displays <paramref name="value"/> in the notebook with the given MIME types (all registered
    /// formatters when none are given), or writes its <c>text/plain</c> form to the console when no
    /// frontend is loaded.
    /// </summary>
    /// <param name="value">The value to show.</param>
    /// <param name="mimeTypes">MIME types to render, e.g. <c>"text/html"</c>, <c>"text/plain"</c>.</param>
    /// <returns>A handle whose <see cref="DisplayHandle.Update"/> replaces the shown value in place.</returns>
    public static DisplayHandle Display(object value, params string[] mimeTypes)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!ForceConsole && KernelContextDisplay.CurrentContext() is { } context)
        {
            var displayId = Guid.NewGuid().ToString();
            KernelContextDisplay.Publish(context, value, mimeTypes, displayId, update: false);
            // An update publishes on the context running then (a later cell), else on the one that displayed the value.
            return new DisplayHandle(next => KernelContextDisplay.Publish(KernelContextDisplay.CurrentContext() ?? context, next, mimeTypes, displayId, update: true));
        }
        var display = FindDisplay();
        if (display is null)
        {
            WriteToConsole(value);
            return new DisplayHandle(null);
        }
        var displayed = display.Invoke(null, [value, mimeTypes]);
        var update = displayed?.GetType().GetMethod("Update", BindingFlags.Public | BindingFlags.Instance, [typeof(object)]);
        return new DisplayHandle(update is null ? null : next => update.Invoke(displayed, [next]));
    }

    internal static void WriteToConsole(object value)
    {
        var writer = ConsoleOverride ?? Console.Out;
        writer.WriteLine(Formatter.ToDisplayString(value, PlainTextFormatter.MimeType));
    }

    private static MethodInfo? FindDisplay()
    {
        if (ForceConsole) return null;
        lock (Gate)
        {
            // Cached once found; re-checked while missing because the frontend's assembly may load later.
            if (_display is not null) return _display;
            _display = Locate();
            return _display;
        }
    }

    private static MethodInfo? Locate()
    {
        MethodInfo? fallback = null;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            Type? kernel;
            try { kernel = assembly.GetType(KernelTypeName, throwOnError: false); }
            catch (Exception) { continue; }
            var method = kernel?.GetMethod("display", BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(string[])]);
            if (method is null) continue;
            if (assembly.GetName().Name == PreferredAssembly) return method;
            fallback ??= method;
        }
        return fallback;
    }
}

/// <summary>
/// A displayed value that can be replaced in place (the frontend's display id, kept by the library).
/// </summary>
/// <remarks>Introduced in chapter 02 (the live progress board updates through it).</remarks>
public sealed class DisplayHandle
{
    private readonly Action<object>? _update;

    internal DisplayHandle(Action<object>? update) => _update = update;

    /// <summary>True when the value lives in a notebook output that <see cref="Update"/> can replace.</summary>
    public bool IsLive => _update is not null;

    /// <summary>
    /// Replaces the displayed value with <paramref name="value"/>; outside a notebook it writes the
    /// new value's <c>text/plain</c> form to the console instead.
    /// </summary>
    /// <param name="value">The new value.</param>
    public void Update(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_update is null)
        {
            Notebook.WriteToConsole(value);
            return;
        }
        _update(value);
    }
}
