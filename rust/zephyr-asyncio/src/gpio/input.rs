//! [`InputPin`]: a pin whose edges tasks await.

use alloc::boxed::Box;
use core::pin::Pin;
use zephyr::sync::atomic::{AtomicU32, Ordering};

use asyncio_core::{Contact, Result, ThreadSafeFlag};

use super::irq::EdgeIrq;
use super::spec::PinSpec;
use crate::DtNode;

/// Which change of level a wait is for, in logic terms: `Rising` is to the active level (a
/// press of an active-low button is a rising edge).
///
/// ```no_run
/// use asyncio::gpio::{Edge, InputPin};
///
/// // An active-low button: `Rising` is the press (the pin going low), `Falling` the release.
/// async fn hold_time(button: &mut InputPin) -> asyncio::Result<u64> {
///     button.wait_for_edge(Edge::Rising).await?;
///     let down = asyncio::ticks_ms();
///     button.wait_for_edge(Edge::Falling).await?;
///     Ok(asyncio::ticks_ms() - down)
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// To the active level.
    Rising,
    /// To the inactive level.
    Falling,
    /// Either.
    Any,
}

/// What an input pin's interrupt handler keeps: the edges it saw, by direction, and the flag
/// the waiting task waits on.
pub(crate) struct Edges {
    rising: AtomicU32,
    falling: AtomicU32,
    flag: ThreadSafeFlag,
}

/// In interrupt context: one edge of `spec`, told apart by the level after it.
fn count(edges: &Edges, spec: &PinSpec) {
    let counter = if spec.is_active() {
        &edges.rising
    } else {
        &edges.falling
    };
    counter.fetch_add(1, Ordering::Relaxed);
    edges.flag.set();
}

/// An input pin with its edge interrupt armed (both edges, from creation to drop): a task
/// awaiting an edge or a level is woken by the interrupt at once; nothing polls. Every edge
/// is counted ([`edges`](InputPin::edges)), so a flood of interrupts loses none, however late
/// the task runs. It is a [`Contact`], so [`Pushbutton`](crate::Pushbutton) and
/// [`Switch`](crate::Switch) debounce it.
///
/// ```no_run
/// use asyncio::gpio::{Edge, InputPin};
///
/// async fn count_presses() -> asyncio::Result<u32> {
///     let mut button = InputPin::from_dt(asyncio::dt_node!(button0))?; // a gpio-keys child's node label
///     let mut presses = 0;
///     while presses < 3 {
///         button.wait_for_edge(Edge::Rising).await?; // raw, not debounced
///         presses += 1;
///     }
///     Ok(presses)
/// }
/// ```
pub struct InputPin {
    irq: Pin<Box<EdgeIrq<Edges>>>,
}

impl InputPin {
    /// `spec` as an input with its edge interrupt armed. `Err(Error::Os(-ENOTSUP))` if its
    /// controller cannot interrupt on both edges.
    ///
    /// ```no_run
    /// use asyncio::gpio::{InputPin, PinSpec};
    ///
    /// fn door_contact() -> asyncio::Result<InputPin> {
    ///     InputPin::new(PinSpec::from_dt(asyncio::dt_node!(button0))?)
    /// }
    /// ```
    pub fn new(spec: PinSpec) -> Result<InputPin> {
        let edges = Edges {
            rising: AtomicU32::new(0),
            falling: AtomicU32::new(0),
            flag: ThreadSafeFlag::new(),
        };
        Ok(InputPin {
            irq: EdgeIrq::arm(spec, edges, count)?,
        })
    }

    /// The input pin of devicetree node `node` ([`PinSpec::from_dt`]).
    ///
    /// ```no_run
    /// use asyncio::gpio::InputPin;
    ///
    /// fn user_button() -> asyncio::Result<InputPin> {
    ///     InputPin::from_dt(asyncio::dt_node!(button0)) // `button0: button_0 { gpios = ...; };`
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<InputPin> {
        InputPin::new(PinSpec::from_dt(node)?)
    }

    /// Its level now, in logic terms: `true` is active.
    pub fn is_high(&self) -> bool {
        self.irq.spec.is_active()
    }

    /// Edges seen since creation: (rising, falling).
    ///
    /// ```no_run
    /// use asyncio::gpio::InputPin;
    ///
    /// // Edges count in the interrupt, so a burst is measured exactly however late the task runs.
    /// async fn bounces_per_press(pin: &mut InputPin) -> asyncio::Result<u32> {
    ///     let (before, _) = pin.edges();
    ///     asyncio::sleep_ms(1000).await?; // press it once meanwhile
    ///     Ok(pin.edges().0 - before)
    /// }
    /// ```
    pub fn edges(&self) -> (u32, u32) {
        let edges = &self.irq.state;
        (
            edges.rising.load(Ordering::Relaxed),
            edges.falling.load(Ordering::Relaxed),
        )
    }

    fn seen(&self, edge: Edge) -> u32 {
        let (rising, falling) = self.edges();
        match edge {
            Edge::Rising => rising,
            Edge::Falling => falling,
            Edge::Any => rising.wrapping_add(falling),
        }
    }

    /// Waits for the next edge of kind `edge` (raw: every bounce counts; see
    /// [`Pushbutton`](crate::Pushbutton) for debouncing). Cancel-safe.
    ///
    /// ```no_run
    /// use asyncio::gpio::{Edge, InputPin};
    ///
    /// async fn on_each_change(mut pin: InputPin) -> asyncio::Result<()> {
    ///     loop {
    ///         pin.wait_for_edge(Edge::Any).await?;
    ///         log::info!("now {}", pin.is_high());
    ///     }
    /// }
    /// ```
    pub async fn wait_for_edge(&mut self, edge: Edge) -> Result<()> {
        let start = self.seen(edge);
        while self.seen(edge) == start {
            self.irq.state.flag.wait().await?;
        }
        Ok(())
    }

    /// Waits until the pin is active (returns at once if it is).
    ///
    /// ```no_run
    /// use asyncio::gpio::InputPin;
    ///
    /// async fn wait_for_the_lid(lid: &mut InputPin) -> asyncio::Result<()> {
    ///     lid.wait_for_high().await // at once if it is closed already
    /// }
    /// ```
    pub async fn wait_for_high(&mut self) -> Result<()> {
        self.wait_for_level(true).await
    }

    /// Waits until the pin is inactive (returns at once if it is).
    ///
    /// ```no_run
    /// use asyncio::gpio::InputPin;
    ///
    /// async fn until_released(button: &mut InputPin) -> asyncio::Result<()> {
    ///     asyncio::timeout_ms(5000, button.wait_for_low()).await // Err(Timeout) if held 5 s
    /// }
    /// ```
    pub async fn wait_for_low(&mut self) -> Result<()> {
        self.wait_for_level(false).await
    }

    async fn wait_for_level(&mut self, high: bool) -> Result<()> {
        // Read after the flag is cleared by a wait, so an edge in between is not missed.
        while self.is_high() != high {
            self.irq.state.flag.wait().await?;
        }
        Ok(())
    }
}

impl Contact for InputPin {
    fn is_active(&self) -> bool {
        self.is_high()
    }

    async fn changed(&mut self) -> Result<()> {
        self.irq.state.flag.wait().await
    }
}
