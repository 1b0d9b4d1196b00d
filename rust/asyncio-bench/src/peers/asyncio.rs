//! The asyncio core on its host platform (virtual clock: sleeps take no real time).

use std::rc::Rc;
use std::time::{Duration, Instant};

use asyncio_core::{create_task, gather, run, sleep_ms, yield_now, Error, Event};

fn timed(f: impl std::future::Future<Output = Result<Duration, Error>> + 'static) -> Duration {
    run(f)
        .expect("the loop runs")
        .expect("the workload completes")
}

pub fn yield_ping_pong(rounds: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let player = || async move {
            for _ in 0..rounds {
                yield_now().await?;
            }
            Ok::<_, Error>(())
        };
        gather((player(), player())).await?;
        Ok(start.elapsed())
    })
}

pub fn event_ping_pong(rounds: u64) -> Duration {
    timed(async move {
        let (ping, pong) = (Rc::new(Event::new()), Rc::new(Event::new()));
        let start = Instant::now();
        let server = create_task({
            let (ping, pong) = (ping.clone(), pong.clone());
            async move {
                for _ in 0..rounds {
                    ping.wait().await?;
                    ping.clear();
                    pong.set();
                }
                Ok::<_, Error>(())
            }
        });
        for _ in 0..rounds {
            ping.set();
            pong.wait().await?;
            pong.clear();
        }
        server.await?;
        Ok(start.elapsed())
    })
}

pub fn spawn_and_gather(n: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let values = gather(
            (0..n)
                .map(|i| async move { Ok::<_, Error>(i) })
                .collect::<Vec<_>>(),
        )
        .await?;
        assert_eq!(values.len() as u64, n);
        Ok(start.elapsed())
    })
}

pub fn timers(n: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let sleepers: Vec<_> = crate::workloads::sleep_durations(n)
            .map(|ms| create_task(async move { sleep_ms(ms as u32).await }))
            .collect();
        for s in sleepers {
            s.await?;
        }
        Ok(start.elapsed())
    })
}

/// The same sleepers awaited through one `gather`, which finish one by one.
pub fn timers_gathered(n: u64) -> Duration {
    timed(async move {
        let start = Instant::now();
        let sleepers: Vec<_> = crate::workloads::sleep_durations(n)
            .map(|ms| async move { sleep_ms(ms as u32).await })
            .collect();
        gather(sleepers).await?;
        Ok(start.elapsed())
    })
}

pub fn event_fan_out(n: u64) -> Duration {
    timed(async move {
        let event = Rc::new(Event::new());
        let waiters: Vec<_> = (0..n)
            .map(|_| {
                let event = event.clone();
                create_task(async move { event.wait().await })
            })
            .collect();
        yield_now().await?; // every waiter is now waiting
        let start = Instant::now();
        event.set();
        for w in waiters {
            w.await?;
        }
        Ok(start.elapsed())
    })
}
