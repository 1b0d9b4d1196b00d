"""Instructions per operation on native_sim/native/64: the asyncio loop against zephyr-lang-rust's
embassy executor and Zephyr threads (workloads 1, 2, 5 and 5b), from bench/zephyr_peers.

Time on native_sim is simulated, so each (peer, workload) runs under callgrind for n and 2n
operations; (Ir(2n) - Ir(n)) / ops(n) is the cost of one operation, start-up cancelled out
(counting stops when the workload ends). Instruction counts do not depend on the machine's
load; native_sim's host threads still vary them slightly, so each is the median of three runs."""

import os
import re
import shutil
import statistics
import subprocess

from . import loaded
from .report import Table, ratio

BOARD = "native_sim/native/64"
# spawn: embassy's task pool holds 64 (bench/zephyr_peers/src/embassy_peer.rs).
N = {"switch": 10000, "spawn": 32, "isr": 1000, "edge": 1000}
RUNS = 3
PEERS = {
    "switch": ["asyncio", "asyncio-lean", "embassy", "threads"],
    "spawn": ["asyncio", "embassy", "threads"],
    "isr": ["asyncio", "asyncio-lean", "embassy", "threads", "bare"],
    "edge": ["asyncio", "asyncio-lean", "threads", "bare"],
}
# Operations in one run of size n: a ping-pong round is two switches.
OPS_PER_N = {"switch": 2, "spawn": 1, "isr": 1, "edge": 1}
PEER_NAMES = {
    "asyncio": "asyncio loop",
    "asyncio-lean": "asyncio loop, slow-task detector off",
    "embassy": "embassy (zephyr-lang-rust executor)",
    "threads": "Zephyr threads",
}


def missing():
    if shutil.which("valgrind") is None:
        return "valgrind is not installed (apt install valgrind)"
    return None


def _exe(build_dir):
    return os.path.join(build_dir, "zephyr", "zephyr.exe")


def _command(build_dir, peer, workload, n):
    return [_exe(build_dir), "--no-rt", "-testargs", peer, workload, str(n)]


def _instructions(build_dir, peer, workload, n):
    """The median count of RUNS runs: native_sim's host threads vary a run's count by a few
    thousand instructions (the harness stops counting when the workload ends, before the exit,
    where it varied most)."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    counts = []
    for _ in range(RUNS):
        out = subprocess.run(cmd + _command(build_dir, peer, workload, n), capture_output=True,
                             text=True)
        done = f"bench {peer} {workload} {n}: done"
        if out.returncode or done not in out.stdout:
            raise SystemExit(f"{peer} {workload} {n} failed:\n{out.stdout}\n{out.stderr}")
        counts.append(int(re.search(r"Collected : (\d+)", out.stderr).group(1)))
    return statistics.median(counts)


def _per_op(build_dir, peer, workload):
    n = N[workload]
    first = _instructions(build_dir, peer, workload, n)
    second = _instructions(build_dir, peer, workload, 2 * n)
    return (second - first) / (n * OPS_PER_N[workload])


# The loaded workloads run in simulated time, without callgrind: their figure is a latency.
LOADED_WAKES = 40


def _loaded(build_dir, wakes):
    """Table 5c's figures: each loaded workload run once (simulated time is deterministic)."""
    lines = []
    for workload in loaded.MODES:
        out = subprocess.run(_command(build_dir, "asyncio", workload, wakes), capture_output=True,
                             text=True, timeout=120)
        if out.returncode or f"bench asyncio {workload} {wakes}: done" not in out.stdout:
            raise SystemExit(f"asyncio {workload} failed:\n{out.stdout}\n{out.stderr}")
        lines += out.stdout.splitlines()
    return loaded.parse(lines)


def _smoke(build_dir):
    for workload, peers in PEERS.items():
        for peer in peers:
            out = subprocess.run(_command(build_dir, peer, workload, 10), capture_output=True,
                                 text=True, timeout=60)
            if out.returncode or f"bench {peer} {workload} 10: done" not in out.stdout:
                raise SystemExit(f"smoke: {peer} {workload} failed:\n{out.stdout}")
    _loaded(build_dir, 2)
    return []


def _table(title, figures, unit, ours="asyncio"):
    table = Table(title, ["peer", unit, "ratio to asyncio (above 1: asyncio is cheaper)"])
    for peer, value in figures.items():
        table.row(PEER_NAMES[peer], f"{value:.0f}", ratio(value, figures[ours]))
    return table


def _verdict(met, text):
    return ("Met: " if met else "Missed: ") + text


def run(ctx):
    build_dir = os.path.join(ctx.build_root, "zephyr_peers")
    ctx.west_build(BOARD, os.path.join(ctx.repo, "bench", "zephyr_peers"), build_dir,
                   [f"-DZEPHYR_EXTRA_MODULES={ctx.repo}"], {})
    if ctx.smoke:
        return _smoke(build_dir)
    figures = {w: {p: _per_op(build_dir, p, w) for p in peers} for w, peers in PEERS.items()}

    switch = _table("1. Task switch: two tasks ping-pong (yield_now; threads: k_sem give/take) "
                    "(instructions per switch)", figures["switch"], "instructions per op")
    thread_ratio = figures["switch"]["threads"] / figures["switch"]["asyncio"]
    switch.note(f"{N['switch']} and {2 * N['switch']} rounds under callgrind (median of {RUNS} runs each); per switch = "
                "difference / switches. The threads are two of one priority, each round a "
                "k_sem_give and a blocking k_sem_take (two context switches).")
    lean_ratio = figures["switch"]["threads"] / figures["switch"]["asyncio-lean"]
    switch.note(_verdict(thread_ratio >= 3,
                         f"target: a task switch at least 3x cheaper than a Zephyr thread "
                         f"switch; measured {thread_ratio:.1f}x with the default Kconfig, "
                         f"{lean_ratio:.1f}x with the slow-task detector off "
                         "(CONFIG_ASYNCIO_SLOW_TASK_MS=0). The detector reads the cycle counter "
                         "(k_cycle_get_32) once per poll; on native_sim that call goes through "
                         "the board's timer model."))
    embassy_ratio = figures["switch"]["asyncio"] / figures["switch"]["embassy"]
    switch.note(f"embassy's switch costs {1 / embassy_ratio:.2f}x this loop's. Where the "
                "loop's extra instructions go (callgrind, per switch): each poll clears the "
                "task's scheduled bit (an atomic), sets its flags, records what it waits on, "
                "counts polls for the task dump, records the round it ran in (the urgent lane's "
                "once-per-round bound), sets and clears the current task and whether "
                "it may have a cancellation to take (for cancellation and current_task()), and "
                "reads the cycle counter once (the slow-task detector, when on); yield_now "
                "checks that flag and wakes through the interrupt-safe wake queue (a "
                "compare-and-swap); each round takes the wake queues (reversing them into wake "
                "order) and asks the platform for I/O readiness. embassy offers none of these "
                "(no cancellation, no names, no results, no statistics). Before every poll the "
                "loop also looks at the urgent lane (one load, table 5c).")

    spawn = _table("2. Spawn + await: n tasks returning a value, all awaited (instructions per "
                   "task)", figures["spawn"], "instructions per op")
    spawn.note(f"{N['spawn']} and {2 * N['spawn']} tasks. asyncio: create_task of each and one "
               "gather of the values (a heap allocation per task). embassy: tasks from a "
               "static pool of 64 (sized at build time), each reporting into a shared cell, as "
               "embassy tasks return nothing; finding a free slot scans the pool, so its cost "
               "grows with the pool's size. Threads: k_thread_create and k_thread_join, one at "
               "a time on one stack (each thread needs its own).")

    floor = figures["isr"].pop("bare")
    wakes = {p: v - floor for p, v in figures["isr"].items()}
    isr = _table("5. ISR to task wake: a k_timer expiry (in the system clock's interrupt) wakes "
                 "the waiting task (instructions per wake, above the timer's own cost)",
                 wakes, "instructions per op")
    raw = wakes["threads"]
    isr.note(f"{N['isr']} and {2 * N['isr']} expiries, one per tick; each wakes the waiter, "
             f"which waits again. The timer's own cost with nobody to wake ({floor:.0f} "
             "instructions per tick: the tick interrupt, the expiry, the idle thread) is "
             "subtracted. asyncio: the expiry sets a ThreadSafeFlag through asyncio.h; embassy: "
             "it signals an embassy-sync Signal; threads: it raises a k_poll_signal the "
             "thread waits on in k_poll (the raw path the loop itself parks in).")
    isr.note(_verdict(wakes["asyncio"] <= 1.5 * raw,
                      f"target: ISR to task wake at most 1.5x the raw k_poll_signal to thread "
                      f"wake; measured {wakes['asyncio'] / raw:.2f}x with the default Kconfig, "
                      f"{wakes['asyncio-lean'] / raw:.2f}x with the slow-task detector off."))
    isr.note("What the loop adds to the raw wake: the flag's waker (an atomic take and the wake "
             "queue's push), the round's collection of the wake queue, re-arming the flag's "
             "wait (its wait list and atomic waker) and re-entering k_poll with the loop's poll "
             "set.")
    edge_floor = figures["edge"].pop("bare")
    edges = {p: v - edge_floor for p, v in figures["edge"].items()}
    edge = _table("5b. Edge interrupt to task: a k_timer expiry toggles an emulated pin, whose "
                  "edge interrupt wakes the waiting task (instructions per wake, above the "
                  "timer's and the toggle's own cost)", edges, "instructions per op")
    c_edge = edges["threads"]
    edge.note(f"{N['edge']} and {2 * N['edge']} expiries, one per tick, each toggling the pin "
              f"(its floor, {edge_floor:.0f} instructions per tick with nobody listening, is "
              "subtracted). asyncio: asyncio::gpio::InputPin's edge callback, registered from "
              "Rust, counts the edge and sets its ThreadSafeFlag; the task awaits "
              "wait_for_edge(Edge::Any). threads: a C GPIO callback gives a k_sem the thread "
              "takes (what board code does in C).")
    edge.note(_verdict(edges["asyncio"] <= 1.5 * c_edge,
                       f"target: edge interrupt to task at most 1.5x the C ISR to thread wake; "
                       f"measured {edges['asyncio'] / c_edge:.2f}x with the default Kconfig, "
                       f"{edges['asyncio-lean'] / c_edge:.2f}x with the slow-task detector off."))
    under_load = loaded.table(_loaded(build_dir, LOADED_WAKES),
                              "Simulated time: native_sim's busy wait advances the clock and "
                              "takes the timer's interrupt in the middle of the call, as a "
                              "core would.")
    return [switch, spawn, isr, edge, under_load]
