"""Flash and RAM on qemu_cortex_m3: the asyncio hello sample against Zephyr's C hello_world
and zephyr-lang-rust's Rust hello_world, and the image split per component."""

import os
import re
import shutil
import subprocess

from . import linker_map
from .report import Table, kib

BOARD = "qemu_cortex_m3"
ARM_ENV = {"ZEPHYR_TOOLCHAIN_VARIANT": "gnuarmemb", "GNUARMEMB_TOOLCHAIN_PATH": "/usr"}


def _symbol_sizes(elf, names):
    """The summed sizes of the named symbols of `elf` (0 for any it lacks)."""
    out = subprocess.run(["arm-none-eabi-nm", "-S", elf], capture_output=True, text=True,
                         check=True).stdout
    parts = (line.split() for line in out.splitlines())
    return sum(int(p[1], 16) for p in parts if len(p) == 4 and p[3] in names)


def image(build_dir):
    """Flash, RAM, and the RAM that is the main stack and the malloc arena, in bytes."""
    elf = os.path.join(build_dir, "zephyr", "zephyr.elf")
    out = subprocess.run(["arm-none-eabi-size", "-B", elf], capture_output=True, text=True,
                         check=True).stdout
    text, data, bss = (int(x) for x in out.splitlines()[1].split()[:3])
    reserved = _symbol_sizes(elf, {"z_main_stack", "malloc_arena"})
    return text + data, data + bss, reserved


def missing():
    """Why this section cannot run here, or None."""
    if shutil.which("arm-none-eabi-gcc") is None:
        return "arm-none-eabi-gcc (Debian's gcc-arm-none-eabi) is not installed"
    return None


def _split(title, map_path, flash, ram):
    parts = linker_map.sizes(map_path)
    split = Table(title, ["component", "flash", "RAM"])
    for component, (f, r) in sorted(parts.items(), key=lambda kv: -kv[1][0]):
        split.row(component, kib(f), kib(r))
    split.row("alignment, vector table, linker-generated",
              kib(flash - sum(f for f, _ in parts.values())),
              kib(ram - sum(r for _, r in parts.values())))
    split.note("Generic code is compiled in the crate that instantiates it, so the application "
               "row carries the asyncio tasks' poll functions; the library rows are their "
               "non-generic code. The Zephyr layer's C RAM is the offload work queue's stack.")
    return split


def _smoke(ctx):
    """The linker-map split of the test command's qemu_cortex_m3 build of hello (no builds)."""
    for root, _, files in os.walk(os.path.join(ctx.repo, "twister-out", "qemu")):
        if "zephyr.map" in files and root.endswith("asyncio.sample.hello/zephyr"):
            flash, ram, _ = image(os.path.dirname(root))
            return [_split("smoke: hello per component", os.path.join(root, "zephyr.map"),
                           flash, ram)]
    return []


def run(ctx):
    """Builds the three images; returns the report's tables."""
    if ctx.smoke:
        return _smoke(ctx)
    zephyr_base = os.environ["ZEPHYR_BASE"]
    rust_module = os.path.join(os.path.dirname(zephyr_base), "modules", "lang", "rust")
    apps = [
        ("Zephyr C hello_world", os.path.join(zephyr_base, "samples", "hello_world"), []),
        # Built with this module present (not enabled): its cargo glue carries the bindgen fix
        # without which zephyr-lang-rust cannot build for this board with arm-none-eabi-gcc.
        ("zephyr-lang-rust hello_world", os.path.join(rust_module, "samples", "hello_world"),
         [f"-DZEPHYR_EXTRA_MODULES={ctx.repo}"]),
        ("zephyr-asyncio samples/hello", os.path.join(ctx.repo, "samples", "hello"),
         [f"-DZEPHYR_EXTRA_MODULES={ctx.repo}"]),
    ]
    images = {}
    for name, source, extra in apps:
        build_dir = os.path.join(ctx.build_root, "footprint", re.sub(r"\W+", "_", name))
        ctx.west_build(BOARD, source, build_dir, extra, ARM_ENV)
        images[name] = (build_dir, image(build_dir))

    c_flash, c_ram, c_reserved = images[apps[0][0]][1]
    sizes = Table(
        f"Footprint on {BOARD} (arm-none-eabi-gcc {ctx.tool_version('arm-none-eabi-gcc')})",
        ["image", "flash", "RAM", "RAM without main stack and heap",
         "flash over C hello", "RAM over C hello (without stack, heap)"],
    )
    for name, (_, (flash, ram, reserved)) in images.items():
        sizes.row(name, kib(flash), kib(ram), kib(ram - reserved), kib(flash - c_flash),
                  kib(ram - reserved - (c_ram - c_reserved)))
    sizes.note("RAM is .data + .bss: it includes the main thread's stack (1 KiB for C "
               "hello_world, 4 KiB for the Rust hello, 8 KiB for the asyncio hello, as their "
               "prj.conf say) and the C library's malloc arena (16 KiB, the module's default "
               "with the minimal libc: tasks live on the heap), shown without them in the next "
               "column. Both Rust images are optimised for size (Zephyr's default "
               "CONFIG_SIZE_OPTIMIZATIONS, which this module's cargo glue passes on); both are "
               "built through this module's glue, as zephyr-lang-rust's own cannot run bindgen "
               "with arm-none-eabi-gcc's headers (see the README).")

    build_dir, (flash, ram, _) = images[apps[2][0]]
    split = _split(f"The asyncio hello on {BOARD}, per component (from the linker map)",
                   os.path.join(build_dir, "zephyr", "zephyr.map"), flash, ram)
    return [sizes, split]
