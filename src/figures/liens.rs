//! How the figures that count people are made of the same rows: the finest
//! partition of a source's rows given by every filter, group, year and
//! condition of the model (its *atoms*), and, for each figure, the atoms it
//! adds up. The publication stage decides the statistical secret over this
//! linked system, so that no combination of published figures gives away a
//! hidden one.

use std::collections::BTreeSet;

use polars::prelude::*;

use crate::error::Resultat;
use crate::exports::Source;
use crate::fr::normalise;
use crate::model::{CleFigure, Mesure, Modele};

/// The name of the boolean column of mask `i` (a filter, a year, a group).
pub fn nom_masque(i: usize) -> String {
    format!("masque{i}")
}

/// What a figure adds up over its rows: figures of one family and one
/// source add up over the same atoms, so they are linked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Famille {
    /// Rows (a count, or the numerator and denominator of a share).
    Lignes,
    /// The sum of a column (normalised name).
    Somme(String),
    /// Distinct people: not additive across atoms, protected as if it were.
    Personnes,
}

/// The family of indicator `ind`.
fn famille_de(ind: &crate::model::Indicateur) -> Famille {
    match ind.mesure {
        Mesure::Lignes | Mesure::Part => Famille::Lignes,
        Mesure::Somme => Famille::Somme(normalise(ind.colonne_somme())),
        Mesure::Personnes | Mesure::NouvellesPersonnes => Famille::Personnes,
    }
}

/// The families, per source, that hold at least one count of people: only
/// their figures can give a small count away.
pub fn familles_protegees(modele: &Modele) -> BTreeSet<(Source, Famille)> {
    modele
        .indicateurs
        .values()
        .filter(|i| i.compte_des_personnes())
        .map(|i| (i.source, famille_de(i)))
        .collect()
}

/// The family of figure `cle` if it is linked to a count of people, given
/// the protected families.
pub fn famille(
    modele: &Modele,
    protegees: &BTreeSet<(Source, Famille)>,
    cle: &CleFigure,
) -> Option<Famille> {
    let ind = &modele.indicateurs[cle.indicateur()];
    let f = famille_de(ind);
    protegees.contains(&(ind.source, f.clone())).then_some(f)
}

/// A figure of the linked system, as the figures stage computed it.
pub struct CaseSource {
    pub cle: CleFigure,
    pub annee: i32,
    pub groupe: Option<usize>,
    /// The masks whose conjunction selects its rows.
    pub conjonction: Vec<usize>,
    /// For a share, the mask of its condition.
    pub condition: Option<usize>,
    /// For new people, the mask « first seen in the year » among its
    /// conjunction, and how many people of the same rows were seen before.
    pub nouveaute: Option<(usize, f64)>,
}

/// One figure of the linked system: the atoms it adds up.
#[derive(Debug, Clone)]
pub struct CaseLiee {
    pub cle: CleFigure,
    pub annee: i32,
    /// `None`: the total; `Some(i)`: group `i` of its breakdown.
    pub groupe: Option<usize>,
    /// Index in [`Liens::familles`].
    pub famille: usize,
    /// The atoms of its rows, sorted (for a share, those of its denominator).
    pub atomes: Vec<u32>,
    /// For a share, the atoms of its numerator (rows also matching the condition).
    pub numerateur: Option<Vec<u32>>,
    /// For new people, the atoms of the same rows' people already known
    /// (not new), and how many distinct people they are: the file active
    /// minus the new, which the secret protects like a cell.
    pub connues: Option<(Vec<u32>, f64)>,
}

/// The linked system of one source.
#[derive(Debug, Clone)]
pub struct Liens {
    pub source: Source,
    pub familles: Vec<Famille>,
    /// The value of each atom in each family: `valeurs[famille][atome]`.
    pub valeurs: Vec<Vec<f64>>,
    pub cases: Vec<CaseLiee>,
}

/// The atoms of `table` (with its mask columns) and the figures `cases` as
/// sums of atoms: each row's masks packed 62 to a word, the rows grouped by
/// their words ([`atomes`]).
pub fn relier(
    modele: &Modele,
    protegees: &BTreeSet<(Source, Famille)>,
    source: Source,
    table: &DataFrame,
    cases: Vec<CaseSource>,
) -> Resultat<Liens> {
    // The masks that matter, each given a bit.
    let mut utiles: Vec<usize> = cases
        .iter()
        .flat_map(|c| c.conjonction.iter().copied().chain(c.condition))
        .collect();
    utiles.sort_unstable();
    utiles.dedup();
    let bit = |m: usize| utiles.binary_search(&m).expect("masque utile");
    // 62 bits a word, the atoms sorted by their words: the order (and so the
    // atoms' numbers) of the polars query this replaced.
    const BITS: usize = 62;
    let mots = utiles.len().div_ceil(BITS).max(1);
    let mut familles: Vec<Famille> = cases
        .iter()
        .filter_map(|c| famille(modele, protegees, &c.cle))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if familles.is_empty() {
        familles.push(Famille::Lignes);
    }
    let (bits, valeurs) = atomes(table, &utiles, mots, BITS, &familles)?;
    let n = bits.len();
    let masque_de = |ms: &mut dyn Iterator<Item = usize>| {
        let mut m = vec![0u64; mots];
        for x in ms {
            let b = bit(x);
            m[b / BITS] |= 1 << (b % BITS);
        }
        m
    };
    let couverts = |m: &[u64]| -> Vec<u32> {
        (0..n)
            .filter(|&a| bits[a].iter().zip(m).all(|(x, y)| x & y == *y))
            .map(|a| a as u32)
            .collect()
    };
    let mut liees = Vec::with_capacity(cases.len());
    for c in cases {
        let Some(f) = famille(modele, protegees, &c.cle) else {
            continue;
        };
        let m = masque_de(&mut c.conjonction.iter().copied());
        let atomes = couverts(&m);
        let numerateur = c.condition.map(|k| {
            let m = masque_de(&mut c.conjonction.iter().copied().chain([k]));
            couverts(&m)
        });
        let connues = c.nouveaute.map(|(k, n)| {
            let m = masque_de(&mut c.conjonction.iter().copied().filter(|&x| x != k));
            let siens: BTreeSet<u32> = atomes.iter().copied().collect();
            let autres: Vec<u32> = couverts(&m)
                .into_iter()
                .filter(|a| !siens.contains(a))
                .collect();
            (autres, n)
        });
        let fi = familles.iter().position(|x| *x == f).unwrap_or(0);
        // An atom worth 0 in the family (rows without a person, for a count
        // of people) adds nothing: an attacker who knows the exports' form
        // knows it is empty, so it must not hide a difference. Without it,
        // a total whose groups cover every person equals their sum.
        let pleins = |a: Vec<u32>| -> Vec<u32> {
            a.into_iter()
                .filter(|&x| valeurs[fi][x as usize] != 0.0)
                .collect()
        };
        liees.push(CaseLiee {
            cle: c.cle,
            annee: c.annee,
            groupe: c.groupe,
            famille: fi,
            atomes: pleins(atomes),
            numerateur: numerateur.map(pleins),
            connues: connues.map(|(a, n)| (pleins(a), n)),
        });
    }
    Ok(Liens {
        source,
        familles,
        valeurs,
        cases: liees,
    })
}

/// Each atom's words, and each atom's value in each family.
type Atomes = (Vec<Vec<u64>>, Vec<Vec<f64>>);

/// The atoms of `table`: the distinct non-zero words of its rows (the masks
/// `utiles` packed `bits` to a word, `mots` words), sorted, and the value of
/// each atom in each of `familles`. A row none of whose masks holds (or one
/// of whose masks is null) is in no atom.
///
/// One pass over the rows in plain Rust rather than a polars `group_by`:
/// at 10 M rows the packing and the grouping (a `n_unique` per group) took
/// seconds, most of the aggregation stage.
fn atomes(
    table: &DataFrame,
    utiles: &[usize],
    mots: usize,
    bits: usize,
    familles: &[Famille],
) -> Resultat<Atomes> {
    let n_lignes = table.height();
    let mut mots_lignes = vec![0u64; n_lignes * mots];
    let mut exclue = vec![false; n_lignes];
    for (b, &m) in utiles.iter().enumerate() {
        let masque = table.column(&nom_masque(m))?.bool()?;
        let (w, bit) = (b / bits, 1u64 << (b % bits));
        let mut debut = 0;
        for morceau in masque.downcast_iter() {
            for i in morceau.values().true_idx_iter() {
                mots_lignes[(debut + i) * mots + w] |= bit;
            }
            if let Some(validite) = morceau.validity() {
                for (i, valide) in validite.iter().enumerate() {
                    exclue[debut + i] |= !valide;
                }
            }
            debut += morceau.len();
        }
    }
    // Each row's atom, numbered first in order of appearance.
    const AUCUN: u32 = u32::MAX;
    let mut numeros: rustc_hash::FxHashMap<&[u64], u32> = Default::default();
    let mut vus: Vec<&[u64]> = Vec::new();
    let atome_des_lignes: Vec<u32> = mots_lignes
        .chunks_exact(mots)
        .zip(&exclue)
        .map(|(mot, &exclue)| {
            if exclue || mot.iter().all(|&x| x == 0) {
                return AUCUN;
            }
            *numeros.entry(mot).or_insert_with(|| {
                vus.push(mot);
                (vus.len() - 1) as u32
            })
        })
        .collect();
    // Renumbered in the order of their words.
    let mut ordre: Vec<u32> = (0..vus.len() as u32).collect();
    ordre.sort_unstable_by(|&a, &b| vus[a as usize].cmp(vus[b as usize]));
    let mut rang = vec![0u32; vus.len()];
    for (r, &a) in ordre.iter().enumerate() {
        rang[a as usize] = r as u32;
    }
    let atome_des_lignes: Vec<u32> = atome_des_lignes
        .into_iter()
        .map(|a| if a == AUCUN { AUCUN } else { rang[a as usize] })
        .collect();
    let n = vus.len();
    let mots_des_atomes: Vec<Vec<u64>> = ordre.iter().map(|&a| vus[a as usize].to_vec()).collect();
    let mut valeurs = Vec::with_capacity(familles.len());
    for f in familles {
        let mut v = vec![0.0; n];
        match f {
            Famille::Lignes => {
                for &a in atome_des_lignes.iter().filter(|&&a| a != AUCUN) {
                    v[a as usize] += 1.0;
                }
            }
            Famille::Somme(c) => {
                let colonne = table.column(c.as_str())?.cast(&DataType::Float64)?;
                let colonne = colonne.f64()?;
                let mut i = 0;
                for morceau in colonne.downcast_iter() {
                    for x in morceau.iter() {
                        let a = atome_des_lignes[i];
                        if let (Some(x), true) = (x, a != AUCUN) {
                            v[a as usize] += *x;
                        }
                        i += 1;
                    }
                }
            }
            Famille::Personnes => {
                let personnes = table.column("personne")?.cast(&DataType::UInt32)?;
                let personnes = personnes.u32()?;
                v = personnes_par_atome(&atome_des_lignes, personnes, n)
                    .into_iter()
                    .map(|x| x as f64)
                    .collect();
            }
        }
        valeurs.push(v);
    }
    Ok((mots_des_atomes, valeurs))
}

/// The number of distinct (non-null) people of each of `n` atoms, given
/// each row's atom (`u32::MAX`: none): the rows bucketed by atom, then each
/// bucket's people marked once in a bitset over the people's codes.
fn personnes_par_atome(atome_des_lignes: &[u32], personnes: &UInt32Chunked, n: usize) -> Vec<u32> {
    let mut paires: Vec<(u32, u32)> = Vec::new();
    let mut i = 0;
    let mut plus_grand = 0u32;
    for morceau in personnes.downcast_iter() {
        for p in morceau.iter() {
            let a = atome_des_lignes[i];
            if let (Some(&p), true) = (p, a != u32::MAX) {
                paires.push((a, p));
                plus_grand = plus_grand.max(p);
            }
            i += 1;
        }
    }
    // Bucketed by atom (a counting sort).
    let mut debuts = vec![0usize; n + 1];
    for &(a, _) in &paires {
        debuts[a as usize + 1] += 1;
    }
    for a in 0..n {
        debuts[a + 1] += debuts[a];
    }
    let mut places = debuts.clone();
    let mut seaux = vec![0u32; paires.len()];
    for &(a, p) in &paires {
        seaux[places[a as usize]] = p;
        places[a as usize] += 1;
    }
    let mut vu = vec![0u64; plus_grand as usize / 64 + 1];
    (0..n)
        .map(|a| {
            let seau = &seaux[debuts[a]..debuts[a + 1]];
            let mut distinctes = 0;
            for &p in seau {
                let (w, b) = (p as usize / 64, 1u64 << (p % 64));
                distinctes += u32::from(vu[w] & b == 0);
                vu[w] |= b;
            }
            for &p in seau {
                vu[p as usize / 64] = 0;
            }
            distinctes
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// The grouping as a polars query: every row's masks packed into words,
    /// grouped by their words, sorted; rows, sums and distinct people.
    fn atomes_par_polars(
        table: &DataFrame,
        utiles: &[usize],
        mots: usize,
        bits: usize,
        familles: &[Famille],
    ) -> (Vec<Vec<u64>>, Vec<Vec<f64>>) {
        let nom_mot = |w: usize| format!("mot{w}");
        let mut expressions: Vec<Expr> = (0..mots)
            .map(|w| {
                utiles
                    .iter()
                    .enumerate()
                    .skip(w * bits)
                    .take(bits)
                    .map(|(b, &m)| {
                        col(nom_masque(m).as_str()).cast(DataType::UInt64)
                            * lit(1u64 << (b % bits)).cast(DataType::UInt64)
                    })
                    .fold(lit(0u64).cast(DataType::UInt64), |a, b| a + b)
                    .alias(nom_mot(w).as_str())
            })
            .collect();
        let agregats: Vec<Expr> = familles
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let nom = format!("v{i}");
                match f {
                    Famille::Lignes => len().cast(DataType::Float64).alias(nom.as_str()),
                    Famille::Somme(c) => {
                        expressions
                            .push(col(c.as_str()).cast(DataType::Float64).fill_null(lit(0.0)));
                        col(c.as_str()).sum().alias(nom.as_str())
                    }
                    Famille::Personnes => {
                        expressions.push(col("personne"));
                        col("personne")
                            .drop_nulls()
                            .n_unique()
                            .cast(DataType::Float64)
                            .alias(nom.as_str())
                    }
                }
            })
            .collect();
        let non_vide = (0..mots)
            .map(|w| col(nom_mot(w).as_str()).neq(lit(0u64).cast(DataType::UInt64)))
            .reduce(|a, b| a.or(b))
            .unwrap();
        let cles: Vec<Expr> = (0..mots).map(|w| col(nom_mot(w).as_str())).collect();
        let df = table
            .clone()
            .lazy()
            .select(expressions)
            .filter(non_vide)
            .group_by(cles.clone())
            .agg(agregats)
            .sort_by_exprs(cles, SortMultipleOptions::default())
            .collect()
            .unwrap();
        let n = df.height();
        let mots_des_atomes = (0..n)
            .map(|a| {
                (0..mots)
                    .map(|w| {
                        df.column(&nom_mot(w))
                            .unwrap()
                            .u64()
                            .unwrap()
                            .get(a)
                            .unwrap()
                    })
                    .collect()
            })
            .collect();
        let valeurs = (0..familles.len())
            .map(|i| {
                let c = df.column(&format!("v{i}")).unwrap();
                let c = c.cast(&DataType::Float64).unwrap();
                (0..n).map(|a| c.f64().unwrap().get(a).unwrap()).collect()
            })
            .collect();
        (mots_des_atomes, valeurs)
    }

    /// A table of `lignes` rows with `masques` boolean masks (of varying
    /// density), a sum column and a person column, both with nulls, cut into
    /// several chunks.
    fn table(graine: u64, lignes: usize, masques: usize) -> DataFrame {
        let mut alea = rand_chacha::ChaCha8Rng::seed_from_u64(graine);
        let mut colonnes: Vec<Column> = (0..masques)
            .map(|m| {
                let densite = [0.02, 0.3, 0.5, 0.9][m % 4];
                let v: Vec<bool> = (0..lignes).map(|_| alea.random_bool(densite)).collect();
                Column::new(nom_masque(m).into(), v)
            })
            .collect();
        let montants: Vec<Option<f64>> = (0..lignes)
            .map(|_| {
                alea.random_bool(0.8)
                    .then(|| alea.random_range(0..500) as f64 / 4.0)
            })
            .collect();
        colonnes.push(Column::new("montant".into(), montants));
        let personnes: Vec<Option<u32>> = (0..lignes)
            .map(|_| alea.random_bool(0.9).then(|| alea.random_range(0..40u32)))
            .collect();
        colonnes.push(Column::new("personne".into(), personnes));
        let t = DataFrame::new(lignes, colonnes).unwrap();
        let (a, b) = t.split_at((lignes / 3) as i64);
        let mut t = a;
        t.vstack_mut(&b).unwrap();
        t
    }

    #[test]
    fn les_atomes_sont_ceux_du_regroupement_par_polars_a_un_et_deux_mots() {
        let familles = [
            Famille::Lignes,
            Famille::Somme("montant".into()),
            Famille::Personnes,
        ];
        for (graine, masques, bits) in [(1, 5, 62), (2, 9, 62), (3, 9, 4), (4, 70, 62)] {
            let t = table(graine, 3_000, masques);
            let utiles: Vec<usize> = (0..masques).filter(|m| m % 5 != 3).collect();
            let mots = utiles.len().div_ceil(bits).max(1);
            let attendu = atomes_par_polars(&t, &utiles, mots, bits, &familles);
            let obtenu = atomes(&t, &utiles, mots, bits, &familles).unwrap();
            assert!(obtenu.0.len() > 3, "graine {graine} : trop peu d'atomes");
            assert_eq!(obtenu.0, attendu.0, "graine {graine} : les mots des atomes");
            for (f, (o, a)) in obtenu.1.iter().zip(&attendu.1).enumerate() {
                for (x, y) in o.iter().zip(a) {
                    assert!(
                        (x - y).abs() < 1e-9,
                        "graine {graine}, famille {f} : {x} ≠ {y}"
                    );
                }
            }
        }
    }
}
