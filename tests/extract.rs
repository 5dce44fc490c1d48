//! `rapport extract`: funders' extracts read back as data, confidentiality
//! applied alike everywhere, no personal identifier in any output.

mod commun;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use commun::*;

fn extraire(projet: &Path, sortie: &Path, qui: &[&str], annee: &str) {
    let mut args = vec!["extract"];
    args.extend(qui);
    args.push(annee);
    lancer_sur(projet, sortie, &args);
}

/// A French decimal of a CSV cell as a number; empty is none.
fn nombre(t: &str) -> Option<f64> {
    (!t.is_empty()).then(|| t.replace(',', ".").parse().unwrap())
}

/// Every sheet but "Notes": rows of (indicator, category, year N-1, year N).
fn classeur(chemin: &Path) -> Vec<(String, String, Data, Data)> {
    let mut x: Xlsx<_> = open_workbook(chemin).unwrap();
    let mut lignes = Vec::new();
    for nom in x.sheet_names().to_owned() {
        if nom == "Notes" {
            continue;
        }
        let feuille = x.worksheet_range(&nom).unwrap();
        for r in feuille.rows().skip(1) {
            lignes.push((
                r[0].to_string(),
                r[1].to_string(),
                r[2].clone(),
                r[3].clone(),
            ));
        }
    }
    lignes
}

#[test]
fn the_workbook_equals_the_csv_and_the_annual_report() {
    let dir = tempfile::tempdir().unwrap();
    let sortie = dir.path();
    extraire(&echantillon(), sortie, &["--tous"], "2013");
    construire(&echantillon(), sortie, 2013);
    let rapport: Vec<HashMap<String, String>> = std::fs::read_dir(sortie.join("tableaux"))
        .unwrap()
        .flat_map(|f| lire_csv(&f.unwrap().path()))
        .collect();
    let mut compares = 0;
    for id in ["ars", "solidarite_sida"] {
        let xlsx = classeur(&sortie.join(format!("extraits/{id}-2013.xlsx")));
        let csv = lire_csv(&sortie.join(format!("extraits/{id}-2013.csv")));
        assert_eq!(xlsx.len(), csv.len(), "{id}");
        for ((libelle, categorie, a, b), l) in xlsx.iter().zip(&csv) {
            assert_eq!(*libelle, l["libelle"]);
            assert_eq!(
                categorie,
                if l["groupe"].is_empty() {
                    "Total"
                } else {
                    &l["groupe"]
                }
            );
            for (cellule, csv) in [(a, &l["valeur_2012"]), (b, &l["valeur_2013"])] {
                match cellule {
                    Data::Float(v) => {
                        assert_eq!(Some(*v), nombre(csv), "{id} {libelle} {categorie}")
                    }
                    Data::Int(v) => assert_eq!(Some(*v as f64), nombre(csv)),
                    // A hidden cell shows the same mark in both.
                    Data::String(s) => assert!(
                        (s.starts_with('<') || s == "s") && s == csv
                            || (s == "n.d." && csv.is_empty()),
                        "{s} / {csv}"
                    ),
                    autre => panic!("cellule inattendue {autre:?}"),
                }
            }
            // The same total in the annual report's tables.
            if l["groupe"].is_empty()
                && let Some(r) = rapport.iter().find(|r| {
                    r["indicateur"] == l["indicateur"]
                        && r["annee"] == "2013"
                        && (r["colonne"] == "Total" || r["colonne"] == "2013")
                })
            {
                assert_eq!(
                    nombre(&r["valeur"]),
                    nombre(&l["valeur_2013"]),
                    "{}",
                    l["indicateur"]
                );
                compares += 1;
            }
        }
    }
    assert!(compares >= 5, "{compares} totaux rapprochés seulement");
    // The city asked for PDF and XLSX only.
    assert!(sortie.join("extraits/ville-2013.pdf").exists());
    assert!(!sortie.join("extraits/ville-2013.csv").exists());
    let texte = texte_pdf(&sortie.join("extraits/ars-2013.pdf"));
    assert!(texte.contains("Extrait pour : Agence régionale de santé Midi-Pyrénées (ARS)"));
    assert!(texte.contains("Convention pluriannuelle d'objectifs n° 2013-PREV-017"));
    assert!(texte.contains("Rapprochement avec le rapport d'activité 2013"));
    assert!(texte.contains("Secret statistique"));
}

#[test]
fn a_count_of_two_is_masked_alike_in_the_report_the_comparison_and_the_extract() {
    // In the sample, 2 men were tested (TROD) in 2012.
    let dir = tempfile::tempdir().unwrap();
    let sortie = dir.path();
    construire(&echantillon(), sortie, 2012);
    lancer_sur(&echantillon(), sortie, &["compare", "2012", "2013"]);
    extraire(&echantillon(), sortie, &["--financeur", "ars"], "2013");

    let rue = lire_csv(&sortie.join("tableaux/rue.csv"));
    let hommes = rue
        .iter()
        .find(|l| l["indicateur"] == "depistages" && l["colonne"] == "Hommes")
        .unwrap();
    assert_eq!(hommes["valeur"], "");
    assert!(hommes["note"].contains("petit effectif masqué"));
    // Another group is hidden too, as `s`, so that the total gives nothing away.
    let trans = rue
        .iter()
        .find(|l| l["indicateur"] == "depistages" && l["colonne"] == "Trans")
        .unwrap();
    assert_eq!(trans["valeur"], "");
    assert!(trans["note"].contains("pour protéger"));
    assert_eq!(
        rue.iter()
            .find(|l| l["indicateur"] == "depistages" && l["colonne"] == "Total")
            .unwrap()["valeur"],
        "57"
    );

    let comparaison = lire_csv(&sortie.join("comparaison-2012-2013.csv"));
    let c = comparaison
        .iter()
        .find(|l| l["indicateur"] == "depistages" && l["groupe"] == "Hommes")
        .unwrap();
    assert_eq!(
        (
            c["valeur_2012"].as_str(),
            c["ecart_2012_2013"].as_str(),
            c["evolution_pct_2012_2013"].as_str()
        ),
        ("<\u{A0}5", "", "")
    );
    assert_eq!(c["valeur_2013"], "11");

    let extrait = lire_csv(&sortie.join("extraits/ars-2013.csv"));
    let e = extrait
        .iter()
        .find(|l| l["indicateur"] == "depistages" && l["groupe"] == "Hommes")
        .unwrap();
    assert_eq!(e["valeur_2012"], "<\u{A0}5");
    let xlsx = classeur(&sortie.join("extraits/ars-2013.xlsx"));
    let x = xlsx
        .iter()
        .find(|l| l.0.starts_with("Dépistages") && l.1 == "Hommes")
        .unwrap();
    assert_eq!(x.2, Data::String("<\u{A0}5".into()));

    for pdf in [
        "rapport-2012.pdf",
        "comparaison-2012-2013.pdf",
        "extraits/ars-2013.pdf",
    ] {
        assert!(texte_pdf(&sortie.join(pdf)).contains("< 5"), "{pdf}");
    }
}

#[test]
fn no_personal_code_appears_in_any_output() {
    let mut codes = BTreeSet::new();
    for f in ["activites.csv", "suivis.csv"] {
        let t = std::fs::read_to_string(echantillon().join("donnees").join(f)).unwrap();
        let mut lignes = t.lines();
        let entete: Vec<&str> = lignes.next().unwrap().split(';').collect();
        let i = entete.iter().position(|c| *c == "personne").unwrap();
        for l in lignes {
            let c = l.split(';').nth(i).unwrap();
            if !c.is_empty() {
                codes.insert(c.to_string());
            }
        }
    }
    assert!(codes.len() > 100);
    let dir = tempfile::tempdir().unwrap();
    let sortie = dir.path();
    construire(&echantillon(), sortie, 2013);
    lancer_sur(&echantillon(), sortie, &["compare", "2011..2013"]);
    extraire(&echantillon(), sortie, &["--tous"], "2013");

    // Every output; not the cache of checked exports, which holds the
    // exports' codes and is no output (README, The cache of checked exports).
    let fichiers: Vec<_> = fichiers_sous(sortie)
        .into_keys()
        .filter(|relatif| !relatif.starts_with(".cache"))
        .map(|relatif| sortie.join(relatif))
        .collect();
    assert!(fichiers.len() > 20);
    for f in fichiers {
        let mut textes = vec![String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned()];
        match f.extension().and_then(|e| e.to_str()) {
            Some("pdf") => textes.push(texte_pdf(&f)),
            Some("xlsx") => {
                let mut x: Xlsx<_> = open_workbook(&f).unwrap();
                for nom in x.sheet_names().to_owned() {
                    let r = x.worksheet_range(&nom).unwrap();
                    textes.push(
                        r.cells()
                            .map(|(_, _, c)| c.to_string())
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
            _ => {}
        }
        for t in &textes {
            for c in &codes {
                assert!(
                    !t.contains(c.as_str()),
                    "le code {c} apparaît dans {}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn a_formula_like_label_stays_text_in_the_workbook_and_the_csv() {
    let projet = copie_echantillon();
    let p = projet.path();
    let modele = std::fs::read_to_string(p.join("rapport.toml"))
        .unwrap()
        .replace(
            "libelle = \"Kits de prévention envoyés par la poste\"",
            "libelle = \"=HYPERLINK(\\\"http://exemple.org\\\",\\\"clic\\\")\"",
        );
    std::fs::write(p.join("rapport.toml"), modele).unwrap();
    extraire(p, &p.join("sortie"), &["--financeur", "ars"], "2013");
    let chemin = p.join("sortie/extraits/ars-2013.xlsx");
    let mut x: Xlsx<_> = open_workbook(&chemin).unwrap();
    let nom = x.sheet_names()[0].clone();
    let valeurs = x.worksheet_range(&nom).unwrap();
    let cellule = valeurs
        .cells()
        .find(|(_, _, c)| c.to_string().contains("HYPERLINK"))
        .expect("la cellule est là");
    assert_eq!(
        *cellule.2,
        Data::String("=HYPERLINK(\"http://exemple.org\",\"clic\")".into())
    );
    let formules = x.worksheet_formula(&nom).unwrap();
    assert!(
        formules.cells().all(|(_, _, f)| f.is_empty()),
        "aucune formule"
    );
    let csv = lire_csv(&p.join("sortie/extraits/ars-2013.csv"));
    assert!(
        csv.iter()
            .any(|l| l["libelle"] == "'=HYPERLINK(\"http://exemple.org\",\"clic\")")
    );
}

#[test]
fn a_threshold_below_three_is_refused_and_turning_it_off_is_printed() {
    let projet = copie_echantillon();
    let p = projet.path();
    let modele = std::fs::read_to_string(p.join("rapport.toml")).unwrap();
    std::fs::write(
        p.join("rapport.toml"),
        modele.replace("seuil = 5", "seuil = 2"),
    )
    .unwrap();
    let r = rapport(&["build", "2013", "--projet", p.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(65));
    assert!(
        String::from_utf8(r.stderr)
            .unwrap()
            .contains("un seuil de 2 ne protège pas les personnes")
    );

    std::fs::write(
        p.join("rapport.toml"),
        modele.replace("seuil = 5", "desactivee = true"),
    )
    .unwrap();
    let sortie = p.join("sortie");
    construire(p, &sortie, 2012);
    let texte = texte_pdf(&sortie.join("rapport-2012.pdf"));
    assert!(texte.contains("Secret statistique désactivé"));
    let rue = lire_csv(&sortie.join("tableaux/rue.csv"));
    assert_eq!(
        rue.iter()
            .find(|l| l["indicateur"] == "depistages" && l["colonne"] == "Hommes")
            .unwrap()["valeur"],
        "2"
    );
}

#[test]
fn an_extract_says_no_word_twice_and_numbers_no_heading() {
    let dir = tempfile::tempdir().unwrap();
    extraire(&echantillon(), dir.path(), &["--tous"], "2013");
    for id in ["ars", "solidarite_sida", "ville"] {
        let brut = pdftotext(&dir.path().join(format!("extraits/{id}-2013.pdf")), &[]);
        let texte = plier(&brut);
        assert!(!texte.contains("Convention Convention"), "{id} : {texte}");
        assert!(texte.contains("Financement"), "{id}");
        assert!(!texte.contains("dont Femmes (dont"), "{id}");
        // No heading numbered from a section the extract does not have.
        for ligne in brut.lines() {
            assert!(!ligne.trim_start().starts_with("0."), "{id} : « {ligne} »");
        }
    }
    let ars = plier(&pdftotext(&dir.path().join("extraits/ars-2013.pdf"), &[]));
    assert!(
        ars.contains("Financement Convention pluriannuelle d'objectifs"),
        "{ars}"
    );
}
