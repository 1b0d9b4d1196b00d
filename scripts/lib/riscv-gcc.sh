# Debian's gcc-riscv64-unknown-elf (GCC 12) as Zephyr's cross-compile toolchain for 32-bit RISC-V
# boards (qemu_riscv32). Sourced by scripts/test.
#
# Zephyr finds libgcc by asking the compiler with the image's flags, `-march=rv32imac_zicsr_zifencei`
# among them, and GCC 12 matches none of its rv32 multilibs to an ISA string with those
# extensions: it names the rv64 libgcc, and the link fails ("file class ELFCLASS64 incompatible
# with ELFCLASS32"). The Zephyr SDK's GCC has no such problem. riscv_cross_compile makes a
# directory of the toolchain's programs in which gcc answers that one question for the ISA
# without the two extensions (the same libgcc), and prints the CROSS_COMPILE prefix to use.

riscv_cross_compile() { # dir
  local dir=$1 tool
  rm -rf "$dir" && mkdir -p "$dir"
  for tool in /usr/bin/riscv64-unknown-elf-*; do
    ln -s "$tool" "$dir/"
  done
  rm "$dir/riscv64-unknown-elf-gcc"
  cat >"$dir/riscv64-unknown-elf-gcc" <<'WRAPPER'
#!/usr/bin/env bash
for arg in "$@"; do
  if [[ $arg == --print-libgcc-file-name ]]; then
    exec /usr/bin/riscv64-unknown-elf-gcc "${@//_zicsr_zifencei/}"
  fi
done
exec /usr/bin/riscv64-unknown-elf-gcc "$@"
WRAPPER
  chmod +x "$dir/riscv64-unknown-elf-gcc"
  echo "$dir/riscv64-unknown-elf-"
}
