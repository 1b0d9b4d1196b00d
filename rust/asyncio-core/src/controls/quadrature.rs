//! [`Quadrature`]: decoding a rotary encoder's two phases into steps.

/// The decoder of an incremental quadrature encoder's A and B phases: each valid transition
/// of the two-bit Gray code is one step, forward or back; a transition that skips a state (both
/// phases at once: an edge missed) counts as none. Plain data, so an interrupt handler can own
/// one (`asyncio::gpio::Encoder` does).
///
/// ```
/// use asyncio_core::Quadrature;
///
/// let mut q = Quadrature::new(false, false);
/// // One detent clockwise: 00 -> 01 -> 11 -> 10 -> 00.
/// let steps: i32 = [(false, true), (true, true), (true, false), (false, false)]
///     .into_iter()
///     .map(|(a, b)| i32::from(q.update(a, b)))
///     .sum();
/// assert_eq!(steps, 4);
/// assert_eq!(q.update(true, true), 0); // 00 -> 11: a missed edge, no step
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quadrature {
    state: u8,
}

/// Step for (previous state << 2 | new state), states as A << 1 | B.
const STEPS: [i8; 16] = [0, 1, -1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 0, -1, 1, 0];

impl Quadrature {
    /// A decoder whose phases read `a` and `b` now.
    ///
    /// ```
    /// use asyncio_core::Quadrature;
    ///
    /// let decoder = Quadrature::new(true, false); // the phases as they read at start
    /// assert_eq!(decoder, Quadrature::new(true, false));
    /// ```
    pub const fn new(a: bool, b: bool) -> Self {
        Quadrature {
            state: (a as u8) << 1 | b as u8,
        }
    }

    /// The phases read `a` and `b` now: the step since the last reading (-1, 0 or 1).
    ///
    /// ```
    /// use asyncio_core::Quadrature;
    ///
    /// let mut q = Quadrature::new(false, false);
    /// assert_eq!(q.update(true, false), -1); // 00 -> 10: one step back
    /// assert_eq!(q.update(false, false), 1); // and forward again
    /// ```
    pub fn update(&mut self, a: bool, b: bool) -> i8 {
        let state = (a as u8) << 1 | b as u8;
        let step = STEPS[usize::from(self.state << 2 | state)];
        self.state = state;
        step
    }
}
