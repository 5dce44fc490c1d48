//! `rapport build ANNEE`: reads its arguments and dispatches to the
//! assembly stage ([`crate::assemblage`]).

use crate::assemblage::{Lecture, produire};
use crate::cli::BuildArgs;
use crate::error::Resultat;
use crate::suivi::Suivi;

/// Runs `rapport build` (without `--watch`: see [`super::surveiller`]).
pub fn executer(args: &BuildArgs, suivi: &Suivi) -> Resultat<()> {
    let c = super::contexte(&args.projet, &args.document)?;
    let mut lecture = Lecture::lire(&c.projet, c.cache.as_deref(), suivi)?;
    let bilan = produire(
        &c.projet,
        &c.sortie,
        args.annee,
        c.date,
        &args.format,
        &mut lecture,
        suivi,
    )?;
    if !c.quiet {
        crate::afficher!(
            "Rapport {} écrit dans {} :",
            args.annee,
            bilan.sortie.display()
        );
        for l in bilan.lignes() {
            crate::afficher!("{l}");
        }
    }
    Ok(())
}
