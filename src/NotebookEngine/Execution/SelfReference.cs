using System.Collections;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookEngine.Execution;

/// <summary>
/// Finds collections that contain themselves (<c>list.Add(list)</c>), directly or through other
/// collections: Microsoft.DotNet.Interactive.Formatting recurses into them until the stack overflows,
/// which .NET cannot survive. Walks only what the formatter would show (the first
/// <see cref="Formatter.ListExpansionLimit"/> items of each collection, dictionary values included).
/// </summary>
internal static class SelfReference
{
    /// <summary>Deeper nesting than this is treated like a cycle (the formatter would overflow the stack first).</summary>
    public const int MaxDepth = 64;

    /// <summary>A description of the cycle or excessive depth in <paramref name="value"/>, or null when it is safe to format.</summary>
    public static string? Find(object? value) => Walk(value, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);

    private static string? Walk(object? value, HashSet<object> path, int depth)
    {
        if (value is null or string || value is not IEnumerable items || value.GetType().IsValueType && value is not DictionaryEntry)
            return null;
        if (depth > MaxDepth)
            return $"collections nested more than {MaxDepth} deep";
        if (!path.Add(value))
            return $"a {Name(value)} that contains itself";
        try
        {
            var shown = 0;
            foreach (var item in items)
            {
                if (shown++ >= Math.Max(Formatter.ListExpansionLimit, 20))
                    break;
                var inner = item switch
                {
                    DictionaryEntry e => e.Value,
                    not null when item.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>)
                        => t.GetProperty("Value")!.GetValue(item),
                    _ => item,
                };
                if (Walk(inner, path, depth + 1) is { } found)
                    return found;
            }
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            return null; // a collection that cannot be enumerated now is the formatter's to report
        }
        finally
        {
            path.Remove(value);
        }
    }

    private static string Name(object value) => value.GetType() is { IsGenericType: true } t
        ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(a => a.Name))}>"
        : value.GetType().Name;
}
