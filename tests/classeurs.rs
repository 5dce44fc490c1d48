//! Workbook exports (.xlsx, .ods) in `donnees/`: the sample's exports as
//! LibreOffice Calc saves them (tests/corpus/classeurs/, made by its
//! `generer.sh`), and workbooks made here with rust_xlsxwriter or zip for
//! what a spreadsheet does not make on demand (a sheet per month, a
//! journal, error cells, formulas without value, zip bombs). A workbook
//! gives the figures its CSV gives; each refusal names the file, the sheet,
//! the cell and what was expected, and writes nothing.

mod commun;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use commun::*;
use rust_xlsxwriter::{CalculationMode, ExcelDateTime, Format, Formula, Workbook, Worksheet};

fn corpus(nom: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/classeurs")
        .join(nom)
}

/// The sample copied into `dir/projet`, its exports `retires` removed.
fn projet_sans(dir: &Path, retires: &[&str]) -> PathBuf {
    let projet = dir.join("projet");
    copier(&echantillon(), &projet);
    for r in retires {
        std::fs::remove_file(projet.join("donnees").join(r)).unwrap();
    }
    projet
}

/// The rows of one of the sample's CSV exports: its header, then its records.
fn csv_exemple(nom: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(echantillon().join("donnees").join(nom))
        .unwrap();
    let entete = lecteur
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let lignes = lecteur
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (entete, lignes)
}

/// Writes `entete` at row `premiere` of `feuille`, then `lignes` below, each
/// cell by its column: dates as date cells (shown JJ/MM/AAAA), quantities
/// and years as numbers, amounts as currency (`63,00 €`), the rest as text.
fn ecrire(feuille: &mut Worksheet, premiere: u32, entete: &[String], lignes: &[Vec<String>]) {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let euros = Format::new().set_num_format("#,##0.00\\ \"€\"");
    for (j, e) in entete.iter().enumerate() {
        feuille.write_string(premiere, j as u16, e).unwrap();
    }
    for (i, ligne) in lignes.iter().enumerate() {
        let r = premiere + 1 + i as u32;
        for (j, v) in ligne.iter().enumerate() {
            let c = j as u16;
            if v.is_empty() {
                continue;
            }
            match entete[j].as_str() {
                "date" | "ouverture" | "cloture" => {
                    let p: Vec<u16> = v.split('/').map(|x| x.parse().unwrap()).collect();
                    let d = ExcelDateTime::from_ymd(p[2], p[1] as u8, p[0] as u8).unwrap();
                    feuille.write_datetime_with_format(r, c, &d, &date).unwrap();
                }
                "quantite" | "annee" | "valeur" => {
                    feuille
                        .write_number(r, c, v.parse::<f64>().unwrap())
                        .unwrap();
                }
                "montant" => {
                    let n: f64 = v.replace(',', ".").parse().unwrap();
                    feuille.write_number_with_format(r, c, n, &euros).unwrap();
                }
                _ => {
                    feuille.write_string(r, c, v).unwrap();
                }
            }
        }
    }
}

const MOIS: [&str; 12] = [
    "Janvier",
    "Février",
    "Mars",
    "Avril",
    "Mai",
    "Juin",
    "Juillet",
    "Août",
    "Septembre",
    "Octobre",
    "Novembre",
    "Décembre",
];

/// The sample's activities as a workbook with one sheet per month
/// (« Janvier 2011 »…), a « Mode d'emploi » first, an empty sheet, and a
/// title above the header of the first month.
fn activites_par_mois(chemin: &Path) {
    let (entete, lignes) = csv_exemple("activites.csv");
    let mut par_mois: BTreeMap<(u32, u32), Vec<Vec<String>>> = BTreeMap::new();
    for l in lignes {
        let p: Vec<u32> = l[0].split('/').map(|x| x.parse().unwrap()).collect();
        par_mois.entry((p[2], p[1])).or_default().push(l);
    }
    let mut classeur = Workbook::new();
    let notice = classeur.add_worksheet().set_name("Mode d'emploi").unwrap();
    notice
        .write_string(0, 0, "Une ligne par action ; la date en JJ/MM/AAAA.")
        .unwrap();
    classeur.add_worksheet().set_name("Brouillon").unwrap();
    for (k, ((annee, mois), lignes)) in par_mois.iter().enumerate() {
        let f = classeur
            .add_worksheet()
            .set_name(format!("{} {annee}", MOIS[*mois as usize - 1]))
            .unwrap();
        if k == 0 {
            f.write_string(0, 0, "Export du 12/01/2014").unwrap();
            ecrire(f, 2, &entete, lignes);
        } else {
            ecrire(f, 0, &entete, lignes);
        }
    }
    classeur.save(chemin).unwrap();
}

/// A journal with a « Mode d'emploi » and one sheet per source in `sources`, from the sample's CSV.
fn journal(chemin: &Path, sources: &[&str]) {
    let mut classeur = Workbook::new();
    classeur
        .add_worksheet()
        .set_name("Mode d'emploi")
        .unwrap()
        .write_string(0, 0, "Remplissez une feuille par export.")
        .unwrap();
    for s in sources {
        let (entete, lignes) = csv_exemple(&format!("{s}.csv"));
        let f = classeur.add_worksheet().set_name(*s).unwrap();
        ecrire(f, 0, &entete, &lignes);
    }
    classeur.save(chemin).unwrap();
}

/// A small activities workbook: one sheet `nom` with the sample's header and
/// its first `n` rows, then `modifier` on the workbook and the sheet.
fn petit_classeur(
    chemin: &Path,
    nom: &str,
    n: usize,
    modifier: impl FnOnce(&mut Workbook) -> &mut Worksheet,
    remplir: impl FnOnce(&mut Worksheet),
) {
    let (entete, lignes) = csv_exemple("activites.csv");
    let mut classeur = Workbook::new();
    let f = modifier(&mut classeur).set_name(nom).unwrap();
    ecrire(f, 0, &entete, &lignes[..n]);
    remplir(f);
    classeur.save(chemin).unwrap();
}

/// The 2013 document of `projet`: every figure, table, chart and text. The
/// note on the data names no file, so a workbook and CSV files of the same
/// rows give the same document.
fn chiffres_2013(projet: &Path) -> serde_json::Value {
    let document = document_2013(projet);
    let methode = &document["methode"][0];
    assert!(!methode.as_str().unwrap().contains("donnees/"), "{methode}");
    document
}

/// The sample's 2013 figures, read from its CSV (computed once per test binary).
fn chiffres_de_l_exemple() -> &'static serde_json::Value {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| chiffres_2013(&echantillon()))
}

/// What `check` and `build` say about `projet`, which both must refuse with
/// `code`, `build` writing nothing into an output folder that already holds files.
fn refus(projet: &Path, code: i32) -> String {
    let sortie = projet.parent().unwrap().join("sortie");
    std::fs::create_dir_all(sortie.join("tableaux")).unwrap();
    std::fs::write(
        sortie.join("rapport-2013.pdf"),
        b"le rapport de l'an dernier",
    )
    .unwrap();
    std::fs::write(sortie.join("tableaux/rue.csv"), b"ancien tableau").unwrap();
    let avant = fichiers_sous(&sortie);
    let p = projet.to_str().unwrap();
    let check = rapport(&["check", "2013", "--projet", p]);
    let build = rapport(&[
        "build",
        "2013",
        "--projet",
        p,
        "--sortie",
        sortie.to_str().unwrap(),
        "--date",
        "2014-04-15",
    ]);
    let dit = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let (dit_check, dit_build) = (dit(&check), dit(&build));
    assert_eq!(check.status.code(), Some(code), "check :\n{dit_check}");
    assert_eq!(build.status.code(), Some(code), "build :\n{dit_build}");
    assert_eq!(
        fichiers_sous(&sortie),
        avant,
        "build a écrit dans la sortie"
    );
    // Both say the same problems.
    for ligne in dit_build.lines().filter(|l| l.starts_with("erreur")) {
        assert!(
            dit_check.contains(ligne),
            "« {ligne} » absent de check :\n{dit_check}"
        );
    }
    dit_build.replace('\u{202F}', " ")
}

fn contient_tout(texte: &str, mots: &[&str]) {
    for m in mots {
        assert!(texte.contains(m), "« {m} » absent de :\n{texte}");
    }
}

// --- The same figures ----------------------------------------------------

#[test]
fn un_classeur_xlsx_enregistre_par_calc_donne_les_chiffres_de_ses_csv() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv", "indicateurs.csv"]);
    for f in ["activites.xlsx", "indicateurs.xlsx"] {
        std::fs::copy(corpus(f), projet.join("donnees").join(f)).unwrap();
    }
    // The tables the binary writes, figure by figure, against the sample's.
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    construire(&echantillon(), &a, 2013);
    construire(&projet, &b, 2013);
    let tableaux = |s: &Path| fichiers_sous(&s.join("tableaux"));
    let (ta, tb) = (tableaux(&a), tableaux(&b));
    assert!(ta.len() >= 8, "{:?}", ta.keys());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for nom in ta.keys() {
        let (la, lb) = (
            lire_csv(&a.join("tableaux").join(nom)),
            lire_csv(&b.join("tableaux").join(nom)),
        );
        assert!(!la.is_empty());
        assert_eq!(la, lb, "{}", nom.display());
    }
    assert_eq!(&chiffres_2013(&projet), chiffres_de_l_exemple());
}

#[test]
fn un_classeur_ods_enregistre_par_calc_donne_les_chiffres_de_ses_csv() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv", "suivis.csv"]);
    for f in ["activites.ods", "suivis.ods"] {
        std::fs::copy(corpus(f), projet.join("donnees").join(f)).unwrap();
    }
    assert_eq!(&chiffres_2013(&projet), chiffres_de_l_exemple());
}

#[test]
fn un_classeur_a_une_feuille_par_mois_est_un_seul_export_aux_memes_chiffres() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    activites_par_mois(&projet.join("donnees/activites.xlsx"));
    assert_eq!(&chiffres_2013(&projet), chiffres_de_l_exemple());
    // The title above the first month's header is skipped, and said.
    let check = rapport(&["check", "2013", "--projet", projet.to_str().unwrap()]);
    let dit = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(!dit.contains("erreur :"), "{dit}");
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx, feuille « Janvier 2011 », ligne 3 : l'en-tête est en ligne 3 ; la ligne au-dessus (1) est sautée",
        ],
    );
    assert!(
        !dit.contains("Mode d'emploi") && !dit.contains("Brouillon"),
        "{dit}"
    );
}

#[test]
fn le_journal_donne_chaque_export_par_la_feuille_qui_porte_son_nom() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(
        dir.path(),
        &["activites.csv", "suivis.csv", "indicateurs.csv"],
    );
    journal(
        &projet.join("donnees/journal-2013.xlsx"),
        &["activites", "suivis", "indicateurs"],
    );
    assert_eq!(&chiffres_2013(&projet), chiffres_de_l_exemple());
}

// --- Refusals ------------------------------------------------------------

#[test]
fn un_journal_sans_la_feuille_d_un_export_utile_le_dit_introuvable_en_nommant_la_feuille() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(
        dir.path(),
        &["activites.csv", "suivis.csv", "indicateurs.csv"],
    );
    journal(
        &projet.join("donnees/journal.xlsx"),
        &["activites", "suivis"],
    );
    let dit = refus(&projet, 66);
    contient_tout(
        &dit,
        &[
            "donnees/journal.xlsx, feuille « indicateurs » : fichier d'export introuvable",
            "une feuille « indicateurs » dans le journal",
        ],
    );
    assert!(!dit.contains("activites"), "{dit}");
}

#[test]
fn une_date_fausse_dans_un_classeur_est_situee_a_sa_feuille_et_sa_cellule() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    petit_classeur(
        &projet.join("donnees/activites.xlsx"),
        "Janvier",
        40,
        Workbook::add_worksheet,
        |f| {
            f.write_string(11, 0, "31/02/2013").unwrap();
            f.write_string(20, 6, "douze").unwrap();
            f.write_string(4, 12, "à voir").unwrap();
        },
    );
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx, feuille « Janvier », cellule A12, colonne « date » : « 31/02/2013 » n'est pas une date valide",
            "attendu : une date JJ/MM/AAAA",
            "donnees/activites.xlsx, feuille « Janvier », cellule G21, colonne « quantite » : « douze » n'est pas une quantité valide",
            "donnees/activites.xlsx, feuille « Janvier », cellule M5 : la cellule a une valeur hors des colonnes de l'en-tête",
            "attendu : des valeurs seulement sous les 10 colonnes de l'en-tête (colonnes A à J)",
        ],
    );
    assert!(!dit.contains("ligne 12"), "{dit}");
}

#[test]
fn une_cellule_d_erreur_et_une_formule_sans_valeur_sont_refusees_a_leur_cellule() {
    // As a spreadsheet saves it: the formulas' values in cache, no recalculation asked.
    fn calcule(c: &mut Workbook) -> &mut Worksheet {
        c.set_calculation_mode(CalculationMode::Manual);
        c.add_worksheet().set_formula_result_default("")
    }
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    petit_classeur(
        &projet.join("donnees/activites.xlsx"),
        "Mars",
        30,
        calcule,
        |f| {
            f.write_formula(4, 6, Formula::new("=1/0").set_result("#DIV/0!"))
                .unwrap();
            f.write_formula(7, 8, Formula::new("=G2*10")).unwrap();
            // A formula with its value in cache is read as that value.
            f.write_formula(9, 6, Formula::new("=1+1").set_result("2"))
                .unwrap();
        },
    );
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx, feuille « Mars », cellule G5, colonne « quantite » : la cellule contient l'erreur de calcul #DIV/0!",
            "donnees/activites.xlsx, feuille « Mars », cellule I8, colonne « montant » : la formule de cette cellule n'a pas de valeur calculée",
            "enregistrez-le (les formules sont alors calculées)",
        ],
    );
    assert!(!dit.contains("G10"), "{dit}");
}

#[test]
fn des_feuilles_aux_en_tetes_differents_sont_refusees_en_nommant_la_difference() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    let (mut entete, lignes) = csv_exemple("activites.csv");
    let mut classeur = Workbook::new();
    ecrire(
        classeur.add_worksheet().set_name("Janvier").unwrap(),
        0,
        &entete,
        &lignes[..20],
    );
    entete.swap(2, 3);
    let fevrier: Vec<Vec<String>> = lignes[20..40]
        .iter()
        .map(|l| {
            let mut l = l.clone();
            l.swap(2, 3);
            l
        })
        .collect();
    ecrire(
        classeur.add_worksheet().set_name("Février").unwrap(),
        0,
        &entete,
        &fevrier,
    );
    classeur
        .save(projet.join("donnees/activites.xlsx"))
        .unwrap();
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx, feuille « Février », ligne 1 : l'en-tête de cette feuille n'est pas celui de la feuille « Janvier » : la cellule C1 dit « public » au lieu de « programme »",
            "les mêmes colonnes, dans le même ordre : date, action, programme, public",
            "correction : copiez la ligne d'en-tête de la feuille « Janvier »",
        ],
    );
}

#[test]
fn une_donnee_personnelle_dans_un_classeur_est_situee_sans_etre_montree() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    petit_classeur(
        &projet.join("donnees/activites.xlsx"),
        "Avril",
        30,
        Workbook::add_worksheet,
        |f| {
            f.write_string(0, 9, "Remarque").unwrap();
            f.write_string(14, 9, "rappeler au 06 12 34 56 78").unwrap();
            f.write_string(0, 10, "Téléphone").unwrap();
        },
    );
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx, feuille « Avril », cellule J15, colonne « Remarque » : une cellule contient ce qui ressemble à un numéro de téléphone",
            "donnees/activites.xlsx, feuille « Avril », cellule K1, colonne « Téléphone » : cette colonne contient des données personnelles",
        ],
    );
    assert!(!dit.contains("06 12 34 56 78"), "{dit}");
}

#[test]
fn un_classeur_renomme_en_csv_est_reconnu_et_son_extension_demandee() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    std::fs::copy(
        corpus("activites.xlsx"),
        projet.join("donnees/activites.csv"),
    )
    .unwrap();
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.csv : ce fichier est un classeur (xlsx/ods), pas un CSV",
            "renommez-le avec l'extension .xlsx (ou .ods)",
            "enregistrez-le en « CSV UTF-8 »",
        ],
    );
}

#[test]
fn un_xlsx_qui_n_est_pas_un_classeur_est_refuse_clairement() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv", "suivis.csv"]);
    std::fs::copy(
        echantillon().join("donnees/activites.csv"),
        projet.join("donnees/activites.xlsx"),
    )
    .unwrap();
    std::fs::write(projet.join("donnees/suivis.ods"), b"PK\x03\x04 tronque").unwrap();
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx : le fichier n'est pas un classeur xlsx : il contient du texte, sans doute un CSV",
            "renommez-le avec l'extension .csv",
            "donnees/suivis.ods : le classeur est abîmé : son archive zip est illisible",
        ],
    );
}

#[test]
fn une_bombe_zip_est_refusee_sans_etre_decompressee() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(projet.join("donnees/activites.xlsx")).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx : une partie du classeur (xl/worksheets/sheet1.xml) se décompresse",
            "« bombe zip »",
            "attendu : un taux de compression d'au plus 200",
        ],
    );
}

#[test]
fn des_lignes_repetees_d_un_ods_sont_comptees_avant_d_etre_depliees() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(projet.join("donnees/activites.ods")).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", options).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Feuille1"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap();
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.ods : le classeur compte 1 000 000 000 cellules une fois ses lignes et colonnes répétées dépliées",
            "au plus 5 000 000 cellules",
        ],
    );
}

#[test]
fn un_classeur_de_trop_de_feuilles_est_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    let mut classeur = Workbook::new();
    for _ in 0..101 {
        classeur.add_worksheet();
    }
    classeur
        .save(projet.join("donnees/activites.xlsx"))
        .unwrap();
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx : le classeur a 101 feuilles",
            "au plus 100 feuilles",
        ],
    );
}

#[test]
fn les_formules_d_un_classeur_qui_demande_a_etre_recalcule_n_ont_pas_de_valeur() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    // rust_xlsxwriter, as programs do, saves 0 for every formula and asks
    // the spreadsheet to compute them when opened (fullCalcOnLoad).
    petit_classeur(
        &projet.join("donnees/activites.xlsx"),
        "Mai",
        30,
        Workbook::add_worksheet,
        |f| {
            f.write_formula(9, 6, Formula::new("=1+1")).unwrap();
        },
    );
    let dit = refus(&projet, 65);
    contient_tout(
        &dit,
        &[
            "donnees/activites.xlsx, feuille « Mai », cellule G10, colonne « quantite » : la formule de cette cellule n'a pas de valeur calculée",
        ],
    );
}

#[test]
fn une_ligne_repetee_d_une_feuille_a_l_autre_est_nommee_par_sa_feuille() {
    let dir = tempfile::tempdir().unwrap();
    let projet = projet_sans(dir.path(), &["activites.csv"]);
    let (entete, lignes) = csv_exemple("activites.csv");
    let mut classeur = Workbook::new();
    let janvier = lignes[..10].to_vec();
    let mut fevrier = lignes[10..20].to_vec();
    // The first row with a `personne` code, seen again in the second sheet.
    let double = janvier.iter().find(|l| !l[4].is_empty()).unwrap().clone();
    let rang = janvier.iter().position(|l| *l == double).unwrap();
    fevrier.insert(1, double);
    for (nom, l) in [("Janvier", &janvier), ("Février", &fevrier)] {
        ecrire(
            classeur.add_worksheet().set_name(nom).unwrap(),
            0,
            &entete,
            l,
        );
    }
    classeur
        .save(projet.join("donnees/activites.xlsx"))
        .unwrap();
    let check = rapport(&["check", "2013", "--projet", projet.to_str().unwrap()]);
    let dit = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    contient_tout(
        &dit,
        &[&format!(
            "donnees/activites.xlsx, feuille « Février », ligne 3 : ligne identique à la ligne {} de donnees/activites.xlsx, feuille « Janvier »",
            rang + 2
        )],
    );
}
