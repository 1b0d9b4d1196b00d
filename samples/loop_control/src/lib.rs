//! Loop control: the loop and its tasks outlive a `run()` (as in MicroPython); `run_forever()`
//! runs until a task calls `stop()`; `new_event_loop()` starts afresh, dropping what was left.
//! With nothing to do the loop blocks in one `k_poll`, which its statistics show.

#![no_std]

use asyncio::{create_task, get_event_loop, new_event_loop, run, sleep_ms, ticks_ms, Result};
use zephyr::printkln;

async fn ticker(name: &'static str, every_ms: u32) -> Result<()> {
    for n in 1.. {
        sleep_ms(every_ms).await?;
        printkln!("{:>4} ms: {name} tick {n}", ticks_ms());
    }
    Ok(())
}

#[no_mangle]
extern "C" fn rust_main() {
    let lp = get_event_loop();

    // run() returns when the main task ends; the ticker stays queued in the loop.
    let main = run(async {
        let _ticker = create_task(ticker("background", 100));
        sleep_ms(250).await?;
        printkln!("{:>4} ms: main done", ticks_ms());
        Ok::<_, asyncio::Error>(())
    });
    printkln!(
        "run() returned {main:?}; tasks left: {}",
        lp.stats().tasks_alive
    );

    // run_forever() picks the ticker up again, until a task stops the loop.
    let _stopper = lp.create_task(async {
        sleep_ms(200).await?;
        printkln!("{:>4} ms: stopping the loop", ticks_ms());
        get_event_loop().stop();
        Ok::<_, asyncio::Error>(())
    });
    printkln!("run_forever() returned {:?}", lp.run_forever());

    // A fresh loop: the ticker is dropped, never to tick again.
    let lp = new_event_loop().expect("not running");
    printkln!("new_event_loop(): tasks left: {}", lp.stats().tasks_alive);

    // An idle loop costs one k_poll per deadline: a long sleep is a single park, and two polls
    // of the main task (one arms the timer, one finishes).
    let before = lp.stats();
    let _ = lp.run_until_complete(sleep_ms(1_000));
    let after = lp.stats();
    printkln!(
        "slept 1 s in {} park(s), {} poll(s)",
        after.parks - before.parks,
        after.polls - before.polls
    );
    printkln!("done");
}
