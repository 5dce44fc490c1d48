//! The export contract, declared once: the three sources, their columns
//! (kind, whether the header must be present, the names exports commonly
//! give them), the publics and their spellings, and the category columns.
//! The model, the reading of exports, the vocabulary and `rapport check`
//! all read it here.

use serde::{Deserialize, Serialize};

/// One of the three exports of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// `activites.csv`: one row per action.
    Activites,
    /// `suivis.csv`: one row per follow-up case.
    Suivis,
    /// `indicateurs.csv`: figures the journal cannot give.
    Indicateurs,
}

/// What a column of the contract holds, hence how its cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// A date; `requise`: an empty cell is an error.
    Date { requise: bool },
    /// A value from a list (an action, a programme…); `requis`: an empty cell is an error.
    Texte { requis: bool },
    /// A number (summed by the model); `requis`: an empty cell is an error.
    Nombre { requis: bool },
    /// The public: one of [`PUBLICS`], as the vocabulary spells it.
    Public,
    /// A pseudonymous code of a person, kept as written.
    Code,
    /// A list of themes `a|b|c`.
    Themes,
    /// How many times the row counts: an integer from 1, empty for 1.
    Quantite,
    /// A year on four digits.
    Annee,
}

/// One column of the contract.
#[derive(Debug, Clone, Copy)]
pub struct ColonneDuContrat {
    /// Its name, as the model writes it.
    pub nom: &'static str,
    /// What its cells hold.
    pub genre: Genre,
    /// Whether the header must be present.
    pub obligatoire: bool,
    /// Header names commonly found in exports for it.
    pub alias: &'static [&'static str],
}

const fn colonne(
    nom: &'static str,
    genre: Genre,
    obligatoire: bool,
    alias: &'static [&'static str],
) -> ColonneDuContrat {
    ColonneDuContrat {
        nom,
        genre,
        obligatoire,
        alias,
    }
}

const ACTIVITES: [ColonneDuContrat; 7] = [
    colonne(
        "date",
        Genre::Date { requise: true },
        true,
        &[
            "date de l'action",
            "date action",
            "date de l'activite",
            "date activite",
            "jour",
        ],
    ),
    colonne(
        "action",
        Genre::Texte { requis: true },
        true,
        &[
            "type d'action",
            "type action",
            "type de l'action",
            "activite",
            "type d'activite",
        ],
    ),
    colonne(
        "programme",
        Genre::Texte { requis: true },
        true,
        &["pole", "secteur", "programme d'action"],
    ),
    colonne(
        COLONNE_PUBLIC,
        Genre::Public,
        false,
        &["genre", "sexe", "public accueilli"],
    ),
    colonne(
        "personne",
        Genre::Code,
        false,
        &["code personne", "code", "code usager", "code anonyme"],
    ),
    colonne(
        "themes",
        Genre::Themes,
        false,
        &[
            "thematiques",
            "themes abordes",
            "sujets abordes",
            "theme",
            "thematique",
        ],
    ),
    colonne(
        "quantite",
        Genre::Quantite,
        false,
        &["nombre", "nb", "qte", "quantites"],
    ),
];

const SUIVIS: [ColonneDuContrat; 6] = [
    colonne(
        "personne",
        Genre::Code,
        false,
        &["code personne", "code", "code usager"],
    ),
    colonne(COLONNE_PUBLIC, Genre::Public, false, &["genre", "sexe"]),
    colonne(
        "programme",
        Genre::Texte { requis: true },
        true,
        &["pole", "secteur"],
    ),
    colonne(
        "type",
        Genre::Texte { requis: true },
        true,
        &[
            "type de suivi",
            "type d'accompagnement",
            "accompagnement",
            "suivi",
        ],
    ),
    colonne(
        "ouverture",
        Genre::Date { requise: true },
        true,
        &[
            "date d'ouverture",
            "date ouverture",
            "debut",
            "date de debut",
        ],
    ),
    colonne(
        "cloture",
        Genre::Date { requise: false },
        false,
        &["date de cloture", "date cloture", "fin", "date de fin"],
    ),
];

const INDICATEURS: [ColonneDuContrat; 3] = [
    colonne("annee", Genre::Annee, true, &["exercice", "an"]),
    colonne(
        "indicateur",
        Genre::Texte { requis: true },
        true,
        &["code indicateur", "identifiant"],
    ),
    colonne(
        "valeur",
        Genre::Nombre { requis: true },
        true,
        &["montant", "total", "nombre"],
    ),
];

impl Source {
    /// All sources, in reading order.
    pub const TOUTES: [Source; 3] = [Source::Activites, Source::Suivis, Source::Indicateurs];

    /// The export's file name in `donnees/`.
    pub fn fichier(self) -> &'static str {
        match self {
            Source::Activites => "activites.csv",
            Source::Suivis => "suivis.csv",
            Source::Indicateurs => "indicateurs.csv",
        }
    }

    /// "of the file", elided as French wants: `d'activites.csv`, `de suivis.csv`.
    pub fn du_fichier(self) -> String {
        match self {
            Source::Suivis => format!("de {}", self.fichier()),
            _ => format!("d'{}", self.fichier()),
        }
    }

    /// The name used in the model.
    pub fn nom(self) -> &'static str {
        match self {
            Source::Activites => "activites",
            Source::Suivis => "suivis",
            Source::Indicateurs => "indicateurs",
        }
    }

    /// The contract's columns, in the order of the example header.
    pub fn colonnes(self) -> &'static [ColonneDuContrat] {
        match self {
            Source::Activites => &ACTIVITES,
            Source::Suivis => &SUIVIS,
            Source::Indicateurs => &INDICATEURS,
        }
    }

    /// A header line for this export, as an example in messages.
    pub fn entetes_exemple(self) -> String {
        self.colonnes()
            .iter()
            .map(|c| c.nom)
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Whether `colonne` is one of the contract's columns.
    pub fn a_colonne(self, colonne: &str) -> bool {
        self.colonnes().iter().any(|c| c.nom == colonne)
    }

    /// The contract column that `entete` (normalised) commonly names, if any.
    pub fn alias(self, entete: &str) -> Option<&'static str> {
        self.colonnes()
            .iter()
            .find(|c| c.alias.iter().any(|a| crate::fr::normalise(a) == entete))
            .map(|c| c.nom)
    }
}

/// The column of the public (the only closed vocabulary).
pub const COLONNE_PUBLIC: &str = "public";

/// An accepted value of `public`, and the other ways exports write it.
#[derive(Debug, Clone, Copy)]
pub struct Public {
    /// The value, as the model filters on it.
    pub valeur: &'static str,
    /// Other spellings brought to it (normalised on use).
    pub ecritures: &'static [&'static str],
}

/// The accepted values of `public`, in the order messages list them.
pub const PUBLICS: [Public; 3] = [
    Public {
        valeur: "femme",
        ecritures: &["f", "femmes", "femme cis", "cis femme", "feminin", "fem"],
    },
    Public {
        valeur: "trans",
        ecritures: &[
            "t",
            "trans*",
            "transgenre",
            "transgenres",
            "femme trans",
            "homme trans",
            "personne trans",
            "mtf",
            "ftm",
        ],
    },
    Public {
        valeur: "homme",
        ecritures: &[
            "h",
            "m",
            "hommes",
            "homme cis",
            "cis homme",
            "masculin",
            "masc",
        ],
    },
];

/// Whether `valeur` (normalised) is one of the accepted publics.
pub fn est_public(valeur: &str) -> bool {
    PUBLICS.iter().any(|p| p.valeur == valeur)
}

/// Whether `colonne` is a category column of the contract in some export
/// (`action`, `programme`, `public`, `type`, `indicateur`): values from a
/// list, never personal data, so messages may show them.
pub fn est_categorie(colonne: &str) -> bool {
    Source::TOUTES.iter().any(|s| {
        s.colonnes()
            .iter()
            .any(|c| c.nom == colonne && matches!(c.genre, Genre::Texte { .. } | Genre::Public))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_category_columns_are_the_lists_of_the_contract_not_codes_nor_themes() {
        for c in ["action", "programme", "public", "type", "indicateur"] {
            assert!(est_categorie(c), "{c}");
        }
        for c in ["personne", "themes", "date", "quantite", "valeur", "lieu"] {
            assert!(!est_categorie(c), "{c}");
        }
    }
}
