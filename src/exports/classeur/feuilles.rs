//! The sheets of a workbook read into rows of cells, each cell by its type.

use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, DataRef, Reader};

use super::limites::verifier_feuilles;
use super::{CELLULES_MAX, Format};
use crate::error::Probleme;
use crate::exports::Source;
use crate::fr::{nombre as nombre_fr, normalise};

/// A cell as read, by its type.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Valeur {
    /// Its value, in the text form the CSV rules read.
    Texte(String),
    /// A cell holding a spreadsheet error (`#DIV/0!`, `#N/A`).
    Erreur(String),
    /// A formula whose value was never computed (no value in cache).
    NonCalculee,
}

/// A row of a sheet: its number (from 1) and its non-empty cells (column from 0).
#[derive(Debug)]
pub(super) struct Rangee {
    pub(super) numero: u32,
    pub(super) cellules: Vec<(u32, Valeur)>,
}

/// A sheet as read: its name and its non-empty rows, in order.
pub(super) struct Feuille {
    pub(super) nom: String,
    pub(super) rangees: Vec<Rangee>,
}

/// The sheets of the workbook, each as its non-empty rows; for a journal,
/// only the sheet named after `seule`. `recalcul`: the workbook asks to
/// compute its formulas again when opened, so their cached values are not
/// results (what programs writing `.xlsx` files do).
pub(super) fn lire_feuilles(
    chemin: &Path,
    affiche: &Path,
    (format, recalcul): (Format, bool),
    seule: Option<Source>,
) -> Result<Vec<Feuille>, Box<Probleme>> {
    let illisible = |e: String| {
        Box::new(
            Probleme::new(affiche, format!("le classeur ne peut pas être lu ({e})"))
                .attendu(format!("un classeur {} valide", format.nom()))
                .correction("ouvrez-le dans le tableur et enregistrez-le de nouveau (ou enregistrez la feuille en « CSV UTF-8 »)"),
        )
    };
    let garder = |nom: &str| seule.is_none_or(|s| normalise(nom) == s.nom());
    let mut compte = Compte::default();
    let mut feuilles = Vec::new();
    match format {
        Format::Xlsx => {
            let mut classeur: calamine::Xlsx<BufReader<std::fs::File>> =
                calamine::open_workbook(chemin)
                    .map_err(|e: calamine::XlsxError| illisible(e.to_string()))?;
            verifier_feuilles(classeur.sheet_names().len(), affiche)?;
            for nom in classeur.sheet_names() {
                if !garder(&nom) {
                    continue;
                }
                let mut lecteur = match classeur.worksheet_cells_reader(&nom) {
                    Ok(l) => l,
                    // A chart sheet holds no cells.
                    Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                    Err(e) => return Err(illisible(e.to_string())),
                };
                let mut cellules = Vec::new();
                while let Some(c) = lecteur
                    .next_cell_with_formula_metadata()
                    .map_err(|e| illisible(e.to_string()))?
                {
                    let formule = c.formula.is_some();
                    let v = if formule && recalcul {
                        Some(Valeur::NonCalculee)
                    } else {
                        valeur_ref(&c.value, formule, false)
                    };
                    let Some(v) = v else {
                        continue;
                    };
                    compte.ajouter(1, affiche, &nom)?;
                    cellules.push((c.pos, v));
                }
                feuilles.push(en_rangees(nom, cellules));
            }
        }
        Format::Ods => {
            let classeur: calamine::Ods<BufReader<std::fs::File>> = calamine::open_workbook(chemin)
                .map_err(|e: calamine::OdsError| illisible(e.to_string()))?;
            feuilles = lire_plages(classeur, &garder, affiche, &mut compte, true, &illisible)?;
        }
        Format::Xls => {
            let classeur: calamine::Xls<BufReader<std::fs::File>> = calamine::open_workbook(chemin)
                .map_err(|e: calamine::XlsError| illisible(e.to_string()))?;
            feuilles = lire_plages(classeur, &garder, affiche, &mut compte, false, &illisible)?;
        }
    }
    Ok(feuilles)
}

/// The cells counted against [`CELLULES_MAX`].
#[derive(Default)]
struct Compte(u64);

impl Compte {
    fn ajouter(&mut self, n: u64, affiche: &Path, feuille: &str) -> Result<(), Box<Probleme>> {
        self.0 += n;
        if self.0 > CELLULES_MAX {
            return Err(Box::new(
                Probleme::new(
                    affiche,
                    format!(
                        "le classeur a plus de {} cellules",
                        nombre_fr(CELLULES_MAX as f64, 0)
                    ),
                )
                .feuille(feuille)
                .attendu(format!(
                    "un classeur d'au plus {} cellules remplies",
                    nombre_fr(CELLULES_MAX as f64, 0)
                ))
                .correction("découpez l'export par année (activites-2012.xlsx, activites-2013.xlsx…), ou enregistrez-le en « CSV UTF-8 »"),
            ));
        }
        Ok(())
    }
}

/// The sheets of an `.ods` or `.xls` workbook (read whole by calamine).
fn lire_plages<RS: Read + Seek, R: Reader<RS>>(
    mut classeur: R,
    garder: &dyn Fn(&str) -> bool,
    affiche: &Path,
    compte: &mut Compte,
    formules: bool,
    illisible: &dyn Fn(String) -> Box<Probleme>,
) -> Result<Vec<Feuille>, Box<Probleme>>
where
    R::Error: std::fmt::Display,
{
    let noms = classeur.sheet_names();
    verifier_feuilles(noms.len(), affiche)?;
    let mut feuilles = Vec::new();
    for nom in noms {
        if !garder(&nom) {
            continue;
        }
        let plage = classeur
            .worksheet_range(&nom)
            .map_err(|e| illisible(e.to_string()))?;
        let formules = if formules {
            classeur.worksheet_formula(&nom).ok()
        } else {
            None
        };
        let (r0, c0) = plage.start().unwrap_or((0, 0));
        let mut cellules = Vec::new();
        for (r, c, d) in plage.cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            let formule = formules
                .as_ref()
                .and_then(|f| f.get_value(pos))
                .is_some_and(|f| !f.is_empty());
            let Some(v) = valeur(d, formule) else {
                continue;
            };
            compte.ajouter(1, affiche, &nom)?;
            cellules.push((pos, v));
        }
        feuilles.push(en_rangees(nom, cellules));
    }
    Ok(feuilles)
}

/// The cells of a sheet, grouped by row in order.
fn en_rangees(nom: String, mut cellules: Vec<((u32, u32), Valeur)>) -> Feuille {
    cellules.sort_by_key(|(p, _)| *p);
    let mut rangees: Vec<Rangee> = Vec::new();
    for ((r, c), v) in cellules {
        match rangees.last_mut() {
            Some(derniere) if derniere.numero == r + 1 => derniere.cellules.push((c, v)),
            _ => rangees.push(Rangee {
                numero: r + 1,
                cellules: vec![(c, v)],
            }),
        }
    }
    Feuille { nom, rangees }
}

/// A cell of an `.ods` or `.xls` sheet by its type; `None` when empty.
fn valeur(d: &Data, formule: bool) -> Option<Valeur> {
    let r = match d {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s.as_str()),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(t) => DataRef::DateTime(*t),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    };
    valeur_ref(&r, formule, true)
}

/// A cell by its type: a date gives `AAAA-MM-JJ`, a number its digits
/// (an integer without decimals), a text itself; `None` when empty. A
/// formula without value in cache is [`Valeur::NonCalculee`]; an error
/// value (`ods`: the error text LibreOffice stores) is [`Valeur::Erreur`].
fn valeur_ref(d: &DataRef, formule: bool, ods: bool) -> Option<Valeur> {
    let texte = |s: &str| -> Option<Valeur> {
        if s.is_empty() {
            return formule.then_some(Valeur::NonCalculee);
        }
        if formule && ods && erreur_ods(s) {
            return Some(Valeur::Erreur(s.to_string()));
        }
        Some(Valeur::Texte(s.to_string()))
    };
    match d {
        DataRef::Empty => formule.then_some(Valeur::NonCalculee),
        DataRef::String(s) => texte(s),
        DataRef::SharedString(s) => texte(s),
        DataRef::Int(i) => Some(Valeur::Texte(i.to_string())),
        DataRef::Float(f) => Some(Valeur::Texte(nombre(*f))),
        DataRef::Bool(b) => Some(Valeur::Texte(if *b { "VRAI" } else { "FAUX" }.into())),
        DataRef::DateTime(t) if t.is_datetime() => {
            let (a, m, j, ..) = t.to_ymd_hms_milli();
            Some(Valeur::Texte(format!("{a:04}-{m:02}-{j:02}")))
        }
        DataRef::DateTime(t) => Some(Valeur::Texte(nombre(t.as_f64()))),
        DataRef::DateTimeIso(s) => {
            // `2013-01-07` or `2013-01-07T10:30:00`: the date.
            let jour = s
                .get(..10)
                .filter(|d| crate::exports::valeurs::date(d, false).is_ok());
            Some(Valeur::Texte(jour.unwrap_or(s).to_string()))
        }
        DataRef::DurationIso(s) => Some(Valeur::Texte(s.clone())),
        DataRef::Error(e) => Some(Valeur::Erreur(e.to_string())),
    }
}

/// Whether a text is the error LibreOffice stores for a formula (`#DIV/0!`, `Err:502`).
fn erreur_ods(s: &str) -> bool {
    matches!(
        s,
        "#DIV/0!"
            | "#N/A"
            | "#NAME?"
            | "#NOM?"
            | "#NULL!"
            | "#NUM!"
            | "#REF!"
            | "#VALUE!"
            | "#VALEUR!"
    ) || s
        .strip_prefix("Err:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A number as the CSV rules read it: an integer without decimals, else its shortest digits.
fn nombre(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_csv_rules_read_them() {
        assert_eq!(nombre(63.0), "63");
        assert_eq!(nombre(46.5), "46.5");
        assert_eq!(nombre(-3.0), "-3");
        assert_eq!(
            crate::exports::valeurs::nombre(&nombre(1234.56)),
            Some(1234.56)
        );
    }
}
