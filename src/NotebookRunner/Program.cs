if (args.Length > 0 && args[0] == "doctor") return NotebookRunner.Doctor.DoctorCommand.Run(args[1..]);
Console.WriteLine($"NotebookRunner {NotebookEngine.EngineInfo.Version}");
Console.WriteLine($"TorchSharp says 1+1 = {TorchSharp.torch.tensor(1f).add(1f).item<float>()}");
return 0;
