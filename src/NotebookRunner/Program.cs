Console.WriteLine($"NotebookRunner {NotebookEngine.EngineInfo.Version}");
Console.WriteLine($"TorchSharp says 1+1 = {TorchSharp.torch.tensor(1f).add(1f).item<float>()}");
