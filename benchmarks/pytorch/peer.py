"""PyTorch peer of the C# benchmark (benchmarks/Benchmarks).

Started by the C# program as
    /usr/bin/python3 peer.py MODEL DATA_DIR THREADS
It imports MODEL.py from this folder, builds its workload from DATA_DIR/MODEL.json and the
.npy files the C# side wrote there (the same tensors the C# side trains on), prints one JSON line
{"ready": true, ...}, then answers each stdin line "run STEPS" with one JSON line
{"seconds": S, "cpu_seconds": C, ...}: the wall and process CPU time of STEPS training steps, measured here so that process start,
imports and pipe latency are not counted. "quit" (or end of input) ends it.
"""
import importlib
import json
import os
import sys
import time


def main():
    model, data_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    import numpy
    import torch

    torch.set_num_threads(threads)  # the same intra-op thread count as TorchSharp (it defaults to 1 here)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(data_dir, model + ".json")) as f:
        config = json.load(f)
    torch.manual_seed(config.get("seed", 0))
    workload = importlib.import_module(model).Workload(data_dir, config)
    blas = "openblas" if "openblas" in open("/proc/self/maps").read() else "other"
    print(json.dumps({"ready": True, "torch": torch.__version__, "numpy": numpy.__version__,
                      "threads": torch.get_num_threads(), "blas": blas}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        if parts[0] == "run":
            steps = int(parts[1])
            start, cpu = time.perf_counter(), time.process_time()
            extra = workload.run(steps) or {}
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
            print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, **extra}), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {parts[0]}"}), flush=True)


if __name__ == "__main__":
    main()
