//! A map keyed by the text of a cell, for the lookups done once per cell
//! (the code of a person, what a category spelling gave): a text of at
//! most 15 bytes, as codes like `TLS-1331` and categories like `contact`
//! are, is packed with its length into one integer, so that a lookup hashes
//! and compares 16 bytes held in the table itself, with no string to follow
//! nor compare; longer texts go to an ordinary map. The empty text, the
//! most common cell of many columns, has a place of its own.

use rustc_hash::FxHashMap;

/// Values keyed by text.
#[derive(Debug, Clone)]
pub struct ParTexte<V> {
    vide: Option<V>,
    courts: FxHashMap<u128, V>,
    longs: FxHashMap<String, V>,
}

impl<V> Default for ParTexte<V> {
    fn default() -> Self {
        ParTexte {
            vide: None,
            courts: FxHashMap::default(),
            longs: FxHashMap::default(),
        }
    }
}

/// `texte` and its length in one integer, if it has at most 15 bytes: two
/// texts give the same integer only if they are equal. The bytes are
/// loaded straight into registers, by at most two loads that may overlap
/// (the first and the last 4 or 8 bytes), and the overlap is shifted out:
/// built in a buffer on the stack, the key was read back before the bytes
/// written into it had left the store queue, so each key waited for the
/// previous cell's lookup to finish, a wait on memory when the table is
/// large (about 180 ns against 50 for a lookup among 818 000 codes).
#[inline]
fn court(texte: &str) -> Option<u128> {
    cle(texte.as_bytes())
}

/// The key of [`court`], for any bytes.
#[inline]
fn cle(t: &[u8]) -> Option<u128> {
    let n = t.len();
    // `bas` holds the bytes 0..8, `haut` the bytes 8..15, and the length
    // in its top byte.
    let (bas, haut) = match n {
        0 => (0, 0),
        1..=3 => (
            t[0] as u64 | (t[n / 2] as u64) << 8 | (t[n - 1] as u64) << 16,
            0,
        ),
        4..=7 => {
            let debut = u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as u64;
            let fin = u32::from_le_bytes([t[n - 4], t[n - 3], t[n - 2], t[n - 1]]) as u64;
            // The bytes 4..n are the top n - 4 bytes of `fin`.
            (debut | (fin >> (8 * (8 - n))) << 32, 0)
        }
        8..=15 => {
            let debut = u64::from_le_bytes(t[..8].try_into().ok()?);
            let fin = u64::from_le_bytes(t[n - 8..].try_into().ok()?);
            // The bytes 8..n are the top n - 8 bytes of `fin` (none at 8).
            (debut, fin.checked_shr(8 * (16 - n) as u32).unwrap_or(0))
        }
        _ => return None,
    };
    Some(bas as u128 | ((haut | (n as u64) << 56) as u128) << 64)
}

impl<V> ParTexte<V> {
    /// The value of `texte`, if any.
    #[inline]
    pub fn get(&self, texte: &str) -> Option<&V> {
        if texte.is_empty() {
            return self.vide.as_ref();
        }
        match court(texte) {
            Some(k) => self.courts.get(&k),
            None => self.longs.get(texte),
        }
    }

    /// Gives `texte` the value `valeur` (it had none or loses it).
    pub fn insert(&mut self, texte: &str, valeur: V) {
        if texte.is_empty() {
            self.vide = Some(valeur);
            return;
        }
        match court(texte) {
            Some(k) => {
                self.courts.insert(k, valeur);
            }
            None => {
                self.longs.insert(texte.to_string(), valeur);
            }
        }
    }

    /// The value of `texte`, made by `faire` if it has none yet.
    pub fn ou_faire(&mut self, texte: &str, faire: impl FnOnce() -> V) -> &V {
        if texte.is_empty() {
            return self.vide.get_or_insert_with(faire);
        }
        match court(texte) {
            Some(k) => self.courts.entry(k).or_insert_with(faire),
            None => {
                // No string made for a text already there.
                if !self.longs.contains_key(texte) {
                    self.longs.insert(texte.to_string(), faire());
                }
                &self.longs[texte]
            }
        }
    }

    /// How many texts have a value.
    #[cfg(test)]
    fn len(&self) -> usize {
        usize::from(self.vide.is_some()) + self.courts.len() + self.longs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_short_long_empty_and_prefixes_of_each_other_keep_their_own_values() {
        let textes = [
            "",
            "a",
            "a\0",
            "\0",
            "TLS-1331",
            "TLS-13310",
            "quinze_octets_x",
            "seize_octets_xyz",
            "seize_octets_xy",
            "Europe de l'Est",
            "Amérique latine",
            "une valeur bien plus longue que seize octets",
        ];
        let mut t = ParTexte::default();
        for (i, x) in textes.iter().enumerate() {
            assert!(t.get(x).is_none(), "{x:?}");
            t.insert(x, i);
        }
        assert_eq!(t.len(), textes.len());
        for (i, x) in textes.iter().enumerate() {
            assert_eq!(t.get(x), Some(&i), "{x:?}");
        }
        assert_eq!(*t.ou_faire("a", || 99), 1);
        assert_eq!(*t.ou_faire("", || 99), 0);
        assert_eq!(*t.ou_faire("b", || 99), 99);
        assert_eq!(t.get("TLS-133"), None);
        t.insert("a", 7);
        assert_eq!(t.get("a"), Some(&7));
        assert_eq!(t.get("a\0"), Some(&2));
    }

    /// Every text over `alphabet` of at most `n` bytes.
    fn tous(alphabet: &[u8], n: usize) -> Vec<Vec<u8>> {
        let mut textes = vec![Vec::new()];
        let mut derniers = vec![Vec::new()];
        for _ in 0..n {
            derniers = derniers
                .iter()
                .flat_map(|d| alphabet.iter().map(move |&b| [d.as_slice(), &[b]].concat()))
                .collect();
            textes.extend(derniers.iter().cloned());
        }
        textes
    }

    #[test]
    fn no_two_different_short_texts_share_a_key() {
        // Every text of up to 9 bytes over three bytes (whose bits differ
        // everywhere, the zero byte among them), then random texts of
        // every length up to 15 bytes, and each of them with one byte
        // changed at every position, all beside each other.
        let mut textes = tous(&[0, b'a', 0xff], 9);
        let mut graine =
            <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x9e37_79b9_7f4a_7c15u64);
        let mut hasard = move || rand::RngCore::next_u64(&mut graine);
        for n in 0..=15 {
            for _ in 0..2000 {
                let t: Vec<u8> = (0..n).map(|_| hasard() as u8).collect();
                for i in 0..n {
                    let mut u = t.clone();
                    u[i] ^= 1 << (hasard() % 8);
                    textes.push(u);
                }
                textes.push(t);
            }
        }
        let mut vus: std::collections::HashMap<u128, Vec<u8>> = Default::default();
        for t in textes {
            let k = cle(&t).expect("at most 15 bytes");
            if let Some(autre) = vus.insert(k, t.clone()) {
                assert_eq!(autre, t, "two texts share the key {k:#x}");
            }
        }
        assert!(vus.len() > 200_000, "{}", vus.len());
        assert_eq!(cle(&[7; 16]), None);
    }
}
