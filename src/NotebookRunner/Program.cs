using NotebookRunner.Bench;
using NotebookRunner.Doctor;
using NotebookRunner.Run;
using NotebookRunner.Site;

// The course's command-line program. Each subcommand lives in its own folder.

// Every libLibTorchSharp.so a notebook's `#r "nuget: TorchSharp-..."` resolves gets the libstdc++
// compatibility fix before it is loaded (see environment/README.md); other native libraries are ignored.
NotebookEngine.NativeAssetHooks.Register(path =>
{
    if (Path.GetFileName(path) != DeepLearning.Course.Platform.TorchSharpNative.LinuxFileName) return;
    var fix = DeepLearning.Course.Platform.TorchSharpNative.Apply(path);
    if (fix.Status is DeepLearning.Course.Platform.NativeFixStatus.Patched || fix.IsProblem)
        Console.Error.WriteLine(fix.Message);
});

return args.FirstOrDefault() switch
{
    "run" => await RunCommand.MainAsync(args[1..]),
    RunOneCommand.Name => await RunOneCommand.MainAsync(args[1..]),
    "bench" => await BenchCommand.MainAsync(args[1..]),
    "render" => RenderCommand.Run(args[1..]),
    "doctor" => DoctorCommand.Run(args[1..]),
    "kernel" => NotebookRunner.Kernel.KernelCommand.Run(args[1..]),
    "export" => NotebookRunner.Export.ExportCommand.Run(args[1..]),
    "--version" => Version(),
    _ => Usage(),
};

static int Version()
{
    Console.WriteLine($"NotebookRunner {NotebookEngine.EngineInfo.Version}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: NotebookRunner <command> [options]

          run <notebooks or folders...>   execute notebooks top to bottom (see `run --help`)
          bench                            measure start-up, per-cell overhead and cached restore time
          render                           turn executed notebooks into a static site
          doctor                           check this machine for running the course
          export <notebook> [--output DIR] write the notebook as a .NET 10 file-based app (`dotnet run NAME.cs`)
        """);
    return 2;
}
