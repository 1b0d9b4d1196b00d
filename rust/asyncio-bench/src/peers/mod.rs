//! One module per executor; each implements the workloads it has primitives for.

pub mod asyncio;
pub mod embassy;
pub mod local_pool;
pub mod tokio_rt;
