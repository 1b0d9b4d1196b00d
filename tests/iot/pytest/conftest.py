# The app's control port, shared by the test files of this app.
import pathlib
import re
import socket
import sys
import threading

import pytest
from twister_harness import DeviceAdapter

# The host-side helpers the test apps share (tests/common: the TLS test certificates).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "common"))

from mqtt_peer import TIMEOUT  # noqa: E402

CONTROL_PORT = 4400


class Control:
    def __init__(self, dut: DeviceAdapter):
        dut.readlines_until(regex="iot lab ready", timeout=TIMEOUT)
        self.sock = socket.create_connection(("127.0.0.1", CONTROL_PORT), timeout=TIMEOUT)
        self.lines = self.sock.makefile("rb")

    def ask(self, command: str) -> str:
        self.sock.sendall(command.encode() + b"\n")
        return self.lines.readline().decode().rstrip("\n")

    def counts(self) -> dict:
        reply = self.ask("mqtt-counts")
        counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", reply)}
        counts["last_error"] = reply.split("last_error=", 1)[1]
        return counts

    def wait_counts(self, predicate) -> dict:
        """Polls the counts until `predicate` holds (the app acts a moment after the host);
        fails after TIMEOUT seconds' worth of polls."""
        for _ in range(TIMEOUT * 20):
            counts = self.counts()
            if predicate(counts):
                return counts
            threading.Event().wait(0.05)
        pytest.fail(f"the counts never got there: {counts}")


@pytest.fixture
def control(dut: DeviceAdapter) -> Control:
    return Control(dut)


