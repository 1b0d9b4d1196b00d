//! [`spawn_thread`]: run a function on a Zephyr thread of its own, to wake tasks from outside
//! the loop's thread.

use zephyr::thread::RunningThread;

/// Starts `body` on a new thread at `priority` (Zephyr's numbering: larger is less urgent; the
/// loop on main runs at 0). An app may start eight in all: `zephyr::thread` pools never reuse a
/// finished thread at the zephyr-lang-rust revision Zephyr 4.3 pins (the pool slot is never
/// marked running, so the termination check that would free it never runs).
pub fn spawn_thread(body: fn(), priority: i32) -> RunningThread {
    let thread = body_thread(body);
    thread.set_priority(priority);
    thread.start()
}

// The bodies are short functions that give a semaphore or set a flag; native_sim's stacks
// carry the host C library's frames as well, small boards cannot spare 32 KiB, and Armv6-M
// ones (16-32 KiB of RAM in all) not even 8.
#[cfg_attr(CONFIG_ARCH_POSIX, zephyr::thread(stack_size = 4096, pool_size = 8))]
#[cfg_attr(
    CONFIG_ARMV6_M_ARMV8_M_BASELINE,
    zephyr::thread(stack_size = 768, pool_size = 8)
)]
#[cfg_attr(
    not(any(CONFIG_ARCH_POSIX, CONFIG_ARMV6_M_ARMV8_M_BASELINE)),
    zephyr::thread(stack_size = 1024, pool_size = 8)
)]
fn body_thread(body: fn()) {
    body();
}
