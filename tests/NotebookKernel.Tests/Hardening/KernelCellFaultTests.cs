using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookKernel.Tests.Hardening;

/// <summary>
/// Everyday mistakes in a cell that used to end the kernel process (stack overflow, an exception escaping
/// an async void method, a collection that contains itself, an #!import cycle): each now fails or finishes
/// the cell and the session, with its variables, goes on. Runs the kernel in the test process, so a
/// regression takes the test host down with it.
/// </summary>
[Collection(InProcessKernelCollection.Name)]
public sealed class KernelCellFaultTests(KernelUnderFaults fixture)
{
    private InProcessKernel K => fixture.Kernel;

    private JupyterMessage Run(string code)
    {
        var reply = K.Ask(K.Shell, K.Request("execute_request", new JsonObject { ["code"] = code }), TimeSpan.FromMinutes(3));
        Assert.True(reply is not null, $"no reply to: {code}\n{K.Log}");
        return reply;
    }

    private static string Status(JupyterMessage reply) => reply.Content["status"]!.GetValue<string>();

    [Theory]
    [InlineData("int Forever(int n) => Forever(n + 1) + 1;\nForever(0)")]
    [InlineData("void Down() { Down(); }\nDown();")]
    [InlineData("class Loop { public int X => X; }\nnew Loop().X")]
    [InlineData("class Loop2 { int _x; public int X { get => X; set => _x = value; } }\nnew Loop2().X")]
    [InlineData("long Local(long n) { long Inner(long m) => Local(m) + 1; return Inner(n); }\nLocal(1)")]
    public void Runaway_recursion_fails_the_cell_and_the_session_goes_on(string code)
    {
        // Given a variable defined before, When a cell recurses without end
        Assert.Equal("ok", Status(Run("var before = 41;")));
        var reply = Run(code);

        // Then the cell fails with a clear error (instead of a stack overflow ending the process), and the variable is still there
        Assert.Equal("error", Status(reply));
        Assert.Contains("recursed too deeply", reply.Content["evalue"]!.GetValue<string>());
        Assert.Equal("ok", Status(Run("before + 1")));
    }

    [Fact]
    public void A_collection_that_contains_itself_is_shown_without_formatting_it_forever()
    {
        var reply = Run("var self = new System.Collections.Generic.List<object> { 1 }; self.Add(self); self");
        Assert.Equal("ok", Status(reply));
        Assert.Equal("ok", Status(Run("self.Count")));
    }

    [Fact]
    public void An_exception_escaping_an_async_void_method_is_caught_and_the_session_goes_on()
    {
        // Given a cell whose async void method throws after an await (on the thread pool, which ends a process)
        var reply = Run("async void Boom() { await System.Threading.Tasks.Task.Delay(20); throw new System.Exception(\"async void boom\"); }\nBoom();\nawait System.Threading.Tasks.Task.Delay(500);\nvar afterBoom = 1;");

        // Then the cell completes, the kernel logged the exception, and later cells still run with the state
        Assert.Equal("ok", Status(reply));
        Assert.Equal("ok", Status(Run("await System.Threading.Tasks.Task.Delay(200); afterBoom + 1")));
        Assert.Contains("async void boom", K.Log);
    }

    [Fact]
    public void An_import_cycle_fails_the_cell_naming_the_cycle()
    {
        // Given two notebooks that import each other
        var dir = Directory.CreateTempSubdirectory("kernel-import-cycle-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.dib"), $"#!csharp\n#!import {Path.Combine(dir, "b.dib")}\nvar fromA = 1;\n");
            File.WriteAllText(Path.Combine(dir, "b.dib"), $"#!csharp\n#!import {Path.Combine(dir, "a.dib")}\nvar fromB = 2;\n");

            // When a cell imports one of them
            var reply = Run($"#!import {Path.Combine(dir, "a.dib")}");

            // Then the cell fails with the cycle spelled out, and the kernel still runs cells
            Assert.Equal("error", Status(reply));
            Assert.Contains("import cycle: a.dib → b.dib → a.dib", reply.Content["evalue"]!.GetValue<string>());
            Assert.Equal("ok", Status(Run("1 + 1")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Members of every kind a cell can declare (generated: body style × return type × member kind).</summary>
    public static TheoryData<string> Members()
    {
        var data = new TheoryData<string>();
        foreach (var (type, value) in new[] { ("int", "1"), ("string", "\"s\""), ("ref int", "ref _f") })
        {
            data.Add($"int _f; {type} M() => {value};");
            data.Add($"int _f; {type} M() {{ return {value}; }}");
            if (type != "ref int")
            {
                data.Add($"{type} Local() => {value}; Local();");
                data.Add($"class C {{ {type} P => {value}; }}");
                data.Add($"class C {{ {type} _p; {type} P {{ get => {value}; set => _p = value; }} }}");
                data.Add($"class C {{ {type} P {{ get {{ return {value}; }} }} }}");
            }
        }
        data.Add("void V() => System.Console.WriteLine();");
        data.Add("void V() { }");
        data.Add("int T() => throw new System.Exception();");
        data.Add("async System.Threading.Tasks.Task A() => await System.Threading.Tasks.Task.Delay(1);");
        data.Add("class C { public C() => System.Console.WriteLine(); }");
        data.Add("System.Func<int, int> f = x => x + 1;");
        return data;
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void Stack_checks_keep_every_member_kind_valid_and_on_the_same_lines(string member)
    {
        // Given a cell declaring a member, When the kernel adds its checks
        var rewritten = Interrupts.AddLoopChecks(member);

        // Then the code still parses, has as many lines, and every method or accessor body starts with the stack check
        var tree = CSharpSyntaxTree.ParseText(rewritten, new CSharpParseOptions(kind: Microsoft.CodeAnalysis.SourceCodeKind.Script));
        Assert.Empty(tree.GetDiagnostics());
        Assert.Equal(member.Split('\n').Length, rewritten.Split('\n').Length);
        if (!member.Contains("async", StringComparison.Ordinal) && !member.Contains("throw", StringComparison.Ordinal) && !member.StartsWith("System.Func", StringComparison.Ordinal))
            Assert.Contains(Interrupts.StackCall, rewritten);
    }
}
