"""Drives the course's C# kernel with Debian's jupyter_client, as a frontend would.

usage: drive_kernel.py <runner.dll> <out.json>

Installs a temporary kernel spec (JUPYTER_PATH), starts the kernel with KernelManager, runs a
series of scenarios and writes what it observed as JSON for the xunit test to assert on.
"""
import os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_client import collect, execute, finish, install_spec, kernel_manager, processes, still_alive

KernelManager = kernel_manager()
from jupyter_client.session import Session  # noqa: E402  (after the check above)

runner, out_path = sys.argv[1], sys.argv[2]
root = install_spec(runner)
result = {}


def stdout_of(r):
    return "".join(m["content"]["text"] for m in r["iopub"] if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


km = KernelManager(kernel_name="csharp-test")
start = time.perf_counter()
km.start_kernel(cwd=root)
try:
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    result["cold_start_seconds"] = time.perf_counter() - start

    # kernel_info
    msg_id = kc.kernel_info()
    result["kernel_info"] = collect(kc, msg_id)

    # execute: stream output, then an execute_result
    result["stream"] = execute(kc, 'Console.WriteLine("hello from C#"); var x = 6 * 7;')
    result["execute_result"] = execute(kc, "x + 1")
    # display and update_display_data
    result["display"] = execute(kc, 'var d = display("first"); d.Update("second"); "done"')
    # an error leaves the kernel alive
    result["error"] = execute(kc, 'throw new InvalidOperationException("boom");')
    result["after_error"] = execute(kc, "x")

    # is_complete
    result["is_complete"] = {}
    for code in ["var y = 1;", "if (true) {", "#r \"nuget: Foo, 1.0\"\nvar z = 2;"]:
        mid = kc.is_complete(code)
        result["is_complete"][code] = collect(kc, mid)["reply"]["status"]

    # complete: a member of a session variable, and a local name
    mid = kc.complete("var s = \"abc\";\ns.Len", len("var s = \"abc\";\ns.Len"))
    result["complete_member"] = collect(kc, mid)["reply"]
    mid = kc.complete("Conso", 5)
    result["complete_name"] = collect(kc, mid)["reply"]
    mid = kc.inspect("x", 1)
    result["inspect"] = collect(kc, mid)["reply"]

    # interrupt a CPU-bound loop, then execute successfully
    long_id = kc.execute("long n = 0; while (true) { n++; }")
    time.sleep(2)
    t0 = time.perf_counter()
    km.interrupt_kernel()
    result["interrupt_loop"] = collect(kc, long_id, timeout=60)
    result["interrupt_loop_seconds"] = time.perf_counter() - t0
    result["after_interrupt"] = execute(kc, "x * 2")

    # interrupt a cell with no loop of its own that keeps updating a display (as the library's training loop does)
    long_id = kc.execute('var live = display(0); Enumerable.Range(0, int.MaxValue).Select(i => { live.Update(i); System.Threading.Thread.Sleep(5); return i; }).Count()')
    time.sleep(2)
    t0 = time.perf_counter()
    km.interrupt_kernel()
    result["interrupt_display"] = collect(kc, long_id, timeout=60)
    result["interrupt_display_seconds"] = time.perf_counter() - t0

    # interrupt a cell blocked outside the cell's loops (Thread.Sleep): abandoned after the grace period
    long_id = kc.execute("System.Threading.Thread.Sleep(60000);")
    time.sleep(1.5)
    t0 = time.perf_counter()
    km.interrupt_kernel()
    result["interrupt_sleep"] = collect(kc, long_id, timeout=60)
    result["interrupt_sleep_seconds"] = time.perf_counter() - t0
    result["after_interrupt_sleep"] = execute(kc, "x * 3")

    # a message with a bad signature on the shell socket is not executed
    bad = Session(key=b"not-the-key", username="attacker")
    bad.send(kc.shell_channel.socket, "execute_request",
             {"code": "x = 1000;", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    time.sleep(1)
    result["after_bad_signature"] = execute(kc, "x")

    # per-cell latency: trivial execute round trips
    times = []
    for i in range(30):
        t0 = time.perf_counter()
        execute(kc, "1")
        times.append(time.perf_counter() - t0)
    times.sort()
    result["cell_latency_ms"] = {"median": 1000 * times[len(times) // 2], "min": 1000 * times[0], "max": 1000 * times[-1]}

    # restart: the state is gone, the kernel answers again (and the old process's worker is gone)
    before_restart = processes(km)
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    result["after_restart"] = execute(kc, "x")
    result["after_restart_fresh"] = execute(kc, "40 + 2")

    result["restart_left_alive"] = still_alive(before_restart, wait=0)

    kc.stop_channels()
    running = processes(km)
    result["kernel_processes"] = len(running)
    km.shutdown_kernel(now=False)
    result["shutdown_alive"] = km.is_alive()
    result["shutdown_left_alive"] = still_alive(running)
finally:
    finish(km, result, out_path, root)
print("OK")
