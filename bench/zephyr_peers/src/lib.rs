//! The native_sim benchmark image: one workload on one peer per run, chosen on the command line
//! (`zephyr.exe --no-rt -testargs <peer> <workload> <n>`), then exit. `scripts/bench native_sim`
//! runs it under callgrind for n and 2n: the difference over n is the instructions per
//! operation, with start-up and shutdown cancelled out.
//!
//! Peers: `asyncio` (this module's loop, default Kconfig), `asyncio-lean` (the same with the
//! slow-task detector off), `embassy` (zephyr-lang-rust's embassy executor),
//! `threads` (Zephyr threads, in `threads.c`), `bare` (the timer alone, the floor of `isr`).
//! Workloads: `switch` (ping-pong, 2n switches), `spawn` (n tasks returning a value, awaited),
//! `isr` (n timer expiries, each waking the peer from the system clock's interrupt).

#![no_std]

extern crate alloc;

mod asyncio_peer;
mod embassy_peer;

use core::ffi::{c_char, CStr};

/// Whom the timer's expiry wakes: `enum bench_isr_target` in `harness.h`.
#[repr(C)]
pub enum IsrTarget {
    Asyncio = 1,
    Embassy = 2,
}

extern "C" {
    fn bench_args(peer: *mut *const c_char, workload: *mut *const c_char, n: *mut u32) -> i32;
    fn bench_finish(peer: *const c_char, workload: *const c_char, n: u32, ok: bool) -> !;
    fn bench_timer_start(target: IsrTarget, n: u32);
    fn bench_timer_stop() -> u32;
    fn bench_threads_switch(rounds: u32) -> bool;
    fn bench_threads_spawn(n: u32) -> bool;
    fn bench_threads_isr(n: u32) -> bool;
    fn bench_bare_isr(n: u32) -> bool;
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

/// The current run, to end it from wherever the peer finishes.
#[derive(Clone, Copy)]
struct Run {
    peer: *const c_char,
    workload: *const c_char,
    n: u32,
}

impl Run {
    fn finish(&self, ok: bool) -> ! {
        // SAFETY: the strings are the command line's, alive for the whole program.
        unsafe { bench_finish(self.peer, self.workload, self.n, ok) }
    }
}

#[no_mangle]
extern "C" fn rust_main() {
    let mut run = Run {
        peer: core::ptr::null(),
        workload: core::ptr::null(),
        n: 0,
    };
    // SAFETY: out-pointers to live locals.
    if unsafe { bench_args(&mut run.peer, &mut run.workload, &mut run.n) } != 0 {
        return;
    }
    // SAFETY: bench_args returned the command line's NUL-terminated strings.
    let (peer, workload) = unsafe { (CStr::from_ptr(run.peer), CStr::from_ptr(run.workload)) };
    let (peer, workload) = (peer.to_bytes(), workload.to_bytes());
    let n = run.n;
    // SAFETY (the C peers): plain C calls.
    let ok = match (peer, workload) {
        (b"asyncio", _) => asyncio_peer::run(workload, n, false),
        (b"asyncio-lean", _) => asyncio_peer::run(workload, n, true),
        (b"embassy", _) => embassy_peer::run(run, workload),
        (b"threads", b"switch") => unsafe { bench_threads_switch(n) },
        (b"threads", b"spawn") => unsafe { bench_threads_spawn(n) },
        (b"threads", b"isr") => unsafe { bench_threads_isr(n) },
        (b"bare", b"isr") => unsafe { bench_bare_isr(n) },
        _ => false,
    };
    run.finish(ok);
}
