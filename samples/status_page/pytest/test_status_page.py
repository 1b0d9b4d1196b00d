# The status page in a real browser: headless Chromium (Debian's package) loads the page from
# the native_sim device over loopback; the test checks the rendered DOM for the tasks and
# numbers it expects, and saves a screenshot as a test artifact (status_page.png, next to the
# twister logs of this test).
import re
import shutil
import subprocess
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from twister_harness import DeviceAdapter

TIMEOUT = 20
URL = "http://127.0.0.1:4480/"


def chromium(*args: str) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "headless Chromium is needed (Debian's chromium package)"
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                          "--hide-scrollbars", *args], capture_output=True, text=True,
                         timeout=3 * TIMEOUT)
    assert run.returncode == 0, run.stderr
    return run.stdout


class Tables(HTMLParser):
    """The text of each cell, per table id; and the image's attributes."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.table, self.images = None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = self.tables.setdefault(attrs.get("id", ""), [])
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.table[-1].append("")
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.table and self.table[-1]:
            self.table[-1][-1] += data


def test_the_page_in_headless_chromium(dut: DeviceAdapter):
    dut.readlines_until(regex="status page on http", timeout=TIMEOUT)
    dom = Tables()
    dom.feed(chromium("--dump-dom", URL))
    stats = {row[0]: row[1] for row in dom.tables["stats"]}
    assert int(stats["tasks"]) >= 3 and int(stats["polls"]) > 0 and int(stats["frames"]) > 0

    tasks = {row[0]: row[1] for row in dom.tables["tasks"][1:]}
    # The server's tasks are named; the connection task serves this very page.
    assert {"heartbeat", "capture", "server accept", "server connection"} <= tasks.keys(), tasks
    assert re.match(r"sleep until \d+ ms", tasks["heartbeat"]), tasks

    assert dom.images == [{"id": "frame", "src": "/frame.bmp", "width": "320", "height": "160",
                           "alt": "the last frame"}]
    with urllib.request.urlopen(URL + "frame.bmp", timeout=TIMEOUT) as image:
        assert image.headers["Content-Type"] == "image/bmp"
        data = image.read()
    assert data[:2] == b"BM" and len(data) == 54 + 320 * 160 * 3
    assert len(set(data[54:])) > 1  # a test pattern, not a blank frame

    screenshot = Path(dut.device_config.build_dir) / "status_page.png"
    chromium(f"--screenshot={screenshot}", "--window-size=800,900", URL)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
