//! Stage 7: the outputs. Each format gives bytes and writes nothing: CSV
//! for French Excel (`csv_excel`), XLSX workbooks (`xlsx`, laid out by
//! `extraits`), the terminal's tables (`terminal`); the PDF comes from
//! `document`, the HTML page from `web`, the records from `model::releve`.
//! Their names are made once, in `noms`. `ecriture::Sorties`, the one
//! writer, writes them all at once, each file atomically.

mod csv_excel;
mod ecriture;
pub mod noms;
mod projet;
pub mod terminal;
pub mod xlsx;

pub use csv_excel::{COLONNES_CSV, csv_francais, csv_tableau, texte_sur};
pub use ecriture::{Sorties, verifier_dossier};
pub use projet::creer_projet;

use crate::fr;

/// A short French description of a file's size (`12,3 ko`).
pub fn taille(octets: usize) -> String {
    if octets < 1024 {
        format!("{octets} o")
    } else if octets < 1024 * 1024 {
        format!("{} ko", fr::nombre(octets as f64 / 1024.0, 1))
    } else {
        format!("{} Mo", fr::nombre(octets as f64 / 1024.0 / 1024.0, 1))
    }
}
