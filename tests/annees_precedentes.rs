//! The previous year beside the report's on an annual table: by default,
//! its figures those of `compare`, left out where no export covers it.

mod commun;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use commun::*;

/// The years (column `annee`) of a table CSV.
fn annees(lignes: &[HashMap<String, String>]) -> BTreeSet<String> {
    lignes.iter().map(|l| l["annee"].clone()).collect()
}

fn tableau(sortie: &Path, id: &str) -> Vec<HashMap<String, String>> {
    lire_csv(&sortie.join(format!("tableaux/{id}.csv")))
}

#[test]
fn an_annual_table_shows_2012_beside_2013_with_the_figures_of_the_comparison() {
    let projet = copie_echantillon();
    let p = projet.path();
    // The sample's meals table declares no columns: the default.
    let modele = std::fs::read_to_string(p.join("rapport.toml")).unwrap();
    let repas = &modele[modele.find("[tableaux.repas]").unwrap()..];
    let repas = &repas[..repas.find("lignes").unwrap()];
    assert!(!repas.contains("colonnes"), "{repas}");
    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    lancer_sur(p, &sortie, &["compare", "2012", "2013"]);
    let comparaison = lire_csv(&sortie.join("comparaison-2012-2013.csv"));
    let mut vues = 0;
    for id in ["droits", "logement", "repas", "site"] {
        let lignes = tableau(&sortie, id);
        assert_eq!(
            annees(&lignes),
            BTreeSet::from(["2012".to_string(), "2013".to_string()]),
            "{id}"
        );
        for l in lignes.iter().filter(|l| l["annee"] == "2012") {
            let c = comparaison
                .iter()
                .find(|c| c["indicateur"] == l["indicateur"] && c["groupe"].is_empty())
                .unwrap_or_else(|| panic!("{} absent de la comparaison", l["indicateur"]));
            assert_eq!(l["valeur"], c["valeur_2012"], "{id} / {}", l["indicateur"]);
            vues += 1;
        }
    }
    assert!(vues >= 14, "{vues} cellules de 2012");
    // The same in the PDF: the meals table's header reads 2012 then 2013.
    let texte = plier(&texte_pdf(&sortie.join("rapport-2013.pdf")));
    let i = texte
        .find("Repas communautaires 2012 2013")
        .expect("en-tête 2012 2013");
    assert!(
        texte[i..].contains("Repas communautaires 52 52"),
        "{}",
        &texte[i..][..200]
    );
}

#[test]
fn annees_1_gives_an_annual_table_the_report_s_year_only() {
    let projet = copie_echantillon();
    let p = projet.path();
    remplacer(
        p,
        "rapport.toml",
        "titre = \"Repas communautaires\"\n",
        "titre = \"Repas communautaires\"\nannees = 1\n",
    );
    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    let lignes = tableau(&sortie, "repas");
    assert_eq!(annees(&lignes), BTreeSet::from(["2013".to_string()]));
    assert_eq!(valeur(&lignes, "repas", "Total", 2013), "52");
}

#[test]
fn a_year_no_export_covers_is_left_out_of_an_annual_table_but_kept_where_the_model_asks_for_it() {
    // The sample's activity journal starts in 2011: nothing for 2010.
    let sortie = tempfile::tempdir().unwrap();
    construire(&echantillon(), sortie.path(), 2011);
    let repas = tableau(sortie.path(), "repas");
    assert_eq!(annees(&repas), BTreeSet::from(["2011".to_string()]));
    assert!(repas.iter().all(|l| !l["valeur"].is_empty()), "{repas:?}");
    // A table whose rows have a figure for 2010 (follow-ups opened then) keeps it.
    let droits = tableau(sortie.path(), "droits");
    assert!(annees(&droits).contains("2010"), "{droits:?}");
    // `colonnes = "annees"` is the model's choice: 2010 is shown, « n.d. » with its reason.
    let cles = tableau(sortie.path(), "chiffres_cles");
    let c = cles
        .iter()
        .find(|l| l["indicateur"] == "repas" && l["annee"] == "2010")
        .expect("2010 dans les chiffres clés");
    assert_eq!(c["valeur"], "");
    assert!(c["note"].contains("aucune ligne"), "{}", c["note"]);
}
