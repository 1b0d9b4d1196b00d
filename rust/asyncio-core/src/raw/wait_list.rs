//! An intrusive FIFO of waiting futures: the building block of every loop primitive that makes
//! tasks wait for each other (task completion, Event, Lock, Queue...).
//!
//! Each waiting future embeds a [`WaitNode`] (so waiting never allocates) and links it into the
//! primitive's [`WaitList`]. Wakers are taken out of the node when it is notified, and a future
//! that is dropped while linked unlinks itself, which is what makes every primitive cancel-safe:
//! a cancelled waiter leaves no trace in the list.
//!
//! Loop-thread only (`!Sync` by its `Cell`s).

use core::cell::Cell;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::{self, NonNull};
use core::task::Waker;

use super::waker::store_waker;

/// Appends `node` to the chain of `next` links from `head` to `tail` (an inbox's).
fn append(head: &Cell<*const WaitNode>, tail: &Cell<*const WaitNode>, node: &WaitNode) {
    node.next.set(ptr::null());
    let raw: *const WaitNode = node;
    match NonNull::new(tail.get() as *mut WaitNode) {
        // SAFETY: nodes in a chain are alive: a list's owners unlink before invalidating, and
        // an inbox's nodes belong to the inbox's owner.
        Some(last) => unsafe { last.as_ref() }.next.set(raw),
        None => head.set(raw),
    }
    tail.set(raw);
}

/// Where a node is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NodeState {
    /// Not in any list.
    Idle,
    /// Linked, waiting to be notified.
    Waiting,
    /// Taken out of the list by a notifier; the waiter has been (or is being) woken.
    Notified,
}

/// One waiter. Lives inside a pinned future.
pub(crate) struct WaitNode {
    prev: Cell<*const WaitNode>,
    next: Cell<*const WaitNode>,
    state: Cell<NodeState>,
    waker: Cell<Option<Waker>>,
    /// Where it reports when notified, instead of waking `waker` (see [`Inbox`]); null if none.
    inbox: Cell<*const Inbox>,
    /// Its owner will take what it waits for (a task's result: see `finish`).
    takes_result: Cell<bool>,
    /// Its owner is a task group watching a member (for the task dump).
    group_member: Cell<bool>,
    _pin: PhantomPinned,
}

impl WaitNode {
    pub(crate) const fn new() -> Self {
        WaitNode {
            prev: Cell::new(ptr::null()),
            next: Cell::new(ptr::null()),
            state: Cell::new(NodeState::Idle),
            waker: Cell::new(None),
            inbox: Cell::new(ptr::null()),
            takes_result: Cell::new(false),
            group_member: Cell::new(false),
            _pin: PhantomPinned,
        }
    }

    /// Marks the node's owner as one that will take what it waits for (a task's result).
    pub(crate) fn mark_takes_result(&self) {
        self.takes_result.set(true);
    }

    /// Marks the node's owner as a task group watching the task it waits for.
    pub(crate) fn mark_group_member(&self) {
        self.group_member.set(true);
    }

    pub(crate) fn state(&self) -> NodeState {
        self.state.get()
    }

    /// A clone of the waker it waits with.
    pub(crate) fn waker(&self) -> Option<Waker> {
        let waker = self.waker.take();
        self.waker.set(waker.clone());
        waker
    }

    /// Marks a notified node idle again, so it can wait once more.
    pub(crate) fn reset(&self) {
        debug_assert_ne!(self.state.get(), NodeState::Waiting);
        self.state.set(NodeState::Idle);
    }

    /// Stores the waker to use when notified, replacing the previous one only if it differs.
    pub(crate) fn set_waker(&self, waker: &Waker) {
        store_waker(&self.waker, waker);
    }
}

/// A FIFO of [`WaitNode`]s. (`pub` only so that the wait policies of public futures may name it;
/// nothing outside the crate can reach it.)
///
/// One word: the head. The head's `prev` points to the tail (the other nodes' to the node
/// before them, and the tail's `next` is null), so appending stays O(1) without a tail field
/// in every primitive and every task header.
#[doc(hidden)]
pub struct WaitList {
    head: Cell<*const WaitNode>,
}

impl Default for WaitList {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitList {
    pub(crate) const fn new() -> Self {
        WaitList {
            head: Cell::new(ptr::null()),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.head.get().is_null()
    }

    /// The number of waiting nodes, counted (only diagnostics ask, so the list and every task
    /// header carry no count).
    pub(crate) fn len(&self) -> usize {
        let mut count = 0;
        let mut node = self.head.get();
        // SAFETY: linked nodes are alive while linked, and nothing unlinks during the walk.
        while let Some(n) = unsafe { node.as_ref() } {
            count += 1;
            node = n.next.get();
        }
        count
    }

    /// Whether a waiting node's owner will take what it waits for (a task's result).
    pub(crate) fn any_takes_result(&self) -> bool {
        self.any(|n| n.takes_result.get())
    }

    /// Whether a task group watches the task whose awaiters these are.
    pub(crate) fn any_group_member(&self) -> bool {
        self.any(|n| n.group_member.get())
    }

    fn any(&self, pick: impl Fn(&WaitNode) -> bool) -> bool {
        let mut node = self.head.get();
        // SAFETY: linked nodes are alive while linked, and nothing unlinks during the walk.
        while let Some(n) = unsafe { node.as_ref() } {
            if pick(n) {
                return true;
            }
            node = n.next.get();
        }
        false
    }

    /// The oldest waiter, if any.
    pub(crate) fn front(&self) -> Option<&WaitNode> {
        // SAFETY: linked nodes are alive while linked, and the borrow ends before any unlink
        // the caller could make (it holds `&self` of the list only).
        unsafe { self.head.get().as_ref() }
    }

    /// Links `node` at the back, waiting with `waker`.
    ///
    /// # Safety
    /// The node must be idle, and must be removed (by [`remove`](Self::remove), or by being
    /// notified) before its memory is invalidated: its owner unlinks it in `Drop`.
    pub(crate) unsafe fn push_back(&self, node: Pin<&WaitNode>, waker: &Waker) {
        node.set_waker(waker);
        node.inbox.set(ptr::null());
        self.link_back(&node);
    }

    /// Links `node` at the back; when notified it is queued in `inbox` (whose waker is woken)
    /// rather than woken itself.
    ///
    /// # Safety
    /// As [`push_back`](Self::push_back); and `inbox` must outlive the node's stay in this list
    /// and in the inbox (the node's and the inbox's owner are one, and never pops the inbox
    /// after dropping a node).
    pub(crate) unsafe fn push_back_reporting(&self, node: Pin<&WaitNode>, inbox: Pin<&Inbox>) {
        drop(node.waker.take());
        node.inbox.set(&*inbox);
        self.link_back(&node);
    }

    fn link_back(&self, node: &WaitNode) {
        debug_assert_eq!(node.state.get(), NodeState::Idle);
        node.state.set(NodeState::Waiting);
        node.next.set(ptr::null());
        let raw: *const WaitNode = node;
        match self.head_node() {
            Some(head) => {
                let tail = head.prev.get();
                // SAFETY: linked nodes are alive; the head's `prev` is the tail.
                unsafe { &*tail }.next.set(raw);
                node.prev.set(tail);
                head.prev.set(raw);
            }
            None => {
                node.prev.set(raw);
                self.head.set(raw);
            }
        }
    }

    fn head_node(&self) -> Option<&WaitNode> {
        // SAFETY: linked nodes are alive while linked.
        unsafe { self.head.get().as_ref() }
    }

    /// The newest waiter, if any.
    fn tail(&self) -> *const WaitNode {
        self.head_node().map_or(ptr::null(), |head| head.prev.get())
    }

    /// Unlinks `node` if it is waiting in this list; a notified or idle node is left alone.
    pub(crate) fn remove(&self, node: &WaitNode) {
        if node.state.get() == NodeState::Waiting {
            self.unlink(node);
            node.state.set(NodeState::Idle);
            drop(node.waker.take());
        }
    }

    fn unlink(&self, node: &WaitNode) {
        let raw: *const WaitNode = node;
        // SAFETY: the nodes linked beside a linked node are alive.
        let (prev, next) = unsafe { (&*node.prev.get(), node.next.get().as_ref()) };
        if self.head.get() == raw {
            // The head: the next node (if any) becomes it and inherits the tail pointer.
            if let Some(next) = next {
                next.prev.set(prev);
            }
            self.head.set(node.next.get());
        } else {
            prev.next.set(node.next.get());
            match next {
                Some(next) => next.prev.set(prev),
                // The tail: the head's `prev` moves back to the node before.
                None => self
                    .head_node()
                    .expect("a linked node's list has a head")
                    .prev
                    .set(prev),
            }
        }
    }

    /// Notifies the oldest waiter, if any: unlinks it, marks it notified and wakes it.
    /// Returns whether there was one.
    pub(crate) fn notify_one(&self) -> bool {
        let head = self.head.get();
        if head.is_null() {
            return false;
        }
        // SAFETY: linked nodes are alive.
        let node = unsafe { &*head };
        self.unlink(node);
        node.state.set(NodeState::Notified);
        // SAFETY: an inbox outlives the nodes reporting to it (`push_back_reporting`).
        match unsafe { node.inbox.get().as_ref() } {
            Some(inbox) => inbox.deliver(node),
            None => {
                if let Some(waker) = node.waker.take() {
                    waker.wake();
                }
            }
        }
        true
    }

    /// Notifies every waiter, oldest first. Waiters that join during the call are not notified.
    pub(crate) fn notify_all(&self) {
        let last = self.tail();
        while !self.is_empty() {
            let was_last = self.head.get() == last;
            self.notify_one();
            if was_last {
                break;
            }
        }
    }
}

/// Where notified nodes queue up, oldest first, instead of each waking its own waker: a waiter
/// watching many lists at once (gather, one node per child) learns which of its nodes fired
/// without scanning them all, so n notifications cost O(n) rather than O(n^2).
///
/// A queued node is linked through its own `next` (free once it has left its list).
pub(crate) struct Inbox {
    head: Cell<*const WaitNode>,
    tail: Cell<*const WaitNode>,
    waker: Cell<Option<Waker>>,
    _pin: PhantomPinned,
}

impl Inbox {
    pub(crate) const fn new() -> Self {
        Inbox {
            head: Cell::new(ptr::null()),
            tail: Cell::new(ptr::null()),
            waker: Cell::new(None),
            _pin: PhantomPinned,
        }
    }

    /// The waker to wake when a node arrives.
    pub(crate) fn set_waker(&self, waker: &Waker) {
        store_waker(&self.waker, waker);
    }

    fn deliver(&self, node: &WaitNode) {
        append(&self.head, &self.tail, node);
        let waker = self.waker.take();
        if let Some(w) = &waker {
            w.wake_by_ref();
        }
        self.waker.set(waker);
    }

    /// The oldest notified node not yet taken, as an address (to tell which of the owner's
    /// nodes it is).
    pub(crate) fn pop(&self) -> Option<*const WaitNode> {
        let head = self.head.get();
        // SAFETY: queued nodes are alive (their owner owns the inbox too).
        let node = unsafe { head.as_ref() }?;
        self.head.set(node.next.get());
        if self.head.get().is_null() {
            self.tail.set(ptr::null());
        }
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use core::pin::pin;
    use std::vec::Vec;

    /// The waiters left, oldest first, as indices into `nodes`.
    fn order(list: &WaitList, nodes: &[Pin<&mut WaitNode>]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut node = list.head.get();
        // SAFETY: the test's nodes outlive the list's use.
        while let Some(n) = unsafe { node.as_ref() } {
            out.push(nodes.iter().position(|m| core::ptr::eq(&**m, n)).unwrap());
            node = n.next.get();
        }
        // The head's `prev` is the tail: the list's one word still finds the back.
        assert_eq!(
            list.tail(),
            out.last().map_or(ptr::null(), |&i| &*nodes[i] as *const _)
        );
        out
    }

    #[test]
    fn removing_from_the_head_the_middle_and_the_tail_keeps_the_order_and_the_tail() {
        let list = WaitList::new();
        let waker = futures_util::task::noop_waker();
        let nodes = [
            pin!(WaitNode::new()),
            pin!(WaitNode::new()),
            pin!(WaitNode::new()),
            pin!(WaitNode::new()),
            pin!(WaitNode::new()),
        ];
        for node in &nodes {
            // SAFETY: every node is removed or notified before the test ends.
            unsafe { list.push_back(node.as_ref(), &waker) };
        }
        assert_eq!(order(&list, &nodes), [0, 1, 2, 3, 4]);
        list.remove(&nodes[2]);
        assert_eq!(order(&list, &nodes), [0, 1, 3, 4]);
        list.remove(&nodes[4]);
        assert_eq!(order(&list, &nodes), [0, 1, 3]);
        list.remove(&nodes[0]);
        assert_eq!(order(&list, &nodes), [1, 3]);
        nodes[4].reset();
        // SAFETY: as above.
        unsafe { list.push_back(nodes[4].as_ref(), &waker) };
        assert_eq!(order(&list, &nodes), [1, 3, 4]);
        assert!(list.notify_one());
        assert_eq!(nodes[1].state(), NodeState::Notified);
        assert_eq!(order(&list, &nodes), [3, 4]);
        list.notify_all();
        assert_eq!(order(&list, &nodes), []);
        assert!(list.is_empty());
    }
}
