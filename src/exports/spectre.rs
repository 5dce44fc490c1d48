//! The export reader against csv-spectrum, a published suite of awkward CSV
//! files (quoted commas, escaped quotes, line breaks inside quotes, CRLF,
//! empty fields, UTF-8), each with the values a parser must give: every
//! file of `tests/corpus/csv-spectrum/` is read as an export would be, and
//! its header and cells compared with the suite's JSON.

use std::path::Path;

use super::lecture;
use super::{ReglagesSource, Source};
use crate::error::Constats;

/// The headers and rows `lecture` reads from `octets`.
fn lire(octets: &[u8], nom: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut constats = Constats::default();
    let mut lecteur = lecture::ouvrir_flux(
        Box::new(std::io::Cursor::new(octets.to_vec())),
        octets.len() as u64,
        Path::new(nom),
        Source::Activites,
        &ReglagesSource::default(),
        &mut constats,
    )
    .unwrap_or_else(|| panic!("{nom} : {constats}"));
    let mut enregistrement = csv::StringRecord::new();
    let mut cellules = Vec::new();
    let mut erreurs = Vec::new();
    let mut lignes = Vec::new();
    while lecteur
        .suivant(&mut enregistrement, &mut cellules, &mut erreurs)
        .is_some()
    {
        let texte = enregistrement.as_slice();
        lignes.push(
            cellules
                .iter()
                .map(|r| texte[r.clone()].to_string())
                .collect(),
        );
    }
    assert!(erreurs.is_empty(), "{nom} : {erreurs:?}");
    (lecteur.entetes_bruts.clone(), lignes)
}

#[test]
fn every_file_of_csv_spectrum_reads_as_its_json_says() {
    let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/csv-spectrum");
    let mut lus = 0;
    for entree in std::fs::read_dir(dossier.join("csvs")).unwrap() {
        let chemin = entree.unwrap().path();
        let nom = chemin.file_stem().unwrap().to_str().unwrap().to_string();
        let json =
            std::fs::read_to_string(dossier.join("json").join(format!("{nom}.json"))).unwrap();
        let attendu: serde_json::Value = serde_json::from_str(&json).unwrap();
        // The suite's one file whose JSON disagrees with its CSV (another
        // phone number, a lost encoding): only its shape is compared.
        let forme_seule = nom == "location_coordinates";
        let attendu: Vec<serde_json::Map<String, serde_json::Value>> = match attendu {
            serde_json::Value::Array(a) => a
                .into_iter()
                .map(|v| v.as_object().unwrap().clone())
                .collect(),
            v => vec![v.as_object().unwrap().clone()],
        };
        let (entetes, lignes) = lire(&std::fs::read(&chemin).unwrap(), &nom);
        assert_eq!(lignes.len(), attendu.len(), "{nom} : {lignes:?}");
        for (ligne, objet) in lignes.iter().zip(&attendu) {
            let cles: Vec<&String> = objet.keys().collect();
            let mut entetes_tries: Vec<&String> = entetes.iter().collect();
            entetes_tries.sort();
            let mut cles_triees = cles.clone();
            cles_triees.sort();
            assert_eq!(entetes_tries, cles_triees, "{nom}");
            if forme_seule {
                continue;
            }
            for (entete, cellule) in entetes.iter().zip(ligne) {
                // Cells are trimmed as exports are, and every line end is
                // read as `\n`: the suite's values, so trimmed and read.
                let valeur = objet[entete].as_str().unwrap().trim().replace("\r\n", "\n");
                assert_eq!(*cellule, valeur, "{nom}, colonne {entete}");
            }
        }
        lus += 1;
    }
    assert_eq!(lus, 12);
}
