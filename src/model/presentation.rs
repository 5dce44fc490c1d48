//! What the report shows, as the model declares it: its tables (columns
//! and rows), its charts and its sections.

use std::path::PathBuf;

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::ModeleDeclare;

/// A table of the report: rows are indicators.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tableau {
    pub titre: String,
    /// `"annees"` for one column per year, or the name of a breakdown whose
    /// groups are the columns; absent: an annual table, the report's year
    /// and, by default, the year before it (`annees = 1`: the report's year
    /// only). Read it as [`Tableau::colonnes`].
    #[serde(default, rename = "colonnes")]
    pub(super) colonnes_du_modele: Option<String>,
    /// How many years, ending with the report's (`colonnes = "annees"`, or
    /// an annual table without `colonnes`).
    #[serde(default = "deux")]
    pub(super) annees: usize,
    /// Adds a "Total" column to a table by breakdown.
    #[serde(default)]
    pub total: bool,
    /// A table by breakdown printed the other way round: one row per group
    /// (the "Total" row last), one column per indicator, for a profile whose
    /// groups are many (the CSV files are the same).
    #[serde(default)]
    pub groupes_en_lignes: bool,
    pub lignes: Vec<Ligne>,
}

fn deux() -> usize {
    2
}

/// What the columns of a table are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colonnes<'a> {
    /// A single column: the report's year.
    Total,
    /// One column per year, the last `n` ending with the report's.
    Annees(usize),
    /// One column per group of a breakdown (named as in the model; checked
    /// to exist when the model is read).
    Ventilation(&'a str),
}

impl Tableau {
    /// What the columns of the table are.
    pub fn colonnes(&self) -> Colonnes<'_> {
        match self.colonnes_du_modele.as_deref() {
            None if self.annees <= 1 => Colonnes::Total,
            None => Colonnes::Annees(self.annees),
            Some("annees") => Colonnes::Annees(self.annees),
            Some(v) => Colonnes::Ventilation(v),
        }
    }

    /// Whether its years are the model's choice (`colonnes = "annees"`),
    /// not the default of an annual table: only then is a year shown
    /// where no row has a figure.
    pub fn annees_declarees(&self) -> bool {
        self.colonnes_du_modele.as_deref() == Some("annees")
    }
}

/// A row of a table: an indicator, or a heading over the rows that follow.
#[derive(Debug)]
pub enum Ligne {
    Indicateur(String),
    Intertitre {
        intertitre: String,
    },
    /// An indicator under another label in this table.
    Renommee {
        indicateur: String,
        libelle: String,
    },
}

impl Ligne {
    /// The indicator of the row and the label it is shown under, if the row is one.
    pub fn indicateur<'a>(&'a self, modele: &'a ModeleDeclare) -> Option<(&'a str, &'a str)> {
        match self {
            Ligne::Indicateur(id) => Some((id, modele.libelle_de(id, None))),
            Ligne::Renommee {
                indicateur,
                libelle,
            } => Some((indicateur, libelle)),
            Ligne::Intertitre { .. } => None,
        }
    }
}

/// A chart of the report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Graphique {
    pub titre: String,
    #[serde(rename = "type")]
    pub genre: GenreGraphique,
    pub indicateurs: Vec<String>,
    /// With `type = "annees"`: how many years, ending with the report's.
    #[serde(default = "trois")]
    pub annees: usize,
    /// Keeps a chart that only repeats three values or fewer of a table of
    /// its section, which `check` otherwise warns about.
    #[serde(default)]
    pub repete_tableau: bool,
}

fn trois() -> usize {
    3
}

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenreGraphique {
    /// One bar per group of one indicator, or one bar per indicator.
    Barres,
    /// Indicators along the axis, one bar per group of their common breakdown.
    BarresGroupees,
    /// Years along the axis, one bar per indicator.
    Annees,
}

/// A section of the report, its elements in order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub titre: String,
    #[serde(default)]
    pub elements: Vec<Element>,
    /// The number of columns of its texts: 1 (default) or 2, for long texts.
    #[serde(default = "une")]
    pub colonnes: usize,
}

fn une() -> usize {
    1
}

impl ModeleDeclare {
    /// The indicators element `e` of a section shows, each with the label it
    /// is shown under, in order (none for a text). The element's table or
    /// chart is known: the model is checked.
    pub fn indicateurs_de<'a>(&'a self, e: &'a Element) -> Vec<(&'a str, &'a str)> {
        match e {
            Element::Tableau { tableau } => self.tableaux[tableau]
                .lignes
                .iter()
                .filter_map(|l| l.indicateur(self))
                .collect(),
            Element::Graphique { graphique } => self.graphiques[graphique]
                .indicateurs
                .iter()
                .map(|id| (id.as_str(), self.indicateurs[id].libelle.as_str()))
                .collect(),
            Element::Texte { .. } => Vec::new(),
        }
    }
}

/// One element of a section.
#[derive(Debug)]
pub enum Element {
    /// A narrative text (Markdown with Tera placeholders), path relative to the project.
    Texte { texte: PathBuf },
    /// A table declared in `[tableaux]`.
    Tableau { tableau: String },
    /// A chart declared in `[graphiques]`.
    Graphique { graphique: String },
}

/// A row is read by hand (not `untagged`), so that a mistake is told as the
/// forms a row has, at its line.
impl<'de> Deserialize<'de> for Ligne {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Forme;
        impl<'de> Visitor<'de> for Forme {
            type Value = Ligne;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("une ligne de tableau : \"indicateur\", { intertitre = \"…\" } ou { indicateur = \"…\", libelle = \"…\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ligne, E> {
                Ok(Ligne::Indicateur(v.into()))
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Ligne, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Cles {
                    #[serde(default)]
                    intertitre: Option<String>,
                    #[serde(default)]
                    indicateur: Option<String>,
                    #[serde(default)]
                    libelle: Option<String>,
                }
                let c = Cles::deserialize(MapAccessDeserializer::new(a))?;
                match (c.intertitre, c.indicateur, c.libelle) {
                    (Some(intertitre), None, None) => Ok(Ligne::Intertitre { intertitre }),
                    (Some(_), _, _) => Err(de::Error::custom(
                        "un intertitre s'écrit seul : { intertitre = \"…\" }, sans indicateur ni libellé",
                    )),
                    (None, Some(indicateur), Some(libelle)) => Ok(Ligne::Renommee {
                        indicateur,
                        libelle,
                    }),
                    (None, Some(_), None) => Err(de::Error::missing_field("libelle")),
                    (None, None, _) => Err(de::Error::missing_field("indicateur")),
                }
            }
        }
        d.deserialize_any(Forme)
    }
}

/// An element is read by hand (not `untagged`), so that a mistake is told
/// as the forms an element has, at its line.
impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Forme;
        impl<'de> Visitor<'de> for Forme {
            type Value = Element;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("un élément de section : { texte = \"….md\" }, { tableau = \"…\" } ou { graphique = \"…\" }")
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Element, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Cles {
                    #[serde(default)]
                    texte: Option<PathBuf>,
                    #[serde(default)]
                    tableau: Option<String>,
                    #[serde(default)]
                    graphique: Option<String>,
                }
                let c = Cles::deserialize(MapAccessDeserializer::new(a))?;
                match (c.texte, c.tableau, c.graphique) {
                    (Some(texte), None, None) => Ok(Element::Texte { texte }),
                    (None, Some(tableau), None) => Ok(Element::Tableau { tableau }),
                    (None, None, Some(graphique)) => Ok(Element::Graphique { graphique }),
                    (None, None, None) => Err(de::Error::custom(
                        "élément vide : écrivez { texte = \"….md\" }, { tableau = \"…\" } ou { graphique = \"…\" }",
                    )),
                    _ => Err(de::Error::custom(
                        "un élément est un texte, un tableau ou un graphique, pas plusieurs : écrivez-les en éléments séparés",
                    )),
                }
            }
        }
        d.deserialize_any(Forme)
    }
}
