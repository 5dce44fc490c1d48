//! `rapport extract --financeur ID ANNEE` and `--tous`: reads its arguments
//! and dispatches to the extracts stage ([`crate::extraits`]), as PDF, XLSX
//! and CSV; small counts masked like everywhere else.

use crate::cli::ExtractArgs;
use crate::document;
use crate::error::{Erreur, Resultat};
use crate::extraits::{extrait, pdf, xlsx};
use crate::model::FormatExtrait;
use crate::output::{Sorties, noms};
use crate::suivi::Suivi;

/// Runs `rapport extract`.
pub fn executer(args: &ExtractArgs, suivi: &Suivi) -> Resultat<()> {
    let c = super::contexte(&args.projet, &args.document)?;
    let (projet, sortie) = (&c.projet, &c.sortie);
    let (modele, exports) = crate::projet::lire_projet_en_cache(projet, c.cache.as_deref(), suivi)?;
    let date = crate::projet::date_du_document(c.date, &modele)?;
    let gabarits = document::Gabarits::du_projet(projet, &modele)?;
    let ids: Vec<String> = if args.tous {
        modele
            .financeurs
            .iter()
            .filter(|(_, f)| !f.tableaux.is_empty())
            .map(|(id, _)| id.clone())
            .collect()
    } else {
        let id = args.financeur.clone().unwrap_or_default();
        if !modele.financeurs.contains_key(&id) {
            return Err(Erreur::Usage(format!(
                "financeur « {id} » inconnu ; financeurs du modèle : {}",
                modele
                    .financeurs
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        vec![id]
    };
    if ids.is_empty() {
        return Err(Erreur::Usage(
            "aucun financeur du modèle ne déclare de tableaux ([[financeurs.ID.tableaux]])".into(),
        ));
    }
    let annees = crate::publication::annees(&modele, &[args.annee - 1, args.annee]);
    let publie = crate::publication::publier(
        &modele,
        &exports,
        &annees,
        Some(sortie),
        Some(args.annee),
        suivi,
    )?;
    publie.signaler();
    let figures = &publie.figures;
    let mut sorties = Sorties::default();
    let mut ecrits = Vec::new();
    for id in &ids {
        let f = &modele.financeurs[id];
        let e = extrait(&modele, figures, id, args.annee);
        for format in &f.formats {
            let (ext, octets) = match format {
                FormatExtrait::Pdf => (
                    "pdf",
                    pdf(&gabarits, projet, &modele, &e, figures, date, suivi)?,
                ),
                FormatExtrait::Xlsx => ("xlsx", xlsx(&modele, f, &e, date)?),
                FormatExtrait::Csv => ("csv", e.tableaux.csv()?),
            };
            let nom = noms::extrait(id, args.annee, ext);
            ecrits.push(nom.clone());
            sorties.ajouter(nom, octets);
        }
    }
    if let Some((nom, avis)) = crate::publication::avis_desactive(&modele) {
        sorties.ajouter(nom, avis);
    }
    sorties.ecrire(sortie, suivi)?;
    if !c.quiet {
        crate::afficher!("Extraits {} écrits dans {} :", args.annee, sortie.display());
        for e in ecrits {
            crate::afficher!("  {e}");
        }
    }
    Ok(())
}
