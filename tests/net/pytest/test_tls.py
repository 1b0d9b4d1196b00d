# TLS against CPython's ssl servers (src/tls.rs): the certificate the device trusts, one from
# another CA for the same name, a server that hangs up in the middle of the handshake, and a
# server without TLS 1.3. Every failure is an error on the device's control line, and the
# device ends with the sockets it began with.
import re
import socket
import threading

import pytest
from twister_harness import DeviceAdapter

from tls_certs import NAME, ca_command, certs

CONTROL_PORT = 4300
TIMEOUT = 20


class Control:
    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", CONTROL_PORT), timeout=TIMEOUT)
        self.lines = self.sock.makefile("rb")

    def ask(self, line: bytes) -> str:
        self.sock.sendall(line if line.endswith(b"\n") else line + b"\n")
        return self.lines.readline().decode().strip()

    def open_sockets(self) -> int:
        return int(re.search(r"open=(\d+)", self.ask(b"stats")).group(1))


def serve_once(handle) -> int:
    """A one-connection server on a free port: `handle(conn)` runs in a thread."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(TIMEOUT)

    def run():
        with listener:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                try:
                    handle(conn)
                except OSError:  # ssl.SSLError among them: the device gave up, as it should
                    pass
    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1]


def echo_over(ctx):
    """Handshake with `ctx`, then answer one line."""
    def handle(conn):
        with ctx.wrap_socket(conn, server_side=True) as tls:
            line = tls.makefile("rb").readline()
            tls.sendall(line.strip() + b" back\n")
    return handle


def hang_up_mid_handshake(conn):
    conn.recv(4096)  # the ClientHello; no ServerHello follows


CASES = {
    "trusted": (lambda ours, _: echo_over(ours.server_context()), NAME, "got hello back"),
    "another-ca": (lambda _, impostor: echo_over(impostor.server_context()), NAME,
                   "error the peer's TLS certificate failed verification"),
    "another-name": (lambda ours, _: echo_over(ours.server_context()), "camera.local",
                     "error the peer's TLS certificate failed verification"),
    "mid-handshake": (lambda *_: hang_up_mid_handshake, NAME, "error connection reset by peer"),
    "tls12-only": (lambda ours, _: echo_over(ours.server_context(max_tls12=True)), NAME,
                   "error the TLS handshake failed"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tls_client(dut: DeviceAdapter, case: str):
    dut.readlines_until(regex="net lab ready", timeout=TIMEOUT)
    ours, impostor = certs()
    server, name, expected = CASES[case]
    control = Control()
    assert control.ask(ca_command(ours)) == f"ca {len(ours.der)} bytes"
    before = control.open_sockets()
    port = serve_once(server(ours, impostor))
    assert control.ask(f"tls-fetch {port} {name}".encode()) == expected
    assert control.open_sockets() == before, "the device left sockets open"
