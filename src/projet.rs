//! Reading a project: its folder, its model and its exports, checked, and
//! the date its documents print. What every command starts from.

use crate::error::{Erreur, Probleme, Resultat};
use crate::suivi::Suivi;

/// Fails with a clear message unless `projet` is a folder.
pub fn verifier_projet(projet: &std::path::Path) -> Resultat<()> {
    if projet.is_dir() {
        return Ok(());
    }
    Err(Erreur::absent(
        Probleme::new(projet, "dossier de projet introuvable")
            .correction("indiquez le dossier qui contient rapport.toml avec --projet"),
    ))
}

/// The model of `projet` and its exports, read and checked: what every command works from.
/// Fails with every error found; warnings (an encoding guessed…) go to standard error.
pub fn lire_projet(
    projet: &std::path::Path,
    suivi: &Suivi,
) -> Resultat<(crate::model::Modele, crate::exports::Exports)> {
    lire_projet_en_cache(projet, None, suivi)
}

/// [`lire_projet`], the exports unchanged since a command read them loaded
/// from the cache `cache` (`SORTIE/.cache`), if given.
pub fn lire_projet_en_cache(
    projet: &std::path::Path,
    cache: Option<&std::path::Path>,
    suivi: &Suivi,
) -> Resultat<(crate::model::Modele, crate::exports::Exports)> {
    let modele = crate::model::Modele::lire(projet, suivi)?;
    let mut constats = crate::error::Constats::default();
    let exports = lire_exports(projet, &modele, None, cache, &mut constats, suivi);
    let constats = constats.resultat()?;
    for a in constats.seulement_avertissements() {
        crate::signaler!("{a}");
    }
    Ok((modele, exports))
}

/// Reads the exports of `projet` as `modele` needs them; `controles` adds the
/// warnings of `rapport check`; `cache`, the folder of the cache of checked
/// exports, if used.
pub fn lire_exports(
    projet: &std::path::Path,
    modele: &crate::model::ModeleDeclare,
    controles: Option<crate::exports::Bornes>,
    cache: Option<&std::path::Path>,
    constats: &mut crate::error::Constats,
    suivi: &Suivi,
) -> crate::exports::Exports {
    let besoins = modele.besoins();
    let vocabulaire = crate::exports::Vocabulaire::new(&modele.vocabulaire);
    let options = crate::exports::Options {
        besoins: &besoins,
        reglages: &modele.exports,
        vocabulaire: &vocabulaire,
        controles,
        suivi,
        cache,
    };
    crate::exports::lire(
        &projet.join("donnees"),
        std::path::Path::new("donnees"),
        &options,
        constats,
    )
}

/// The date printed on the documents: `demandee` (the `--date` flag) if
/// given, else the model's `[rapport] date`, else `SOURCE_DATE_EPOCH`, else
/// today (UTC). Only the last depends on the clock.
pub fn date_du_document(
    demandee: Option<time::Date>,
    modele: &crate::model::ModeleDeclare,
) -> Resultat<time::Date> {
    if let Some(d) = demandee {
        return Ok(d);
    }
    if let Some(d) = modele.date()? {
        return Ok(d);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => {
            let secondes: i64 = s.trim().parse().map_err(|_| {
                Erreur::Interne(format!(
                    "SOURCE_DATE_EPOCH=« {s} » n'est pas un nombre de secondes"
                ))
            })?;
            time::OffsetDateTime::from_unix_timestamp(secondes)
                .map(|t| t.date())
                .map_err(|e| Erreur::Interne(format!("SOURCE_DATE_EPOCH : {e}")))
        }
        Err(_) => Ok(time::OffsetDateTime::now_utc().date()),
    }
}
