//! The intervals an attacker can still deduce, checked by integer
//! programmes (`microlp`), and the hiding that keeps every value of a
//! small count possible.

use std::collections::BTreeSet;

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use rayon::prelude::*;

use super::{Case, Cible, Etat, Marque, atomes_utiles, masquable, ordre};

/// What the integer programmes of one component share: its atoms not
/// known to be zero, and the solutions found so far. A solution of one
/// programme that meets every constraint of another proves that one
/// feasible at once (checked exactly): it answers most of the neighbours
/// tried, which only loosen what is published.
pub(super) struct Programmes {
    atomes: Vec<u32>,
    points: std::sync::Mutex<Vec<Vec<f64>>>,
}

impl Programmes {
    pub(super) fn new(cases: &[Case], membres: &[usize], nuls: &BTreeSet<u32>) -> Self {
        Programmes {
            atomes: atomes_utiles(cases, membres, nuls),
            points: Default::default(),
        }
    }

    /// The atoms of the component not known to be zero, sorted.
    pub(super) fn atomes(&self) -> &[u32] {
        &self.atomes
    }
}

/// The most solutions kept per component (the newest replace the oldest).
const POINTS_MAX: usize = 64;

/// Hides published figures, least useful first, until no value from 0 to
/// k of `cible` is pinned.
pub(super) fn desepingler(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    compromises: &mut Vec<usize>,
    prog: &Programmes,
    cible: &Cible,
) {
    if epinglee(cases, membres, marques, prog, cible) {
        liberer_des_marques(cases, membres, marques, prog, cible, false);
    }
    let mut essais = 0;
    while epinglee(cases, membres, marques, prog, cible) {
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
        // Tried on both cores; the first in order that frees it is taken.
        let essayes = &candidats[..candidats.len().min(if essais > 8 { 1 } else { 12 })];
        let choisi = essayes
            .par_iter()
            .copied()
            .find_first(|&i| {
                let mut essai = marques.to_vec();
                essai[i] = Some(Marque::Secondaire);
                !epinglee(cases, membres, &essai, prog, cible)
            })
            .unwrap_or(candidats[0]);
        marques[choisi] = Some(Marque::Secondaire);
        if cases[choisi].etat == Etat::Publiee {
            compromises.push(choisi);
        }
    }
}

/// The full range 1…k−1 for a cell printed `< k`: up to four more hidden
/// cells, each the one that frees the most values; then the small totals
/// shown as `s`, then the widest range ([`plage_entiere`]).
pub(super) fn elargir(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    compromises: &mut Vec<usize>,
    prog: &Programmes,
    cible: &Cible,
) {
    let exclues = |marques: &[Option<Marque>]| {
        (cible.seuil as usize - 1) - valeurs_possibles(cases, membres, marques, prog, cible).len()
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
        // The one that frees the most values (each tried on both cores, the
        // first of the fewest kept); when none frees any, the least useful,
        // in case two together do.
        let exclues_sans: Vec<usize> = candidats
            .par_iter()
            .map(|&i| {
                let mut essai = marques.to_vec();
                essai[i] = Some(Marque::Secondaire);
                exclues(&essai)
            })
            .collect();
        let mut meilleur: Option<(usize, usize)> = None;
        for (&i, &n) in candidats.iter().zip(&exclues_sans) {
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
        liberer_des_marques(cases, membres, marques, prog, cible, true);
        reste = exclues(marques);
    }
    if reste > 0 {
        ajoutees.extend(plage_entiere(cases, membres, marques, prog, cible, reste));
    }
    compromises.extend(
        ajoutees
            .into_iter()
            .filter(|&i| cases[i].etat == Etat::Publiee),
    );
}

/// When even every figure of the component hidden leaves target `cible`
/// pinned (`plage` false), or short of values from 1 to k−1 (`plage`
/// true), the marks alone narrow it: a small total around small groups
/// bounds them by its `< k` (with k = 3, a total of 1 or 2 with two groups
/// of at least 1 makes both 1; with k = 5, "Femmes (dont trans)" `< 5` and
/// "Trans" `< 5` leave "Femmes" at most 3). Such totals then read `s`,
/// which says nothing of their size: all of them at once, then each put
/// back, the largest first, when the target does not need it.
pub(super) fn liberer_des_marques(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    prog: &Programmes,
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
                - valeurs_possibles(cases, membres, &essai, prog, cible).len()
        } else {
            usize::from(epinglee(cases, membres, &essai, prog, cible))
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
pub(super) fn plage_entiere(
    cases: &[Case],
    membres: &[usize],
    marques: &mut [Option<Marque>],
    prog: &Programmes,
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
    let plus_large = valeurs_possibles(cases, membres, marques, prog, cible);
    if (cible.seuil as usize - 1) - plus_large.len() >= exclues {
        for &i in &candidats {
            marques[i] = None;
        }
        return Vec::new();
    }
    let mut garde = |marques: &[Option<Marque>]| {
        plus_large
            .par_iter()
            .all(|&w| possible(cases, membres, marques, prog, cible, w))
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

/// The values from 1 to k−1 target `cible` may still have.
pub(super) fn valeurs_possibles(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    prog: &Programmes,
    cible: &Cible,
) -> Vec<u32> {
    (1..cible.seuil)
        .into_par_iter()
        .filter(|&w| possible(cases, membres, marques, prog, cible, w))
        .collect()
}

/// Whether what is published pins target `cible` to its value: no other
/// value from 0 to k is possible (k: it may not be small at all).
pub(super) fn epinglee(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    prog: &Programmes,
    cible: &Cible,
) -> bool {
    !(0..=cible.seuil)
        .into_par_iter()
        .filter(|&w| w as f64 != cible.vraie)
        .any(|w| possible(cases, membres, marques, prog, cible, w))
}

/// Whether some whole, non-negative atoms agree with every published figure
/// and every mark, and give target `cible` the value `w`.
pub(super) fn possible(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    prog: &Programmes,
    cible: &Cible,
    w: u32,
) -> bool {
    admissible(
        cases,
        membres,
        marques,
        prog,
        (&cible.atomes, w as f64, w as f64),
    )
}

/// Whether some whole, non-negative atoms agree with every published figure
/// and every mark, and give the sum of atoms `somme.0` a value between
/// `somme.1` and `somme.2`.
pub(super) fn admissible(
    cases: &[Case],
    membres: &[usize],
    marques: &[Option<Marque>],
    prog: &Programmes,
    somme: (&[u32], f64, f64),
) -> bool {
    let atomes = &prog.atomes;
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
    if contraintes
        .iter()
        .any(|(p, bas, _)| p.is_empty() && *bas > 0.0)
    {
        return false;
    }
    if prog
        .points
        .lock()
        .unwrap()
        .iter()
        .any(|x| convient(&contraintes, x))
    {
        return true;
    }
    if bornes_contradictoires(&contraintes, &plafond) {
        return false;
    }
    par_programme(&contraintes, &plafond, prog)
}

/// Whether the atoms `x` meet every constraint (sums of atoms between two bounds).
fn convient(contraintes: &[(Vec<usize>, f64, f64)], x: &[f64]) -> bool {
    contraintes.iter().all(|(p, bas, haut)| {
        let s: f64 = p.iter().map(|&a| x[a]).sum();
        s >= *bas && s <= *haut
    })
}

/// Whether the bounds the constraints (sums of atoms between two bounds)
/// put on each atom, each at least 0 and at most its `plafond`, contradict
/// each other: a proof that no whole atoms meet them all, found in a few
/// passes without an integer programme. Each pass narrows each atom by
/// what the other atoms of each of its sums can hold (at most the sum's
/// upper bound minus the others' least values, at least its lower bound
/// minus the others' greatest); a sum whose least possible value exceeds
/// its upper bound, or whose greatest falls short of its lower bound, is a
/// contradiction. `false` proves nothing: the programme decides.
fn bornes_contradictoires(contraintes: &[(Vec<usize>, f64, f64)], plafond: &[f64]) -> bool {
    let mut bas: Vec<f64> = vec![0.0; plafond.len()];
    let mut haut: Vec<f64> = plafond.iter().map(|h| h.min(1e6).floor()).collect();
    for _ in 0..8 {
        let mut change = false;
        for (p, b, h) in contraintes {
            let somme_bas: f64 = p.iter().map(|&a| bas[a]).sum();
            let somme_haut: f64 = p.iter().map(|&a| haut[a]).sum();
            if somme_bas > *h || somme_haut < *b {
                return true;
            }
            for &a in p {
                let plus = (h - (somme_bas - bas[a])).floor();
                if plus < haut[a] {
                    haut[a] = plus;
                    change = true;
                }
                let moins = (b - (somme_haut - haut[a])).ceil();
                if moins > bas[a] {
                    bas[a] = moins;
                    change = true;
                }
                if bas[a] > haut[a] {
                    return true;
                }
            }
        }
        if !change {
            break;
        }
    }
    false
}

/// Whether some whole atoms meet `contraintes`, each between 0 and its
/// `plafond`, decided by an integer programme; a solution, checked
/// exactly, is kept for the next questions of `prog`.
fn par_programme(
    contraintes: &[(Vec<usize>, f64, f64)],
    plafond: &[f64],
    prog: &Programmes,
) -> bool {
    let atomes = &prog.atomes;
    // Atoms in the same constraints are interchangeable: one variable for
    // their sum gives exactly the same answer (whole and non-negative
    // atoms add up to any whole non-negative sum), on a far smaller
    // programme. An atom in no constraint is free and left out.
    let mut dans: Vec<Vec<usize>> = vec![Vec::new(); atomes.len()];
    for (j, (p, _, _)) in contraintes.iter().enumerate() {
        for &a in p {
            dans[a].push(j);
        }
    }
    let mut classe_de: std::collections::HashMap<&[usize], usize> = Default::default();
    let mut classe: Vec<Option<usize>> = vec![None; atomes.len()];
    // Per class: the bound of its sum, how many atoms it holds, its first.
    let mut classes: Vec<(f64, u32, usize)> = Vec::new();
    for (a, j) in dans.iter().enumerate() {
        if j.is_empty() {
            continue;
        }
        let c = *classe_de.entry(j.as_slice()).or_insert_with(|| {
            classes.push((plafond[a], 0, a));
            classes.len() - 1
        });
        classes[c].1 += 1;
        classe[a] = Some(c);
    }
    let mut probleme = Problem::new(OptimizationDirection::Minimize);
    let vars: Vec<_> = classes
        .iter()
        .map(|&(h, n, _)| {
            // Each atom is at most 10⁶ (no count is that large) and at most
            // any published sum it is part of: so is their sum.
            let haut = if h < 1e6 { h } else { 1e6 * n as f64 };
            probleme.add_integer_var(0.0, (0, haut.min(i32::MAX as f64) as i32))
        })
        .collect();
    for (p, bas, haut) in contraintes.iter().filter(|(p, _, _)| !p.is_empty()) {
        let mut c: Vec<usize> = p.iter().filter_map(|&a| classe[a]).collect();
        c.sort_unstable();
        c.dedup();
        let expr: Vec<(microlp::Variable, f64)> = c.iter().map(|&k| (vars[k], 1.0)).collect();
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
    // The solver works in floating point: the rounded answer, each class's
    // sum on its first atom, is checked exactly.
    let mut point = vec![0.0; atomes.len()];
    for (&(_, _, premier), &v) in classes.iter().zip(&vars) {
        point[premier] = solution.var_value(v).round();
    }
    if point.iter().any(|&v| v < 0.0) || !convient(contraintes, &point) {
        return false;
    }
    if point.iter().all(|&v| v <= 1e6) {
        let mut points = prog.points.lock().unwrap();
        if points.len() == POINTS_MAX {
            points.remove(0);
        }
        points.push(point);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// A random system of sums over `n` atoms: equalities (a published
    /// figure), ranges (a mark's bounds), open ranges (`s`, at least k).
    fn systeme(hasard: &mut rand_chacha::ChaCha8Rng, n: usize) -> Vec<(Vec<usize>, f64, f64)> {
        let m = hasard.random_range(1..=6);
        (0..m)
            .map(|_| {
                let mut p: Vec<usize> = (0..n).filter(|_| hasard.random_bool(0.5)).collect();
                if p.is_empty() {
                    p.push(hasard.random_range(0..n));
                }
                let v = hasard.random_range(0..12) as f64;
                match hasard.random_range(0..3) {
                    0 => (p, v, v),
                    1 => (p, v.min(1.0), v.max(1.0) + hasard.random_range(0..4) as f64),
                    _ => (p, v, f64::INFINITY),
                }
            })
            .collect()
    }

    #[test]
    fn bounds_found_to_contradict_each_other_only_ever_are_where_no_whole_atoms_fit() {
        let mut hasard = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        let (mut sans_solution, mut prouvees) = (0, 0);
        for _ in 0..3000 {
            let n = hasard.random_range(1..=6);
            let contraintes = systeme(&mut hasard, n);
            // As `admissible` caps each atom: by any published sum it is in.
            let mut plafond = vec![1e6; n];
            for (p, bas, haut) in &contraintes {
                if bas == haut {
                    for &a in p {
                        plafond[a] = f64::min(plafond[a], *bas);
                    }
                }
            }
            let prog = Programmes {
                atomes: (0..n as u32).collect(),
                points: Default::default(),
            };
            let solution = par_programme(&contraintes, &plafond, &prog);
            let contradiction = bornes_contradictoires(&contraintes, &plafond);
            assert!(
                !(contradiction && solution),
                "a contradiction found in a system with a solution: {contraintes:?}"
            );
            sans_solution += usize::from(!solution);
            prouvees += usize::from(contradiction);
        }
        // Both kinds of system occur, and most without a solution are
        // proved so by the bounds alone (the secret's questions are mostly
        // of that kind: a value just outside what the figures allow).
        assert!(
            sans_solution > 300 && sans_solution < 2700,
            "{sans_solution}"
        );
        assert!(
            prouvees * 10 > sans_solution * 7,
            "{prouvees} of {sans_solution}"
        );
    }
}
