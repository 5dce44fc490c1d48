//! The one writer: every output collected in memory, then written all at
//! once, each file atomically (a temporary file in the same folder, then
//! renamed).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Erreur, Resultat};
use crate::suivi::{Etape, Suivi};

/// Files to write, relative to the output folder.
#[derive(Default)]
pub struct Sorties {
    fichiers: Vec<(PathBuf, Vec<u8>)>,
}

impl Sorties {
    pub fn ajouter(&mut self, relatif: impl Into<PathBuf>, octets: Vec<u8>) {
        self.fichiers.push((relatif.into(), octets));
    }

    /// The files, in order added.
    pub fn fichiers(&self) -> &[(PathBuf, Vec<u8>)] {
        &self.fichiers
    }

    /// The files in the order they are written and renamed into place: by
    /// path, whatever the order they were added in, and the PDFs last. A
    /// build interrupted between two renames (killed, power cut) leaves some
    /// files new and others old; renaming the PDFs last means that a new PDF
    /// is never beside the old charts and tables it was built with: when the
    /// PDF is new, so is everything else.
    fn dans_l_ordre(&self) -> Vec<&(PathBuf, Vec<u8>)> {
        let mut ordre: Vec<&(PathBuf, Vec<u8>)> = self.fichiers.iter().collect();
        ordre.sort_by(|(a, _), (b, _)| {
            let pdf = |p: &Path| p.extension().is_some_and(|e| e == "pdf");
            (pdf(a), a).cmp(&(pdf(b), b))
        });
        ordre
    }

    /// Writes every file under `dossier`. First, every place is checked to
    /// take a file; then all temporary files are written (in the same
    /// folders); only then are they renamed into place, PDFs last. A failure
    /// before the renames leaves the previous outputs untouched, and no
    /// temporary file behind.
    pub fn ecrire(&self, dossier: &Path, suivi: &Suivi) -> Resultat<()> {
        let _e = suivi.etape(Etape::Ecriture);
        let ecriture = |chemin: &Path, e: std::io::Error| Erreur::Ecriture {
            chemin: chemin.to_path_buf(),
            cause: crate::error::cause(&e),
        };
        let ordre = self.dans_l_ordre();
        // A folder (or anything but a file) where a file must go would make
        // its rename fail, after others succeeded: refused before any write.
        for (relatif, _) in &ordre {
            let cible = dossier.join(relatif);
            if let Ok(m) = std::fs::symlink_metadata(&cible)
                && !m.is_file()
                && !m.is_symlink()
            {
                let qui = if m.is_dir() {
                    "un dossier"
                } else {
                    "un fichier spécial"
                };
                return Err(Erreur::Ecriture {
                    chemin: cible,
                    cause: format!(
                        "{qui} porte ce nom ; déplacez-le, ou choisissez une autre sortie avec --sortie"
                    ),
                });
            }
        }
        let mut prets = Vec::new();
        for (relatif, octets) in ordre {
            let cible = dossier.join(relatif);
            let parent = cible.parent().unwrap_or(dossier);
            std::fs::create_dir_all(parent).map_err(|e| ecriture(parent, e))?;
            let mut tmp = temporaire()
                .tempfile_in(parent)
                .map_err(|e| ecriture(parent, e))?;
            tmp.write_all(octets).map_err(|e| ecriture(&cible, e))?;
            prets.push((tmp, cible));
        }
        // Dropping the temporary files not yet renamed removes them.
        for (tmp, cible) in prets {
            tmp.persist(&cible).map_err(|e| ecriture(&cible, e.error))?;
        }
        Ok(())
    }
}

/// How temporary outputs are created: hidden, and with the permissions of
/// any file the user creates (0666 less the umask), not the 0600 of
/// temporary files, since they become the outputs.
fn temporaire() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(".rapport-");
    #[cfg(unix)]
    b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    b
}

/// Checks early, before any long work, that `dossier` can receive outputs.
pub fn verifier_dossier(dossier: &Path) -> Resultat<()> {
    let ecriture = |e: std::io::Error| Erreur::Ecriture {
        chemin: dossier.to_path_buf(),
        cause: crate::error::cause(&e),
    };
    std::fs::create_dir_all(dossier).map_err(ecriture)?;
    tempfile::Builder::new()
        .prefix(".rapport-")
        .tempfile_in(dossier)
        .map_err(ecriture)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn outputs_get_the_permissions_of_a_file_the_user_creates() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut s = Sorties::default();
        s.ajouter("tableaux/net.csv", b"a;b\n".to_vec());
        s.ecrire(dir.path(), &crate::suivi::Suivi::default())
            .unwrap();
        std::fs::write(dir.path().join("ordinaire"), "x").unwrap();
        let mode = |f: &str| {
            std::fs::metadata(dir.path().join(f))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("tableaux/net.csv"), mode("ordinaire"));
    }

    #[test]
    fn files_are_written_by_path_whatever_the_order_added_and_the_pdfs_last() {
        let mut s = Sorties::default();
        for f in [
            "rapport-2013.pdf",
            "tableaux/net.csv",
            "extraits/ars-2013.pdf",
            "definitions-2013.json",
            "graphiques/net.svg",
            "extraits/ars-2013.csv",
        ] {
            s.ajouter(f, Vec::new());
        }
        let ordre: Vec<&str> = s
            .dans_l_ordre()
            .iter()
            .map(|(p, _)| p.to_str().unwrap())
            .collect();
        assert_eq!(
            ordre,
            [
                "definitions-2013.json",
                "extraits/ars-2013.csv",
                "graphiques/net.svg",
                "tableaux/net.csv",
                "extraits/ars-2013.pdf",
                "rapport-2013.pdf",
            ]
        );
    }
}
