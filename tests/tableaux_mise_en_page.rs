//! The tables of the report set as a typographer would: numbers aligned on
//! their right edge, French captions, and the notes a reader needs under a
//! table (distinct people, denominators of the shares), read back from the
//! PDF of the sample.

mod commun;

use std::path::{Path, PathBuf};

use commun::*;

/// Builds the sample's 2013 report into `sortie`; gives the PDF.
fn pdf_2013(sortie: &Path) -> PathBuf {
    construire(&echantillon(), sortie, 2013);
    sortie.join("rapport-2013.pdf")
}

/// The right edges of the numbers of the first row of `colonnes` cells
/// whose label ends with `fin`, left to right.
fn bords_droits(mots: &[Mot], fin: &str, colonnes: usize) -> Vec<f64> {
    mots.iter()
        .filter(|m| m.texte == fin)
        .map(|l| rang(mots, l))
        .find(|b| b.len() == colonnes)
        .unwrap_or_else(|| panic!("une ligne « … {fin} » de {colonnes} nombres est dans le PDF"))
}

/// The right edges of the numbers right of `libelle` on its line.
fn rang(mots: &[Mot], libelle: &Mot) -> Vec<f64> {
    let mut rang: Vec<&Mot> = mots
        .iter()
        .filter(|m| m.page == libelle.page && (m.y.1 - libelle.y.1).abs() < 1.0)
        .filter(|m| m.x.0 > libelle.x.1 && m.texte.chars().any(|c| c.is_ascii_digit()))
        .collect();
    rang.sort_by(|a, b| a.x.0.total_cmp(&b.x.0));
    // A number may be several words (`12 766,50 €`): keep the last of each cell.
    let mut bords: Vec<f64> = Vec::new();
    for (i, m) in rang.iter().enumerate() {
        let suivant_colle = rang.get(i + 1).is_some_and(|s| s.x.0 - m.x.1 < 4.0);
        if !suivant_colle {
            bords.push(m.x.1);
        }
    }
    bords
}

#[test]
fn les_nombres_d_une_colonne_sont_alignes_sur_leur_bord_droit() {
    let dossier = tempfile::tempdir().unwrap();
    let mots = mots_pdf(&pdf_2013(dossier.path()));
    // Table « Aides à la vie quotidienne » : 79 112 55 246 over 72 92 52 179.
    let haut = bords_droits(&mots, "attribuées", 4);
    let bas = bords_droits(&mots, "aidées", 4);
    for (h, b) in haut.iter().zip(&bas) {
        assert!(
            (h - b).abs() < 0.6,
            "bords droits {h} et {b} d'une même colonne"
        );
    }
}

#[test]
fn les_legendes_des_tableaux_s_ecrivent_tableau_1_tiret_sans_point() {
    let dossier = tempfile::tempdir().unwrap();
    let texte = texte_pdf(&pdf_2013(dossier.path()));
    assert!(
        texte.contains("Tableau 1 – Chiffres clés 2012 et 2013"),
        "{texte}"
    );
    assert!(!texte.contains("Tableau 1. –"));
}

#[test]
fn sous_le_tableau_avq_une_note_dit_que_le_total_compte_des_personnes_distinctes() {
    let dossier = tempfile::tempdir().unwrap();
    let texte = texte_pdf(&pdf_2013(dossier.path()));
    let tableau = texte
        .find("Tableau 6 – Aides à la vie quotidienne")
        .unwrap();
    let suivant = texte[tableau..].find("Tableau 7").unwrap() + tableau;
    let note = "« Personnes aidées » compte des personnes distinctes : une personne peut relever de plusieurs colonnes";
    let ici = texte[tableau..suivant].find(note);
    assert!(ici.is_some(), "{}", &texte[tableau..suivant]);
    // The figures it speaks of: a total of 179 for 72 + 92 + 52 = 216.
    assert!(texte[tableau..suivant].contains("Personnes aidées 72 92 52 179"));
    // Not under the street table: a person has one public, its groups add up
    // (92 + 30 + 28 = 150).
    let rue = texte.find("Tableau 3 – Travail de rue").unwrap();
    let apres = texte[rue..].find("Tableau 4").unwrap() + rue;
    assert!(
        !texte[rue..apres].contains("personnes distinctes"),
        "{}",
        &texte[rue..apres]
    );
}

#[test]
fn sous_le_tableau_des_themes_les_denominateurs_des_parts_sont_donnes() {
    let dossier = tempfile::tempdir().unwrap();
    let texte = texte_pdf(&pdf_2013(dossier.path()));
    let tableau = texte
        .find("Tableau 8 – Action communautaire sur internet")
        .unwrap();
    let suivant = texte[tableau..].find("Tableau 9").unwrap() + tableau;
    let zone = &texte[tableau..suivant];
    assert!(
        zone.contains("calculées sur l'effectif de chaque colonne : Femmes"),
        "{zone}"
    );
}

#[test]
fn le_profil_par_origine_a_une_ligne_par_region_puis_le_total_ses_nombres_alignes_a_droite() {
    let dossier = tempfile::tempdir().unwrap();
    let pdf = pdf_2013(dossier.path());
    let profil = lire_csv(&dossier.path().join("tableaux/profil.csv"));
    let texte = texte_pdf(&pdf);
    let tableau = texte
        .find("Tableau 2 – Profil des personnes rencontrées")
        .unwrap();
    let suivant = texte[tableau..].find("Tableau 3").unwrap() + tableau;
    let zone = plier(&texte[tableau..suivant]);
    // Compared without spaces: the PDF's text may lose the thin space of « < 5 ».
    let serre: String = zone.chars().filter(|c| !c.is_whitespace()).collect();
    // One row per region, in the model's order, then the Total: the file
    // active, then the new people, as the CSV gives them.
    let mut depuis = 0;
    for region in [
        "France",
        "Europe de l'Est",
        "Maghreb",
        "Asie",
        "Inconnue",
        "Total",
    ] {
        let cellules = ["file_active", "nouvelles_personnes"].map(|id| {
            let v = valeur(&profil, id, region, 2013);
            if v.is_empty() {
                "< 5".to_string()
            } else {
                plier(&v)
            }
        });
        let rang: String = format!("{region}{}{}", cellules[0], cellules[1])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let ici = serre[depuis..]
            .find(&rang)
            .unwrap_or_else(|| panic!("« {rang} » après le rang précédent dans : {zone}"));
        depuis += ici + rang.len();
    }
    assert!(zone.contains("peut relever de plusieurs lignes"), "{zone}");
    // The numbers of a column share their right edge, the Total's included.
    let mots = mots_pdf(&pdf);
    let page = mots
        .iter()
        .find(|m| m.texte == "Profil")
        .map(|m| m.page)
        .unwrap();
    let bords = |libelle: &str| {
        let l = mots
            .iter()
            .find(|m| m.page == page && m.texte == libelle)
            .unwrap_or_else(|| panic!("« {libelle} » en page {page}"));
        (l.y.0, rang(&mots, l))
    };
    let (y_france, france) = bords("France");
    let (y_total, total) = bords("Total");
    assert!(y_total > y_france, "le total sous les régions");
    assert_eq!(france.len(), 2, "{france:?}");
    assert_eq!(total.len(), 2, "{total:?}");
    for (a, b) in france.iter().zip(&total) {
        assert!(
            (a - b).abs() < 0.6,
            "bords droits {a} et {b} d'une même colonne"
        );
    }
}
