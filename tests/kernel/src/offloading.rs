//! `offload`: a blocking call on the module's work queue leaves the loop running; the same
//! call made inline stalls every task (the pitfall). Several may be in flight; a cancelled
//! await discards the result.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use zephyr::sync::atomic::{AtomicU32, Ordering};

use asyncio::{create_task, gather, offload, sleep_ms, yield_now, Error, Task};
use zephyr::printkln;
use zephyr_testkit::{check, check_eq, Suite, TICK_SLACK};

use crate::common::{block_thread_ms, now_ticks, run_case};

const BEAT_MS: u32 = 10;
const BLOCKING_MS: i32 = 200;

/// A task that notes the tick of each beat, every `BEAT_MS`.
fn heartbeat(beats: Rc<RefCell<Vec<u64>>>) -> Task<Result<(), Error>> {
    create_task(async move {
        loop {
            beats.borrow_mut().push(now_ticks());
            sleep_ms(BEAT_MS).await?;
        }
    })
}

/// The largest gap between consecutive beats.
fn longest_gap(beats: &[u64]) -> u64 {
    beats.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
}

fn offload_keeps_the_heartbeat_while_a_blocking_call_runs() -> Result<(), String> {
    run_case(async {
        let beats = Rc::new(RefCell::new(Vec::new()));
        let beat = heartbeat(beats.clone());
        yield_now().await.map_err(|_| "cancelled")?;

        // Offloaded: the heartbeat keeps its period within one tick.
        let start = now_ticks();
        let answer = offload(|| {
            block_thread_ms(BLOCKING_MS);
            42
        })
        .await;
        check_eq!(answer, Ok(42));
        check!(now_ticks() - start >= BLOCKING_MS as u64);
        let offloaded = core::mem::take(&mut *beats.borrow_mut());
        check!(offloaded.len() >= (BLOCKING_MS as u32 / BEAT_MS) as usize);
        let gap = longest_gap(&offloaded);
        check!(
            gap <= BEAT_MS as u64 + 1,
            "offloaded: a {gap}-tick gap in {offloaded:?}"
        );

        // Inline, the pitfall: the loop thread is blocked, nothing else runs.
        sleep_ms(BEAT_MS).await.map_err(|_| "cancelled")?;
        block_thread_ms(BLOCKING_MS);
        sleep_ms(BEAT_MS).await.map_err(|_| "cancelled")?;
        let inline = core::mem::take(&mut *beats.borrow_mut());
        let stalled = longest_gap(&inline);
        printkln!("heartbeat: longest gap {gap} ticks offloaded, {stalled} ticks inline");
        check!(stalled >= BLOCKING_MS as u64, "inline: beats {inline:?}");

        beat.cancel();
        check_eq!(beat.await, Err(Error::Cancelled));
        Ok(())
    })
}

fn several_offloads_run_one_after_another() -> Result<(), String> {
    run_case(async {
        let start = now_ticks();
        let calls: Vec<_> = (0..3u32)
            .map(|i| {
                create_task(offload(move || {
                    block_thread_ms(50);
                    (i, now_ticks())
                }))
            })
            .collect();
        let results = gather(calls).await;
        let Ok(results) = results else {
            return Err(alloc::format!("gather failed: {results:?}"));
        };
        // One work queue thread: they run in submission order, each after the previous one.
        let ids: Vec<u32> = results.iter().map(|(i, _)| *i).collect();
        check_eq!(ids, [0, 1, 2]);
        let ends: Vec<u64> = results.iter().map(|(_, t)| t - start).collect();
        check!(
            ends.windows(2).all(|w| w[1] - w[0] >= 50),
            "not serial: {ends:?}"
        );
        Ok(())
    })
}

static DROPPED: AtomicU32 = AtomicU32::new(0);
static FINISHED: AtomicU32 = AtomicU32::new(0);

/// A result that counts its drops.
struct Tracked;

impl Drop for Tracked {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

fn cancelling_an_offload_discards_its_result() -> Result<(), String> {
    run_case(async {
        let waiter = create_task(async {
            offload(|| {
                block_thread_ms(50);
                FINISHED.fetch_add(1, Ordering::Relaxed);
                Tracked
            })
            .await
            .map(|_| ())
        });
        yield_now().await.map_err(|_| "cancelled")?;
        let start = now_ticks();
        check!(waiter.cancel());
        check_eq!(waiter.await, Err(Error::Cancelled));
        // The await ends at once; the call itself cannot be interrupted.
        check!(now_ticks() - start <= TICK_SLACK);
        check_eq!(FINISHED.load(Ordering::Relaxed), 0);
        sleep_ms(100).await.map_err(|_| "cancelled")?;
        check_eq!(FINISHED.load(Ordering::Relaxed), 1);
        check_eq!(DROPPED.load(Ordering::Relaxed), 1);
        Ok(())
    })
}

pub fn cases(suite: &mut Suite<'_>) {
    suite.case(
        "offload_keeps_the_heartbeat_while_a_blocking_call_runs",
        offload_keeps_the_heartbeat_while_a_blocking_call_runs,
    );
    suite.case(
        "several_offloads_run_one_after_another",
        several_offloads_run_one_after_another,
    );
    suite.case(
        "cancelling_an_offload_discards_its_result",
        cancelling_an_offload_discards_its_result,
    );
}
