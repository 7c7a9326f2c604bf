//! A tiny seeded generator (SplitMix64): the same data set from the same seed on every machine,
//! with no randomness from the operating system.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

pub struct Rng(u64);

impl Rng {
    /// A stream of its own per table, so adding a column to one table does not change the
    /// rows of the others.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `true` in `per_mille` out of 1000 draws.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Picks by weight: `(weight, value)` pairs.
    pub fn weighted<T: Copy>(&mut self, items: &[(u64, T)]) -> T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.next() % total;
        for (weight, value) in items {
            if roll < *weight {
                return *value;
            }
            roll -= weight;
        }
        items[items.len() - 1].1
    }

    /// A version-4 shaped UUID from the stream (ids must look like the app's own).
    pub fn uuid(&mut self) -> Uuid {
        let bytes = ((self.next() as u128) << 64 | self.next() as u128).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// 43 URL-safe characters, the shape of `auth::tokens::new_token`.
    pub fn token(&mut self) -> String {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }
}
