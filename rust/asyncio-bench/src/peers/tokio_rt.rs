//! tokio's current-thread runtime with a `LocalSet` (the closest to one cooperative loop), its
//! clock paused so that sleeps auto-advance like our virtual clock.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::{spawn_local, yield_now, LocalSet};

fn timed(f: impl Future<Output = Duration>) -> Duration {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    LocalSet::new().block_on(&rt, f)
}

pub fn yield_ping_pong(rounds: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let player = || {
            spawn_local(async move {
                for _ in 0..rounds {
                    yield_now().await;
                }
            })
        };
        let (a, b) = (player(), player());
        a.await.unwrap();
        b.await.unwrap();
        start.elapsed()
    })
}

pub fn notify_ping_pong(rounds: u64) -> Duration {
    timed(async move {
        let (ping, pong) = (Rc::new(Notify::new()), Rc::new(Notify::new()));
        let start = Instant::now();
        let server = spawn_local({
            let (ping, pong) = (ping.clone(), pong.clone());
            async move {
                for _ in 0..rounds {
                    ping.notified().await;
                    pong.notify_one();
                }
            }
        });
        for _ in 0..rounds {
            ping.notify_one();
            pong.notified().await;
        }
        server.await.unwrap();
        start.elapsed()
    })
}

pub fn spawn_and_join(n: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let handles: Vec<_> = (0..n).map(|i| spawn_local(async move { i })).collect();
        for h in handles {
            h.await.unwrap();
        }
        start.elapsed()
    })
}

pub fn timers(n: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let handles: Vec<_> = crate::workloads::sleep_durations(n)
            .map(|ms| spawn_local(tokio::time::sleep(Duration::from_millis(ms))))
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        start.elapsed()
    })
}

pub fn notify_fan_out(n: u64) -> Duration {
    timed(async move {
        let notify = Rc::new(Notify::new());
        let waiting = Rc::new(Cell::new(0));
        let waiters: Vec<_> = (0..n)
            .map(|_| {
                let (notify, waiting) = (notify.clone(), waiting.clone());
                spawn_local(async move {
                    let notified = notify.notified();
                    tokio::pin!(notified);
                    notified.as_mut().enable(); // registered: notify_waiters() reaches it
                    waiting.set(waiting.get() + 1);
                    notified.await
                })
            })
            .collect();
        // A LocalSet polls a bounded batch of tasks per yield.
        while waiting.get() < n {
            yield_now().await;
        }
        let start = Instant::now();
        notify.notify_waiters();
        for w in waiters {
            w.await.unwrap();
        }
        start.elapsed()
    })
}
