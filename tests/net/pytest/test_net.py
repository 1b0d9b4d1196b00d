# Streams against real host peers (native_sim's offloaded sockets are host sockets): faults on
# one connection stay on that connection, cancelled reads and drains lose nothing, client calls
# report refused connections and resolve names, and no socket leaks (counted by the app and as
# the process's own file descriptors).
import os
import re
import socket
import struct
import threading

import pytest
from twister_harness import DeviceAdapter

CONTROL_PORT = 4300
LINE_PORT = 4301
PEER_PORT = 4310
CLOSED_PORT = 4399
TIMEOUT = 20


class Control:
    def __init__(self, dut: DeviceAdapter):
        dut.readlines_until(regex="net lab ready", timeout=TIMEOUT)
        self.sock = socket.create_connection(("127.0.0.1", CONTROL_PORT), timeout=TIMEOUT)
        self.lines = self.sock.makefile("rb")

    def read(self) -> str:
        return self.lines.readline().decode().rstrip("\n")

    def ask(self, command: str) -> str:
        self.sock.sendall(command.encode() + b"\n")
        return self.read()

    def stats(self) -> dict[str, int]:
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", self.ask("stats"))}


def process_sockets(dut: DeviceAdapter) -> int:
    """Sockets the zephyr.exe process holds (NSOS maps each Zephyr socket to a host socket)."""
    pid = dut._process.pid
    fds = os.listdir(f"/proc/{pid}/fd")
    return sum(1 for fd in fds if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"))


def line_client() -> socket.socket:
    return socket.create_connection(("127.0.0.1", LINE_PORT), timeout=TIMEOUT)


def exchange(sock: socket.socket, line: bytes) -> bytes:
    sock.sendall(line)
    return sock.makefile("rb").readline()


def wait_for_stats(control: Control, **expected: int) -> dict[str, int]:
    """Polls `stats` until the counters reach `expected` (the app handles a fault a moment
    after the host caused it); fails after TIMEOUT seconds' worth of polls."""
    for _ in range(TIMEOUT * 20):
        stats = control.stats()
        if all(stats[k] == v for k, v in expected.items()):
            return stats
        threading.Event().wait(0.05)
    pytest.fail(f"stats never reached {expected}: {stats}")


@pytest.fixture
def control(dut: DeviceAdapter) -> Control:
    return Control(dut)


def test_faults_stay_on_their_connection_and_leak_nothing(dut: DeviceAdapter, control: Control):
    base = control.stats()
    base_fds = process_sockets(dut)
    assert base["open"] == 3  # the two listeners and the control connection

    # A bystander connection is served before, during and after every fault.
    bystander = line_client()
    assert exchange(bystander, b"before\n") == b"before\n"

    # Peer resets mid-line: RST after half a line.
    reset = line_client()
    reset.sendall(b"half a li")
    reset.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    reset.close()
    wait_for_stats(control, reset=1)

    # Half-close: the partial line comes back, then the server's goodbye, then the end.
    half = line_client()
    half.sendall(b"no newline")
    half.shutdown(socket.SHUT_WR)
    rest = b""
    while chunk := half.recv(100):
        rest += chunk
    assert rest == b"no newline" + b"bye\n"
    half.close()

    # An oversize line: an error for that client only.
    big = line_client()
    big.sendall(b"z" * 200 + b"\n")
    assert big.makefile("rb").readline() == b"error: line too long\n"
    big.close()

    assert exchange(bystander, b"after\n") == b"after\n"
    bystander.close()

    stats = wait_for_stats(control, open=base["open"], served=4)
    assert (stats["eof"], stats["reset"], stats["too_long"], stats["other"]) == (2, 1, 1, 0)
    assert stats["waits"] == base["waits"]
    assert process_sockets(dut) == base_fds


def peer_server(handler) -> threading.Thread:
    """A one-connection host server on PEER_PORT running `handler(conn)` in a thread."""
    listener = socket.create_server(("127.0.0.1", PEER_PORT), reuse_port=False)
    listener.settimeout(TIMEOUT)
    result = {}

    def serve():
        try:
            conn, _ = listener.accept()
            with conn:
                result["value"] = handler(conn)
        finally:
            listener.close()

    thread = threading.Thread(target=serve)
    thread.result = result
    thread.start()
    return thread


def test_client_calls(dut: DeviceAdapter, control: Control):
    base = control.stats()

    def greet(conn: socket.socket) -> bytes:
        line = conn.makefile("rb").readline()
        conn.sendall(b"hi " + line)
        return line

    peer = peer_server(greet)
    assert control.ask(f"fetch 127.0.0.1 {PEER_PORT}") == "got hi hello"
    peer.join()
    assert peer.result["value"] == b"hello\n"

    # A name goes through the resolver on the offload work queue.
    peer = peer_server(greet)
    assert control.ask(f"fetch localhost {PEER_PORT}") == "got hi hello"
    peer.join()

    assert control.ask(f"fetch 127.0.0.1 {CLOSED_PORT}") == "error connection refused"
    assert control.ask(f"fetch no-such-host.invalid {PEER_PORT}") == "error host name not found"
    assert control.ask("fetch 127.0.0.1 notaport") == "error value out of range"
    assert control.stats()["open"] == base["open"]


def test_cancelled_readline_keeps_the_partial_line(dut: DeviceAdapter, control: Control):
    def partial(conn: socket.socket) -> bytes:
        conn.sendall(b"par")
        said = conn.makefile("rb").readline()
        conn.sendall(b"tial\n")
        conn.recv(1)  # until the app closes
        return said

    peer = peer_server(partial)
    assert control.ask(f"cancel-readline {PEER_PORT}") == "buffered=3 line=partial"
    peer.join()
    assert peer.result["value"] == b"timed out\n"


def test_cancelled_drain_keeps_the_unsent_bytes(dut: DeviceAdapter, control: Control):
    total = 16 << 20
    ready = threading.Event()

    def slow_reader(conn: socket.socket) -> bool:
        ready.wait(TIMEOUT)
        data = bytearray()
        while chunk := conn.recv(1 << 20):
            data += chunk
        expected = bytes(i % 251 for i in range(251)) * (total // 251 + 1)
        return len(data) == total and data == expected[:total]

    peer = peer_server(slow_reader)
    control.sock.sendall(f"cancel-drain {PEER_PORT}\n".encode())
    blocked = control.read()
    assert re.fullmatch(r"blocked left=\d+", blocked), blocked
    assert 0 < int(blocked.split("=")[1]) < total
    ready.set()
    assert control.read() == f"sent={total}"
    peer.join()
    assert peer.result["value"] is True


def test_closing_the_server_leaves_its_connections_alone(dut: DeviceAdapter, control: Control):
    client = line_client()
    assert exchange(client, b"one\n") == b"one\n"
    assert control.ask("close-server") == "closed serving=false"
    assert exchange(client, b"two\n") == b"two\n"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", LINE_PORT), timeout=TIMEOUT)
    client.close()
    # Listener gone, the connection gone: the control listener and connection remain.
    wait_for_stats(control, open=2, served=1)


UDP_SINK_PORT = 4320
UDP_ECHO_PORT = 4321
FLOOD = 20000


def kernel_udp_drops() -> int:
    """The host kernel's count of UDP datagrams dropped for a full receive buffer (NSOS
    sockets are host sockets): /proc/net/snmp's Udp RcvbufErrors."""
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Udp:")]
    return int(rows[1][rows[0].index("RcvbufErrors")])


@pytest.mark.parametrize("hold_ms", [0, 300], ids=["reading", "busy"])
def test_udp_flood_is_counted_not_hidden(dut: DeviceAdapter, control: Control, hold_ms: int):
    """A host sender as fast as it can: every datagram is either received once or counted as
    lost; the endpoint's own count agrees; the socket is gone afterwards. A device busy for
    300 ms while the flood arrives loses datagrams (the socket's buffer is full), and reports
    no fewer than the host kernel says it dropped."""
    base = control.stats()
    control.sock.sendall(f"udp-sink {UDP_SINK_PORT} {FLOOD} {hold_ms}\n".encode())
    assert control.read() == "udp bound"
    drops_before = kernel_udp_drops()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(FLOOD):
        sender.sendto(struct.pack(">I", i) + bytes(60), ("127.0.0.1", UDP_SINK_PORT))
    sender.close()
    reply = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", control.read())}
    kernel_drops = kernel_udp_drops() - drops_before
    print(f"udp flood, held {hold_ms} ms: {reply}, host kernel drops {kernel_drops}")
    assert reply["received"] + reply["lost"] == FLOOD
    # Every datagram lost was dropped by the socket for a full buffer (other traffic may add
    # to the system-wide count, never take from it).
    assert reply["lost"] <= kernel_drops
    if hold_ms:
        assert reply["lost"] > 0
    assert reply["received"] > 0
    assert (reply["duplicates"], reply["malformed"]) == (0, 0)
    assert reply["counted"] == reply["received"]
    wait_for_stats(control, open=base["open"])


def test_udp_echo_and_a_datagram_too_big(dut: DeviceAdapter, control: Control):
    """Each datagram is answered; one longer than the device's 512-byte buffer is an error the
    endpoint reports and goes on after."""
    base = control.stats()
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    peer.bind(("127.0.0.1", 0))
    peer.settimeout(TIMEOUT)
    control.sock.sendall(f"udp-echo {UDP_ECHO_PORT} {peer.getsockname()[1]}\n".encode())
    assert control.read() == "udp bound"
    for payload, answer in [(b"hello", b"hello"), (b"x" * 512, b"x" * 512),
                            (b"y" * 2000, b"truncated 2000"), (b"after", b"after")]:
        peer.sendto(payload, ("127.0.0.1", UDP_ECHO_PORT))
        assert peer.recvfrom(4096)[0] == answer
    peer.sendto(b"quit", ("127.0.0.1", UDP_ECHO_PORT))
    assert control.read() == "echoed=3 truncated=1 from_elsewhere=0 sent=4"
    peer.close()
    wait_for_stats(control, open=base["open"])
