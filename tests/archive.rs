//! The PDF is archival (PDF/A-2b) and accessible (tagged, in French, each
//! chart with a text alternative giving its figures); its metadata come
//! from the model. Checked with qpdf and poppler's pdfinfo.

mod commun;

use std::path::Path;
use std::process::Command;

use commun::*;
use serde_json::Value;

/// `pdfinfo ARGS pdf`'s standard output.
fn pdfinfo(pdf: &Path, args: &[&str]) -> String {
    let sortie = Command::new("pdfinfo")
        .args(args)
        .arg(pdf)
        .output()
        .expect("pdfinfo est installé (paquet poppler-utils)");
    assert!(sortie.status.success());
    String::from_utf8(sortie.stdout).unwrap()
}

/// The value of `champ` in pdfinfo's output (`Title:   …`).
fn champ(info: &str, champ: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{champ}:")))
        .unwrap_or_else(|| panic!("pas de champ {champ} : {info}"))
        .trim()
        .to_string()
}

/// Every string object of the PDF, decoded by qpdf (`qpdf --json`), by key.
fn chaines(pdf: &Path, cle: &str) -> Vec<String> {
    let json = qpdf_json(pdf, &["--json-key=qpdf"]);
    let mut trouvees = Vec::new();
    fn parcourir(v: &Value, cle: &str, trouvees: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, v) in o {
                    if k == cle
                        && let Some(s) = v.as_str()
                    {
                        trouvees.push(s.strip_prefix("u:").unwrap_or(s).to_string());
                    }
                    parcourir(v, cle, trouvees);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| parcourir(v, cle, trouvees)),
            _ => {}
        }
    }
    parcourir(&json, cle, &mut trouvees);
    trouvees
}

#[test]
fn the_report_is_a_sound_pdf_a_2b_in_french_with_the_models_metadata() {
    let dir = tempfile::tempdir().unwrap();
    construire(&echantillon(), dir.path(), 2013);
    let pdf = dir.path().join("rapport-2013.pdf");
    assert!(pdf_sain(&pdf), "qpdf --check");

    let info = pdfinfo(&pdf, &[]);
    assert_eq!(
        champ(&info, "Title"),
        "Rapport d’activité 2013 — Les Amarres"
    );
    assert_eq!(champ(&info, "Author"), "Les Amarres");
    assert_eq!(
        champ(&info, "Subject"),
        "Rapport d’activité 2013 de l’association Les Amarres"
    );
    let mots: Vec<String> = champ(&info, "Keywords")
        .split(", ")
        .map(String::from)
        .collect();
    // The title, the year, the name, then the model's `mots_cles`.
    assert_eq!(&mots[..3], ["rapport d’activité", "2013", "Les Amarres"]);
    assert!(
        mots.contains(&"santé communautaire".to_string()),
        "{mots:?}"
    );
    assert_eq!(champ(&info, "Tagged"), "yes");

    // PDF/A identification, in the XMP metadata.
    let xmp = pdfinfo(&pdf, &["-meta"]);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("<rdf:li>fr-FR</rdf:li>"), "langue : {xmp}");
    // Nobody's code reaches the metadata.
    assert!(!xmp.contains("TLS-"));
}

#[test]
fn each_chart_has_a_text_alternative_with_its_figures_in_the_tagged_pdf() {
    let dir = tempfile::tempdir().unwrap();
    construire(&echantillon(), dir.path(), 2013);
    let pdf = dir.path().join("rapport-2013.pdf");
    let alternatives = chaines(&pdf, "/Alt");
    let graphiques = std::fs::read_dir(dir.path().join("graphiques"))
        .unwrap()
        .count();
    let diagrammes: Vec<&String> = alternatives
        .iter()
        .filter(|a| a.starts_with("Diagramme"))
        .collect();
    assert_eq!(diagrammes.len(), graphiques, "{alternatives:#?}");
    // The street chart says its figures, those of the street table.
    let rue = diagrammes
        .iter()
        .find(|a| a.contains("Contacts lors du travail de rue en 2013"))
        .expect("le graphique du travail de rue");
    let lignes = lire_csv(&dir.path().join("tableaux/rue.csv"));
    for (public, colonne) in [
        ("Femmes", "Femmes"),
        ("Trans", "Trans"),
        ("Hommes", "Hommes"),
    ] {
        let n: u32 = valeur(&lignes, "contacts_rue", colonne, 2013)
            .parse()
            .unwrap();
        let attendu = format!("{public}\u{a0}: {}", rapport::fr::nombre(n as f64, 0));
        assert!(rue.contains(&attendu), "{attendu} dans {rue}");
    }
    // The document's language is French.
    assert_eq!(chaines(&pdf, "/Lang"), ["fr-FR"]);
}
