//! [`Queue`]: a FIFO of values between tasks, bounded or not.

extern crate alloc;

use alloc::collections::VecDeque;
use core::cell::{Cell, RefCell};
use core::fmt;

use super::hand_off::HandOff;
use super::waiter::{WaitPolicy, Waiter};
use crate::error::Result;
use crate::raw::wait_list::WaitList;
use crate::waiting::Waiting;

/// A first-in first-out queue for tasks (micropython-async's and CPython's `asyncio.Queue`).
///
/// With a `maxsize`, [`put`](Queue::put) waits while the queue is full; [`get`](Queue::get)
/// waits while it is empty. Waiting getters and putters are served first-come first-served.
/// The storage for a bounded queue is allocated once, up front: putting and getting do not
/// allocate.
///
/// Cancel-safe: a cancelled `get` takes nothing (a value it was about to receive goes to the
/// next getter), a cancelled `put` puts nothing.
///
/// MicroPython's `QueueFull` and `QueueEmpty` are [`put_nowait`](Queue::put_nowait) giving the
/// value back and [`get_nowait`](Queue::get_nowait) returning `None`.
///
/// ```
/// use asyncio_core::{create_task, run, Error, Queue};
/// use std::rc::Rc;
///
/// run(async {
///     let q = Rc::new(Queue::new(2));
///     let producer = create_task({
///         let q = q.clone();
///         async move {
///             for i in 0..5 {
///                 q.put(i).await?; // waits while two values are queued
///             }
///             Ok::<_, Error>(())
///         }
///     });
///     let mut got = Vec::new();
///     for _ in 0..5 {
///         got.push(q.get().await?);
///     }
///     producer.await?;
///     assert_eq!(got, [0, 1, 2, 3, 4]);
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct Queue<T> {
    items: RefCell<VecDeque<T>>,
    maxsize: usize,
    /// Tasks waiting for a value; those in transit were handed one they have not taken yet.
    getters: HandOff,
    /// Tasks waiting for room; those in transit were handed room they have not filled yet.
    putters: HandOff,
}

impl<T> Queue<T> {
    /// A queue holding at most `maxsize` values; 0 means unbounded (Python's default).
    ///
    /// ```
    /// let bounded: asyncio_core::Queue<u8> = asyncio_core::Queue::new(4);
    /// let unbounded: asyncio_core::Queue<u8> = asyncio_core::Queue::new(0);
    /// assert_eq!((bounded.maxsize(), unbounded.maxsize()), (4, 0));
    /// ```
    pub fn new(maxsize: usize) -> Self {
        Queue {
            items: RefCell::new(VecDeque::with_capacity(maxsize)),
            maxsize,
            getters: HandOff::new(),
            putters: HandOff::new(),
        }
    }

    /// The number of queued values.
    pub fn qsize(&self) -> usize {
        self.items.borrow().len()
    }

    /// Whether no value is queued.
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether the queue holds `maxsize` values (never, if unbounded).
    pub fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() >= self.maxsize
    }

    /// The bound given at creation (0: unbounded).
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// The number of tasks waiting in `get` and in `put` (for diagnostics).
    pub fn waiting(&self) -> (usize, usize) {
        (self.getters.waiting(), self.putters.waiting())
    }

    /// Queued values not promised to a picked getter.
    fn unclaimed(&self) -> usize {
        self.qsize() - self.getters.in_transit()
    }

    /// Room not promised to a picked putter.
    fn room(&self) -> usize {
        if self.maxsize == 0 {
            usize::MAX
        } else {
            self.maxsize
                .saturating_sub(self.qsize() + self.putters.in_transit())
        }
    }

    /// Hands an unclaimed value to the oldest getter, if both exist.
    fn offer_value(&self) {
        if self.unclaimed() > 0 {
            self.getters.hand_one();
        }
    }

    /// Hands free room to the oldest putter, if both exist.
    fn offer_room(&self) {
        if self.room() > 0 {
            self.putters.hand_one();
        }
    }

    fn push(&self, item: T) {
        self.items.borrow_mut().push_back(item);
        self.offer_value();
    }

    fn pop(&self) -> T {
        let item = self.items.borrow_mut().pop_front();
        self.offer_room();
        item.expect("queue accounting: a value was promised")
    }

    /// Puts `item` now if there is room (and no putter is waiting), else gives it back.
    ///
    /// ```
    /// let q = asyncio_core::Queue::new(1);
    /// assert_eq!(q.put_nowait(1), Ok(()));
    /// assert_eq!(q.put_nowait(2), Err(2)); // full: the value comes back
    /// ```
    pub fn put_nowait(&self, item: T) -> core::result::Result<(), T> {
        if self.room() > 0 && !self.putters.has_waiters() {
            self.push(item);
            Ok(())
        } else {
            Err(item)
        }
    }

    /// Takes the oldest value now, if one is there for the taking.
    ///
    /// ```
    /// let q = asyncio_core::Queue::new(0);
    /// assert_eq!(q.get_nowait(), None);
    /// q.put_nowait(9).unwrap();
    /// assert_eq!(q.get_nowait(), Some(9));
    /// ```
    pub fn get_nowait(&self) -> Option<T> {
        (self.unclaimed() > 0 && !self.getters.has_waiters()).then(|| self.pop())
    }

    /// Puts `item`, waiting for room if the queue is full.
    ///
    /// ```
    /// use asyncio_core::{run, Queue};
    ///
    /// run(async {
    ///     let q = Queue::new(2);
    ///     q.put("frame").await.unwrap(); // waits only while the queue is full
    ///     assert_eq!(q.qsize(), 1);
    /// })
    /// .unwrap();
    /// ```
    pub fn put(&self, item: T) -> Put<'_, T> {
        Waiter::new(PutPolicy {
            queue: self,
            item: Cell::new(Some(item)),
        })
    }

    /// Takes the oldest value, waiting for one if the queue is empty.
    ///
    /// ```
    /// use asyncio_core::{run, Queue};
    ///
    /// run(async {
    ///     let q = Queue::new(0);
    ///     q.put_nowait(3).unwrap();
    ///     assert_eq!(q.get().await, Ok(3)); // waits only while the queue is empty
    /// })
    /// .unwrap();
    /// ```
    pub fn get(&self) -> Get<'_, T> {
        Waiter::new(GetPolicy { queue: self })
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("qsize", &self.qsize())
            .field("maxsize", &self.maxsize)
            .finish()
    }
}

/// The future of [`Queue::get`].
///
/// ```
/// use asyncio_core::{run, Queue};
///
/// run(async {
///     let q = Queue::new(4);
///     q.put(7).await.unwrap();
///     assert_eq!(q.get().await, Ok(7));
/// })
/// .unwrap();
/// ```
pub type Get<'a, T> = Waiter<GetPolicy<'a, T>>;

/// The future of [`Queue::put`].
///
/// ```
/// use asyncio_core::{run, Queue};
///
/// run(async {
///     let q = Queue::new(1);
///     q.put("a").await.unwrap(); // room: completes at once
///     assert!(q.full());
/// })
/// .unwrap();
/// ```
pub type Put<'a, T> = Waiter<PutPolicy<'a, T>>;

/// A getter's side of the wait (see [`Waiter`]).
#[doc(hidden)]
pub struct GetPolicy<'a, T> {
    queue: &'a Queue<T>,
}

impl<T> WaitPolicy for GetPolicy<'_, T> {
    type Output = T;

    fn list(&self) -> &WaitList {
        self.queue.getters.list()
    }

    fn waiting(&self) -> Waiting {
        Waiting::On("Queue.get")
    }

    fn try_now(&self) -> Result<Option<T>> {
        Ok(self.queue.get_nowait())
    }

    fn accept(&self) -> T {
        self.queue.getters.arrived();
        self.queue.pop()
    }

    fn forfeit(&self) {
        self.queue.getters.arrived();
        self.queue.offer_value();
    }
}

/// A putter's side of the wait, holding the value until it is in the queue.
#[doc(hidden)]
pub struct PutPolicy<'a, T> {
    queue: &'a Queue<T>,
    item: Cell<Option<T>>,
}

impl<T> PutPolicy<'_, T> {
    fn put_item(&self) {
        if let Some(item) = self.item.take() {
            self.queue.push(item);
        }
    }
}

impl<T> WaitPolicy for PutPolicy<'_, T> {
    type Output = ();

    fn list(&self) -> &WaitList {
        self.queue.putters.list()
    }

    fn waiting(&self) -> Waiting {
        Waiting::On("Queue.put")
    }

    fn try_now(&self) -> Result<Option<()>> {
        let q = self.queue;
        let room = q.room() > 0 && !q.putters.has_waiters();
        if room {
            self.put_item();
        }
        Ok(room.then_some(()))
    }

    fn accept(&self) {
        self.queue.putters.arrived();
        self.put_item();
    }

    fn forfeit(&self) {
        self.queue.putters.arrived();
        self.queue.offer_room();
    }
}
