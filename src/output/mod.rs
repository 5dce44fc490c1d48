//! Stage 7: the outputs. Each format is a function giving bytes (CSV here
//! in `csv_excel`, the PDF in `document`, the HTML page in `web`, the extracts'
//! XLSX in `extraits`, the records in `model::releve`); their names are
//! made in `noms`; `ecriture::Sorties`, the one writer, writes them all at
//! once, each file atomically.

mod csv_excel;
mod ecriture;
pub mod noms;
mod projet;

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
