//! Zephyr's input subsystem, awaited (`asyncio::input`): a gpio-keys key pressed through
//! contact bounce arrives as one press and one release (the driver's debounce), a stream sees
//! its own device's events or everyone's, a full queue is one counted gap, and a cancelled
//! reader leaves nothing registered.

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;

use asyncio::gpio::EmulatedPin;
use asyncio::input::{open_streams, EventKind, InputEvent, InputEvents, QUEUED};
use asyncio::{dt_node, run, sleep_ms, timeout_ms, Error};
use zephyr_asyncio_sys as sys;
use zephyr_testkit::{check_eq, Suite};

/// `INPUT_KEY_A` and `INPUT_KEY_B` (input-event-codes.h).
const KEY_A: u16 = 30;
const KEY_B: u16 = 48;

fn fail(e: Error) -> String {
    format!("{e}")
}

fn run_case<F>(future: F) -> Result<(), String>
where
    F: core::future::Future<Output = Result<(), String>> + 'static,
{
    run(future).map_err(|e| format!("run failed: {e}"))?
}

fn key(code: u16, value: i32) -> InputEvent {
    InputEvent {
        kind: EventKind::Key,
        code,
        value,
        sync: true,
    }
}

/// Reports a key event from no device, as software sources do (synchronous mode: delivered
/// before this returns).
fn report(code: u16, value: i32) -> Result<(), String> {
    // SAFETY: a plain call; a null device is allowed ("no device").
    let err = unsafe {
        sys::input_report(
            core::ptr::null(),
            1,
            code,
            value,
            true,
            zephyr::raw::k_timeout_t { ticks: 0 },
        )
    };
    check_eq!(err, 0);
    Ok(())
}

fn a_bouncing_key_arrives_as_one_press_and_one_release() -> Result<(), String> {
    run_case(async {
        let finger = EmulatedPin::from_dt(dt_node!(key_a)).map_err(fail)?;
        let mut events = InputEvents::from_dt(dt_node!(buttons)).map_err(fail)?;
        finger.bounce(true, 40).map_err(fail)?;
        check_eq!(events.next().await, Ok(key(KEY_A, 1)));
        sleep_ms(200).await.map_err(fail)?;
        finger.bounce(false, 40).map_err(fail)?;
        check_eq!(events.next().await, Ok(key(KEY_A, 0)));
        // Nothing else: 80 edges were two events.
        check_eq!(timeout_ms(500, events.next()).await, Err(Error::Timeout));
        Ok(())
    })
}

fn a_stream_sees_its_own_device_or_all() -> Result<(), String> {
    run_case(async {
        let mut keys = InputEvents::from_dt(dt_node!(buttons)).map_err(fail)?;
        let mut everything = InputEvents::all().map_err(fail)?;
        report(KEY_B, 1)?;
        check_eq!(everything.next().await, Ok(key(KEY_B, 1)));
        check_eq!(timeout_ms(100, keys.next()).await, Err(Error::Timeout));
        // The gpio-keys device's events reach both.
        let finger = EmulatedPin::from_dt(dt_node!(key_a)).map_err(fail)?;
        finger.set(true).map_err(fail)?;
        check_eq!(keys.next().await, Ok(key(KEY_A, 1)));
        check_eq!(everything.next().await, Ok(key(KEY_A, 1)));
        finger.set(false).map_err(fail)?;
        check_eq!(keys.next().await, Ok(key(KEY_A, 0)));
        Ok(())
    })
}

fn a_full_queue_is_one_counted_gap() -> Result<(), String> {
    run_case(async {
        let mut events = InputEvents::all().map_err(fail)?;
        let sent = QUEUED as i32 + 5;
        for value in 0..sent {
            report(KEY_B, value)?;
        }
        for value in 0..QUEUED as i32 {
            // input_report_key would make values 0/1; input_report keeps them as sent.
            check_eq!(events.next().await, Ok(key(KEY_B, value)));
        }
        check_eq!(events.next().await, Err(Error::Overrun { lost: 5 }));
        report(KEY_B, 99)?;
        check_eq!(events.next().await, Ok(key(KEY_B, 99)));
        Ok(())
    })
}

fn a_cancelled_reader_leaves_no_stream_open() -> Result<(), String> {
    run_case(async {
        check_eq!(open_streams(), 0);
        let mut events = InputEvents::all().map_err(fail)?;
        check_eq!(open_streams(), 1);
        check_eq!(timeout_ms(50, events.next()).await, Err(Error::Timeout));
        drop(events);
        check_eq!(open_streams(), 0);
        Ok(())
    })
}

#[no_mangle]
extern "C" fn rust_main() {
    zephyr_testkit::run_suite("asyncio_input", |suite: &mut Suite<'_>| {
        suite.case(
            "a_bouncing_key_arrives_as_one_press_and_one_release",
            a_bouncing_key_arrives_as_one_press_and_one_release,
        );
        suite.case(
            "a_stream_sees_its_own_device_or_all",
            a_stream_sees_its_own_device_or_all,
        );
        suite.case(
            "a_full_queue_is_one_counted_gap",
            a_full_queue_is_one_counted_gap,
        );
        suite.case(
            "a_cancelled_reader_leaves_no_stream_open",
            a_cancelled_reader_leaves_no_stream_open,
        );
    });
}
