//! The record of the definitions a build used (`definitions-ANNEE.json`,
//! beside the outputs), so that a later comparison can tell when an
//! indicator's definition changed since a year's report was published.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::Modele;

/// The record of a build of `annee` dated `date`, with the pattern of the
/// statistical secret it published (`secret`), as JSON bytes.
pub fn ecrire(modele: &Modele, annee: i32, date: time::Date, secret: Value) -> Vec<u8> {
    let indicateurs: serde_json::Map<String, Value> = modele
        .indicateurs
        .keys()
        .map(|id| (id.clone(), modele.definition(id)))
        .collect();
    let releve = json!({
        "annee": annee,
        "date": date.to_string(),
        "indicateurs": indicateurs,
        "secret": secret,
    });
    let mut octets = serde_json::to_vec_pretty(&releve).unwrap_or_default();
    octets.push(b'\n');
    octets
}

/// A record read back.
pub struct Releve {
    pub chemin: PathBuf,
    /// The date of the build, `AAAA-MM-JJ`.
    pub date: String,
    pub indicateurs: BTreeMap<String, Value>,
    /// The pattern of the secret: the years decided together and the cells hidden.
    pub secret: Option<Value>,
}

/// Reads the record of `annee` in `sortie`, if a build wrote one.
pub fn lire(sortie: &Path, annee: i32) -> Option<Releve> {
    let chemin = sortie.join(crate::output::noms::releve(annee));
    let valeur: Value = serde_json::from_slice(&std::fs::read(&chemin).ok()?).ok()?;
    let indicateurs = valeur
        .get("indicateurs")?
        .as_object()?
        .clone()
        .into_iter()
        .collect();
    let date = valeur
        .get("date")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let secret = valeur.get("secret").filter(|s| s.is_object()).cloned();
    Some(Releve {
        chemin,
        date,
        indicateurs,
        secret,
    })
}

/// The indicators of `modele` whose definition differs from the one recorded.
pub fn modifies(modele: &Modele, releve: &Releve) -> Vec<String> {
    modele
        .indicateurs
        .keys()
        .filter(|id| {
            releve
                .indicateurs
                .get(*id)
                .is_some_and(|d| *d != modele.definition(id))
        })
        .cloned()
        .collect()
}
