//! The Typst templates: embedded in the binary, each replaceable by a file
//! of the same name in the project's `[rapport] gabarits` folder.

use std::path::{Path, PathBuf};

use crate::error::{Erreur, Probleme, Resultat};
use crate::model::Modele;

/// The embedded templates, by name. The report, the comparison and the
/// extract each have their own; `commun.typ` holds what they share.
const INTEGRES: [(&str, &str); 4] = [
    ("rapport.typ", include_str!("../../templates/rapport.typ")),
    ("commun.typ", include_str!("../../templates/commun.typ")),
    (
        "comparaison.typ",
        include_str!("../../templates/comparaison.typ"),
    ),
    ("extrait.typ", include_str!("../../templates/extrait.typ")),
];

/// One template, embedded or the project's.
#[derive(Debug, Clone)]
pub struct Gabarit {
    /// Its name, also its path in the Typst world (`/rapport.typ`).
    pub nom: &'static str,
    pub texte: String,
    /// The project's file it comes from (`gabarits/rapport.typ`); `None` when embedded.
    pub fichier: Option<PathBuf>,
}

impl Gabarit {
    /// The template as the user knows it: its file in the project, or the
    /// embedded template's name.
    pub fn designation(&self) -> PathBuf {
        match &self.fichier {
            Some(f) => f.clone(),
            None => PathBuf::from(format!("{} (gabarit intégré)", self.nom)),
        }
    }
}

/// The four templates a document may use.
#[derive(Debug, Clone)]
pub struct Gabarits {
    liste: Vec<Gabarit>,
    /// The project's folder of templates, as written in the model.
    dossier: Option<PathBuf>,
}

impl Gabarits {
    /// The embedded templates only.
    pub fn integres() -> Gabarits {
        Gabarits {
            liste: INTEGRES
                .iter()
                .map(|(nom, texte)| Gabarit {
                    nom,
                    texte: texte.to_string(),
                    fichier: None,
                })
                .collect(),
            dossier: None,
        }
    }

    /// The templates of the project `projet`: the embedded ones, each
    /// replaced by the file of the same name in `[rapport] gabarits`, if any.
    /// A `.typ` file there under another name is ignored, with a warning.
    pub fn du_projet(projet: &Path, modele: &Modele) -> Resultat<Gabarits> {
        let mut gabarits = Gabarits::integres();
        let Some(dossier) = &modele.rapport.gabarits else {
            return Ok(gabarits);
        };
        for g in &mut gabarits.liste {
            let relatif = dossier.join(g.nom);
            let chemin = projet.join(&relatif);
            if !chemin.is_file() {
                continue;
            }
            let octets = std::fs::read(&chemin).map_err(|e| {
                Erreur::absent(Probleme::new(&relatif, format!("gabarit illisible ({e})")))
            })?;
            g.texte = String::from_utf8(octets).map_err(|_| {
                Probleme::new(&relatif, "le gabarit n'est pas en UTF-8")
                    .correction("enregistrez-le en UTF-8, l'encodage des fichiers Typst")
            })?;
            g.fichier = Some(relatif);
        }
        let mut inconnus: Vec<String> = std::fs::read_dir(projet.join(dossier))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".typ") && !INTEGRES.iter().any(|(g, _)| g == n))
                    .collect()
            })
            .unwrap_or_default();
        inconnus.sort();
        for n in inconnus {
            crate::signaler!(
                "avertissement : {} ne remplace aucun gabarit ({}) ; il est ignoré",
                dossier.join(n).display(),
                INTEGRES.map(|(g, _)| g).join(", ")
            );
        }
        gabarits.dossier = Some(dossier.clone());
        Ok(gabarits)
    }

    /// Every template, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = &Gabarit> {
        self.liste.iter()
    }

    /// The template named `nom` (`rapport.typ`…).
    pub fn get(&self, nom: &str) -> &Gabarit {
        self.liste
            .iter()
            .find(|g| g.nom == nom)
            .expect("gabarit connu")
    }

    /// Whether any template comes from the project.
    pub fn surcharge(&self) -> bool {
        self.liste.iter().any(|g| g.fichier.is_some())
    }

    /// The project's folder of templates, as written in the model.
    pub fn dossier(&self) -> Option<&Path> {
        self.dossier.as_deref()
    }
}
