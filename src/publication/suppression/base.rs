//! Gaussian elimination modulo a prime: whether a vector to protect lies
//! in the span of the published ones.

/// The prime of the elimination (2^31 − 1).
pub(super) const P: u64 = 2_147_483_647;

pub(super) fn inverse(a: u64) -> u64 {
    // Fermat: a^(P−2).
    let (mut b, mut e, mut r) = (a % P, P - 2, 1u64);
    while e > 0 {
        if e & 1 == 1 {
            r = r * b % P;
        }
        b = b * b % P;
        e >>= 1;
    }
    r
}

/// A row-echelon basis of the published vectors, modulo P, and the
/// residues of the vectors to protect against it.
#[derive(Clone)]
pub(super) struct Base {
    pub(super) lignes: Vec<(usize, Vec<u64>)>,
    pub(super) cibles: Vec<Vec<u64>>,
}

impl Base {
    fn reduire(&self, v: &mut [u64]) {
        for (pivot, b) in &self.lignes {
            let c = v[*pivot];
            if c != 0 {
                let f = c * inverse(b[*pivot]) % P;
                for (x, y) in v.iter_mut().zip(b) {
                    *x = (*x + P - f * y % P) % P;
                }
            }
        }
    }

    /// Adds `v`; false (and the basis unchanged in meaning) if some target
    /// then lies in the span of the published vectors.
    pub(super) fn ajouter(&mut self, mut v: Vec<u64>) -> bool {
        self.reduire(&mut v);
        let Some(pivot) = v.iter().position(|&x| x != 0) else {
            return true;
        };
        let inv = inverse(v[pivot]);
        for t in &mut self.cibles {
            let c = t[pivot];
            if c != 0 {
                let f = c * inv % P;
                for (x, y) in t.iter_mut().zip(&v) {
                    *x = (*x + P - f * y % P) % P;
                }
            }
        }
        if self.cibles.iter().any(|t| t.iter().all(|&x| x == 0)) {
            return false;
        }
        self.lignes.push((pivot, v));
        true
    }
}
