//! The debounced controls on the host's virtual clock: bounce storms yield exactly the
//! expected gestures, at the expected times; nothing is lost when nobody asks at the time; a
//! cancelled wait leaves nothing behind.

use std::cell::Cell;
use std::rc::Rc;

use asyncio_core::{
    create_task, run, sleep_ms, ticks_ms, yield_now, Contact, Error, Press, Pushbutton, Quadrature,
    Result, Switch, ThreadSafeFlag,
};

/// A contact the test moves, with an interrupt per edge (a flag, as a GPIO pin's ISR sets).
struct Wire {
    level: Cell<bool>,
    edges: Cell<u32>,
    irq: ThreadSafeFlag,
}

#[derive(Clone)]
struct Probe(Rc<Wire>);

impl Probe {
    fn new() -> Self {
        Probe(Rc::new(Wire {
            level: Cell::new(false),
            edges: Cell::new(0),
            irq: ThreadSafeFlag::new(),
        }))
    }

    /// One edge to `level`, with its interrupt.
    fn edge(&self, level: bool) {
        self.0.level.set(level);
        self.0.edges.set(self.0.edges.get() + 1);
        self.0.irq.set();
    }

    /// A contact closing or opening with `bounces` extra edges at the same instant (time
    /// stands still on the virtual clock while the test runs: a storm within a microsecond).
    fn bounce_to(&self, level: bool, bounces: u32) {
        for i in 0..bounces {
            self.edge(if i % 2 == 0 { level } else { !level });
        }
        self.edge(level);
    }
}

impl Contact for Probe {
    fn is_active(&self) -> bool {
        self.0.level.get()
    }
    async fn changed(&mut self) -> Result<()> {
        self.0.irq.wait().await
    }
}

/// Runs `actions` (each: bounce to a level, then sleep ms) against a pushbutton and returns
/// the gestures it reported, each with the time it came.
fn gestures(
    button: impl FnOnce(Probe) -> Pushbutton<Probe>,
    actions: &'static [(bool, u32)],
    expect: usize,
) -> Vec<(Press, u64)> {
    let probe = Probe::new();
    let button = button(probe.clone());
    run(async move {
        let listener = create_task(async move {
            let mut seen = Vec::new();
            while seen.len() < expect {
                seen.push((button.next().await?, ticks_ms()));
            }
            Ok::<_, Error>(seen)
        });
        yield_now().await?;
        let start = ticks_ms();
        for &(level, ms) in actions {
            probe.bounce_to(level, 200);
            sleep_ms(ms).await?;
        }
        let seen = listener.await?;
        Ok::<_, Error>(seen.into_iter().map(|(p, t)| (p, t - start)).collect())
    })
    .unwrap()
    .unwrap()
}

#[test]
fn a_bouncing_short_press_is_one_short_press_after_the_double_click_window() {
    // Pressed at 0 (settled at 50), released at 200 (settled at 250): a Short once the
    // 400 ms window from the press (50 + 400) has passed.
    let seen = gestures(Pushbutton::new, &[(true, 200), (false, 1000)], 1);
    assert_eq!(seen, [(Press::Short, 450)]);
}

#[test]
fn without_double_clicks_a_short_press_is_reported_at_its_release() {
    let seen = gestures(
        |p| Pushbutton::new(p).double_ms(0),
        &[(true, 200), (false, 500)],
        1,
    );
    assert_eq!(seen, [(Press::Short, 250)]);
}

#[test]
fn a_long_press_is_reported_while_held_and_its_release_reports_nothing() {
    let seen = gestures(
        Pushbutton::new,
        &[(true, 1500), (false, 100), (true, 100), (false, 1000)],
        2,
    );
    // Long at 50 + 1000 while held; the release at 1500 is silent; then a Short, once the
    // window of its press (settled at 1650) has passed.
    assert_eq!(seen, [(Press::Long, 1050), (Press::Short, 2050)]);
}

#[test]
fn two_presses_within_the_window_are_one_double_click() {
    let seen = gestures(
        Pushbutton::new,
        &[(true, 100), (false, 100), (true, 100), (false, 1000)],
        1,
    );
    assert_eq!(seen, [(Press::Double, 250)]);
}

#[test]
fn a_press_held_past_the_window_but_short_of_long_is_short_at_release() {
    let seen = gestures(Pushbutton::new, &[(true, 700), (false, 500)], 1);
    assert_eq!(seen, [(Press::Short, 750)]);
}

#[test]
fn gestures_made_while_nobody_asked_are_kept_in_order() {
    let probe = Probe::new();
    let out = run(async move {
        let button = Pushbutton::new(probe.clone());
        yield_now().await?;
        // A double click, then a short click, with nobody awaiting `next`.
        for (level, ms) in [(true, 100), (false, 100), (true, 100), (false, 200)] {
            probe.bounce_to(level, 10);
            sleep_ms(ms).await?;
        }
        probe.bounce_to(true, 10);
        sleep_ms(100).await?;
        probe.bounce_to(false, 10);
        sleep_ms(2000).await?;
        Ok::<_, Error>((button.next().await?, button.next().await?, button.missed()))
    });
    assert_eq!(out.unwrap(), Ok((Press::Double, Press::Short, 0)));
}

#[test]
fn a_storm_of_edges_costs_one_read_per_settled_change() {
    let probe = Probe::new();
    let p = probe.clone();
    let out = run(async move {
        let mut switch = Switch::new(p.clone());
        let watcher = create_task(async move {
            let mut states = Vec::new();
            for _ in 0..2 {
                states.push(switch.next().await?);
            }
            Ok::<_, Error>(states)
        });
        yield_now().await?;
        p.bounce_to(true, 500);
        sleep_ms(200).await?;
        p.bounce_to(false, 500);
        watcher.await
    });
    assert_eq!(out.unwrap(), Ok(vec![true, false]));
    assert_eq!(probe.0.edges.get(), 1002);
}

#[test]
fn a_cancelled_wait_takes_no_gesture_and_a_dropped_button_leaves_no_waiter() {
    let probe = Probe::new();
    let p = probe.clone();
    let out = run(async move {
        let button = Rc::new(Pushbutton::new(p.clone()).double_ms(0));
        let b = button.clone();
        let listener = create_task(async move { b.next().await });
        yield_now().await?;
        listener.cancel();
        let cancelled = listener.await;
        // The click after the cancellation is still there for the next call.
        p.bounce_to(true, 5);
        sleep_ms(100).await?;
        p.bounce_to(false, 5);
        let press = button.next().await?;
        let watching = p.0.irq.waiting();
        drop(button);
        Ok::<_, Error>((cancelled, press, watching, p.0.irq.waiting()))
    });
    assert_eq!(
        out.unwrap(),
        Ok((Err(Error::Cancelled), Press::Short, 1, 0))
    );
}

#[test]
fn quadrature_counts_steps_both_ways_and_ignores_a_skipped_state() {
    let cycle = [(false, true), (true, true), (true, false), (false, false)];
    let mut q = Quadrature::new(false, false);
    let forward: i32 = cycle.iter().map(|&(a, b)| i32::from(q.update(a, b))).sum();
    let backward: i32 = cycle
        .iter()
        .rev()
        .skip(1)
        .chain(std::iter::once(&(false, false)))
        .map(|&(a, b)| i32::from(q.update(a, b)))
        .sum();
    assert_eq!((forward, backward), (4, -4));
    assert_eq!(q.update(true, true), 0);
    assert_eq!(q.update(true, true), 0, "no change, no step");
}

#[test]
fn a_delay_runs_out_after_its_last_trigger_and_a_stop_is_no_run_out() {
    let out = run(async {
        let delay = Rc::new(asyncio_core::Delay::new(100));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let d = delay.clone();
                create_task(async move {
                    d.wait().await?;
                    Ok::<_, Error>(ticks_ms())
                })
            })
            .collect();
        yield_now().await?;
        delay.trigger();
        sleep_ms(60).await?;
        delay.trigger(); // retriggered at 60: runs out at 160
        let mut ran_out = Vec::new();
        for w in waiters {
            ran_out.push(w.await?);
        }
        // Stopped before it runs out: a waiter goes on waiting.
        delay.trigger_ms(50);
        let d = delay.clone();
        let after_stop = create_task(async move { d.wait().await });
        sleep_ms(10).await?;
        delay.stop();
        let still_waiting = asyncio_core::wait_for_ms(after_stop, 200).await;
        Ok::<_, Error>((ran_out, still_waiting, delay.running()))
    });
    assert_eq!(
        out.unwrap(),
        Ok((vec![160, 160], Err(Error::Timeout), false))
    );
}
