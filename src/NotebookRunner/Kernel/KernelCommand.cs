using NotebookKernel;

namespace NotebookRunner.Kernel;

/// <summary>
/// <c>kernel --connection-file f</c> runs the course's Jupyter kernel (frontends start it from the kernel spec);
/// <c>kernel install [--user|--prefix P|--sys-prefix] [--name N] [--force]</c> writes that spec.
/// </summary>
public static class KernelCommand
{
    /// <summary>Entry point for <c>kernel …</c>.</summary>
    public static int Run(string[] args)
    {
        if (args.FirstOrDefault() == "install")
            return Install(args[1..]);
        var at = Array.IndexOf(args, "--connection-file");
        var file = at >= 0 && at + 1 < args.Length ? args[at + 1] : args.FirstOrDefault(a => a.EndsWith(".json", StringComparison.Ordinal));
        if (file is null || args.Contains("--help"))
            return Usage();
        // A bad connection file or a port in use is one line on stderr and exit code 1, never a stack trace.
        // Jupyter starts the supervisor; it runs the kernel in a worker process (`kernel --worker`), restarted after a native crash.
        (IDisposable Owner, Func<int> Run) kernel;
        try
        {
            var connection = ConnectionInfo.Load(file);
            if (args.Contains(WorkerFlag))
            {
                var worker = new JupyterKernel(connection, worker: true);
                kernel = (worker, worker.Run);
            }
            else
            {
                var supervisor = new KernelSupervisor(connection, WorkerStart);
                kernel = (supervisor, supervisor.Run);
            }
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"kernel: {e.Message}");
            return 1;
        }
        catch (NetMQ.NetMQException e)
        {
            Console.Error.WriteLine($"kernel: cannot listen on the addresses in '{file}': {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        using (kernel.Owner)
            return kernel.Run();
    }

    private const string WorkerFlag = "--worker";

    /// <summary>This program as a <see cref="KernelSupervisor"/>'s worker: <c>kernel --worker --connection-file F</c>, stdout inherited.</summary>
    private static System.Diagnostics.ProcessStartInfo WorkerStart(string connectionFile)
    {
        var start = NotebookRunner.Run.RunCommand.SelfStartInfo();
        start.RedirectStandardOutput = false;
        foreach (var arg in new[] { "kernel", WorkerFlag, "--connection-file", connectionFile })
            start.ArgumentList.Add(arg);
        return start;
    }

    private static int Install(string[] args)
    {
        var scope = KernelSpecScope.User;
        string? prefix = null;
        var name = KernelSpecInstaller.DefaultName;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user":
                    scope = KernelSpecScope.User;
                    break;
                case "--sys-prefix":
                    scope = KernelSpecScope.SysPrefix;
                    break;
                case "--prefix" when i + 1 < args.Length:
                    scope = KernelSpecScope.Prefix;
                    prefix = args[++i];
                    break;
                case "--name" when i + 1 < args.Length:
                    name = args[++i];
                    break;
                case "--force":
                    force = true;
                    break;
                default:
                    return Usage();
            }
        }
        string directory;
        try
        {
            directory = KernelSpecInstaller.KernelsDirectory(scope, prefix);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        var result = KernelSpecInstaller.Install(directory, typeof(KernelCommand).Assembly.Location, name, force);
        (result.Installed ? Console.Out : Console.Error).WriteLine(result.Message);
        return result.Installed ? 0 : 1;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: NotebookRunner kernel --connection-file <file>     run the Jupyter kernel (started by Jupyter from the kernel spec)
                   NotebookRunner kernel install [--user | --prefix <dir> | --sys-prefix] [--name <name>] [--force]
                       writes the kernel spec (default name .net-csharp, the name Polyglot notebooks declare; an existing
                       .NET Interactive spec of that name is kept unless --force)
            """);
        return 2;
    }
}
