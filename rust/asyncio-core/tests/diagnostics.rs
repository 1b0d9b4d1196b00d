//! The run-time guards (slow polls, swallowed cancellations) and the task dump: each guard
//! fires, names the task, counts, and stays quiet when the code is right.
//!
//! The tests find their warnings by the names they give their tasks: a lean build (feature
//! `task-info` off) names no task, and has its own tests in `lean.rs`.
#![cfg(feature = "task-info")]

use std::sync::{Mutex, Once};

use asyncio_core::{
    create_task, current_task, get_event_loop, host, run, sleep_ms, ticks_ms, yield_now,
    Diagnostics, Error, Loop,
};

/// Every log line of the process; tests look for the ones naming their own tasks.
static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

static CAPTURE: Capture = Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}", record.level(), record.args());
        LOGGED.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

fn logged_about(task_name: &str) -> Vec<String> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&CAPTURE).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
    });
    let needle = format!("'{task_name}'");
    LOGGED
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains(&needle))
        .cloned()
        .collect()
}

/// A fresh look at this thread's loop, with the default guards and the logger installed.
fn fresh_loop() -> Loop {
    logged_about("");
    let lp = get_event_loop();
    lp.set_diagnostics(Diagnostics::default());
    lp
}

/// A task body standing for `ms` milliseconds of synchronous work.
fn compute(ms: u64) {
    host::thread_platform().advance(ms);
}

#[test]
fn a_poll_longer_than_the_threshold_is_logged_with_the_task_name_and_time() {
    let lp = fresh_loop();
    let before = lp.stats().slow_polls;
    run(async {
        let crunch = create_task(async { compute(50) });
        crunch.set_name("crunch-50");
        // At the threshold exactly: not slow.
        let edge = create_task(async { compute(20) });
        edge.set_name("edge-20");
        crunch.await?;
        edge.await
    })
    .unwrap()
    .unwrap();
    assert_eq!(lp.stats().slow_polls - before, 1);
    let lines = logged_about("crunch-50");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("WARN"), "{}", lines[0]);
    assert!(lines[0].contains("held the loop for 50 ms in one poll (threshold 20 ms)"));
    assert!(
        lines[0].contains("offload()"),
        "the warning points to offload"
    );
    assert!(logged_about("edge-20").is_empty());
}

#[test]
fn a_long_computation_sliced_by_awaits_is_not_slow() {
    let lp = fresh_loop();
    let before = lp.stats().slow_polls;
    run(async {
        let sliced = create_task(async {
            for _ in 0..10 {
                compute(15);
                yield_now().await?;
            }
            Ok::<_, Error>(())
        });
        sliced.set_name("sliced");
        sliced.await
    })
    .unwrap()
    .unwrap();
    assert_eq!(lp.stats().slow_polls, before);
}

#[test]
fn time_parked_or_between_runs_is_no_task_poll() {
    let lp = fresh_loop();
    let before = lp.stats().slow_polls;
    compute(100); // between two runs of the loop
    let parks = lp.stats().parks;
    run(async {
        let sleeper = create_task(async {
            sleep_ms(500).await?; // the loop parks for 500 ms
            yield_now().await
        });
        sleeper.set_name("sleeper");
        sleeper.await
    })
    .unwrap()
    .unwrap();
    assert!(lp.stats().parks > parks);
    assert_eq!(lp.stats().slow_polls, before);
    assert!(logged_about("sleeper").is_empty());
}

#[test]
fn a_zero_threshold_turns_the_detector_off() {
    let lp = fresh_loop();
    lp.set_diagnostics(Diagnostics {
        slow_poll_ms: 0,
        ..Diagnostics::default()
    });
    let before = lp.stats().slow_polls;
    run(async {
        let t = create_task(async { compute(500) });
        t.set_name("unwatched");
        t.await
    })
    .unwrap()
    .unwrap();
    assert_eq!(lp.stats().slow_polls, before);
    assert!(logged_about("unwatched").is_empty());
    lp.set_diagnostics(Diagnostics::default());
}

/// A worker that catches every cancellation and goes on sleeping: how many times it was told,
/// and how many sleeps it started in all.
async fn stubborn_worker(max_sleeps: u32) -> Result<(u32, u32), Error> {
    let (mut told, mut sleeps) = (0, 0);
    while sleeps < max_sleeps {
        sleeps += 1;
        if sleep_ms(100).await == Err(Error::Cancelled) {
            told += 1;
        }
    }
    Ok((told, sleeps))
}

#[test]
fn a_cancellation_is_delivered_once_and_ending_ok_after_it_is_warned_about() {
    let lp = fresh_loop();
    let before = lp.stats().swallowed_cancels;
    let out = run(async {
        let worker = create_task(stubborn_worker(4));
        worker.set_name("stubborn");
        yield_now().await?;
        worker.cancel();
        worker.await
    });
    // Told once, at the cancel; its three sleeps after that run normally.
    assert_eq!(out.unwrap(), Ok((1, 4)));
    assert_eq!(lp.stats().swallowed_cancels - before, 1);
    let lines = logged_about("stubborn");
    assert_eq!(lines.len(), 1, "warned once: {lines:?}");
    assert!(lines[0].starts_with("WARN"));
    assert!(lines[0].contains("ended without passing the cancellation on"));
}

#[test]
fn a_cancelled_task_still_running_after_its_grace_is_warned_about_once() {
    let lp = fresh_loop();
    let before = lp.stats();
    let out = run(async {
        let slow = create_task(async {
            if sleep_ms(100).await == Err(Error::Cancelled) {
                sleep_ms(5000).await?; // a cleanup far longer than the grace
            }
            Err::<(), _>(Error::Cancelled)
        });
        slow.set_name("slow-cleanup");
        yield_now().await?;
        slow.cancel();
        let start = ticks_ms();
        let end = slow.await;
        Ok::<_, Error>((end, ticks_ms() - start))
    });
    assert_eq!(out.unwrap(), Ok((Err(Error::Cancelled), 5000)));
    let after = lp.stats();
    assert_eq!(after.overdue_cancels - before.overdue_cancels, 1);
    assert_eq!(after.swallowed_cancels, before.swallowed_cancels);
    // The guard's look at the task, 1 s after the cancel, was the loop's work.
    assert_eq!(after.idle_wakeups, before.idle_wakeups);
    let lines = logged_about("slow-cleanup");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("still running 1000 ms after it was cancelled"));
}

#[test]
fn a_cleanup_within_its_grace_or_with_the_watch_off_is_not_warned_about() {
    let lp = fresh_loop();
    let before = lp.stats();
    let out = run(async {
        let quick = create_task(async {
            let _ = sleep_ms(100).await;
            sleep_ms(200).await?; // well within the grace
            Err::<(), _>(Error::Cancelled)
        });
        quick.set_name("quick-cleanup");
        yield_now().await?;
        quick.cancel();
        let quick = quick.await;
        get_event_loop().set_diagnostics(Diagnostics {
            cancel_grace_ms: 0,
            ..Diagnostics::default()
        });
        let unwatched = create_task(async {
            let _ = sleep_ms(100).await;
            sleep_ms(5000).await?;
            Err::<(), _>(Error::Cancelled)
        });
        unwatched.set_name("unwatched-cleanup");
        yield_now().await?;
        unwatched.cancel();
        Ok::<_, Error>((quick, unwatched.await))
    });
    lp.set_diagnostics(Diagnostics::default());
    assert_eq!(
        out.unwrap(),
        Ok((Err(Error::Cancelled), Err(Error::Cancelled)))
    );
    assert_eq!(lp.stats().overdue_cancels, before.overdue_cancels);
    assert!(logged_about("quick-cleanup").is_empty());
    assert!(logged_about("unwatched-cleanup").is_empty());
}

#[test]
fn passing_the_cancellation_on_or_uncancelling_is_not_swallowing() {
    let lp = fresh_loop();
    let before = lp.stats().swallowed_cancels;
    let out = run(async {
        let polite = create_task(async {
            sleep_ms(100).await?;
            Ok::<_, Error>("not reached")
        });
        polite.set_name("polite");
        let deliberate = create_task(async {
            if sleep_ms(100).await == Err(Error::Cancelled) {
                current_task().unwrap().uncancel();
                sleep_ms(10).await?; // one last deliberate wait
            }
            Ok::<_, Error>("flushed")
        });
        deliberate.set_name("deliberate");
        yield_now().await?;
        polite.cancel();
        deliberate.cancel();
        Ok::<_, Error>((polite.await, deliberate.await))
    });
    assert_eq!(out.unwrap(), Ok((Err(Error::Cancelled), Ok("flushed"))));
    assert_eq!(lp.stats().swallowed_cancels, before);
    assert!(logged_about("polite").is_empty() && logged_about("deliberate").is_empty());
}

#[test]
fn the_dump_lists_each_task_with_its_state_age_and_polls() {
    fresh_loop();
    let dump = run(async {
        let blink = create_task(async {
            loop {
                sleep_ms(100).await?;
            }
            #[allow(unreachable_code)]
            Ok::<_, Error>(())
        });
        blink.set_name("blink");
        current_task().unwrap().set_name("main");
        sleep_ms(250).await?;
        let dump = get_event_loop().dump();
        blink.cancel();
        Ok::<_, Error>(dump)
    })
    .unwrap()
    .unwrap();
    let text = dump.to_string();
    let row = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name} in\n{text}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    // name, state..., age ms, polls
    assert_eq!(
        row("blink"),
        ["blink", "sleep", "until", "300", "ms", "250", "3"]
    );
    // Main's count is of finished polls: the dump was taken during its second.
    assert_eq!(row("main"), ["main", "ready", "250", "1"]);
    assert_eq!(dump.stats().tasks_alive, 2);
    assert!(text.starts_with("asyncio: 2 tasks"), "{text}");
}
