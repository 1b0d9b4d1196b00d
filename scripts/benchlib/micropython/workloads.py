# The host workloads in MicroPython (the unix port), for the "what users have today" row: the
# same operations as rust/asyncio-bench, printed in its format. Run by scripts/bench.
#
#     micropython workloads.py <scale>
import sys
import time

import asyncio


def report(workload, ops, us):
    print('{"workload": "%s", "peer": "MicroPython", "ops": %d, "ns_per_op": %.2f}'
          % (workload, ops, us * 1000 / ops))


async def yield_ping_pong(rounds):
    async def player():
        for _ in range(rounds):
            await asyncio.sleep(0)

    start = time.ticks_us()
    await asyncio.gather(player(), player())
    return time.ticks_diff(time.ticks_us(), start)


async def event_ping_pong(rounds):
    ping, pong = asyncio.Event(), asyncio.Event()

    async def server():
        for _ in range(rounds):
            await ping.wait()
            ping.clear()
            pong.set()

    start = time.ticks_us()
    task = asyncio.create_task(server())
    for _ in range(rounds):
        ping.set()
        await pong.wait()
        pong.clear()
    await task
    return time.ticks_diff(time.ticks_us(), start)


async def spawn_and_gather(n):
    async def child(i):
        return i

    start = time.ticks_us()
    values = await asyncio.gather(*[child(i) for i in range(n)])
    assert len(values) == n
    return time.ticks_diff(time.ticks_us(), start)


def fastest(repeats, workload, n):
    return min(asyncio.run(workload(n)) for _ in range(repeats))


def main():
    scale = int(sys.argv[1])
    repeats = 1 if scale == 1 else 5
    rounds, spawned = 1000 * scale, 100 * scale
    report("yield_ping_pong", 2 * rounds, fastest(repeats, yield_ping_pong, rounds))
    report("event_ping_pong", 2 * rounds, fastest(repeats, event_ping_pong, rounds))
    report("spawn_and_gather", spawned, fastest(repeats, spawn_and_gather, spawned))


main()
