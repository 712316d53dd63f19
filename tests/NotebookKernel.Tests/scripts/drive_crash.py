"""Drives the course's C# kernel with Debian's jupyter_client through crashes .NET cannot survive in-process:
a native abort (libtorch's matmul shape error, which TorchSharp lets escape) and a stack overflow in a lambda.

usage: drive_crash.py <runner.dll> <out.json>

Records what the frontend sees for each crashing cell and for the cells after it, that the kernel process
Jupyter started stays the same, and that a replayed message is still refused after the worker restarted.
"""
import os, queue, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_client import children, collect, execute, finish, install_spec, kernel_manager, processes, still_alive

KernelManager = kernel_manager()

runner, out_path = sys.argv[1], sys.argv[2]
root = install_spec(runner)
torch_dll = os.path.join(os.path.dirname(os.path.abspath(runner)), "TorchSharp.dll")
result = {}
OVERFLOW = "Func<int, int> f = null!; f = n => f(n + 1) + 1; f(0)"

km = KernelManager(kernel_name="csharp-test")
km.start_kernel(cwd=root)
try:
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    kernel_pid = km.provisioner.process.pid
    result["workers_at_start"] = children(kernel_pid)

    # a signed request, kept to be replayed after the worker restarts
    replayed = kc.session.msg("execute_request", {"code": 'Console.WriteLine("replayed-marker");', "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    kc.shell_channel.send(replayed)
    result["replay_original"] = collect(kc, replayed["header"]["msg_id"])

    # a native abort: matmul with shapes that cannot be multiplied
    result["torch"] = execute(kc, f'#r "{torch_dll}"\nvar before = 41;')
    result["matmul"] = execute(kc, "TorchSharp.torch.matmul(TorchSharp.torch.ones(2, 3), TorchSharp.torch.ones(4, 5))", timeout=180)
    result["after_matmul_variable"] = execute(kc, "before", timeout=180)
    result["after_matmul"] = execute(kc, "1 + 1")
    result["workers_after_matmul"] = children(kernel_pid)

    # the request seen before the restart, sent again byte for byte: refused, never run by the new worker
    kc.session.send(kc.shell_channel.socket, replayed)
    time.sleep(2)
    result["after_replay"] = execute(kc, "2 + 2")
    seen = []
    while True:
        try:
            m = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            break
        seen.append(m)
    result["replay_messages"] = [m["msg_type"] for m in seen if m["parent_header"].get("msg_id") == replayed["header"]["msg_id"]]
    try:
        extra = kc.get_shell_msg(timeout=1)
        result["replay_reply"] = extra["parent_header"].get("msg_id") == replayed["header"]["msg_id"]
    except queue.Empty:
        result["replay_reply"] = False

    # a stack overflow in a lambda (the kernel's stack checks cover methods, not lambdas)
    execute(kc, "var v = 5;")
    result["overflow"] = execute(kc, OVERFLOW, timeout=180)
    result["after_overflow_variable"] = execute(kc, "v", timeout=180)
    result["after_overflow"] = execute(kc, "40 + 2")

    # a crash with a cell queued behind it: the queued cell is answered (aborted), not lost
    crash_id = kc.execute(OVERFLOW)
    queued_id = kc.execute("6 * 7")
    result["queued_crash"] = collect(kc, crash_id, timeout=180)
    result["queued_behind"] = collect(kc, queued_id, timeout=180)

    # an exception nothing catches on a thread a cell started, after the cell finished: the note goes under that cell
    late_id = kc.execute('new System.Threading.Thread(() => { System.Threading.Thread.Sleep(1000); throw new InvalidOperationException("late boom"); }).Start();')
    result["late_throw"] = collect(kc, late_id)
    notes, deadline = [], time.time() + 60
    while time.time() < deadline and not any("no cell was running" in n for n in notes):
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") == late_id and m["msg_type"] == "stream":
            notes.append(m["content"]["text"])
    result["late_notes"] = notes
    result["after_late"] = execute(kc, "3 * 3", timeout=180)

    # interrupt and heartbeat reach the new worker
    long_id = kc.execute("long n = 0; while (true) { n++; }")
    time.sleep(3)
    km.interrupt_kernel()
    result["interrupt_after_restart"] = collect(kc, long_id, timeout=60)
    result["heartbeat"] = kc.is_alive()
    result["same_kernel_process"] = km.provisioner.process.pid == kernel_pid and km.is_alive()

    kc.stop_channels()
    running = processes(km)
    km.shutdown_kernel(now=False)
    result["shutdown_left_alive"] = still_alive(running)
finally:
    finish(km, result, out_path, root)
print("OK")
