//! A map keyed by the text of a cell, for the lookups done once per cell
//! (the code of a person, what a category spelling gave). A text of at most
//! 8 bytes with no NUL byte, as codes like `TLS-1331` and categories like
//! `contact` are, is its bytes in one 64-bit integer (zeros after it); one of
//! at most 15 bytes is packed with its length into a 128-bit one. A lookup
//! then hashes and compares an integer held in the table itself, with no
//! string to follow; for the 818 000 person codes of a national export,
//! entries of 16 bytes instead of 32 keep twice as many of them in the
//! processor's caches. Longer texts go to an ordinary map.

use rustc_hash::FxHashMap;

/// Values keyed by text.
#[derive(Debug, Clone)]
pub struct ParTexte<V> {
    huit: FxHashMap<u64, V>,
    courts: FxHashMap<u128, V>,
    longs: FxHashMap<String, V>,
}

impl<V> Default for ParTexte<V> {
    fn default() -> Self {
        ParTexte {
            huit: FxHashMap::default(),
            courts: FxHashMap::default(),
            longs: FxHashMap::default(),
        }
    }
}

/// How a text is keyed.
enum Cle<'a> {
    Huit(u64),
    Court(u128),
    Long(&'a str),
}

/// The key of `texte`: two texts give the same key only if they are equal.
#[inline]
fn cle(texte: &str) -> Cle<'_> {
    let octets = texte.as_bytes();
    if octets.len() <= 8 && !octets.contains(&0) {
        // No NUL in it: the zeros after it cannot be part of another text.
        let mut cle = [0u8; 8];
        cle[..octets.len()].copy_from_slice(octets);
        return Cle::Huit(u64::from_le_bytes(cle));
    }
    match court(texte) {
        Some(k) => Cle::Court(k),
        None => Cle::Long(texte),
    }
}

/// `texte` and its length in one integer, if it has at most 15 bytes: two
/// texts give the same integer only if they are equal.
fn court(texte: &str) -> Option<u128> {
    let octets = texte.as_bytes();
    if octets.len() > 15 {
        return None;
    }
    let mut cle = [0u8; 16];
    cle[0] = octets.len() as u8;
    cle[1..=octets.len()].copy_from_slice(octets);
    Some(u128::from_le_bytes(cle))
}

impl<V> ParTexte<V> {
    /// The value of `texte`, if any.
    #[inline]
    pub fn get(&self, texte: &str) -> Option<&V> {
        match cle(texte) {
            Cle::Huit(k) => self.huit.get(&k),
            Cle::Court(k) => self.courts.get(&k),
            Cle::Long(t) => self.longs.get(t),
        }
    }

    /// Gives `texte` the value `valeur` (it had none or loses it).
    pub fn insert(&mut self, texte: &str, valeur: V) {
        match cle(texte) {
            Cle::Huit(k) => {
                self.huit.insert(k, valeur);
            }
            Cle::Court(k) => {
                self.courts.insert(k, valeur);
            }
            Cle::Long(t) => {
                self.longs.insert(t.to_string(), valeur);
            }
        }
    }

    /// The value of `texte`, made by `faire` if it has none yet.
    pub fn ou_faire(&mut self, texte: &str, faire: impl FnOnce() -> V) -> &V {
        match cle(texte) {
            Cle::Huit(k) => self.huit.entry(k).or_insert_with(faire),
            Cle::Court(k) => self.courts.entry(k).or_insert_with(faire),
            Cle::Long(t) => {
                // No string made for a text already there.
                if !self.longs.contains_key(t) {
                    self.longs.insert(t.to_string(), faire());
                }
                &self.longs[t]
            }
        }
    }

    /// How many texts have a value.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.huit.len() + self.courts.len() + self.longs.len()
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
            "\0\0",
            "a\0\0\0\0\0\0\0",
            "TLS-133",
            "TLS-1331",
            "TLS-1331\0",
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
        assert_eq!(*t.ou_faire("b", || 99), 99);
        assert_eq!(t.get("TLS-13"), None);
        assert_eq!(t.get("TLS-1331\0\0"), None);
        t.insert("a", 7);
        assert_eq!(t.get("a"), Some(&7));
        assert_eq!(t.get("a\0"), Some(&2));
    }
}
