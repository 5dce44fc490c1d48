//! `rapport journal ANNEE`: reads its arguments and the project's model,
//! and writes the journal to fill in ([`crate::journal`]) as
//! `journal-ANNEE.xlsx`, never over an existing one.

use crate::cli::JournalArgs;
use crate::error::{Erreur, Resultat};
use crate::journal::{self, Journal, MODE_D_EMPLOI};
use crate::model::Modele;
use crate::output::{self, Sorties, noms};
use crate::suivi::Suivi;

/// Runs `rapport journal`.
pub fn executer(args: &JournalArgs, suivi: &Suivi) -> Resultat<()> {
    let projet = &args.projet.projet;
    let sortie = args
        .projet
        .sortie
        .clone()
        .unwrap_or_else(|| projet.join("sortie"));
    crate::projet::verifier_projet(projet)?;
    let modele = Modele::lire(projet, suivi)?;
    let nom = noms::journal(args.annee);
    let cible = sortie.join(&nom);
    // A journal may hold a year of work: it is never replaced.
    if std::fs::symlink_metadata(&cible).is_ok() {
        return Err(Erreur::Usage(format!(
            "« {} » existe déjà : rapport journal ne remplace jamais un journal, qui peut avoir été rempli\n  correction : renommez ou déplacez ce fichier, ou écrivez le nouveau ailleurs avec --sortie DOSSIER",
            cible.display()
        )));
    }
    output::verifier_dossier(&sortie)?;
    let date = crate::projet::date_du_document(None, &modele)?;
    let journal = Journal::du_modele(&modele, args.annee);
    let mut sorties = Sorties::default();
    sorties.ajouter(&nom, journal::classeur(&journal, date)?);
    sorties.ecrire(&sortie, suivi)?;
    let feuilles: Vec<&str> = journal.feuilles.iter().map(|f| f.nom()).collect();
    crate::afficher!("Journal {} écrit dans {} :", args.annee, sortie.display());
    crate::afficher!(
        "  {nom}   « {MODE_D_EMPLOI} », puis une feuille par export : {}",
        feuilles.join(", ")
    );
    let donnees = projet.join("donnees");
    let dans_les_donnees = matches!(
        (sortie.canonicalize(), donnees.canonicalize()),
        (Ok(a), Ok(b)) if a == b
    );
    if dans_les_donnees {
        crate::afficher!(
            "\nRemplissez-le (lisez d'abord sa feuille « {MODE_D_EMPLOI} ») : rapport build {} le lit là où il est.",
            args.annee
        );
    } else {
        crate::afficher!(
            "\nRemplissez-le (lisez d'abord sa feuille « {MODE_D_EMPLOI} »), puis enregistrez-le dans {} sous le nom {nom} : rapport build {} le lira.",
            donnees.display(),
            args.annee
        );
    }
    Ok(())
}
