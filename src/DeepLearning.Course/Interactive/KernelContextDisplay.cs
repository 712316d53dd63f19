using System.Reflection;

namespace DeepLearning.Course.Interactive;

/// <summary>
/// Displays and updates values through Microsoft .NET Interactive's <c>KernelInvocationContext.Current</c>,
/// found by reflection (the library does not reference Microsoft.DotNet.Interactive). It publishes
/// <c>DisplayedValueProduced</c> and <c>DisplayedValueUpdated</c> events with one display id that it
/// chose itself, so every update replaces the first frame. <c>Kernel.display(...).Update(...)</c> cannot
/// be used there: in .NET Interactive 1.0.712001 the returned <c>DisplayedValue</c> carries a display id
/// other than the one published (dotnet/interactive#3970), so frontends and saved notebooks keep the
/// first frame and show updates nowhere.
/// </summary>
internal static class KernelContextDisplay
{
    private const string ContextTypeName = "Microsoft.DotNet.Interactive.KernelInvocationContext";
    private const string FormattedValueTypeName = "Microsoft.DotNet.Interactive.Formatting.FormattedValue";
    private const string ProducedTypeName = "Microsoft.DotNet.Interactive.Events.DisplayedValueProduced";
    private const string UpdatedTypeName = "Microsoft.DotNet.Interactive.Events.DisplayedValueUpdated";
    private static readonly object Gate = new();
    private static Api? _api;

    /// <summary>The current invocation context (a running cell in .NET Interactive), or null elsewhere.</summary>
    public static object? CurrentContext() => FindApi() is { } api ? api.Current.GetValue(null) : null;

    /// <summary>Publishes <paramref name="value"/> on <paramref name="context"/> as a new display, or as an update of it.</summary>
    /// <param name="context">A <c>KernelInvocationContext</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="mimeTypes">MIME types to format (all preferred ones when empty).</param>
    /// <param name="displayId">The display id shared by the first frame and every update.</param>
    /// <param name="update">True for an update of the display published with <paramref name="displayId"/>.</param>
    public static void Publish(object context, object value, string[] mimeTypes, string displayId, bool update)
    {
        var api = FindApi() ?? throw new InvalidOperationException("Microsoft.DotNet.Interactive is not loaded.");
        var formatted = api.CreateManyFromObject.Invoke(null, [value, mimeTypes]);
        var command = (api.CurrentlyExecutingCommand ?? api.Command).GetValue(context) ?? api.Command.GetValue(context);
        var displayEvent = update
            ? api.Updated.Invoke([value, displayId, command, formatted])
            : api.Produced.Invoke([value, command, formatted, displayId]);
        api.Publish.Invoke(context, [displayEvent]);
    }

    private static Api? FindApi()
    {
        lock (Gate)
        {
            // Cached once found; looked up again while missing, because the kernel's assemblies may load later.
            return _api ??= Locate();
        }
    }

    private static Api? Locate()
    {
        Type? context = null, formattedValue = null, produced = null, updated = null;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            try
            {
                context ??= assembly.GetType(ContextTypeName, throwOnError: false);
                formattedValue ??= assembly.GetType(FormattedValueTypeName, throwOnError: false);
                produced ??= assembly.GetType(ProducedTypeName, throwOnError: false);
                updated ??= assembly.GetType(UpdatedTypeName, throwOnError: false);
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or FileLoadException or FileNotFoundException)
            {
            }
        }
        if (context is null || formattedValue is null || produced is null || updated is null) return null;
        const BindingFlags Instance = BindingFlags.Public | BindingFlags.Instance;
        var current = context.GetProperty("Current", BindingFlags.Public | BindingFlags.Static);
        var command = context.GetProperty("Command", Instance);
        var executing = context.GetProperty("CurrentlyExecutingCommand", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance);
        var publish = context.GetMethods(Instance).FirstOrDefault(m => m.Name == "Publish" && m.GetParameters().Length == 1);
        var create = formattedValue.GetMethod("CreateManyFromObject", BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(string[])]);
        var producedCtor = produced.GetConstructors().FirstOrDefault(c => c.GetParameters().Length == 4);
        var updatedCtor = updated.GetConstructors().FirstOrDefault(c => c.GetParameters().Length == 4 && c.GetParameters()[1].ParameterType == typeof(string));
        if (current is null || command is null || publish is null || create is null || producedCtor is null || updatedCtor is null) return null;
        return new Api(current, command, executing, publish, create, producedCtor, updatedCtor);
    }

    private sealed record Api(PropertyInfo Current, PropertyInfo Command, PropertyInfo? CurrentlyExecutingCommand, MethodInfo Publish,
        MethodInfo CreateManyFromObject, ConstructorInfo Produced, ConstructorInfo Updated);
}
