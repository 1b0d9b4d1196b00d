//! native_sim: one workload on one peer per run, named on the command line, then exit.

use core::ffi::{c_char, CStr};

use crate::{asyncio_peer, embassy_peer, print_loaded_latency, threads};

extern "C" {
    fn bench_args(peer: *mut *const c_char, workload: *mut *const c_char, n: *mut u32) -> i32;
    fn bench_finish(peer: *const c_char, workload: *const c_char, n: u32, ok: bool) -> !;
    fn bench_bare_isr(n: u32) -> bool;
    fn bench_bare_edge(n: u32) -> bool;
}

/// The current run, to end it from wherever the peer finishes.
#[derive(Clone, Copy)]
pub struct Run {
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

/// Ends the run when the embassy workload reports.
#[embassy_executor::task]
async fn finisher(run: Run) {
    let ok = embassy_peer::DONE.wait().await;
    run.finish(ok);
}

pub fn run() {
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
    let ok = match (peer, workload) {
        (b"asyncio", b"loaded" | b"loaded-urgent") => {
            let ok = asyncio_peer::run(workload, n, false);
            print_loaded_latency(workload, n);
            ok
        }
        (b"asyncio", _) => asyncio_peer::run(workload, n, false),
        (b"asyncio-lean", _) => asyncio_peer::run(workload, n, true),
        (b"embassy", _) => embassy_peer::run_executor(|s| {
            if embassy_peer::spawn(s, workload, n).is_err() {
                run.finish(false);
            }
            s.must_spawn(finisher(run));
        }),
        (b"threads", _) => threads(workload, n),
        // SAFETY: a plain C call.
        (b"bare", b"isr") => unsafe { bench_bare_isr(n) },
        // SAFETY: a plain C call.
        (b"bare", b"edge") => unsafe { bench_bare_edge(n) },
        _ => false,
    };
    run.finish(ok);
}
