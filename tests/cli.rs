//! The command line as a coordinator meets it: bad input, hostile content.

mod commun;

use commun::*;

#[test]
fn a_malformed_date_stops_the_build_with_a_french_message_and_no_output() {
    let projet = copie_echantillon();
    let chemin = projet.path().join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let mut lignes: Vec<String> = texte.lines().map(String::from).collect();
    // Line 5 of the file (the header is line 1): its date becomes impossible.
    let (_, reste) = lignes[4].split_once(';').unwrap();
    lignes[4] = format!("31/02/2013;{reste}");
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();

    let sortie = projet.path().join("sortie");
    let resultat = rapport(&[
        "build",
        "2013",
        "--projet",
        projet.path().to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    assert_eq!(resultat.status.code(), Some(65));
    let message = String::from_utf8(resultat.stderr).unwrap();
    assert!(
        message.contains("activites.csv, ligne 5, colonne « date »"),
        "{message}"
    );
    assert!(
        message.contains("« 31/02/2013 » n'est pas une date valide"),
        "{message}"
    );
    assert!(
        message.contains("attendu : une date JJ/MM/AAAA"),
        "{message}"
    );
    assert!(!sortie.join("rapport-2013.pdf").exists());
    let restes: Vec<_> = std::fs::read_dir(&sortie)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(restes.is_empty(), "fichiers laissés : {restes:?}");
}

#[test]
fn an_unknown_public_names_the_accepted_values() {
    let projet = copie_echantillon();
    let chemin = projet.path().join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    // Second data row: its `public` (4th column) becomes a value outside the contract.
    let mut lignes: Vec<String> = texte.lines().map(String::from).collect();
    let mut cellules: Vec<String> = lignes[2].split(';').map(String::from).collect();
    cellules[3] = "inconnu".into();
    lignes[2] = cellules.join(";");
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();
    let resultat = rapport(&["build", "2013", "--projet", projet.path().to_str().unwrap()]);
    assert_eq!(resultat.status.code(), Some(65));
    let message = String::from_utf8(resultat.stderr).unwrap();
    assert!(message.contains("ligne 3, colonne « public »"), "{message}");
    assert!(message.contains("femme, trans, homme"), "{message}");
}

#[test]
fn a_missing_project_exits_with_the_missing_input_code() {
    let dir = tempfile::tempdir().unwrap();
    let resultat = rapport(&[
        "build",
        "2013",
        "--projet",
        dir.path().join("absent").to_str().unwrap(),
    ]);
    assert_eq!(resultat.status.code(), Some(66));
    assert!(
        String::from_utf8(resultat.stderr)
            .unwrap()
            .contains("dossier de projet introuvable")
    );
}

#[test]
fn a_wrong_year_is_a_usage_error() {
    let resultat = rapport(&["build", "deux-mille"]);
    assert_eq!(resultat.status.code(), Some(64));
}

const HOSTILE: [&str; 8] = [
    "#read(\"/etc/passwd\")",
    "]",
    "$x$",
    "@ref",
    "<lbl>",
    "= Titre",
    "*gras*",
    "// note",
];

#[test]
fn markup_in_csv_cells_and_labels_appears_literally_in_the_pdf() {
    let projet = copie_echantillon();
    let p = projet.path();
    // Glossary cells (a CSV read into the document).
    let mut glossaire = std::fs::read_to_string(p.join("glossaire.csv")).unwrap();
    for (i, h) in HOSTILE.iter().enumerate() {
        glossaire.push_str(&format!("ZZ{i};Valeur {h} fin\n"));
    }
    std::fs::write(p.join("glossaire.csv"), glossaire).unwrap();
    // A table row label and a narrative text; the glossary shown whole,
    // though no text uses these entries.
    let modele = std::fs::read_to_string(p.join("rapport.toml"))
        .unwrap()
        .replace(
            "glossaire = \"glossaire.csv\"\n",
            "glossaire = \"glossaire.csv\"\nglossaire_complet = true\n",
        )
        .replace(
            "libelle = \"Tournées virtuelles et téléphoniques\"",
            "libelle = \"Tournées #read(\\\"/etc/passwd\\\") $x$ @ref\"",
        );
    std::fs::write(p.join("rapport.toml"), modele).unwrap();
    std::fs::write(
        p.join("textes/projets.md"),
        "Texte avec \\#read(\"/etc/passwd\") et $x$ et @ref et <lbl> et // note.\n",
    )
    .unwrap();

    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    let texte = texte_pdf(&sortie.join("rapport-2013.pdf"));
    // Printed as written, in French typography (straight quotes become « »).
    let typo = |t: &str| plier(&rapport::texts::typographie::typographier(t));
    for (i, h) in HOSTILE.iter().enumerate() {
        let attendu = typo(&format!("ZZ{i} Valeur {h} fin"));
        assert!(texte.contains(&attendu), "« {attendu} » absent du PDF");
    }
    assert!(
        texte.contains("Tournées #read(« /etc/passwd ») $x$ @ref 34"),
        "{texte}"
    );
    // Printed as written, but in French typography: straight quotes become « ».
    assert!(
        texte.contains("Texte avec #read(« /etc/passwd ») et $x$ et @ref et <lbl> et // note."),
        "{texte}"
    );
    assert!(
        !texte.contains("root:"),
        "le contenu de /etc/passwd a fuité"
    );
}

/// Typst code in a narrative text is data: printed as written, never run.
/// Had Typst run it, the build would have failed, the sandbox refusing both
/// the read and the package (see tests/gabarits.rs): its success shows that
/// nothing was read.
#[test]
fn typst_code_in_a_narrative_text_is_printed_literally_and_reads_nothing() {
    let projet = copie_echantillon();
    let p = projet.path();
    let phrase = "Ce texte cite #read(\"/etc/passwd\") et #import \"@preview/x:0.1.0\": * sans les exécuter.";
    std::fs::write(p.join("textes/projets.md"), format!("{phrase}\n")).unwrap();
    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    let texte = texte_pdf(&sortie.join("rapport-2013.pdf"));
    // As written, in French typography (quotes « », a space before the colon).
    let imprimee = "Ce texte cite #read(« /etc/passwd ») et #import « @preview/x:0.1.0 » : * sans les exécuter.";
    assert!(texte.contains(imprimee), "phrase absente du PDF : {texte}");
    assert!(
        !texte.contains("root:"),
        "le contenu de /etc/passwd a fuité"
    );
}

#[test]
fn a_misspelt_placeholder_names_the_text_the_line_and_the_closest_indicator() {
    let projet = copie_echantillon();
    let chemin = projet.path().join("textes/net.md");
    let texte = std::fs::read_to_string(&chemin)
        .unwrap()
        .replace("ind.contacts_net.total", "ind.contacts_nett.total");
    std::fs::write(&chemin, texte).unwrap();
    let sortie = projet.path().join("sortie");
    let r = rapport(&[
        "build",
        "2013",
        "--projet",
        projet.path().to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(65));
    let message = String::from_utf8(r.stderr).unwrap();
    assert!(
        message.contains(
            "textes/net.md, ligne 3 : la variable « ind.contacts_nett.total » n'existe pas"
        ),
        "{message}"
    );
    assert!(message.contains("« contacts_net »"), "{message}");
    assert!(!sortie.join("rapport-2013.pdf").exists());
}

#[test]
fn a_wrong_value_in_the_model_is_told_in_french_with_its_line() {
    let projet = copie_echantillon();
    let chemin = projet.path().join("rapport.toml");
    let modele = std::fs::read_to_string(&chemin).unwrap();
    let ligne = modele
        .lines()
        .position(|l| l == "mesure = \"lignes\"")
        .unwrap()
        + 1;
    std::fs::write(
        &chemin,
        modele.replacen("mesure = \"lignes\"", "mesure = \"compte\"", 1),
    )
    .unwrap();
    let r = rapport(&["build", "2013", "--projet", projet.path().to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(65));
    let message = String::from_utf8(r.stderr).unwrap();
    assert!(
        message.contains(&format!("rapport.toml, ligne {ligne} : valeur « compte » inconnue ; valeurs possibles : lignes, somme, personnes, nouvelles_personnes, part")),
        "{message}"
    );
}
