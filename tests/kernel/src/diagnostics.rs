//! The run-time guards on Zephyr, with their Kconfig defaults: a slow poll (timed with the
//! hardware cycle counter), a cancelled task overstaying its grace and one ending without
//! passing its cancellation on are counted; `asyncio tasks` in the shell lists the loop's
//! tasks, answered by the loop while the shell's thread waits.

use alloc::string::String;
use alloc::vec;
use core::ffi::{c_char, CStr};

use asyncio::{create_task, offload, sleep_ms, yield_now, Error};
use zephyr_testkit::{check, check_eq, Suite};

use crate::common::{run_case, stats};

extern "C" {
    fn shell_probe_run(command: *const c_char, out: *mut c_char, out_len: usize) -> i32;
}

/// Stands for computing that does not await: the cycle counter moves, the loop does not.
fn busy_ms(ms: u32) {
    // SAFETY: a plain busy wait.
    unsafe { zephyr::raw::k_busy_wait(ms * 1000) };
}

fn a_poll_longer_than_the_kconfig_threshold_is_counted() -> Result<(), String> {
    run_case(async {
        check_eq!(
            asyncio::get_event_loop().diagnostics().slow_poll_ms,
            zephyr::kconfig::CONFIG_ASYNCIO_SLOW_TASK_MS as u32
        );
        let before = stats().slow_polls;
        // Within the threshold, in slices: not slow.
        for _ in 0..4 {
            busy_ms(10);
            yield_now().await.map_err(|_| "cancelled")?;
        }
        check_eq!(stats().slow_polls, before);
        let slow = create_task(async { busy_ms(40) });
        slow.set_name("busy-40ms");
        slow.await.map_err(|_| "cancelled")?;
        check_eq!(stats().slow_polls, before + 1);
        Ok(())
    })
}

fn a_cancelled_task_overstaying_its_kconfig_grace_is_counted() -> Result<(), String> {
    run_case(async {
        let grace = zephyr::kconfig::CONFIG_ASYNCIO_CANCEL_GRACE_MS as u32;
        check_eq!(
            asyncio::get_event_loop().diagnostics().cancel_grace_ms,
            grace
        );
        let before = stats();
        let stubborn = create_task(async move {
            let told = sleep_ms(50).await == Err(Error::Cancelled);
            // Its "cleanup" outlasts the grace, then it carries on as if nothing happened.
            sleep_ms(grace + 500).await?;
            Ok::<_, Error>(told)
        });
        yield_now().await.map_err(|_| "cancelled")?;
        stubborn.cancel();
        check_eq!(stubborn.await, Ok(true));
        let after = stats();
        check_eq!(after.overdue_cancels, before.overdue_cancels + 1);
        check_eq!(after.swallowed_cancels, before.swallowed_cancels + 1);
        Ok(())
    })
}

fn the_shell_command_lists_the_tasks() -> Result<(), String> {
    run_case(async {
        let probe = create_task(sleep_ms(60_000));
        probe.set_name("shell-probe");
        yield_now().await.map_err(|_| "cancelled")?;
        // The shell command blocks its thread until the loop answers: run it off the loop.
        let (err, listing) = offload(|| {
            let mut out = vec![0 as c_char; 2048];
            // SAFETY: a NUL-terminated command and a buffer of the length given.
            let err =
                unsafe { shell_probe_run(c"asyncio tasks".as_ptr(), out.as_mut_ptr(), out.len()) };
            // SAFETY: shell_probe_run NUL-terminates within the buffer.
            let text = unsafe { CStr::from_ptr(out.as_ptr()) };
            (err, String::from(text.to_str().unwrap_or("(not UTF-8)")))
        })
        .await
        .map_err(|e| alloc::format!("offload: {e}"))?;
        probe.cancel();
        check_eq!(err, 0);
        check!(listing.contains("asyncio: 2 tasks"), "{listing}");
        let row = listing
            .lines()
            .find(|l| l.trim_start().starts_with("shell-probe"));
        check!(row.is_some_and(|r| r.contains("sleep until")), "{listing}");
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "a_poll_longer_than_the_kconfig_threshold_is_counted",
        a_poll_longer_than_the_kconfig_threshold_is_counted,
    );
    suite.case(
        "a_cancelled_task_overstaying_its_kconfig_grace_is_counted",
        a_cancelled_task_overstaying_its_kconfig_grace_is_counted,
    );
    suite.case(
        "the_shell_command_lists_the_tasks",
        the_shell_command_lists_the_tasks,
    );
}
