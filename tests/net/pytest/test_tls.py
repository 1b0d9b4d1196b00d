# TLS against CPython's ssl servers (src/tls.rs): the certificate the device trusts, one from
# another CA for the same name, a server that hangs up in the middle of the handshake, and a
# server without TLS 1.3. Every failure is an error on the device's control line, and the
# device ends with the sockets it began with.
import re
import socket
import ssl
import threading
import time

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


def record_in_pieces(ctx):
    """Handshake through memory BIOs, then one line sent as a TLS record cut in three pieces
    with pauses between them, so that the device's timed-out readlines are cancelled in the
    middle of the record's header and of its body."""
    def handle(conn):
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_side=True)
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                conn.sendall(outgoing.read())
                data = conn.recv(4096)
                if not data:
                    return
                incoming.write(data)
        conn.sendall(outgoing.read())  # the session tickets, if any
        tls.write(b"whole line\n")
        record = outgoing.read()
        for piece in (record[:3], record[3:12], record[12:]):
            time.sleep(0.3)
            conn.sendall(piece)
        conn.recv(100)  # until the device closes
    return handle


def test_a_read_cancelled_mid_record_loses_nothing(dut: DeviceAdapter):
    dut.readlines_until(regex="net lab ready", timeout=TIMEOUT)
    ours, _ = certs()
    control = Control()
    assert control.ask(ca_command(ours)) == f"ca {len(ours.der)} bytes"
    before = control.open_sockets()
    port = serve_once(record_in_pieces(ours.server_context()))
    reply = control.ask(f"tls-cancel-read {port} {NAME}".encode())
    line, cut = re.fullmatch(r"line (.*) cut=(\d+)", reply).groups()
    assert line == "whole line"
    assert int(cut) >= 3, "the readlines were not cut while the record arrived"
    assert control.open_sockets() == before, "the device left sockets open"
