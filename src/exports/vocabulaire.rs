//! Category values as people type them (`F`, `Femme`, `femme cis`, `FEMME`)
//! brought to the values the model filters on (`femme`).

use std::collections::{BTreeMap, HashMap};

use super::contrat::{COLONNE_PUBLIC, PUBLICS};
use crate::fr::normalise;

/// The vocabulary of each category column: the contract's one of `public`,
/// extended by the model's `[vocabulaire.COLONNE]` tables.
#[derive(Debug, Clone)]
pub struct Vocabulaire {
    colonnes: HashMap<String, Colonne>,
}

#[derive(Debug, Clone)]
struct Colonne {
    /// Only the listed values are accepted (`public`); other columns keep unknown values.
    fermee: bool,
    /// The values, in the order they are listed.
    valeurs: Vec<String>,
    /// Normalised spelling → value.
    synonymes: HashMap<String, String>,
}

/// A value the closed vocabulary of its column does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct Inconnue {
    /// The accepted values, in order.
    pub valeurs: Vec<String>,
    /// The value whose spelling is closest, when one is close enough.
    pub proche: Option<String>,
}

impl Vocabulaire {
    /// Everything it holds, in a fixed order: for the key of the cache.
    pub(super) fn empreinte(&self) -> String {
        let mut colonnes: Vec<_> = self.colonnes.iter().collect();
        colonnes.sort_by(|a, b| a.0.cmp(b.0));
        let mut texte = String::new();
        for (nom, c) in colonnes {
            let mut synonymes: Vec<_> = c.synonymes.iter().collect();
            synonymes.sort();
            texte.push_str(&format!(
                "{nom:?} {} {:?} {synonymes:?}\n",
                c.fermee, c.valeurs
            ));
        }
        texte
    }

    /// The contract's vocabulary extended by the model's: column → value → spellings.
    pub fn new(du_modele: &BTreeMap<String, BTreeMap<String, Vec<String>>>) -> Vocabulaire {
        let mut colonnes = HashMap::new();
        let mut public = Colonne {
            fermee: true,
            valeurs: Vec::new(),
            synonymes: HashMap::new(),
        };
        for p in PUBLICS {
            public.valeurs.push(p.valeur.to_string());
            public
                .synonymes
                .insert(p.valeur.to_string(), p.valeur.to_string());
            for n in p.ecritures {
                public.synonymes.insert(normalise(n), p.valeur.to_string());
            }
        }
        colonnes.insert(COLONNE_PUBLIC.to_string(), public);
        for (colonne, valeurs) in du_modele {
            let c = colonnes
                .entry(normalise(colonne))
                .or_insert_with(|| Colonne {
                    fermee: false,
                    valeurs: Vec::new(),
                    synonymes: HashMap::new(),
                });
            for (valeur, noms) in valeurs {
                let v = normalise(valeur);
                if !c.valeurs.contains(&v) {
                    c.valeurs.push(v.clone());
                }
                c.synonymes.insert(v.clone(), v.clone());
                for n in noms {
                    c.synonymes.insert(normalise(n), v.clone());
                }
            }
        }
        Vocabulaire { colonnes }
    }

    /// The accepted values of a closed column, if `colonne` is one.
    pub fn valeurs_fermees(&self, colonne: &str) -> Option<&[String]> {
        self.colonnes
            .get(colonne)
            .filter(|c| c.fermee)
            .map(|c| c.valeurs.as_slice())
    }

    /// Whether `colonne` has a vocabulary.
    pub fn connait(&self, colonne: &str) -> bool {
        self.colonnes.contains_key(colonne)
    }

    /// The value of `normalisee` (an already normalised cell) in `colonne`.
    pub fn traduire(&self, colonne: &str, normalisee: &str) -> Result<String, Inconnue> {
        let Some(c) = self.colonnes.get(colonne) else {
            return Ok(normalisee.to_string());
        };
        if let Some(v) = c.synonymes.get(normalisee) {
            return Ok(v.clone());
        }
        if !c.fermee {
            return Ok(normalisee.to_string());
        }
        let proche = c
            .synonymes
            .iter()
            .map(|(s, v)| (strsim::jaro_winkler(s, normalisee), s, v))
            .filter(|(score, _, _)| *score >= 0.75)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, _, v)| v.clone());
        Err(Inconnue {
            valeurs: c.valeurs.clone(),
            proche,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_spellings_of_the_public_are_brought_to_femme_trans_and_homme() {
        let v = Vocabulaire::new(&BTreeMap::new());
        for (ecrit, attendu) in [
            ("F", "femme"),
            ("Femme", "femme"),
            ("femme cis", "femme"),
            ("FEMME", "femme"),
            ("Femme trans", "trans"),
            ("Trans", "trans"),
            ("H", "homme"),
            ("Masculin", "homme"),
        ] {
            assert_eq!(
                v.traduire("public", &normalise(ecrit)).as_deref(),
                Ok(attendu)
            );
        }
    }

    #[test]
    fn an_unknown_public_lists_the_accepted_values_and_the_closest_one() {
        let v = Vocabulaire::new(&BTreeMap::new());
        let e = v.traduire("public", "fmme").unwrap_err();
        assert_eq!(e.valeurs, ["femme", "trans", "homme"]);
        assert_eq!(e.proche.as_deref(), Some("femme"));
    }

    #[test]
    fn the_model_extends_the_vocabulary_of_any_column() {
        let mut m = BTreeMap::new();
        m.insert(
            "public".to_string(),
            BTreeMap::from([("femme".to_string(), vec!["Fille".to_string()])]),
        );
        m.insert(
            "programme".to_string(),
            BTreeMap::from([("internet".to_string(), vec!["Web".to_string()])]),
        );
        let v = Vocabulaire::new(&m);
        assert_eq!(v.traduire("public", "fille").as_deref(), Ok("femme"));
        assert_eq!(v.traduire("programme", "web").as_deref(), Ok("internet"));
        assert_eq!(v.traduire("programme", "rue").as_deref(), Ok("rue"));
    }
}
