//! What the ported tests share: the output they print to, Python-style exceptions, the hooks
//! for things outside the loop, and the check against the expected output.

use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::RefCell;
use core::fmt;

use asyncio_core::{new_event_loop, Error, TaskError};

/// The lines a test prints (its `print()` calls). Cloned into tasks.
#[derive(Clone)]
pub struct Out(Rc<RefCell<String>>);

impl Out {
    /// Room for any test's output, so printing never allocates (the heaplock test counts).
    fn new() -> Self {
        Out(Rc::new(RefCell::new(String::with_capacity(4096))))
    }

    /// Prints one line.
    pub fn line(&self, args: fmt::Arguments<'_>) {
        let mut text = self.0.borrow_mut();
        let _ = fmt::Write::write_fmt(&mut *text, args);
        text.push('\n');
    }

    fn text(&self) -> String {
        self.0.borrow().clone()
    }
}

/// `print(...)` for the ported tests.
#[macro_export]
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        $out.line(::core::format_args!($($arg)*))
    };
}

/// Python's `repr()` of a bytes object, as `print` shows one. Formatting it allocates
/// nothing (the heaplock test prints inside its window).
///
/// ```
/// use asyncio_conformance::py_bytes;
///
/// assert_eq!(py_bytes(b"ab\r\n").to_string(), r"b'ab\r\n'");
/// assert_eq!(py_bytes(b"it's").to_string(), "b\"it's\"");
/// ```
pub fn py_bytes(data: &[u8]) -> PyBytes<'_> {
    PyBytes(data)
}

/// What [`py_bytes`] returns: displays as Python's `repr()` of the bytes.
///
/// ```
/// use asyncio_conformance::{py_bytes, PyBytes};
///
/// let repr: PyBytes = py_bytes(b"\x00");
/// assert_eq!(format!("{repr}"), r"b'\x00'");
/// ```
pub struct PyBytes<'a>(&'a [u8]);

impl fmt::Display for PyBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = self.0;
        let quote = if data.contains(&b'\'') && !data.contains(&b'"') {
            '"'
        } else {
            '\''
        };
        write!(f, "b{quote}")?;
        for &b in data {
            match b {
                b'\\' => f.write_str("\\\\")?,
                b'\t' => f.write_str("\\t")?,
                b'\n' => f.write_str("\\n")?,
                b'\r' => f.write_str("\\r")?,
                _ if char::from(b) == quote => write!(f, "\\{quote}")?,
                0x20..=0x7e => write!(f, "{}", char::from(b))?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        write!(f, "{quote}")
    }
}

/// Python's `True`/`False`.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The exceptions the tests raise; both `Display` and `Debug` print Python's `repr`.
#[derive(Clone, PartialEq)]
pub enum Exc {
    /// An asyncio exception (`CancelledError`, `TimeoutError`, ...).
    Asyncio(Error),
    /// `ValueError(<args>)`; the arguments as the test's `.exp` spells them.
    Value(String),
}

impl Exc {
    /// `ValueError(args)`.
    pub fn value(args: impl ToString) -> Self {
        Exc::Value(args.to_string())
    }
}

impl From<Error> for Exc {
    fn from(e: Error) -> Self {
        Exc::Asyncio(e)
    }
}

impl TaskError for Exc {
    fn is_cancelled(&self) -> bool {
        matches!(self, Exc::Asyncio(e) if e.is_cancelled())
    }
}

impl fmt::Debug for Exc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Exc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exc::Asyncio(Error::Cancelled) => f.write_str("CancelledError()"),
            Exc::Asyncio(Error::Timeout) => f.write_str("TimeoutError()"),
            Exc::Asyncio(e) => write!(f, "RuntimeError({e:?})"),
            Exc::Value(args) => write!(f, "ValueError({args})"),
        }
    }
}

/// What a test needs from outside the loop; supplied by the host or the Zephyr runner.
pub trait Hooks: Sync {
    /// Lets `ms` of CPU time pass, for tests with busy tasks: code takes no time on a
    /// simulated clock (the host's virtual one, native_sim's).
    fn burn_ms(&self, ms: u32);
    /// Runs `f` from outside the loop — another thread or an interrupt handler — `ms` from
    /// now (MicroPython's `micropython.schedule`).
    fn later(&self, ms: u32, f: fn());
    /// Heap allocations so far, if the runner can count them.
    fn allocations(&self) -> Option<u64>;
}

/// One ported test.
pub struct Case {
    /// The MicroPython test's name.
    pub name: &'static str,
    /// Runs it, printing to `Out`.
    pub run: fn(&Out, &'static dyn Hooks),
    /// What it must print.
    pub expected: &'static str,
}

/// Runs `case` on a fresh loop and compares what it printed with what it must print.
pub fn check(case: &Case, hooks: &'static dyn Hooks) -> Result<(), String> {
    let lp = new_event_loop().map_err(|e| format!("new_event_loop: {e}"))?;
    lp.set_exception_handler(None);
    let out = Out::new();
    (case.run)(&out, hooks);
    let got = out.text();
    if got == case.expected {
        return Ok(());
    }
    let (mut got_lines, mut want_lines) = (got.lines(), case.expected.lines());
    for n in 1.. {
        match (got_lines.next(), want_lines.next()) {
            (Some(g), Some(w)) if g == w => continue,
            (g, w) => {
                return Err(format!(
                    "{}: line {n} differs\n  printed:  {:?}\n  expected: {:?}\n--- printed\n{got}",
                    case.name,
                    g.unwrap_or("<end>"),
                    w.unwrap_or("<end>"),
                ))
            }
        }
    }
    unreachable!()
}
