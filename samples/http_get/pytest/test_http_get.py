# The sample GETs /index.txt from a real HTTP server on the host (Python's http.server) and
# prints the status line, the headers and the body's length.

import functools
import http.server
import threading

from twister_harness import DeviceAdapter

PORT = 8080
BODY = b"hello from the host\n" * 50
TIMEOUT = 20


class Handler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        Handler.requests.append(self.requestline)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


def test_get_prints_status_and_body_length(dut: DeviceAdapter):
    # The sample starts first and retries until the server is up.
    dut.readlines_until(regex=r"nobody listens on 127.0.0.1:8080 yet; retrying", timeout=TIMEOUT)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        lines = dut.readlines_until(regex=r"^done", timeout=TIMEOUT)
    finally:
        server.shutdown()
        server.server_close()
    text = "\n".join(lines)
    assert "status: HTTP/1.0 200 OK" in text
    assert "header: Content-Type: text/plain" in text
    assert f"body: {len(BODY)} bytes" in text
    assert Handler.requests == ["GET /index.txt HTTP/1.0"]
    # The heartbeat ran throughout.
    assert any(line.startswith("heartbeat ") for line in lines)
