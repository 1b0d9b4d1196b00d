# MicroPython's network asyncio tests (net_hosted, net_inet and multi_net), ported
# (src/ported/): each run's lines are compared with the original's .exp. A two-instance test
# runs with this device as one instance and the other played here under CPython, in both
# directions where CPython can play the part; a net_inet test runs against a local HTTP server
# instead of micropython.org. The device must end each run with the sockets it began with.
import asyncio
import difflib
import http.server
import re
import socket
import ssl
import struct
import threading
import time

import pytest
from twister_harness import DeviceAdapter

from tls_certs import ca_command, certs

CONTROL_PORT = 4300
TIMEOUT = 20

# The original's .exp, per instance ({port}: the run's port, MicroPython's is fixed).
EXPECTED = {
    "asyncio_loopback": {"0": """create server on 0.0.0.0:{port}
server started
client open_connection to 127.0.0.1:{port}
client writing
handler reading
client reading
handler got 100 bytes
handler writing
handler closing
handler closed
client got 100 bytes
client closing
client closed
server closed
"""},
    "asyncio_start_server": {"0": """create server1
create server2
OSError
sleep
create server3
OSError
create server4
server4 closed
sleep 0
CancelledError
sleep 1
create task server 1
CancelledError
sleep 2
create task server 2
CancelledError
sleep 3
create task server 3
CancelledError
sleep 4
create task server 4
CancelledError
done
"""},
    "asyncio_cancel_stream": {"0": """start
cancelling
waiting
cancelled
done
"""},
    "asyncio_open_connection": {"0": """write GET
read response
read: b'HTTP/1.1 200 OK'
close
done
"""},
    "asyncio_tcp_read_headers": {"0": """write GET
b'HTTP/1.1 200 OK'
b'Content-Type: text/html'
b'Content-Length: 54'
b'Connection: close'
b'Vary: Accept-Encoding'
b'ETag: "54306c85-36"'
b'Strict-Transport-Security: max-age=15768000'
b'Accept-Ranges: bytes'
close
done
"""},
    # Linux delivers what arrived before the reset (src/ported/asyncio_tcp_client_rst.rs).
    "asyncio_tcp_client_rst": {"0": """b'GET / HTTP'
b'/1.0\\r\\n\\r\\n'
OSError 104
""", "1": ""},
    "asyncio_tcp_close_write": {"0": """server running
read: b''
close
done
""", "1": """read: b'x'
close
write
OSError
"""},
    "asyncio_tcp_readall": {"0": """server running
close
done
""", "1": """b'abc'
b''
b''
"""},
    "asyncio_tcp_readexactly": {"0": """server running
close
done
""", "1": """b'ab'
b''
b'c'
EOFError
b''
"""},
    # The original's last two lines (TypeError twice) do not compile in Rust (ported/).
    "asyncio_tcp_readinto": {"0": """server running
close
done
""", "1": """2
bytearray(b'ab')
1
array('b', [99])
"""},
    "asyncio_tcp_server_client": {"0": """server running
echo: b'client data'
close
done
""", "1": """write: b'client data'
read: b'client data'
"""},
    "asyncio_tls_server_client": {"0": """server running
echo: b'client data'
close
done
""", "1": """write: b'client data'
read: b'client data'
"""},
    "asyncio_tls_server_client_readline": {"0": """server running
echo: b'client data\\n'
echo: b'client data2\\n'
close
done
""", "1": """write: b'client data\\nclient data2\\n'
read: b'client data\\n'
read: b'client data2\\n'
"""},
    # The two error tests: the handshake is in open_connection, as CPython's (the ports say
    # why); the host's server prints CPython's ssl error where mbedTLS's is in the .exp.
    "asyncio_tls_server_client_verify_error": {"0": """server running
handle connection
{ssl_error}
server done
""", "1": """the peer's TLS certificate failed verification
client done
"""},
    "asyncio_tls_server_client_cert_required_error": {"0": """server running
handle connection
{ssl_error}
server done
""", "1": """write: b'client data'
drain
the TLS handshake failed
client done
"""},
}


# --- the host's instances, under CPython (what the originals' other halves do) ---

async def tcp_server(mt, port, say, handler, announce=True):
    ev = asyncio.Event()
    server = await asyncio.start_server(lambda r, w: handler(r, w, say, ev), "127.0.0.1", port)
    if announce:
        say("server running")
    await mt.next()
    async with server:
        await asyncio.wait_for(ev.wait(), 10)


async def close_and_finish(writer, say, ev):
    """How the handlers end: print close, close and wait, print done, set the event."""
    say("close")
    writer.close()
    await writer.wait_closed()
    say("done")
    ev.set()


async def close_write_handler(reader, writer, say, ev):
    writer.write(b"x")
    await writer.drain()
    say("read: " + repr(await reader.read(100)))
    await close_and_finish(writer, say, ev)


async def close_write_client(mt, port, say):
    await mt.next()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    say("read: " + repr(await reader.read(1)))
    say("close")
    writer.close()
    await writer.wait_closed()
    say("write")
    try:
        writer.write(b"x")
        await writer.drain()
    except OSError:
        say("OSError")


def split_writer(*chunks):
    async def handler(reader, writer, say, ev):
        writer.write(chunks[0])
        await writer.drain()
        if len(chunks) > 2:  # readall, readexactly: the client must wait for the second byte
            await asyncio.sleep(1)
        for chunk in chunks[1:]:
            writer.write(chunk)
            await writer.drain()
        await close_and_finish(writer, say, ev)
    return handler


async def readall_client(mt, port, say):
    await mt.next()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    say(repr(await reader.read()))
    say(repr(await reader.read()))
    say(repr(await reader.read(1)))
    writer.close()


async def readexactly_client(mt, port, say):
    await mt.next()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    say(repr(await reader.readexactly(2)))
    say(repr(await reader.readexactly(0)))
    say(repr(await reader.readexactly(1)))
    try:
        say(repr(await reader.readexactly(2)))
    except EOFError:
        say("EOFError")
    say(repr(await reader.readexactly(0)))
    writer.close()


async def echo_handler(reader, writer, say, ev):
    assert writer.get_extra_info("peername")
    data = await reader.read(100)
    say("echo: " + repr(data))
    writer.write(data)
    await writer.drain()
    await close_and_finish(writer, say, ev)


async def server_client_client(mt, port, say):
    await mt.next()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    say("write: " + repr(b"client data"))
    writer.write(b"client data")
    await writer.drain()
    say("read: " + repr(await reader.read(100)))
    writer.close()


async def rst_client(mt, port, say):
    await mt.next()

    def reset():
        s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.send(b"GET / HTTP/1.0\r\n\r\n")
        time.sleep(0.1)
        s.close()  # a TCP RST, since the linger option is set
    await asyncio.to_thread(reset)


async def tls_server(mt, port, say, serve, **context):
    """The TLS tests' instance0, MicroPython's server: `serve(conn, ctx, say)` on a thread with
    blocking `ssl` sockets, so that the handshake happens in the handler, where MicroPython's
    lazy one meets it (and a failing one sends its alert)."""
    ctx = certs()[0].server_context(**context)
    with socket.create_server(("127.0.0.1", port)) as listener:
        listener.settimeout(TIMEOUT)
        say("server running")
        await mt.next()

        def accept():
            conn, _ = listener.accept()
            conn.settimeout(TIMEOUT)
            with conn:
                serve(conn, ctx, say)
        await asyncio.to_thread(accept)


def tls_echo(read_lines):
    """The echo handler: `read(100)`, or two `readline()`s, echoed back, then closed."""
    def serve(conn, ctx, say):
        with ctx.wrap_socket(conn, server_side=True) as tls:
            if read_lines:
                lines = tls.makefile("rb")
                data = lines.readline()
                say("echo: " + repr(data))
                data2 = lines.readline()
                say("echo: " + repr(data2))
                data += data2
            else:
                data = tls.recv(100)
                say("echo: " + repr(data))
            tls.sendall(data)
            say("close")
        say("done")
    return serve


def tls_refused(conn, ctx, say):
    """The error tests' handler: the handshake fails in the first read. Then it reads what the
    client still sends until the client closes: a socket closed with unread bytes resets the
    connection, and the reset could reach the client before the alert."""
    say("handle connection")
    tls = ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
    try:
        tls.do_handshake()
        tls.recv(100)
    except OSError as e:  # ssl.SSLError among them
        say(f"SSLError {e.__class__.__name__}")
    with socket.socket(fileno=tls.detach()) as raw:
        try:
            raw.shutdown(socket.SHUT_WR)
            while raw.recv(4096):
                pass
        except OSError:
            pass


async def tls_error_server(mt, port, say, **context):
    await tls_server(mt, port, say, tls_refused, **context)
    say("server done")


def server_of(handler, announce=True):
    return lambda mt, port, say: tcp_server(mt, port, say, handler, announce)


# (test, instance the device plays) -> the host's instance.
PEERS = {
    ("asyncio_tcp_client_rst", "0"): rst_client,
    ("asyncio_tcp_close_write", "0"): close_write_client,
    ("asyncio_tcp_close_write", "1"): server_of(close_write_handler),
    ("asyncio_tcp_readall", "0"): readall_client,
    ("asyncio_tcp_readall", "1"): server_of(split_writer(b"a", b"b", b"c")),
    ("asyncio_tcp_readexactly", "0"): readexactly_client,
    ("asyncio_tcp_readexactly", "1"): server_of(split_writer(b"a", b"b", b"c", b"d")),
    ("asyncio_tcp_readinto", "1"): server_of(split_writer(b"ab", b"c")),
    ("asyncio_tcp_server_client", "0"): server_client_client,
    ("asyncio_tcp_server_client", "1"): server_of(echo_handler),
    ("asyncio_tls_server_client", "1"):
        lambda mt, port, say: tls_server(mt, port, say, tls_echo(read_lines=False)),
    ("asyncio_tls_server_client_readline", "1"):
        lambda mt, port, say: tls_server(mt, port, say, tls_echo(read_lines=True)),
    ("asyncio_tls_server_client_verify_error", "1"): tls_error_server,
    ("asyncio_tls_server_client_cert_required_error", "1"):
        lambda mt, port, say: tls_error_server(mt, port, say, require_client_cert=True),
}
TLS = {t for t, _ in PEERS if t.startswith("asyncio_tls")} | {"asyncio_tls_open_connection_readline"}
SINGLE = ["asyncio_loopback", "asyncio_start_server"]
HTTP = ["asyncio_cancel_stream", "asyncio_open_connection", "asyncio_tcp_read_headers",
        "asyncio_tls_open_connection_readline"]


class Headers(http.server.BaseHTTPRequestHandler):
    """Answers as micropython.org did when the net_inet .exp files were made (send_response
    adds the Server and Date headers, which the test leaves out)."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        for name, value in [("Content-Type", "text/html"), ("Content-Length", "54"),
                            ("Last-Modified", "Mon, 06 Oct 2014 12:00:05 GMT"),
                            ("Connection", "close"), ("Vary", "Accept-Encoding"),
                            ("ETag", '"54306c85-36"'),
                            ("Strict-Transport-Security", "max-age=15768000"),
                            ("Accept-Ranges", "bytes")]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(b"<html>" + b"x" * 41 + b"</html>")

    def log_message(self, *args):
        pass


def https_lines() -> str:
    """What `asyncio_tls_open_connection_readline` prints of Headers' answer (no .exp: the
    original prints micropython.org's): every line without GMT, then the end."""
    lines = [b"HTTP/1.1 200 OK\r\n",
             f"Server: {Headers.version_string(Headers)}\r\n".encode(),
             b"Content-Type: text/html\r\n", b"Content-Length: 54\r\n",
             b"Connection: close\r\n", b"Vary: Accept-Encoding\r\n",
             b'ETag: "54306c85-36"\r\n', b"Strict-Transport-Security: max-age=15768000\r\n",
             b"Accept-Ranges: bytes\r\n", b"\r\n", b"<html>" + b"x" * 41 + b"</html>", b""]
    reads = "".join(f"read: {line!r}\n" for line in lines)
    return f"write GET\nread response\n{reads}close\ndone\n"


EXPECTED["asyncio_tls_open_connection_readline"] = {"0": https_lines()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Multitest:
    """multitest.next() for the host's instance: waits for the device's `next`, answers."""

    def __init__(self, writer):
        self.writer = writer
        self.nexts = asyncio.Queue()

    async def next(self):
        await self.nexts.get()
        self.writer.write(b"next\n")
        await self.writer.drain()


async def open_sockets(reader, writer) -> int:
    writer.write(b"stats\n")
    await writer.drain()
    return int(re.search(r"open=(\d+)", (await reader.readline()).decode()).group(1))


async def play(test, instance, port, peer):
    """One run: the device's lines, the host instance's, the device's end line, and the
    device's open sockets before and after."""
    reader, writer = await asyncio.open_connection("127.0.0.1", CONTROL_PORT)
    before = await open_sockets(reader, writer)
    mt = Multitest(writer)
    ours, theirs = [], []

    async def pump():
        while line := (await reader.readline()).decode():
            line = line.rstrip("\n")
            if line.startswith("out "):
                ours.append(line[4:])
            elif line == "next":
                mt.nexts.put_nowait(None)
            elif line.startswith("end"):
                return line
        return "connection closed"

    if test in TLS:
        writer.write(ca_command(certs()[0]))
        assert (await reader.readline()).startswith(b"ca ")
    writer.write(f"port {test} {instance} {port}\n".encode())
    device = asyncio.create_task(pump())
    if peer:
        await asyncio.wait_for(peer(mt, port, theirs.append), TIMEOUT)
    end = await asyncio.wait_for(device, TIMEOUT)
    after = await open_sockets(reader, writer)
    writer.close()
    return ours, theirs, end, before, after


# Tests whose tasks' lines interleave differently by design (the port's header says why):
# each task's lines (by their first word) are compared in order, and the rest in order.
INTERLEAVED = {"asyncio_loopback": ("client", "handler")}


def assert_lines(got: list[str], expected: str, whose: str, tasks=()):
    want = expected.splitlines()

    def strands(lines):
        return [[l for l in lines if l.split()[0] == t] for t in tasks] + \
            [[l for l in lines if l.split()[0] not in tasks]]
    diff = "\n".join(difflib.unified_diff(want, got, "expected", whose, lineterm=""))
    if tasks:
        assert strands(got) == strands(want), f"{whose} tasks' lines differ from the .exp:\n{diff}"
    else:
        assert got == want, f"{whose} lines differ from the .exp:\n{diff}"


RUNS = [(t, "0") for t in SINGLE + HTTP] + sorted(PEERS)


@pytest.mark.parametrize("test,instance", RUNS, ids=[f"{t}-{i}" for t, i in RUNS])
def test_ported(dut: DeviceAdapter, test: str, instance: str):
    dut.readlines_until(regex="net lab ready", timeout=TIMEOUT)
    port = free_port()
    http_server = None
    if test in HTTP:
        http_server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Headers)
        if test in TLS:
            context = certs()[0].server_context()
            http_server.socket = context.wrap_socket(http_server.socket, server_side=True)
        threading.Thread(target=http_server.serve_forever, daemon=True).start()
    try:
        ours, theirs, end, before, after = asyncio.run(play(test, instance, port,
                                                            PEERS.get((test, instance))))
    finally:
        if http_server:
            http_server.shutdown()
            http_server.server_close()
    expected = EXPECTED[test]
    assert end == "end", (end, ours)
    assert_lines(ours, expected[instance].format(port=port), "this device's",
                 INTERLEAVED.get(test, ()))
    if (test, instance) in PEERS:
        other = "1" if instance == "0" else "0"
        ssl_error = next((l for l in theirs if l.startswith("SSLError")), "SSLError")
        assert_lines(theirs, expected[other].format(ssl_error=ssl_error), "the host's")
    assert after == before, "the device left sockets open"
