//! Each stage of a build, and the whole build, at 10 000 to 10 million rows.
//!
//! The projects are made by the seeded generator, once, by
//! `scripts/mesurer.sh` (or by hand: `target/release/examples/generer
//! --lignes N --annees 2004..2013 --sortie DOSSIER/N`), in
//! `$RAPPORT_BENCH_PROJETS` (default `target/bench-projets`). Then:
//!
//! ```sh
//! cargo bench --bench etapes
//! ```

use std::path::PathBuf;

use divan::Bencher;

use rapport::{assemblage, document, figures, projet, publication};

fn main() {
    divan::main();
}

const TAILLES: &[usize] = &[10_000, 100_000, 1_000_000, 10_000_000];
const ANNEE: i32 = 2013;

fn date() -> Option<time::Date> {
    time::Date::from_calendar_date(2014, time::Month::April, 15).ok()
}

/// A command's tracking, as without `--quiet`.
fn suivi() -> rapport::suivi::Suivi {
    rapport::suivi::Suivi::default()
}

/// What a build computes before typesetting, for project `p`.
fn preparer(p: &std::path::Path) -> assemblage::Preparation {
    let (modele, exports) = projet::lire_projet(p, &suivi()).unwrap();
    assemblage::preparer(p, &modele, &exports, ANNEE, date(), &suivi()).unwrap()
}

/// The generated project of `lignes` rows.
fn projet(lignes: usize) -> PathBuf {
    let dossier = std::env::var_os("RAPPORT_BENCH_PROJETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-projets"))
        .join(lignes.to_string());
    assert!(
        dossier.join("rapport.toml").is_file(),
        "projet de {lignes} lignes absent de {} : lancez d'abord scripts/mesurer.sh",
        dossier.display()
    );
    dossier
}

/// Reading and checking the exports (and the model).
#[divan::bench(args = TAILLES, sample_count = 3, sample_size = 1)]
fn lecture_et_validation(b: Bencher, lignes: usize) {
    let p = projet(lignes);
    b.bench(|| projet::lire_projet(&p, &suivi()).unwrap());
}

/// Every indicator of the model for the years of the report, raw.
#[divan::bench(args = TAILLES, sample_count = 3, sample_size = 1)]
fn agregation(b: Bencher, lignes: usize) {
    let (modele, exports) = projet::lire_projet(&projet(lignes), &suivi()).unwrap();
    let annees = publication::annees(&modele, &[ANNEE]);
    b.bench(|| figures::calculer(&modele, &exports, &annees, &suivi()).unwrap());
}

/// The figures with the atoms of the linked system, and the secret decided
/// over all of them: what a build does before any rendering. The difference
/// with `agregation` is the cost of the publication stage.
#[divan::bench(args = TAILLES, sample_count = 3, sample_size = 1)]
fn publication_du_secret(b: Bencher, lignes: usize) {
    let (modele, exports) = projet::lire_projet(&projet(lignes), &suivi()).unwrap();
    let annees = publication::annees(&modele, &[ANNEE]);
    b.bench(|| {
        publication::publier(&modele, &exports, &annees, None, Some(ANNEE), &suivi()).unwrap()
    });
}

/// Figures, charts and texts, assembled into the document.
#[divan::bench(args = TAILLES, sample_count = 3, sample_size = 1)]
fn preparation(b: Bencher, lignes: usize) {
    let p = projet(lignes);
    let (modele, exports) = projet::lire_projet(&p, &suivi()).unwrap();
    b.bench(|| assemblage::preparer(&p, &modele, &exports, ANNEE, date(), &suivi()).unwrap());
}

/// Typesetting and PDF export: independent of the number of rows.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn mise_en_page_et_pdf(b: Bencher) {
    let p = projet(TAILLES[0]);
    let prep = preparer(&p);
    b.bench(|| {
        document::pdf(
            &prep.gabarits,
            &prep.document,
            prep.fichiers_typst.clone(),
            prep.date,
            &suivi(),
        )
        .unwrap()
    });
}

/// The whole build, outputs written.
#[divan::bench(args = TAILLES, sample_count = 3, sample_size = 1)]
fn construction_entiere(b: Bencher, lignes: usize) {
    let p = projet(lignes);
    let sortie = tempfile::tempdir().unwrap();
    b.bench(|| assemblage::construire(&p, sortie.path(), ANNEE, date(), &suivi()).unwrap());
}

/// The web page, from the same document: independent of the number of rows.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn page_html(b: Bencher) {
    let p = projet(TAILLES[0]);
    let prep = preparer(&p);
    b.bench(|| rapport::web::page(&prep.document, &prep.fichiers_typst, &suivi()).unwrap());
}

/// What `build --watch` does after a text changed: the model, the exports
/// and the figures are kept, texts, charts, document and PDF are made again.
#[divan::bench(args = TAILLES, sample_count = 3, sample_size = 1)]
fn reconstruction_apres_un_texte(b: Bencher, lignes: usize) {
    let p = projet(lignes);
    let sortie = tempfile::tempdir().unwrap();
    let mut lecture = assemblage::Lecture::lire(&p, None, &suivi()).unwrap();
    let formats = [rapport::cli::FormatRapport::Pdf];
    // The first build computes the figures that the next ones reuse.
    assemblage::produire(
        &p,
        sortie.path(),
        ANNEE,
        date(),
        &formats,
        &mut lecture,
        &suivi(),
    )
    .unwrap();
    b.bench_local(|| {
        assemblage::produire(
            &p,
            sortie.path(),
            ANNEE,
            date(),
            &formats,
            &mut lecture,
            &suivi(),
        )
        .unwrap()
    });
}
