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
        .find("Tableau 5 – Aides à la vie quotidienne")
        .unwrap();
    let suivant = texte[tableau..].find("Tableau 6").unwrap() + tableau;
    let note = "« Personnes aidées » compte des personnes distinctes : une personne peut relever de plusieurs colonnes";
    let ici = texte[tableau..suivant].find(note);
    assert!(ici.is_some(), "{}", &texte[tableau..suivant]);
    // The figures it speaks of: a total of 179 for 72 + 92 + 52 = 216.
    assert!(texte[tableau..suivant].contains("Personnes aidées 72 92 52 179"));
    // Not under the street table: a person has one public, its groups add up
    // (92 + 30 + 28 = 150).
    let rue = texte.find("Tableau 2 – Travail de rue").unwrap();
    let apres = texte[rue..].find("Tableau 3").unwrap() + rue;
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
        .find("Tableau 7 – Action communautaire sur internet")
        .unwrap();
    let suivant = texte[tableau..].find("Tableau 8").unwrap() + tableau;
    let zone = &texte[tableau..suivant];
    assert!(
        zone.contains("calculées sur l'effectif de chaque colonne : Femmes"),
        "{zone}"
    );
}
