using System.Text;

namespace NotebookEngine.Tests.Hardening;

/// <summary>
/// Generates malformed notebook files of many kinds (shared by the engine's and the runner's hardening tests): a valid
/// notebook cut at every few bytes, each field given each wrong JSON type, other nbformat versions, empty, blank,
/// binary and non-notebook JSON. Each comes with a phrase the error must contain.
/// </summary>
public static class BadNotebooks
{
    public const string Valid = """
        {
         "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
          {"cell_type": "code", "execution_count": null, "metadata": {"tags": ["parameters"]}, "outputs": [], "source": ["var quick = false;\n", "quick"]}
         ],
         "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}},
         "nbformat": 4,
         "nbformat_minor": 5
        }
        """;

    private static readonly (string Json, string Kind)[] s_wrongValues =
    [
        ("7", "a number"), ("\"text\"", "a string"), ("true", "a boolean"), ("[1, 2]", "a list"), ("{\"a\": 1}", "an object"), ("null", "null"),
    ];

    /// <summary>Every generated bad notebook: a file name, its bytes, and a phrase its error must contain.</summary>
    public static IEnumerable<(string Name, byte[] Content, string Cause)> All()
    {
        var valid = Encoding.UTF8.GetBytes(Valid);
        // 1. Truncated: the valid notebook cut at 40 points (a download or a copy that stopped).
        for (var i = 1; i <= 40; i++)
        {
            var length = (int)((long)valid.Length * i / 41);
            yield return ($"truncated-{length}.ipynb", valid[..length], "is not valid JSON");
        }
        // 2. Top-level fields of the wrong JSON type.
        foreach (var (json, kind) in s_wrongValues)
        {
            if (kind != "a list")
                yield return ($"cells-{Slug(kind)}.ipynb", Utf8($$"""{"cells": {{json}}, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""), "\"cells\" must be a list");
            if (kind != "a number")
                yield return ($"nbformat-{Slug(kind)}.ipynb", Utf8($$"""{"cells": [], "metadata": {}, "nbformat": {{json}}, "nbformat_minor": 5}"""), kind == "null" ? "no \"nbformat\"" : "\"nbformat\" must be an integer");
            if (kind is not ("a number" or "null"))
                yield return ($"minor-{Slug(kind)}.ipynb", Utf8($$"""{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": {{json}}}"""), "\"nbformat_minor\" must be an integer");
            if (kind is not ("an object" or "null"))
                yield return ($"metadata-{Slug(kind)}.ipynb", Utf8($$"""{"cells": [], "metadata": {{json}}, "nbformat": 4, "nbformat_minor": 5}"""), "\"metadata\" must be an object");
            // 3. Cell fields of the wrong JSON type.
            if (kind != "an object")
                yield return ($"cell-{Slug(kind)}.ipynb", Utf8(Notebook(json)), "cell 1 must be an object");
            if (kind is not ("a string" or "a list" or "null"))
                yield return ($"source-{Slug(kind)}.ipynb", Utf8(Notebook($$"""{"cell_type": "code", "metadata": {}, "outputs": [], "source": {{json}}}""")), "\"source\" must be a string or a list of strings");
            if (kind is not ("a string" or "null"))
                yield return ($"source-line-{Slug(kind)}.ipynb", Utf8(Notebook($$"""{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["ok\n", {{json}}]}""")), "\"source\" must be a string or a list of strings");
            if (kind is not ("a string" or "null"))
                yield return ($"cell-type-{Slug(kind)}.ipynb", Utf8(Notebook($$"""{"cell_type": {{json}}, "metadata": {}, "source": ""}""")), "\"cell_type\" must be a string");
            if (kind is not ("an object" or "null"))
                yield return ($"cell-metadata-{Slug(kind)}.ipynb", Utf8(Notebook($$"""{"cell_type": "code", "metadata": {{json}}, "outputs": [], "source": ""}""")), "\"metadata\" must be an object");
            if (kind is not ("a list" or "null"))
                yield return ($"outputs-{Slug(kind)}.ipynb", Utf8(Notebook($$"""{"cell_type": "code", "metadata": {}, "outputs": {{json}}, "source": ""}""")), "\"outputs\" must be a list");
            if (kind is not "an object")
                yield return ($"output-item-{Slug(kind)}.ipynb", Utf8(Notebook($$"""{"cell_type": "code", "metadata": {}, "outputs": [{{json}}], "source": ""}""")), "each output must be an object");
        }
        // 4. Other nbformat versions.
        foreach (var version in new[] { 1, 2, 3 })
            yield return ($"nbformat-{version}.ipynb", Utf8($$"""{"nbformat": {{version}}, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}"""), $"nbformat {version} is not supported");
        yield return ("nbformat-5.ipynb", Utf8("""{"cells": [], "metadata": {}, "nbformat": 5, "nbformat_minor": 0}"""), "nbformat 5 is not supported");
        yield return ("nbformat-fraction.ipynb", Utf8("""{"cells": [], "metadata": {}, "nbformat": 4.5, "nbformat_minor": 0}"""), "\"nbformat\" must be an integer");
        // 5. Not a notebook at all.
        yield return ("empty.ipynb", [], "is empty");
        yield return ("blank.ipynb", Utf8("   \n\t\n"), "is not valid JSON");
        yield return ("bom-only.ipynb", [0xEF, 0xBB, 0xBF], "is not valid JSON");
        yield return ("binary.ipynb", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "is not valid JSON");
        yield return ("zeros.ipynb", new byte[4096], "is not valid JSON");
        yield return ("array.ipynb", Utf8("[]"), "must be a JSON object");
        yield return ("string.ipynb", Utf8("\"notebook\""), "must be a JSON object");
        yield return ("number.ipynb", Utf8("4"), "must be a JSON object");
        yield return ("null.ipynb", Utf8("null"), "must be a JSON object");
        yield return ("empty-object.ipynb", Utf8("{}"), "no \"nbformat\"");
        yield return ("no-cells.ipynb", Utf8("""{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""), "\"cells\" must be a list");
        yield return ("python-source.ipynb", Utf8("print('hello')\n"), "is not valid JSON");
        yield return ("html.ipynb", Utf8("<!DOCTYPE html><html><body>404</body></html>"), "is not valid JSON");
        yield return ("trailing-garbage.ipynb", Utf8(Valid + "}}"), "is not valid JSON");
        yield return ("two-documents.ipynb", Utf8(Valid + Valid), "is not valid JSON");
        yield return ("deep.ipynb", Utf8("""{"cells": [], "metadata": {"x": """ + new string('[', 5000) + new string(']', 5000) + "}, \"nbformat\": 4}"), "is not valid JSON");
        yield return ("comment.ipynb", Utf8("// a comment\n" + Valid), "is not valid JSON");
        yield return ("single-quotes.ipynb", Utf8(Valid.Replace('"', '\'')), "is not valid JSON");
        yield return ("utf16.ipynb", Encoding.Unicode.GetBytes(Valid), "is not valid JSON");
    }

    private static string Notebook(string cell) => $$"""{"cells": [{{cell}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Slug(string kind) => kind.Replace("a ", "").Replace("an ", "").Replace(' ', '-');
}
