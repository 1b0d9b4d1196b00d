//! A lean build (feature `task-info` off, Zephyr's `CONFIG_ASYNCIO_TASK_INFO=n`): tasks keep no
//! record for diagnostics, and the accessors answer without one, as `raw/task_info.rs` says.
//! Scheduling and the guards' counts are unchanged: the rest of the suite runs in this build
//! as well.
#![cfg(not(feature = "task-info"))]

use std::rc::Rc;

use asyncio_core::{create_task, host, run, yield_now, Diagnostics, Error, Event, Waiting};

async fn sensor_poll(ready: Rc<Event>) -> Result<bool, Error> {
    ready.wait().await
}

#[test]
fn a_lean_task_is_named_by_its_future_and_records_nothing_else() {
    run(async {
        let ready = Rc::new(Event::new());
        let t = create_task(sensor_poll(ready.clone()));
        t.set_name("ignored");
        yield_now().await?;
        assert!(t.name().contains("sensor_poll"), "named {}", t.name());
        assert_eq!(t.polls(), 0);
        assert_eq!(t.waiting(), Waiting::Unknown);
        ready.set();
        let r = t.to_ref();
        t.await?;
        assert_eq!(r.waiting(), Waiting::Done);
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}

#[test]
fn the_guards_still_count_in_a_lean_build() {
    let lp = asyncio_core::get_event_loop();
    lp.set_diagnostics(Diagnostics::default());
    let before = lp.stats().slow_polls;
    run(async {
        create_task(async {
            host::thread_platform().advance(500);
            Ok::<_, Error>(())
        })
        .await
    })
    .unwrap()
    .unwrap();
    assert_eq!(lp.stats().slow_polls, before + 1);
}
