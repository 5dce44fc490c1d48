//! Where the problems of one export file go: every one counted, the first
//! ones in detail, the others summed up in one line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::classeur::Positions;
use super::lecture;
use crate::error::{Constats, Gravite, Probleme};

/// Problems reported in detail per file; beyond, they are only counted.
const DETAILLES_PAR_FICHIER: usize = 30;

/// Collects the problems of one file, in detail up to a limit.
pub(super) struct Signaleur<'c> {
    affiche: PathBuf,
    constats: &'c mut Constats,
    erreurs: usize,
    avertissements: usize,
    /// A workbook's: problems are told at their sheet and cell.
    positions: Option<Arc<Positions>>,
}

impl<'c> Signaleur<'c> {
    /// The problems of the file shown as `affiche`, going to `constats`.
    pub(super) fn new(affiche: &Path, constats: &'c mut Constats) -> Self {
        Signaleur {
            affiche: affiche.to_path_buf(),
            constats,
            erreurs: 0,
            avertissements: 0,
            positions: None,
        }
    }

    /// The problems of a workbook, told at the sheet and cell of their line.
    pub(super) fn aux_positions(mut self, positions: Option<Arc<Positions>>) -> Self {
        self.positions = positions;
        self
    }

    fn situer(&self, p: Probleme) -> Probleme {
        match &self.positions {
            Some(positions) => positions.situer(p),
            None => p,
        }
    }

    /// An error of the file.
    pub(super) fn erreur(&mut self, p: Probleme) {
        self.erreurs += 1;
        if self.erreurs <= DETAILLES_PAR_FICHIER {
            let p = self.situer(p);
            self.constats.erreur(p);
        }
    }

    /// A warning about the file.
    pub(super) fn avertissement(&mut self, p: Probleme) {
        self.avertissements += 1;
        if self.avertissements <= DETAILLES_PAR_FICHIER {
            let p = self.situer(p);
            self.constats.avertissement(p);
        }
    }

    /// A warning about the whole file: always shown, whatever the number of
    /// warnings about its rows.
    pub(super) fn avertissement_du_fichier(&mut self, p: Probleme) {
        self.constats.avertissement(p);
    }

    /// Takes in the errors the readers of the file's parts found, `parts`
    /// in the file's order: told as if one reader had found them all.
    pub(super) fn joindre(&mut self, parts: impl IntoIterator<Item = Erreurs>) {
        for part in parts {
            let non_detaillees = part.nombre - part.detaillees.len();
            for p in part.detaillees {
                self.erreur(p);
            }
            self.erreurs += non_detaillees;
        }
    }

    /// Whether the file has at least one error.
    pub(super) fn a_des_erreurs(&self) -> bool {
        self.erreurs > 0
    }

    /// Counts the problems not shown in detail.
    pub(super) fn finir(self) {
        // Counted as the problems they stand for, so the summary of
        // `check` gives every one.
        if self.erreurs > DETAILLES_PAR_FICHIER {
            let autres = self.erreurs - DETAILLES_PAR_FICHIER;
            self.constats.resume(
                Gravite::Erreur,
                Probleme::new(
                    &self.affiche,
                    format!("et {autres} autres erreurs dans ce fichier, non détaillées"),
                )
                .correction("corrigez les erreurs ci-dessus puis relancez « rapport check »"),
                autres,
            );
        }
        if self.avertissements > DETAILLES_PAR_FICHIER {
            let autres = self.avertissements - DETAILLES_PAR_FICHIER;
            self.constats.resume(
                Gravite::Avertissement,
                Probleme::new(
                    &self.affiche,
                    format!("et {autres} autres avertissements dans ce fichier, non détaillés"),
                ),
                autres,
            );
        }
    }
}

/// The errors the reader of one part of a file finds, until the file's
/// [`Signaleur`] takes them in: every one counted, the first ones kept in
/// detail (the file's first errors are among the first of its parts).
#[derive(Default)]
pub(super) struct Erreurs {
    detaillees: Vec<Probleme>,
    nombre: usize,
}

impl lecture::Rapporteur for Erreurs {
    fn erreur(&mut self, p: Probleme) {
        self.nombre += 1;
        if self.detaillees.len() < DETAILLES_PAR_FICHIER {
            self.detaillees.push(p);
        }
    }
}

impl lecture::Rapporteur for Signaleur<'_> {
    fn erreur(&mut self, p: Probleme) {
        Signaleur::erreur(self, p);
    }
}
