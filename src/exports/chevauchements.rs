//! Two files of one source that overlap, an error: their rows would be
//! counted twice. They overlap when rows of one year are in both (by the
//! source's own date: `date` of an activity, `ouverture` of a case, `annee`
//! of an indicator), unless both names give periods without a month in
//! common (`activites-2013-s1.csv`, `activites-2013-s2.csv`); and whatever
//! their names, when a row of one is in the other, anonymous rows included.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rustc_hash::FxHasher;

use super::Source;
use super::fichiers::Periode;
use super::lecture::Lecteur;
use super::lots::Enregistrement;
use crate::error::{Constats, Probleme};

/// Rows in common between an earlier file and the current one: how many, and
/// the first (its line in each).
#[derive(Debug, Clone, Copy, Default)]
struct Communes {
    nombre: usize,
    premiere: (u32, u32),
}

/// The rows of the files of one source, by the hash of their cells (16
/// bytes a row, kept only when the source has several files), to find a
/// row of one file in another.
#[derive(Default)]
pub(super) struct Recoupement {
    /// The files read: each one's rows as (hash, line), sorted by hash.
    lus: Vec<(PathBuf, Vec<(u64, u32)>)>,
    /// The file being read: its rows, its columns by name, its rows in
    /// common with each earlier file.
    courant: Vec<(u64, u32)>,
    ordre: Vec<(String, usize)>,
    communes: Vec<Communes>,
    /// Rows in common, by pair of files (earlier, later).
    paires: Vec<(usize, usize, Communes)>,
}

/// Some rows of the file being read, as one reader saw them: each row's
/// hash and line, and its rows in common with each earlier file.
pub(super) struct Part<'r> {
    recoupement: &'r Recoupement,
    courant: Vec<(u64, u32)>,
    communes: Vec<Communes>,
}

/// A [`Part`] once read, to be joined.
pub(super) struct PartLue {
    courant: Vec<(u64, u32)>,
    communes: Vec<Communes>,
}

impl Part<'_> {
    /// Notes the row `e`, and whether an earlier file has it.
    pub(super) fn lire(&mut self, e: &Enregistrement) {
        let mut h = FxHasher::default();
        for (nom, i) in &self.recoupement.ordre {
            let cellule = e.cellule(Some(*i).filter(|i| *i < e.largeur()));
            if !cellule.is_empty() {
                (nom, cellule).hash(&mut h);
            }
        }
        let h = h.finish();
        let ligne = e.ligne as u32;
        for ((_, lignes), communes) in self.recoupement.lus.iter().zip(self.communes.iter_mut()) {
            if let Ok(i) = lignes.binary_search_by_key(&h, |l| l.0) {
                // The first of the equal hashes: the earliest line.
                let i = lignes[..i].partition_point(|l| l.0 < h).min(i);
                if communes.nombre == 0 {
                    communes.premiere = (lignes[i].1, ligne);
                }
                communes.nombre += 1;
            }
        }
        self.courant.push((h, ligne));
    }

    /// What this share found, free of the files read before.
    pub(super) fn lue(self) -> PartLue {
        PartLue {
            courant: self.courant,
            communes: self.communes,
        }
    }
}

impl Recoupement {
    /// Starts the file `lecteur` reads: its cells are compared by column
    /// name, whatever their order in the file.
    pub(super) fn commencer(&mut self, lecteur: &Lecteur) {
        self.ordre = lecteur
            .entetes
            .iter()
            .enumerate()
            .filter(|(i, nom)| !nom.is_empty() && !lecteur.ignorees[*i])
            .map(|(i, nom)| (nom.clone(), i))
            .collect();
        self.ordre.sort();
        self.courant.clear();
        self.communes = vec![Communes::default(); self.lus.len()];
    }

    /// A share of the current file's rows, for one reader: compared with
    /// the earlier files, then handed back by [`Recoupement::joindre`].
    pub(super) fn part(&self) -> Part<'_> {
        Part {
            recoupement: self,
            courant: Vec::new(),
            communes: vec![Communes::default(); self.lus.len()],
        }
    }

    /// Takes back the shares of the current file's rows, whatever their order.
    pub(super) fn joindre(&mut self, parts: impl IntoIterator<Item = PartLue>) {
        for PartLue { courant, communes } in parts {
            self.courant.extend(courant);
            for (c, d) in self.communes.iter_mut().zip(communes) {
                if d.nombre > 0 && (c.nombre == 0 || d.premiere.1 < c.premiere.1) {
                    c.premiere = d.premiere;
                }
                c.nombre += d.nombre;
            }
        }
    }

    /// Ends the file shown as `affiche`.
    pub(super) fn finir(&mut self, affiche: PathBuf) {
        let k = self.lus.len();
        for (j, c) in std::mem::take(&mut self.communes).into_iter().enumerate() {
            if c.nombre > 0 {
                self.paires.push((j, k, c));
            }
        }
        let mut lignes = std::mem::take(&mut self.courant);
        lignes.sort_unstable();
        self.lus.push((affiche, lignes));
    }

    /// The rows of the file read last, as `finir` kept them: for its entry in the cache.
    pub(super) fn dernier(&self) -> Option<&[(u64, u32)]> {
        self.lus.last().map(|(_, lignes)| lignes.as_slice())
    }

    /// Takes back the file shown as `affiche`, read by an earlier command:
    /// its rows as `finir` kept them (sorted), compared with the files read
    /// before as `lire` compares them.
    pub(super) fn reprendre(&mut self, affiche: PathBuf, lignes: Vec<(u64, u32)>) {
        let k = self.lus.len();
        for (j, (_, avant)) in self.lus.iter().enumerate() {
            let mut c = Communes::default();
            let (mut a, mut b) = (0, 0);
            while a < lignes.len() && b < avant.len() {
                let h = lignes[a].0;
                if h < avant[b].0 {
                    a += 1;
                } else if h > avant[b].0 {
                    b += 1;
                } else {
                    // The rows of this hash: the first of each file is its earliest line.
                    let fin = a + lignes[a..].partition_point(|l| l.0 == h);
                    if c.nombre == 0 || lignes[a].1 < c.premiere.1 {
                        c.premiere = (avant[b].1, lignes[a].1);
                    }
                    c.nombre += fin - a;
                    a = fin;
                }
            }
            if c.nombre > 0 {
                self.paires.push((j, k, c));
            }
        }
        self.lus.push((affiche, lignes));
    }

    /// The rows in common between the files shown as `a` and `b`, if any.
    fn entre(&self, a: &Path, b: &Path) -> Option<Communes> {
        let index = |f: &Path| self.lus.iter().position(|(n, _)| n == f);
        let (i, j) = (index(a)?, index(b)?);
        self.paires
            .iter()
            .find(|(x, y, _)| (*x, *y) == (i.min(j), i.max(j)))
            .map(|p| p.2)
    }
}

/// What the overlap check knows of one file of a source.
pub(super) struct Couverture {
    /// The file, as shown.
    pub affiche: PathBuf,
    /// The period its name gives.
    pub periode: Option<Periode>,
    /// The years of its rows by the source's own date; `None` when the file
    /// could not be typed (its errors are told).
    pub annees: Option<BTreeSet<i32>>,
}

/// The years of the rows of a typed table of `source`, by its own date.
///
/// One pass over the values marking each day (or year) seen between the
/// column's least and greatest, then one year per marked span: no sort, no
/// hash, no allocation beyond one byte per day of the span (a few thousand).
pub(super) fn annees(source: Source, table: &DataFrame) -> Option<BTreeSet<i32>> {
    let (colonne, date) = match source {
        Source::Activites => ("date", true),
        Source::Suivis => ("ouverture", true),
        Source::Indicateurs => ("annee", false),
    };
    let valeurs = table
        .column(colonne)
        .ok()?
        .as_materialized_series()
        .i32()
        .ok()?;
    let annee = |v: i32| -> Option<i32> {
        if date {
            time::Date::from_julian_day(v).ok().map(|d| d.year())
        } else {
            Some(v)
        }
    };
    let (Some(min), Some(max)) = (valeurs.min(), valeurs.max()) else {
        return Some(BTreeSet::new());
    };
    let etendue = (i64::from(max) - i64::from(min)) as usize + 1;
    let pour_chaque = |f: &mut dyn FnMut(i32)| {
        for a in valeurs.downcast_iter() {
            match a.validity().filter(|v| v.unset_bits() > 0) {
                None => a.values().iter().for_each(|&v| f(v)),
                Some(_) => a.iter().flatten().for_each(|&v| f(v)),
            }
        }
    };
    if etendue > 1 << 22 {
        // Days millennia apart (cannot come from a checked export): each value.
        let mut annees = BTreeSet::new();
        pour_chaque(&mut |v| annees.extend(annee(v)));
        return Some(annees);
    }
    let mut vus = vec![false; etendue];
    pour_chaque(&mut |v| vus[(v - min) as usize] = true);
    Some(
        vus.iter()
            .enumerate()
            .filter(|(_, vu)| **vu)
            .filter_map(|(i, _)| annee(min + i as i32))
            .collect(),
    )
}

/// An error for each pair of files of `source` that overlap.
pub(super) fn verifier(
    source: Source,
    fichiers: &[Couverture],
    recoupement: &Recoupement,
    constats: &mut Constats,
) {
    for (i, a) in fichiers.iter().enumerate() {
        for b in &fichiers[i + 1..] {
            let communes = recoupement.entre(&a.affiche, &b.affiche);
            let periodes_distinctes =
                matches!((a.periode, b.periode), (Some(p), Some(q)) if p.disjointe(&q));
            let annees: Vec<i32> = match (&a.annees, &b.annees) {
                (Some(x), Some(y)) if !periodes_distinctes => x.intersection(y).copied().collect(),
                _ => Vec::new(),
            };
            if annees.is_empty() && communes.is_none() {
                continue;
            }
            let (na, nb) = (a.affiche.display(), b.affiche.display());
            let mut message = if annees.is_empty() {
                format!("{na} et {nb} ont des lignes identiques")
            } else {
                let liste: Vec<String> = annees.iter().map(i32::to_string).collect();
                let quoi = match source {
                    Source::Activites => "des actions datées de",
                    Source::Suivis => "des suivis ouverts en",
                    Source::Indicateurs => "des valeurs pour",
                };
                format!(
                    "{na} et {nb} ont tous deux {quoi} {}",
                    crate::fr::liste(&liste)
                )
            };
            let mut probleme = Probleme::new(&b.affiche, String::new());
            if let Some(c) = communes {
                let lignes = if c.nombre > 1 {
                    format!(
                        "{} lignes identiques",
                        crate::fr::nombre(c.nombre as f64, 0)
                    )
                } else {
                    "une ligne identique".to_string()
                };
                let suite = if annees.is_empty() { " :" } else { " ;" };
                message.push_str(&format!(
                    "{suite} {lignes}, la première à la ligne {} de {na} et à la ligne {} de {nb}",
                    c.premiere.0, c.premiere.1
                ));
                probleme = probleme.ligne(c.premiere.1 as usize);
            }
            message.push_str(" : leurs lignes seraient comptées deux fois");
            probleme.message = message;
            let annee = annees.first().map_or("2013".to_string(), i32::to_string);
            constats.erreur(
                probleme
                    .attendu(format!(
                        "chaque ligne {} dans un seul fichier : un fichier par période, sans période commune",
                        source.du_fichier()
                    ))
                    .correction(format!(
                        "si l'un des deux est une copie ou un export plus ancien, supprimez-le ou déplacez-le hors de donnees/ ; sinon retirez de l'un des deux les lignes qu'il partage avec l'autre (par exemple celles de {annee})"
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u8, j: u8) -> i32 {
        time::Date::from_calendar_date(a, time::Month::try_from(m).unwrap(), j)
            .unwrap()
            .to_julian_day()
    }

    #[test]
    fn the_years_of_a_table_are_those_of_its_dates_and_only_those() {
        // Unsorted, with empty cells, a year skipped (2011), the first and
        // last days of a year.
        let dates = [
            Some(jour(2013, 12, 31)),
            None,
            Some(jour(2010, 1, 1)),
            Some(jour(2013, 1, 1)),
            Some(jour(2012, 6, 15)),
            None,
            Some(jour(2010, 12, 31)),
        ];
        let table = DataFrame::new(dates.len(), vec![Column::new("date".into(), dates)]).unwrap();
        assert_eq!(
            annees(Source::Activites, &table),
            Some(BTreeSet::from([2010, 2012, 2013]))
        );
        let ouvertures = DataFrame::new(
            2,
            vec![Column::new("ouverture".into(), [None::<i32>, None])],
        )
        .unwrap();
        assert_eq!(annees(Source::Suivis, &ouvertures), Some(BTreeSet::new()));
        let indicateurs = DataFrame::new(
            4,
            vec![Column::new("annee".into(), [2013, 2012, 2013, 1999])],
        )
        .unwrap();
        assert_eq!(
            annees(Source::Indicateurs, &indicateurs),
            Some(BTreeSet::from([1999, 2012, 2013]))
        );
    }

    #[test]
    fn dates_millennia_apart_still_give_their_years() {
        let table = DataFrame::new(
            3,
            vec![Column::new(
                "date".into(),
                [jour(-9000, 3, 1), jour(9000, 3, 1), jour(2013, 3, 1)],
            )],
        )
        .unwrap();
        assert_eq!(
            annees(Source::Activites, &table),
            Some(BTreeSet::from([-9000, 2013, 9000]))
        );
    }
}
