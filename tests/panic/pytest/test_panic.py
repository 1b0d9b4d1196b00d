# A panic in a task ends the firmware: a Zephyr fatal error (exit status 1 on native_sim) whose
# report names the asyncio task that was running. The firmware ends on its own within
# milliseconds, so this runs it to completion rather than attaching a live device.
import subprocess

from twister_harness.twister_harness_config import TwisterHarnessConfig


def test_a_panic_is_a_fatal_error_that_names_the_task(twister_harness_config: TwisterHarnessConfig):
    exe = twister_harness_config.devices[0].build_dir / "zephyr" / "zephyr.exe"
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    text = run.stdout + run.stderr
    print(text)
    assert run.returncode == 1, f"a fatal error halts the firmware (status {run.returncode})"
    assert "waiting for the reading" in text
    assert "panic: panicked at" in text
    assert "index out of bounds" in text
    assert "ZEPHYR FATAL ERROR" in text
    assert "asyncio: fatal error in task 'sensor-reader'" in text
    assert "Halting system" in text
