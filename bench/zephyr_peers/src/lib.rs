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
//! peer: `asyncio::gpio::InputPin`, or a C GPIO callback giving a thread a k_sem), `loaded` and
//! `loaded-urgent` (asyncio only: n expiries of a one-shot timer while ten tasks each hold the
//! loop 5 ms per poll; the measured task waits for the flag plainly, or with `asyncio::urgent`).

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
    fn bench_timer_reset(target: IsrTarget, n: u32);
    fn bench_timer_once(delay_us: u32);
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

/// Counts expiries (n wanted) and latencies from zero, waking `target`; starts nothing.
fn reset_timer(target: IsrTarget, n: u32) {
    // SAFETY: plain C call; the timer is not running.
    unsafe { bench_timer_reset(target, n) }
}

/// Arms the timer for one expiry `delay_us` from now.
fn arm_timer_once(delay_us: u32) {
    // SAFETY: plain C call; the timer has expired (or was reset).
    unsafe { bench_timer_once(delay_us) }
}

/// Stops the timer; whether it expired exactly `n` times (each expiry was one wake).
fn stop_timer(n: u32) -> bool {
    // SAFETY: plain C call.
    unsafe { bench_timer_stop() == n }
}

/// Adds the time since the last expiry to the latency sum, and returns it; called by the
/// woken task.
fn note_wake_latency() -> u32 {
    // SAFETY: the expiry wrote the stamp before waking us and will not run again before we
    // wait again; only the woken side (this thread) writes the sum.
    unsafe {
        let latency = zephyr::raw::k_cycle_get_32().wrapping_sub(bench_isr_stamp);
        bench_latency_cycles += u64::from(latency);
        latency
    }
}

/// Prints the figures of a finished `loaded` or `loaded-urgent` run of n wakes:
/// `bench-loaded-latency <workload> <n> <summed cycles> <largest cycles> <cycles per second>`.
fn print_loaded_latency(workload: &[u8], n: u32) {
    // SAFETY: the timer has stopped; nothing writes the sum now.
    let sum = unsafe { core::ptr::read_volatile(&raw const bench_latency_cycles) };
    let max = asyncio_peer::LOADED_MAX_CYCLES.load(core::sync::atomic::Ordering::Relaxed);
    let hz = zephyr::kconfig::CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC;
    let name = core::str::from_utf8(workload).unwrap_or("?");
    zephyr::printkln!("bench-loaded-latency {name} {n} {sum} {max} {hz}");
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
