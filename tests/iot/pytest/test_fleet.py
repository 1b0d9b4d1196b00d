# A fleet: 20 native_sim devices, each its own process (this app's image started with
# `--fleet-id`), publish telemetry at QoS 1 to one mosquitto broker; a host subscriber counts
# every message of every device. The broker is the shared engine, not code of ours.
import subprocess
import time

from twister_harness import DeviceAdapter

from mqtt_peer import TIMEOUT, Broker, Peer

DEVICES = 20
TELEMETRY = 50  # per device: src/fleet.rs


def test_twenty_devices_publish_to_one_broker(device_object: DeviceAdapter, tmp_path):
    image = device_object.device_config.app_build_dir / "zephyr" / "zephyr.exe"
    broker = Broker(str(tmp_path))
    broker.start()
    host = Peer(broker.port, "fleet-host")
    host.subscribe("fleet/+/t", qos=1)
    devices = [
        subprocess.Popen([str(image), f"--fleet-id=dev-{i:02}", f"--fleet-port={broker.port}"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for i in range(DEVICES)
    ]
    try:
        deadline = time.monotonic() + 3 * TIMEOUT
        outputs = [d.communicate(timeout=max(1, deadline - time.monotonic()))[0] for d in devices]
        assert [d.returncode for d in devices] == [0] * DEVICES, outputs
        assert all(f"published={TELEMETRY}" in out for out in outputs), outputs

        readings: dict[str, set[int]] = {f"dev-{i:02}": set() for i in range(DEVICES)}
        while any(len(r) < TELEMETRY for r in readings.values()):
            topic, payload = host.receive(1)[0]
            _, device, _ = topic.split("/")
            readings[device].add(int(payload))
        # Every reading of every device, and nothing else (QoS 1 may repeat one).
        assert all(r == set(range(TELEMETRY)) for r in readings.values())
    finally:
        for d in devices:
            if d.poll() is None:
                d.kill()
        host.close()
        broker.stop()
