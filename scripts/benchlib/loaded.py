"""Table 5c, shared by the native_sim and qemu_cortex_m3 reports: the ISR to task latency of a
flag set by a timer while ten tasks each hold the loop 5 ms per poll (bench/zephyr_peers'
`loaded` and `loaded-urgent` workloads), waited for plainly and with asyncio::urgent."""

import re

from .report import Table

SLICE_US = 5000
HOGS = 10
MODES = {"loaded": "plain wait (round-robin)", "loaded-urgent": "urgent(wait)"}


def parse(lines):
    """{workload: (mean µs, largest µs, wakes)} from the `bench-loaded-latency` lines."""
    figures = {}
    for line in lines:
        m = re.search(r"bench-loaded-latency (\S+) (\d+) (\d+) (\d+) (\d+)", line)
        if m:
            workload, n, total, largest, hz = m.group(1), *map(int, m.groups()[1:])
            figures[workload] = (total / n * 1e6 / hz, largest * 1e6 / hz, n)
    missing = set(MODES) - set(figures)
    if missing:
        raise SystemExit(f"no bench-loaded-latency line for {', '.join(sorted(missing))}")
    return figures


def table(figures, clock):
    """The table; `clock` says what the microseconds are (simulated time, emulated cycles)."""
    t = Table(f"5c. ISR to task under load: {HOGS} tasks each hold the loop {SLICE_US // 1000} ms "
              "per poll; a timer interrupt sets the flag another task waits for (µs from the "
              "expiry to the woken task running)", ["wait", "mean µs", "largest µs"])
    for workload, name in MODES.items():
        mean, largest, _ = figures[workload]
        t.row(name, f"{mean:.0f}", f"{largest:.0f}")
    wakes = figures["loaded"][2]
    t.note(f"{wakes} expiries of a one-shot timer, each armed by the woken task at a different "
           f"phase of the busy tasks' {HOGS * SLICE_US // 1000} ms round (51 to 101 ms later, "
           "stepping by a prime: at most one expiry per round); each busy task calls "
           f"k_busy_wait(5000) (a long synchronous call) and yields. {clock} A plain wait runs "
           "after every task that was ready before it (the round-robin figure); an urgent one "
           "runs as soon as the poll in progress returns. The loop lets a task jump the queue "
           "once per round, so that urgent tasks cannot starve the others: a second urgent wake "
           "within the same round waits for the next round's front (at most one round).")
    largest = figures["loaded-urgent"][1]
    met = largest <= SLICE_US * 1.1
    t.note(("Met" if met else "Missed") + f": target: an urgent wait's latency stays within one "
           f"task's slice ({SLICE_US} µs, 10% margin for the loop's own work); largest measured "
           f"{largest:.0f} µs, against {figures['loaded'][1]:.0f} µs for the plain wait.")
    return t
