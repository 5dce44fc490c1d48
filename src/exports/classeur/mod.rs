//! Reading a workbook export (`.xlsx`, `.ods`, `.xls`) into the records a
//! CSV gives: every cell read by its type (a date cell gives its date, a
//! number its number, a formula its cached value) and written in the text
//! form the CSV rules already read (`AAAA-MM-JJ`, `1234.5`), so the typing,
//! its checks, its messages and the personal data guard are the same.
//!
//! A workbook is one export: its sheets (one per month, say) are stacked,
//! each with the same header; empty sheets and a sheet of instructions
//! (« Mode d'emploi », « Notice »…) are skipped. A journal (`journal.xlsx`,
//! `journal-2025.ods`) holds one sheet per source, named after it: only that
//! sheet is read for the source. Positions are the sheet and the cell
//! (`feuille « Janvier », cellule B12`), never a line of the whole file.
//!
//! Limits, checked before the workbook is opened: the zip's central
//! directory ([`DECOMPRESSE_MAX`], [`TAUX_MAX`]), the sheets
//! ([`FEUILLES_MAX`]), the cells ([`CELLULES_MAX`], and for `.ods` the
//! repeated rows and columns counted before they are expanded), and
//! [`CELLULE_MAX`] characters a cell, as for a CSV.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::Reader;

mod feuilles;
mod limites;
mod positions;

use feuilles::{Feuille, Rangee, Valeur, lire_feuilles};
pub(super) use limites::signature;
use limites::verifier_limites;
pub use positions::Positions;
use positions::{Situation, cellule};

use super::lecture::{CELLULE_MAX, Rapporteur};
use super::{ReglagesSource, Source};
use crate::error::{Constats, Probleme};
use crate::fr::{nombre as nombre_fr, normalise};

/// The most a workbook may hold once decompressed (all its parts together), in bytes.
pub const DECOMPRESSE_MAX: u64 = 512 * 1024 * 1024;
/// The highest compression ratio of a part over 1 Mio: beyond, a zip bomb.
pub const TAUX_MAX: u64 = 200;
/// The most sheets a workbook may have.
pub const FEUILLES_MAX: usize = 100;
/// The most cells (non-empty ones; for `.ods`, rows × columns of each sheet) a workbook may hold.
pub const CELLULES_MAX: u64 = 5_000_000;
/// The most parts a workbook's zip may hold.
const PARTIES_MAX: usize = 10_000;

/// Names of sheets that explain the workbook rather than hold rows (normalised).
const FEUILLES_IGNOREES: [&str; 7] = [
    "mode_d'emploi",
    "mode_demploi",
    "notice",
    "instructions",
    "lisez-moi",
    "lisez_moi",
    "lisezmoi",
];

/// The workbook formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Xlsx,
    Ods,
    Xls,
}

impl Format {
    /// The format `chemin`'s extension names, if a workbook's.
    pub(super) fn de(chemin: &Path) -> Option<Format> {
        let ext = chemin.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            "xls" => Some(Format::Xls),
            _ => None,
        }
    }

    fn nom(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Xls => "xls",
        }
    }
}

/// Whether `chemin` names a journal: `journal.xlsx`, `journal-2025.ods`, `journal_2025.xlsx`.
pub(super) fn est_journal(chemin: &Path) -> bool {
    let Some(radical) = chemin.file_stem().and_then(|n| n.to_str()).map(normalise) else {
        return false;
    };
    Format::de(chemin).is_some()
        && match radical.strip_prefix("journal") {
            Some("") => true,
            Some(reste) => reste.starts_with(['-', '_']),
            None => false,
        }
}

/// The files of `source` that can give it: a journal without a sheet named
/// after the source is set apart (second list), to be named if the source is
/// missing. A journal that cannot be opened is kept for the first source
/// only, so its error is told once.
pub(super) fn journaux_de(
    exports: Vec<super::fichiers::Export>,
    source: Source,
) -> (Vec<super::fichiers::Export>, Vec<PathBuf>) {
    let (mut gardes, mut sans) = (Vec::new(), Vec::new());
    for export in exports {
        if !export.journal {
            gardes.push(export);
            continue;
        }
        match noms_de_feuilles(&export.chemin) {
            Some(noms) if noms.iter().any(|n| normalise(n) == source.nom()) => gardes.push(export),
            Some(_) => sans.push(export.chemin),
            None if source == Source::TOUTES[0] => gardes.push(export),
            None => {}
        }
    }
    (gardes, sans)
}

/// The names of the sheets of a workbook within the limits, if it can be opened.
fn noms_de_feuilles(chemin: &Path) -> Option<Vec<String>> {
    let format = Format::de(chemin)?;
    verifier_limites(chemin, Path::new(""), format).ok()?;
    Some(match format {
        Format::Xlsx => calamine::open_workbook::<calamine::Xlsx<_>, _>(chemin)
            .ok()?
            .sheet_names(),
        Format::Ods => calamine::open_workbook::<calamine::Ods<_>, _>(chemin)
            .ok()?
            .sheet_names(),
        Format::Xls => calamine::open_workbook::<calamine::Xls<_>, _>(chemin)
            .ok()?
            .sheet_names(),
    })
}

/// A sheet whose header was found: where it is, and the rows below it.
struct FeuilleLue {
    nom: String,
    /// The row of its header (from 1).
    ligne_entete: u32,
    /// The column of its first header cell (from 0).
    premiere_colonne: u32,
    entetes_bruts: Vec<String>,
    donnees: Vec<Rangee>,
}

/// The rows of a workbook being handed out as records.
pub(super) struct Lignes {
    feuilles: Vec<FeuilleLue>,
    /// The sheet and the row of it to give next.
    k: usize,
    i: usize,
    pub(super) positions: Arc<Positions>,
    trop_longues: usize,
    total: usize,
    donnees: usize,
    taille: u64,
}

impl Lignes {
    /// Bytes of the file read so far, as the share of rows given out.
    pub(super) fn octets_lus(&self) -> u64 {
        if self.total == 0 {
            return self.taille;
        }
        (self.taille as f64 * self.donnees as f64 / self.total as f64) as u64
    }

    /// Reads the next row into `enregistrement` (its cells trimmed, `cellules`
    /// their ranges) and gives its line number; `None` at the end. A cell
    /// holding an error, a formula without value or an over-long text is
    /// reported and emptied; a row with values beyond the header's columns
    /// is reported and skipped. Ignored columns are never looked at.
    pub(super) fn suivant(
        &mut self,
        enregistrement: &mut csv::StringRecord,
        cellules: &mut Vec<Range<usize>>,
        (affiche, ignorees): (&Path, &[bool]),
        constats: &mut dyn Rapporteur,
    ) -> Option<usize> {
        let largeur = ignorees.len();
        loop {
            let Some(feuille) = self.feuilles.get(self.k) else {
                if self.trop_longues > 3 {
                    constats.erreur(Probleme::new(
                        affiche,
                        format!(
                            "{} autres cellules dépassent {} caractères",
                            self.trop_longues - 3,
                            nombre_fr(CELLULE_MAX as f64, 0)
                        ),
                    ));
                }
                return None;
            };
            let Some(rangee) = feuille.donnees.get(self.i) else {
                self.k += 1;
                self.i = 0;
                continue;
            };
            self.i += 1;
            self.donnees += 1;
            let situation = &self.positions.feuilles[self.k];
            let ligne = situation.debut + (rangee.numero - feuille.ligne_entete - 1) as usize;
            let probleme = |colonne: u32, message: String| {
                Probleme::new(affiche, message)
                    .feuille(&feuille.nom)
                    .ligne(rangee.numero as usize)
                    .cellule(cellule(colonne, rangee.numero))
            };
            let mut textes: Vec<&str> = vec![""; largeur];
            let mut hors_entete = false;
            for (colonne, valeur) in &rangee.cellules {
                let j = colonne
                    .checked_sub(feuille.premiere_colonne)
                    .map(|j| j as usize);
                let Some(j) = j.filter(|j| *j < largeur) else {
                    hors_entete = true;
                    constats.erreur(
                        probleme(*colonne, "la cellule a une valeur hors des colonnes de l'en-tête".into())
                            .attendu(format!(
                                "des valeurs seulement sous les {largeur} colonnes de l'en-tête (colonnes {} à {})",
                                cellule(feuille.premiere_colonne, feuille.ligne_entete).trim_end_matches(char::is_numeric),
                                cellule(feuille.premiere_colonne + largeur as u32 - 1, feuille.ligne_entete).trim_end_matches(char::is_numeric),
                            ))
                            .correction("déplacez cette valeur sous la bonne colonne, ou donnez un nom à sa colonne dans la ligne d'en-tête"),
                    );
                    continue;
                };
                if ignorees[j] {
                    continue;
                }
                let entete = &feuille.entetes_bruts[j];
                match valeur {
                    Valeur::Texte(t) => {
                        let t = t.trim();
                        let n = if t.len() > CELLULE_MAX { t.chars().count() } else { 0 };
                        if n > CELLULE_MAX {
                            self.trop_longues += 1;
                            if self.trop_longues <= 3 {
                                constats.erreur(
                                    probleme(*colonne, format!("la cellule fait {} caractères", nombre_fr(n as f64, 0)))
                                        .colonne(entete)
                                        .attendu(format!("au plus {} caractères par cellule", nombre_fr(CELLULE_MAX as f64, 0)))
                                        .correction("raccourcissez cette cellule, ou ignorez la colonne dans le modèle si elle ne sert pas au rapport"),
                                );
                            }
                        } else {
                            textes[j] = t;
                        }
                    }
                    Valeur::Erreur(e) => constats.erreur(
                        probleme(*colonne, format!("la cellule contient l'erreur de calcul {e}"))
                            .colonne(entete)
                            .attendu("une valeur (ou une formule dont le résultat est une valeur)")
                            .correction("corrigez la formule de cette cellule dans le tableur, ou remplacez-la par sa valeur"),
                    ),
                    Valeur::NonCalculee => constats.erreur(
                        probleme(*colonne, "la formule de cette cellule n'a pas de valeur calculée dans le fichier".into())
                            .colonne(entete)
                            .attendu("une valeur, ou une formule calculée par le tableur")
                            .correction("ouvrez le classeur dans le tableur et enregistrez-le (les formules sont alors calculées), ou remplacez la formule par sa valeur"),
                    ),
                }
            }
            if hors_entete || textes.iter().all(|t| t.is_empty()) {
                continue;
            }
            enregistrement.clear();
            cellules.clear();
            let mut debut = 0;
            for t in textes {
                enregistrement.push_field(t);
                cellules.push(debut..debut + t.len());
                debut += t.len();
            }
            return Some(ligne);
        }
    }
}

/// What opening a workbook gives: its header as written, the rows, where they are.
pub(super) struct Ouvert {
    pub(super) entetes_bruts: Vec<String>,
    pub(super) lignes: Lignes,
}

/// Opens the workbook `chemin` (shown as `affiche`) as an export of `source`:
/// limits, sheets, headers. Every problem goes to `constats`, located at its
/// sheet and cell; `None` when it cannot be read.
pub(super) fn ouvrir(
    chemin: &Path,
    affiche: &Path,
    format: Format,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<Ouvert> {
    let recalcul = match verifier_limites(chemin, affiche, format) {
        Ok(r) => r,
        Err(p) => {
            constats.erreur(*p);
            return None;
        }
    };
    let journal = est_journal(chemin);
    let feuilles = match lire_feuilles(
        chemin,
        affiche,
        (format, recalcul),
        journal.then_some(source),
    ) {
        Ok(f) => f,
        Err(p) => {
            constats.erreur(*p);
            return None;
        }
    };
    let mut lues: Vec<FeuilleLue> = Vec::new();
    for feuille in feuilles {
        if feuille.rangees.is_empty() {
            continue;
        }
        if !journal && FEUILLES_IGNOREES.contains(&normalise(&feuille.nom).as_str()) {
            continue;
        }
        lues.push(trouver_entete(feuille, affiche, source, reglages, constats));
    }
    let Some(premiere) = lues.first() else {
        let attendu = if journal {
            format!(
                "une feuille « {} » dont la première ligne donne les noms des colonnes, par exemple : {}",
                source.nom(),
                source.entetes_exemple()
            )
        } else {
            format!(
                "une feuille dont la première ligne donne les noms des colonnes, par exemple : {}",
                source.entetes_exemple()
            )
        };
        let mut p = Probleme::new(affiche, "le classeur n'a aucune feuille avec des données")
            .attendu(attendu)
            .correction("remplissez la feuille de l'export, avec sa ligne d'en-tête");
        if journal {
            p = p.feuille(source.nom());
        }
        constats.erreur(p);
        return None;
    };
    if !memes_entetes(&lues, affiche, source, reglages, constats) {
        return None;
    }
    let mut feuilles = Vec::new();
    let mut debut = 2;
    let mut total = 0;
    for f in &lues {
        feuilles.push(Situation {
            nom: f.nom.clone(),
            debut,
            ligne_entete: f.ligne_entete,
            premiere_colonne: f.premiere_colonne,
        });
        let derniere = f.donnees.last().map_or(f.ligne_entete, |r| r.numero);
        debut += (derniere - f.ligne_entete) as usize;
        total += f.donnees.len();
    }
    let entetes_bruts = premiere.entetes_bruts.clone();
    let positions = Arc::new(Positions {
        entetes_bruts: entetes_bruts.clone(),
        feuilles,
    });
    let taille = std::fs::metadata(chemin).map_or(0, |m| m.len());
    Some(Ouvert {
        entetes_bruts,
        lignes: Lignes {
            feuilles: lues,
            k: 0,
            i: 0,
            positions,
            trop_longues: 0,
            total,
            donnees: 0,
            taille,
        },
    })
}

/// Whether every sheet of `lues` has the header of the first one; an
/// error for each that has not, naming the first difference.
fn memes_entetes(
    lues: &[FeuilleLue],
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> bool {
    let premiere = &lues[0];
    let noms = |f: &FeuilleLue| -> Vec<String> {
        f.entetes_bruts
            .iter()
            .map(|e| super::lecture::nom_de_colonne(source, e, reglages))
            .collect()
    };
    let attendus = noms(premiere);
    let mut differentes = false;
    for f in &lues[1..] {
        let ceux_ci = noms(f);
        if ceux_ci == attendus {
            continue;
        }
        differentes = true;
        let ecart = match (0..attendus.len().max(ceux_ci.len()))
            .find(|&j| attendus.get(j) != ceux_ci.get(j))
        {
            Some(j) => {
                let lettre = cellule(f.premiere_colonne + j as u32, f.ligne_entete);
                match (premiere.entetes_bruts.get(j), f.entetes_bruts.get(j)) {
                    (Some(a), Some(b)) => {
                        format!("la cellule {lettre} dit « {b} » au lieu de « {a} »")
                    }
                    (Some(a), None) => format!("la colonne « {a} » manque (cellule {lettre})"),
                    (None, Some(b)) => format!("la colonne « {b} » (cellule {lettre}) est en trop"),
                    (None, None) => String::new(),
                }
            }
            None => String::new(),
        };
        constats.erreur(
            Probleme::new(
                affiche,
                format!(
                    "l'en-tête de cette feuille n'est pas celui de la feuille « {} » : {ecart}",
                    premiere.nom
                ),
            )
            .feuille(&f.nom)
            .ligne(f.ligne_entete as usize)
            .attendu(format!(
                "dans chaque feuille, les mêmes colonnes, dans le même ordre : {}",
                premiere.entetes_bruts.join(", ")
            ))
            .correction(format!(
                "copiez la ligne d'en-tête de la feuille « {} » dans celle-ci et remettez ses colonnes dans cet ordre, ou déplacez cette feuille dans un autre classeur si elle n'est pas un mois de l'export",
                premiere.nom
            )),
        );
    }
    !differentes
}

/// The header of a sheet: the first of its top rows whose cells give the
/// contract's required columns (a title above it is skipped, with a
/// warning), else its first row.
fn trouver_entete(
    feuille: Feuille,
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> FeuilleLue {
    fn textes(r: &Rangee) -> impl Iterator<Item = &str> {
        r.cellules.iter().map(|(_, v)| match v {
            Valeur::Texte(t) => t.as_str(),
            _ => "",
        })
    }
    let k = feuille
        .rangees
        .iter()
        .take(super::lecture::LIGNES_AVANT_ENTETE)
        .position(|r| super::lecture::est_un_entete(source, textes(r), reglages))
        .unwrap_or(0);
    let Feuille { nom, mut rangees } = feuille;
    let mut donnees = rangees.split_off(k + 1);
    let entete = rangees.pop().expect("la feuille a au moins une ligne");
    if k > 0 {
        let sautees = rangees
            .iter()
            .map(|r| r.numero.to_string())
            .collect::<Vec<_>>();
        constats.avertissement(
            Probleme::new(
                affiche,
                format!(
                    "l'en-tête est en ligne {} ; {} au-dessus ({}) {} sautée{}",
                    entete.numero,
                    if k > 1 { "les lignes" } else { "la ligne" },
                    sautees.join(", "),
                    if k > 1 { "sont" } else { "est" },
                    if k > 1 { "s" } else { "" }
                ),
            )
            .feuille(&nom)
            .ligne(entete.numero as usize)
            .correction("rien à faire si c'est un titre ; sinon supprimez ces lignes pour que l'en-tête soit en ligne 1"),
        );
    }
    let premiere_colonne = entete.cellules.first().map_or(0, |c| c.0);
    let derniere = entete.cellules.last().map_or(0, |c| c.0);
    let mut entetes_bruts = vec![String::new(); (derniere - premiere_colonne + 1) as usize];
    for (c, v) in &entete.cellules {
        if let Valeur::Texte(t) = v {
            entetes_bruts[(c - premiere_colonne) as usize] = t.trim().to_string();
        }
    }
    // Rows are read in order; a sheet may list them otherwise.
    donnees.sort_by_key(|r| r.numero);
    FeuilleLue {
        nom,
        ligne_entete: entete.numero,
        premiere_colonne,
        entetes_bruts,
        donnees,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journals_are_named_journal_or_journal_and_a_year() {
        for n in [
            "journal.xlsx",
            "Journal-2025.ods",
            "journal_2025.xlsx",
            "JOURNAL.XLSX",
        ] {
            assert!(est_journal(Path::new(n)), "{n}");
        }
        for n in [
            "journal.csv",
            "journaux.xlsx",
            "activites.xlsx",
            "mon journal.xlsx",
        ] {
            assert!(!est_journal(Path::new(n)), "{n}");
        }
    }
}
