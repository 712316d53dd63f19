using Benchmarks;

return BenchProgram.Run(args, Console.Out);
