"""Opens a notebook in Debian's classic Jupyter Notebook with headless Chromium, runs all cells, screenshots the chart.

usage: drive_browser.py <notebook-dir> <notebook path relative to it> <plotly.min.js> <out.png> <out.json>

The kernel spec must be reachable through JUPYTER_PATH. The machine is offline, so requests for
plotly.js from cdn.plot.ly are answered from the bundled copy through the DevTools protocol.
"""
import base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request

try:
    import websocket  # python3-websocket
    import notebook  # noqa: F401  (jupyter-notebook)
except ImportError as e:
    print("MISSING-PYTHON-PACKAGES: " + str(e))
    sys.exit(3)

root, relative, plotly_js, png_path, json_path = sys.argv[1:6]
result = {"errors": []}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except Exception:
            time.sleep(0.3)
    raise TimeoutError(url)


nb_port, cdp_port = free_port(), free_port()
scratch = tempfile.mkdtemp(prefix="browser-test-")
env = dict(os.environ, JUPYTER_RUNTIME_DIR=os.path.join(scratch, "runtime"), JUPYTER_CONFIG_DIR=os.path.join(scratch, "config"))
server = subprocess.Popen(["/usr/bin/python3", "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={nb_port}",
                           "--NotebookApp.token=", "--NotebookApp.password=", f"--notebook-dir={root}"]
                          + (["--allow-root"] if os.geteuid() == 0 else []),
                          env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(scratch, "server.log"), "w"))
browser = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={cdp_port}",
                            f"--user-data-dir={os.path.join(scratch, 'chromium')}", "--window-size=1280,2000", "about:blank"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_http(f"http://127.0.0.1:{nb_port}/api")
    wait_http(f"http://127.0.0.1:{cdp_port}/json/version")
    page = next(t for t in json.loads(wait_http(f"http://127.0.0.1:{cdp_port}/json/list")) if t["type"] == "page")
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120, suppress_origin=True)
    plotly_body = base64.b64encode(open(plotly_js, "rb").read()).decode()
    next_id = [0]

    def handle_event(msg):
        if msg.get("method") == "Fetch.requestPaused":
            p = msg["params"]
            send("Fetch.fulfillRequest", requestId=p["requestId"], responseCode=200,
                 responseHeaders=[{"name": "Content-Type", "value": "application/javascript"}], body=plotly_body, wait=False)
            result.setdefault("served_from_bundle", []).append(p["request"]["url"])
        elif msg.get("method") == "Runtime.exceptionThrown":
            result["errors"].append(msg["params"]["exceptionDetails"].get("text", "") + " " +
                                    str(msg["params"]["exceptionDetails"].get("exception", {}).get("description", ""))[:300])

    def send(method, wait=True, **params):
        next_id[0] += 1
        mid = next_id[0]
        ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while wait:
            msg = json.loads(ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            handle_event(msg)

    def evaluate(expression):
        r = send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return r.get("result", {}).get("value")

    def pump(seconds):
        ws.settimeout(0.2)
        end = time.time() + seconds
        while time.time() < end:
            try:
                handle_event(json.loads(ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass
        ws.settimeout(120)

    def poll(expression, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if evaluate(expression):
                return True
            pump(0.5)
        return False

    send("Runtime.enable")
    send("Page.enable")
    send("Fetch.enable", patterns=[{"urlPattern": "https://cdn.plot.ly/*", "requestStage": "Request"}])
    send("Emulation.setDeviceMetricsOverride", width=1280, height=2000, deviceScaleFactor=1, mobile=False)
    send("Page.navigate", url=f"http://127.0.0.1:{nb_port}/notebooks/{relative}")
    result["kernel_connected"] = poll("typeof Jupyter !== 'undefined' && !!Jupyter.notebook && !!Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", 120)
    result["kernel_name"] = evaluate("Jupyter.notebook.kernel && Jupyter.notebook.kernel.name")
    pump(2)
    t0 = time.time()
    evaluate("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); true")
    done = ("Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
            ".every(c => typeof c.input_prompt_number === 'number') && !Jupyter.notebook.kernel_busy")
    result["all_cells_ran"] = poll(done, 300)
    result["run_seconds"] = time.time() - t0
    result["chart_drawn"] = poll("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0", 30)
    result["error_outputs"] = evaluate("document.querySelectorAll('.output_error').length")
    result["progress_board"] = evaluate("(document.querySelector('.dlc-progress-board') || {}).innerText || null")
    evaluate("(document.querySelector('.js-plotly-plot') || document.body).scrollIntoView({block: 'center'}); true")
    pump(1)
    shot = send("Page.captureScreenshot", format="png")
    open(png_path, "wb").write(base64.b64decode(shot["data"]))
    result["screenshot"] = png_path
finally:
    json.dump(result, open(json_path, "w"), indent=1)
    browser.terminate()
    server.terminate()
    for p in (browser, server):
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(scratch, ignore_errors=True)
print(json.dumps(result))
