//! One module per MicroPython test, named after it.

pub mod asyncio_as_uasyncio;
pub mod asyncio_await_return;
pub mod asyncio_basic;
pub mod asyncio_basic2;
pub mod asyncio_cancel_fair;
pub mod asyncio_cancel_fair2;
pub mod asyncio_cancel_self;
pub mod asyncio_cancel_task;
pub mod asyncio_cancel_wait_on_finished;
pub mod asyncio_current_task;
pub mod asyncio_event;
pub mod asyncio_event_fair;
pub mod asyncio_event_queue;
pub mod asyncio_exception;
pub mod asyncio_fair;
pub mod asyncio_gather;
pub mod asyncio_gather_finished_early;
pub mod asyncio_gather_notimpl;
pub mod asyncio_get_event_loop;
pub mod asyncio_heaplock;
pub mod asyncio_iterator_event;
pub mod asyncio_lock;
pub mod asyncio_lock_cancel;
pub mod asyncio_loop_stop;
pub mod asyncio_micropython;
pub mod asyncio_new_event_loop;
pub mod asyncio_set_exception_handler;
pub mod asyncio_task_done;
pub mod asyncio_threadsafeflag;
pub mod asyncio_wait_for;
pub mod asyncio_wait_for_fwd;
pub mod asyncio_wait_for_linked_task;
pub mod asyncio_wait_task;

use crate::Case;

/// Every ported test, in alphabetical order.
pub static CASES: &[Case] = &[
    Case {
        name: "asyncio_as_uasyncio",
        run: asyncio_as_uasyncio::run,
        expected: asyncio_as_uasyncio::EXPECTED,
    },
    Case {
        name: "asyncio_await_return",
        run: asyncio_await_return::run,
        expected: asyncio_await_return::EXPECTED,
    },
    Case {
        name: "asyncio_basic",
        run: asyncio_basic::run,
        expected: asyncio_basic::EXPECTED,
    },
    Case {
        name: "asyncio_basic2",
        run: asyncio_basic2::run,
        expected: asyncio_basic2::EXPECTED,
    },
    Case {
        name: "asyncio_cancel_fair",
        run: asyncio_cancel_fair::run,
        expected: asyncio_cancel_fair::EXPECTED,
    },
    Case {
        name: "asyncio_cancel_fair2",
        run: asyncio_cancel_fair2::run,
        expected: asyncio_cancel_fair2::EXPECTED,
    },
    Case {
        name: "asyncio_cancel_self",
        run: asyncio_cancel_self::run,
        expected: asyncio_cancel_self::EXPECTED,
    },
    Case {
        name: "asyncio_cancel_task",
        run: asyncio_cancel_task::run,
        expected: asyncio_cancel_task::EXPECTED,
    },
    Case {
        name: "asyncio_cancel_wait_on_finished",
        run: asyncio_cancel_wait_on_finished::run,
        expected: asyncio_cancel_wait_on_finished::EXPECTED,
    },
    Case {
        name: "asyncio_current_task",
        run: asyncio_current_task::run,
        expected: asyncio_current_task::EXPECTED,
    },
    Case {
        name: "asyncio_event",
        run: asyncio_event::run,
        expected: asyncio_event::EXPECTED,
    },
    Case {
        name: "asyncio_event_fair",
        run: asyncio_event_fair::run,
        expected: asyncio_event_fair::EXPECTED,
    },
    Case {
        name: "asyncio_event_queue",
        run: asyncio_event_queue::run,
        expected: asyncio_event_queue::EXPECTED,
    },
    Case {
        name: "asyncio_exception",
        run: asyncio_exception::run,
        expected: asyncio_exception::EXPECTED,
    },
    Case {
        name: "asyncio_fair",
        run: asyncio_fair::run,
        expected: asyncio_fair::EXPECTED,
    },
    Case {
        name: "asyncio_gather",
        run: asyncio_gather::run,
        expected: asyncio_gather::EXPECTED,
    },
    Case {
        name: "asyncio_gather_finished_early",
        run: asyncio_gather_finished_early::run,
        expected: asyncio_gather_finished_early::EXPECTED,
    },
    Case {
        name: "asyncio_gather_notimpl",
        run: asyncio_gather_notimpl::run,
        expected: asyncio_gather_notimpl::EXPECTED,
    },
    Case {
        name: "asyncio_get_event_loop",
        run: asyncio_get_event_loop::run,
        expected: asyncio_get_event_loop::EXPECTED,
    },
    Case {
        name: "asyncio_heaplock",
        run: asyncio_heaplock::run,
        expected: asyncio_heaplock::EXPECTED,
    },
    Case {
        name: "asyncio_iterator_event",
        run: asyncio_iterator_event::run,
        expected: asyncio_iterator_event::EXPECTED,
    },
    Case {
        name: "asyncio_lock",
        run: asyncio_lock::run,
        expected: asyncio_lock::EXPECTED,
    },
    Case {
        name: "asyncio_lock_cancel",
        run: asyncio_lock_cancel::run,
        expected: asyncio_lock_cancel::EXPECTED,
    },
    Case {
        name: "asyncio_loop_stop",
        run: asyncio_loop_stop::run,
        expected: asyncio_loop_stop::EXPECTED,
    },
    Case {
        name: "asyncio_micropython",
        run: asyncio_micropython::run,
        expected: asyncio_micropython::EXPECTED,
    },
    Case {
        name: "asyncio_new_event_loop",
        run: asyncio_new_event_loop::run,
        expected: asyncio_new_event_loop::EXPECTED,
    },
    Case {
        name: "asyncio_set_exception_handler",
        run: asyncio_set_exception_handler::run,
        expected: asyncio_set_exception_handler::EXPECTED,
    },
    Case {
        name: "asyncio_task_done",
        run: asyncio_task_done::run,
        expected: asyncio_task_done::EXPECTED,
    },
    Case {
        name: "asyncio_threadsafeflag",
        run: asyncio_threadsafeflag::run,
        expected: asyncio_threadsafeflag::EXPECTED,
    },
    Case {
        name: "asyncio_wait_for",
        run: asyncio_wait_for::run,
        expected: asyncio_wait_for::EXPECTED,
    },
    Case {
        name: "asyncio_wait_for_fwd",
        run: asyncio_wait_for_fwd::run,
        expected: asyncio_wait_for_fwd::EXPECTED,
    },
    Case {
        name: "asyncio_wait_for_linked_task",
        run: asyncio_wait_for_linked_task::run,
        expected: asyncio_wait_for_linked_task::EXPECTED,
    },
    Case {
        name: "asyncio_wait_task",
        run: asyncio_wait_task::run,
        expected: asyncio_wait_task::EXPECTED,
    },
];

/// What the ports use.
mod prelude {
    pub use crate::support::py_bool;
    pub use crate::{say, Exc, Hooks, Out};
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::rc::Rc;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
    pub use asyncio_core::*;
    pub use core::cell::{Cell, RefCell};
    pub use core::future::Future;
    pub use core::time::Duration;
}
