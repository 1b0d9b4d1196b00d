"""Flash and RAM per board: the asyncio hello (and, on the camera board, the capstone) against
Zephyr's C hello_world built for the same board with the board's defaults."""

import os
import re
import shutil

from . import footprint
from .report import Table, kib

# (board, the HAL it needs, the module's samples to build on it)
BOARDS = [
    ("qemu_cortex_m0", "nordic", ["hello"]),
    ("nrf52840dk/nrf52840", "nordic", ["hello"]),
    ("arduino_nicla_vision/stm32h747xx/m7", "stm32", ["hello", "snapshot_loop"]),
]
# The test command's build-only output (twister-out/LABEL), which the smoke run reads.
TWISTER_LABELS = {"nrf52840dk/nrf52840": "nrf52840", "arduino_nicla_vision/stm32h747xx/m7": "nicla"}


def missing():
    """Why this section cannot run here, or None."""
    why = footprint.missing()
    if why:
        return why
    workspace = os.path.dirname(os.environ.get("ZEPHYR_BASE", ""))
    for _, hal, _ in BOARDS:
        path = os.path.join(workspace, "modules", "hal", hal)
        if not os.path.isdir(path) or not os.listdir(path):
            return (f"the workspace has no hal_{hal} (fetch github:zephyrproject-rtos/hal_{hal} "
                    "and rerun the workspace setup)")
    return None


def _table(title):
    return Table(title, ["board", "image", "flash", "RAM", "RAM without main stack and heap",
                         "flash over C hello", "RAM over C hello (without stack, heap)"])


def _smoke(ctx):
    """The test command's real-board builds of hello, as they are (no builds, no C row)."""
    table = _table("smoke: the test command's hello builds")
    for board, label in TWISTER_LABELS.items():
        for root, _, files in os.walk(os.path.join(ctx.repo, "twister-out", label)):
            if "zephyr.elf" in files and root.endswith("asyncio.sample.hello/zephyr"):
                flash, ram, reserved = footprint.image(os.path.dirname(root))
                table.row(board, "samples/hello", kib(flash), kib(ram), kib(ram - reserved),
                          "-", "-")
    return [table] if table.rows else []


def run(ctx):
    """Builds each board's images; returns the table."""
    if ctx.smoke:
        return _smoke(ctx)
    zephyr_base = os.environ["ZEPHYR_BASE"]
    table = _table(f"Footprint per board (arm-none-eabi-gcc {ctx.tool_version('arm-none-eabi-gcc')})")
    for board, _, samples in BOARDS:
        apps = [("Zephyr C hello_world", os.path.join(zephyr_base, "samples", "hello_world"))]
        apps += [(f"samples/{s}", os.path.join(ctx.repo, "samples", s)) for s in samples]
        c_flash = c_net = None
        for name, source in apps:
            build_dir = os.path.join(ctx.build_root, "boards",
                                     re.sub(r"\W+", "_", f"{board} {name}"))
            ctx.west_build(board, source, build_dir, [f"-DZEPHYR_EXTRA_MODULES={ctx.repo}"],
                           footprint.ARM_ENV)
            flash, ram, reserved = footprint.image(build_dir)
            if c_flash is None:
                c_flash, c_net = flash, ram - reserved
            table.row(board, name, kib(flash), kib(ram), kib(ram - reserved),
                      kib(flash - c_flash), kib(ram - reserved - c_net))
    table.note("Each image as the board builds it with its defaults and the sample's own board "
               "files: on qemu_cortex_m0 (an nRF51822 with 16 KB of RAM) hello's "
               "boards/qemu_cortex_m0.conf sizes the main stack (3 KiB) and the heap (4 KiB) "
               "and drops the offload queue; the Nicla Vision's console is its USB CDC ACM port "
               "(the USB stack is in every image, C hello_world's too); the capstone's RAM is "
               "mostly its three 320x160 RGB565 frame buffers (300 KiB, Zephyr's video buffer "
               "pool). RAM is .data + .bss; the third column leaves out the main thread's stack "
               "and the C library's malloc arena (tasks live on the heap).")
    return [table]
