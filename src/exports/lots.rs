//! The records of one export read by batches: on two threads, one reading
//! and parsing the CSV into batches of records while the caller's checks
//! and types them (batches go back to the reader to be reused), or on the
//! caller's thread, a batch read then checked. Reading and checking are
//! timed apart.

use std::ops::Range;

use super::lecture::Lecteur;
use crate::error::Probleme;
use crate::suivi::{Etape, Suivi};

/// Records read per batch.
const LOT: usize = 4096;

/// One record as read: its line, its text, and where each trimmed cell is in it.
pub(super) struct Enregistrement {
    /// The line of the file where the record starts.
    pub ligne: usize,
    /// The fields, as the CSV reader gives them.
    pub champs: csv::StringRecord,
    /// Each cell, trimmed, as a range of the record's text.
    pub cellules: Vec<Range<usize>>,
}

impl Enregistrement {
    fn vide() -> Self {
        Enregistrement {
            ligne: 0,
            champs: csv::StringRecord::new(),
            cellules: Vec::new(),
        }
    }

    /// The trimmed cell of column `i`: empty when the file has no such column.
    pub fn cellule(&self, i: Option<usize>) -> &str {
        i.map_or("", |i| &self.champs.as_slice()[self.cellules[i].clone()])
    }

    /// How many cells the record has.
    pub fn largeur(&self) -> usize {
        self.cellules.len()
    }
}

/// Reads every record of `lecteur`, handing them to `traiter` by batches in
/// the file's order; what stops or skips a record goes to `erreurs`, and the
/// progress bar, if any, follows the bytes read (`avant` the earlier files).
/// Gives the number of records read.
pub(super) fn par_lots(
    lecteur: &mut Lecteur,
    barre: Option<(&indicatif::ProgressBar, u64)>,
    suivi: &Suivi,
    erreurs: &mut Vec<Probleme>,
    mut traiter: impl FnMut(&[Enregistrement]),
) -> usize {
    let mut n = 0usize;
    std::thread::scope(|portee| {
        let (pleins, a_valider) = std::sync::mpsc::sync_channel::<(Vec<Enregistrement>, usize)>(2);
        let (rendus, a_remplir) = std::sync::mpsc::channel::<Vec<Enregistrement>>();
        portee.spawn(move || {
            loop {
                let mut lot = a_remplir
                    .try_recv()
                    .unwrap_or_else(|_| (0..LOT).map(|_| Enregistrement::vide()).collect());
                let debut = std::time::Instant::now();
                let (k, fini) = remplir(lecteur, &mut lot, erreurs);
                suivi.ajouter(Etape::Lecture, debut.elapsed());
                if let Some((b, avant)) = barre {
                    b.set_position(avant + lecteur.octets_lus());
                }
                if pleins.send((lot, k)).is_err() || fini {
                    break;
                }
            }
        });
        for (lot, k) in a_valider {
            let _e = suivi.etape(Etape::Validation);
            n += k;
            traiter(&lot[..k]);
            let _ = rendus.send(lot);
        }
    });
    n
}

/// Reads the next records of `lecteur` into `lot`: how many, and whether
/// the reading ended.
fn remplir(
    lecteur: &mut Lecteur,
    lot: &mut [Enregistrement],
    erreurs: &mut Vec<Probleme>,
) -> (usize, bool) {
    for (k, e) in lot.iter_mut().enumerate() {
        match lecteur.suivant(&mut e.champs, &mut e.cellules, erreurs) {
            Some(l) => e.ligne = l,
            None => return (k, true),
        }
    }
    (lot.len(), false)
}

/// Reads every record of `lecteur` on this thread, handing them to
/// `traiter` by batches in the file's order, each read then checked; what
/// stops or skips a record goes to `erreurs`, and the progress bar, if any,
/// moves on by the bytes read (another thread may read another part of the
/// file). Gives the number of records read.
pub(super) fn ici(
    lecteur: &mut Lecteur,
    barre: Option<&indicatif::ProgressBar>,
    suivi: &Suivi,
    erreurs: &mut Vec<Probleme>,
    mut traiter: impl FnMut(&[Enregistrement]),
) -> usize {
    let mut lot: Vec<Enregistrement> = (0..LOT).map(|_| Enregistrement::vide()).collect();
    let (mut n, mut octets) = (0, 0);
    loop {
        let debut = std::time::Instant::now();
        let (k, fini) = remplir(lecteur, &mut lot, erreurs);
        suivi.ajouter(Etape::Lecture, debut.elapsed());
        if let Some(b) = barre {
            let lus = lecteur.octets_lus();
            b.inc(lus.saturating_sub(octets));
            octets = lus;
        }
        let _e = suivi.etape(Etape::Validation);
        traiter(&lot[..k]);
        n += k;
        if fini {
            return n;
        }
    }
}
