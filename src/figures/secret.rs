//! Statistical confidentiality: small counts of people are masked, by one
//! mechanism for every output of a build (report, comparison, extracts).
//!
//! - a count of people from 1 to k−1 is masked (`< k`); 0 stays visible;
//! - when one cell of a breakdown is masked, the total (shown somewhere in the
//!   outputs) would give it away by subtraction: a second cell, the smallest,
//!   is masked too;
//! - a share whose base is below k is masked; so is any change computed from
//!   a masked cell (a masked value has no number);
//! - counts of things that are not people (rounds, kits, euros) are not masked:
//!   the model says which indicators count people (`confidentiel`).

pub use crate::model::Regle;

/// Which cells of one breakdown to mask: `groupes` are its cells, `total`
/// their total (shown elsewhere). Gives the masks of the groups and of the total.
pub fn masques(groupes: &[f64], total: f64, k: u32) -> (Vec<bool>, bool) {
    let petit = |v: f64| v > 0.0 && v < k as f64;
    let mut m: Vec<bool> = groupes.iter().map(|&v| petit(v)).collect();
    let total_masque = petit(total);
    // One masked cell beside a visible total is recoverable: mask the smallest
    // other cell, preferring a non-zero one.
    if !total_masque && groupes.len() >= 2 && m.iter().filter(|&&x| x).count() == 1 {
        let candidat = groupes
            .iter()
            .enumerate()
            .filter(|(i, _)| !m[*i])
            .min_by(|(i, a), (j, b)| {
                ((**a == 0.0), **a, *i)
                    .partial_cmp(&((**b == 0.0), **b, *j))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(|(i, _)| i);
        if let Some(i) = candidat {
            m[i] = true;
        }
    }
    (m, total_masque)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_count_and_its_smallest_neighbour_are_masked() {
        let (m, t) = masques(&[716.0, 2.0, 823.0], 1541.0, 5);
        assert_eq!(m, vec![true, true, false]);
        assert!(!t);
    }

    #[test]
    fn zero_stays_visible_and_is_not_chosen_when_another_cell_can_be() {
        let (m, _) = masques(&[0.0, 3.0, 40.0, 12.0], 55.0, 5);
        assert_eq!(m, vec![false, true, false, true]);
    }

    #[test]
    fn counts_at_the_threshold_are_shown() {
        let (m, t) = masques(&[5.0, 11.0], 16.0, 5);
        assert_eq!(m, vec![false, false]);
        assert!(!t);
    }

    #[test]
    fn a_small_total_is_masked_with_its_cells() {
        let (m, t) = masques(&[1.0, 0.0, 2.0], 3.0, 5);
        assert_eq!(m, vec![true, false, true]);
        assert!(t);
    }

    /// A property over many random breakdowns (seeded, so a failure can be replayed).
    #[test]
    fn no_visible_small_count_and_no_lone_masked_cell_in_random_breakdowns() {
        use rand::{Rng, SeedableRng};
        let mut alea = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for essai in 0..20_000 {
            let k: u32 = alea.random_range(3..8);
            let n = alea.random_range(1..6);
            let valeurs: Vec<f64> = (0..n).map(|_| alea.random_range(0..30) as f64).collect();
            let total: f64 = valeurs.iter().sum();
            let (m, total_masque) = masques(&valeurs, total, k);
            for (v, masque) in valeurs.iter().zip(&m) {
                assert!(
                    *masque || *v == 0.0 || *v >= k as f64,
                    "essai {essai} : {v} visible parmi {valeurs:?}, k = {k}"
                );
            }
            assert_eq!(
                total_masque,
                total > 0.0 && total < k as f64,
                "essai {essai}"
            );
            if !total_masque && valeurs.len() >= 2 {
                assert_ne!(
                    m.iter().filter(|&&x| x).count(),
                    1,
                    "essai {essai} : une seule case masquée dans {valeurs:?}"
                );
            }
        }
    }
}
