//! One module per subcommand, and what the commands reading a project start with.

pub mod build;
pub mod check;
pub mod compare;
pub mod completions;
pub mod extract;
pub mod init;
pub mod journal;
pub mod man;
pub mod surveiller;

use std::path::PathBuf;

use crate::cli::{DocumentArgs, ProjetArgs};
use crate::error::Resultat;
use crate::output;
use crate::projet::verifier_projet;

/// Where a command reads and writes, and the date it was asked to print.
pub struct Contexte {
    /// The project folder (holds `rapport.toml`), checked to exist.
    pub projet: PathBuf,
    /// The output folder, checked writable before any long work.
    pub sortie: PathBuf,
    /// The date given with `--date`, if any; see [`crate::projet::date_du_document`].
    pub date: Option<time::Date>,
    /// Print no summary.
    pub quiet: bool,
    /// `--timings`: print the time of each stage.
    pub timings: bool,
    /// The folder of the cache of checked exports, under `sortie`; `None` with `--sans-cache`.
    pub cache: Option<PathBuf>,
}

/// Checks the project and output folders.
pub fn contexte(projet: &ProjetArgs, doc: &DocumentArgs) -> Resultat<Contexte> {
    let sortie = projet
        .sortie
        .clone()
        .unwrap_or_else(|| projet.projet.join("sortie"));
    verifier_projet(&projet.projet)?;
    output::verifier_dossier(&sortie)?;
    Ok(Contexte {
        projet: projet.projet.clone(),
        date: doc.date,
        quiet: doc.quiet,
        timings: doc.timings,
        cache: (!doc.sans_cache).then(|| sortie.join(crate::exports::cache::DOSSIER)),
        sortie,
    })
}
