#!/usr/bin/python3
"""Execute a notebook in Microsoft's .NET Interactive Jupyter kernel (the `dotnet-interactive` global tool) with
nbclient, as a Jupyter frontend would, papermill-style parameters injected after the cell tagged `parameters`.

    run_notebook.py NOTEBOOK --output EXECUTED.ipynb [--report REPORT.json] [-p quick=true ...]
                    [--timeout 900] [--startup-timeout 180] [--env NAME=VALUE ...] [--tool PATH]

The one driver of the real kernel: the RealKernel chapter test and the differential suite
(tests/NotebookRunner.Tests) both run it. The kernel is always started from a private kernel spec: the argv
`dotnet interactive jupyter install` writes for `.net-csharp`, with the tool's path (--tool; default: on PATH,
else ~/.dotnet/tools), the --env variables, and a random HTTP port range of its own. The kernel's HTTP API takes
the first free port of its range (2048-3000 in the standard spec); kernels starting together race for it and the
loser dies, so every run gets its own range and concurrent runs never collide. A run does not depend on which
kernel is registered as `.net-csharp` (the course's own kernel installs under that name too).

Like papermill and the course runner, execution stops at the first failing cell. A code cell whose Polyglot
metadata names another kernel is sent with that kernel's magic line (`#!fsharp`), as Polyglot Notebooks does. The
first code cell gets at least 120 s (the kernel compiles its first submission there); every other cell --timeout.
A kernel that dies before its first code cell runs is started once more (its error is kept in kernelStartFailures).

The source notebook is never written: the executed copy goes to --output (which must differ from the source),
written atomically, also when a cell fails. --report writes one JSON object:

    {"path", "tool", "parameters", "status": "passed"|"failed"|"timeout"|"crashed"|"kernel-error", "seconds",
     "cells", "failedCell" (1-based code-cell number, as in the course runner's report, or null), "error",
     "metrics": {name: value}, "cellSeconds": [...], "stderr": [{"cell", "text"}],
     "displayUpdates": {"published", "updated", "unmatched"}, "kernelStartFailures": [...], "output"}

"crashed" is the course runner's word for a kernel that died while running a cell; "kernel-error" means it
could not be started. "metrics" are the outputs of MIME type application/vnd.deeplearning-course.metrics+json
(the course's Metrics.Record), read the same way as the course runner's artifacts/report.json. The exit code is 0
when every cell passed, 1 when one failed, 2 on a usage error.

Needs Debian's python3-nbclient, python3-nbformat and python3-jupyter-client (run with /usr/bin/python3).
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

METRICS_MIME = "application/vnd.deeplearning-course.metrics+json"
SPEC_NAME = "dotnet-interactive-csharp"
INSTALL = ("dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001 "
           "&& apt-get install -y python3-nbclient python3-nbformat python3-jupyter-client (see README)")


def parse_value(text):
    """A parameter's value as papermill reads `-p name value`: bool, int, float, else string."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def csharp_literal(value):
    """The C# literal papermill's C# translator writes for a value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L" if not -2**31 <= value < 2**31 else str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if ("." in text or "e" in text or "n" in text) else text + ".0"
    return json.dumps(value)


def inject_parameters(nb, parameters):
    """Insert an `injected-parameters` cell after the cell tagged `parameters` (first when there is none)."""
    if not parameters:
        return
    lines = ["// Parameters"] + [f"var {name} = {csharp_literal(value)};" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    # Keep the chapter's per-cell kernel metadata so Polyglot-aware frontends see a C# cell.
    index = next((i for i, c in enumerate(nb.cells)
                  if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    if index >= 0:
        for key in ("polyglot_notebook", "dotnet_interactive"):
            if key in nb.cells[index].metadata:
                cell.metadata[key] = nb.cells[index].metadata[key]
    nb.cells.insert(index + 1, cell)


def polyglot_kernel(cell):
    meta = cell.get("metadata", {})
    return meta.get("polyglot_notebook", {}).get("kernelName") or meta.get("dotnet_interactive", {}).get("language")


def add_kernel_magics(nb):
    """Prefix a code cell written for another Polyglot kernel with its magic line, as Polyglot Notebooks sends it."""
    for cell in nb.cells:
        kernel = polyglot_kernel(cell)
        if cell.cell_type == "code" and kernel not in (None, "csharp", "C#"):
            cell.source = f"#!{kernel}\n" + cell.source


def write_kernel_spec(tool, folder, env):
    """A private kernel spec in FOLDER/kernels: the standard `.net-csharp` argv with its own random HTTP port range."""
    spec = os.path.join(folder, "kernels", SPEC_NAME)
    os.makedirs(spec)
    start = random.randrange(20000, 60000, 100)
    argv = [tool, "jupyter", "--default-kernel", "csharp", "{connection_file}",
            "--http-port-range", f"{start}-{start + 99}", "--http-local-only"]
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": ".NET (C#)", "language": "C#", "env": env}, f)


def metrics_of(nb):
    """Metrics recorded by the notebook (a later record of the same name wins), as the course runner reads them."""
    metrics = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(METRICS_MIME)
            if payload is None:
                continue
            if isinstance(payload, str):
                try:
                    payload = json.loads(payload)
                except ValueError:
                    continue
            for record in payload if isinstance(payload, list) else [payload]:
                if isinstance(record, dict) and isinstance(record.get("name"), str) and record.get("value") is not None:
                    try:
                        metrics[record["name"]] = float(record["value"])
                    except (TypeError, ValueError):
                        pass
    return metrics


def stderr_of(nb):
    """Text each code cell wrote to stderr, with its 1-based code-cell number."""
    found = []
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                       if o.get("output_type") == "stream" and o.get("name") == "stderr")
        if text:
            found.append({"cell": number, "text": text})
    return found


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the permissions a plain open() would
    os.replace(temp, path)


class RecordingClient(NotebookClient):
    """An nbclient client that remembers the code cell it runs, times each cell and counts display publications
    and updates by display id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.running = None  # index in nb.cells of the code cell sent last
        self.cell_seconds = []
        self.published = set()
        self.updates = 0
        self.unmatched = 0

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type == "code" and cell.source.strip():
            self.running = cell_index
        started = time.monotonic()
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            if cell.cell_type == "code":
                self.cell_seconds.append(round(time.monotonic() - started, 3))

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content", {})
        display_id = content.get("transient", {}).get("display_id")
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        if display_id and kind == "display_data":
            self.published.add(display_id)
        elif display_id and kind == "update_display_data":
            self.updates += 1
            if display_id not in self.published:
                self.unmatched += 1
        return super().process_message(msg, cell, cell_index)


def default_tool():
    return shutil.which("dotnet-interactive") or os.path.expanduser("~/.dotnet/tools/dotnet-interactive")


def execute(source, parameters, args):
    """Run the notebook once in a fresh kernel; returns (notebook, client, status, error)."""
    nb = nbformat.read(source, as_version=4)
    inject_parameters(nb, parameters)
    add_kernel_magics(nb)
    nb.metadata["kernelspec"] = {"name": SPEC_NAME, "display_name": ".NET (C#)", "language": "C#"}
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    client = RecordingClient(
        nb, kernel_name=SPEC_NAME, timeout=args.timeout, startup_timeout=args.startup_timeout, allow_errors=False,
        timeout_func=lambda cell: max(args.timeout, 120) if cell is first else args.timeout,
        resources={"metadata": {"path": os.path.dirname(source)}})
    status, error = "passed", None
    try:
        client.execute()
    except CellTimeoutError as e:
        status, error = "timeout", str(e)
    except CellExecutionError as e:
        status, error = "failed", str(e)
    except DeadKernelError as e:
        status, error = ("crashed" if client.running is not None else "kernel-error"), f"the kernel died: {e}"
    except Exception as e:  # kernel start failures and the like: still write what there is
        status, error = "kernel-error", f"{type(e).__name__}: {e}"
    return nb, client, status, error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook")
    parser.add_argument("--output", required=True, help="where the executed notebook is written (never the source)")
    parser.add_argument("--report", help="write the JSON report here")
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900; the first cell at least 120)")
    parser.add_argument("--startup-timeout", type=int, default=180, help="seconds for the kernel to start (default 180)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="environment variable of the kernel process")
    parser.add_argument("--tool", default=default_tool(), help="the dotnet-interactive executable (default: on PATH, else ~/.dotnet/tools)")
    args = parser.parse_args(argv)

    source = os.path.abspath(args.notebook)
    output = os.path.abspath(args.output)
    if source == output:
        parser.error("--output must differ from the source notebook")
    parameters = {}
    for item in args.parameter:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            parser.error(f"parameter '{item}' is not NAME=VALUE")
        parameters[name.strip()] = parse_value(value)
    env = {}
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            parser.error(f"--env '{item}' is not NAME=VALUE")
        env[name.strip()] = value

    # The tool runs `dotnet`, and learners' shells find it in the global tools folder: keep that folder on PATH.
    tools = os.path.expanduser("~/.dotnet/tools")
    if os.path.isdir(tools) and tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.environ.get("PATH", "") + os.pathsep + tools

    jupyter = tempfile.mkdtemp(prefix="dotnet-interactive-spec-")
    started = time.monotonic()
    start_failures = []
    try:
        os.environ["JUPYTER_PATH"] = jupyter
        while True:
            write_kernel_spec(args.tool, jupyter, env)
            nb, client, status, error = execute(source, parameters, args)
            # A kernel that dies before running any cell (seen once on a machine with load 35, several
            # kernels starting at once) is started again, once, with a fresh port range; the report says so.
            if status == "kernel-error" and client.running is None and not start_failures:
                start_failures.append(error)
                print(f"the kernel died before the first cell ({error}); starting it again", file=sys.stderr)
                shutil.rmtree(os.path.join(jupyter, "kernels"))
                continue
            break
    finally:
        shutil.rmtree(jupyter, ignore_errors=True)
    seconds = time.monotonic() - started
    if status == "kernel-error" and not os.path.isfile(args.tool):
        error += f"\n`dotnet-interactive` is not installed (no {args.tool}): {INSTALL}"
    failed = None
    if status != "passed" and client.running is not None:
        failed = sum(1 for c in nb.cells[:client.running + 1] if c.cell_type == "code")
    write_atomically(output, nbformat.writes(nb))

    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    report = {
        "path": source,
        "tool": args.tool,
        "parameters": parameters,
        "status": status,
        "seconds": round(seconds, 3),
        "cells": code_cells,
        "failedCell": failed,
        "error": error,
        "metrics": metrics_of(nb),
        "cellSeconds": client.cell_seconds,
        "stderr": stderr_of(nb),
        "displayUpdates": {"published": len(client.published), "updated": client.updates, "unmatched": client.unmatched},
        "kernelStartFailures": start_failures,
        "output": output,
    }
    if args.report:
        write_atomically(args.report, json.dumps(report, indent=2))
    print(f"{os.path.basename(source)}: {status} in {seconds:.1f} s ({code_cells} code cells"
          + (f", failed at code cell {failed}" if failed else "") + f", {len(report['metrics'])} metrics)")
    if error:
        print(error, file=sys.stderr)
    return 0 if status == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
