//! A test runner for Rust test apps on Zephyr that reports in ztest's console format, so that
//! twister's `ztest` harness sees every case (Rust apps cannot use ztest's C macros).
//!
//! Test cases return `Result<(), String>` instead of panicking, because a panic on Zephyr is a
//! fatal error that would end the whole suite. [`check!`] and [`check_eq!`] return early with a
//! message that names the failed condition and its location.
//!
//! ```
//! use ztest_format::{check, check_eq, Suite};
//!
//! use std::fmt::Write;
//!
//! let mut out = String::new();
//! let mut print = |line: std::fmt::Arguments<'_>| out.write_fmt(line).unwrap();
//! let mut suite = Suite::new("demo", &mut print);
//! suite.case("adds", || {
//!     check_eq!(1 + 1, 2);
//!     Ok(())
//! });
//! suite.case("fails", || {
//!     check!(1 > 2, "one is not greater than two");
//!     Ok(())
//! });
//! assert!(!suite.finish());
//! drop(print);
//! assert!(out.contains(" PASS - adds in 0.000 seconds"));
//! assert!(out.contains(" FAIL - fails in 0.000 seconds"));
//! assert!(out.contains("PROJECT EXECUTION FAILED"));
//! ```

#![no_std]

extern crate alloc;

#[doc(hidden)]
pub use alloc::format as __format;
use alloc::string::String;
use core::fmt::Arguments;

/// Fails the current case (returns `Err`) unless `cond` holds.
#[macro_export]
macro_rules! check {
    ($cond:expr $(,)?) => {
        $crate::check!($cond, "{}", stringify!($cond))
    };
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err($crate::__format!("{}:{}: {}", file!(), line!(), ::core::format_args!($($msg)+)));
        }
    };
}

/// Fails the current case (returns `Err`) unless `left == right`, showing both.
#[macro_export]
macro_rules! check_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err($crate::__format!(
                "{}:{}: {} != {}\n  left: {:?}\n right: {:?}",
                file!(),
                line!(),
                stringify!($left),
                stringify!($right),
                left,
                right
            ));
        }
    }};
}

const RULE: &str = "===================================================================";

/// Where a suite prints: on Zephyr, `zephyr::printk::printk`.
pub type Print<'a> = &'a mut dyn FnMut(Arguments<'_>);

/// One suite's run: prints ztest's lines for each case and the summary at the end.
pub struct Suite<'a> {
    name: &'a str,
    out: Print<'a>,
    /// How many cases passed and failed. Only counts: a suite runs on firmware without a heap
    /// (tests/heap_free), and a list of its cases would cost the main thread's stack.
    passed: u32,
    failed: u32,
}

macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        ($out)(format_args!("{}\n", format_args!($($arg)*)))
    };
}

impl<'a> Suite<'a> {
    /// Starts suite `name`, printing to `out`.
    pub fn new(name: &'a str, out: Print<'a>) -> Self {
        say!(out, "Running TESTSUITE {name}");
        say!(out, "{}", RULE);
        Suite {
            name,
            out,
            passed: 0,
            failed: 0,
        }
    }

    /// Runs one case. Durations are reported as 0: on native_sim code takes no simulated time,
    /// and these suites measure behaviour, not speed.
    pub fn case(&mut self, name: &'a str, case: impl FnOnce() -> Result<(), String>) {
        say!(self.out, "START - {name}");
        let result = case();
        let passed = result.is_ok();
        if let Err(message) = result {
            say!(self.out, "    Assertion failed at {message}");
        }
        let status = if passed { "PASS" } else { "FAIL" };
        say!(self.out, " {status} - {name} in 0.000 seconds");
        say!(self.out, "{}", RULE);
        if passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }

    /// Prints the summary and the project verdict; true if every case passed.
    pub fn finish(self) -> bool {
        let (failed, total) = (self.failed, self.passed + self.failed);
        let ok = failed == 0;
        let name = self.name;
        let out = self.out;
        let verdict = if ok { "succeeded" } else { "failed" };
        say!(out, "TESTSUITE {name} {verdict}");
        say!(out, "\n------ TESTSUITE SUMMARY START ------\n");
        let pct = if total == 0 {
            100.0
        } else {
            100.0 * self.passed as f32 / total as f32
        };
        let status = if ok { "PASS" } else { "FAIL" };
        // ztest lists each case again here; twister takes each case's status from its own
        // PASS/FAIL line above, so the summary gives the counts only.
        say!(
            out,
            "SUITE {status} - {pct:.2}% [{name}]: pass = {}, fail = {failed}, skip = 0, total = {total} duration = 0.000 seconds",
            self.passed
        );
        say!(out, "\n------ TESTSUITE SUMMARY END ------\n");
        say!(out, "{}", RULE);
        let verdict = if ok { "SUCCESSFUL" } else { "FAILED" };
        say!(out, "PROJECT EXECUTION {verdict}");
        ok
    }
}
