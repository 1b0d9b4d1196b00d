# The console task answers commands typed on the UART (stdin on native_sim) while the other
# tasks keep running, and bad input gets an error, not a crash.
import re

from twister_harness import DeviceAdapter

TIMEOUT = 10


def command(dut: DeviceAdapter, line: str, until: str) -> list[str]:
    dut.write(line.encode() + b"\n")
    return dut.readlines_until(regex=until, timeout=TIMEOUT)


def task_listing(dut: DeviceAdapter) -> dict[str, str]:
    """`tasks`, as {name: what it waits for}; the console lists itself as ready."""
    lines = command(dut, "tasks", until=r"^\s+console\s")
    lines += command(dut, "status", until=r"^uptime ")
    tasks = {}
    for line in lines:
        m = re.match(r"^\s+(\S+)\s+(.+)$", line)
        if m:
            tasks[m.group(1)] = m.group(2).strip()
    return tasks


def test_commands_while_tasks_run(dut: DeviceAdapter):
    dut.readlines_until(regex="ready: type help", timeout=TIMEOUT)
    command(dut, "help", until="commands: status, tasks, dump, cancel <name>, help")

    tasks = task_listing(dut)
    assert tasks["console"] == "ready"
    assert tasks["calibration"] == "Event"
    assert re.fullmatch(r"sleep until \d+ ms", tasks["heartbeat"]), tasks
    assert tasks["main"] == "task console"

    # The heartbeat goes on while the console waits for input.
    dut.readlines_until(regex=r"ms: heartbeat", timeout=TIMEOUT)

    status = command(dut, "status", until=r"^uptime ")[-1]
    assert re.match(r"uptime \d+ ms, 4 tasks, \d+ scheduling rounds, \d+ parks in k_poll, 0 lines dropped", status)

    # The full listing: counters, then state, age and polls per task.
    # (rows in the loop's task order; the status line after them marks the end)
    listing = command(dut, "dump", until=r"^\s+name\s+state")
    listing += command(dut, "status", until=r"^uptime ")
    assert any(re.match(r"asyncio: 4 tasks \(\d+ created\), \d+ polls", l) for l in listing), listing
    beat = next(l for l in listing if l.strip().startswith("heartbeat"))
    assert re.search(r"sleep until \d+ ms\s+\d+\s+\d+$", beat), beat

    command(dut, "cancel heartbeat", until="cancelled heartbeat")
    tasks = task_listing(dut)
    assert "heartbeat" not in tasks
    assert set(tasks) == {"console", "calibration", "main"}


def test_bad_input_gets_an_error(dut: DeviceAdapter):
    dut.readlines_until(regex="ready: type help", timeout=TIMEOUT)
    command(dut, "bogus", until=r"unknown command 'bogus'")
    command(dut, "cancel", until=r"unknown command 'cancel'")
    command(dut, "cancel nobody", until=r"no task named 'nobody'")
    command(dut, "cancel console", until="not cancelling the console itself")
    command(dut, "x" * 200, until=r"error: line longer than 64 bytes, ignored")
    # Still answering.
    command(dut, "status", until=r"^uptime ")
