# The capstone running in real time: frames at the camera's rate while the heartbeat keeps
# its period, the uploader streams each frame's checksum to a receiver on the host, and the
# console stops and restarts the camera.
import re
import socket
import threading

from twister_harness import DeviceAdapter

TIMEOUT = 10
REPORT = re.compile(
    r"(\d+) s: (\d+) fps, (\d+) dropped as stale, (\d+) failed, (\d+) uploaded \((\d+) not\), "
    r"brightness (\d+), heartbeat jitter (\d+) ms"
)


def next_report(dut: DeviceAdapter) -> dict[str, int]:
    line = dut.readlines_until(regex=REPORT.pattern, timeout=TIMEOUT)[-1]
    values = map(int, REPORT.search(line).groups())
    keys = ["second", "fps", "stale", "failed", "uploaded", "not_uploaded", "brightness", "jitter"]
    return dict(zip(keys, values))


def command(dut: DeviceAdapter, line: str, until: str) -> str:
    dut.write(line.encode() + b"\n")
    return dut.readlines_until(regex=until, timeout=TIMEOUT)[-1]


class Receiver:
    """The host side of the uploader: collects the lines it sends to port 4400."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 4400))
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.listener.accept()
        with conn, conn.makefile("r") as stream:
            for line in stream:
                self.lines.append(line.rstrip("\n"))

    def close(self):
        self.listener.close()


UPLOAD = re.compile(r"frame (\d+) checksum ([0-9a-f]{8}) brightness (\d+)")


def test_capture_beside_other_tasks(dut: DeviceAdapter):
    receiver = Receiver()
    dut.readlines_until(regex="ready: commands fps, drops, stop, start", timeout=TIMEOUT)
    next_report(dut)  # the first second includes the start
    report = next_report(dut)
    assert report["fps"] >= 25, report
    assert report["failed"] == 0, report
    assert report["uploaded"] > 0, report
    assert report["brightness"] > 0, report
    assert report["jitter"] <= 1, report

    assert "the camera runs at 30" in command(dut, "fps", until=r"^fps: ")
    assert re.search(r"drops: \d+ stale, 0 failed, \d+ not uploaded", command(dut, "drops", until="^drops: "))

    command(dut, "stop", until="camera stopped")
    next_report(dut)  # partly before the stop
    assert next_report(dut)["fps"] == 0

    command(dut, "start", until="camera started")
    next_report(dut)  # partly before the start
    report = next_report(dut)
    assert report["fps"] >= 25, report
    assert report["jitter"] <= 1, report

    assert "unknown command 'zoom'" in command(dut, "zoom", until="unknown command")

    # The receiver got a line per uploaded frame, in capture order, each frame of the test
    # pattern with the same checksum.
    uploads = [UPLOAD.fullmatch(line) for line in receiver.lines]
    receiver.close()
    assert len(uploads) >= report["uploaded"] > 0 and all(uploads), receiver.lines[:5]
    numbers = [int(m.group(1)) for m in uploads]
    assert numbers == sorted(set(numbers))
    assert len({m.group(2) for m in uploads}) == 1
