"""Host workloads (x86-64): the asyncio core against tokio's current-thread runtime, embassy's
raw executor and futures' LocalPool, from rust/asyncio-bench, in one process; and MicroPython's
unix port on the same workloads (micropython/workloads.py) when MICROPYTHON_SRC names a
MicroPython source tree to build it from."""

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


# The unix port without the parts that need git submodules (which a source snapshot lacks);
# asyncio is then not frozen in but loaded from extmod/ through MICROPYPATH.
MICROPYTHON_MAKE = ["FROZEN_MANIFEST=", "MICROPY_PY_BTREE=0", "MICROPY_PY_SSL=0",
                    "MICROPY_PY_FFI=0", "MICROPY_SSL_AXTLS=0", "MICROPY_SSL_MBEDTLS=0"]


def _json_lines(out):
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


LEAN = "asyncio, lean tasks"


def _rust_results(ctx, lean=False):
    """The Rust executors' results; with `lean`, only the core's, built with lean tasks (the
    task-info feature off) and named LEAN."""
    cmd = ["cargo", "run", "--release", "-q", "-p", "asyncio-bench"]
    if lean:
        cmd.append("--no-default-features")
    cmd.append("--")
    if ctx.smoke:
        cmd.append("--smoke")
    results = _json_lines(subprocess.run(cmd, cwd=os.path.join(ctx.repo, "rust"),
                                         capture_output=True, text=True, check=True).stdout)
    if lean:
        results = [dict(r, peer=LEAN) for r in results if r.get("peer") == "asyncio"]
    return results


def micropython_missing():
    """Why MicroPython cannot be measured here, or None."""
    src = os.environ.get("MICROPYTHON_SRC")
    if not src:
        return ("set MICROPYTHON_SRC to a MicroPython source tree (its unix port is built from "
                "it) to add MicroPython's row")
    if not os.path.isfile(os.path.join(src, "ports", "unix", "Makefile")):
        return f"MICROPYTHON_SRC={src} has no ports/unix/Makefile"
    return None


def _micropython_results(ctx):
    src = os.environ["MICROPYTHON_SRC"]
    build = os.path.join(ctx.build_root, "micropython")
    prog = os.path.join(build, "micropython")
    print(f"+ make -C {src}/ports/unix (MicroPython, into {build})", flush=True)
    with open(os.path.join(ctx.build_root, "micropython.log"), "w") as log:
        subprocess.run(["make", "-C", os.path.join(src, "ports", "unix"), "-j2", f"BUILD={build}",
                        "PROG=micropython"] + MICROPYTHON_MAKE, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
    script = os.path.join(os.path.dirname(__file__), "micropython", "workloads.py")
    env = dict(os.environ, MICROPYPATH=os.path.join(src, "extmod"))
    out = subprocess.run([prog, script, "1" if ctx.smoke else "100"], env=env,
                         capture_output=True, text=True, check=True).stdout
    return _json_lines(out)


def run(ctx):
    results = _rust_results(ctx)
    if not ctx.smoke:
        results += _rust_results(ctx, lean=True)
    no_micropython = micropython_missing()
    if not no_micropython:
        results += _micropython_results(ctx)
    tables = []
    for workload, title in TITLES.items():
        rows = [r for r in results if r["workload"] == workload]
        ours = next(r["ns_per_op"] for r in rows if r["peer"] == "asyncio")
        table = Table(title, ["executor", "ns per op", "ratio to asyncio (above 1: asyncio is cheaper)"])
        for r in rows:
            table.row(r["peer"], f'{r["ns_per_op"]:.1f}', ratio(r["ns_per_op"], ours))
        tables.append(table)
    tables[0].note("Fastest of 5 runs, release builds, same process. Peers without the "
                   "primitive are left out: LocalPool has no events or timers; embassy's timers "
                   "need an embassy-time driver and embassy-sync has no broadcast event. "
                   "embassy runs its raw executor polled until idle (embassy-executor "
                   "0.9, no arch feature), with embassy-sync's Signal as the event.")
    _verdicts(tables, results, no_micropython)
    spawn = next(t for t in tables if t.title.startswith("2."))
    spawn.note("embassy tasks come from a static pool (10 000 slots here) and return nothing: "
               "each child adds its value to a shared cell. Spawning scans the pool for a free "
               "slot, so its cost grows with the pool. MicroPython's cost per task grows with "
               "n at this size (about 13 us per task at 3 000 children on this machine); we "
               "have not analysed why.")
    gathered = next(t for t in tables if t.title.startswith("3b."))
    gathered.note("Gather costs O(1) per child finishing (each child's completion reports to "
                  "the gather's inbox), so this stays close to 3.: the timer queue is a binary "
                  "heap, O(log n) per insert and fire.")
    tables.append(_memory(results))
    return tables


def _ns(results, workload, peer):
    return next((r["ns_per_op"] for r in results
                 if r["workload"] == workload and r["peer"] == peer), None)


def _verdicts(tables, results, no_micropython):
    switch = tables[0]
    ours = _ns(results, "yield_ping_pong", "asyncio")
    embassy = _ns(results, "yield_ping_pong", "embassy")
    lean = _ns(results, "yield_ping_pong", LEAN)
    lean_figure = f" ({lean / embassy:.1f}x with lean tasks)" if lean else ""
    switch.note(("Met" if ours <= 1.25 * embassy else "Missed") + ": target: a task switch at most "
                f"1.25x embassy's cost on the host; measured {ours / embassy:.1f}x{lean_figure}. "
                "Why: an embassy task is a static slot polled straight off its run queue; this "
                "loop's tasks carry what asyncio promises (cancellation delivered at the next "
                "await, results kept for their awaiters, names, poll counts and what they wait "
                "on for the task dump), each task is reference-counted (handles outlive it), "
                "and every round also collects the interrupt-safe wake queue and asks the "
                "platform for I/O readiness. What would close it: a wake from the loop's own "
                "thread straight onto the run queue (every wake now takes the interrupt-safe "
                "queue's compare-and-swap, and each round reverses that queue), one pass over "
                "the wake queues per round instead of two, and no I/O poll while no I/O source "
                "is registered.")
    if no_micropython:
        switch.note(f"MicroPython is not measured in this run: {no_micropython}.")
        return
    micropython = _ns(results, "yield_ping_pong", "MicroPython")
    switch.note(("Met" if micropython >= 20 * ours else "Missed") + ": target: a task switch at "
                f"least 20x cheaper than MicroPython's; measured {micropython / ours:.0f}x. "
                "MicroPython: its unix port built from MICROPYTHON_SRC without the modules that "
                "need git submodules, running micropython/workloads.py (the same workloads in "
                "Python, timed with time.ticks_us).")


def _memory(results):
    overhead = next(r["bytes"] for r in results if r["workload"] == "task_overhead")
    mem = Table("6. Memory per task (host, 64-bit)", ["measure", "bytes", "target"])
    mem.row("allocated per create_task beyond its future or output", overhead,
            "48 B on 32-bit: measured there in the qemu_cortex_m3 section")
    lean = next((r["bytes"] for r in results
                 if r["workload"] == "task_overhead" and r["peer"] == LEAN), None)
    if lean is not None:
        mem.row("the same, lean tasks", lean, "32 B on 32-bit (as above)")
    mem.note("Counted by a global allocator over 1 000 tasks (their handles' Vec allocated "
             "beforehand), less the larger of the task's future and its output. What it holds: "
             "the task's header; see the "
             "qemu_cortex_m3 section for the 32-bit figure and its breakdown.")
    return mem
