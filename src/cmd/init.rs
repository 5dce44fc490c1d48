//! `rapport init DOSSIER`: a new project to fill in (the model, example
//! texts, the glossary, exports with their header only, and a LISEZMOI.md
//! for the coordinator), or with `--exemple` the complete sample project.
//! Every file is embedded in the binary, so that `init` works from an
//! installed `rapport`, anywhere.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::console::{Flux, ecrire};
use crate::error::{Erreur, Resultat};

/// Files of a folder of this repository, embedded, by their path relative to it.
macro_rules! embarques {
    ($dossier:literal : $($chemin:literal),+ $(,)?) => {
        &[$((
            $chemin,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $dossier, "/", $chemin)) as &[u8],
        )),+]
    };
}

/// The sample project, every file of `data-samples/` but its outputs
/// (a test checks that none is missing).
pub const EXEMPLE: &[(&str, &[u8])] = embarques!("data-samples":
    "rapport.toml",
    "glossaire.csv",
    "images/couverture.jpg",
    "images/logo.svg",
    "donnees/activites.csv",
    "donnees/indicateurs.csv",
    "donnees/suivis.csv",
    "photos/bus.jpg",
    "photos/local.svg",
    "textes/avant-propos.md",
    "textes/avq.md",
    "textes/droits.md",
    "textes/introduction.md",
    "textes/logement.md",
    "textes/net.md",
    "textes/projets.md",
    "textes/remerciements.md",
    "textes/repas.md",
    "textes/rue.md",
    "textes/site.md",
);

/// What the sample project gets besides `data-samples/`.
const LISEZMOI_EXEMPLE: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/modeles/exemple/LISEZMOI.md"
));

/// The files of a new project written as they are (`modeles/nouveau/`):
/// the model (whose name is then set), its texts and the coordinator's guide.
const NOUVEAU: &[(&str, &[u8])] = embarques!("modeles/nouveau":
    "LISEZMOI.md",
    "rapport.toml",
    "textes/avq.md",
    "textes/droits.md",
    "textes/introduction.md",
    "textes/logement.md",
    "textes/net.md",
    "textes/projets.md",
    "textes/remerciements.md",
    "textes/repas.md",
    "textes/rue.md",
    "textes/site.md",
);

/// The association's name in a new project when none is given.
pub const NOM_A_COMPLETER: &str = "Nom de l'association";

/// The line of the new model that holds the name, as embedded.
const LIGNE_DU_NOM: &str = "nom = \"Nom de l'association\"";

/// The exports a new project gets with their header line only, taken from the sample's.
const EXPORTS: [&str; 3] = [
    "donnees/activites.csv",
    "donnees/suivis.csv",
    "donnees/indicateurs.csv",
];

/// Runs `rapport init`.
pub fn executer(args: &InitArgs) -> Resultat<()> {
    // `projet/` and `projet` are the same folder; `.` and `..` stay as they are.
    let dossier: PathBuf = args.dossier.components().collect();
    let existe = verifier_place(&dossier)?;
    if args.exemple {
        crate::output::creer_projet(&dossier, existe, &projet_exemple())?;
        ecrire(Flux::Standard, bilan_exemple(&dossier));
        return Ok(());
    }
    let nom = match &args.association {
        Some(n) => Some(nom_valide(n).map_err(|m| {
            Erreur::Usage(format!(
                "--association : {m}\n  exemple : rapport init mon-association --association \"Les Amarres\""
            ))
        })?),
        None => demander_nom(),
    };
    let textes = NOUVEAU
        .iter()
        .filter(|(c, _)| c.starts_with("textes/"))
        .count();
    let mut fichiers: Vec<(String, Cow<'static, [u8]>)> =
        projet_nouveau(nom.as_deref().unwrap_or(NOM_A_COMPLETER))
            .into_iter()
            .map(|(chemin, octets)| (chemin.to_string(), octets))
            .collect();
    let journal = journal_nouveau(&fichiers)?;
    let nom_du_journal = journal.0.clone();
    fichiers.push(journal);
    crate::output::creer_projet(&dossier, existe, &fichiers)?;
    ecrire(
        Flux::Standard,
        bilan_nouveau(&dossier, nom.as_deref(), textes, &nom_du_journal),
    );
    Ok(())
}

/// The journal to fill in of a new project (`donnees/journal-ANNEE.xlsx`),
/// made from its model `fichiers` holds, for the year before the
/// document's date (today, or `SOURCE_DATE_EPOCH`): the year of the report
/// `init` says to build first. Beside the exports' header-only files, it is
/// one more empty export: `check` and `build` find the same.
pub fn journal_nouveau(
    fichiers: &[(String, Cow<'static, [u8]>)],
) -> Resultat<(String, Cow<'static, [u8]>)> {
    let interne = |e: String| Erreur::Interne(format!("modèle d'un nouveau projet : {e}"));
    let (_, texte) = fichiers
        .iter()
        .find(|(c, _)| c == crate::model::FICHIER)
        .ok_or_else(|| interne("absent".into()))?;
    let texte = std::str::from_utf8(texte).map_err(|e| interne(e.to_string()))?;
    let modele: crate::model::ModeleDeclare =
        toml::from_str(texte).map_err(|e| interne(e.to_string()))?;
    let date = crate::projet::date_du_document(None, &modele)?;
    let annee = date.year() - 1;
    let journal = crate::journal::Journal::du_modele(&modele, annee);
    Ok((
        format!("donnees/{}", crate::output::noms::journal(annee)),
        Cow::Owned(crate::journal::classeur(&journal, date)?),
    ))
}

/// Whether `dossier` exists (then as an empty folder); fails, changing
/// nothing, when it holds anything or is not a folder.
fn verifier_place(dossier: &Path) -> Resultat<bool> {
    let lecture = |e: std::io::Error| Erreur::Ecriture {
        chemin: dossier.to_path_buf(),
        cause: crate::error::cause(&e),
    };
    let affiche = dossier.display();
    let metadonnees = match std::fs::metadata(dossier) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A link to nowhere is something already there.
            if std::fs::symlink_metadata(dossier).is_ok() {
                return Err(Erreur::Usage(format!(
                    "« {affiche} » existe déjà (un lien vers un chemin absent) : rapport init ne remplace rien\n  correction : indiquez un dossier qui n'existe pas encore (rapport init le crée) ou un dossier vide"
                )));
            }
            return Ok(false);
        }
        Err(e) => return Err(lecture(e)),
    };
    if !metadonnees.is_dir() {
        return Err(Erreur::Usage(format!(
            "« {affiche} » existe déjà et n'est pas un dossier : rapport init ne remplace rien\n  correction : indiquez un dossier qui n'existe pas encore (rapport init le crée) ou un dossier vide"
        )));
    }
    if dossier.join(crate::model::FICHIER).exists() {
        return Err(Erreur::Usage(format!(
            "« {affiche} » contient déjà un projet ({}) : rapport init ne remplace rien\n  correction : pour vérifier ce projet, rapport check --projet {} ; pour en créer un nouveau, indiquez un dossier qui n'existe pas encore",
            crate::model::FICHIER,
            pour_le_shell(dossier)
        )));
    }
    if std::fs::read_dir(dossier)
        .map_err(lecture)?
        .next()
        .is_some()
    {
        return Err(Erreur::Usage(format!(
            "le dossier « {affiche} » n'est pas vide : rapport init n'écrit que dans un dossier nouveau ou vide, pour ne rien remplacer\n  correction : indiquez un dossier qui n'existe pas encore (rapport init le crée), ou videz celui-ci"
        )));
    }
    Ok(true)
}

/// `nom` without surrounding spaces, if it can be the association's name.
fn nom_valide(nom: &str) -> Result<String, String> {
    let nom = nom.trim();
    if nom.is_empty() {
        return Err("le nom de l'association est vide".into());
    }
    if nom.chars().any(char::is_control) {
        return Err(
            "le nom de l'association tient sur une ligne, sans tabulation ni caractère de contrôle"
                .into(),
        );
    }
    Ok(nom.to_string())
}

/// Asks the association's name on a terminal; `None` elsewhere, or when
/// the answer is empty: the name then remains to be filled in.
fn demander_nom() -> Option<String> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    ecrire(
        Flux::Erreur,
        "Nom de l'association, tel qu'il sera imprimé sur le rapport : ",
    );
    let mut ligne = String::new();
    std::io::stdin().read_line(&mut ligne).ok()?;
    nom_valide(&ligne).ok()
}

/// The files of a new project for the association `nom`.
pub fn projet_nouveau(nom: &str) -> Vec<(&'static str, Cow<'static, [u8]>)> {
    let mut fichiers: Vec<(&'static str, Cow<'static, [u8]>)> = Vec::new();
    for &(chemin, octets) in NOUVEAU {
        if chemin == crate::model::FICHIER {
            let modele = String::from_utf8_lossy(octets).replacen(
                LIGNE_DU_NOM,
                &format!("nom = {}", toml::Value::String(nom.to_string())),
                1,
            );
            fichiers.push((chemin, Cow::Owned(modele.into_bytes())));
        } else {
            fichiers.push((chemin, Cow::Borrowed(octets)));
        }
    }
    for &(chemin, octets) in EXEMPLE {
        if chemin == "glossaire.csv" {
            fichiers.push((chemin, Cow::Borrowed(octets)));
        } else if EXPORTS.contains(&chemin) {
            fichiers.push((chemin, Cow::Borrowed(entete(octets))));
        }
    }
    fichiers
}

/// The files of the sample project.
pub fn projet_exemple() -> Vec<(&'static str, Cow<'static, [u8]>)> {
    let mut fichiers: Vec<(&'static str, Cow<'static, [u8]>)> = EXEMPLE
        .iter()
        .map(|&(chemin, octets)| (chemin, Cow::Borrowed(octets)))
        .collect();
    fichiers.push(("LISEZMOI.md", Cow::Borrowed(LISEZMOI_EXEMPLE)));
    fichiers
}

/// The first line of a CSV file, line break included.
fn entete(octets: &[u8]) -> &[u8] {
    match octets.iter().position(|&o| o == b'\n') {
        Some(fin) => &octets[..=fin],
        None => octets,
    }
}

/// What `init` says it made, and what to do next.
fn bilan_nouveau(dossier: &Path, nom: Option<&str>, textes: usize, journal: &str) -> String {
    let mut bilan = match nom {
        Some(nom) => format!("Projet de « {nom} » créé dans {} :\n", dossier.display()),
        None => format!("Projet créé dans {} :\n", dossier.display()),
    };
    bilan += "  LISEZMOI.md     à lire en premier : ce qu'il faut remplir, dans quel ordre, les commandes\n";
    bilan +=
        "  rapport.toml    le modèle du rapport : indicateurs, tableaux, graphiques et parties\n";
    bilan += "  donnees/        activites.csv, suivis.csv, indicateurs.csv : leurs en-têtes, à remplacer par vos exports ;\n";
    bilan += &format!(
        "                  ou {}, le journal à remplir dans un tableur (lisez sa feuille « Mode d'emploi »)\n",
        journal.trim_start_matches("donnees/")
    );
    bilan += &format!("  textes/         {textes} textes d'exemple, à remplacer par les vôtres\n");
    bilan += "  glossaire.csv   les sigles et leur définition\n";
    if nom.is_none() {
        bilan += &format!(
            "\nLe nom de l'association reste à écrire : dans rapport.toml, section [association], remplacez « {NOM_A_COMPLETER} » par le vôtre.\n"
        );
    }
    let annee = time::OffsetDateTime::now_utc().year() - 1;
    bilan += &format!(
        "\nEnsuite :\n  cd {}\n  rapport check\n  rapport build {annee} --format pdf,html\n  rapport build {annee} --watch     (refait le rapport à chaque modification)\n",
        pour_le_shell(dossier)
    );
    bilan
}

/// What `init --exemple` says it made, and what to do next.
fn bilan_exemple(dossier: &Path) -> String {
    format!(
        "Projet d'exemple copié dans {} :\n\
         \x20 LISEZMOI.md     ce qu'est l'exemple, les commandes à essayer\n\
         \x20 rapport.toml    le modèle du rapport\n\
         \x20 donnees/        les exports fictifs de 2011 à 2013\n\
         \x20 textes/         les textes du rapport\n\
         \x20 glossaire.csv   les sigles et leur définition\n\
         \nEnsuite :\n  cd {}\n  rapport build 2013\n",
        dossier.display(),
        pour_le_shell(dossier)
    )
}

/// `chemin` as it can be typed in a shell: as is when it is made of plain
/// characters, else between single quotes.
fn pour_le_shell(chemin: &Path) -> String {
    let texte = chemin.display().to_string();
    let simple = |c: char| c.is_alphanumeric() || "/._-+,:@%".contains(c);
    if !texte.is_empty() && texte.chars().all(simple) {
        texte
    } else {
        format!("'{}'", texte.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_model_holds_the_line_of_the_name_once() {
        let (_, modele) = NOUVEAU
            .iter()
            .find(|(c, _)| *c == crate::model::FICHIER)
            .unwrap();
        let modele = std::str::from_utf8(modele).unwrap();
        assert_eq!(modele.matches(LIGNE_DU_NOM).count(), 1);
    }

    #[test]
    fn a_name_with_quotes_and_backslashes_is_written_as_a_toml_string() {
        let fichiers = projet_nouveau(r#"Les "Amarres" \ Toulouse"#);
        let (_, modele) = fichiers
            .iter()
            .find(|(c, _)| *c == crate::model::FICHIER)
            .unwrap();
        let valeur: toml::Table = toml::from_str(std::str::from_utf8(modele).unwrap()).unwrap();
        assert_eq!(
            valeur["association"]["nom"].as_str(),
            Some(r#"Les "Amarres" \ Toulouse"#)
        );
    }

    #[test]
    fn the_exports_of_a_new_project_hold_the_sample_header_only() {
        let fichiers = projet_nouveau("A");
        let (_, activites) = fichiers
            .iter()
            .find(|(c, _)| *c == "donnees/activites.csv")
            .unwrap();
        assert_eq!(
            activites.as_ref(),
            b"date;action;programme;public;personne;themes;quantite;categorie;montant;origine\n"
        );
    }

    #[test]
    fn a_name_is_trimmed_and_must_hold_on_one_line() {
        assert_eq!(nom_valide("  Les Amarres \n").unwrap(), "Les Amarres");
        assert!(nom_valide("   ").is_err());
        assert!(nom_valide("Les\nAmarres").is_err());
    }

    #[test]
    fn a_path_with_spaces_or_quotes_is_quoted_for_the_shell() {
        assert_eq!(pour_le_shell(Path::new("mon-asso/2025")), "mon-asso/2025");
        assert_eq!(pour_le_shell(Path::new("mon asso")), "'mon asso'");
        assert_eq!(pour_le_shell(Path::new("l'asso")), r"'l'\''asso'");
    }
}
