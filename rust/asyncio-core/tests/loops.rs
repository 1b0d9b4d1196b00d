//! Several loops at once, one per thread: each finds its own loop, wakes reach the loop their
//! task belongs to, a flag is owned by one loop at a time, and other threads reach a loop
//! through its handle.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;

use asyncio_core::{
    create_task, get_event_loop, get_running_loop, host, run, sleep_ms, Error, Loop, LoopHandle,
    RemoteCall, ThreadSafeFlag,
};

/// Runs `f` on a new thread, failing the test instead of hanging it.
fn on_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> thread::JoinHandle<T> {
    thread::spawn(f)
}

#[test]
fn two_loops_on_two_threads_each_run_their_own_tasks_and_wake_only_for_them() {
    static FLAGS: [ThreadSafeFlag; 2] = [ThreadSafeFlag::new(), ThreadSafeFlag::new()];
    static SEEN: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
    let start = Arc::new(Barrier::new(3));
    let loops: Vec<_> = (0..2)
        .map(|i| {
            let start = start.clone();
            on_thread(move || {
                let lp = get_event_loop();
                let timers = lp.create_task(async {
                    for _ in 0..10 {
                        sleep_ms(5).await?;
                    }
                    Ok::<_, Error>(())
                });
                start.wait();
                // Each flag is set from the main thread, 20 times; this loop waits for its own.
                let sets = lp
                    .run_until_complete(async move {
                        for _ in 0..20 {
                            FLAGS[i].wait().await?;
                            SEEN[i].fetch_add(1, Ordering::Release);
                        }
                        timers.await
                    })
                    .unwrap();
                (sets, lp.stats(), lp.handle())
            })
        })
        .collect();
    start.wait();
    for round in 1..=20 {
        for (flag, seen) in FLAGS.iter().zip(&SEEN) {
            flag.set();
            // One set per wait: the next only once this one was taken (sets coalesce).
            while seen.load(Ordering::Acquire) < round {
                thread::yield_now();
            }
        }
    }
    let results: Vec<_> = loops.into_iter().map(|t| t.join().unwrap()).collect();
    assert_ne!(results[0].2, results[1].2, "two threads, two loops");
    for (sets, stats, _) in results {
        assert_eq!(sets, Ok(()));
        assert_eq!(stats.timers_fired, 10);
        assert_eq!(stats.tasks_created, 2);
        // Woken only for its own work: never by the other loop's flag.
        assert_eq!(stats.idle_wakeups, 0, "{stats:?}");
    }
}

#[test]
fn each_thread_finds_its_own_running_and_default_loop() {
    let main = get_event_loop().handle();
    let other = on_thread(move || {
        let lp = get_event_loop();
        assert!(lp.handle() != main);
        assert!(get_running_loop().is_none());
        let seen = lp
            .run_until_complete(async { get_running_loop().map(|lp| lp.handle()) })
            .unwrap();
        assert_eq!(seen, Some(lp.handle()));
        lp.handle()
    })
    .join()
    .unwrap();
    assert!(LoopHandle::all().any(|lp| lp == other));
    assert!(LoopHandle::all().any(|lp| lp == main));
}

#[test]
fn an_explicit_loop_is_the_running_one_while_it_runs() {
    let lp = Loop::with_platform(host::HostPlatform::leak_virtual());
    assert!(get_event_loop().handle() != lp.handle());
    let out = lp.run_until_complete(async { get_running_loop().unwrap().handle() });
    assert_eq!(out.unwrap(), lp.handle());
    assert!(!lp.is_running());
}

#[test]
fn a_flag_waited_on_by_one_loop_is_an_error_for_another() {
    static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
    let (waiting, waiting_rx) = mpsc::channel();
    let owner = on_thread(move || {
        run(async move {
            let waiter = create_task(FLAG.wait());
            sleep_ms(1).await?;
            assert_eq!(FLAG.waiting(), 1);
            waiting.send(()).unwrap();
            waiter.await
        })
        .unwrap()
    });
    waiting_rx.recv().unwrap();
    // Asked from a thread whose loop does not own it: none of its tasks wait.
    let asked = on_thread(|| FLAG.waiting()).join().unwrap();
    assert_eq!(asked, 0);
    // Waiting from this thread's loop while the other loop's task waits: a clear error.
    assert_eq!(run(FLAG.wait()).unwrap(), Err(Error::WrongLoop));
    FLAG.set();
    assert_eq!(owner.join().unwrap(), Ok(()));
    // Nobody waits any more: any loop may wait on it now.
    FLAG.set();
    assert_eq!(run(FLAG.wait()).unwrap(), Ok(()));
}

#[test]
fn a_remote_call_wakes_a_parked_loop_and_runs_on_its_thread() {
    static RAN_ON: AtomicUsize = AtomicUsize::new(0);
    static STOP: RemoteCall = RemoteCall::new(|lp: Loop| {
        RAN_ON.store(thread_marker(), Ordering::Relaxed);
        lp.stop();
    });
    fn thread_marker() -> usize {
        thread_local!(static MARK: u8 = const { 0 });
        MARK.with(|m| m as *const u8 as usize)
    }
    let (handle_tx, handle_rx) = mpsc::channel();
    let looping = on_thread(move || {
        let lp = get_event_loop();
        handle_tx.send(lp.handle()).unwrap();
        // Parked with nothing to do until the call comes.
        lp.run_forever().unwrap();
        (thread_marker(), lp.stats())
    });
    let handle = handle_rx.recv().unwrap();
    while !handle.is_running() {
        thread::yield_now();
    }
    assert!(handle.call_soon_threadsafe(&STOP));
    let (loop_thread, stats) = looping.join().unwrap();
    assert_eq!(RAN_ON.load(Ordering::Relaxed), loop_thread);
    // The call was the wake-up's work, not an idle one.
    assert_eq!(stats.idle_wakeups, 0);
}

#[test]
fn a_remote_call_already_queued_is_not_queued_twice() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    static COUNT: RemoteCall = RemoteCall::new(|_| {
        CALLS.fetch_add(1, Ordering::Relaxed);
    });
    let lp = Loop::with_platform(host::HostPlatform::leak_virtual());
    assert!(lp.handle().call_soon_threadsafe(&COUNT));
    assert!(!lp.handle().call_soon_threadsafe(&COUNT));
    lp.run_until_complete(async {}).unwrap();
    assert_eq!(CALLS.load(Ordering::Relaxed), 1);
    // Served, so it may be queued again.
    assert!(lp.handle().call_soon_threadsafe(&COUNT));
    lp.run_until_complete(async {}).unwrap();
    assert_eq!(CALLS.load(Ordering::Relaxed), 2);
}

#[test]
fn a_loop_woken_for_nothing_counts_an_idle_wake_up() {
    let platform = host::HostPlatform::leak_real_time();
    let lp = Loop::with_platform(platform);
    let before = lp.stats().idle_wakeups;
    let handle = lp.handle();
    let notifier = on_thread(move || {
        while !handle.is_running() {
            thread::yield_now();
        }
        // A bare notify: what a wake meant for another loop would cost this one. The loop's
        // park takes it, before or during the sleep, and finds nothing to do.
        asyncio_core::Platform::notify(platform);
    });
    lp.run_until_complete(sleep_ms(200)).unwrap().unwrap();
    notifier.join().unwrap();
    assert_eq!(lp.stats().idle_wakeups - before, 1);
}
