"""Flash and RAM per component of a Zephyr image, from the GNU linker's map file.

The map lists every input section the link kept, with its size and the object it came from.
Rust objects are named after their crate (`librustapp.a(asyncio_core-<hash>.<cgu>.rcgu.o)`),
so the sizes add up per crate. Generic code is compiled in the crate that instantiates it,
usually the application, so a library's figure is its own non-generic code.
"""

import re
from collections import defaultdict

# (component, pattern on the object's path); the first match wins.
COMPONENTS = [
    ("asyncio-core (portable loop)", re.compile(r"librustapp\.a\(asyncio_core-")),
    ("zephyr-asyncio (Zephyr layer, Rust)", re.compile(r"librustapp\.a\(asyncio-")),
    ("zephyr-asyncio (Zephyr layer, C)",
     re.compile(r"libzephyr_asyncio\.a\(|asyncio-wrapper\.c\.obj")),
    ("application crate", re.compile(r"librustapp\.a\(rustapp-")),
    ("zephyr-lang-rust (zephyr, zephyr-sys)",
     re.compile(r"librustapp\.a\(zephyr(_sys)?-|rust/wrapper\.c\.obj|lang/rust/main\.c")),
    ("Rust core, alloc, compiler-builtins",
     re.compile(r"librustapp\.a\((core|alloc|compiler_builtins)-")),
    ("other Rust crates (log, futures, ...)", re.compile(r"librustapp\.a\(")),
    ("Zephyr (kernel, drivers, libc)", re.compile(r".")),
]

# Input sections as named in the map: the kind decides where the bytes live.
FLASH_ONLY = re.compile(r"^\.(text|rodata|ARM\.ex|init_array|ctors)")
FLASH_AND_RAM = re.compile(r"^\.data")
RAM_ONLY = re.compile(r"^\.(bss|noinit)|^COMMON$")

ENTRY = re.compile(r"^ (\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")


def component_of(obj):
    for name, pattern in COMPONENTS:
        if pattern.search(obj):
            return name
    raise AssertionError("the last pattern matches everything")


def sizes(map_path):
    """{component: [flash bytes, ram bytes]} for the image linked with `map_path`."""
    totals = defaultdict(lambda: [0, 0])
    in_map = False
    section = None
    with open(map_path) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            if line.startswith(" .") or line.startswith(" COMMON"):
                # " .text.name   0xaddr  0xsize obj" or a long name alone on its line.
                section = line.split()[0]
            m = ENTRY.match(line.rstrip("\n"))
            if not m or section is None:
                continue
            size = int(m.group(3), 16)
            obj = m.group(4)
            if size == 0 or int(m.group(2), 16) == 0 or not obj.endswith((".o", ".obj", ")")):
                continue
            flash = size if FLASH_ONLY.match(section) or FLASH_AND_RAM.match(section) else 0
            ram = size if FLASH_AND_RAM.match(section) or RAM_ONLY.match(section) else 0
            entry = totals[component_of(obj)]
            entry[0] += flash
            entry[1] += ram
    return dict(totals)
