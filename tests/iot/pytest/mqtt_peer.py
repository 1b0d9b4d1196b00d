"""The host's side of the MQTT tests: a mosquitto broker on a loopback port, a small MQTT 3.1.1
client (the broker speaks both versions; the device speaks 5), and fake brokers that misbehave
on purpose. Standard library only."""
import os
import pwd
import queue
import signal
import socket
import struct
import subprocess
import threading
import time

TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def encode_length(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def text(s: str) -> bytes:
    data = s.encode()
    return struct.pack("!H", len(data)) + data


def packet(first: int, body: bytes) -> bytes:
    return bytes([first]) + encode_length(len(body)) + body


def read_packet(sock: socket.socket) -> tuple[int, bytes]:
    """One packet: its first byte and its body. EOFError when the peer closed."""
    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    first = exactly(1)[0]
    length, shift = 0, 0
    while True:
        byte = exactly(1)[0]
        length |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return first, exactly(length)


class Broker:
    """mosquitto on a loopback port (`port`, or a free one), with persistence in `directory`
    (kept across restarts)."""

    def __init__(self, directory: str, port: int = 0, tls=None):
        self.port = port or free_port()
        self.tls_port = free_port() if tls else None
        self.config = os.path.join(directory, "mosquitto.conf")
        with open(self.config, "w") as f:
            # As root, mosquitto drops to the user `mosquitto` unless told to stay this user,
            # and could then not write its files in the test's directory.
            f.write(f"user {pwd.getpwuid(os.getuid()).pw_name}\n"
                    f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                    f"persistence true\npersistence_location {directory}/\n"
                    f"log_dest file {directory}/mosquitto.log\n")
            if tls:  # a second listener, TLS 1.3 with `tls` (a tls_certs.Cert) as its identity
                f.write(f"listener {self.tls_port} 127.0.0.1\ncafile {tls.pem}\n"
                        f"certfile {tls.pem}\nkeyfile {tls.key}\ntls_version tlsv1.3\n")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(["mosquitto", "-c", self.config])
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"mosquitto exited with {self.process.returncode}")
                time.sleep(0.02)
        raise RuntimeError("mosquitto never listened")

    def stop(self):
        """Stops it the way a service manager does (it saves its persistent sessions)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(TIMEOUT)
        self.process = None


class Peer:
    """An MQTT 3.1.1 client: publishes, subscribes, and collects what comes in."""

    def __init__(self, port: int, client_id: str, clean: bool = True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        flags = 0x02 if clean else 0x00
        body = text("MQTT") + bytes([4, flags]) + struct.pack("!H", 60) + text(client_id)
        self.sock.sendall(packet(0x10, body))
        first, ack = read_packet(self.sock)
        assert first == 0x20 and ack[1] == 0, f"CONNACK {first:#x} {ack!r}"
        self.messages: queue.Queue = queue.Queue()
        self.arrivals: list[tuple[float, str]] = []  # (time.monotonic(), topic) per message
        self.acks: queue.Queue = queue.Queue()
        self.next_pid = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                first, body = read_packet(self.sock)
                kind = first >> 4
                if kind == 3:  # PUBLISH
                    qos = (first >> 1) & 3
                    (n,) = struct.unpack("!H", body[:2])
                    topic, rest = body[2:2 + n].decode(), body[2 + n:]
                    if qos:
                        pid, rest = rest[:2], rest[2:]
                        self.sock.sendall(packet(0x40, pid))  # PUBACK
                    self.arrivals.append((time.monotonic(), topic))
                    self.messages.put((topic, rest))
                else:
                    self.acks.put(kind)
        except (EOFError, OSError):
            pass

    def _pid(self) -> bytes:
        pid, self.next_pid = self.next_pid, self.next_pid + 1
        return struct.pack("!H", pid)

    def subscribe(self, topic: str, qos: int = 1):
        self.sock.sendall(packet(0x82, self._pid() + text(topic) + bytes([qos])))
        assert self.acks.get(timeout=TIMEOUT) == 9  # SUBACK

    def publish(self, topic: str, payload: str, qos: int = 1):
        pid = self._pid() if qos else b""
        self.sock.sendall(packet(0x30 | qos << 1, text(topic) + pid + payload.encode()))
        if qos:
            assert self.acks.get(timeout=TIMEOUT) == 4  # PUBACK

    def receive(self, count: int) -> list[tuple[str, str]]:
        """The next `count` messages, their payloads as text."""
        return [(t, p.decode(errors="replace")) for t, p in self.receive_raw(count)]

    def receive_raw(self, count: int) -> list[tuple[str, bytes]]:
        return [self.messages.get(timeout=TIMEOUT) for _ in range(count)]

    def close(self):
        self.sock.sendall(packet(0xE0, b""))  # DISCONNECT
        self.sock.close()


# MQTT 5 CONNACKs: session not present, the reason code, no properties.
CONNACK_OK = packet(0x20, b"\x00\x00\x00")
CONNACK_NOT_AUTHORIZED = packet(0x20, b"\x00\x87\x00")


class FakeBroker:
    """A listener that answers each connection's CONNECT with `replies[i]` (the i-th
    connection; later ones get nothing) and records what each connection sent after it."""

    def __init__(self, *replies: bytes):
        self.replies = list(replies)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[list[int]] = []  # per connection, the packet types it sent
        self.changed = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            with self.changed:
                index = len(self.connections)
                self.connections.append([])
                self.changed.notify_all()
            threading.Thread(target=self._serve, args=(sock, index), daemon=True).start()

    def _serve(self, sock: socket.socket, index: int):
        try:
            while True:
                first, _ = read_packet(sock)
                with self.changed:
                    self.connections[index].append(first >> 4)
                    self.changed.notify_all()
                if first >> 4 == 1 and index < len(self.replies):  # CONNECT
                    sock.sendall(self.replies[index])
        except (EOFError, OSError):
            pass

    def wait_for(self, predicate) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: predicate(self.connections), TIMEOUT), \
                f"the fake broker saw {self.connections}"

    def close(self):
        self.listener.close()
