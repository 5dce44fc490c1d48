//! The sample report as a publication: no page left mostly blank, the
//! standards it declares (PDF/UA-1, PDF/A-2a) and its title shown, the key
//! figures equal to the published CSV tables, the back cover with the
//! association's details; and `check` refusing a wrong SIRET, a missing
//! cover picture, an unknown key figure.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use commun::*;

/// Builds the sample's 2013 report into `sortie`; gives the PDF's path.
fn pdf_2013(sortie: &Path) -> PathBuf {
    lancer_sur(
        &echantillon(),
        sortie,
        &["build", "2013", "--format", "pdf"],
    );
    sortie.join("rapport-2013.pdf")
}

/// The text of page `page` of `pdf` (`pdftotext -layout`), spaces folded.
fn texte_page(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    plier(&pdftotext(pdf, &["-layout", "-f", &n, "-l", &n]))
}

/// The share of the text area (A4 less the margins of templates/rapport.typ:
/// 2.3 cm at the top, 2.5 cm at the foot) that each page fills, from its top
/// to the lowest inked pixel above the footer, read from a grey rendering.
fn remplissage(pdf: &Path) -> Vec<f64> {
    let dossier = tempfile::tempdir().unwrap();
    let prefixe = dossier.path().join("p");
    let r = Command::new("pdftoppm")
        .args(["-gray", "-r", "36"])
        .arg(pdf)
        .arg(&prefixe)
        .status()
        .expect("pdftoppm est installé (paquet poppler-utils)");
    assert!(r.success());
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dossier.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| {
            let octets = std::fs::read(p).unwrap();
            // PGM: « P5 largeur hauteur maximum » then one byte a pixel.
            let mut champs = Vec::new();
            let mut i = 0;
            while champs.len() < 4 {
                while octets[i].is_ascii_whitespace() {
                    i += 1;
                }
                let debut = i;
                while !octets[i].is_ascii_whitespace() {
                    i += 1;
                }
                champs.push(String::from_utf8_lossy(&octets[debut..i]).into_owned());
            }
            let (l, h): (usize, usize) = (champs[1].parse().unwrap(), champs[2].parse().unwrap());
            let pixels = &octets[i + 1..];
            let cm = h as f64 / 29.7;
            let (haut, bas) = ((2.3 * cm) as usize, h - (2.5 * cm) as usize);
            let dernier = (haut..bas)
                .rev()
                .find(|&y| pixels[y * l..(y + 1) * l].iter().any(|&g| g < 200))
                .unwrap_or(haut);
            (dernier - haut) as f64 / (bas - haut) as f64
        })
        .collect()
}

#[test]
fn aucune_page_du_rapport_n_est_remplie_a_moins_d_un_tiers() {
    let sortie = tempfile::tempdir().unwrap();
    let pdf = pdf_2013(sortie.path());
    let parts = remplissage(&pdf);
    assert!(parts.len() >= 8, "{} pages", parts.len());
    // The covers are drawn to the edges: measured from the first inner page
    // to the one before the back cover.
    let vides: Vec<String> = (2..parts.len())
        .filter(|&page| parts[page - 1] < 1.0 / 3.0)
        .map(|page| format!("page {page} : {:.0} %", 100.0 * parts[page - 1]))
        .collect();
    assert!(
        vides.is_empty(),
        "pages remplies à moins d'un tiers : {vides:?}"
    );
}

#[test]
fn les_pages_interieures_sont_numerotees_de_suite_dans_leur_pied() {
    // A page break decided from a measured position keeps Typst's layout
    // from converging: the page numbers were the first to go wrong.
    let sortie = tempfile::tempdir().unwrap();
    let pdf = pdf_2013(sortie.path());
    let pages = remplissage(&pdf).len();
    for page in 2..pages {
        let texte = texte_page(&pdf, page);
        let pied = texte.rsplit("Rapport d'activité 2013 ").next().unwrap();
        assert_eq!(pied, page.to_string(), "pied de la page {page} : {texte}");
    }
}

#[test]
fn le_pdf_declare_pdf_ua_1_et_pdf_a_2a_dans_son_xmp_et_affiche_son_titre() {
    let sortie = tempfile::tempdir().unwrap();
    let pdf = pdf_2013(sortie.path());
    // Every stream uncompressed, so the XMP and the catalog can be read.
    let qdf = sortie.path().join("qdf.pdf");
    let r = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&qdf)
        .status()
        .expect("qpdf est installé");
    assert!(r.success());
    let texte = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    let xmp = texte
        .find("<x:xmpmeta")
        .map(|i| &texte[i..i + texte[i..].find("</x:xmpmeta>").unwrap()])
        .expect("un paquet XMP");
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("Les Amarres"), "le titre dans le XMP : {xmp}");
    let preferences = texte
        .find("/ViewerPreferences")
        .map(|i| &texte[i..(i + 200).min(texte.len())])
        .expect("des préférences d'affichage");
    assert!(
        preferences.contains("/DisplayDocTitle true"),
        "{preferences}"
    );
}

/// The published value of `indicateur` for `annee` in the CSV tables of
/// `tableaux`: its Total column or its year's, else (a share broken down by
/// public with no total column) the share of the summed numerators.
fn publie(tableaux: &Path, indicateur: &str, annee: i32) -> Option<String> {
    let mut lignes = Vec::new();
    for f in std::fs::read_dir(tableaux).unwrap() {
        lignes.extend(
            lire_csv(&f.unwrap().path())
                .into_iter()
                .filter(|l| l["indicateur"] == indicateur && l["annee"] == annee.to_string()),
        );
    }
    if let Some(l) = lignes
        .iter()
        .find(|l| l["colonne"] == "Total" || l["colonne"] == annee.to_string())
    {
        return Some(l["valeur"].clone());
    }
    let somme = |cle: &str| -> Option<f64> {
        lignes
            .iter()
            .map(|l| l[cle].parse::<f64>().ok())
            .sum::<Option<f64>>()
    };
    let (n, d) = (somme("numerateur")?, somme("denominateur")?);
    (d > 0.0).then(|| format!("{:.1}", 100.0 * n / d).replace('.', ","))
}

/// A number as the CSV writes it (`23448,50`) read from the PDF (`23 448,50 €`).
fn nombre(texte: &str) -> f64 {
    texte
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',')
        .collect::<String>()
        .replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("« {texte} » n'est pas un nombre"))
}

#[test]
fn les_chiffres_cles_du_pdf_sont_ceux_des_tableaux_csv_publies() {
    let sortie = tempfile::tempdir().unwrap();
    let pdf = pdf_2013(sortie.path());
    let document = document_2013(&echantillon());
    let cles = document["chiffres_cles"].as_array().unwrap();
    assert!(cles.len() >= 6, "{cles:?}");
    let page = texte_page(&pdf, 2);
    assert!(page.contains("L'année 2013 en chiffres"), "{page}");
    let tableaux = sortie.path().join("tableaux");
    let mut evolutions_verifiees = 0;
    for c in cles {
        let indicateur = c["indicateur"].as_str().unwrap();
        let valeur = plier(c["valeur"].as_str().unwrap());
        assert!(
            page.contains(&valeur),
            "{indicateur} : {valeur} absent de la page : {page}"
        );
        let csv = publie(&tableaux, indicateur, 2013)
            .unwrap_or_else(|| panic!("{indicateur} n'est dans aucun tableau CSV de 2013"));
        assert_eq!(nombre(&valeur), nombre(&csv), "{indicateur}");
        // The change, recomputed from the CSV of the year before.
        if let (Some(avant), Some(evolution)) =
            (publie(&tableaux, indicateur, 2012), c["evolution"].as_str())
        {
            let (a, b) = (nombre(&avant), nombre(&csv));
            let attendu = if csv.contains(',') && evolution.contains("point") {
                b - a
            } else {
                100.0 * (b - a) / a
            };
            let signe = if evolution.starts_with('\u{2212}') {
                -1.0
            } else {
                1.0
            };
            assert!(
                (signe * nombre(evolution) - attendu).abs() < 0.051,
                "{indicateur} : {evolution}, attendu {attendu:.1}"
            );
            assert!(page.contains(&plier(evolution)), "{evolution} : {page}");
            evolutions_verifiees += 1;
        }
    }
    assert!(evolutions_verifiees >= 5, "{evolutions_verifiees}");
}

#[test]
fn la_quatrieme_de_couverture_donne_l_adresse_le_site_et_les_numeros() {
    let sortie = tempfile::tempdir().unwrap();
    let pdf = pdf_2013(sortie.path());
    let pages = remplissage(&pdf).len();
    let dos = texte_page(&pdf, pages);
    for attendu in [
        "12, quai de l'Exemple",
        "31000 Toulouse",
        "www.les-amarres.example",
        "contact@les-amarres.example",
        "Association loi 1901",
        "SIRET 123 456 789 00015",
        "RNA W313012345",
        "Avec le soutien de",
        "Sidaction",
        "Ville de Toulouse",
    ] {
        assert!(dos.contains(attendu), "« {attendu} » absent : {dos}");
    }
}

/// `rapport check 2013` on a copy of the sample where `avant` becomes
/// `apres` in rapport.toml: it must fail with `code` (65: a wrong value, 66:
/// a missing file); gives what it printed.
fn check_refuse(avant: &str, apres: &str, code: i32) -> String {
    let projet = copie_echantillon();
    remplacer(projet.path(), "rapport.toml", avant, apres);
    let r = rapport(&["check", "2013", "--projet", projet.path().to_str().unwrap()]);
    let message = String::from_utf8(r.stdout).unwrap() + &String::from_utf8(r.stderr).unwrap();
    assert_eq!(r.status.code(), Some(code), "{message}");
    message
}

#[test]
fn un_siret_faux_est_refuse_par_check_en_nommant_sa_cle() {
    // Two digits swapped: the Luhn key no longer matches.
    let message = check_refuse("123 456 789 00015", "123 456 789 00051", 65);
    assert!(message.contains("association.siret"), "{message}");
    assert!(message.contains("123 456 789 00051"), "{message}");
    assert!(message.contains("clé de contrôle"), "{message}");
    let message = check_refuse("123 456 789 00015", "123 456 789", 65);
    assert!(message.contains("n'a pas 14 chiffres"), "{message}");
}

#[test]
fn une_image_de_couverture_absente_est_refusee_par_check() {
    let message = check_refuse("images/couverture.jpg", "images/absente.jpg", 66);
    assert!(message.contains("identite.couverture"), "{message}");
    assert!(message.contains("images/absente.jpg"), "{message}");
}

#[test]
fn un_chiffre_cle_d_un_indicateur_inconnu_est_refuse_par_check() {
    let message = check_refuse(
        "{ indicateur = \"couverts\",",
        "{ indicateur = \"couvert\",",
        65,
    );
    assert!(message.contains("rapport.chiffres_cles"), "{message}");
    assert!(message.contains("couvert"), "{message}");
}
