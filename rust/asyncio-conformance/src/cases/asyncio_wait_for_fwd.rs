//! `asyncio_wait_for_fwd.py`: cancelling the caller of `wait_for` reaches the inner task, in
//! the four combinations of catching it inside and outside. As in MicroPython, `wait_for`
//! re-raises at once, before the inner task has unwound ("Got canceled" before "awaiting
//! canceled"; CPython prints them the other way round).

use super::prelude::*;

pub const EXPECTED: &str = "----------\ncancel started\nawaiting started\ncancel wait()\nGot canceled\nawaiting canceled\nwaiting got cancelled\n----------\ncancel started\nawaiting started\ncancel wait()\nGot canceled\nawaiting canceled\nwaiting got cancelled\n----------\ncancel started\nawaiting started\ncancel wait()\nGot canceled\nawaiting canceled\n----------\ncancel started\nawaiting started\ncancel wait()\nGot canceled\nawaiting canceled\n";

async fn awaiting(out: Out, ms: u32, return_if_fail: bool) -> Result<bool> {
    say!(out, "awaiting started");
    if let Err(e) = sleep_ms(ms).await {
        say!(out, "awaiting canceled");
        if return_if_fail {
            return Ok(false); // has no effect: wait_for already gave up
        }
        return Err(e);
    }
    Ok(true)
}

async fn test_cancellation_forwarded(out: Out, catch: bool, catch_inside: bool) -> Result<()> {
    say!(out, "----------");
    let w = out.clone();
    let t = create_task(async move {
        match wait_for_ms(awaiting(w.clone(), 2000, catch_inside), 1000).await {
            Err(Error::Timeout) => {
                say!(w, "Got timeout error");
                Err(Error::Timeout)
            }
            Err(e) => {
                say!(w, "Got canceled");
                if catch {
                    Ok(())
                } else {
                    Err(e)
                }
            }
            Ok(_) => Ok(()),
        }
    });
    let c = out.clone();
    let target = t.to_ref();
    let _k = create_task(async move {
        say!(c, "cancel started");
        sleep_ms(10).await?;
        say!(c, "cancel wait()");
        target.cancel();
        Ok::<_, Error>(())
    });
    if let Err(Error::Cancelled) = t.await {
        say!(out, "waiting got cancelled");
    }
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    for (catch, catch_inside) in [(false, false), (false, true), (true, true), (true, false)] {
        asyncio_core::run(test_cancellation_forwarded(
            out.clone(),
            catch,
            catch_inside,
        ))
        .unwrap()
        .unwrap();
    }
}
