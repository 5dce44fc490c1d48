//! CSV for French Excel: `;`-separated, UTF-8 with a byte-order mark,
//! decimal comma, text cells that a spreadsheet would take for a formula
//! kept as text.

use crate::error::{Erreur, Resultat};
use crate::figures::Valeur;
use crate::figures::tableaux::{LigneCalculee, TableauCalcule};
use crate::fr;

/// The columns of a table's CSV file.
pub const COLONNES_CSV: [&str; 8] = [
    "indicateur",
    "ligne",
    "colonne",
    "annee",
    "valeur",
    "numerateur",
    "denominateur",
    "note",
];

/// A CSV writer for French Excel: `;`-separated, UTF-8 with a byte-order
/// mark (without it, Excel reads UTF-8 as Windows-1252). Numbers are
/// written with a decimal comma by the callers (`fr::decimal`).
pub fn csv_francais() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec())
}

/// A computed table as CSV: one row per cell, `;`-separated, decimal comma,
/// UTF-8 with a byte-order mark so that French Excel opens it right.
pub fn csv_tableau(t: &TableauCalcule) -> Resultat<Vec<u8>> {
    let mut w = csv_francais();
    let interne = |e: csv::Error| Erreur::Interne(e.to_string());
    w.write_record(COLONNES_CSV).map_err(interne)?;
    let nombre = fr::decimal;
    for ligne in &t.lignes {
        let LigneCalculee::Valeurs {
            indicateur,
            libelle,
            cellules,
        } = ligne
        else {
            continue;
        };
        for c in cellules {
            let (valeur, num, den) = match c.valeur {
                Valeur::Nombre(v) => (
                    nombre(v, if v.fract() == 0.0 { 0 } else { 2 }),
                    String::new(),
                    String::new(),
                ),
                Valeur::Part { num, den } => (
                    c.valeur.nombre().map(|p| nombre(p, 1)).unwrap_or_default(),
                    nombre(num, 0),
                    nombre(den, 0),
                ),
                Valeur::Nd | Valeur::Masque { .. } | Valeur::Protegee => {
                    (String::new(), String::new(), String::new())
                }
            };
            let note = c.note.clone().unwrap_or_default();
            w.write_record([
                indicateur.as_str(),
                &texte_sur(libelle),
                &texte_sur(&c.colonne),
                &c.annee.to_string(),
                &valeur,
                &num,
                &den,
                &note,
            ])
            .map_err(interne)?;
        }
    }
    w.into_inner().map_err(|e| Erreur::Interne(e.to_string()))
}

/// A text cell made safe for spreadsheets: one that a spreadsheet would
/// take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
/// prefixed with an apostrophe, so it stays text.
pub fn texte_sur(texte: &str) -> std::borrow::Cow<'_, str> {
    if texte.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{texte}"))
    } else {
        std::borrow::Cow::Borrowed(texte)
    }
}
