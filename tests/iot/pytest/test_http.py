# asyncio::http against Python's http.server on a loopback port: a GET, a chunked upload of a
# camera-sized frame checked byte for byte, a response larger than the app's limit, a server
# that is not there, and one that answers with something that is not HTTP.
import hashlib
import http.server
import socket
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import Control
from mqtt_peer import TIMEOUT

FRAME = 320 * 160 * 2


def frame(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    uploads: list[tuple[str, bytes]] = []

    def log_message(self, *args):
        pass

    def reply(self, status: int, body: bytes, content_type: str = "text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/status":
            self.reply(200, b"ok 42")
        elif self.path == "/big":
            self.reply(200, b"x" * 10000)
        else:
            self.reply(404, b"no such page")

    def do_POST(self):
        encoding = self.headers.get("Transfer-Encoding", "-")
        body = b""
        if encoding == "chunked":
            while True:
                size = int(self.rfile.readline().strip(), 16)
                body += self.rfile.read(size)
                self.rfile.readline()  # the chunk's CRLF
                if size == 0:
                    break
        else:
            body = self.rfile.read(int(self.headers["Content-Length"]))
        Handler.uploads.append((encoding, body))
        self.reply(201, f"{len(body)} {hashlib.sha256(body).hexdigest()[:16]}".encode())


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_requests_and_a_chunked_frame_upload(control: Control, server: int):
    assert control.ask(f"http-get {server} /status") == "status 200 text/plain ok 42"
    assert control.ask(f"http-get {server} /nothing") == "status 404 text/plain no such page"

    # A frame, one chunk per 640-byte row: every byte arrives, in order.
    Handler.uploads.clear()
    expected = f"{FRAME} {hashlib.sha256(frame(FRAME)).hexdigest()[:16]}"
    assert control.ask(f"http-upload {server} {FRAME} 640") == f"status 201 text/plain {expected}"
    assert [(e, len(b)) for e, b in Handler.uploads] == [("chunked", FRAME)]


def test_a_chunked_frame_upload_over_tls(control: Control):
    """The frame upload over TLS (`fetch_tls`) to an HTTPS server with the session's
    certificate: the server gets every byte; with another CA trusted, nothing is sent."""
    from tls_certs import NAME, certs
    ours, impostor = certs()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = ours.server_context().wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    try:
        Handler.uploads.clear()
        body = frame(102400)
        assert control.ask(f"https-upload {port} {len(body)} 4096 {NAME} {ours.der.hex()}") == \
            f"status 201 text/plain {len(body)} {hashlib.sha256(body).hexdigest()[:16]}"
        assert Handler.uploads == [("chunked", body)]
        assert control.ask(f"https-upload {port} 100 10 {NAME} {impostor.der.hex()}") == \
            "error the peer's TLS certificate failed verification"
        assert len(Handler.uploads) == 1
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_errors_are_clear_and_the_app_goes_on(control: Control, server: int):
    assert control.ask(f"http-get {server} /big") == \
        "error the message is larger than the limit of 4096 bytes"

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert control.ask(f"http-get {port} /") == "error connection refused"

    # A peer that answers with something that is not HTTP.
    listener = socket.create_server(("127.0.0.1", 0))

    def garbage():
        conn, _ = listener.accept()
        conn.recv(1024)
        conn.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")
        conn.recv(1024)  # until the app gives up on it: then the garbage was all it read
        conn.close()

    threading.Thread(target=garbage, daemon=True).start()
    assert control.ask(f"http-get {listener.getsockname()[1]} /") == \
        "error the peer broke the protocol"
    listener.close()
    assert control.ask(f"http-get {server} /status") == "status 200 text/plain ok 42"


SERVE_PORT = 4410


def test_the_server_answers_curl_and_requests(control: Control):
    assert control.ask(f"http-serve {SERVE_PORT}") == "serving"
    base = f"http://127.0.0.1:{SERVE_PORT}"
    curl = subprocess.run(["curl", "-sS", "-i", f"{base}/"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True).stdout
    assert curl.startswith("HTTP/1.1 200") and curl.endswith("\n\nhello from zephyr-asyncio\n")

    assert requests.get(f"{base}/count", timeout=TIMEOUT).text == "count 1\n"
    assert requests.get(f"{base}/count", timeout=TIMEOUT).text == "count 2\n"
    assert requests.get(f"{base}/nothing", timeout=TIMEOUT).status_code == 404

    # Ten clients at once, each waiting 200 ms on the server: one task per connection.
    with ThreadPoolExecutor(10) as pool:
        replies = list(pool.map(lambda _: requests.get(f"{base}/slow", timeout=TIMEOUT), range(10)))
    assert [(r.status_code, r.text) for r in replies] == [(200, "slept true\n")] * 10

    # Not HTTP: a 400 or a closed connection, and the server serves on.
    with socket.create_connection(("127.0.0.1", SERVE_PORT), timeout=TIMEOUT) as raw:
        raw.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        answer = raw.recv(100)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 400"), answer
    assert requests.get(f"{base}/count", timeout=TIMEOUT).text == "count 3\n"
