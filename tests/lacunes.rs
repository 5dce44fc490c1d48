//! No figure goes missing silently: every « n.d. » the data causes is listed
//! by `build` and is an error of `check` unless the years the files cover
//! explain it; a year no export covers is refused.

mod commun;

use commun::*;

fn sortie_de(r: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    )
}

/// The sample with the header `quantite` of activites.csv written `Effectif`.
fn avec_effectif() -> tempfile::TempDir {
    let projet = copie_echantillon();
    remplacer(
        projet.path(),
        "donnees/activites.csv",
        "themes;quantite;",
        "themes;Effectif;",
    );
    projet
}

#[test]
fn a_column_the_model_sums_missing_is_listed_by_build_with_the_header_to_map() {
    let projet = avec_effectif();
    let sortie = tempfile::tempdir().unwrap();
    let r = rapport(&[
        "build",
        "2013",
        "--projet",
        projet.path().to_str().unwrap(),
        "--sortie",
        sortie.path().to_str().unwrap(),
    ]);
    let dit = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{dit}");
    for mot in [
        "avertissement : donnees/activites.csv, colonne « quantite »",
        "5 indicateurs sont « n.d. » (2011, 2012, 2013)",
        "la colonne « quantite » manque dans donnees/activites.csv",
        "« Contacts » (contacts_net), « Contacts » (contacts_rue)",
        "« Couverts servis »",
        "« Effectif »",
        "[exports.activites] colonnes = { \"Effectif\" = \"quantite\" }",
    ] {
        assert!(dit.contains(mot), "« {mot} » absent :\n{dit}");
    }
    // The report itself says n.d. where the sum was.
    let texte = texte_pdf(&sortie.path().join("rapport-2013.pdf"));
    assert!(texte.contains("n.d."), "{texte}");
}

#[test]
fn a_column_the_model_sums_missing_is_an_error_of_check_with_or_without_a_year() {
    let projet = avec_effectif();
    let p = projet.path().to_str().unwrap();
    for args in [
        vec!["check", "--projet", p],
        vec!["check", "2013", "--projet", p],
    ] {
        let r = rapport(&args);
        let dit = sortie_de(&r);
        assert_eq!(r.status.code(), Some(65), "{args:?}\n{dit}");
        assert!(
            dit.contains("erreur : donnees/activites.csv, colonne « quantite »"),
            "{dit}"
        );
        assert!(dit.contains("« Effectif »"), "{dit}");
    }
}

#[test]
fn mapping_the_header_as_told_gives_the_samples_figures_back() {
    let projet = avec_effectif();
    let mut modele = std::fs::read_to_string(projet.path().join("rapport.toml")).unwrap();
    modele.push_str("\n[exports.activites]\ncolonnes = { \"Effectif\" = \"quantite\" }\n");
    std::fs::write(projet.path().join("rapport.toml"), modele).unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    construire(&echantillon(), a.path(), 2013);
    let r = rapport(&["check", "2013", "--projet", projet.path().to_str().unwrap()]);
    assert!(!sortie_de(&r).contains("erreur :"), "{}", sortie_de(&r));
    construire(projet.path(), b.path(), 2013);
    memes_tableaux(a.path(), b.path(), 1);
}

#[test]
fn a_year_no_export_covers_is_refused_with_the_years_present_and_nothing_written() {
    let sortie = tempfile::tempdir().unwrap();
    let vide = sortie.path().join("sortie");
    let r = rapport(&[
        "build",
        "2019",
        "--projet",
        echantillon().to_str().unwrap(),
        "--sortie",
        vide.to_str().unwrap(),
    ]);
    let dit = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(65), "{dit}");
    assert!(
        dit.contains("aucune ligne d'aucun export n'est datée de 2019"),
        "{dit}"
    );
    assert!(dit.contains("2009, 2010, 2011, 2012, 2013"), "{dit}");
    // No output; the exports, read without error, may be in the cache of checked exports.
    assert!(!vide.exists() || fichiers_sous(&vide).keys().all(|c| c.starts_with(".cache")));
    let check = rapport(&["check", "2019", "--projet", echantillon().to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(65));
    assert!(sortie_de(&check).contains("n'est datée de 2019"));
}

#[test]
fn the_sample_report_has_no_figure_missing_for_a_reason_it_does_not_say() {
    let sortie = tempfile::tempdir().unwrap();
    let r = rapport(&[
        "build",
        "2013",
        "--projet",
        echantillon().to_str().unwrap(),
        "--sortie",
        sortie.path().to_str().unwrap(),
    ]);
    let dit = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{dit}");
    // Every n.d. the PDF shows has its cause on standard error.
    let texte = texte_pdf(&sortie.path().join("rapport-2013.pdf"));
    // The note on the data says what « n.d. » means: look at the figures before it.
    let texte = &texte[..texte.rfind("Note sur les données").unwrap_or(texte.len())];
    if texte.contains("n.d.") {
        assert!(dit.contains("« n.d. »"), "{dit}");
    } else {
        assert!(!dit.contains("« n.d. »"), "{dit}");
    }
}
