//! [`InputEvents`]: a stream of input events, fed by the one input callback (`c/input.c`).
//!
//! The open streams are listed in [`OPEN`]; the callback (in the input thread, or in the
//! reporting driver's context, possibly an interrupt) finds them there, inside a critical
//! section, which also keeps a stream from being freed while the callback uses it.

use alloc::boxed::Box;
use core::cell::RefCell;

use asyncio_core::{Result, ThreadSafeFlag};
use critical_section::Mutex;
use zephyr::raw::device;

use super::event::{EventKind, InputEvent};
use crate::gap_ring::GapRing;
use crate::open_list::OpenList;
use crate::DtNode;

/// `CONFIG_ASYNCIO_INPUT_QUEUE`: events a stream keeps for a task that is not reading.
pub const QUEUED: usize = zephyr::kconfig::CONFIG_ASYNCIO_INPUT_QUEUE as usize;

/// The open streams, by the address of their `Shared`.
static OPEN: OpenList<usize, 8> = OpenList::new();

/// What a stream and the callback share.
struct Shared {
    /// The device whose events it wants (its address), or 0: every device's.
    device: usize,
    queue: Mutex<RefCell<GapRing<InputEvent, QUEUED>>>,
    arrived: ThreadSafeFlag,
}

/// A stream of input events: those of one device ([`from_dt`](InputEvents::from_dt)) or of
/// all ([`all`](InputEvents::all)), from its creation to its drop.
///
/// ```no_run
/// use asyncio::input::InputEvents;
///
/// async fn first_key_code() -> asyncio::Result<u16> {
///     let mut events = InputEvents::from_dt(asyncio::dt_node!(buttons))?;
///     Ok(events.next().await?.code) // INPUT_KEY_0...
/// }
/// ```
pub struct InputEvents {
    shared: Box<Shared>,
}

impl InputEvents {
    /// The events of the input device of devicetree node `node` (a gpio-keys node, a touch
    /// controller): `Err(Error::NoDevice)` naming it if it is disabled or no device,
    /// `Err(Error::PoolFull)` if 8 streams are open.
    ///
    /// ```no_run
    /// use asyncio::input::InputEvents;
    ///
    /// fn keypad() -> asyncio::Result<InputEvents> {
    ///     InputEvents::from_dt(asyncio::dt_node!(buttons))
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<InputEvents> {
        let dev: &'static device = node.device()?;
        InputEvents::open(dev as *const device as usize)
    }

    /// The events of every input device.
    ///
    /// ```no_run
    /// use asyncio::input::InputEvents;
    ///
    /// async fn log_everything() -> asyncio::Result<()> {
    ///     let mut events = InputEvents::all()?;
    ///     loop {
    ///         log::info!("{:?}", events.next().await?);
    ///     }
    /// }
    /// ```
    pub fn all() -> Result<InputEvents> {
        InputEvents::open(0)
    }

    fn open(device: usize) -> Result<InputEvents> {
        let shared = Box::new(Shared {
            device,
            queue: Mutex::new(RefCell::new(GapRing::new())),
            arrived: ThreadSafeFlag::new(),
        });
        let address = &*shared as *const Shared as usize;
        OPEN.add(address, |_| Ok(()))?;
        Ok(InputEvents { shared })
    }

    /// The next event, oldest first. `Err(Error::Overrun { lost })` once where events were
    /// dropped because the queue was full; the events after the gap follow. Cancel-safe: an
    /// event is only taken by a call that returns it.
    ///
    /// ```no_run
    /// use asyncio::input::{EventKind, InputEvents};
    /// use asyncio::Error;
    ///
    /// async fn count_presses(events: &mut InputEvents) -> asyncio::Result<u32> {
    ///     let mut presses = 0;
    ///     while presses < 10 {
    ///         match events.next().await {
    ///             Ok(e) if e.kind == EventKind::Key && e.value == 1 => presses += 1,
    ///             Ok(_) => {}
    ///             Err(Error::Overrun { lost }) => log::warn!("{lost} events lost"),
    ///             Err(e) => return Err(e),
    ///         }
    ///     }
    ///     Ok(presses)
    /// }
    /// ```
    pub async fn next(&mut self) -> Result<InputEvent> {
        loop {
            if let Some(event) = self.take()? {
                return Ok(event);
            }
            self.shared.arrived.wait().await?;
        }
    }

    fn take(&self) -> Result<Option<InputEvent>> {
        critical_section::with(|cs| self.shared.queue.borrow_ref_mut(cs).pop())
    }
}

impl Drop for InputEvents {
    fn drop(&mut self) {
        let address = &*self.shared as *const Shared as usize;
        OPEN.remove(address);
    }
}

/// How many input streams are open now.
///
/// ```no_run
/// use asyncio::input::{open_streams, InputEvents};
///
/// fn closes_on_drop() -> asyncio::Result<()> {
///     let events = InputEvents::all()?;
///     assert_eq!(open_streams(), 1);
///     drop(events);
///     assert_eq!(open_streams(), 0);
///     Ok(())
/// }
/// ```
pub fn open_streams() -> usize {
    OPEN.len()
}

/// The input callback's half (`c/input.c`): hands the event to every open stream that wants
/// it. Any context.
#[no_mangle]
extern "C" fn asyncio_input_event(dev: *const device, kind: u8, code: u16, value: i32, sync: bool) {
    let event = InputEvent {
        kind: EventKind::from_raw(kind),
        code,
        value,
        sync,
    };
    critical_section::with(|cs| {
        for &address in OPEN.entries(cs).iter() {
            // SAFETY: `OPEN` lists live streams (removed before they are freed, which the
            // critical section holds off).
            let shared = unsafe { &*(address as *const Shared) };
            if shared.device != 0 && shared.device != dev as usize {
                continue;
            }
            shared.queue.borrow_ref_mut(cs).push(event);
            shared.arrived.set();
        }
    });
}
