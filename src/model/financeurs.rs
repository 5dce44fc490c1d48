//! The funders, as the model declares them: thanked in the report, and
//! each sent its own extract (tables, texts, formats, threshold).

use std::path::PathBuf;

use serde::Deserialize;

use super::{CleFigure, ModeleDeclare};

/// A funder: thanked on the last page, and sent its own extract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Financeur {
    /// The funder's full name.
    pub nom: String,
    #[serde(default)]
    pub sigle: Option<String>,
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
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum LigneFinanceur {
    Indicateur(String),
    Detail {
        indicateur: String,
        #[serde(default)]
        libelle: Option<String>,
        /// A breakdown of `[ventilations]` in the funder's categories.
        #[serde(default)]
        ventilation: Option<String>,
    },
}

impl LigneFinanceur {
    /// The indicator, the label, and the key of the figure (with its breakdown).
    pub fn details<'a>(&'a self, modele: &'a ModeleDeclare) -> (&'a str, &'a str, CleFigure) {
        match self {
            LigneFinanceur::Indicateur(id) => (
                id,
                modele
                    .indicateurs
                    .get(id)
                    .map_or(id.as_str(), |i| &i.libelle),
                CleFigure::propre(id),
            ),
            LigneFinanceur::Detail {
                indicateur,
                libelle,
                ventilation,
            } => {
                let l = libelle.as_deref().unwrap_or_else(|| {
                    modele
                        .indicateurs
                        .get(indicateur)
                        .map_or(indicateur.as_str(), |i| &i.libelle)
                });
                let cle = match ventilation {
                    Some(v) => CleFigure::sous(indicateur, v),
                    None => CleFigure::propre(indicateur),
                };
                (indicateur, l, cle)
            }
        }
    }
}
