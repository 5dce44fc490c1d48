//! The personal data guard, end to end: a project copied from the sample,
//! one personal value put in one of its exports (in a column of its own, in
//! the person code, in a category the model reads) or one personal header
//! added; `rapport check` and `rapport build` then refuse it, name the file,
//! the line, the column and what the value looks like, write nothing, and
//! never print the value.

mod commun;

use std::path::Path;
use std::process::Output;

use commun::*;

fn messages(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Rewrites the export `fichier` of `projet`: `entete` appended to the
/// header line (if any), and `cellule(n)` gives the new cell of data line
/// `n` (1 = the first after the header): appended, or replacing the cell of
/// column `remplace`.
fn modifier(
    projet: &Path,
    fichier: &str,
    entete: Option<&str>,
    remplace: Option<&str>,
    cellule: impl Fn(usize) -> String,
) {
    let chemin = projet.join("donnees").join(fichier);
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let mut lignes = texte.lines();
    let tete = lignes.next().unwrap();
    let position = remplace.map(|c| tete.split(';').position(|e| e == c).unwrap());
    let mut sortie = String::new();
    sortie.push_str(tete);
    if let Some(e) = entete {
        sortie.push(';');
        sortie.push_str(e);
    }
    sortie.push('\n');
    for (n, ligne) in lignes.enumerate() {
        let valeur = cellule(n + 1);
        match position {
            Some(p) => {
                let mut cellules: Vec<&str> = ligne.split(';').collect();
                if !valeur.is_empty() {
                    cellules[p] = &valeur;
                }
                sortie.push_str(&cellules.join(";"));
            }
            None => {
                sortie.push_str(ligne);
                sortie.push(';');
                sortie.push_str(&valeur);
            }
        }
        sortie.push('\n');
    }
    std::fs::write(chemin, sortie).unwrap();
}

/// `check` and `build` on `projet`: both refused (exit 65) with messages
/// that contain every one of `mots` and none of `jamais`, and nothing
/// written into the output folder.
fn refuse(projet: &Path, mots: &[&str], jamais: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let sortie = dir.path().join("sortie");
    std::fs::create_dir_all(&sortie).unwrap();
    std::fs::write(
        sortie.join("rapport-2013.pdf"),
        b"le rapport de l'an dernier",
    )
    .unwrap();
    let avant = fichiers_sous(&sortie);
    let p = projet.to_str().unwrap();
    let check = rapport(&["check", "2013", "--projet", p]);
    let build = rapport(&[
        "build",
        "2013",
        "--projet",
        p,
        "--sortie",
        sortie.to_str().unwrap(),
        "--date",
        "2014-04-15",
    ]);
    for (commande, o) in [("check", &check), ("build", &build)] {
        let dit = messages(o);
        assert_eq!(o.status.code(), Some(65), "{commande} :\n{dit}");
        for mot in mots {
            assert!(dit.contains(mot), "{commande} : « {mot} » absent :\n{dit}");
        }
        for valeur in jamais {
            assert!(
                !dit.contains(valeur),
                "{commande} affiche « {valeur} » :\n{dit}"
            );
        }
    }
    let apres = fichiers_sous(&sortie);
    assert_eq!(apres, avant, "une sortie a été écrite");
    for (chemin, octets) in apres {
        for valeur in jamais {
            assert!(
                !String::from_utf8_lossy(&octets).contains(valeur),
                "« {valeur} » dans {}",
                chemin.display()
            );
        }
    }
}

/// What each kind of personal value looks like, and a value of that kind.
const GENRES: [(&str, &str); 8] = [
    ("une adresse e-mail", "ecrire a aminata.diallo@example.org"),
    ("un numéro de téléphone", "rappeler au +33 6 12 34 56 78"),
    ("un numéro de sécurité sociale", "2 95 01 99 126 111 46"),
    (
        "un IBAN (coordonnées bancaires)",
        "FR76 3000 6000 0112 3456 7890 189",
    ),
    ("une adresse postale", "dort au 12 rue des Lilas"),
    ("un nom de personne", "vue avec Aminata DIALLO"),
    ("une date de naissance", "née le 14/07/1987"),
    ("une date de naissance", "14/07/1987"),
];

#[test]
fn each_kind_of_personal_value_in_a_free_column_is_refused_by_position_without_its_value() {
    for (quoi, valeur) in GENRES {
        let projet = copie_echantillon();
        // Line 4 of the file: the third data line.
        modifier(
            projet.path(),
            "activites.csv",
            Some("commentaire"),
            None,
            |n| {
                if n == 3 {
                    valeur.to_string()
                } else if n % 7 == 0 {
                    "RAS".into()
                } else {
                    String::new()
                }
            },
        );
        refuse(
            projet.path(),
            &[
                "donnees/activites.csv",
                "ligne 4",
                "colonne « commentaire »",
                &format!("ressemble à {quoi}"),
                "sa valeur n'est pas affichée",
                "ignorer = [\"commentaire\"]",
            ],
            &[
                valeur,
                "DIALLO",
                "12 34 56 78",
                "3456 7890",
                "Lilas",
                "14/07/1987",
            ],
        );
    }
}

#[test]
fn many_cells_of_one_column_are_one_error_that_counts_the_other_lines() {
    let projet = copie_echantillon();
    modifier(
        projet.path(),
        "activites.csv",
        Some("remarque"),
        None,
        |n| {
            if n % 1000 == 10 {
                "Mme Ionescu".into()
            } else {
                String::new()
            }
        },
    );
    refuse(
        projet.path(),
        &[
            "ligne 11",
            "colonne « remarque »",
            "un nom de personne (et 5 autres lignes de cette colonne)",
        ],
        &["Ionescu"],
    );
}

#[test]
fn a_name_in_the_person_code_is_refused_without_being_printed() {
    let projet = copie_echantillon();
    modifier(
        projet.path(),
        "activites.csv",
        None,
        Some("personne"),
        |n| {
            if n == 1 {
                "Aminata".into()
            } else {
                String::new()
            }
        },
    );
    refuse(
        projet.path(),
        &[
            "ligne 2",
            "colonne « personne »",
            "ressemble à un nom de personne",
        ],
        &["Aminata"],
    );
}

#[test]
fn a_social_security_number_in_a_category_the_model_reads_is_refused_without_being_printed() {
    let projet = copie_echantillon();
    modifier(
        projet.path(),
        "activites.csv",
        None,
        Some("categorie"),
        |n| {
            if n == 5 {
                "1 80 05 31 555 123 34".into()
            } else {
                String::new()
            }
        },
    );
    refuse(
        projet.path(),
        &[
            "ligne 6",
            "colonne « categorie »",
            "ressemble à un numéro de sécurité sociale",
        ],
        &["1 80 05 31 555 123 34", "555 123"],
    );
}

#[test]
fn a_full_name_column_is_refused_and_its_names_never_printed() {
    let projet = copie_echantillon();
    modifier(
        projet.path(),
        "activites.csv",
        Some("Nom complet"),
        None,
        |n| format!("Personne{n} Dupont"),
    );
    refuse(
        projet.path(),
        &[
            "donnees/activites.csv",
            "ligne 1",
            "colonne « Nom complet »",
            "données personnelles (des noms de personnes)",
            "ignorer = [\"Nom complet\"]",
        ],
        &["Dupont"],
    );
}

#[test]
fn a_date_of_birth_column_in_the_cases_is_refused_and_its_dates_never_printed() {
    let projet = copie_echantillon();
    modifier(
        projet.path(),
        "suivis.csv",
        Some("Date of birth"),
        None,
        |n| format!("{:02}/03/1984", n % 28 + 1),
    );
    refuse(
        projet.path(),
        &[
            "donnees/suivis.csv",
            "ligne 1",
            "colonne « Date of birth »",
            "des dates ou des lieux de naissance",
            "ignorer = [\"Date of birth\"]",
        ],
        &["/03/1984"],
    );
}

/// Builds `projet` into a new folder, which must succeed; gives what
/// `check` and `build` said and the output folder.
fn construit(projet: &Path) -> (String, tempfile::TempDir) {
    let sortie = tempfile::tempdir().unwrap();
    let p = projet.to_str().unwrap();
    let check = rapport(&["check", "2013", "--projet", p]);
    let build = rapport(&[
        "build",
        "2013",
        "--projet",
        p,
        "--sortie",
        sortie.path().to_str().unwrap(),
        "--date",
        "2014-04-15",
    ]);
    let dit = format!("{}{}", messages(&check), messages(&build));
    assert!(matches!(check.status.code(), Some(0 | 1)), "{dit}");
    assert!(build.status.success(), "{dit}");
    (dit, sortie)
}

#[test]
fn the_sample_itself_passes_the_guard() {
    let projet = copie_echantillon();
    let (dit, sortie) = construit(projet.path());
    assert!(!dit.contains("ressemble à"), "{dit}");
    assert!(!dit.contains("données personnelles"), "{dit}");
    assert!(sortie.path().join("rapport-2013.pdf").exists());
}

#[test]
fn remarks_with_this_years_dates_counts_and_places_pass_the_guard() {
    let projet = copie_echantillon();
    let remarques = [
        "rdv le 12/03/2013 à 14h",
        "2 places au 115",
        "orientée vers le CAARUD",
        "Mme a été orientée vers la PASS",
        "vue à Jean Jaurès",
        "5 rue et 2 net",
        "Nigériane, arrivée en 2012",
    ];
    modifier(
        projet.path(),
        "activites.csv",
        Some("commentaire"),
        None,
        |n| remarques[n % remarques.len()].to_string(),
    );
    let (dit, _) = construit(projet.path());
    assert!(!dit.contains("ressemble à"), "{dit}");
}

#[test]
fn a_free_column_the_model_ignores_is_never_read_and_reaches_no_output() {
    let projet = copie_echantillon();
    modifier(
        projet.path(),
        "activites.csv",
        Some("commentaire"),
        None,
        |n| {
            if n % 50 == 0 {
                "2 95 01 99 126 111 46, née le 14/07/1987".into()
            } else {
                String::new()
            }
        },
    );
    let mut modele = std::fs::read_to_string(projet.path().join("rapport.toml")).unwrap();
    modele.push_str("\n[exports.activites]\nignorer = [\"commentaire\"]\n");
    std::fs::write(projet.path().join("rapport.toml"), modele).unwrap();
    let (dit, sortie) = construit(projet.path());
    assert!(!dit.contains("ressemble à"), "{dit}");
    for (chemin, octets) in fichiers_sous(sortie.path()) {
        let texte = String::from_utf8_lossy(&octets);
        assert!(!texte.contains("126 111"), "{}", chemin.display());
        assert!(!texte.contains("14/07/1987"), "{}", chemin.display());
    }
}
