//! `rapport check [ANNEE]`: reads its arguments, runs the checks of the
//! project ([`crate::controle`]) and prints the findings, without writing
//! anything.

use crate::cli::CheckArgs;
use crate::controle::verifier;
use crate::error::{CodeDeSortie, Resultat};
use crate::fr;
use crate::suivi::Suivi;

/// Runs `rapport check` and prints its findings on standard output.
pub fn executer(args: &CheckArgs, suivi: &Suivi) -> Resultat<Option<CodeDeSortie>> {
    crate::projet::verifier_projet(&args.projet)?;
    // The cache of the default output folder, if a build made it: check
    // creates no folder.
    let sortie = args.projet.join("sortie");
    let cache =
        (!args.sans_cache && sortie.is_dir()).then(|| sortie.join(crate::exports::cache::DOSSIER));
    let v = verifier(&args.projet, args.annee, cache.as_deref(), suivi);
    let mut tries: Vec<_> = v.constats.liste.iter().collect();
    tries.sort_by_key(|c| std::cmp::Reverse(c.gravite));
    for c in &tries {
        crate::afficher!("{c}\n");
    }
    let lignes = v
        .lignes
        .iter()
        .map(|(s, n)| {
            let mot = if *n > 1 { "lignes" } else { "ligne" };
            format!("{} ({} {mot})", s.nom(), fr::nombre(*n as f64, 0))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let lu = if lignes.is_empty() {
        "modèle".to_string()
    } else {
        format!("modèle et exports {lignes}")
    };
    let (e, a) = (v.constats.erreurs(), v.constats.avertissements());
    let pluriel = |n: usize, mot: &str| format!("{n} {mot}{}", if n > 1 { "s" } else { "" });
    if e + a == 0 {
        crate::afficher!("Tout est en ordre : {lu} vérifiés.");
    } else {
        crate::afficher!(
            "{}, {} ({lu} vérifiés).",
            pluriel(e, "erreur"),
            pluriel(a, "avertissement")
        );
        if e > 0 {
            crate::afficher!(
                "Le rapport ne peut pas être produit tant que les erreurs ne sont pas corrigées."
            );
        }
    }
    Ok(v.sortie())
}
