//! `rapport compare A B` and `rapport compare A..B`: reads its arguments and
//! dispatches to the comparison stage ([`crate::comparaison`]).

use crate::cli::CompareArgs;
use crate::comparaison::{comparer, pdf};
use crate::document;
use crate::error::{Erreur, Resultat};
use crate::output::Sorties;
use crate::suivi::Suivi;

/// Parses the years of the command line: `2012 2013`, or a range `2011..2013`.
pub fn annees(arguments: &[String]) -> Result<Vec<i32>, String> {
    let annee = |t: &str| -> Result<i32, String> {
        t.trim()
            .parse::<i32>()
            .ok()
            .filter(|a| crate::model::ANNEES_POSSIBLES.contains(a))
            .ok_or_else(|| format!("« {t} » n'est pas une année (par exemple 2013)"))
    };
    let mut liste = match arguments {
        [plage] => {
            let (debut, fin) = plage
                .split_once("..")
                .ok_or("indiquez deux années (2012 2013) ou une plage (2011..2013)")?;
            let (debut, fin) = (annee(debut)?, annee(fin)?);
            if fin <= debut {
                return Err(format!(
                    "la plage {debut}..{fin} doit aller d'une année à une année postérieure"
                ));
            }
            (debut..=fin).collect()
        }
        [a, b] => vec![annee(a)?, annee(b)?],
        _ => return Err("indiquez deux années (2012 2013) ou une plage (2011..2013)".into()),
    };
    liste.sort();
    liste.dedup();
    if liste.len() < 2 {
        return Err("indiquez deux années différentes".into());
    }
    Ok(liste)
}

/// Runs `rapport compare`.
pub fn executer(args: &CompareArgs, suivi: &Suivi) -> Resultat<()> {
    let annees = annees(&args.annees).map_err(|m| {
        Erreur::Usage(format!(
            "{m}\n  exemple : rapport compare 2012 2013, ou rapport compare 2011..2013"
        ))
    })?;
    let c = super::contexte(&args.projet, &args.document)?;
    let (projet, sortie) = (&c.projet, &c.sortie);
    let (modele, comparaison, _) = comparer(projet, sortie, c.cache.as_deref(), &annees, suivi)?;
    let date = crate::projet::date_du_document(c.date, &modele)?;
    let gabarits = document::Gabarits::du_projet(projet, &modele)?;
    let (pdf, _) = pdf(&gabarits, &modele, &comparaison, date, suivi)?;
    let mut sorties = Sorties::default();
    sorties.ajouter(format!("{}.csv", comparaison.nom()), comparaison.csv()?);
    sorties.ajouter(format!("{}.pdf", comparaison.nom()), pdf);
    if let Some((nom, avis)) = crate::publication::avis_desactive(&modele) {
        sorties.ajouter(nom, avis);
    }
    sorties.ecrire(sortie, suivi)?;
    if !c.quiet {
        crate::afficher!(
            "{} — {}",
            modele.association.nom,
            comparaison
                .annees
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        crate::console::ecrire(crate::console::Flux::Standard, comparaison.texte());
        crate::afficher!(
            "\nÉcrit dans {} : {n}.csv, {n}.pdf",
            sortie.display(),
            n = comparaison.nom()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_two_or_a_range() {
        let a = |v: &[&str]| annees(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(a(&["2012", "2013"]), Ok(vec![2012, 2013]));
        assert_eq!(a(&["2013", "2011"]), Ok(vec![2011, 2013]));
        assert_eq!(a(&["2011..2013"]), Ok(vec![2011, 2012, 2013]));
        assert!(a(&["2013..2011"]).is_err());
        assert!(a(&["2013"]).is_err());
        assert!(a(&["2013", "2013"]).is_err());
    }
}
