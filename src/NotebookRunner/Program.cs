using NotebookRunner.Bench;
using NotebookRunner.Run;

// The course's command-line program. Each subcommand lives in its own folder.
return args.FirstOrDefault() switch
{
    "run" => await RunCommand.MainAsync(args[1..]),
    RunOneCommand.Name => await RunOneCommand.MainAsync(args[1..]),
    "bench" => await BenchCommand.MainAsync(args[1..]),
    "render" => NotYet("render", "renders executed notebooks into a static site (src/NotebookRunner/Site)"),
    "doctor" => NotYet("doctor", "checks the machine and the NuGet cache (src/NotebookRunner/Doctor)"),
    "--version" => Version(),
    _ => Usage(),
};

static int NotYet(string command, string what)
{
    Console.Error.WriteLine($"`{command}` {what}: not yet available in this build.");
    return 2;
}

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
        """);
    return 2;
}
