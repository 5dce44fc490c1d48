//! A new project written by `rapport init`: whole or not at all.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use crate::error::{Erreur, Resultat};

/// Writes `fichiers` into `dossier`, which `existe` (empty) or not. They are
/// first written into a hidden temporary folder beside their place, then
/// moved: in one rename when `dossier` is new, entry by entry with
/// `rapport.toml` last when it exists, so that a folder holding
/// `rapport.toml` always holds a whole project. A failure leaves nothing
/// behind but the folders above `dossier` that it created.
pub fn creer_projet(
    dossier: &Path,
    existe: bool,
    fichiers: &[(impl AsRef<str>, Cow<'_, [u8]>)],
) -> Resultat<()> {
    let ecriture = |chemin: &Path, e: std::io::Error| Erreur::Ecriture {
        chemin: chemin.to_path_buf(),
        cause: crate::error::cause(&e),
    };
    let chantier_dans = if existe {
        dossier.to_path_buf()
    } else {
        let parent = match dossier.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| ecriture(&parent, e))?;
        parent
    };
    let mut temporaire = tempfile::Builder::new();
    temporaire.prefix(".rapport-init-");
    // A folder like any the user creates (0777 less the umask), not the
    // 0700 of temporary folders, since it becomes the project.
    #[cfg(unix)]
    temporaire.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777));
    let chantier = temporaire
        .tempdir_in(&chantier_dans)
        .map_err(|e| ecriture(&chantier_dans, e))?;
    for (chemin, octets) in fichiers {
        let chemin = chemin.as_ref();
        let cible = chantier.path().join(chemin);
        if let Some(parent) = cible.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ecriture(&dossier.join(chemin), e))?;
        }
        std::fs::write(&cible, octets).map_err(|e| ecriture(&dossier.join(chemin), e))?;
    }
    if !existe {
        std::fs::rename(chantier.path(), dossier).map_err(|e| ecriture(dossier, e))?;
        // Renamed: nothing left to remove.
        let _ = chantier.keep();
        return Ok(());
    }
    // The entries at the top of the project, `rapport.toml` last.
    let mut entrees: Vec<&str> = fichiers
        .iter()
        .filter_map(
            |(chemin, _)| match Path::new(chemin.as_ref()).components().next() {
                Some(Component::Normal(n)) => n.to_str(),
                _ => None,
            },
        )
        .collect();
    entrees.sort_by_key(|e| (*e == crate::model::FICHIER, *e));
    entrees.dedup();
    let mut deplacees: Vec<PathBuf> = Vec::new();
    for entree in entrees {
        let cible = dossier.join(entree);
        if let Err(e) = std::fs::rename(chantier.path().join(entree), &cible) {
            // Back to the empty folder it was; the temporary one goes with `chantier`.
            for d in deplacees {
                let _ = std::fs::remove_dir_all(&d).or_else(|_| std::fs::remove_file(&d));
            }
            return Err(ecriture(&cible, e));
        }
        deplacees.push(cible);
    }
    Ok(())
}
