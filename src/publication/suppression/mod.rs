//! The statistical secret decided once over a linked system: every published
//! figure is a sum of atoms (see `figures::liens`); which ones to hide so
//! that no small count of people can be read or recomputed.
//!
//! 1. **Primary:** a count of people from 1 to k−1 is hidden. For a share,
//!    its numerator, its denominator and their difference are counts of
//!    people: the share is hidden when any of them is small.
//! 2. **Linear (in the spirit of GaussSuppression):** the figures are taken
//!    in order, the most useful first; each is published unless, added to
//!    those already published, it would let some hidden small count be
//!    computed as a linear combination of published ones (Gaussian
//!    elimination, modulo a prime: a real dependence is always found, a
//!    false one only hides one figure more). Atoms of a published zero are
//!    known to be zero and are taken out first.
//! 3. **Intervals:** an attacker also knows that counts are whole and not
//!    negative, that a `< k` cell lies between 1 and k−1 and that a cell
//!    hidden to protect another (mark `s`) is not small. For each hidden
//!    small count, an integer programme checks that some data consistent
//!    with everything published gives it another value: if none does, one
//!    more figure is hidden, the least useful first. For a cell printed
//!    `< k`, every value from 1 to k−1 is then sought: up to four
//!    neighbours hidden, the one that frees the most values first; if that
//!    is not enough, the widest range any pattern allows (every figure of
//!    the component hidden) is reached by publishing back, by halves, the
//!    figures it does not need. A small total around small groups bounds
//!    them by its mark alone: when hiding cannot help, it reads `s`. What
//!    no pattern can give while zeros are shown: a cell that holds n
//!    non-empty small groups is at least n.
//!
//! Each programme is solved on atoms merged by the constraints they are in
//! (interchangeable, they change no answer); a solution found for one is
//! tried first on the next (a figure hidden more only loosens them), and
//! the neighbours are tried on both cores, the first in order kept.
//!
//! Deterministic: the same system gives the same pattern (whichever solution
//! proves a programme feasible, the answer is the same). Pure: no I/O.

use std::collections::BTreeSet;

mod base;
mod intervalles;

use base::Base;
use intervalles::{Programmes, admissible, desepingler, elargir};

/// A figure of the system.
#[derive(Debug, Clone)]
pub struct Case {
    /// The atoms each of its counts adds up: one for a count; the
    /// numerator, then the denominator, for a share.
    pub comptes: Vec<Vec<u32>>,
    /// Its counts as sums over the atoms (same order).
    pub valeurs: Vec<f64>,
    /// Its counts as the figures give them (distinct people are not
    /// additive, so these may differ from `valeurs`).
    pub reelles: Vec<f64>,
    /// The threshold k when it counts people under a rule, else `None`.
    pub seuil: Option<u32>,
    /// What earlier builds already published or hid of it.
    pub etat: Etat,
    /// Its order among figures of equal value (a stable key).
    pub cle: String,
    /// Not printed anywhere, but computable from printed figures: the rows
    /// of a breakdown's total that fall in none of its groups. Protected
    /// when small, never published nor hidden itself.
    pub virtuelle: bool,
}

/// What an earlier build did with a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Etat {
    /// Nothing: this build decides.
    Libre,
    /// Published already: readers know it; kept published where possible.
    Publiee,
    /// Hidden already: stays hidden (it could otherwise be compared).
    Masquee,
}

/// Why a figure is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marque {
    /// It is a small count of people (`< k`).
    Primaire,
    /// Hidden to protect another one (`s`).
    Secondaire,
}

/// The pattern decided.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// For each figure, whether and why it is hidden.
    pub marques: Vec<Option<Marque>>,
    /// Figures published by an earlier build that this build had to hide:
    /// together with that earlier publication, they may give a count away.
    pub compromises: Vec<usize>,
}

/// A count to protect: figure `case`, its atoms, its threshold, and
/// whether the integer check applies (a count of distinct people spread
/// over several atoms may add up to more than it is: then the linear
/// protection only).
#[derive(Debug, Clone)]
struct Cible {
    atomes: Vec<u32>,
    seuil: u32,
    /// A cell printed `< k`: each value 1…k−1 must stay possible. Else a
    /// count derived from cells (a share's parts, the rows in no group),
    /// bounded by the cells it is part of: it must not be pinned, some value
    /// other than `vraie` must stay possible.
    entiere: bool,
    vraie: f64,
    /// Whether the integer check applies at all (see `cibles_de`).
    verifiee: bool,
}

/// The counts of figure `c` (for a share: numerator, denominator and the
/// difference, in that order) as (atoms, additive value, real value).
fn comptes(c: &Case) -> Vec<(Vec<u32>, f64, f64)> {
    let mut v: Vec<(Vec<u32>, f64, f64)> = c
        .comptes
        .iter()
        .zip(&c.valeurs)
        .zip(&c.reelles)
        .map(|((a, v), r)| (a.clone(), *v, *r))
        .collect();
    if let [num, den] = c.comptes.as_slice() {
        let n: BTreeSet<u32> = num.iter().copied().collect();
        let reste: Vec<u32> = den.iter().copied().filter(|a| !n.contains(a)).collect();
        v.push((
            reste,
            c.valeurs[1] - c.valeurs[0],
            c.reelles[1] - c.reelles[0],
        ));
    }
    v
}

/// The small counts of figure `c`: its targets if it is primary.
fn cibles_de(c: &Case) -> Vec<Cible> {
    let Some(k) = c.seuil else {
        return Vec::new();
    };
    comptes(c)
        .into_iter()
        .filter(|(_, _, r)| *r >= 1.0 && *r < k as f64)
        .map(|(atomes, v, _)| Cible {
            atomes,
            seuil: k,
            // A cell printed `< k`: every value 1…k−1 should stay possible.
            // Not always achievable (a cell holding two non-empty small
            // groups is at least 2): required is that it is never pinned;
            // then the widest range any pattern allows.
            entiere: c.comptes.len() == 1 && !c.virtuelle,
            vraie: v,
            verifiee: v >= 1.0 && v < k as f64,
        })
        .collect()
}

/// Decides the pattern for `cases` over `n_atomes` atoms. Figures of the
/// same rows (the total of a breakdown and of a funder's regrouping of the
/// same indicator, a share's base and a count) are one figure: they get one
/// decision.
pub fn supprimer(n_atomes: usize, cases: &[Case]) -> Decision {
    let mut uniques: Vec<Case> = Vec::new();
    let mut place: std::collections::HashMap<&Vec<Vec<u32>>, usize> = Default::default();
    let mut de: Vec<usize> = Vec::with_capacity(cases.len());
    for c in cases {
        let i = *place.entry(&c.comptes).or_insert_with(|| {
            uniques.push(c.clone());
            uniques.len() - 1
        });
        let u = &mut uniques[i];
        u.virtuelle &= c.virtuelle;
        u.etat = match (u.etat, c.etat) {
            (Etat::Masquee, _) | (_, Etat::Masquee) => Etat::Masquee,
            (Etat::Publiee, _) | (_, Etat::Publiee) => Etat::Publiee,
            _ => Etat::Libre,
        };
        u.seuil = u.seuil.max(c.seuil);
        if c.cle < u.cle {
            u.cle = c.cle.clone();
        }
        de.push(i);
    }
    let d = supprimer_distinctes(n_atomes, &uniques);
    let compromises: BTreeSet<usize> = d.compromises.into_iter().collect();
    Decision {
        marques: de.iter().map(|&i| d.marques[i]).collect(),
        compromises: (0..cases.len())
            .filter(|&j| compromises.contains(&de[j]) && cases[j].etat == Etat::Publiee)
            .collect(),
    }
}

/// [`supprimer`] for figures that are all of different rows.
fn supprimer_distinctes(n_atomes: usize, cases: &[Case]) -> Decision {
    let mut marques: Vec<Option<Marque>> = cases
        .iter()
        .map(|c| (!cibles_de(c).is_empty()).then_some(Marque::Primaire))
        .collect();
    for (i, c) in cases.iter().enumerate() {
        if marques[i].is_none() && c.etat == Etat::Masquee && !nulle(c) && !c.virtuelle {
            marques[i] = Some(Marque::Secondaire);
        }
    }
    if marques.iter().all(Option::is_none) {
        return Decision {
            marques,
            compromises: Vec::new(),
        };
    }
    // Components: figures that share atoms, directly or through others.
    let mut parent: Vec<usize> = (0..n_atomes).collect();
    fn racine(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for c in cases {
        let tous: Vec<u32> = c.comptes.iter().flatten().copied().collect();
        for w in tous.windows(2) {
            let (a, b) = (
                racine(&mut parent, w[0] as usize),
                racine(&mut parent, w[1] as usize),
            );
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut composantes: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, c) in cases.iter().enumerate() {
        if let Some(&a) = c.comptes.iter().flatten().next() {
            composantes
                .entry(racine(&mut parent, a as usize))
                .or_default()
                .push(i);
        }
    }
    let mut compromises = Vec::new();
    for membres in composantes.values() {
        if membres.iter().all(|&i| marques[i].is_none()) {
            continue;
        }
        composante(cases, membres, &mut marques, &mut compromises);
    }
    // A figure published back at the end of its component is no longer one.
    compromises.retain(|&i| marques[i].is_some());
    Decision {
        marques,
        compromises,
    }
}

/// The order in which figures are offered for publication: those already
/// published first, then the largest, then by key.
fn ordre(cases: &[Case], membres: &[usize]) -> Vec<usize> {
    let mut o = membres.to_vec();
    o.sort_by(|&a, &b| {
        let (ca, cb) = (&cases[a], &cases[b]);
        let rang = |c: &Case| u8::from(c.etat != Etat::Publiee);
        let max = |c: &Case| c.valeurs.iter().copied().fold(0.0, f64::max);
        rang(ca)
            .cmp(&rang(cb))
            .then(max(cb).total_cmp(&max(ca)))
            .then(ca.cle.cmp(&cb.cle))
    });
    o
}

fn composante(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    compromises: &mut Vec<usize>,
) {
    // Atoms of a published zero are zero: out of the system.
    let mut nuls = BTreeSet::new();
    for &i in membres {
        if marques[i].is_none() && !cases[i].virtuelle {
            for (a, v) in cases[i].comptes.iter().zip(&cases[i].valeurs) {
                if *v == 0.0 {
                    nuls.extend(a.iter().copied());
                }
            }
        }
    }
    let mut cibles: Vec<Cible> = membres
        .iter()
        .filter(|&&i| marques[i] == Some(Marque::Primaire))
        .flat_map(|&i| cibles_de(&cases[i]))
        .collect();
    cibles.retain(|c| c.atomes.iter().any(|a| !nuls.contains(a)));
    let programmes = Programmes::new(cases, membres, &nuls);
    let atomes = programmes.atomes();
    secondaires_lineaires(cases, membres, marques, compromises, atomes, &cibles);
    // Intervals: every value from 1 to k−1 must stay possible.
    for cible in cibles.iter().filter(|c| c.verifiee) {
        desepingler(cases, membres, marques, compromises, &programmes, cible);
        // The full range 1…k−1 for a cell printed `< k`.
        if cible.entiere {
            elargir(cases, membres, marques, compromises, &programmes, cible);
        }
    }
    republier_les_vaines(cases, membres, marques, &programmes);
}

/// The secondary cells that keep every target out of the span of what is
/// published (Gaussian elimination over the component's useful atoms,
/// `atomes`).
fn secondaires_lineaires(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    compromises: &mut Vec<usize>,
    atomes: &[u32],
    cibles: &[Cible],
) {
    let place = |a: u32| atomes.binary_search(&a).ok();
    let dense = |v: &[u32]| {
        let mut d = vec![0u64; atomes.len()];
        for &a in v {
            if let Some(p) = place(a) {
                d[p] = 1;
            }
        }
        d
    };
    let mut base = Base {
        lignes: Vec::new(),
        cibles: cibles.iter().map(|c| dense(&c.atomes)).collect(),
    };
    for i in ordre(cases, membres) {
        if marques[i].is_some() || cases[i].virtuelle {
            continue;
        }
        let mut essai = base.clone();
        let sur = cases[i].comptes.iter().all(|v| essai.ajouter(dense(v)));
        if sur {
            base = essai;
        } else {
            marques[i] = Some(Marque::Secondaire);
            if cases[i].etat == Etat::Publiee {
                compromises.push(i);
            }
        }
    }
}

/// A figure hidden to protect another whose value follows from what is
/// published all the same is hidden in vain: published back, it tells
/// nothing new. Not a small total read `s`, nor one an earlier build hid.
fn republier_les_vaines(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    programmes: &Programmes,
) {
    for i in ordre(cases, membres) {
        let c = &cases[i];
        if marques[i] != Some(Marque::Secondaire)
            || c.etat == Etat::Masquee
            || c.comptes.len() != 1
            || c.seuil.is_some_and(|k| c.valeurs[0] < k as f64)
        {
            continue;
        }
        let (a, v) = (c.comptes[0].as_slice(), c.valeurs[0]);
        let autre = admissible(
            cases,
            membres,
            marques,
            programmes,
            (a, v + 1.0, f64::INFINITY),
        ) || (v >= 1.0
            && admissible(cases, membres, marques, programmes, (a, 0.0, v - 1.0)));
        if !autre {
            marques[i] = None;
        }
    }
}

/// The atoms of a component not known to be zero, sorted.
fn atomes_utiles(cases: &[Case], membres: &[usize], nuls: &BTreeSet<u32>) -> Vec<u32> {
    membres
        .iter()
        .flat_map(|&i| cases[i].comptes.iter().flatten().copied())
        .filter(|a| !nuls.contains(a))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn nulle(c: &Case) -> bool {
    c.valeurs.iter().all(|v| *v == 0.0)
}

/// Whether figure `i` is published and could be hidden: not zero (zeros are
/// shown), not a virtual cell (never printed).
fn masquable(cases: &[Case], marques: &[Option<Marque>], i: usize) -> bool {
    marques[i].is_none() && !nulle(&cases[i]) && !cases[i].virtuelle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compte(atomes: &[u32], v: f64, seuil: Option<u32>) -> Case {
        Case {
            comptes: vec![atomes.to_vec()],
            valeurs: vec![v],
            reelles: vec![v],
            seuil,
            etat: Etat::Libre,
            cle: format!("{atomes:?}"),
            virtuelle: false,
        }
    }

    /// Atoms 0, 1, 2 are three groups; the total is their sum.
    fn ventilation(valeurs: [f64; 3], k: u32) -> Vec<Case> {
        let mut c: Vec<Case> = (0..3)
            .map(|i| compte(&[i], valeurs[i as usize], Some(k)))
            .collect();
        c.push(compte(&[0, 1, 2], valeurs.iter().sum(), Some(k)));
        c
    }

    #[test]
    fn a_solution_kept_from_one_programme_never_changes_the_answer_to_another() {
        // Two breakdowns of the same 4 atoms (groups 0+1 / 2+3 and 0+2 / 1+3),
        // with a total: every pattern of hidden cells, every value of atom
        // 0 and of the pair 0+1, answered with the solutions of all earlier
        // questions kept, then each alone.
        let mut cases = vec![
            compte(&[0, 1], 3.0, Some(5)),
            compte(&[2, 3], 40.0, Some(5)),
            compte(&[0, 2], 12.0, Some(5)),
            compte(&[1, 3], 31.0, Some(5)),
            compte(&[0, 1, 2, 3], 43.0, Some(5)),
        ];
        cases.push(compte(&[0], 1.0, Some(5)));
        let membres: Vec<usize> = (0..cases.len()).collect();
        let nuls = BTreeSet::new();
        let partages = Programmes::new(&cases, &membres, &nuls);
        let mut vrais = 0;
        for motif in 0u32..(1 << cases.len()) {
            let marques: Vec<Option<Marque>> = (0..cases.len())
                .map(|i| {
                    (motif & (1 << i) != 0).then_some(if cases[i].valeurs[0] < 5.0 {
                        Marque::Primaire
                    } else {
                        Marque::Secondaire
                    })
                })
                .collect();
            for somme in [&[0u32][..], &[0, 1]] {
                for w in 0..=6 {
                    let q = (somme, w as f64, w as f64);
                    let seul = Programmes::new(&cases, &membres, &nuls);
                    let attendu = admissible(&cases, &membres, &marques, &seul, q);
                    assert_eq!(
                        admissible(&cases, &membres, &marques, &partages, q),
                        attendu,
                        "motif {motif:b}, somme {somme:?} = {w}"
                    );
                    vrais += usize::from(attendu);
                }
            }
        }
        // Both answers occur: the test compares something.
        assert!(vrais > 100 && vrais < 64 * 14, "{vrais}");
    }

    #[test]
    fn a_small_group_beside_a_published_total_takes_a_second_group_with_it() {
        let d = supprimer(3, &ventilation([716.0, 2.0, 823.0], 5));
        assert_eq!(d.marques[1], Some(Marque::Primaire));
        assert_eq!(
            d.marques
                .iter()
                .filter(|m| **m == Some(Marque::Secondaire))
                .count(),
            1
        );
        assert_eq!(d.marques[3], None, "le total reste publié");
    }

    #[test]
    fn a_partner_too_small_to_hide_the_whole_range_is_not_enough() {
        // 2 + 5 = 7 published: hiding 5 as `s` (≥ 5) pins the small cell
        // to 1 or 2: the 716 must go too.
        let d = supprimer(3, &ventilation([2.0, 5.0, 716.0], 5));
        assert_eq!(d.marques[0], Some(Marque::Primaire));
        assert!(
            d.marques[2].is_some() || d.marques[3].is_some(),
            "{:?}",
            d.marques
        );
    }

    #[test]
    fn zeros_and_large_counts_alone_hide_nothing() {
        let d = supprimer(3, &ventilation([0.0, 12.0, 40.0], 5));
        assert!(d.marques.iter().all(Option::is_none));
    }

    #[test]
    fn two_breakdowns_of_the_same_rows_are_protected_together() {
        // Groups 0 (3), 1 (40), 2 (60); a second breakdown merges 0 and 1.
        let mut c = ventilation([3.0, 40.0, 60.0], 5);
        c.push(compte(&[0, 1], 43.0, Some(5)));
        c.push(compte(&[2], 60.0, Some(5)));
        let d = supprimer(3, &c);
        // 3 is recoverable as 43 − 40 unless 40 or 43 is hidden, and as
        // total − 60 − 40 unless one of them is.
        assert_eq!(d.marques[0], Some(Marque::Primaire));
        let publie = |i: usize| d.marques[i].is_none();
        assert!(!(publie(1) && publie(4)));
        assert!(!(publie(1) && publie(2) && publie(3)));
    }

    #[test]
    fn a_share_with_a_small_numerator_is_hidden() {
        let part = Case {
            comptes: vec![vec![0], vec![0, 1]],
            valeurs: vec![4.0, 126.0],
            reelles: vec![4.0, 126.0],
            seuil: Some(5),
            etat: Etat::Libre,
            cle: "part".into(),
            virtuelle: false,
        };
        let d = supprimer(2, &[part, compte(&[0, 1], 126.0, Some(5))]);
        assert_eq!(d.marques[0], Some(Marque::Primaire));
        assert_eq!(d.marques[1], None);
    }

    #[test]
    fn two_figures_of_the_same_rows_get_the_same_mark() {
        // The report's total and a funder's total of the same indicator.
        let mut c = ventilation([2.0, 30.0, 40.0], 5);
        let mut doublon = compte(&[0, 1, 2], 72.0, Some(5));
        doublon.cle = "financeur".into();
        c.push(doublon);
        let d = supprimer(3, &c);
        assert_eq!(d.marques[3], d.marques[4]);
    }

    #[test]
    fn rows_in_no_group_are_protected_like_a_cell() {
        // Total 40 over atoms 0–2; groups 0 (20) and 1 (17); atom 2 (3
        // rows) is in no group: 40 − 20 − 17 would give it.
        let mut c = vec![
            compte(&[0], 20.0, Some(5)),
            compte(&[1], 17.0, Some(5)),
            compte(&[0, 1, 2], 40.0, Some(5)),
        ];
        let mut reste = compte(&[2], 3.0, Some(5));
        reste.virtuelle = true;
        c.push(reste);
        let d = supprimer(3, &c);
        assert_eq!(d.marques[3], Some(Marque::Primaire));
        assert!(d.marques[..3].iter().any(|m| m.is_some()));
    }

    #[test]
    fn a_small_total_around_two_small_groups_does_not_say_it_is_small() {
        // k = 3: a total of 2 read `< 3` with two groups read `< 3` (each at
        // least 1) makes both groups 1. The total reads `s` instead.
        let c = vec![
            compte(&[0], 1.0, Some(3)),
            compte(&[1], 1.0, Some(3)),
            compte(&[0, 1], 2.0, Some(3)),
        ];
        let d = supprimer(2, &c);
        assert_eq!(d.marques[0], Some(Marque::Primaire));
        assert_eq!(d.marques[1], Some(Marque::Primaire));
        assert_eq!(d.marques[2], Some(Marque::Secondaire));
    }

    #[test]
    fn a_small_total_reads_s_when_its_bound_would_narrow_a_group_inside_it() {
        // k = 5: "Femmes (dont trans)" 3 = "Femmes" 2 + "Trans" 1, in a
        // total of 50 with "Hommes" 47. Read `< 5`, the 3 would keep
        // "Femmes" under 4.
        let c = vec![
            compte(&[0], 2.0, Some(5)),
            compte(&[1], 1.0, Some(5)),
            compte(&[0, 1], 3.0, Some(5)),
            compte(&[2], 47.0, Some(5)),
            compte(&[0, 1, 2], 50.0, Some(5)),
        ];
        let d = supprimer(3, &c);
        assert_eq!(d.marques[0], Some(Marque::Primaire));
        assert_eq!(d.marques[1], Some(Marque::Primaire));
        assert_eq!(d.marques[2], Some(Marque::Secondaire));
    }

    #[test]
    fn a_cell_hidden_by_an_earlier_build_stays_hidden() {
        let mut c = ventilation([10.0, 20.0, 30.0], 5);
        c[2].etat = Etat::Masquee;
        let d = supprimer(3, &c);
        assert_eq!(d.marques[2], Some(Marque::Secondaire));
        // It protects no small count: nothing else goes with it.
        assert_eq!(d.marques.iter().filter(|m| m.is_some()).count(), 1);
    }
}
