//! `rapport init`: a new project that builds and checks as it is, the sample
//! project copied whole, and folders that are never overwritten.

mod commun;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use commun::*;

/// `rapport init ARGS…`, which must succeed; gives its standard output.
fn init(args: &[&str]) -> String {
    let mut tout = vec!["init"];
    tout.extend(args);
    lancer(&tout)
}

/// Every entry under `dossier`, folders included (`None`), files with their bytes.
fn tout_sous(dossier: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut entrees = BTreeMap::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(d) = a_voir.pop() {
        for entree in std::fs::read_dir(&d).unwrap() {
            let chemin = entree.unwrap().path();
            let relatif = chemin.strip_prefix(dossier).unwrap().to_path_buf();
            if chemin.is_dir() {
                entrees.insert(relatif, None);
                a_voir.push(chemin);
            } else {
                entrees.insert(relatif, Some(std::fs::read(&chemin).unwrap()));
            }
        }
    }
    entrees
}

#[test]
fn a_new_project_builds_a_report_with_the_association_name_and_its_example_texts() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("mouettes");
    let dit = init(&[projet.to_str().unwrap(), "--association", "Les Mouettes"]);
    assert!(
        dit.contains("Projet de « Les Mouettes » créé dans"),
        "{dit}"
    );
    assert!(dit.contains("rapport build"), "{dit}");

    let sortie = dir.path().join("sortie");
    construire(&projet, &sortie, 2025);
    let pdf = sortie.join("rapport-2025.pdf");
    assert!(pdf_sain(&pdf));
    let texte = texte_pdf(&pdf);
    for attendu in [
        "Les Mouettes",
        "Rapport d'activité",
        // A sentence of textes/introduction.md, with its placeholder filled.
        "L'association Les Mouettes mène des actions de prévention, d'accès aux droits et aux soins",
        // The exports hold their header only: figures are not available.
        "En 2025, nous avons réalisé n.d. tournées de rue",
        "Glossaire",
    ] {
        assert!(
            texte.contains(attendu),
            "le PDF ne contient pas « {attendu} »"
        );
    }
    // Nothing of the sample's association.
    assert!(!texte.contains("Amarres"));
    assert!(!texte.contains("Toulouse"));
}

#[test]
fn a_new_project_has_its_model_texts_glossary_guide_and_header_only_exports() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("p");
    init(&[
        projet.to_str().unwrap(),
        "--association",
        "Les \"Mouettes\"",
    ]);
    let fichiers = fichiers_sous(&projet);
    let noms: Vec<&str> = fichiers.keys().map(|p| p.to_str().unwrap()).collect();
    // The journal to fill in is of last year (tests/journal.rs reads it).
    let journal = format!(
        "donnees/journal-{}.xlsx",
        time::OffsetDateTime::now_utc().year() - 1
    );
    assert_eq!(
        noms,
        [
            "LISEZMOI.md",
            "donnees/activites.csv",
            "donnees/indicateurs.csv",
            journal.as_str(),
            "donnees/suivis.csv",
            "glossaire.csv",
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
        ]
    );
    let texte = |f: &str| String::from_utf8(fichiers[Path::new(f)].clone()).unwrap();
    assert_eq!(
        texte("donnees/suivis.csv"),
        "personne;public;programme;type;ouverture;cloture\n"
    );
    assert_eq!(
        texte("donnees/indicateurs.csv"),
        "annee;indicateur;valeur\n"
    );
    assert_eq!(
        fichiers[Path::new("glossaire.csv")],
        std::fs::read(echantillon().join("glossaire.csv")).unwrap()
    );
    let modele: toml::Table = toml::from_str(&texte("rapport.toml")).unwrap();
    assert_eq!(
        modele["association"]["nom"].as_str(),
        Some("Les \"Mouettes\"")
    );
    // Today's date is printed, and the sample's funders are gone; its
    // indicators, tables, charts, sections and confidentiality rule stay.
    assert!(modele["rapport"].get("date").is_none());
    assert!(modele.get("financeurs").is_none());
    let echantillon: toml::Table =
        toml::from_str(&std::fs::read_to_string(echantillon().join("rapport.toml")).unwrap())
            .unwrap();
    for cle in [
        "ventilations",
        "indicateurs",
        "tableaux",
        "graphiques",
        "sections",
        "confidentialite",
    ] {
        assert_eq!(modele[cle], echantillon[cle], "[{cle}]");
    }
    let lisezmoi = texte("LISEZMOI.md");
    for attendu in [
        "rapport check",
        "rapport build 2025",
        "sortie/rapport-2025.pdf",
    ] {
        assert!(lisezmoi.contains(attendu), "LISEZMOI.md : « {attendu} »");
    }
}

#[test]
fn check_finds_no_error_in_a_new_project_only_its_empty_exports() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("p");
    init(&[projet.to_str().unwrap(), "--association", "Les Mouettes"]);
    // Warnings only: the three exports have no row yet; and, checking the
    // texts of a year, the glossary (the sample's, a library of the field's
    // sigles) has entries the example texts do not use.
    for (args, avertissements) in [(vec!["check"], 3), (vec!["check", "2025"], 4)] {
        let mut tout = args.clone();
        tout.extend(["--projet", projet.to_str().unwrap()]);
        let r = rapport(&tout);
        let dit = String::from_utf8(r.stdout).unwrap();
        assert_eq!(r.status.code(), Some(1), "{args:?} : {dit}");
        assert!(
            dit.contains(&format!("0 erreur, {avertissements} avertissements")),
            "{args:?} : {dit}"
        );
        assert_eq!(
            dit.contains("du glossaire ne figurent nulle part dans le rapport 2025"),
            avertissements == 4,
            "{dit}"
        );
        assert_eq!(
            dit.matches("le fichier n'a aucune ligne de données")
                .count(),
            3,
            "{dit}"
        );
    }
}

#[test]
fn without_a_name_off_a_terminal_the_model_holds_a_placeholder_and_says_where_to_change_it() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("p");
    // `rapport()` gives the command no standard input: it is not a terminal.
    let dit = init(&[projet.to_str().unwrap()]);
    assert!(
        dit.contains("remplacez « Nom de l'association » par le vôtre"),
        "{dit}"
    );
    assert!(dit.contains("rapport.toml"), "{dit}");
    let modele: toml::Table =
        toml::from_str(&std::fs::read_to_string(projet.join("rapport.toml")).unwrap()).unwrap();
    assert_eq!(
        modele["association"]["nom"].as_str(),
        Some("Nom de l'association")
    );
}

#[test]
fn the_sample_project_is_copied_whole_and_builds_the_reference_figures() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("exemple");
    let dit = init(&["--exemple", projet.to_str().unwrap()]);
    assert!(dit.contains("rapport build 2013"), "{dit}");

    // Every file of data-samples/, byte for byte (its outputs aside), and a guide.
    let mut copie = fichiers_sous(&projet);
    assert!(copie.remove(Path::new("LISEZMOI.md")).is_some());
    let mut attendu = fichiers_sous(&echantillon());
    attendu.retain(|p, _| !p.starts_with("sortie"));
    assert_eq!(
        copie.keys().collect::<Vec<_>>(),
        attendu.keys().collect::<Vec<_>>()
    );
    assert!(copie == attendu, "un fichier de l'exemple diffère");

    let sortie = dir.path().join("sortie");
    construire(&projet, &sortie, 2013);
    let net = lire_csv(&sortie.join("tableaux/net.csv"));
    assert_eq!(valeur(&net, "contacts_net", "Femmes", 2013), "716");
    assert_eq!(valeur(&net, "contacts_net", "Hommes", 2013), "823");
    let droits = lire_csv(&sortie.join("tableaux/droits.csv"));
    assert_eq!(valeur(&droits, "entretiens_droits", "2013", 2013), "223");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A folder with a file and an empty subfolder.
    let occupe = dir.path().join("occupe");
    std::fs::create_dir_all(occupe.join("vide")).unwrap();
    std::fs::write(occupe.join("notes.txt"), "à garder\n").unwrap();
    // An existing project.
    let projet = dir.path().join("projet");
    copier_echantillon(&projet);
    // A file where the folder should go.
    let fichier = dir.path().join("fichier");
    std::fs::write(&fichier, "pas un dossier\n").unwrap();

    let avant = tout_sous(dir.path());
    for (cible, message) in [
        (&occupe, "n'est pas vide"),
        (&projet, "contient déjà un projet (rapport.toml)"),
        (&fichier, "n'est pas un dossier"),
    ] {
        for exemple in [false, true] {
            let mut args = vec!["init", cible.to_str().unwrap()];
            if exemple {
                args.push("--exemple");
            }
            let r = rapport(&args);
            let erreur = String::from_utf8(r.stderr).unwrap();
            assert_eq!(r.status.code(), Some(64), "{args:?} : {erreur}");
            assert!(erreur.contains(message), "{args:?} : {erreur}");
            assert!(erreur.contains("correction :"), "{args:?} : {erreur}");
            assert!(r.stdout.is_empty());
        }
    }
    // Same entries, same bytes, and no temporary folder left beside them.
    assert!(tout_sous(dir.path()) == avant, "init a changé un fichier");
}

#[test]
fn an_existing_empty_folder_is_filled_in_place_with_nothing_temporary_left() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("vide");
    std::fs::create_dir(&projet).unwrap();
    init(&[projet.to_str().unwrap(), "--association", "Les Mouettes"]);
    assert!(projet.join("rapport.toml").is_file());
    assert!(projet.join("donnees/activites.csv").is_file());
    let caches: Vec<_> = tout_sous(dir.path())
        .into_keys()
        .filter(|p| p.to_string_lossy().contains(".rapport-"))
        .collect();
    assert_eq!(caches, Vec::<PathBuf>::new());
}

#[test]
fn a_new_project_gets_the_permissions_of_a_folder_the_user_creates() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let temoin = dir.path().join("temoin");
    std::fs::create_dir(&temoin).unwrap();
    let projet = dir.path().join("p");
    init(&[projet.to_str().unwrap(), "--association", "A"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&projet), mode(&temoin));
    assert_eq!(mode(&projet.join("textes")), mode(&temoin));
}

#[test]
fn a_project_is_created_with_the_folders_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("associations/2025/mouettes");
    init(&["--exemple", projet.to_str().unwrap()]);
    assert!(projet.join("rapport.toml").is_file());
}
