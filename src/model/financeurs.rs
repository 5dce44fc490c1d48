//! The funders, as the model declares them: thanked in the report, and
//! each sent its own extract (tables, texts, formats, threshold).

use std::path::PathBuf;

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{CleFigure, ModeleDeclare};

/// A funder: thanked on the last page, and sent its own extract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Financeur {
    /// The funder's full name.
    pub nom: String,
    #[serde(default)]
    pub sigle: Option<String>,
    /// Its logo, a PNG, JPEG or SVG file of the project, on the back cover.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// The agreement's reference.
    #[serde(default)]
    pub convention: Option<String>,
    /// The agreement's period (default: the year of the extract).
    #[serde(default)]
    pub periode: Option<String>,
    /// Its own confidentiality threshold; the stricter of it and the project's applies.
    #[serde(default)]
    pub seuil: Option<u32>,
    /// The formats it wants (default: all three).
    #[serde(default = "tous_les_formats")]
    pub formats: Vec<FormatExtrait>,
    /// The narrative texts it receives.
    #[serde(default)]
    pub textes: Vec<PathBuf>,
    /// Its tables: indicators in its own words and groupings.
    #[serde(default)]
    pub tableaux: Vec<TableauFinanceur>,
}

/// A format of an extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatExtrait {
    Pdf,
    Xlsx,
    Csv,
}

fn tous_les_formats() -> Vec<FormatExtrait> {
    vec![FormatExtrait::Pdf, FormatExtrait::Xlsx, FormatExtrait::Csv]
}

/// A table of a funder's extract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableauFinanceur {
    pub titre: String,
    pub lignes: Vec<LigneFinanceur>,
}

/// A row of a funder's table: an indicator, maybe relabelled and regrouped.
#[derive(Debug)]
pub enum LigneFinanceur {
    Indicateur(String),
    Detail {
        indicateur: String,
        libelle: Option<String>,
        /// A breakdown of `[ventilations]` in the funder's categories.
        ventilation: Option<String>,
    },
}

impl LigneFinanceur {
    /// The indicator, the label, and the key of the figure (with its breakdown).
    pub fn details<'a>(&'a self, modele: &'a ModeleDeclare) -> (&'a str, &'a str, CleFigure) {
        match self {
            LigneFinanceur::Indicateur(id) => {
                (id, modele.libelle_de(id, None), CleFigure::propre(id))
            }
            LigneFinanceur::Detail {
                indicateur,
                libelle,
                ventilation,
            } => {
                let l = modele.libelle_de(indicateur, libelle.as_deref());
                let cle = match ventilation {
                    Some(v) => CleFigure::sous(indicateur, v),
                    None => CleFigure::propre(indicateur),
                };
                (indicateur, l, cle)
            }
        }
    }
}

/// A row is read by hand (not `untagged`), so that a mistake is told as the
/// forms a row has, at its line.
impl<'de> Deserialize<'de> for LigneFinanceur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Forme;
        impl<'de> Visitor<'de> for Forme {
            type Value = LigneFinanceur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("une ligne : \"indicateur\" ou { indicateur = \"…\", libelle = \"…\", ventilation = \"…\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LigneFinanceur, E> {
                Ok(LigneFinanceur::Indicateur(v.into()))
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<LigneFinanceur, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Cles {
                    indicateur: String,
                    #[serde(default)]
                    libelle: Option<String>,
                    #[serde(default)]
                    ventilation: Option<String>,
                }
                let c = Cles::deserialize(MapAccessDeserializer::new(a))?;
                Ok(LigneFinanceur::Detail {
                    indicateur: c.indicateur,
                    libelle: c.libelle,
                    ventilation: c.ventilation,
                })
            }
        }
        d.deserialize_any(Forme)
    }
}
