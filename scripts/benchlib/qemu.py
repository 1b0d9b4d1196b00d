"""Cycles per operation on qemu_cortex_m3: the asyncio loop against zephyr-lang-rust's embassy
executor and Zephyr threads (workloads 1, 2, 5 and 5b), and the loop's memory per task on 32-bit,
from bench/zephyr_peers.

QEMU runs with icount (the board's default, shift 6: each instruction advances the clock by
64 ns), so the cycle counter (12 MHz) moves with the instructions executed, deterministically.
The image measures everything in one boot and prints one line per figure."""

import os
import re
import shutil
import subprocess
import threading

from .footprint import ARM_ENV
from . import loaded
from .report import Table, ratio

BOARD = "qemu_cortex_m3"
PEER_NAMES = {
    "asyncio": "asyncio loop",
    "asyncio-lean": "asyncio loop, slow-task detector off",
    "asyncio-no-info": "asyncio loop, lean tasks (CONFIG_ASYNCIO_TASK_INFO=n)",
    "embassy": "embassy (zephyr-lang-rust executor)",
    "threads": "Zephyr threads",
}
OPS_PER_N = {"switch": 2, "spawn": 1}


def missing():
    for tool in ("arm-none-eabi-gcc", "qemu-system-arm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def _boot(build_dir, timeout=300):
    """Runs the image in QEMU until it prints `bench: all done`; its output."""
    proc = subprocess.Popen(["ninja", "-C", build_dir, "run"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    # A halted image prints nothing more: the watchdog ends QEMU, and with it the read below.
    watchdog = threading.Timer(timeout, os.killpg, (proc.pid, 9))
    watchdog.start()
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip())
            if "bench: all done" in line:
                break
    finally:
        watchdog.cancel()
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        proc.wait()
    if not any("bench: all done" in l for l in lines):
        raise SystemExit("qemu run did not finish:\n" + "\n".join(lines[-20:]))
    return lines


def _measure(ctx, lean):
    """Builds and boots the image, the default or the lean task configuration; its figures."""
    build_dir = os.path.join(ctx.build_root, "zephyr_peers_qemu" + ("_lean" if lean else ""))
    args = [f"-DZEPHYR_EXTRA_MODULES={ctx.repo}"]
    if lean:
        args.append("-DCONFIG_ASYNCIO_TASK_INFO=n")
    ctx.west_build(BOARD, os.path.join(ctx.repo, "bench", "zephyr_peers"), build_dir, args, ARM_ENV)
    lines = _boot(build_dir)
    cycles, latency, edge, memory, header = {}, {}, {}, None, []
    for line in lines:
        m = re.search(r"bench-cycles (\S+) (\S+) (\d+) (\d+) (\d+)", line)
        if m:
            peer, workload, n, one, two = m.groups()
            cycles.setdefault(workload, {})[peer] = \
                (int(two) - int(one)) / (int(n) * OPS_PER_N[workload])
        m = re.search(r"bench-latency (\S+) (\d+) (\d+)", line)
        if m:
            latency[m.group(1)] = int(m.group(3)) / int(m.group(2))
        m = re.search(r"bench-edge-latency (\S+) (\d+) (\d+)", line)
        if m:
            edge[m.group(1)] = int(m.group(3)) / int(m.group(2))
        m = re.search(r"bench-memory (\d+)", line)
        if m:
            memory = int(m.group(1))
        m = re.search(r"bench-header (\d+) (.+)$", line)
        if m:
            header.append((m.group(2).strip(), int(m.group(1))))
    return cycles, latency, edge, memory, header, loaded.parse(lines)


def run(ctx):
    if ctx.smoke:
        _measure(ctx, lean=False)
        return []
    cycles, latency, edge, memory, header, under_load = _measure(ctx, lean=False)
    lean_cycles, lean_latency, lean_edge, lean_memory, lean_header, _ = _measure(ctx, lean=True)
    # The lean build's loop beside the default's, in every table.
    for workload, figures in lean_cycles.items():
        cycles[workload]["asyncio-no-info"] = figures["asyncio"]
    latency["asyncio-no-info"] = lean_latency["asyncio"]
    edge["asyncio-no-info"] = lean_edge["asyncio"]

    def table(title, figures):
        t = Table(title, ["peer", "cycles per op", "ratio to asyncio (above 1: asyncio is cheaper)"])
        for peer, value in figures.items():
            t.row(PEER_NAMES[peer], f"{value:.0f}", ratio(value, figures["asyncio"]))
        return t

    switch = table("1. Task switch: two tasks ping-pong (yield_now; threads: k_sem give/take) "
                   "(cycles per switch)", cycles["switch"])
    sw = cycles["switch"]
    switch.note("n and 2n rounds (500, 1000) timed with k_cycle_get_32 in one boot; per switch "
                "= difference / switches. Cycles of the 12 MHz clock under icount shift 6: one "
                "cycle is about 1.3 instructions.")
    switch.note(("Met" if sw["threads"] >= 3 * sw["asyncio"] else "Missed") +
                f": target: a task switch at least 3x cheaper than a Zephyr thread switch; "
                f"measured {sw['threads'] / sw['asyncio']:.1f}x "
                f"({sw['threads'] / sw['asyncio-lean']:.1f}x with the detector off, "
                f"{sw['threads'] / sw['asyncio-no-info']:.1f}x with lean tasks). On Cortex-M "
                "a thread switch is cheap (PendSV saves a few registers), unlike on native_sim, "
                "where it goes through the host's threads; the loop's own switch costs about "
                "the same on both. The slow-task detector's one k_cycle_get_32 per poll costs "
                f"{sw['asyncio'] - sw['asyncio-lean']:.0f} cycles per switch here (the SysTick "
                "driver takes a spinlock to read it). What would close it: the per-poll "
                "bookkeeping listed under the native_sim table, and a wake from the loop's own "
                "thread straight onto the run queue instead of through the interrupt-safe wake "
                "queue; that needs a way to tell such a wake from another thread's in the "
                "waker, and must keep every wake of a round in one FIFO (a yield queued ahead "
                "of an Event's waiters woken earlier in the round would reorder them). Lean "
                "tasks change little here: the diagnostic record costs one store per poll.")
    spawn = table("2. Spawn + await: n tasks returning a value, all awaited (cycles per task)",
                  cycles["spawn"])
    spawn.note("32 and 64 tasks. embassy: from a static pool of 64, each reporting into a "
               "shared cell (its tasks return nothing). Threads: k_thread_create and "
               "k_thread_join, one at a time.")
    switch.note(f"embassy's switch costs {sw['embassy'] / sw['asyncio']:.2f}x this loop's: "
                "see the native_sim table for where the loop's extra instructions go. embassy "
                "is timed from a driver task on its executor (its run() never returns), which "
                "adds one wake per measurement, cancelled by the n / 2n difference.")
    raw = latency["threads"]
    wake = table("5. ISR to task wake: from a k_timer expiry (in the system clock's interrupt) to "
                 "the woken task running (cycles, mean of 100)", latency)
    wake.note("The expiry stamps the cycle counter; the woken side reads it when it runs. "
              "asyncio: a ThreadSafeFlag set through asyncio.h; embassy: an embassy-sync "
              "Signal; threads: a k_poll_signal the thread waits on in k_poll.")
    wake.note(("Met" if latency["asyncio"] <= 1.5 * raw else "Missed") +
              f": target: at most 1.5x the raw k_poll_signal to thread wake; measured "
              f"{latency['asyncio'] / raw:.2f}x ({latency['asyncio-no-info'] / raw:.2f}x with "
              "lean tasks). The loop's path after the same k_poll return: "
              "clearing its poll set's states, draining the wake queue into the run queue, the "
              "round's bookkeeping, then polling the task down to the flag's wait. What would "
              "close it: the slow-task detector's restart after the park reads the cycle "
              f"counter ({latency['asyncio'] - latency['asyncio-lean']:.0f} cycles here: the "
              "detector-off row; a free-running counter such as the DWT's costs a load), the "
              "signal's reset and the poll set's states cleared only for the events that fired, "
              "and the round's fixed costs (the I/O poll, the run-queue appends) paid only for "
              "what is non-empty. Lean tasks do not change this path.")
    c_edge = edge["threads"]
    edges = table("5b. Edge interrupt to task: from a k_timer expiry that toggles an emulated pin "
                  "to the task its edge interrupt woke (cycles, mean of 100)", edge)
    edges.note("asyncio: asyncio::gpio::InputPin's edge callback (registered from Rust) sets its "
               "ThreadSafeFlag and the task awaiting wait_for_edge(Edge::Any) runs; threads: a C "
               "GPIO callback gives a k_sem the thread takes (what board code does in C). Both "
               "include the GPIO emulator's callback dispatch.")
    edges.note(("Met" if edge["asyncio"] <= 1.5 * c_edge else "Missed") +
               f": target: at most 1.5x the C ISR to thread wake; measured "
               f"{edge['asyncio'] / c_edge:.2f}x. The adapter's part beyond table 5's wake: "
               "counting the edge by direction (a pin read) before setting the flag, and the "
               "task comparing the counts after it wakes.")
    loaded_table = loaded.table(under_load, "Emulated time: microseconds of the 12 MHz "
                                "cycle counter under icount.")
    mem = Table("6. Memory per task on 32-bit (qemu_cortex_m3)", ["measure", "bytes", "target"])
    mem.row("malloc'd per create_task beyond its future or output, default", memory,
            ("met" if memory <= 48 else "missed") + ": at most 48 B")
    mem.row("the same, lean tasks (CONFIG_ASYNCIO_TASK_INFO=n)", lean_memory,
            ("met" if lean_memory <= 32 else "missed") + ": at most 32 B")
    mem.note("malloc wrapped (--wrap=malloc) and counted over 32 tasks, less the larger of the "
             "task's future and its output (the task holds one, then the other, in the same "
             "bytes: here an 8-byte-aligned Result<u64, Error>). MicroPython's Task object, "
             "the figure to beat, is 8 words (32 B) beside its coroutine. A task from a "
             "TaskPool costs the same bytes in its slot, and nothing on the heap. The default "
             "build's figure is the header (6b) plus 4 bytes aligning the output after it; "
             "its diagnostic record is 28 bytes (name 8, poll count 4, what it waits for 12, "
             "birth 4). What would close the default's 24 bytes: the name as a 4-byte "
             "reference to a static string, what it waits for as a pointer to the waiting "
             "primitive's static description, and the lean header's last 8 bytes (6b).")
    breakdown = Table("6b. The 32-bit task header, field by field (bytes)",
                      ["field", "default", "lean tasks"])
    lean_bytes = dict(lean_header)
    for field, bytes_ in header:
        breakdown.row(field, bytes_, lean_bytes.get(field, 0))
    breakdown.row("header", sum(b for _, b in header), sum(b for _, b in lean_header))
    breakdown.note("Measured on the target (asyncio::__task_header_layout: size_of each "
                   "field's type, the rest is padding). The diagnostic record is the given "
                   "name, poll count, what the task waits for and its birth; a lean build "
                   "leaves it out. What the lean header still holds beyond MicroPython's 8 "
                   "words: the loop's list of unfinished tasks (two links: close() and the task "
                   "listing walk it), the grace guard's timestamp and the awaited task (where "
                   "cancel() is forwarded). What would close the last 8 bytes: a task list "
                   "without links in the header (a pool's slots are already such a list), and "
                   "the grace guard's timestamp kept by the guard for the few tasks it watches.")
    return [switch, spawn, wake, edges, loaded_table, mem, breakdown]
