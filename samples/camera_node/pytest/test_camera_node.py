# The camera node against a real mosquitto broker (started here on the port sample.yaml sets):
# metadata for every frame, a whole frame every Nth, a heartbeat, and the same commands from an
# MQTT topic and from the serial console.
import re
import sys
from pathlib import Path

import pytest
from twister_harness import DeviceAdapter

# The host's MQTT side is the IoT tests' (a broker, a small MQTT client).
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests" / "iot" / "pytest"))
from mqtt_peer import TIMEOUT, Broker, Peer  # noqa: E402

BROKER_PORT = 18830
FRAME_BYTES = 320 * 160 * 2
NODE = "camera-node"


@pytest.fixture
def broker(tmp_path):
    broker = Broker(str(tmp_path), port=BROKER_PORT)
    broker.start()
    yield broker
    broker.stop()


def next_on(host: Peer, leaf: str, limit: int = 1000) -> bytes:
    """The next message on `<node>/<leaf>`, skipping the others (at most `limit`)."""
    for _ in range(limit):
        topic, payload = host.receive_raw(1)[0]
        if topic == f"{NODE}/{leaf}":
            return payload
    pytest.fail(f"nothing on {leaf} in {limit} messages")


def ask(host: Peer, command: str) -> str:
    host.publish(f"{NODE}/cmd", command)
    return next_on(host, "status").decode()


def console(dut: DeviceAdapter, line: str, until: str) -> str:
    dut.write(line.encode() + b"\n")
    return dut.readlines_until(regex=until, timeout=TIMEOUT)[-1]


def frame_number(meta: bytes) -> int:
    m = re.fullmatch(r"frame (\d+) sequence (\d+) at (\d+) ms", meta.decode())
    assert m, meta
    return int(m.group(1))


def test_a_camera_node_on_mqtt(broker: Broker, dut: DeviceAdapter):
    host = Peer(broker.port, "operator")
    host.subscribe(f"{NODE}/#")
    dut.readlines_until(regex="ready: commands", timeout=TIMEOUT)

    # Metadata per frame, in capture order; a whole frame every 30th; the heartbeat.
    first = frame_number(next_on(host, "meta"))
    assert len(next_on(host, "frame")) == FRAME_BYTES
    assert frame_number(next_on(host, "meta")) > first
    assert re.fullmatch(r"\d+ s, \d+ frames", next_on(host, "heartbeat").decode())

    # The same commands from the broker and from the console.
    assert ask(host, "every 10") == "every 10 frames"
    assert ask(host, "stop") == "camera stopped"
    assert "paused" in console(dut, "status", until="^status: ")
    console(dut, "start", until="camera started")
    stopped_at = frame_number(next_on(host, "meta"))
    assert frame_number(next_on(host, "meta")) > stopped_at
    # Every 10th frame whole now: the next two whole frames are at most 10 metas apart.
    next_on(host, "frame")
    metas = 0
    while True:
        topic, payload = host.receive_raw(1)[0]
        if topic == f"{NODE}/frame":
            break
        metas += topic == f"{NODE}/meta"
    assert metas <= 10, metas
    assert ask(host, "zoom").startswith("unknown command 'zoom'")
    assert "capturing" in ask(host, "status")
    host.close()
