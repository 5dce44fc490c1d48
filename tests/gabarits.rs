//! Project templates (`[rapport] gabarits`) and the sandbox they run in:
//! they see the build's own files and nothing else.

mod commun;

use std::path::Path;

use commun::*;

/// The embedded template `nom`, as shipped in `templates/`.
fn integre(nom: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(nom),
    )
    .unwrap()
}

/// A copy of the sample whose model declares `gabarits = "gabarits"`, with `fichiers` (name, text) in that folder.
fn projet_avec_gabarits(fichiers: &[(&str, String)]) -> tempfile::TempDir {
    let projet = copie_echantillon();
    remplacer(
        projet.path(),
        "rapport.toml",
        "glossaire = \"glossaire.csv\"\n",
        "glossaire = \"glossaire.csv\"\ngabarits = \"gabarits\"\n",
    );
    let dossier = projet.path().join("gabarits");
    std::fs::create_dir(&dossier).unwrap();
    for (nom, texte) in fichiers {
        std::fs::write(dossier.join(nom), texte).unwrap();
    }
    projet
}

#[test]
fn a_template_of_the_project_replaces_the_embedded_one_of_the_same_name() {
    let rapport = integre("rapport.typ") + "\n#par(\"Mis en page par le gabarit du projet.\")\n";
    let extrait =
        integre("extrait.typ") + "\n#par(\"Extrait mis en page par le gabarit du projet.\")\n";
    let projet = projet_avec_gabarits(&[("rapport.typ", rapport), ("extrait.typ", extrait)]);
    let sortie = projet.path().join("sortie");
    construire(projet.path(), &sortie, 2013);
    lancer_sur(
        projet.path(),
        &sortie,
        &["extract", "--financeur", "ars", "2013"],
    );
    lancer_sur(projet.path(), &sortie, &["compare", "2012", "2013"]);

    let rapport = texte_pdf(&sortie.join("rapport-2013.pdf"));
    assert!(rapport.contains("Mis en page par le gabarit du projet."));
    // The rest of the report is still there: the project's template uses the embedded commun.typ.
    assert!(rapport.contains("Glossaire"));
    let extrait = texte_pdf(&sortie.join("extraits/ars-2013.pdf"));
    assert!(extrait.contains("Extrait mis en page par le gabarit du projet."));
    // No comparaison.typ in the project: the embedded one.
    let comparaison = texte_pdf(&sortie.join("comparaison-2012-2013.pdf"));
    assert!(comparaison.contains("Comparaison 2012 et 2013"));
    assert!(!comparaison.contains("gabarit du projet"));
}

#[test]
fn a_template_reaching_outside_the_build_is_refused_with_the_file_the_line_and_the_path() {
    // (template, line added at its end, what the message must name as refused)
    let cas = [
        ("rapport.typ", "#read(\"/etc/passwd\")", "« /etc/passwd »"),
        (
            "rapport.typ",
            "#read(\"../rapport.toml\")",
            "« ../rapport.toml »",
        ),
        (
            "rapport.typ",
            "#read(\"/rapport.toml\")",
            "« /rapport.toml »",
        ),
        (
            "rapport.typ",
            "#let x = csv(\"/donnees/activites.csv\")",
            "« /donnees/activites.csv »",
        ),
        (
            "rapport.typ",
            "#image(\"/textes/net.md\")",
            "« /textes/net.md »",
        ),
        (
            "rapport.typ",
            "#import \"@preview/x:0.1.0\": *",
            "le paquet Typst « @preview/x:0.1.0 »",
        ),
        (
            "commun.typ",
            "#let fuite = read(\"/etc/passwd\")",
            "« /etc/passwd »",
        ),
    ];
    for (nom, ligne, refuse) in cas {
        let texte = integre(nom);
        let numero = texte.lines().count() + 1;
        let projet = projet_avec_gabarits(&[(nom, format!("{texte}{ligne}\n"))]);
        let sortie = projet.path().join("sortie");
        let r = rapport(&[
            "build",
            "2013",
            "--projet",
            projet.path().to_str().unwrap(),
            "--sortie",
            sortie.to_str().unwrap(),
        ]);
        let message = String::from_utf8(r.stderr).unwrap();
        assert_eq!(r.status.code(), Some(65), "{ligne} : {message}");
        assert!(
            message.contains(&format!("gabarits/{nom}, ligne {numero} : le gabarit")),
            "{ligne} : {message}"
        );
        assert!(message.contains(refuse), "{ligne} : {message}");
        assert!(message.contains("refusé"), "{ligne} : {message}");
        assert!(message.contains("correction : "), "{ligne} : {message}");
        // Nothing of the refused files leaks, and nothing is written.
        assert!(!message.contains("root:"), "{message}");
        assert!(!message.contains("[association]"), "{message}");
        assert!(!message.contains("panicked"), "{message}");
        assert!(!sortie.join("rapport-2013.pdf").exists());
    }
}

#[test]
fn a_mistake_in_a_template_of_the_project_is_a_data_error_at_its_line() {
    let texte = integre("rapport.typ");
    let numero = texte.lines().count() + 1;
    let projet = projet_avec_gabarits(&[("rapport.typ", format!("{texte}#let x = \n"))]);
    let r = rapport(&["build", "2013", "--projet", projet.path().to_str().unwrap()]);
    let message = String::from_utf8(r.stderr).unwrap();
    assert_eq!(r.status.code(), Some(65), "{message}");
    assert!(
        message.contains(&format!(
            "gabarits/rapport.typ, ligne {numero} : erreur de Typst"
        )),
        "{message}"
    );
    assert!(
        message.contains("retirez-le du dossier gabarits pour revenir au gabarit intégré"),
        "{message}"
    );
}

#[test]
fn a_missing_templates_folder_is_a_missing_input_named_in_the_model() {
    let projet = copie_echantillon();
    remplacer(
        projet.path(),
        "rapport.toml",
        "glossaire = \"glossaire.csv\"\n",
        "glossaire = \"glossaire.csv\"\ngabarits = \"mes-gabarits\"\n",
    );
    let r = rapport(&["build", "2013", "--projet", projet.path().to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(66));
    let message = String::from_utf8(r.stderr).unwrap();
    assert!(
        message.contains(
            "rapport.toml, [rapport.gabarits] : le dossier « mes-gabarits » est introuvable"
        ),
        "{message}"
    );
}
