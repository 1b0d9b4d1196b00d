//! [`Encoder`]: a rotary encoder's two phases, decoded in their interrupts
//! (micropython-async's `Encoder`).

use alloc::boxed::Box;
use core::pin::Pin;
use zephyr::sync::atomic::{AtomicI32, AtomicU8, Ordering};
use zephyr::sync::Arc;

use asyncio_core::{sleep_ms, Quadrature, Result, ThreadSafeFlag};

use super::irq::EdgeIrq;
use super::spec::PinSpec;
use crate::DtNode;

/// What both phases' interrupt handlers share.
struct Shared {
    a: PinSpec,
    b: PinSpec,
    /// The decoder's state (phases as A << 1 | B): plain loads and stores, written only in the
    /// phases' interrupt handlers.
    phases: AtomicU8,
    steps: AtomicI32,
    moved: ThreadSafeFlag,
}

/// In interrupt context: an edge of either phase; decodes the step.
fn decode(shared: &Arc<Shared>, _edge_of: &PinSpec) {
    let (a, b) = (shared.a.is_active(), shared.b.is_active());
    let last = shared.phases.load(Ordering::Relaxed);
    let mut q = Quadrature::new(last & 2 != 0, last & 1 != 0);
    let step = q.update(a, b);
    shared
        .phases
        .store(u8::from(a) << 1 | u8::from(b), Ordering::Relaxed);
    if step != 0 {
        shared.steps.fetch_add(step.into(), Ordering::Relaxed);
        shared.moved.set();
    }
}

/// An incremental quadrature encoder on two pins (its A and B phases), decoded in their edge
/// interrupts: no step is missed however late the task runs. [`next`](Encoder::next) reports
/// the motion once it has paused (100 ms by default, micropython-async's `delay`), so a fast
/// turn costs one wake-up.
///
/// ```no_run
/// use asyncio::gpio::Encoder;
///
/// async fn volume() -> asyncio::Result<()> {
///     // `knob: qdec { compatible = "gpio-qdec"; gpios = <&gpio0 4 0>, <&gpio0 5 0>; ... };`
///     let mut knob = Encoder::from_dt(asyncio::dt_node!(knob))?;
///     loop {
///         let turned = knob.next().await?;
///         log::info!("volume {} ({turned:+})", knob.value());
///     }
/// }
/// ```
pub struct Encoder {
    /// The phases' interrupts, armed while the encoder lives.
    _irqs: [Pin<Box<EdgeIrq<Arc<Shared>>>>; 2],
    shared: Arc<Shared>,
    reported: i32,
    settle_ms: u32,
}

impl Encoder {
    /// An encoder with phases `a` and `b`, both edge interrupts armed; its value starts at 0.
    ///
    /// ```no_run
    /// use asyncio::gpio::{Encoder, PinSpec};
    ///
    /// fn wheel() -> asyncio::Result<Encoder> {
    ///     let a = PinSpec::from_dt(asyncio::dt_node!(button0))?; // any two pins
    ///     let b = PinSpec::from_dt(asyncio::dt_node!(led0))?;
    ///     Encoder::new(a, b)
    /// }
    /// ```
    pub fn new(a: PinSpec, b: PinSpec) -> Result<Encoder> {
        let shared = Arc::new(Shared {
            a,
            b,
            phases: AtomicU8::new(0),
            steps: AtomicI32::new(0),
            moved: ThreadSafeFlag::new(),
        });
        let irqs = [
            EdgeIrq::arm(a, shared.clone(), decode)?,
            EdgeIrq::arm(b, shared.clone(), decode)?,
        ];
        let phases = u8::from(a.is_active()) << 1 | u8::from(b.is_active());
        shared.phases.store(phases, Ordering::Relaxed);
        Ok(Encoder {
            _irqs: irqs,
            shared,
            reported: 0,
            settle_ms: 100,
        })
    }

    /// The encoder of devicetree node `node`, whose `gpios` are phases A and B (Zephyr's
    /// gpio-qdec binding: `gpios = <&gpio0 4 0>, <&gpio0 5 0>;`).
    ///
    /// ```no_run
    /// use asyncio::gpio::Encoder;
    ///
    /// fn volume_knob() -> asyncio::Result<Encoder> {
    ///     Encoder::from_dt(asyncio::dt_node!(knob))
    /// }
    /// ```
    pub fn from_dt(node: DtNode) -> Result<Encoder> {
        Encoder::new(
            PinSpec::from_dt_by_idx(node, 0)?,
            PinSpec::from_dt_by_idx(node, 1)?,
        )
    }

    /// How long the motion must pause before [`next`](Self::next) reports it; 0: at once.
    ///
    /// ```no_run
    /// use asyncio::gpio::Encoder;
    ///
    /// // A menu: report every detent at once rather than after a pause.
    /// fn menu_knob() -> asyncio::Result<Encoder> {
    ///     Ok(Encoder::from_dt(asyncio::dt_node!(knob))?.settle_ms(0))
    /// }
    /// ```
    pub fn settle_ms(mut self, ms: u32) -> Self {
        self.settle_ms = ms;
        self
    }

    /// Steps counted so far (forward positive).
    pub fn value(&self) -> i32 {
        self.shared.steps.load(Ordering::Relaxed)
    }

    /// Waits for motion, lets it pause, and returns the steps since the last report (never 0:
    /// a motion undone before it paused is no report). Cancel-safe: steps are counted in the
    /// interrupts, so nothing is lost with a cancelled wait.
    ///
    /// ```no_run
    /// use asyncio::gpio::Encoder;
    ///
    /// async fn scroll(mut knob: Encoder) -> asyncio::Result<()> {
    ///     let mut line: i32 = 0;
    ///     loop {
    ///         line = (line + knob.next().await? / 4).max(0); // 4 steps per detent
    ///         log::info!("line {line}");
    ///     }
    /// }
    /// ```
    pub async fn next(&mut self) -> Result<i32> {
        loop {
            if self.value() == self.reported {
                self.shared.moved.wait().await?;
            }
            if self.settle_ms > 0 {
                sleep_ms(self.settle_ms).await?;
            }
            let value = self.value();
            let delta = value.wrapping_sub(self.reported);
            self.reported = value;
            if delta != 0 {
                return Ok(delta);
            }
        }
    }
}
