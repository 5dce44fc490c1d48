//! The key figures of the report (`[rapport] chiffres_cles`): which
//! indicators the page « L'année en chiffres » shows, in the model's words.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::ModeleDeclare;

/// A key figure: an indicator's total for the year, maybe relabelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChiffreCle {
    pub indicateur: String,
    /// The label under the number; by default, the indicator's.
    pub libelle: Option<String>,
}

impl ChiffreCle {
    /// The label shown under the number.
    pub fn libelle<'a>(&'a self, modele: &'a ModeleDeclare) -> &'a str {
        modele.libelle_de(&self.indicateur, self.libelle.as_deref())
    }
}

/// Read by hand (not `untagged`), so that a mistake is told as the forms a
/// key figure has, at its line.
impl<'de> Deserialize<'de> for ChiffreCle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Forme;
        impl<'de> Visitor<'de> for Forme {
            type Value = ChiffreCle;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "un chiffre clé : \"indicateur\" ou { indicateur = \"…\", libelle = \"…\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ChiffreCle, E> {
                Ok(ChiffreCle {
                    indicateur: v.into(),
                    libelle: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<ChiffreCle, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Cles {
                    indicateur: String,
                    #[serde(default)]
                    libelle: Option<String>,
                }
                let c = Cles::deserialize(MapAccessDeserializer::new(a))?;
                Ok(ChiffreCle {
                    indicateur: c.indicateur,
                    libelle: c.libelle,
                })
            }
        }
        d.deserialize_any(Forme)
    }
}
