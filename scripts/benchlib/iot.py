"""Table 7: the IoT protocols on native_sim in real time, against a mosquitto broker and
Python's http.server on loopback: asyncio::mqtt and asyncio::http (bench/iot_peers/rust)
against Zephyr's own MQTT and HTTP client libraries in C (bench/iot_peers/c), same workloads,
same host, one after the other."""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .report import Table, ratio

BOARD = "native_sim/native/64"
COUNT = 1000
RUNS = 3
PEERS = {"rust": "asyncio::mqtt / asyncio::http", "c": "Zephyr's C mqtt / http_client"}


def missing():
    if shutil.which("mosquitto") is None:
        return "mosquitto is not installed (apt install mosquitto)"
    return None


class _Page(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    arrivals: list[float] = []  # time.monotonic() per request

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Page.arrivals.append(time.monotonic())
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


def _peers(ctx):
    """The host side: a broker and an HTTP server; their ports and a stop function."""
    sys.path.insert(0, os.path.join(ctx.repo, "tests", "iot", "pytest"))
    from mqtt_peer import Broker, Peer  # noqa: E402 (the IoT tests' broker and client)

    directory = os.path.join(ctx.build_root, "iot-broker")
    os.makedirs(directory, exist_ok=True)
    broker = Broker(directory)
    broker.start()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    watcher = Peer(broker.port, "bench-watcher")
    watcher.subscribe("bench/#", qos=0)

    def stop():
        watcher.close()
        httpd.shutdown()
        httpd.server_close()
        broker.stop()

    return broker.port, httpd.server_address[1], watcher, stop


def _rate(stamps):
    """Operations per second between the first and the last of `stamps`."""
    return (len(stamps) - 1) / max(stamps[-1] - stamps[0], 1e-6) if len(stamps) > 1 else 0.0


def _run(build_dir, peer, mqtt_port, http_port, watcher, count):
    """{workload: operations per second} of one run of an image, timed on the host: the
    messages as the broker forwards them to the watcher, the requests as they reach the HTTP
    server."""
    watcher.arrivals.clear()
    _Page.arrivals.clear()
    exe = os.path.join(build_dir, "zephyr", "zephyr.exe")
    out = subprocess.run([exe, f"--mqtt-port={mqtt_port}", f"--http-port={http_port}",
                          f"--count={count}"], capture_output=True, text=True, timeout=600)
    figures = {m.group(1): (int(m.group(2)), int(m.group(3)))
               for m in re.finditer(r"bench-iot (\S+) (\d+) (\d+)", out.stdout)}
    if "bench-iot done 0" not in out.stdout or len(figures) != 3:
        raise SystemExit(f"{exe} failed:\n{out.stdout}{out.stderr}")
    time.sleep(0.5)  # the last messages on their way to the watcher
    at = {q: [t for t, topic in watcher.arrivals if topic == f"bench/{peer}/{q}"]
          for q in ("qos0", "qos1")}
    if len(at["qos0"]) < figures["mqtt-qos0"][0] or len(at["qos1"]) < count:
        raise SystemExit(f"{exe}: the watcher got {len(at['qos0'])} and {len(at['qos1'])} messages")
    return {"mqtt-qos0": _rate(at["qos0"]), "mqtt-qos1": _rate(at["qos1"]),
            "http-get": _rate(list(_Page.arrivals))}


def run(ctx):
    builds = {}
    for peer in PEERS:
        builds[peer] = os.path.join(ctx.build_root, f"iot_{peer}")
        extra = [f"-DZEPHYR_EXTRA_MODULES={ctx.repo}"] if peer == "rust" else []
        ctx.west_build(BOARD, os.path.join(ctx.repo, "bench", "iot_peers", peer), builds[peer],
                       extra, {})
    mqtt_port, http_port, watcher, stop = _peers(ctx)
    try:
        count = 10 if ctx.smoke else COUNT
        runs = {peer: [_run(builds[peer], peer, mqtt_port, http_port, watcher, count)
                       for _ in range(1 if ctx.smoke else RUNS)] for peer in PEERS}
    finally:
        stop()
    if ctx.smoke:
        return []

    def median(peer, workload):
        values = sorted(r[workload] for r in runs[peer])
        return values[len(values) // 2]
    throughput = Table("7a. MQTT publish throughput to a local mosquitto (messages per second; "
                       "above 1: asyncio is faster)", ["client", "QoS 0", "QoS 1 (each PUBACK awaited)"])
    q0 = {p: median(p, "mqtt-qos0") for p in PEERS}
    q1 = {p: median(p, "mqtt-qos1") for p in PEERS}
    for peer, name in PEERS.items():
        throughput.row(name, f"{q0[peer]:.0f}", f"{q1[peer]:.0f}")
    throughput.row("ratio asyncio / C", ratio(q0["rust"], q0["c"]), ratio(q1["rust"], q1["c"]))
    throughput.note(f"{10 * COUNT} QoS 0 and {COUNT} QoS 1 publications of a short payload, "
                    f"MQTT 5 on both, one connection; median of {RUNS} runs. native_sim in real "
                    "time with host sockets (NSOS): the figures include NSOS's and the host's "
                    "loopback costs, which both peers pay alike. Timed on the host, from the "
                    "first to the last message the broker forwards to a watching subscriber "
                    "(native_sim's own clock stands still while its CPU is busy).")
    throughput.note(f"A QoS 1 round trip (publish, PUBACK, the next publish) takes "
                    f"{1000 / q1['rust']:.2f} ms with asyncio and {1000 / q1['c']:.2f} ms with "
                    "Zephyr's C library. Not explained yet; candidates: the hand-offs per "
                    "publication (the publishing task to the connection task, which writes; the "
                    "PUBACK back through it), and the keep-alive deadline armed for each wait "
                    "for a packet. Before the client gathered each packet into one write, "
                    "Nagle's algorithm and the broker's delayed ACK made it 44 ms.")
    http = Table("7b. HTTP GET latency to Python's http.server (ms per request, a new "
                 "connection each; below 1: asyncio is slower)", ["client", "ms per request"])
    get = {p: 1000 / max(median(p, "http-get"), 1e-6) for p in PEERS}
    for peer, name in PEERS.items():
        http.row(name, f"{get[peer]:.2f}")
    http.row("ratio C / asyncio", ratio(get["c"], get["rust"]))
    http.note(f"{COUNT} sequential GETs of a 3-byte page, each on its own TCP connection "
              f"(connect, request, whole response, close); median of {RUNS} runs, timed on the "
              "host from the first request's arrival at the server to the last's.")
    return [throughput, http]
