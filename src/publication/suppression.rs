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
//! Deterministic: the same system gives the same pattern. Pure: no I/O.

use std::collections::BTreeSet;

use microlp::{ComparisonOp, OptimizationDirection, Problem};

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

/// The prime of the elimination (2^31 − 1).
const P: u64 = 2_147_483_647;

fn inverse(a: u64) -> u64 {
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
struct Base {
    lignes: Vec<(usize, Vec<u64>)>,
    cibles: Vec<Vec<u64>>,
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
    fn ajouter(&mut self, mut v: Vec<u64>) -> bool {
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
    let atomes = atomes_utiles(cases, membres, &nuls);
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
    let mut cibles: Vec<Cible> = membres
        .iter()
        .filter(|&&i| marques[i] == Some(Marque::Primaire))
        .flat_map(|&i| cibles_de(&cases[i]))
        .collect();
    cibles.retain(|c| c.atomes.iter().any(|a| !nuls.contains(a)));
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
    // Intervals: every value from 1 to k−1 must stay possible.
    for cible in cibles.iter().filter(|c| c.verifiee) {
        if epinglee(cases, membres, marques, &nuls, cible) {
            liberer_des_marques(cases, membres, marques, &nuls, cible, false);
        }
        let mut essais = 0;
        while epinglee(cases, membres, marques, &nuls, cible) {
            essais += 1;
            // The least useful published figures first; the one that frees
            // the target alone if there is one, else the first.
            let mut candidats: Vec<usize> = ordre(cases, membres)
                .into_iter()
                .rev()
                .filter(|&i| masquable(cases, marques, i))
                .collect();
            if candidats.is_empty() {
                break;
            }
            let proches: Vec<usize> = candidats
                .iter()
                .copied()
                .filter(|&i| {
                    cases[i]
                        .comptes
                        .iter()
                        .flatten()
                        .any(|a| cible.atomes.contains(a))
                })
                .collect();
            if !proches.is_empty() {
                candidats = proches;
            }
            let choisi = candidats
                .iter()
                .take(if essais > 8 { 1 } else { 12 })
                .copied()
                .find(|&i| {
                    marques[i] = Some(Marque::Secondaire);
                    let libre = !epinglee(cases, membres, marques, &nuls, cible);
                    marques[i] = None;
                    libre
                })
                .unwrap_or(candidats[0]);
            marques[choisi] = Some(Marque::Secondaire);
            if cases[choisi].etat == Etat::Publiee {
                compromises.push(choisi);
            }
        }
        // The full range 1…k−1 for a cell printed `< k`: up to three more
        // hidden cells, each the one that frees the most values.
        if !cible.entiere {
            continue;
        }
        let exclues = |marques: &[Option<Marque>]| {
            (cible.seuil as usize - 1)
                - valeurs_possibles(cases, membres, marques, &nuls, cible).len()
        };
        let depart = exclues(marques);
        let mut reste = depart;
        let avant: Vec<Option<Marque>> = marques.to_vec();
        let mut ajoutees = Vec::new();
        for _ in 0..4 {
            if reste == 0 {
                break;
            }
            // Its neighbours: published figures sharing rows with it, or with
            // a hidden figure that does.
            let touche = |i: usize, atomes: &BTreeSet<u32>| {
                cases[i]
                    .comptes
                    .iter()
                    .flatten()
                    .any(|a| atomes.contains(a))
            };
            let mut voisins: BTreeSet<u32> = cible.atomes.iter().copied().collect();
            loop {
                let n = voisins.len();
                for &i in membres {
                    if marques[i].is_some() && touche(i, &voisins) {
                        voisins.extend(cases[i].comptes.iter().flatten().copied());
                    }
                }
                if voisins.len() == n {
                    break;
                }
            }
            let candidats: Vec<usize> = ordre(cases, membres)
                .into_iter()
                .rev()
                .filter(|&i| masquable(cases, marques, i))
                .filter(|&i| touche(i, &voisins))
                .take(20)
                .collect();
            // The one that frees the most values; when none frees any, the
            // least useful, in case two together do.
            let mut meilleur: Option<(usize, usize)> = None;
            for &i in &candidats {
                marques[i] = Some(Marque::Secondaire);
                let n = exclues(marques);
                marques[i] = None;
                if n < meilleur.map_or(usize::MAX, |(_, m)| m) {
                    meilleur = Some((i, n));
                }
            }
            let Some((i, n)) = meilleur else { break };
            marques[i] = Some(Marque::Secondaire);
            ajoutees.push(i);
            reste = n;
        }
        if reste >= depart {
            // Nothing gained: the figures stay published.
            marques.copy_from_slice(&avant);
            ajoutees.clear();
            reste = depart;
        }
        if reste > 0 {
            liberer_des_marques(cases, membres, marques, &nuls, cible, true);
            reste = exclues(marques);
        }
        if reste > 0 {
            ajoutees.extend(plage_entiere(cases, membres, marques, &nuls, cible, reste));
        }
        compromises.extend(
            ajoutees
                .into_iter()
                .filter(|&i| cases[i].etat == Etat::Publiee),
        );
    }
    republier_les_vaines(cases, membres, marques, &nuls);
}

/// A figure hidden to protect another whose value follows from what is
/// published all the same is hidden in vain: published back, it tells
/// nothing new. Not a small total read `s`, nor one an earlier build hid.
fn republier_les_vaines(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    nuls: &BTreeSet<u32>,
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
        let autre = admissible(cases, membres, marques, nuls, (a, v + 1.0, f64::INFINITY))
            || (v >= 1.0 && admissible(cases, membres, marques, nuls, (a, 0.0, v - 1.0)));
        if !autre {
            marques[i] = None;
        }
    }
}

/// When even every figure of the component hidden leaves target `cible`
/// pinned (`plage` false), or short of values from 1 to k−1 (`plage`
/// true), the marks alone narrow it: a small total around small groups
/// bounds them by its `< k` (with k = 3, a total of 1 or 2 with two groups
/// of at least 1 makes both 1; with k = 5, "Femmes (dont trans)" `< 5` and
/// "Trans" `< 5` leave "Femmes" at most 3). Such totals then read `s`,
/// which says nothing of their size: all of them at once, then each put
/// back, the largest first, when the target does not need it.
fn liberer_des_marques(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    nuls: &BTreeSet<u32>,
    cible: &Cible,
    plage: bool,
) {
    // What the target lacks with every figure hidden.
    let manque = |marques: &[Option<Marque>]| -> usize {
        let mut essai = marques.to_vec();
        for &i in membres {
            if masquable(cases, &essai, i) {
                essai[i] = Some(Marque::Secondaire);
            }
        }
        if plage {
            (cible.seuil as usize - 1)
                - valeurs_possibles(cases, membres, &essai, nuls, cible).len()
        } else {
            usize::from(epinglee(cases, membres, &essai, nuls, cible))
        }
    };
    let avant = manque(marques);
    if avant == 0 {
        return;
    }
    let contient = |i: usize| {
        let a = &cases[i].comptes[0];
        a.len() > cible.atomes.len() && cible.atomes.iter().all(|x| a.contains(x))
    };
    let englobantes: Vec<usize> = ordre(cases, membres)
        .into_iter()
        .filter(|&i| marques[i] == Some(Marque::Primaire) && cases[i].comptes.len() == 1)
        .filter(|&i| !cases[i].virtuelle && contient(i))
        .collect();
    for &i in &englobantes {
        marques[i] = Some(Marque::Secondaire);
    }
    let apres = manque(marques);
    for &i in &englobantes {
        marques[i] = Some(Marque::Primaire);
        if apres < avant && manque(marques) > apres {
            marques[i] = Some(Marque::Secondaire);
        }
    }
}

/// The widest range a `< k` target can keep, when a few neighbours were not
/// enough: every published figure of the component hidden gives the most
/// values any pattern could leave possible (hiding a non-zero figure only
/// loosens what a reader knows). When that is more than the `exclues`
/// values now excluded allow, the figures are published back, the most
/// useful first, by halves, as long as every value of that widest range
/// stays possible. Returns the figures it hides; when no pattern frees a
/// value more (small groups nested in a small total), nothing changes.
fn plage_entiere(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    nuls: &BTreeSet<u32>,
    cible: &Cible,
    exclues: usize,
) -> Vec<usize> {
    let candidats: Vec<usize> = ordre(cases, membres)
        .into_iter()
        .filter(|&i| masquable(cases, marques, i))
        .collect();
    for &i in &candidats {
        marques[i] = Some(Marque::Secondaire);
    }
    let plus_large = valeurs_possibles(cases, membres, marques, nuls, cible);
    if (cible.seuil as usize - 1) - plus_large.len() >= exclues {
        for &i in &candidats {
            marques[i] = None;
        }
        return Vec::new();
    }
    let mut garde = |marques: &[Option<Marque>]| {
        plus_large
            .iter()
            .all(|&w| possible(cases, membres, marques, nuls, cible, w))
    };
    fn rendre(
        groupe: &[usize],
        marques: &mut [Option<Marque>],
        garde: &mut impl FnMut(&[Option<Marque>]) -> bool,
    ) {
        if groupe.is_empty() {
            return;
        }
        for &i in groupe {
            marques[i] = None;
        }
        if garde(marques) {
            return;
        }
        for &i in groupe {
            marques[i] = Some(Marque::Secondaire);
        }
        if groupe.len() > 1 {
            let (a, b) = groupe.split_at(groupe.len() / 2);
            rendre(a, marques, garde);
            rendre(b, marques, garde);
        }
    }
    rendre(&candidats, marques, &mut garde);
    candidats
        .into_iter()
        .filter(|&i| marques[i].is_some())
        .collect()
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

/// The values from 1 to k−1 target `cible` may still have.
fn valeurs_possibles(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    nuls: &BTreeSet<u32>,
    cible: &Cible,
) -> Vec<u32> {
    (1..cible.seuil)
        .filter(|&w| possible(cases, membres, marques, nuls, cible, w))
        .collect()
}

/// Whether what is published pins target `cible` to its value: no other
/// value from 0 to k is possible (k: it may not be small at all).
fn epinglee(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    nuls: &BTreeSet<u32>,
    cible: &Cible,
) -> bool {
    !(0..=cible.seuil)
        .filter(|&w| w as f64 != cible.vraie)
        .any(|w| possible(cases, membres, marques, nuls, cible, w))
}

/// Whether some whole, non-negative atoms agree with every published figure
/// and every mark, and give target `cible` the value `w`.
fn possible(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    nuls: &BTreeSet<u32>,
    cible: &Cible,
    w: u32,
) -> bool {
    admissible(
        cases,
        membres,
        marques,
        nuls,
        (&cible.atomes, w as f64, w as f64),
    )
}

/// Whether some whole, non-negative atoms agree with every published figure
/// and every mark, and give the sum of atoms `somme.0` a value between
/// `somme.1` and `somme.2`.
fn admissible(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    nuls: &BTreeSet<u32>,
    somme: (&[u32], f64, f64),
) -> bool {
    let atomes = atomes_utiles(cases, membres, nuls);
    // An atom is at most any published sum it is part of.
    let mut plafond: Vec<f64> = vec![1e6; atomes.len()];
    let mut contraintes: Vec<(Vec<usize>, f64, f64)> = Vec::new();
    let places = |v: &[u32]| -> Vec<usize> {
        v.iter()
            .filter_map(|a| atomes.binary_search(a).ok())
            .collect()
    };
    for &i in membres {
        let c = &cases[i];
        if c.virtuelle {
            continue;
        }
        match marques[i] {
            None => {
                for (v, x) in c.comptes.iter().zip(&c.valeurs) {
                    let p = places(v);
                    for &a in &p {
                        plafond[a] = plafond[a].min(*x);
                    }
                    contraintes.push((p, *x, *x));
                }
            }
            Some(m) if c.comptes.len() == 1 => {
                let p = places(&c.comptes[0]);
                let (bas, haut) = match (m, c.seuil) {
                    (Marque::Primaire, Some(k)) if c.valeurs[0] < k as f64 => (1.0, (k - 1) as f64),
                    (Marque::Primaire, _) => (1.0, f64::INFINITY),
                    // A reader who knows the rule knows that a cell read `s`
                    // is not small, but for a small total freed of its mark.
                    (Marque::Secondaire, Some(k)) if c.valeurs[0] >= k as f64 => {
                        (k as f64, f64::INFINITY)
                    }
                    (Marque::Secondaire, _) => (1.0, f64::INFINITY),
                };
                contraintes.push((p, bas, haut));
            }
            Some(_) => {}
        }
    }
    contraintes.push((places(somme.0), somme.1, somme.2));
    let mut probleme = Problem::new(OptimizationDirection::Minimize);
    let vars: Vec<_> = plafond
        .iter()
        .map(|&h| probleme.add_integer_var(0.0, (0, h.min(1e6) as i32)))
        .collect();
    for (p, bas, haut) in &contraintes {
        if p.is_empty() {
            if *bas > 0.0 {
                return false;
            }
            continue;
        }
        let expr: Vec<(microlp::Variable, f64)> = p.iter().map(|&a| (vars[a], 1.0)).collect();
        if bas == haut {
            probleme.add_constraint(expr.as_slice(), ComparisonOp::Eq, *bas);
        } else {
            probleme.add_constraint(expr.as_slice(), ComparisonOp::Ge, *bas);
            if haut.is_finite() {
                probleme.add_constraint(expr.as_slice(), ComparisonOp::Le, *haut);
            }
        }
    }
    let Ok(issue) = probleme.solve() else {
        return false;
    };
    let Some(solution) = issue.solution() else {
        return false;
    };
    // The solver works in floating point: check the rounded answer exactly.
    let x: Vec<f64> = vars
        .iter()
        .map(|&v| solution.var_value(v).round())
        .collect();
    x.iter().all(|&v| v >= 0.0)
        && contraintes.iter().all(|(p, bas, haut)| {
            let s: f64 = p.iter().map(|&a| x[a]).sum();
            s >= *bas && s <= *haut
        })
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
