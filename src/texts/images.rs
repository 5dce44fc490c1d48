//! The pictures of the texts (`![Le bus de prévention](photos/bus.jpg "crédit")`):
//! each must have its alternative text and be a PNG, JPEG or SVG file of
//! the project. [`verifier`] says what is wrong with each, with its line;
//! the tree then names each picture by its virtual path (`/images/…`),
//! and [`servir`] hands its bytes to the build's file list: the templates
//! read nothing else.

use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::arbre::{Balise, Noeud};
use crate::error::{Constats, Erreur, Probleme, Resultat};

/// Where the templates find the pictures of the texts.
pub const PREFIXE: &str = "/images/";

/// The formats a picture may have, by extension.
const FORMATS: [(&str, Format); 4] = [
    ("png", Format::Png),
    ("jpg", Format::Jpeg),
    ("jpeg", Format::Jpeg),
    ("svg", Format::Svg),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Png,
    Jpeg,
    Svg,
}

impl Format {
    fn nom(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Svg => "SVG",
        }
    }

    /// Whether `octets` are a file of this format (their first bytes).
    fn reconnait(self, octets: &[u8]) -> bool {
        match self {
            Format::Png => octets.starts_with(b"\x89PNG\r\n\x1a\n"),
            Format::Jpeg => octets.starts_with(&[0xFF, 0xD8, 0xFF]),
            Format::Svg => std::str::from_utf8(octets).is_ok_and(|t| t.contains("<svg")),
        }
    }
}

/// A picture of a text, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageEcrite {
    pub ligne: usize,
    pub chemin: String,
    pub alt: String,
}

/// The pictures of the Markdown `texte`, with their line.
pub fn images(texte: &str) -> Vec<ImageEcrite> {
    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut trouvees = Vec::new();
    let mut en_cours: Option<ImageEcrite> = None;
    for (evenement, position) in Parser::new_ext(texte, options).into_offset_iter() {
        match evenement {
            Event::Start(Tag::Image { dest_url, .. }) => {
                en_cours = Some(ImageEcrite {
                    ligne: texte[..position.start].matches('\n').count() + 1,
                    chemin: dest_url.to_string(),
                    alt: String::new(),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(i) = &mut en_cours {
                    i.alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => trouvees.extend(en_cours.take()),
            _ => {}
        }
    }
    trouvees
}

/// Every problem of the pictures of `texte` (the text file `fichier` of
/// `projet`, its placeholders replaced): a missing alternative text, a
/// path outside the project, a file missing or of another format.
pub fn verifier(projet: &Path, fichier: &Path, texte: &str, constats: &mut Constats) {
    for image in images(texte) {
        let probleme = |message: String| {
            Probleme::new(fichier, message)
                .ligne(image.ligne)
                .attendu("![description de l’image](photos/nom.jpg \"crédit\"), l’image étant un fichier PNG, JPEG ou SVG du projet")
        };
        if image.alt.trim().is_empty() {
            constats.erreur(probleme(format!(
                "l’image « {} » n’a pas de texte alternatif",
                image.chemin
            ))
            .correction(format!(
                "décrivez l’image entre les crochets, par exemple ![Le bus de prévention garé devant le local]({}) : ce texte remplace l’image pour qui ne la voit pas",
                image.chemin
            )));
        }
        match chemin_dans_le_projet(projet, &image.chemin) {
            Ok(_) => {}
            Err((absent, message, correction)) => {
                let p = probleme(message).correction(correction);
                if absent {
                    constats.absent(p);
                } else {
                    constats.erreur(p);
                }
            }
        }
    }
}

/// [`verifier`] as a result: `Err` with every problem, if any.
pub fn verifier_texte(projet: &Path, fichier: &Path, texte: &str) -> Resultat<()> {
    let mut constats = Constats::default();
    verifier(projet, fichier, texte, &mut constats);
    if constats.liste.is_empty() {
        Ok(())
    } else {
        Err(Erreur::Constats(Box::new(constats)))
    }
}

/// The picture `chemin` of a text as a path of `projet`, once checked: a
/// relative path that stays in the project (links included), an existing
/// file whose extension and content are PNG, JPEG or SVG. Else whether the
/// file is missing, what is wrong and how to correct it.
fn chemin_dans_le_projet(projet: &Path, chemin: &str) -> Result<PathBuf, (bool, String, String)> {
    let copiez = "copiez l’image dans le projet (par exemple dans un dossier photos/) et écrivez son chemin depuis le dossier du projet : ![…](photos/bus.jpg)";
    let refus = |message: String| Err((false, message, copiez.to_string()));
    if chemin.contains("://") || chemin.to_ascii_lowercase().starts_with("data:") {
        return refus(format!(
            "l’image « {chemin} » est une adresse : une image vient des fichiers du projet, jamais d’internet"
        ));
    }
    let relatif = Path::new(chemin);
    if chemin.is_empty()
        || !relatif
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return refus(format!(
            "l’image « {chemin} » est hors du dossier du projet"
        ));
    }
    let extension = relatif
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    let Some(&(_, format)) = FORMATS.iter().find(|(e, _)| *e == extension) else {
        return Err((
            false,
            format!("l’image « {chemin} » n’est ni PNG, ni JPEG, ni SVG"),
            "enregistrez l’image en PNG, JPEG ou SVG (dans un logiciel d’images : « Exporter »), et donnez-lui l’extension .png, .jpg ou .svg".into(),
        ));
    };
    let complet = projet.join(relatif);
    let (reel, racine) = match (complet.canonicalize(), projet.canonicalize()) {
        (Ok(r), Ok(p)) => (r, p),
        _ => {
            return Err((
                true,
                format!("l’image « {chemin} » est introuvable"),
                "vérifiez le chemin, écrit depuis le dossier du projet (photos/bus.jpg), et le nom du fichier".into(),
            ));
        }
    };
    if !reel.starts_with(&racine) {
        return refus(format!(
            "l’image « {chemin} » est un lien vers un fichier hors du dossier du projet"
        ));
    }
    match std::fs::read(&reel) {
        Ok(octets) if format.reconnait(&octets) => Ok(relatif
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect()),
        Ok(_) => Err((
            false,
            format!(
                "le fichier « {chemin} » n’est pas une image {} lisible",
                format.nom()
            ),
            "ouvrez l’image dans un logiciel d’images et enregistrez-la de nouveau dans ce format"
                .into(),
        )),
        Err(e) => Err((
            false,
            format!(
                "l’image « {chemin} » est illisible ({})",
                crate::error::cause(&e)
            ),
            "donnez-vous le droit de lire ce fichier, ou copiez-le dans le projet".into(),
        )),
    }
}

/// The virtual path the templates read the picture `chemin` of the
/// project by (`/images/photos/bus.jpg`), for a path [`verifier`] accepted.
pub fn virtuel(chemin: &str) -> String {
    let parties: Vec<String> = Path::new(chemin)
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    format!("{PREFIXE}{}", parties.join("/"))
}

/// Names each picture of `blocs` by its virtual path ([`virtuel`]).
pub fn nommer(blocs: &mut [Noeud]) {
    pour_chaque(blocs, &mut |fichier| *fichier = virtuel(fichier));
}

/// Adds the bytes of each picture of `blocs` (named by [`nommer`]) to the
/// build's `fichiers`, once each, read from `projet`.
pub fn servir(
    projet: &Path,
    blocs: &mut [Noeud],
    fichiers: &mut Vec<(String, Vec<u8>)>,
) -> Resultat<()> {
    let mut chemins = Vec::new();
    pour_chaque(blocs, &mut |fichier| chemins.push(fichier.clone()));
    for virtuel in chemins {
        if fichiers.iter().any(|(c, _)| *c == virtuel) {
            continue;
        }
        let relatif = virtuel.strip_prefix(PREFIXE).unwrap_or(&virtuel);
        let octets = std::fs::read(projet.join(relatif)).map_err(|e| {
            Erreur::absent(Probleme::new(
                relatif,
                format!("image illisible ({})", crate::error::cause(&e)),
            ))
        })?;
        fichiers.push((virtuel, octets));
    }
    Ok(())
}

/// Calls `f` on the path of each picture of `blocs`.
fn pour_chaque(blocs: &mut [Noeud], f: &mut impl FnMut(&mut String)) {
    for n in blocs {
        if let Noeud::Balise(b) = n {
            match b {
                Balise::Image { fichier, .. } => f(fichier),
                b => {
                    if let Some(enfants) = b.enfants_mut() {
                        pour_chaque(enfants, f);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_found_with_their_line_and_alt_text() {
        let texte = "Un.\n\n![Le *bus*](photos/bus.jpg \"c\")\n\nDeux ![](a.png).\n";
        assert_eq!(
            images(texte),
            [
                ImageEcrite {
                    ligne: 3,
                    chemin: "photos/bus.jpg".into(),
                    alt: "Le bus".into()
                },
                ImageEcrite {
                    ligne: 5,
                    chemin: "a.png".into(),
                    alt: String::new()
                },
            ]
        );
    }

    #[test]
    fn a_picture_must_be_a_png_jpeg_or_svg_file_inside_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let projet = dir.path().join("projet");
        std::fs::create_dir_all(projet.join("photos")).unwrap();
        std::fs::write(projet.join("photos/bus.png"), b"\x89PNG\r\n\x1a\nxxxx").unwrap();
        std::fs::write(projet.join("photos/faux.jpg"), b"pas une image").unwrap();
        std::fs::write(projet.join("photos/local.gif"), b"GIF89a").unwrap();
        std::fs::write(dir.path().join("dehors.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        let verdict = |c: &str| chemin_dans_le_projet(&projet, c).map_err(|(a, m, _)| (a, m));
        assert_eq!(
            verdict("photos/bus.png"),
            Ok(PathBuf::from("photos/bus.png"))
        );
        assert_eq!(
            verdict("./photos/bus.png"),
            Ok(PathBuf::from("photos/bus.png"))
        );
        for dehors in [
            "../dehors.png",
            "/etc/passwd.png",
            "photos/../../dehors.png",
        ] {
            assert!(
                verdict(dehors)
                    .unwrap_err()
                    .1
                    .contains("hors du dossier du projet"),
                "{dehors}"
            );
        }
        assert!(
            verdict("https://exemple.org/a.png")
                .unwrap_err()
                .1
                .contains("adresse")
        );
        assert!(
            verdict("photos/local.gif")
                .unwrap_err()
                .1
                .contains("ni PNG")
        );
        assert!(
            verdict("photos/faux.jpg")
                .unwrap_err()
                .1
                .contains("pas une image JPEG")
        );
        assert!(verdict("photos/absente.png").unwrap_err().0);
    }

    #[test]
    fn the_virtual_path_of_a_picture_stays_under_images() {
        assert_eq!(virtuel("photos/bus.jpg"), "/images/photos/bus.jpg");
        assert_eq!(virtuel("./photos/bus.jpg"), "/images/photos/bus.jpg");
    }
}
