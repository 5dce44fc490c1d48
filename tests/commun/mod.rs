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

/// `rapport ARGS --projet P --sortie S --date 2026-11-28`, which must succeed; gives its standard output.
pub fn lancer_sur(projet: &Path, sortie: &Path, args: &[&str]) -> String {
    let mut tout = args.to_vec();
    tout.extend([
        "--projet",
        projet.to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
        "--date",
        "2026-11-28",
    ]);
    lancer(&tout)
}

/// `rapport build ANNEE` on `projet` into `sortie`, which must succeed.
pub fn construire(projet: &Path, sortie: &Path, annee: i32) {
    lancer_sur(projet, sortie, &["build", &annee.to_string()]);
}

/// The text of a PDF (poppler's `pdftotext -layout`: a table row stays on one line), spaces of every kind folded to one.
pub fn texte_pdf(pdf: &Path) -> String {
    let sortie = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext est installé (paquet poppler-utils)");
    assert!(sortie.status.success());
    plier(&String::from_utf8(sortie.stdout).unwrap())
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
