//! The loop's timers: an intrusive pairing heap of nodes embedded in sleeping futures.
//!
//! Like MicroPython's `TaskQueue` (also a pairing heap), inserting is O(1), removing the
//! earliest or an arbitrary node is amortised O(log n), and nothing is allocated: each
//! [`TimerNode`] lives inside the future that waits on it. Nodes are ordered by deadline, then
//! by insertion order, so timers with equal deadlines fire first-in first-out.
//!
//! Tree shape: each node links to its leftmost child (`child`) and its right sibling (`next`);
//! `prev` is the left sibling, or the parent for a leftmost child, which makes removing any
//! node O(1) before the re-merge.
//!
//! Loop-thread only (`!Sync` by its `Cell`s).

use core::cell::Cell;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr;
use core::task::Waker;

use super::waker::store_waker;
use crate::time::Instant;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TimerState {
    Idle,
    Armed,
    Fired,
}

/// One timer. Lives inside a pinned future, which removes it in `Drop`.
pub(crate) struct TimerNode {
    deadline: Cell<Instant>,
    seq: Cell<u32>,
    child: Cell<*const TimerNode>,
    next: Cell<*const TimerNode>,
    prev: Cell<*const TimerNode>,
    state: Cell<TimerState>,
    waker: Cell<Option<Waker>>,
    _pin: PhantomPinned,
}

impl TimerNode {
    pub(crate) const fn new() -> Self {
        TimerNode {
            deadline: Cell::new(Instant::from_ticks(0)),
            seq: Cell::new(0),
            child: Cell::new(ptr::null()),
            next: Cell::new(ptr::null()),
            prev: Cell::new(ptr::null()),
            state: Cell::new(TimerState::Idle),
            waker: Cell::new(None),
            _pin: PhantomPinned,
        }
    }

    /// The deadline it was last armed with.
    pub(crate) fn deadline(&self) -> Instant {
        self.deadline.get()
    }

    pub(crate) fn state(&self) -> TimerState {
        self.state.get()
    }

    /// Replaces the waker to use when the timer fires, if it differs from the stored one.
    pub(crate) fn set_waker(&self, waker: &Waker) {
        store_waker(&self.waker, waker);
    }

    fn detach(&self) {
        self.prev.set(ptr::null());
        self.next.set(ptr::null());
    }
}

/// The heap. Stores only the root; the nodes hold the structure.
pub(crate) struct TimerHeap {
    root: Cell<*const TimerNode>,
    seq: Cell<u32>,
    len: Cell<u32>,
}

/// `a` fires before `b`. Sequence numbers compare with wrap-around, which is exact as long as
/// fewer than 2^31 timers are inserted while one stays armed.
///
/// # Safety
/// Both must be live nodes.
unsafe fn before(a: *const TimerNode, b: *const TimerNode) -> bool {
    // SAFETY: guaranteed by the caller.
    let (a, b) = unsafe { (&*a, &*b) };
    match a.deadline.get().cmp(&b.deadline.get()) {
        core::cmp::Ordering::Less => true,
        core::cmp::Ordering::Greater => false,
        core::cmp::Ordering::Equal => (a.seq.get().wrapping_sub(b.seq.get()) as i32) < 0,
    }
}

/// Melds two detached roots; the later one becomes the leftmost child of the earlier.
///
/// # Safety
/// Both must be live, detached (no `prev`/`next`) roots of disjoint heaps.
unsafe fn meld(a: *const TimerNode, b: *const TimerNode) -> *const TimerNode {
    // SAFETY: guaranteed by the caller.
    let (parent, child) = if unsafe { before(b, a) } {
        (b, a)
    } else {
        (a, b)
    };
    // SAFETY: both are live nodes (caller), and so is the parent's old first child (heap node).
    unsafe {
        let old_first = (*parent).child.get();
        (*child).prev.set(parent);
        (*child).next.set(old_first);
        if !old_first.is_null() {
            (*old_first).prev.set(child);
        }
        (*parent).child.set(child);
    }
    parent
}

/// Merges a sibling list into one heap: pair neighbours left to right, then meld the pairs
/// right to left (the classic two-pass merge, amortised O(log n)).
///
/// # Safety
/// `first` must be null or the first of a list of live sibling nodes.
unsafe fn merge_pairs(mut first: *const TimerNode) -> *const TimerNode {
    if first.is_null() {
        return first;
    }
    // Pass 1: melded pairs, pushed on a stack linked through `next` (last pair on top).
    let mut stack: *const TimerNode = ptr::null();
    // SAFETY: every node reached through sibling links is a live heap node.
    unsafe {
        while !first.is_null() {
            let a = first;
            let b = (*a).next.get();
            let melded = if b.is_null() {
                first = ptr::null();
                (*a).detach();
                a
            } else {
                first = (*b).next.get();
                (*a).detach();
                (*b).detach();
                meld(a, b)
            };
            (*melded).next.set(stack);
            stack = melded;
        }
        // Pass 2: meld from the right.
        let mut root = stack;
        stack = (*root).next.get();
        (*root).next.set(ptr::null());
        while !stack.is_null() {
            let m = stack;
            stack = (*m).next.get();
            (*m).next.set(ptr::null());
            root = meld(root, m);
        }
        root
    }
}

impl TimerHeap {
    pub(crate) const fn new() -> Self {
        TimerHeap {
            root: Cell::new(ptr::null()),
            seq: Cell::new(0),
            len: Cell::new(0),
        }
    }

    pub(crate) fn len(&self) -> u32 {
        self.len.get()
    }

    /// The earliest deadline, if any timer is armed.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        let root = self.root.get();
        // SAFETY: the root, if any, is a live armed node.
        (!root.is_null()).then(|| unsafe { (*root).deadline.get() })
    }

    /// Arms `node` to fire at `deadline` and wake `waker`.
    ///
    /// # Safety
    /// The node must be idle, and must be removed (by [`remove`](Self::remove), or by firing)
    /// before its memory is invalidated: its owner removes it in `Drop`.
    pub(crate) unsafe fn insert(&self, node: Pin<&TimerNode>, deadline: Instant, waker: &Waker) {
        debug_assert_eq!(node.state.get(), TimerState::Idle);
        node.deadline.set(deadline);
        node.seq.set(self.seq.get());
        self.seq.set(self.seq.get().wrapping_add(1));
        node.set_waker(waker);
        node.child.set(ptr::null());
        node.detach();
        node.state.set(TimerState::Armed);
        let raw: *const TimerNode = &*node;
        let root = self.root.get();
        let root = if root.is_null() {
            raw
        } else {
            // SAFETY: `raw` is a fresh detached root and `root` the heap's live root.
            unsafe { meld(root, raw) }
        };
        self.root.set(root);
        self.len.set(self.len.get() + 1);
    }

    /// Disarms `node` if it is armed in this heap.
    pub(crate) fn remove(&self, node: &TimerNode) {
        if node.state.get() != TimerState::Armed {
            return;
        }
        let raw: *const TimerNode = node;
        // SAFETY: `node` and every node linked to it are live heap nodes.
        unsafe {
            let rest = merge_pairs(node.child.get());
            if raw == self.root.get() {
                self.root.set(rest);
            } else {
                let (prev, next) = (node.prev.get(), node.next.get());
                if (*prev).child.get() == raw {
                    (*prev).child.set(next);
                } else {
                    (*prev).next.set(next);
                }
                if !next.is_null() {
                    (*next).prev.set(prev);
                }
                if !rest.is_null() {
                    self.root.set(meld(self.root.get(), rest));
                }
            }
        }
        node.child.set(ptr::null());
        node.detach();
        node.state.set(TimerState::Idle);
        self.len.set(self.len.get() - 1);
    }

    /// Takes the earliest timer if its deadline is at or before `now`: marks it fired and
    /// returns its waker for the caller to wake (outside any borrow of the loop).
    pub(crate) fn pop_expired(&self, now: Instant) -> Option<Option<Waker>> {
        let root = self.root.get();
        if root.is_null() {
            return None;
        }
        // SAFETY: the root is a live armed node.
        let node = unsafe { &*root };
        if node.deadline.get() > now {
            return None;
        }
        self.remove(node);
        node.state.set(TimerState::Fired);
        Some(node.waker.take())
    }

    /// Disarms every timer (their futures then see them idle), dropping the stored wakers.
    pub(crate) fn clear(&self) {
        while !self.root.get().is_null() {
            // SAFETY: the root is a live armed node.
            let node = unsafe { &*self.root.get() };
            self.remove(node);
            drop(node.waker.take());
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::boxed::Box;
    use std::collections::BTreeSet;
    use std::vec::Vec;

    /// xorshift64*: deterministic pseudo-random numbers without a dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Random inserts, arbitrary removals and expiries, checked against an ordered set keyed by
    /// (deadline, insertion number): the heap must yield exactly the model's order.
    #[test]
    fn matches_an_ordered_set_under_random_operations() {
        for seed in 1..=20u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let heap = TimerHeap::new();
            let nodes: Vec<Pin<Box<TimerNode>>> =
                (0..64).map(|_| Box::pin(TimerNode::new())).collect();
            let mut model: BTreeSet<(u64, u64, usize)> = BTreeSet::new();
            let mut key_of: Vec<Option<(u64, u64)>> = std::vec![None; nodes.len()];
            let mut inserted = 0u64;
            let mut now = 0u64;
            for _ in 0..5_000 {
                let i = rng.below(nodes.len() as u64) as usize;
                match rng.below(4) {
                    0 | 1 if key_of[i].is_none() => {
                        // Few distinct deadlines, so ties are common.
                        let deadline = now + rng.below(8);
                        // SAFETY: the node is pinned and outlives the heap in this test.
                        unsafe {
                            heap.insert(
                                nodes[i].as_ref(),
                                Instant::from_ticks(deadline),
                                Waker::noop(),
                            )
                        };
                        key_of[i] = Some((deadline, inserted));
                        model.insert((deadline, inserted, i));
                        inserted += 1;
                    }
                    2 => {
                        heap.remove(&nodes[i]);
                        if let Some((d, s)) = key_of[i].take() {
                            model.remove(&(d, s, i));
                        }
                    }
                    _ => {
                        now += rng.below(3);
                        loop {
                            let expected = model.first().copied().filter(|(d, _, _)| *d <= now);
                            let popped = heap.pop_expired(Instant::from_ticks(now));
                            assert_eq!(popped.is_some(), expected.is_some());
                            let Some((d, s, j)) = expected else { break };
                            assert_eq!(nodes[j].state(), TimerState::Fired, "seed {seed}");
                            model.remove(&(d, s, j));
                            key_of[j] = None;
                            nodes[j].state.set(TimerState::Idle);
                        }
                    }
                }
                assert_eq!(heap.len() as usize, model.len());
                assert_eq!(
                    heap.next_deadline().map(Instant::ticks),
                    model.first().map(|(d, _, _)| *d)
                );
            }
            heap.clear();
        }
    }
}
