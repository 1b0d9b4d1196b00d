"""Host workloads (x86-64): the asyncio core against tokio's current-thread runtime and futures'
LocalPool, from rust/asyncio-bench, in one process."""

import json
import os
import shutil
import subprocess

from .report import Table, ratio

TITLES = {
    "yield_ping_pong": "1. Task switch: two tasks ping-pong through yield_now (ns per switch)",
    "event_ping_pong": "1b. Task switch through an Event (tokio: Notify) (ns per switch)",
    "spawn_and_gather": "2. Spawn + await: 10 000 tasks returning a value, gathered (ns per task)",
    "timers": "3. Timers: 10 000 tasks sleeping random 1-10 000 ms, virtual clock (ns per timer)",
    "timers_gathered": "3b. The same 10 000 sleepers awaited through one gather (ns per timer)",
    "event_fan_out": "4. Event fan-out: one set wakes 1 000 waiters (ns per waiter)",
}


def missing():
    return None if shutil.which("cargo") else "cargo is not installed"


def _results(ctx):
    cmd = ["cargo", "run", "--release", "-q", "-p", "asyncio-bench", "--"]
    if ctx.smoke:
        cmd.append("--smoke")
    out = subprocess.run(cmd, cwd=os.path.join(ctx.repo, "rust"), capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def run(ctx):
    results = _results(ctx)
    tables = []
    for workload, title in TITLES.items():
        rows = [r for r in results if r["workload"] == workload]
        ours = next(r["ns_per_op"] for r in rows if r["peer"] == "asyncio")
        table = Table(title, ["executor", "ns per op", "ratio to asyncio (above 1: asyncio is cheaper)"])
        for r in rows:
            table.row(r["peer"], f'{r["ns_per_op"]:.1f}', ratio(r["ns_per_op"], ours))
        tables.append(table)
    tables[0].note("Fastest of 5 runs, release builds, same process. Peers without the "
                   "primitive are left out: LocalPool has no events or timers. embassy-executor "
                   "is not measured on the host yet.")
    gathered = next(t for t in tables if t.title.startswith("3b."))
    gathered.note("Missed: gather re-examines every child each time one finishes, so n children "
                  "finishing one at a time cost O(n^2) in all (compare 3., the same timers "
                  "awaited one handle at a time: the timer queue itself is a binary heap, "
                  "O(log n) per insert and fire). What would close it: count finished children "
                  "in the completion callback instead of scanning, and scan only on failure.")
    overhead = next(r["bytes"] for r in results if r["workload"] == "task_overhead")
    mem = Table("6. Memory per task (host, 64-bit)", ["measure", "bytes", "target"])
    # On 32-bit only pointers shrink, to half: half the 64-bit figure is a lower bound there.
    verdict = (f"missed: at least {overhead // 2} B on 32-bit" if overhead // 2 > 32
               else "not decided on 64-bit: measure on 32-bit")
    mem.row("allocated per create_task beyond the future and its handle", overhead,
            "32 B on 32-bit: " + verdict)
    mem.note("Counted by a global allocator over 1 000 tasks. What it holds: the task's header "
             "(run-queue and task-list links, state, name, poll count), its waker, the result "
             "cell shared with the handle, and the allocator's rounding. Measured on 64-bit, "
             "where pointers are twice the size of Cortex-M's; the target is for 32-bit.")
    tables.append(mem)
    return tables
