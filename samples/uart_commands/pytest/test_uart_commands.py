# A host program (pyserial) types commands on the device's second UART, a pseudo-terminal of
# the host, while the device's sensor task samples on; bad input gets an answer, not a crash.
import re
import time

import serial
from twister_harness import DeviceAdapter

TIMEOUT = 10


def open_uart(dut: DeviceAdapter) -> serial.Serial:
    """The PTY native_sim connected uart_1 to, as printed at boot."""
    line = dut.readlines_until(regex=r"uart_1 connected to pseudotty: ", timeout=TIMEOUT)[-1]
    path = re.search(r"pseudotty: (\S+)", line).group(1)
    dut.readlines_until(regex="commands on uart1: type help", timeout=TIMEOUT)
    return serial.Serial(path, 115200, timeout=TIMEOUT)


def ask(port: serial.Serial, line: bytes) -> str:
    port.write(line + b"\n")
    answer = port.readline()
    assert answer.endswith(b"\r\n"), f"no answer to {line[:20]!r}: {answer!r}"
    return answer.decode().strip()


def test_commands_beside_the_sensor_task(dut: DeviceAdapter):
    port = open_uart(dut)
    assert ask(port, b"help") == "commands: ping, accel, stats, help"
    assert ask(port, b"ping") == "pong"
    first = re.fullmatch(r"accel z 9\.8\d\d m/s2 \((\d+) samples\)", ask(port, b"accel"))
    assert first, "the sensor task did not read the emulator's 9.81 m/s2"
    # The sensor task samples on (every 200 ms) while the command line waits for input.
    samples = int(first.group(1))
    deadline = time.monotonic() + TIMEOUT
    while samples <= int(first.group(1)) and time.monotonic() < deadline:
        time.sleep(0.25)
        samples = int(re.search(r"\((\d+) samples\)", ask(port, b"accel")).group(1))
    assert samples > int(first.group(1)), "no new sample while the command line ran"
    # The command line and the sensor task (main is the command line); every wake had work.
    stats = ask(port, b"stats")
    assert re.fullmatch(r"2 tasks, \d+ parks in k_poll, 0 idle wake-ups", stats), stats


def test_bad_input_gets_an_answer(dut: DeviceAdapter):
    port = open_uart(dut)
    assert ask(port, b"bogus") == "unknown command 'bogus'"
    assert ask(port, b"x" * 200) == "error: line longer than 64 bytes, ignored"
    # Commands in random chunks, and several in one write, arrive whole and in order.
    port.write(b"pi")
    port.flush()
    port.write(b"ng\nhel")
    port.flush()
    port.write(b"p\nping\n")
    assert [port.readline() for _ in range(3)] == [
        b"pong\r\n",
        b"commands: ping, accel, stats, help\r\n",
        b"pong\r\n",
    ]
    # The peer goes away and comes back: the device still answers.
    path = port.port
    port.close()
    port = serial.Serial(path, 115200, timeout=TIMEOUT)
    assert ask(port, b"ping") == "pong"
