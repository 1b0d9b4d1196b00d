//! [`GapRing`]: what an interrupt handler keeps for a task that is not reading, losing
//! nothing silently.
//!
//! Once an item finds the ring full, every later one is dropped too, until the reader has
//! taken all that came before and been told (`Error::Overrun`) how many are missing there. So
//! an overrun leaves one gap, at a known place, rather than holes scattered through what was
//! kept. The UART's receive ring and the input event queue are both this type.

use asyncio_core::{Error, Result};
use heapless::Deque;

/// Up to `N` items, then one counted gap. Held inside a critical section by its owner.
pub(crate) struct GapRing<T, const N: usize> {
    items: Deque<T, N>,
    /// Items dropped since the ring filled up; while not 0, nothing more is kept.
    lost: u32,
}

impl<T, const N: usize> GapRing<T, N> {
    pub(crate) const fn new() -> Self {
        GapRing {
            items: Deque::new(),
            lost: 0,
        }
    }

    /// Keeps `item`, or drops and counts it (the ring is full, or a gap is open): whether it
    /// was kept.
    pub(crate) fn push(&mut self, item: T) -> bool {
        if self.lost == 0 && self.items.push_back(item).is_ok() {
            return true;
        }
        self.lost += 1;
        false
    }

    /// The oldest item (the input queue's read); `Ok(None)` if none is there; the gap, once, when the reader reaches it.
    #[cfg(CONFIG_ASYNCIO_INPUT)]
    pub(crate) fn pop(&mut self) -> Result<Option<T>> {
        match self.items.pop_front() {
            Some(item) => Ok(Some(item)),
            None => self.take_gap().map(|()| None),
        }
    }

    /// Moves the oldest items into `buf` (the UART's read): how many (0 if none is there), or the gap, once,
    /// when the reader reaches it.
    #[cfg(CONFIG_ASYNCIO_UART)]
    pub(crate) fn pop_into(&mut self, buf: &mut [T]) -> Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            let Some(item) = self.items.pop_front() else {
                break;
            };
            buf[n] = item;
            n += 1;
        }
        if n == 0 {
            self.take_gap()?;
        }
        Ok(n)
    }

    fn take_gap(&mut self) -> Result<()> {
        match core::mem::take(&mut self.lost) {
            0 => Ok(()),
            lost => Err(Error::Overrun { lost }),
        }
    }
}
