//! What the Zephyr test apps of zephyr-asyncio share: a [`Suite`] that prints through printk
//! (in ztest's format, for twister), and [`IsrTimer`] to run code in interrupt context.

#![no_std]

mod isr;

pub use asyncio_testkit::{check, check_eq, Suite};
pub use isr::IsrTimer;

/// Runs `cases` as suite `name`, printing ztest's report through printk.
pub fn run_suite(name: &str, cases: impl FnOnce(&mut Suite<'_>)) {
    let mut print = |line: core::fmt::Arguments<'_>| zephyr::printk::printk(line);
    let mut suite = Suite::new(name, &mut print);
    cases(&mut suite);
    suite.finish();
}
