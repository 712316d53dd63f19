"""Measures the kernel through the real client: cold start (process start to kernel_info_reply) and
per-cell latency (execute_request to the idle status after it, trivial cells, after warm-up).

usage: measure_kernel.py <runner.dll> [starts] [cells]
Prints JSON. Not a test: numbers depend on the machine and its load.
"""
import json, os, statistics, sys, tempfile, time
from jupyter_client import KernelManager

runner = sys.argv[1]
starts = int(sys.argv[2]) if len(sys.argv) > 2 else 5
cells = int(sys.argv[3]) if len(sys.argv) > 3 else 50
root = tempfile.mkdtemp(prefix="kernel-measure-")
spec = os.path.join(root, "kernels", "csharp-measure")
os.makedirs(spec)
json.dump({"argv": ["dotnet", runner, "kernel", "--connection-file", "{connection_file}"], "display_name": "C#", "language": "C#",
           "interrupt_mode": "message"}, open(os.path.join(spec, "kernel.json"), "w"))
os.environ["JUPYTER_PATH"] = root


def run(kc, code):
    t0 = time.perf_counter()
    mid = kc.execute(code)
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") == mid and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    kc.get_shell_msg(timeout=60)
    return time.perf_counter() - t0


result = {"cold_start_s": [], "first_cell_s": []}
for i in range(starts):
    km = KernelManager(kernel_name="csharp-measure")
    t0 = time.perf_counter()
    km.start_kernel(cwd=root)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    result["cold_start_s"].append(time.perf_counter() - t0)
    result["first_cell_s"].append(run(kc, "1 + 1"))
    if i == starts - 1:
        for code in ["var a = 1;", "1"]:
            for _ in range(5):
                run(kc, code)
            times = sorted(run(kc, code) for _ in range(cells))
            result[f"cell_ms[{code}]"] = {"median": 1000 * statistics.median(times), "p10": 1000 * times[len(times) // 10], "p90": 1000 * times[9 * len(times) // 10]}
    kc.stop_channels()
    km.shutdown_kernel(now=True)
result["cold_start_median_s"] = statistics.median(result["cold_start_s"])
result["first_cell_median_s"] = statistics.median(result["first_cell_s"])
result["load_average"] = os.getloadavg()
print(json.dumps(result, indent=1))
