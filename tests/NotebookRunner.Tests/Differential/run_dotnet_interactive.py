"""Executes a notebook in Microsoft's .NET Interactive Jupyter kernel with nbclient, as a Jupyter frontend would.

    /usr/bin/python3 run_dotnet_interactive.py NOTEBOOK.ipynb --output EXECUTED.ipynb --status STATUS.json
        [--timeout SECONDS] [--tool PATH-TO-dotnet-interactive] [--env NAME=VALUE ...]

The kernel is started from a private kernel spec (the argv `dotnet interactive jupyter install` writes, with a
random HTTP port range of its own), so the run does not depend on which kernel is registered as `.net-csharp`. Like papermill and the course runner, execution
stops at the first failing cell. A cell whose Polyglot metadata names another kernel is sent with that kernel's magic
line (`#!fsharp`), as Polyglot Notebooks does. STATUS.json: {"status": "passed|failed|timeout|crashed",
"failedCell": number of the failing code cell (1-based, as in the course runner's report) or null, "error": text or null, "seconds": wall time}.
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time

import nbclient
import nbformat
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

SPEC_NAME = "dotnet-interactive-csharp"


def kernel_spec(tool, folder, env):
    spec = os.path.join(folder, "kernels", SPEC_NAME)
    os.makedirs(spec)
    # The kernel's HTTP API (its frontend's JavaScript bridge) takes the first free port of a range, 2048-3000 by
    # default; kernels starting together race for that port and the loser dies. Each run gets its own random range.
    start = random.randrange(20000, 60000, 100)
    argv = [tool, "jupyter", "--default-kernel", "csharp", "{connection_file}",
            "--http-port-range", f"{start}-{start + 99}", "--http-local-only"]
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": ".NET (C#)", "language": "C#", "env": env}, f)


def polyglot_kernel(cell):
    meta = cell.get("metadata", {})
    return meta.get("polyglot_notebook", {}).get("kernelName") or meta.get("dotnet_interactive", {}).get("language")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--output", required=True)
    parser.add_argument("--status", required=True)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the kernel process (the kernel spec's env)")
    parser.add_argument("--tool", default=shutil.which("dotnet-interactive") or os.path.expanduser("~/.dotnet/tools/dotnet-interactive"))
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    for cell in nb.cells:
        kernel = polyglot_kernel(cell)
        if cell.cell_type == "code" and kernel not in (None, "csharp", "C#"):
            cell.source = f"#!{kernel}\n" + cell.source
    nb.metadata["kernelspec"] = {"name": SPEC_NAME, "display_name": ".NET (C#)", "language": "C#"}

    jupyter = tempfile.mkdtemp(prefix="dotnet-interactive-spec-")
    kernel_spec(args.tool, jupyter, dict(e.split("=", 1) for e in args.env))
    os.environ["JUPYTER_PATH"] = jupyter
    started = {"index": None}
    # The kernel compiles its first submission in the first code cell (seconds on a busy machine; the course
    # engine is warm before its first cell), so that cell gets at least 120 s; every other cell gets --timeout.
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    client = nbclient.NotebookClient(
        nb, kernel_name=SPEC_NAME, timeout=args.timeout, startup_timeout=120, allow_errors=False,
        timeout_func=lambda cell: max(args.timeout, 120) if cell is first else args.timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
        on_cell_start=lambda cell, cell_index: started.update(index=cell_index))
    status, error, clock = "passed", None, time.monotonic()
    try:
        client.execute()
    except CellTimeoutError as e:
        status, error = "timeout", str(e)
    except DeadKernelError as e:
        status, error = "crashed", str(e)
    except CellExecutionError as e:
        status, error = "failed", str(e)
    finally:
        shutil.rmtree(jupyter, ignore_errors=True)
    nbformat.write(nb, args.output)
    failed = None if status == "passed" or started["index"] is None else \
        sum(1 for c in nb.cells[:started["index"] + 1] if c.cell_type == "code")
    with open(args.status, "w") as f:
        json.dump({"status": status, "failedCell": failed, "error": error,
                   "seconds": round(time.monotonic() - clock, 2)}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
