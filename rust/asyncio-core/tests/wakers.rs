//! Wakers are real `Send + Sync` wakers: they work from other threads, after the task is gone,
//! under contention, and inside ecosystem futures.

mod common;

use std::cell::Cell;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::Duration;

use asyncio_core::{create_task, get_event_loop, run, sleep_ms, yield_now, Error};
use common::Trace;

/// A flag another thread sets, with the waker of the task waiting for it.
#[derive(Default)]
struct Flag {
    set: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Flag {
    fn set(&self) {
        self.set.store(true, Ordering::SeqCst);
        if let Some(w) = self.waker.lock().unwrap().take() {
            w.wake();
        }
    }

    async fn wait(&self) {
        poll_fn(|cx| {
            *self.waker.lock().unwrap() = Some(cx.waker().clone());
            if self.set.load(Ordering::SeqCst) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
    }
}

/// Runs `f` on a fresh thread (with its own loop) and fails the test if it takes over 20 s,
/// which is what a lost wake-up looks like (the loop parks forever).
fn with_watchdog<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || tx.send(f()).unwrap());
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the loop hung: a wake-up was lost")
}

#[test]
fn a_waker_from_another_thread_wakes_a_parked_loop() {
    let flag = Arc::new(Flag::default());
    let out = with_watchdog({
        let flag = flag.clone();
        move || {
            run(async move {
                let setter = flag.clone();
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(20));
                    setter.set();
                });
                flag.wait().await;
                get_event_loop().stats()
            })
            .unwrap()
        }
    });
    assert!(out.parks >= 1, "the loop should have blocked: {out:?}");
    assert!(
        out.notifies >= 1,
        "the other thread should have signalled it: {out:?}"
    );
}

#[test]
fn no_wake_up_is_lost_under_contention() {
    const THREADS: u32 = 4;
    const WAKES: u32 = 20_000;
    let count = Arc::new(AtomicU32::new(0));
    let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
    // The task finishes only if it saw the very last increment: a lost wake-up would leave it
    // parked forever, which the watchdog turns into a failure.
    with_watchdog({
        let (count, waker) = (count.clone(), waker.clone());
        move || {
            run(async move {
                let threads: Vec<_> = (0..THREADS)
                    .map(|_| {
                        let (count, waker) = (count.clone(), waker.clone());
                        thread::spawn(move || {
                            for _ in 0..WAKES {
                                count.fetch_add(1, Ordering::SeqCst);
                                if let Some(w) = waker.lock().unwrap().as_ref() {
                                    w.wake_by_ref();
                                }
                            }
                        })
                    })
                    .collect();
                poll_fn(|cx| {
                    *waker.lock().unwrap() = Some(cx.waker().clone());
                    if count.load(Ordering::SeqCst) == THREADS * WAKES {
                        Poll::Ready(())
                    } else {
                        Poll::Pending
                    }
                })
                .await;
                for t in threads {
                    t.join().unwrap();
                }
            })
            .unwrap()
        }
    });
}

#[test]
fn a_waker_outliving_its_task_is_harmless_and_frees_the_task_when_dropped() {
    struct Counted(Rc<Cell<u32>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let dropped = Rc::new(Cell::new(0));
    let kept: Waker = run({
        let dropped = dropped.clone();
        async move {
            let (tx, rx) = futures_channel::oneshot::channel();
            let value = Counted(dropped.clone());
            let _t = create_task(async move {
                let waker = poll_fn(|cx| Poll::Ready(cx.waker().clone())).await;
                tx.send(waker).ok();
                Ok::<_, Error>(value)
            });
            rx.await.unwrap()
        }
    })
    .unwrap();
    // The task finished; its waker keeps its memory (and unretrieved output) alive.
    assert_eq!(get_event_loop().stats().tasks_alive, 0);
    assert_eq!(dropped.get(), 0);
    // Waking a finished task, from this thread or another, does nothing harmful.
    kept.wake_by_ref();
    let other = kept.clone();
    thread::spawn(move || {
        other.wake_by_ref();
        other.wake();
    })
    .join()
    .unwrap();
    run(yield_now()).unwrap().unwrap();
    assert_eq!(dropped.get(), 0);
    // The last reference goes on another thread: the loop frees the task at its next round.
    thread::spawn(move || drop(kept)).join().unwrap();
    run(yield_now()).unwrap().unwrap();
    assert_eq!(dropped.get(), 1);
}

#[test]
fn futures_util_combinators_and_channels_work_inside_tasks() {
    use futures_util::stream::{FuturesUnordered, StreamExt};
    use futures_util::{future, pin_mut, select, FutureExt, SinkExt};

    let trace = Trace::new();
    run({
        let trace = trace.clone();
        async move {
            // join: both sleeps run concurrently.
            let start = get_event_loop().time();
            let (a, b) = future::join(sleep_ms(30), sleep_ms(20)).await;
            a.unwrap();
            b.unwrap();
            trace.log(format!(
                "join {}",
                get_event_loop().time().ticks_since(start)
            ));

            // select: the earlier timer wins, the other is dropped (its timer disarmed).
            let slow = sleep_ms(50).fuse();
            let fast = sleep_ms(5).fuse();
            pin_mut!(slow, fast);
            select! {
                _ = slow => trace.log("slow"),
                _ = fast => trace.log("fast"),
            }
            assert_eq!(get_event_loop().stats().timers_armed, 1);

            // FuturesUnordered wraps our wakers in its own: our timers must still fire.
            let mut set: FuturesUnordered<_> = [30u32, 10, 20]
                .into_iter()
                .map(|ms| sleep_ms(ms).map(move |r| r.map(|()| ms)))
                .collect();
            while let Some(ms) = set.next().await {
                trace.log(format!("unordered {}", ms.unwrap()));
            }

            // An mpsc channel between two tasks.
            let (mut tx, mut rx) = futures_channel::mpsc::channel::<u32>(1);
            let producer = create_task(async move {
                for i in 0..3 {
                    tx.send(i).await.unwrap();
                    sleep_ms(1).await?;
                }
                Ok::<_, Error>(())
            });
            while let Some(i) = rx.next().await {
                trace.log(format!("mpsc {i}"));
            }
            producer.await.unwrap();

            // A oneshot completed by another thread.
            let (tx, rx) = futures_channel::oneshot::channel();
            thread::spawn(move || tx.send("from a thread").unwrap());
            trace.log(rx.await.unwrap());
        }
    })
    .unwrap();
    trace.assert(&[
        "join 30",
        "fast",
        "unordered 10",
        "unordered 20",
        "unordered 30",
        "mpsc 0",
        "mpsc 1",
        "mpsc 2",
        "from a thread",
    ]);
}

#[test]
fn embassy_sync_primitives_work_inside_tasks() {
    use embassy_sync::blocking_mutex::raw::{CriticalSectionRawMutex, NoopRawMutex};
    use embassy_sync::channel::Channel;
    use embassy_sync::signal::Signal;

    static SIGNAL: Signal<CriticalSectionRawMutex, u32> = Signal::new();
    let out = with_watchdog(|| {
        run(async {
            let channel: &'static Channel<NoopRawMutex, u32, 2> =
                Box::leak(Box::new(Channel::new()));
            let producer = create_task(async move {
                for i in 0..5 {
                    channel.send(i).await;
                }
                Ok::<_, Error>(())
            });
            let mut sum = 0;
            for _ in 0..5 {
                sum += channel.receive().await;
            }
            producer.await.unwrap();
            thread::spawn(|| {
                thread::sleep(Duration::from_millis(10));
                SIGNAL.signal(100);
            });
            sum + SIGNAL.wait().await
        })
        .unwrap()
    });
    assert_eq!(out, 110);
}
