//! The tree of a narrative text, between Markdown and the templates.
//!
//! [`super::markdown::arbre`] makes it, [`super::typographie`] sets its
//! texts, [`super::sigles::Sigles::marquer`] adds the acronyms; the PDF
//! templates (`commun.typ`) and the web page ([`crate::web`]) read it. It is
//! serialised as JSON with the element kind under `t` and the children under
//! `c`; texts are plain strings, never markup.

use serde::Serialize;

/// One node of a text: a string, or an element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Noeud {
    Texte(String),
    Balise(Balise),
}

/// The elements of a text, each serialised with its kind `t`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t")]
pub enum Balise {
    /// A paragraph (`p`).
    #[serde(rename = "p")]
    Paragraphe {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A heading of the text (`h`), `niveau` 1 to 4.
    #[serde(rename = "h")]
    Titre {
        niveau: u8,
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A bulleted list (`ul`) of items.
    #[serde(rename = "ul")]
    Liste {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A numbered list (`ol`) of items.
    #[serde(rename = "ol")]
    ListeNumerotee {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// An item of a list (`li`).
    #[serde(rename = "li")]
    Item {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A quotation or a testimony (`quote`), a Markdown `>` block; its
    /// last child may be its [`Balise::Signature`].
    #[serde(rename = "quote")]
    Citation {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// Who signs a quotation (`signature`): the last line of a `>` block
    /// that starts with a dash (`— Awa, 34 ans`), without the dash.
    #[serde(rename = "signature")]
    Signature {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A picture of the project (`img`), `![alt](chemin "crédit")`:
    /// `fichier`, its path in the project as written, then (once served by
    /// the build, see [`super::images::servir`]) its virtual path for the
    /// templates (`/images/photos/bus.jpg`); `alt`, its text alternative;
    /// `credit`, shown small below it.
    #[serde(rename = "img")]
    Image {
        fichier: String,
        alt: String,
        credit: Option<String>,
    },
    /// Emphasis (`em`).
    #[serde(rename = "em")]
    Italique {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// Strong emphasis (`strong`).
    #[serde(rename = "strong")]
    Gras {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// Struck-through text (`strike`).
    #[serde(rename = "strike")]
    Barre {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A link (`link`) to `url`.
    #[serde(rename = "link")]
    Lien {
        url: String,
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// Inline code (`code`), shown as it is.
    #[serde(rename = "code")]
    Code { v: String },
    /// A code block (`codebloc`): its lines, shown as they are.
    #[serde(rename = "codebloc")]
    BlocDeCode {
        #[serde(rename = "c")]
        lignes: Vec<String>,
    },
    /// A footnote (`note`), placed where it is cited.
    #[serde(rename = "note")]
    Note {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// A line break (`br`).
    #[serde(rename = "br")]
    Saut,
    /// A horizontal rule (`hr`).
    #[serde(rename = "hr")]
    Filet,
    /// Anything else of Markdown (tables, raw HTML), its text only
    /// (`span`).
    #[serde(rename = "span")]
    Portee {
        #[serde(rename = "c")]
        enfants: Vec<Noeud>,
    },
    /// An acronym of the glossary (`sigle`): `v` as in the glossary; `lien`
    /// on its first occurrence in the running text of the report, which
    /// links to its glossary entry (labelled `glossaire-` and the acronym);
    /// `c`, the acronym again, for templates that do not know this kind.
    #[serde(rename = "sigle")]
    Sigle {
        v: String,
        lien: bool,
        #[serde(rename = "c")]
        texte: [String; 1],
    },
}

impl Balise {
    /// The acronym `sigle`, linked to the glossary if `lien`.
    pub fn sigle(sigle: &str, lien: bool) -> Balise {
        Balise::Sigle {
            v: sigle.to_string(),
            lien,
            texte: [sigle.to_string()],
        }
    }

    /// The children of an element that holds running text; none for code,
    /// code blocks, acronyms, breaks and rules.
    pub fn enfants(&self) -> Option<&Vec<Noeud>> {
        use Balise::*;
        match self {
            Paragraphe { enfants }
            | Titre { enfants, .. }
            | Liste { enfants }
            | ListeNumerotee { enfants }
            | Item { enfants }
            | Citation { enfants }
            | Signature { enfants }
            | Italique { enfants }
            | Gras { enfants }
            | Barre { enfants }
            | Lien { enfants, .. }
            | Note { enfants }
            | Portee { enfants } => Some(enfants),
            Code { .. } | BlocDeCode { .. } | Saut | Filet | Sigle { .. } | Image { .. } => None,
        }
    }

    /// [`Balise::enfants`], to change them.
    pub fn enfants_mut(&mut self) -> Option<&mut Vec<Noeud>> {
        use Balise::*;
        match self {
            Paragraphe { enfants }
            | Titre { enfants, .. }
            | Liste { enfants }
            | ListeNumerotee { enfants }
            | Item { enfants }
            | Citation { enfants }
            | Signature { enfants }
            | Italique { enfants }
            | Gras { enfants }
            | Barre { enfants }
            | Lien { enfants, .. }
            | Note { enfants }
            | Portee { enfants } => Some(enfants),
            Code { .. } | BlocDeCode { .. } | Saut | Filet | Sigle { .. } | Image { .. } => None,
        }
    }

    /// Whether the element starts a paragraph of its own.
    pub fn est_un_bloc(&self) -> bool {
        use Balise::*;
        matches!(
            self,
            Paragraphe { .. }
                | Titre { .. }
                | Liste { .. }
                | ListeNumerotee { .. }
                | Item { .. }
                | Citation { .. }
                | Signature { .. }
                | BlocDeCode { .. }
                | Filet
                | Image { .. }
        )
    }
}

impl From<&str> for Noeud {
    fn from(texte: &str) -> Noeud {
        Noeud::Texte(texte.to_string())
    }
}

impl From<Balise> for Noeud {
    fn from(element: Balise) -> Noeud {
        Noeud::Balise(element)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_element_is_serialised_with_its_kind_and_children() {
        let arbre: Vec<Noeud> = vec![
            Balise::Titre {
                niveau: 2,
                enfants: vec!["Titre".into()],
            }
            .into(),
            Balise::Paragraphe {
                enfants: vec![
                    "Les ".into(),
                    Balise::sigle("TDS", true).into(),
                    Balise::Saut.into(),
                    Balise::Code { v: "a".into() }.into(),
                ],
            }
            .into(),
            Balise::BlocDeCode {
                lignes: vec!["x\n".into()],
            }
            .into(),
        ];
        assert_eq!(
            serde_json::to_value(&arbre).unwrap(),
            json!([
                {"t": "h", "niveau": 2, "c": ["Titre"]},
                {"t": "p", "c": ["Les ", {"t": "sigle", "v": "TDS", "lien": true, "c": ["TDS"]},
                    {"t": "br"}, {"t": "code", "v": "a"}]},
                {"t": "codebloc", "c": ["x\n"]},
            ])
        );
    }
}
