//! Fuzz target `export`: any bytes, written as an export file, are read and
//! validated by `rapport::exports::lire` with the sample model's needs. It may
//! refuse them (an error for the user), never panic.
//!
//! The bytes are tried as each of the three exports in turn, alone in its
//! folder, so that every contract (dates, years, numbers, publics) is exercised.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rapport::exports::{self, Besoins, Source};
use rapport::model::Modele;

/// One folder per source, holding only its export, with the sample model's
/// needs restricted to that source.
struct Banc {
    _dossier: tempfile::TempDir,
    sources: Vec<(Source, Besoins, PathBuf)>,
}

static BANC: LazyLock<Banc> = LazyLock::new(|| {
    let projet = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data-samples");
    let modele = Modele::lire(&projet).expect("le modèle d'exemple se lit");
    let besoins = modele.besoins();
    let dossier = tempfile::tempdir().expect("dossier temporaire");
    let sources = Source::TOUTES
        .into_iter()
        .map(|source| {
            // Only this source is required: the others have no file here.
            let mut seule = besoins.clone();
            seule.sources = [source].into();
            let donnees = dossier.path().join(source.nom());
            std::fs::create_dir_all(&donnees).expect("dossier des données");
            (source, seule, donnees)
        })
        .collect();
    Banc {
        _dossier: dossier,
        sources,
    }
});

fuzz_target!(|octets: &[u8]| {
    for (source, besoins, donnees) in &BANC.sources {
        std::fs::write(donnees.join(source.fichier()), octets).expect("écriture de l'export");
        // An error is a fine answer; a panic is the bug this target looks for.
        let _ = exports::lire(donnees, Path::new("donnees"), besoins);
    }
});
