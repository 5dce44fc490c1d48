//! Helpers shared by the integration tests: throwaway projects, running the
//! real binary, reading outputs back as data.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The sample project of the repository.
pub fn echantillon() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples")
}

/// Copies the sample project (without its outputs) into a new temporary folder.
pub fn copie_echantillon() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copier(&echantillon(), dir.path());
    dir
}

/// Copies the sample project (without its outputs) into the folder `vers`, created if needed.
pub fn copier_echantillon(vers: &Path) {
    copier(&echantillon(), vers);
}

/// Copies the folder `de` into `vers`, without any `sortie` folder.
pub fn copier(de: &Path, vers: &Path) {
    std::fs::create_dir_all(vers).unwrap();
    for entree in std::fs::read_dir(de).unwrap() {
        let entree = entree.unwrap();
        let nom = entree.file_name();
        if nom == "sortie" {
            continue;
        }
        let cible = vers.join(&nom);
        if entree.file_type().unwrap().is_dir() {
            copier(&entree.path(), &cible);
        } else {
            std::fs::copy(entree.path(), cible).unwrap();
        }
    }
}

/// The `rapport` binary as a command to complete, without `SOURCE_DATE_EPOCH`.
pub fn commande() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Runs `rapport` with `args`.
pub fn rapport(args: &[&str]) -> Output {
    commande()
        .args(args)
        .output()
        .expect("le binaire rapport se lance")
}

/// Asserts that the builds in `a` and `b` wrote the same tables
/// (`tableaux/*.csv`, byte for byte), at least `au_moins` of them.
pub fn memes_tableaux(a: &Path, b: &Path, au_moins: usize) {
    let tableaux = |s: &Path| fichiers_sous(&s.join("tableaux"));
    let (ta, tb) = (tableaux(a), tableaux(b));
    assert!(ta.len() >= au_moins, "{:?}", ta.keys());
    assert_eq!(ta, tb);
}

/// Every file under `dossier`, by path relative to it, with its bytes.
pub fn fichiers_sous(dossier: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut fichiers = std::collections::BTreeMap::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(d) = a_voir.pop() {
        for entree in std::fs::read_dir(&d).unwrap() {
            let chemin = entree.unwrap().path();
            if chemin.is_dir() {
                a_voir.push(chemin);
            } else {
                let relatif = chemin.strip_prefix(dossier).unwrap().to_path_buf();
                fichiers.insert(relatif, std::fs::read(&chemin).unwrap());
            }
        }
    }
    fichiers
}

/// Replaces `avant` by `apres` in the project file `fichier`, which must contain it.
pub fn remplacer(projet: &Path, fichier: &str, avant: &str, apres: &str) {
    let chemin = projet.join(fichier);
    let texte = std::fs::read_to_string(&chemin).unwrap();
    assert!(texte.contains(avant), "« {avant} » absent de {fichier}");
    std::fs::write(&chemin, texte.replacen(avant, apres, 1)).unwrap();
}

/// Takes the profile of the public by origin out of the model of `projet` (a
/// copy of the sample), for exports written with the contract's columns only,
/// which have no column `origine`: the breakdown, the table and its place in
/// the first section, and the breakdown of the file active and of the new people.
pub fn sans_profil_par_origine(projet: &Path) {
    let chemin = projet.join("rapport.toml");
    let mut texte = std::fs::read_to_string(&chemin).unwrap();
    for bloc in ["[ventilations.origine]", "[tableaux.profil]"] {
        let debut = texte
            .find(bloc)
            .unwrap_or_else(|| panic!("{bloc} absent du modèle"));
        let fin = texte[debut + bloc.len()..]
            .find("\n[")
            .map_or(texte.len(), |i| debut + bloc.len() + i + 1);
        texte.replace_range(debut..fin, "");
    }
    for ligne in [
        "ventilation = \"origine\"\n",
        "  { tableau = \"profil\" },\n",
    ] {
        assert!(texte.contains(ligne), "« {ligne} » absent du modèle");
        texte = texte.replace(ligne, "");
    }
    std::fs::write(&chemin, texte).unwrap();
}

/// Runs `rapport` with `args`, which must succeed; gives its standard output.
pub fn lancer(args: &[&str]) -> String {
    let r = rapport(args);
    assert!(
        r.status.success(),
        "{args:?} : {}",
        String::from_utf8_lossy(&r.stderr)
    );
    String::from_utf8(r.stdout).unwrap()
}

/// `ARGS --projet P --sortie S --date 2026-11-28`: the arguments of a
/// command on a project, dated as every test's.
pub fn sur<'a>(projet: &'a Path, sortie: &'a Path, args: &[&'a str]) -> Vec<&'a str> {
    let mut tout = args.to_vec();
    tout.extend([
        "--projet",
        projet.to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
        "--date",
        "2026-11-28",
    ]);
    tout
}

/// `rapport ARGS --projet P --sortie S --date 2026-11-28`, which must succeed; gives its standard output.
pub fn lancer_sur(projet: &Path, sortie: &Path, args: &[&str]) -> String {
    lancer(&sur(projet, sortie, args))
}

/// `rapport build ANNEE` on `projet` into `sortie`, which must succeed.
pub fn construire(projet: &Path, sortie: &Path, annee: i32) {
    lancer_sur(projet, sortie, &["build", &annee.to_string()]);
}

/// What poppler's `pdftotext ARGS pdf -` prints.
pub fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let sortie = Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext est installé (paquet poppler-utils)");
    assert!(sortie.status.success());
    String::from_utf8(sortie.stdout).unwrap()
}

/// The text of a PDF (poppler's `pdftotext -layout`: a table row stays on one line), spaces of every kind folded to one.
pub fn texte_pdf(pdf: &Path) -> String {
    plier(&pdftotext(pdf, &["-layout"]))
}

/// Folds every kind of space (including no-break ones) and typographic apostrophes.
pub fn plier(texte: &str) -> String {
    texte
        .replace(['\u{2019}'], "'")
        .split(|c: char| c.is_whitespace() || c == '\u{202F}' || c == '\u{A0}')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A table CSV written by `rapport`, as records keyed by column name.
pub fn lire_csv(chemin: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let texte = std::fs::read_to_string(chemin).unwrap();
    let texte = texte.trim_start_matches('\u{FEFF}');
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(texte.as_bytes());
    let entetes = lecteur.headers().unwrap().clone();
    lecteur
        .records()
        .map(|r| {
            let r = r.unwrap();
            entetes
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The value of `indicateur` / `colonne` / `annee` in table rows read by `lire_csv`.
pub fn valeur(
    lignes: &[std::collections::HashMap<String, String>],
    indicateur: &str,
    colonne: &str,
    annee: i32,
) -> String {
    lignes
        .iter()
        .find(|l| {
            l["indicateur"] == indicateur
                && l["colonne"] == colonne
                && l["annee"] == annee.to_string()
        })
        .unwrap_or_else(|| panic!("pas de cellule {indicateur} / {colonne} / {annee}"))["valeur"]
        .clone()
}

/// Whether `pdf` is a sound PDF file for qpdf (`qpdf --check`).
pub fn pdf_sain(pdf: &Path) -> bool {
    Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("qpdf est installé")
        .success()
}

/// A word of a PDF as poppler places it (`pdftotext -bbox`): its page
/// (from 1), its text, and its box in points from the top left of the page.
#[derive(Debug, Clone)]
pub struct Mot {
    pub page: usize,
    pub texte: String,
    pub x: (f64, f64),
    pub y: (f64, f64),
    /// The height of its page, to turn `y` into PDF coordinates (from the bottom).
    pub hauteur_page: f64,
}

impl Mot {
    /// The centre of the word in PDF coordinates (from the bottom left).
    pub fn centre_pdf(&self) -> (f64, f64) {
        (
            (self.x.0 + self.x.1) / 2.0,
            self.hauteur_page - (self.y.0 + self.y.1) / 2.0,
        )
    }
}

/// Every word of `pdf`, in reading order.
pub fn mots_pdf(pdf: &Path) -> Vec<Mot> {
    let html = pdftotext(pdf, &["-bbox"]);
    let attribut = |ligne: &str, nom: &str| -> f64 {
        let debut = ligne.find(&format!("{nom}=\"")).unwrap() + nom.len() + 2;
        let fin = debut + ligne[debut..].find('"').unwrap();
        ligne[debut..fin].parse().unwrap()
    };
    let (mut page, mut hauteur) = (0, 0.0);
    let mut mots = Vec::new();
    for ligne in html.lines().map(str::trim) {
        if ligne.starts_with("<page ") {
            page += 1;
            hauteur = attribut(ligne, "height");
        } else if ligne.starts_with("<word ") {
            let debut = ligne.find('>').unwrap() + 1;
            let fin = ligne.rfind("</word>").unwrap();
            mots.push(Mot {
                page,
                texte: ligne[debut..fin]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
                x: (attribut(ligne, "xMin"), attribut(ligne, "xMax")),
                y: (attribut(ligne, "yMin"), attribut(ligne, "yMax")),
                hauteur_page: hauteur,
            });
        }
    }
    mots
}

/// A link of a PDF to a place of the same document.
#[derive(Debug, Clone)]
pub struct LienInterne {
    /// The page of the link (from 1).
    pub page: usize,
    /// Its rectangle, PDF coordinates: x0, y0, x1, y1.
    pub rect: [f64; 4],
    /// The page it leads to (from 1), and the height there (PDF coordinates).
    pub cible: usize,
    pub cible_y: f64,
}

impl LienInterne {
    pub fn contient(&self, (x, y): (f64, f64)) -> bool {
        self.rect[0] <= x && x <= self.rect[2] && self.rect[1] <= y && y <= self.rect[3]
    }
}

/// The objects of `pdf` as `qpdf --json ARGS` gives them (strings decoded, `u:…`).
pub fn qpdf_json(pdf: &Path, args: &[&str]) -> serde_json::Value {
    let sortie = Command::new("qpdf")
        .arg("--json")
        .args(args)
        .arg(pdf)
        .output()
        .expect("qpdf est installé");
    assert!(sortie.status.success());
    serde_json::from_slice(&sortie.stdout).unwrap()
}

/// The internal links of `pdf` (annotations `/Link` with a `/Dest`), read with `qpdf --json`.
pub fn liens_internes(pdf: &Path) -> Vec<LienInterne> {
    let json = qpdf_json(pdf, &[]);
    let objets = &json["qpdf"][1];
    let valeur = |v: &serde_json::Value| -> serde_json::Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => objets[format!("obj:{r}")]["value"].clone(),
            _ => v.clone(),
        }
    };
    let pages: Vec<String> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["object"].as_str().unwrap().to_string())
        .collect();
    let mut liens = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let page = valeur(&serde_json::Value::String(p.clone()));
        let annotations = valeur(&page["/Annots"]);
        for a in annotations.as_array().into_iter().flatten() {
            let a = valeur(a);
            if a["/Subtype"] != "/Link" || a.get("/Dest").is_none() {
                continue;
            }
            let dest = valeur(&a["/Dest"]);
            let rect: Vec<f64> = a["/Rect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            liens.push(LienInterne {
                page: i + 1,
                rect: [rect[0], rect[1], rect[2], rect[3]],
                cible: pages.iter().position(|p| dest[0] == p.as_str()).unwrap() + 1,
                cible_y: dest[3].as_f64().unwrap(),
            });
        }
    }
    liens
}

/// The document of the 2013 report of `projet`, as handed to Typst (its
/// `/donnees.json`), dated 28 November 2026.
pub fn document_2013(projet: &Path) -> serde_json::Value {
    let suivi = rapport::suivi::Suivi::default();
    let (modele, exports) = rapport::projet::lire_projet(projet, &suivi).unwrap();
    let date = time::Date::from_calendar_date(2026, time::Month::November, 28).unwrap();
    let p =
        rapport::assemblage::preparer(projet, &modele, &exports, 2013, Some(date), &suivi).unwrap();
    serde_json::to_value(&p.document).unwrap()
}
