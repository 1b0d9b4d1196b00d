//! [`Queue`]: a FIFO of values between tasks, bounded or not.

extern crate alloc;

use alloc::collections::VecDeque;
use core::cell::{Cell, RefCell};
use core::fmt;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::{NodeState, WaitList, WaitNode};
use crate::task::{note_waiting, Waiting};

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
    getters: WaitList,
    putters: WaitList,
    /// Getters notified of a value they have not taken yet: that many values are theirs.
    getters_notified: Cell<usize>,
    /// Putters notified of room they have not filled yet: that much room is theirs.
    putters_notified: Cell<usize>,
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
            getters: WaitList::new(),
            putters: WaitList::new(),
            getters_notified: Cell::new(0),
            putters_notified: Cell::new(0),
        }
    }

    /// The number of queued values.
    ///
    /// ```
    /// let q = asyncio_core::Queue::new(0);
    /// q.put_nowait('a').unwrap();
    /// assert_eq!(q.qsize(), 1);
    /// ```
    pub fn qsize(&self) -> usize {
        self.items.borrow().len()
    }

    /// Whether no value is queued.
    ///
    /// ```
    /// let q = asyncio_core::Queue::new(0);
    /// assert!(q.empty());
    /// q.put_nowait(1).unwrap();
    /// assert!(!q.empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether the queue holds `maxsize` values (never, if unbounded).
    ///
    /// ```
    /// let q = asyncio_core::Queue::new(1);
    /// q.put_nowait(1).unwrap();
    /// assert!(q.full());
    /// ```
    pub fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() >= self.maxsize
    }

    /// The bound given at creation (0: unbounded).
    ///
    /// ```
    /// assert_eq!(asyncio_core::Queue::<u8>::new(3).maxsize(), 3);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// The number of tasks waiting in `get` and in `put` (for diagnostics).
    ///
    /// ```
    /// use asyncio_core::{create_task, run, yield_now, Queue};
    /// use std::rc::Rc;
    ///
    /// run(async {
    ///     let q = Rc::new(Queue::<u8>::new(1));
    ///     let getter = create_task({
    ///         let q = q.clone();
    ///         async move { q.get().await }
    ///     });
    ///     yield_now().await?;
    ///     assert_eq!(q.waiting(), (1, 0)); // one getter, no putter
    ///     q.put(5).await?;
    ///     assert_eq!(getter.await, Ok(5));
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn waiting(&self) -> (usize, usize) {
        (self.getters.len(), self.putters.len())
    }

    /// Queued values not promised to a notified getter.
    fn unclaimed(&self) -> usize {
        self.qsize() - self.getters_notified.get()
    }

    /// Room not promised to a notified putter.
    fn room(&self) -> usize {
        if self.maxsize == 0 {
            usize::MAX
        } else {
            self.maxsize
                .saturating_sub(self.qsize() + self.putters_notified.get())
        }
    }

    fn push(&self, item: T) {
        self.items.borrow_mut().push_back(item);
        if self.unclaimed() > 0 && self.getters.notify_one() {
            self.getters_notified.set(self.getters_notified.get() + 1);
        }
    }

    fn pop(&self) -> T {
        let item = self.items.borrow_mut().pop_front();
        if self.room() > 0 && self.putters.notify_one() {
            self.putters_notified.set(self.putters_notified.get() + 1);
        }
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
        if self.room() > 0 && self.putters.is_empty() {
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
        (self.unclaimed() > 0 && self.getters.is_empty()).then(|| self.pop())
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
        Put {
            queue: self,
            item: Cell::new(Some(item)),
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
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
        Get {
            queue: self,
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
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
#[must_use = "futures do nothing unless awaited"]
pub struct Get<'a, T> {
    queue: &'a Queue<T>,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl<T> Get<'_, T> {
    /// Gives up waiting; a value promised to this getter goes to the next one.
    fn withdraw(&self) {
        let q = self.queue;
        match self.node.state() {
            NodeState::Notified => {
                self.node.reset();
                q.getters_notified.set(q.getters_notified.get() - 1);
                if q.unclaimed() > 0 && q.getters.notify_one() {
                    q.getters_notified.set(q.getters_notified.get() + 1);
                }
            }
            NodeState::Waiting => q.getters.remove(&self.node),
            NodeState::Idle => {}
        }
    }
}

impl<T> Future for Get<'_, T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.into_ref().get_ref();
        let q = this.queue;
        if context::take_cancel() {
            this.withdraw();
            return Poll::Ready(Err(Error::Cancelled));
        }
        match this.node.state() {
            NodeState::Notified => {
                this.node.reset();
                q.getters_notified.set(q.getters_notified.get() - 1);
                Poll::Ready(Ok(q.pop()))
            }
            NodeState::Waiting => {
                this.node.set_waker(cx.waker());
                note_waiting(Waiting::On("Queue.get"));
                Poll::Pending
            }
            NodeState::Idle => match q.get_nowait() {
                Some(item) => Poll::Ready(Ok(item)),
                None => {
                    // SAFETY: the node is pinned inside this future, which withdraws it in
                    // `Drop`.
                    unsafe {
                        q.getters
                            .push_back(Pin::new_unchecked(&this.node), cx.waker())
                    };
                    note_waiting(Waiting::On("Queue.get"));
                    Poll::Pending
                }
            },
        }
    }
}

impl<T> Drop for Get<'_, T> {
    fn drop(&mut self) {
        self.withdraw();
    }
}

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
#[must_use = "futures do nothing unless awaited"]
pub struct Put<'a, T> {
    queue: &'a Queue<T>,
    item: Cell<Option<T>>,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl<T> Put<'_, T> {
    /// Gives up waiting; room promised to this putter goes to the next one.
    fn withdraw(&self) {
        let q = self.queue;
        match self.node.state() {
            NodeState::Notified => {
                self.node.reset();
                q.putters_notified.set(q.putters_notified.get() - 1);
                if q.room() > 0 && q.putters.notify_one() {
                    q.putters_notified.set(q.putters_notified.get() + 1);
                }
            }
            NodeState::Waiting => q.putters.remove(&self.node),
            NodeState::Idle => {}
        }
    }

    fn put_item(&self) -> Poll<Result<()>> {
        if let Some(item) = self.item.take() {
            self.queue.push(item);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T> Future for Put<'_, T> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.into_ref().get_ref();
        let q = this.queue;
        if context::take_cancel() {
            this.withdraw();
            return Poll::Ready(Err(Error::Cancelled));
        }
        match this.node.state() {
            NodeState::Notified => {
                this.node.reset();
                q.putters_notified.set(q.putters_notified.get() - 1);
                this.put_item()
            }
            NodeState::Waiting => {
                this.node.set_waker(cx.waker());
                note_waiting(Waiting::On("Queue.put"));
                Poll::Pending
            }
            NodeState::Idle if q.room() > 0 && q.putters.is_empty() => this.put_item(),
            NodeState::Idle => {
                // SAFETY: the node is pinned inside this future, which withdraws it in `Drop`.
                unsafe {
                    q.putters
                        .push_back(Pin::new_unchecked(&this.node), cx.waker())
                };
                note_waiting(Waiting::On("Queue.put"));
                Poll::Pending
            }
        }
    }
}

impl<T> Drop for Put<'_, T> {
    fn drop(&mut self) {
        self.withdraw();
    }
}
