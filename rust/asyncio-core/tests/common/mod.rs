//! Helpers shared by the host test binaries.

#![allow(dead_code)] // each test binary uses a different subset

use std::cell::RefCell;
use std::rc::Rc;

/// An ordered record of what the tasks did, compared against the expected sequence.
#[derive(Clone, Default)]
pub struct Trace(Rc<RefCell<Vec<String>>>);

impl Trace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn log(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    pub fn assert(&self, expected: &[&str]) {
        assert_eq!(self.lines(), expected, "trace differs");
    }
}
