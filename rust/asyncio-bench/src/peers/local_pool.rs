//! futures' `LocalPool`: a minimal single-thread executor, with no timers or events of its own.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_executor::LocalPool;
use futures_util::future::join_all;
use futures_util::task::LocalSpawnExt;

/// Yields once: wakes itself and returns pending (futures has no yield_now of its own).
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

pub fn yield_ping_pong(rounds: u64) -> Duration {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let start = Instant::now();
    let players: Vec<_> = (0..2)
        .map(|_| {
            spawner
                .spawn_local_with_handle(async move {
                    for _ in 0..rounds {
                        YieldNow(false).await;
                    }
                })
                .expect("spawn")
        })
        .collect();
    pool.run_until(join_all(players));
    start.elapsed()
}

pub fn spawn_and_join(n: u64) -> Duration {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let start = Instant::now();
    pool.run_until(async move {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                spawner
                    .spawn_local_with_handle(async move { i })
                    .expect("spawn")
            })
            .collect();
        join_all(handles).await
    });
    start.elapsed()
}
