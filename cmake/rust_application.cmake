# Cargo integration for Rust applications that use Zephyr modules' crates.
# SPDX-License-Identifier: Apache-2.0
#
# zephyr-lang-rust's rust_cargo_application() builds the application crate (`rustapp`) with
# cargo and patches its own crates (zephyr, zephyr-build, zephyr-sys) in by name, so that an
# application's `zephyr = "0.1.0"` resolves to the in-tree copies. Its list of crates is fixed
# ("Once we have more than one crate, these should be added by the modules themselves").
#
# This file redefines rust_cargo_application() with the same interface, environment and outputs,
# and patches in every crate registered in the global property ZEPHYR_RUST_CRATES as well
# ("name=path" entries). This module registers `zephyr-asyncio`, so an application's
# `zephyr-asyncio = "0.1"` dependency resolves to this module's copy.
#
# It uses two helpers of zephyr-lang-rust (_rust_map_target, get_include_dirs) and mirrors its
# function at the revision Zephyr 4.3 pins; if that function changes, this one must follow.

set_property(GLOBAL APPEND PROPERTY ZEPHYR_RUST_CRATES
  "zephyr-asyncio=${ZEPHYR_ASYNCIO_RUST_DIR}/zephyr-asyncio")

# bindgen parses Zephyr's headers with libclang, which brings its own compiler headers
# (stddef.h, stdint.h, arm_acle.h...) and finds them by itself. Zephyr also puts the C
# compiler's internal include directories on the include path (the `nostdinc_include` property
# of its `compiler` target): with GCC, those hold GCC's versions of the same headers, written
# for GCC's builtins, and clang stops at Debian arm-none-eabi-gcc's arm_acle.h ("argument to
# '__builtin_arm_cdp' must be a constant integer"). Leaving that entry out of what bindgen sees
# makes clang use its own headers; the C build keeps GCC's.
function(_asyncio_drop_compiler_includes dirs_var)
  list(REMOVE_ITEM ${dirs_var} "$<TARGET_PROPERTY:compiler,nostdinc_include>")
  set(${dirs_var} "${${dirs_var}}" PARENT_SCOPE)
endfunction()

# rust_cargo_application([C_MAIN])
#   C_MAIN: the application has its own C main() (e.g. a C application that starts the asyncio
#   loop with asyncio_run_forever()); zephyr-lang-rust's main.c, whose main() calls rust_main(),
#   is replaced by c/rust_support.c, which keeps the C functions the `zephyr` crate needs.
# zephyr-lang-rust builds every 32-bit RISC-V image for riscv32i, the base ISA, whose core
# library has no atomic read-modify-write operations; the loop's wakers need them (they run in
# interrupt handlers). Pick the Rust target that matches the ISA Zephyr builds the C code for.
function(_asyncio_riscv32_target)
  if(NOT CONFIG_RISCV_ISA_RV32I)
    return()
  endif()
  if(NOT CONFIG_RISCV_ISA_EXT_A)
    message(FATAL_ERROR "zephyr-asyncio needs atomic instructions: this RISC-V SoC has no A "
      "extension (CONFIG_RISCV_ISA_EXT_A), and Rust's core library offers no atomic "
      "read-modify-write operations without it.")
  endif()
  if(CONFIG_RISCV_ISA_EXT_M AND CONFIG_RISCV_ISA_EXT_C)
    if(CONFIG_FPU AND CONFIG_RISCV_ISA_EXT_F AND NOT CONFIG_RISCV_ISA_EXT_D)
      set(RUST_TARGET "riscv32imafc-unknown-none-elf" PARENT_SCOPE)
    elseif(NOT CONFIG_FPU)
      set(RUST_TARGET "riscv32imac-unknown-none-elf" PARENT_SCOPE)
    endif()
  endif()
endfunction()

function(rust_cargo_application)
  cmake_parse_arguments(PARSE_ARGV 0 RUST "C_MAIN" "" "")
  _rust_map_target()
  _asyncio_riscv32_target()
  message(STATUS "Building Rust llvm target ${RUST_TARGET}")

  get_include_dirs(zephyr_interface include_dirs)
  _asyncio_drop_compiler_includes(include_dirs)
  get_property(include_defines TARGET zephyr_interface PROPERTY INTERFACE_COMPILE_DEFINITIONS)
  # One argument each; bindgen's build script splits on spaces or semicolons.
  string(REPLACE ";" " " include_dirs "${include_dirs}")
  string(REPLACE ";" " " include_defines "${include_defines}")

  if(CONFIG_DEBUG)
    set(profile debug)
    set(profile_arg "")
  else()
    set(profile release)
    # Rust code is optimised as Zephyr's choice says for the C code (CONFIG_*_OPTIMIZATIONS,
    # size by default): cargo's release default, opt-level 3, makes Rust alone overflow small
    # parts' flash.
    if(CONFIG_SIZE_OPTIMIZATIONS_AGGRESSIVE)
      set(opt_level "\"z\"")
    elseif(CONFIG_SIZE_OPTIMIZATIONS)
      set(opt_level "\"s\"")
    elseif(CONFIG_DEBUG_OPTIMIZATIONS)
      set(opt_level 1)
    elseif(CONFIG_NO_OPTIMIZATIONS)
      set(opt_level 0)
    else()
      set(opt_level 3)
    endif()
    set(profile_arg --release --config profile.release.opt-level=${opt_level})
  endif()

  set(relative_library ${RUST_TARGET}/${profile}/librustapp.a)
  set(shared_target $ENV{ASYNCIO_SHARED_CARGO_TARGET})
  if(shared_target)
    # A target directory shared with other applications' builds (cmake/cargo-in-slot), for
    # test runs that build many applications; the library is copied out of it.
    set(target_dir ${shared_target}/slot-0)
    set(rust_library ${CMAKE_CURRENT_BINARY_DIR}/rust/librustapp.a)
    set(cargo_build ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/cargo-in-slot ${shared_target}
        ${rust_library} ${relative_library})
  else()
    set(target_dir ${CMAKE_CURRENT_BINARY_DIR}/rust/target)
    set(rust_library ${target_dir}/${relative_library})
    set(cargo_build cargo build --target-dir=${target_dir})
  endif()
  # C wrappers bindgen writes for Zephyr's static inline functions (zephyr-sys's, and
  # zephyr-asyncio-sys's); compiled into the app.
  set(wrapper_file ${CMAKE_CURRENT_BINARY_DIR}/rust/wrapper.c)
  set(asyncio_wrapper_file ${CMAKE_CURRENT_BINARY_DIR}/rust/asyncio-wrapper.c)
  # Exists even before (or without) cargo generating it, so the app's source list is valid.
  if(NOT EXISTS ${asyncio_wrapper_file})
    file(WRITE ${asyncio_wrapper_file} "")
  endif()
  # Never created, so cargo runs on every build and decides itself what is stale.
  set(always_run ${CMAKE_BINARY_DIR}/always-run-cargo.dummy)

  set(crates
    "zephyr=$CACHE{RUST_MODULE_DIR}/zephyr"
    "zephyr-build=$CACHE{RUST_MODULE_DIR}/zephyr-build"
    "zephyr-sys=$CACHE{RUST_MODULE_DIR}/zephyr-sys")
  get_property(module_crates GLOBAL PROPERTY ZEPHYR_RUST_CRATES)
  list(APPEND crates ${module_crates})
  set(patch_args)
  set(patch_toml "")
  foreach(entry IN LISTS crates)
    string(FIND "${entry}" "=" split)
    string(SUBSTRING "${entry}" 0 ${split} name)
    math(EXPR split "${split} + 1")
    string(SUBSTRING "${entry}" ${split} -1 path)
    list(APPEND patch_args --config "patch.crates-io.${name}.path=\"${path}\"")
    string(APPEND patch_toml "${name}.path = \"${path}\"\n")
  endforeach()

  # zephyr-build reruns a crate's build script (Kconfig cfgs, zephyr::kconfig) only when the
  # DOTCONFIG *path* changes: its rerun-if-changed on the file is misspelt. A copy named after
  # the content makes every configuration change a new path.
  file(MD5 ${DOTCONFIG} dotconfig_md5)
  set(dotconfig ${CMAKE_CURRENT_BINARY_DIR}/rust/dotconfig-${dotconfig_md5})
  configure_file(${DOTCONFIG} ${dotconfig} COPYONLY)

  # zephyr-lang-rust's devicetree augments, and this module's (cmake/dt-augments.yaml).
  set(dt_augments "${DT_AUGMENTS} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/dt-augments.yaml")

  set(cargo_env
    BUILD_DIR=${CMAKE_CURRENT_BINARY_DIR}
    ZEPHYR_BASE=${ZEPHYR_BASE}
    DOTCONFIG=${dotconfig}
    ZEPHYR_DTS=${ZEPHYR_DTS}
    "INCLUDE_DIRS=${include_dirs}"
    "INCLUDE_DEFINES=${include_defines}"
    WRAPPER_FILE=${wrapper_file}
    ZEPHYR_ASYNCIO_WRAPPER_FILE=${asyncio_wrapper_file}
    "DT_AUGMENTS=${dt_augments}"
    BINARY_DIR_INCLUDE_GENERATED=${BINARY_DIR_INCLUDE_GENERATED}
  )
  set(cargo_args ${profile_arg} ${patch_args} --target ${RUST_TARGET})
  # Kconfig choices the portable core compiles in or out, as cargo features (the core knows
  # no Kconfig). Every application of the module depends on zephyr-asyncio directly.
  if(CONFIG_ASYNCIO_TASK_INFO)
    list(APPEND cargo_args --features zephyr-asyncio/task-info)
  endif()
  if(CONFIG_ASYNCIO_MQTT)
    list(APPEND cargo_args --features zephyr-asyncio/mqtt)
  endif()
  if(CONFIG_ASYNCIO_HTTP)
    list(APPEND cargo_args --features zephyr-asyncio/http)
  endif()
  set(rustflags_toml "")
  if(CONFIG_ASYNCIO_TLS)
    list(APPEND cargo_args --features zephyr-asyncio/tls)
    # TLS's AES-GCM in portable code: the crates' x86 intrinsics need SSE, which the bare-metal
    # x86_64-unknown-none target (native_sim's) turns off, and LLVM cannot lower them there.
    # On Arm and RISC-V the portable code is what they use anyway.
    set(rustflags_toml "rustflags = ['--cfg', 'polyval_force_soft', '--cfg', 'aes_force_soft']")
    list(APPEND cargo_args --config "build.${rustflags_toml}")
  endif()
  if(CONFIG_ASYNCIO_HTTP_SERVER)
    list(APPEND cargo_args --features zephyr-asyncio/http-server)
  endif()

  # For IDEs: a .cargo/config.toml equivalent of this build's settings.
  file(GENERATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/rust/sample-cargo-config.toml CONTENT
"# Generated by the Zephyr build: the settings cargo needs to build this application.
[build]
target = \"${RUST_TARGET}\"
target-dir = \"${target_dir}\"
${rustflags_toml}

[env]
BUILD_DIR = \"${CMAKE_CURRENT_BINARY_DIR}\"
DOTCONFIG = \"${dotconfig}\"
ZEPHYR_DTS = \"${ZEPHYR_DTS}\"
INCLUDE_DIRS = \"${include_dirs}\"
INCLUDE_DEFINES = \"${include_defines}\"
WRAPPER_FILE = \"${wrapper_file}\"
ZEPHYR_ASYNCIO_WRAPPER_FILE = \"${asyncio_wrapper_file}\"
BINARY_DIR_INCLUDE_GENERATED = \"${BINARY_DIR_INCLUDE_GENERATED}\"
DT_AUGMENTS = \"${dt_augments}\"

[patch.crates-io]
${patch_toml}")

  add_custom_command(
    OUTPUT ${always_run}
    BYPRODUCTS ${rust_library} ${wrapper_file} ${asyncio_wrapper_file}
    COMMAND ${CMAKE_COMMAND} -E env ${cargo_env} ${cargo_build} ${cargo_args}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Building Rust application"
    USES_TERMINAL
    VERBATIM
  )
  # Cargo needs the generated headers before bindgen runs.
  add_custom_target(librustapp ALL
    DEPENDS ${always_run} offsets_h syscall_list_h_target driver_validation_h_target
            kobj_types_h_target
  )

  add_custom_target(rustdoc
    COMMAND ${CMAKE_COMMAND} -E env ${cargo_env} cargo doc ${cargo_args} --target-dir=${target_dir}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Building Rust documentation"
    USES_TERMINAL
    VERBATIM
  )
  add_dependencies(rustdoc offsets_h syscall_list_h_target driver_validation_h_target
                   kobj_types_h_target)

  # The runtime library goes first: librustapp.a carries compiler-rt objects whose relocations
  # some linkers (riscv) only resolve that way. Multiple definitions are allowed because both
  # define compiler intrinsics.
  target_link_libraries(app PUBLIC $<TARGET_PROPERTY:linker,rt_library>
                        -Wl,--allow-multiple-definition ${rust_library})
  add_dependencies(app librustapp)
  if(CONFIG_ASYNCIO)
    add_dependencies(app asyncio_header)
  endif()
  if(RUST_C_MAIN)
    set(rust_support ${ZEPHYR_ASYNCIO_C_DIR}/rust_support.c)
  else()
    # zephyr-lang-rust's main.c calls rust_main() and provides the same support functions.
    set(rust_support $CACHE{RUST_MODULE_DIR}/main.c)
  endif()
  target_sources(app PRIVATE ${rust_support} ${wrapper_file} ${asyncio_wrapper_file})
endfunction()
