//! Fuzz target `export`: any bytes are read and checked as each of the three
//! exports in turn, by `rapport::exports::verifier_octets` (the reading and the
//! checks of `rapport check`: decoding, CSV, header mapping, typing, personal
//! data guard, duplicates and period warnings), with the sample model's needs
//! and settings. It may refuse them (an error for the user), never panic.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rapport::exports::{self, Besoins, Bornes, Options, Source, Vocabulaire};
use rapport::model::Modele;
use rapport::suivi::Suivi;

/// The sample model, its needs and vocabulary, read once.
static MODELE: LazyLock<(Modele, Besoins, Vocabulaire)> = LazyLock::new(|| {
    let projet = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data-samples");
    let modele = Modele::lire(&projet, &Suivi::default()).expect("le modèle d'exemple se lit");
    let besoins = modele.besoins();
    let vocabulaire = Vocabulaire::new(&modele.vocabulaire);
    (modele, besoins, vocabulaire)
});

fuzz_target!(|octets: &[u8]| {
    let (modele, besoins, vocabulaire) = &*MODELE;
    let suivi = Suivi::new(true);
    let options = Options {
        besoins,
        reglages: &modele.exports,
        vocabulaire,
        controles: Some(Bornes {
            debut: Some(2000),
            fin: 2013,
            raison_fin: "le rapport vérifié est celui de 2013".into(),
        }),
        suivi: &suivi,
        cache: None,
    };
    for source in Source::TOUTES {
        // Findings are a fine answer; a panic is the bug this target looks for.
        let _ = exports::verifier_octets(octets, source.fichier(), source, &options);
    }
});
