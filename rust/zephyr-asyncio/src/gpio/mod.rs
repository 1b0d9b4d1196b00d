//! Pins from the devicetree, awaited: [`InputPin`] (edge interrupts wake the waiting task at
//! once), [`OutputPin`], [`Encoder`]; and on them micropython-async's debounced
//! [`Pushbutton`](crate::Pushbutton) and [`Switch`](crate::Switch). Enabled by
//! `CONFIG_ASYNCIO_GPIO` (on by default with `CONFIG_GPIO`).
//!
//! | MicroPython | here |
//! |---|---|
//! | `p = Pin("X1", Pin.IN, Pin.PULL_UP)` | `InputPin::from_dt(asyncio::dt_node!(button0))?` (pull and active level from the devicetree) |
//! | `p.irq(lambda p: flag.set(), Pin.IRQ_FALLING)` + `await flag.wait()` | `p.wait_for_edge(Edge::Falling).await?` |
//! | `led = Pin("LED", Pin.OUT)`; `led.toggle()` | `OutputPin::from_dt(asyncio::dt_node!(led0))?`; `led.toggle()?` |
//! | `Pushbutton(pin)` with `press_func`, `long_func`, `double_func` | `Pushbutton::new(pin).next().await?` → `Press::Short`, `Long`, `Double` |
//! | `Encoder(pin_x, pin_y)` | `Encoder::new(a, b)?.next().await?` |
//!
//! Pins come from the devicetree ([`PinSpec::from_dt`]): any enabled node with a `gpios`
//! property, as Zephyr's gpio-keys and gpio-leds children have, named by
//! [`dt_node!`](crate::dt_node): a label the devicetree does not have fails the build, a node
//! without `gpios` or disabled is `Err(Error::NoDevice)` naming it. zephyr-lang-rust's `GpioPin` cannot be wrapped
//! here: it keeps its `gpio_dt_spec` to itself and needs one global token for every call;
//! its devicetree handles for controllers (`get_instance_raw()`) build a [`PinSpec`] with
//! [`PinSpec::new`].
//!
//! ```no_run
//! use asyncio::gpio::{InputPin, OutputPin};
//! use asyncio::{Press, Pushbutton};
//!
//! async fn lamp() -> asyncio::Result<()> {
//!     let button = Pushbutton::new(InputPin::from_dt(asyncio::dt_node!(button0))?).long_ms(1000);
//!     let led = OutputPin::from_dt(asyncio::dt_node!(led0))?;
//!     loop {
//!         match button.next().await? {
//!             Press::Short => led.toggle()?,
//!             Press::Long => led.set(false)?,
//!             Press::Double => log::info!("double click"),
//!         }
//!     }
//! }
//! ```

#[cfg(CONFIG_GPIO_EMUL)]
mod emul;
mod encoder;
mod input;
mod irq;
mod output;
mod spec;

#[cfg(CONFIG_GPIO_EMUL)]
pub use emul::EmulatedPin;
pub use encoder::Encoder;
pub use input::{Edge, InputPin};
pub use irq::armed;
pub use output::OutputPin;
pub use spec::PinSpec;
