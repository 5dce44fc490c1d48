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
/// sums of atoms. One `group_by` over the masks packed 62 to a word.
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
    // 62 bits a word: a literal above i64::MAX would need polars' i128 type.
    const BITS: usize = 62;
    let mots = utiles.len().div_ceil(BITS).max(1);
    let nom_mot = |w: usize| format!("mot{w}");
    let mut expressions: Vec<Expr> = Vec::new();
    for w in 0..mots {
        let e = utiles
            .iter()
            .enumerate()
            .skip(w * BITS)
            .take(BITS)
            .map(|(b, &m)| {
                col(nom_masque(m).as_str()).cast(DataType::UInt64)
                    * lit(1u64 << (b % BITS)).cast(DataType::UInt64)
            })
            .reduce(|a, b| a + b)
            .unwrap_or(lit(0u64).cast(DataType::UInt64));
        expressions.push(e.alias(nom_mot(w).as_str()));
    }
    let mut familles: Vec<Famille> = cases
        .iter()
        .filter_map(|c| famille(modele, protegees, &c.cle))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if familles.is_empty() {
        familles.push(Famille::Lignes);
    }
    let mut agregats: Vec<Expr> = Vec::new();
    for (i, f) in familles.iter().enumerate() {
        let nom = format!("v{i}");
        agregats.push(match f {
            Famille::Lignes => len().cast(DataType::Float64).alias(nom.as_str()),
            Famille::Somme(c) => {
                expressions.push(col(c.as_str()).cast(DataType::Float64).fill_null(lit(0.0)));
                col(c.as_str())
                    .sum()
                    .cast(DataType::Float64)
                    .alias(nom.as_str())
            }
            Famille::Personnes => {
                expressions.push(col("personne"));
                col("personne")
                    .drop_nulls()
                    .n_unique()
                    .cast(DataType::Float64)
                    .alias(nom.as_str())
            }
        });
    }
    let non_vide = (0..mots)
        .map(|w| col(nom_mot(w).as_str()).neq(lit(0u64).cast(DataType::UInt64)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let cles: Vec<Expr> = (0..mots).map(|w| col(nom_mot(w).as_str())).collect();
    let atomes = table
        .clone()
        .lazy()
        .select(expressions)
        .filter(non_vide)
        .group_by(cles.clone())
        .agg(agregats)
        .sort_by_exprs(cles, SortMultipleOptions::default())
        .collect()?;
    let n = atomes.height();
    let mut bits: Vec<Vec<u64>> = vec![vec![0; mots]; n];
    for w in 0..mots {
        let c = atomes.column(&nom_mot(w))?.u64()?.rechunk();
        for (a, b) in bits.iter_mut().enumerate() {
            b[w] = c.get(a).unwrap_or(0);
        }
    }
    let mut valeurs: Vec<Vec<f64>> = Vec::new();
    for i in 0..familles.len() {
        let colonne = atomes.column(&format!("v{i}"))?.cast(&DataType::Float64)?;
        let c = colonne.f64()?.rechunk();
        valeurs.push((0..n).map(|a| c.get(a).unwrap_or(0.0)).collect());
    }
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
