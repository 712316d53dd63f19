"""What the real-client scripts share: a temporary kernel spec that starts the runner's kernel, collecting
what a request produced, and the kernel's processes (the supervisor Jupyter starts and its worker)."""
import json, os, queue, shutil, sys, tempfile, time


def kernel_manager():
    """jupyter_client's KernelManager; exits 3 naming what is missing when Debian's jupyter_client is not installed."""
    try:
        from jupyter_client import KernelManager
    except ImportError as e:  # the xunit test turns this into a clear failure
        print("MISSING-PYTHON-PACKAGES: " + str(e))
        sys.exit(3)
    return KernelManager


def install_spec(runner, name="csharp-test"):
    """A kernel spec for `dotnet <runner> kernel` in a new temporary folder (JUPYTER_PATH); returns the folder."""
    root = tempfile.mkdtemp(prefix="kernel-test-")
    spec_dir = os.path.join(root, "kernels", name)
    os.makedirs(spec_dir)
    json.dump({"argv": ["dotnet", runner, "kernel", "--connection-file", "{connection_file}"],
               "display_name": "C# test", "language": "C#", "interrupt_mode": "message"},
              open(os.path.join(spec_dir, "kernel.json"), "w"))
    os.environ["JUPYTER_PATH"] = root
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(root, "runtime")
    return root


def collect(kc, msg_id, timeout=120):
    """iopub messages for msg_id until its idle status, then the shell reply."""
    iopub = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        iopub.append({"msg_type": m["msg_type"], "content": m["content"]})
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return {"iopub": iopub, "reply": reply["content"], "reply_type": reply["msg_type"]}


def execute(kc, code, timeout=120):
    return collect(kc, kc.execute(code), timeout)


def children(pid):
    """Live child processes of pid (Linux /proc; zombies left out)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split(" ")
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def processes(km):
    """The kernel's processes: the one Jupyter started (the supervisor) and its children (the worker)."""
    pid = km.provisioner.process.pid
    return [pid] + children(pid)


def still_alive(pids, wait=1.0):
    """Those of pids alive after wait seconds."""
    time.sleep(wait)
    return [pid for pid in pids if alive(pid)]


def finish(km, result, out_path, root):
    """Ends the kernel if a scenario left it running, writes what was recorded, removes the temporary spec."""
    if km.is_alive():
        km.shutdown_kernel(now=True)
    json.dump(result, open(out_path, "w"), indent=1, default=str)
    shutil.rmtree(root, ignore_errors=True)


def alive(pid):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split(" ")[0] != "Z"
