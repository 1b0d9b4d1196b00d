//! The loop's scheduling order, run/stop semantics and idle behaviour, on the host's virtual
//! clock (time moves only while the loop is parked, as on native_sim).

mod common;

use asyncio_core::{create_task, get_event_loop, new_event_loop, run, sleep_ms, yield_now, Error};
use common::Trace;

#[test]
fn run_returns_the_main_output() {
    assert_eq!(run(async { 42 }), Ok(42));
}

#[test]
fn nested_run_is_an_error_not_a_crash() {
    let inner = run(async {
        let nested = run(async { 1 });
        let nested_loop = get_event_loop().run_until_complete(async { 2 });
        let nested_forever = get_event_loop().run_forever();
        (nested, nested_loop, nested_forever)
    });
    assert_eq!(
        inner,
        Ok((
            Err(Error::NestedRun),
            Err(Error::NestedRun),
            Err(Error::NestedRun)
        ))
    );
    // The loop is still usable afterwards.
    assert_eq!(run(async { 3 }), Ok(3));
}

#[test]
fn ready_tasks_take_turns_in_creation_order() {
    let trace = Trace::new();
    run({
        let trace = trace.clone();
        async move {
            let tasks: Vec<_> = (0..5)
                .map(|id| {
                    let trace = trace.clone();
                    create_task(async move {
                        for _ in 0..3 {
                            trace.log(format!("{id}"));
                            yield_now().await?;
                        }
                        Ok::<_, Error>(())
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    })
    .unwrap();
    let expected: Vec<String> = (0..3).flat_map(|_| (0..5).map(|i| i.to_string())).collect();
    assert_eq!(trace.lines(), expected);
}

#[test]
fn timers_fire_by_deadline_with_ties_first_in_first_out() {
    let trace = Trace::new();
    run({
        let trace = trace.clone();
        async move {
            let sleeps = [
                (30, "a"),
                (10, "b"),
                (20, "c"),
                (10, "d"),
                (20, "e"),
                (10, "f"),
            ];
            let tasks: Vec<_> = sleeps
                .into_iter()
                .map(|(ms, name)| {
                    let trace = trace.clone();
                    create_task(async move {
                        sleep_ms(ms).await?;
                        trace.log(name);
                        Ok::<_, Error>(())
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    })
    .unwrap();
    trace.assert(&["b", "d", "f", "c", "e", "a"]);
}

#[test]
fn expired_timers_run_before_tasks_queued_after_their_deadline() {
    // MicroPython keys ready tasks by the time they were queued: a timer due at 4 ms (armed at
    // 1 ms, when the timer task first runs) comes before the spinner that re-queued itself at
    // 4 ms. The spinner burns 1 ms of (virtual) CPU per turn; were wakes served before timers,
    // the trace would end "spin 4", "timer 5".
    let trace = Trace::new();
    let lp = get_event_loop();
    run({
        let trace = trace.clone();
        async move {
            let timer = {
                let trace = trace.clone();
                create_task(async move {
                    sleep_ms(3).await?;
                    trace.log(format!("timer {}", get_event_loop().time().ticks()));
                    Ok::<_, Error>(())
                })
            };
            for _ in 0..5 {
                trace.log(format!("spin {}", lp.time().ticks()));
                asyncio_core::host::thread_platform().advance(1);
                yield_now().await.unwrap();
            }
            timer.await.unwrap();
        }
    })
    .unwrap();
    trace.assert(&["spin 0", "spin 1", "spin 2", "spin 3", "timer 4", "spin 4"]);
}

#[test]
fn run_returns_when_main_ends_and_leftover_tasks_resume_at_the_next_run() {
    // MicroPython's asyncio_basic2, plus its "asyncio retains state" behaviour.
    let trace = Trace::new();
    let out = run({
        let trace = trace.clone();
        async move {
            let _forever = create_task({
                let trace = trace.clone();
                async move {
                    trace.log("forever start");
                    sleep_ms(10_000).await?;
                    trace.log("forever end");
                    Ok::<_, Error>(())
                }
            });
            sleep_ms(1).await.unwrap();
            42
        }
    });
    assert_eq!(out, Ok(42));
    trace.assert(&["forever start"]);
    assert_eq!(get_event_loop().stats().tasks_alive, 1);
    run(sleep_ms(20_000)).unwrap().unwrap();
    trace.assert(&["forever start", "forever end"]);
    assert_eq!(get_event_loop().stats().tasks_alive, 0);
}

#[test]
fn stop_takes_effect_when_reached_and_run_forever_resumes() {
    // MicroPython's asyncio_loop_stop: `run 0|start|sleep|run 1|run 2|task|end`.
    let trace = Trace::new();
    let lp = new_event_loop().unwrap();
    let _main = lp.create_task({
        let trace = trace.clone();
        async move {
            let lp = get_event_loop();
            trace.log("start");
            lp.stop();
            lp.stop();
            trace.log("sleep");
            yield_now().await?;
            lp.stop();
            let _t = create_task({
                let trace = trace.clone();
                async move { trace.log("task") }
            });
            yield_now().await?;
            trace.log("end");
            lp.stop();
            Ok::<_, Error>(())
        }
    });
    for i in 0..3 {
        trace.log(format!("run {i}"));
        lp.run_forever().unwrap();
    }
    trace.assert(&["run 0", "start", "sleep", "run 1", "run 2", "task", "end"]);
}

#[test]
fn stop_before_run_forever_runs_one_round_then_returns() {
    let trace = Trace::new();
    let lp = get_event_loop();
    let _t = create_task({
        let trace = trace.clone();
        async move {
            trace.log("one");
            yield_now().await?;
            trace.log("two");
            Ok::<_, Error>(())
        }
    });
    lp.stop();
    lp.run_forever().unwrap();
    trace.assert(&["one"]);
    lp.stop();
    lp.run_forever().unwrap();
    trace.assert(&["one", "two"]);
}

#[test]
fn an_idle_loop_parks_once_per_deadline() {
    let lp = get_event_loop();
    let before = lp.stats();
    run(async {
        // One simulated hour.
        sleep_ms(3_600_000).await.unwrap();
    })
    .unwrap();
    let after = lp.stats();
    assert_eq!(after.parks - before.parks, 1, "{after:?}");
    assert_eq!(after.timers_fired - before.timers_fired, 1);
    assert!(after.polls - before.polls <= 2, "{after:?}");
    assert_eq!(lp.time().ticks(), 3_600_000);
}

#[test]
fn new_event_loop_drops_pending_tasks() {
    struct OnDrop(Trace);
    impl Drop for OnDrop {
        fn drop(&mut self) {
            self.0.log("dropped");
        }
    }
    let trace = Trace::new();
    let _t = create_task({
        let guard = OnDrop(trace.clone());
        async move {
            sleep_ms(1_000).await?;
            drop(guard);
            Ok::<_, Error>(())
        }
    });
    run(yield_now()).unwrap().unwrap();
    assert_eq!(get_event_loop().stats().tasks_alive, 1);
    let lp = new_event_loop().unwrap();
    trace.assert(&["dropped"]);
    assert_eq!(lp.stats().tasks_alive, 0);
    assert_eq!(lp.stats().timers_armed, 0);
}

#[test]
fn close_from_inside_the_loop_is_refused() {
    let out = run(async { (get_event_loop().close(), new_event_loop().map(|_| ())) });
    assert_eq!(out, Ok((Err(Error::LoopRunning), Err(Error::LoopRunning))));
}
