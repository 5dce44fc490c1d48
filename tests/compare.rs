//! `rapport compare`: changes between years, read back from the CSV, the PDF
//! text and the terminal; missing data and changed definitions flagged.

mod commun;

use std::collections::HashMap;
use std::path::Path;

use commun::*;

fn comparer(projet: &Path, sortie: &Path, annees: &[&str]) -> String {
    let mut args = vec!["compare"];
    args.extend(annees);
    lancer_sur(projet, sortie, &args)
}

/// The CSV row of an indicator's total.
fn total<'a>(
    lignes: &'a [HashMap<String, String>],
    indicateur: &str,
) -> &'a HashMap<String, String> {
    lignes
        .iter()
        .find(|l| l["indicateur"] == indicateur && l["groupe"].is_empty())
        .unwrap_or_else(|| panic!("pas de ligne {indicateur}"))
}

/// The lines of the PDF's text, spaces folded.
fn lignes_pdf(pdf: &Path) -> Vec<String> {
    pdftotext(pdf, &["-layout"]).lines().map(plier).collect()
}

#[test]
fn changes_between_2012_and_2013_match_the_reference_in_the_csv_the_pdf_and_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let terminal = plier(&comparer(&echantillon(), dir.path(), &["2012", "2013"]));
    let csv = lire_csv(&dir.path().join("comparaison-2012-2013.csv"));
    let pdf = lignes_pdf(&dir.path().join("comparaison-2012-2013.pdf"));
    let attendus = [
        (
            "entretiens_droits",
            "119",
            "223",
            "104",
            "87,4",
            "119 223 +104 +87,4 %",
        ),
        (
            "suivis_regularisation",
            "38",
            "36",
            "-2",
            "-5,3",
            "38 36 −2 −5,3 %",
        ),
        ("asile_recours", "5", "11", "6", "120,0", "5 11 +6 +120,0 %"),
        (
            "visites_site",
            "8225",
            "16119",
            "7894",
            "96,0",
            "8 225 16 119 +7 894 +96,0 %",
        ),
    ];
    for (id, a, b, ecart, evolution, imprime) in attendus {
        let l = total(&csv, id);
        assert_eq!(
            (
                l["valeur_2012"].as_str(),
                l["valeur_2013"].as_str(),
                l["ecart_2012_2013"].as_str()
            ),
            (a, b, ecart),
            "{id}"
        );
        assert_eq!(l["evolution_pct_2012_2013"], evolution, "{id}");
        assert!(
            pdf.iter().any(|ligne| ligne.contains(imprime)),
            "le PDF ne montre pas « {imprime} »"
        );
        assert!(
            terminal.contains(imprime),
            "le terminal ne montre pas « {imprime} »"
        );
    }
}

#[test]
fn a_year_without_case_rows_gives_not_available_rather_than_zero() {
    let projet = copie_echantillon();
    let chemin = projet.path().join("donnees/suivis.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    // Remove every case that opened or closed in 2011: suivis.csv no longer covers 2011.
    let garde: Vec<&str> = texte.lines().filter(|l| !l.contains("/2011")).collect();
    assert!(garde.len() < texte.lines().count());
    std::fs::write(&chemin, garde.join("\n") + "\n").unwrap();

    let sortie = projet.path().join("sortie");
    let terminal = comparer(projet.path(), &sortie, &["2011", "2012"]);
    let csv = lire_csv(&sortie.join("comparaison-2011-2012.csv"));
    for id in ["suivis_regularisation", "asile_recours", "suivis_net"] {
        let l = total(&csv, id);
        assert_eq!(l["valeur_2011"], "", "{id} : n.d., pas 0");
        assert_ne!(l["valeur_2012"], "", "{id}");
        assert_eq!(l["evolution_pct_2011_2012"], "", "{id}");
        assert!(
            l["notes"].contains("aucune ligne de suivis.csv n'est datée de 2011"),
            "{id} : {}",
            l["notes"]
        );
    }
    // Activities still cover 2011.
    assert_eq!(total(&csv, "entretiens_droits")["valeur_2011"], "87");
    assert!(terminal.contains("n.d."));
    let pdf = lignes_pdf(&sortie.join("comparaison-2011-2012.pdf"));
    assert!(pdf.iter().any(|l| l.contains("n.d.")));
    assert!(
        pdf.iter()
            .any(|l| l.contains("aucune ligne de suivis.csv n'est datée de 2011"))
    );
}

#[test]
fn a_range_of_three_years_gives_three_columns_and_two_changes() {
    let dir = tempfile::tempdir().unwrap();
    let terminal = comparer(&echantillon(), dir.path(), &["2011..2013"]);
    let csv = lire_csv(&dir.path().join("comparaison-2011-2013.csv"));
    let visites = total(&csv, "visites_site");
    let colonnes = [
        ("valeur_2011", "6512"),
        ("valeur_2012", "8225"),
        ("valeur_2013", "16119"),
        ("ecart_2011_2012", "1713"),
        ("evolution_pct_2011_2012", "26,3"),
        ("ecart_2012_2013", "7894"),
        ("evolution_pct_2012_2013", "96,0"),
    ];
    for (c, v) in colonnes {
        assert_eq!(visites[c], v, "{c}");
    }
    assert!(!visites.contains_key("valeur_2010") && !visites.contains_key("valeur_2014"));
    assert!(terminal.contains("Écart 2011 → 2012") && terminal.contains("Écart 2012 → 2013"));
    let pdf = lignes_pdf(&dir.path().join("comparaison-2011-2013.pdf"));
    assert!(
        pdf.iter()
            .any(|l| l.contains("6 512 8 225 16 119 +1 713 +26,3 % +7 894 +96,0 %"))
    );
}

#[test]
fn a_definition_changed_since_a_build_is_flagged_and_a_new_label_is_not() {
    let projet = copie_echantillon();
    let p = projet.path();
    let sortie = p.join("sortie");
    construire(p, &sortie, 2012);
    assert!(sortie.join("definitions-2012.json").exists());
    let modele = std::fs::read_to_string(p.join("rapport.toml")).unwrap();
    let modele = modele
        .replace(
            "filtres = { programme = \"droits\", action = \"entretien\" }",
            "filtres = { programme = \"droits\", action = [\"entretien\", \"accompagnement\"] }",
        )
        .replace(
            "libelle = \"Demandes d'asile et recours\"",
            "libelle = \"Asile et recours\"",
        );
    std::fs::write(p.join("rapport.toml"), modele).unwrap();

    let terminal = plier(&comparer(p, &sortie, &["2012", "2013"]));
    assert!(
        terminal.contains("La définition de « Entretiens sur le droit au séjour et au travail » a changé depuis la construction du rapport 2012"),
        "{terminal}"
    );
    let csv = lire_csv(&sortie.join("comparaison-2012-2013.csv"));
    assert!(
        total(&csv, "entretiens_droits")["notes"]
            .contains("a changé depuis la construction du rapport 2012")
    );
    for id in ["asile_recours", "suivis_regularisation"] {
        assert!(!total(&csv, id)["notes"].contains("a changé"), "{id}");
    }
}

#[test]
fn wrong_years_are_refused_with_a_french_message() {
    for args in [
        vec!["compare", "2013"],
        vec!["compare", "2013..2011"],
        vec!["compare", "2013", "2013"],
    ] {
        let r = rapport(&args);
        assert_eq!(r.status.code(), Some(64), "{args:?}");
        let message = String::from_utf8(r.stderr).unwrap();
        assert!(message.contains("rapport compare 2012 2013"), "{message}");
    }
}

#[test]
fn a_share_changes_in_points_and_never_in_percent() {
    let dir = tempfile::tempdir().unwrap();
    let terminal = plier(&comparer(&echantillon(), dir.path(), &["2012", "2013"]));
    let csv = lire_csv(&dir.path().join("comparaison-2012-2013.csv"));
    let pdf = lignes_pdf(&dir.path().join("comparaison-2012-2013.pdf"));
    // Violence: 24,6 % of the interviews in 2012, 20,9 % in 2013.
    let l = total(&csv, "theme_violence");
    assert_eq!(l["unite"], "%");
    assert_eq!(l["ecart_2012_2013"], "-3,7");
    assert_eq!(
        l["evolution_pct_2012_2013"], "",
        "une part n'a pas d'évolution en %"
    );
    let imprime = "24,6 % 20,9 % −3,7 pts";
    for (quoi, texte) in [("PDF", pdf.join("\n")), ("terminal", terminal.clone())] {
        let ligne = texte
            .lines()
            .find(|l| l.contains(imprime))
            .unwrap_or_else(|| panic!("le {quoi} ne montre pas « {imprime} »"));
        let apres = ligne[ligne.find(imprime).unwrap() + imprime.len()..].trim_start();
        assert!(
            !apres.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '−'),
            "{quoi} : évolution d'une part en % : {apres}"
        );
    }
    // Less than two points is one point: « −0,7 pt ».
    assert!(terminal.contains("83,6 % 82,9 % −0,7 pt"), "{terminal}");
}

#[test]
fn a_change_on_fewer_than_twenty_is_flagged_and_one_on_more_is_not() {
    let dir = tempfile::tempdir().unwrap();
    comparer(&echantillon(), dir.path(), &["2012", "2013"]);
    let csv = lire_csv(&dir.path().join("comparaison-2012-2013.csv"));
    let prudence = "moins de 20";
    // Asylum requests: 5 then 11. Street rounds: 171 then 184.
    assert!(total(&csv, "asile_recours")["notes"].contains(prudence));
    assert!(!total(&csv, "tournees_rue")["notes"].contains(prudence));
    let pdf = pdftotext(&dir.path().join("comparaison-2012-2013.pdf"), &[]);
    assert!(plier(&pdf).contains("Évolution calculée sur moins de 20"));
}

#[test]
fn a_change_from_zero_is_called_not_computable() {
    let dir = tempfile::tempdir().unwrap();
    comparer(&echantillon(), dir.path(), &["2012", "2013"]);
    let pdf = plier(&pdftotext(
        &dir.path().join("comparaison-2012-2013.pdf"),
        &[],
    ));
    assert!(pdf.contains("« n.c. » : évolution non calculable"), "{pdf}");
    assert!(!pdf.contains("n.s."), "{pdf}");
    assert!(!pdf.contains("non significative"), "{pdf}");
}

#[test]
fn figures_of_different_magnitudes_are_drawn_in_separate_charts() {
    let dir = tempfile::tempdir().unwrap();
    comparer(&echantillon(), dir.path(), &["2012", "2013"]);
    let pdf = plier(&pdftotext(
        &dir.path().join("comparaison-2012-2013.pdf"),
        &[],
    ));
    // The first section holds street rounds (171, 184) and site visits (8 225,
    // 16 119): on one axis the rounds would be flat bars.
    let legendes: Vec<&str> = pdf
        .split("Fig. ")
        .skip(1)
        .filter(|l| l.contains("L'association en 2013"))
        .collect();
    assert!(legendes.len() >= 2, "{legendes:?}");
    let avec = |mot: &str| legendes.iter().position(|l| l.contains(mot));
    let (visites, tournees) = (avec("Visites du site"), avec("Tournées de rue"));
    assert!(visites.is_some() && tournees.is_some(), "{legendes:?}");
    assert_ne!(visites, tournees, "{legendes:?}");
}
