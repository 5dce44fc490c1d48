//! A map keyed by the text of a cell, for the lookups done once per cell
//! (the code of a person, what a category spelling gave): a text of at
//! most 15 bytes, as codes like `TLS-1331` and categories like `contact`
//! are, is packed with its length into one integer, so that a lookup hashes
//! and compares 16 bytes held in the table itself, with no string to follow
//! nor compare; longer texts go to an ordinary map.

use rustc_hash::FxHashMap;

/// Values keyed by text.
#[derive(Debug, Clone)]
pub struct ParTexte<V> {
    courts: FxHashMap<u128, V>,
    longs: FxHashMap<String, V>,
}

impl<V> Default for ParTexte<V> {
    fn default() -> Self {
        ParTexte {
            courts: FxHashMap::default(),
            longs: FxHashMap::default(),
        }
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
        match court(texte) {
            Some(k) => self.courts.get(&k),
            None => self.longs.get(texte),
        }
    }

    /// Gives `texte` the value `valeur` (it had none or loses it).
    pub fn insert(&mut self, texte: &str, valeur: V) {
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
        self.courts.len() + self.longs.len()
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
        assert_eq!(*t.ou_faire("b", || 99), 99);
        assert_eq!(t.get("TLS-133"), None);
        t.insert("a", 7);
        assert_eq!(t.get("a"), Some(&7));
        assert_eq!(t.get("a\0"), Some(&2));
    }
}
