//! [`Entropy`]: where the handshake's random numbers come from.

use rand_core::{CryptoRng, RngCore};

/// A source of cryptographically secure random bytes, filling the buffer it is given: the
/// platform's (Zephyr's `sys_csrand_get`, the host's OS generator). The handshake draws its
/// key share and nonce from it.
///
/// ```
/// use asyncio_core::tls::Entropy;
/// // A test-only source; a device passes its CSPRNG.
/// let counting: Entropy = |buf| buf.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
/// let mut key = [0u8; 4];
/// counting(&mut key);
/// assert_eq!(key, [0, 1, 2, 3]);
/// ```
pub type Entropy = fn(&mut [u8]);

/// [`Entropy`] as the `rand_core` generator `embedded-tls` asks for.
pub(super) struct EntropyRng(pub(super) Entropy);

impl RngCore for EntropyRng {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0; 4];
        (self.0)(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0; 8];
        (self.0)(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        (self.0)(dest)
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        (self.0)(dest);
        Ok(())
    }
}

// The platform's source is a CSPRNG (the `Entropy` contract).
impl CryptoRng for EntropyRng {}
