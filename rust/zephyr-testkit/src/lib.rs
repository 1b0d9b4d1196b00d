//! What the Zephyr test apps of zephyr-asyncio share: a [`Suite`] that prints through printk
//! (in ztest's format, for twister), [`IsrTimer`] to run code in interrupt context, and
//! [`spawn_thread`] to run it on another thread.

#![no_std]
// The CONFIG_* cfgs come from the build script, so rustc cannot know them.
#![allow(unexpected_cfgs)]

extern crate alloc;

mod isr;
mod thread;

pub use isr::IsrTimer;
pub use thread::spawn_thread;
pub use ztest_format::{check, check_eq, Suite};

/// Whether the board's clock stands still while code runs: native_sim's simulated time moves
/// only when every thread waits. On QEMU (icount: time advances with every instruction) and on
/// hardware, the code under test spends the board's time itself.
pub const CLOCK_STANDS_STILL_WHILE_CODE_RUNS: bool = cfg!(CONFIG_ARCH_POSIX);

/// How many ticks the clock may move on while a test's own code runs between two readings it
/// compares: none where [the clock stands still](CLOCK_STANDS_STILL_WHILE_CODE_RUNS), else one.
pub const TICK_SLACK: u64 = if CLOCK_STANDS_STILL_WHILE_CODE_RUNS {
    0
} else {
    1
};

/// A stack that holds a second asyncio loop and its tasks' polls, for test apps that run one
/// on a thread of their own (native_sim's stacks carry the host C library's frames as well).
pub const LOOP_STACK_SIZE: usize = if cfg!(CONFIG_ARCH_POSIX) { 16384 } else { 4096 };

/// Runs `cases` as suite `name`, printing ztest's report through printk.
pub fn run_suite(name: &str, cases: impl FnOnce(&mut Suite<'_>)) {
    let mut print = |line: core::fmt::Arguments<'_>| zephyr::printk::printk(line);
    let mut suite = Suite::new(name, &mut print);
    cases(&mut suite);
    suite.finish();
}

/// The bytes a hex string spells (`"0aff"` is `[0x0a, 0xff]`), for test apps whose host test
/// sends binary data (a certificate) on a text control line; `None` if it is not hex.
///
/// ```
/// assert_eq!(zephyr_testkit::from_hex("0aff"), Some(alloc::vec![0x0a, 0xff]));
/// assert_eq!(zephyr_testkit::from_hex("0g"), None);
/// ```
pub fn from_hex(hex: &str) -> Option<alloc::vec::Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect()
}
