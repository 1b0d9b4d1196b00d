//! What the Zephyr test apps of zephyr-asyncio share: a [`Suite`] that prints through printk
//! (in ztest's format, for twister), [`IsrTimer`] to run code in interrupt context, and
//! [`spawn_thread`] to run it on another thread.

#![no_std]

mod isr;
mod thread;

pub use asyncio_testkit::{check, check_eq, Suite};
pub use isr::IsrTimer;
pub use thread::spawn_thread;

/// Runs `cases` as suite `name`, printing ztest's report through printk.
pub fn run_suite(name: &str, cases: impl FnOnce(&mut Suite<'_>)) {
    let mut print = |line: core::fmt::Arguments<'_>| zephyr::printk::printk(line);
    let mut suite = Suite::new(name, &mut print);
    cases(&mut suite);
    suite.finish();
}
