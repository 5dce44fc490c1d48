//! `rapport build ANNEE --watch`: builds, then rebuilds at each change of
//! the project (exports, texts, model, glossary, templates, logo) until
//! interrupted. An error is printed and the watch goes on; the outputs of
//! the last good build stay in place (they are written atomically).
//!
//! A rebuild after a change to a text, the glossary or a template reuses
//! the model, the parsed exports and the figures; a change to `rapport.toml`
//! or to an export reads them again. Fonts live for the whole process;
//! what Typst memoized, for the next builds only (see
//! [`crate::document::oublier_les_compositions_anciennes`]), so that the
//! memory of a long watch stays level. With `--timings`, each build prints its stages: a
//! rebuild after a text changed has no `modèle`, `validation` nor
//! `agrégation`.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::assemblage::{Lecture, produire};
use crate::cli::BuildArgs;
use crate::error::{Erreur, Resultat};
use crate::suivi::Suivi;

/// How long to wait for more changes once one is seen: an editor's save,
/// or a spreadsheet's export, is often several writes.
const APAISEMENT: Duration = Duration::from_millis(150);

/// Runs `rapport build --watch` until the process is interrupted (Ctrl+C).
pub fn executer(args: &BuildArgs, suivi: &Suivi) -> Resultat<()> {
    let c = &super::contexte(&args.projet, &args.document)?;
    let (annee, formats) = (args.annee, args.format.as_slice());
    // Both exist: `contexte` checked the project and made the output folder.
    let absolu = |d: &Path| {
        std::fs::canonicalize(d)
            .map_err(|e| Erreur::Interne(format!("dossier {} : {e}", d.display())))
    };
    let (projet, sortie) = (absolu(&c.projet)?, absolu(&c.sortie)?);

    // Watch before the first build: a change made during it is not lost.
    let (envoi, reception) = mpsc::channel();
    let mut observateur = notify::recommended_watcher(move |ev| {
        let _ = envoi.send(ev);
    })
    .map_err(|e| Erreur::Interne(format!("surveillance impossible : {e}")))?;
    observateur
        .watch(&projet, RecursiveMode::Recursive)
        .map_err(|e| {
            Erreur::Interne(format!(
                "surveillance de {} impossible : {e}",
                projet.display()
            ))
        })?;
    if !c.quiet {
        crate::afficher!(
            "Surveillance de {} : le rapport {annee} est reconstruit à chaque modification (Ctrl+C pour arrêter).",
            c.projet.display()
        );
    }

    let mut lecture: Option<Lecture> = None;
    let mut numero = 0;
    loop {
        numero += 1;
        let debut = Instant::now();
        let resultat = (|| {
            if lecture.is_none() {
                lecture = Some(Lecture::lire(&c.projet, c.cache.as_deref(), suivi)?);
            }
            let l = lecture.as_mut().expect("lu");
            produire(&c.projet, &c.sortie, annee, c.date, formats, l, suivi)
        })();
        let duree = crate::fr::nombre(debut.elapsed().as_secs_f64(), 2);
        crate::document::oublier_les_compositions_anciennes();
        match resultat {
            Ok(bilan) if !c.quiet => {
                let documents: Vec<String> = bilan
                    .pdf
                    .iter()
                    .map(|(n, p, _)| format!("{n}, {p} pages"))
                    .chain(bilan.html.iter().map(|(n, _)| n.clone()))
                    .collect();
                crate::afficher!(
                    "[{numero}] Rapport {annee} écrit en {duree} s dans {} ({}).",
                    c.sortie.display(),
                    documents.join(" ; ")
                );
            }
            Ok(_) => {}
            Err(e) => {
                crate::signaler!("{}", e.texte());
                crate::signaler!(
                    "[{numero}] Échec après {duree} s : corrigez, enregistrez, le rapport sera reconstruit."
                );
            }
        }
        if c.timings {
            crate::console::ecrire(crate::console::Flux::Erreur, suivi.resume(debut));
            suivi.vider();
        }
        let changes = attendre(&reception, &projet, &sortie)?;
        if changes.iter().any(|p| relit_tout(p, &projet)) {
            lecture = None;
        }
    }
}

/// Waits for a change in the project outside the output folder; gives the
/// changed paths, once no other change came for [`APAISEMENT`].
fn attendre(
    reception: &mpsc::Receiver<notify::Result<notify::Event>>,
    projet: &Path,
    sortie: &Path,
) -> Resultat<Vec<PathBuf>> {
    let mut changes = Vec::new();
    loop {
        let evenement = if changes.is_empty() {
            reception
                .recv()
                .map_err(|_| Erreur::Interne("la surveillance s'est arrêtée".into()))?
        } else {
            match reception.recv_timeout(APAISEMENT) {
                Ok(e) => e,
                Err(mpsc::RecvTimeoutError::Timeout) => return Ok(changes),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Erreur::Interne("la surveillance s'est arrêtée".into()));
                }
            }
        };
        let evenement = match evenement {
            Ok(e) => e,
            Err(e) => {
                crate::signaler!("avertissement : surveillance : {e}");
                continue;
            }
        };
        if !matches!(
            evenement.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
        ) {
            continue;
        }
        changes.extend(
            evenement
                .paths
                .into_iter()
                .filter(|p| compte(p, projet, sortie)),
        );
    }
}

/// Whether a change at `chemin` calls for a rebuild: inside the project,
/// outside the outputs, and not an editor's or a spreadsheet's scratch file
/// (`.~lock.x.csv#`, `.x.md.swp`, `x.md~`, `#x.md#`).
fn compte(chemin: &Path, projet: &Path, sortie: &Path) -> bool {
    if !chemin.starts_with(projet) || chemin.starts_with(sortie) {
        return false;
    }
    let Some(nom) = chemin.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    !(nom.starts_with('.') || nom.starts_with('#') || nom.ends_with('~') || nom.ends_with('#'))
}

/// Whether a change at `chemin` means the model or the exports must be
/// read again: `rapport.toml`, or anything under `donnees/`.
fn relit_tout(chemin: &Path, projet: &Path) -> bool {
    chemin == projet.join("rapport.toml") || chemin.starts_with(projet.join("donnees"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_and_scratch_files_do_not_trigger_a_rebuild() {
        let p = Path::new("/p");
        let s = Path::new("/p/sortie");
        assert!(compte(Path::new("/p/textes/rue.md"), p, s));
        assert!(compte(Path::new("/p/donnees/activites.csv"), p, s));
        assert!(!compte(Path::new("/p/sortie/rapport-2013.pdf"), p, s));
        assert!(!compte(Path::new("/p/textes/.rue.md.swp"), p, s));
        assert!(!compte(Path::new("/p/textes/rue.md~"), p, s));
        assert!(!compte(Path::new("/p/donnees/.~lock.activites.csv#"), p, s));
        assert!(!compte(Path::new("/ailleurs/x.md"), p, s));
    }

    #[test]
    fn only_the_model_and_the_exports_are_read_again() {
        let p = Path::new("/p");
        assert!(relit_tout(Path::new("/p/rapport.toml"), p));
        assert!(relit_tout(Path::new("/p/donnees/activites.csv"), p));
        assert!(!relit_tout(Path::new("/p/textes/rue.md"), p));
        assert!(!relit_tout(Path::new("/p/gabarits/rapport.typ"), p));
    }
}
