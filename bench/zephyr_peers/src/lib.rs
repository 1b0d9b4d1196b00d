//! The benchmark image of the Zephyr peers.
//!
//! On native_sim it runs one workload on one peer, chosen on the command line
//! (`zephyr.exe --no-rt -testargs <peer> <workload> <n>`), then exits; `scripts/bench native_sim`
//! runs it under callgrind for n and 2n: the difference over n is the instructions per
//! operation, with start-up and shutdown cancelled out (see `command_line.rs`).
//!
//! On other boards (qemu_cortex_m3) it measures everything in one boot with the cycle counter
//! and prints one line per figure (see `sequence.rs`).
//!
//! Peers: `asyncio` (this module's loop, default Kconfig), `asyncio-lean` (the same with the
//! slow-task detector off), `embassy` (zephyr-lang-rust's embassy executor),
//! `threads` (Zephyr threads, in `threads.c`), `bare` (the timer alone, the floor of `isr` and
//! `edge`). Workloads: `switch` (ping-pong, 2n switches), `spawn` (n tasks returning a value,
//! awaited), `isr` (n timer expiries, each waking the peer from the system clock's interrupt),
//! `edge` (n timer expiries, each toggling an emulated pin whose edge interrupt wakes the
//! peer: `asyncio::gpio::InputPin`, or a C GPIO callback giving a thread a k_sem).

#![no_std]

extern crate alloc;

mod asyncio_peer;
#[cfg(CONFIG_ARCH_POSIX)]
mod command_line;
mod embassy_peer;
#[cfg(not(CONFIG_ARCH_POSIX))]
mod sequence;

/// Whom the timer's expiry wakes: `enum bench_isr_target` in `harness.h`.
#[repr(C)]
pub enum IsrTarget {
    Asyncio = 1,
    Embassy = 2,
    Edge = 4,
}

extern "C" {
    fn bench_timer_start(target: IsrTarget, n: u32);
    fn bench_timer_stop() -> u32;
    fn bench_threads_switch(rounds: u32) -> bool;
    fn bench_threads_spawn(n: u32) -> bool;
    fn bench_threads_isr(n: u32) -> bool;
    fn bench_threads_edge(n: u32) -> bool;
    /// The cycle counter when the timer's last expiry ran.
    static bench_isr_stamp: u32;
    /// The woken side's latencies since the timer started, summed.
    static mut bench_latency_cycles: u64;
}

/// Starts the periodic timer (one expiry per tick) waking `target`.
fn start_timer(target: IsrTarget, n: u32) {
    // SAFETY: plain C call; the timer is not running.
    unsafe { bench_timer_start(target, n) }
}

/// Stops the timer; whether it expired exactly `n` times (each expiry was one wake).
fn stop_timer(n: u32) -> bool {
    // SAFETY: plain C call.
    unsafe { bench_timer_stop() == n }
}

/// Adds the time since the last expiry to the latency sum; called by the woken task.
fn note_wake_latency() {
    // SAFETY: the expiry wrote the stamp before waking us and will not run again before we
    // wait again; only the woken side (this thread) writes the sum.
    unsafe {
        let latency = zephyr::raw::k_cycle_get_32().wrapping_sub(bench_isr_stamp);
        bench_latency_cycles += u64::from(latency);
    }
}

/// Runs the C peers' workloads.
fn threads(workload: &[u8], n: u32) -> bool {
    // SAFETY: plain C calls.
    unsafe {
        match workload {
            b"switch" => bench_threads_switch(n),
            b"spawn" => bench_threads_spawn(n),
            b"isr" => bench_threads_isr(n),
            b"edge" => bench_threads_edge(n),
            _ => false,
        }
    }
}

#[no_mangle]
extern "C" fn rust_main() {
    #[cfg(CONFIG_ARCH_POSIX)]
    command_line::run();
    #[cfg(not(CONFIG_ARCH_POSIX))]
    sequence::run();
}
