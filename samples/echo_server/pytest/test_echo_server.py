# 100 host clients at once, 100 lines each, against the echo server on native_sim (its sockets
# are host sockets): every byte comes back in order, the heartbeat keeps ticking while all of
# them are connected, and every socket is closed once they leave.
import asyncio
import random
import re

from twister_harness import DeviceAdapter

PORT = 4242
CLIENTS = 100
LINES = 100
TIMEOUT = 30


def heartbeat(dut: DeviceAdapter, sockets: int, served: int | None = None) -> None:
    """Waits for a heartbeat line reporting `sockets` open sockets (and `served`)."""
    served_re = str(served) if served is not None else r"\d+"
    dut.readlines_until(
        regex=rf"heartbeat \d+: {sockets} sockets open, {served_re} connections served",
        timeout=TIMEOUT,
    )


async def converse(i: int, half: asyncio.Barrier) -> None:
    rng = random.Random(i)
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    lines = [f"client {i} line {j} {'x' * rng.randrange(100)}\n".encode() for j in range(LINES)]
    data = b"".join(lines)
    # Sent in random pieces that cut across lines; read back as it comes.
    sent, waited = 0, False
    while sent < len(data):
        piece = rng.randrange(1, 300)
        writer.write(data[sent : sent + piece])
        await writer.drain()
        sent += piece
        if not waited and sent >= len(data) // 2:
            waited = True
            await half.wait()
    received = bytearray()
    while len(received) < len(data):
        chunk = await asyncio.wait_for(reader.read(65536), TIMEOUT)
        assert chunk, f"client {i}: connection closed after {len(received)} of {len(data)} bytes"
        received += chunk
    assert bytes(received) == data, f"client {i}: echo differs"
    writer.close()
    await writer.wait_closed()


async def load(dut: DeviceAdapter) -> None:
    # All clients stop halfway through until the heartbeat has been seen ticking with every
    # connection open (listener + 100).
    half = asyncio.Barrier(CLIENTS + 1)
    clients = [asyncio.create_task(converse(i, half)) for i in range(CLIENTS)]
    while half.n_waiting < CLIENTS:
        await asyncio.sleep(0.05)
        for c in clients:
            if c.done():
                c.result()  # a failed client fails the test now
    await asyncio.to_thread(heartbeat, dut, CLIENTS + 1)
    await asyncio.to_thread(heartbeat, dut, CLIENTS + 1)
    await half.wait()
    await asyncio.gather(*clients)


def test_many_clients_echoed_in_order(dut: DeviceAdapter):
    dut.readlines_until(regex=f"echo server listening on port {PORT}", timeout=TIMEOUT)
    asyncio.run(load(dut))
    # Every connection served and closed: only the listener is left.
    heartbeat(dut, sockets=1, served=CLIENTS)


def test_oversize_line_gets_an_error_and_others_are_unaffected(dut: DeviceAdapter):
    dut.readlines_until(regex=f"echo server listening on port {PORT}", timeout=TIMEOUT)

    async def scenario() -> None:
        good_r, good_w = await asyncio.open_connection("127.0.0.1", PORT)
        bad_r, bad_w = await asyncio.open_connection("127.0.0.1", PORT)
        bad_w.write(b"y" * 500 + b"\n")
        await bad_w.drain()
        assert await bad_r.readline() == b"error: line longer than 128 bytes\n"
        good_w.write(b"still here\n")
        await good_w.drain()
        assert await good_r.readline() == b"still here\n"
        for w in (good_w, bad_w):
            w.close()

    asyncio.run(scenario())
    dut.readlines_until(regex=r"no newline within the line limit of 128 bytes", timeout=TIMEOUT)
    heartbeat(dut, sockets=1)
