//! Where the records of a workbook are: its sheets, their rows and cells.

use std::path::{Path, PathBuf};

use crate::error::Probleme;

/// Where the records of a workbook are: each record is given a line number
/// (1 for the header, then the rows of each sheet in turn), which this turns
/// back into a sheet, a row and a cell.
#[derive(Debug)]
pub struct Positions {
    pub(super) entetes_bruts: Vec<String>,
    pub(super) feuilles: Vec<Situation>,
}

#[derive(Debug)]
pub(super) struct Situation {
    pub(super) nom: String,
    /// The line number given to the row just below its header.
    pub(super) debut: usize,
    pub(super) ligne_entete: u32,
    pub(super) premiere_colonne: u32,
}

impl Positions {
    /// The sheet and its row (from 1) of the record numbered `ligne`.
    fn ou(&self, ligne: usize) -> (&Situation, u32) {
        let premiere = &self.feuilles[0];
        if ligne <= 1 {
            return (premiere, premiere.ligne_entete);
        }
        let s = self
            .feuilles
            .iter()
            .rev()
            .find(|s| s.debut <= ligne)
            .unwrap_or(premiere);
        let rangee = s.ligne_entete as usize + 1 + (ligne.saturating_sub(s.debut));
        (s, rangee as u32)
    }

    /// The problem `p`, told at its sheet and cell (or row) instead of its line.
    pub fn situer(&self, mut p: Probleme) -> Probleme {
        if p.feuille.is_some() {
            return p;
        }
        let Some(ligne) = p.ligne else {
            return p;
        };
        let (s, rangee) = self.ou(ligne);
        p.feuille = Some(s.nom.clone());
        p.ligne = Some(rangee as usize);
        if let Some(c) = &p.colonne
            && let Some(j) = self.entetes_bruts.iter().position(|e| e == c)
        {
            p.cellule = Some(cellule(s.premiere_colonne + j as u32, rangee));
        }
        p
    }

    /// The file and the row where the record numbered `ligne` is, for the
    /// messages that name another row: the file is shown with its sheet.
    pub fn ou_montre(&self, affiche: &Path, ligne: usize) -> (PathBuf, usize) {
        let (s, rangee) = self.ou(ligne);
        (
            PathBuf::from(format!("{}, feuille « {} »", affiche.display(), s.nom)),
            rangee as usize,
        )
    }

    /// The record numbered `ligne` as a message lists it: `ligne 5 de la feuille « Janvier »`.
    pub fn lieu(&self, ligne: usize) -> String {
        let (s, rangee) = self.ou(ligne);
        format!("{rangee} (feuille « {} »)", s.nom)
    }
}

/// The name of a cell: column letters then row, `B12`.
pub(super) fn cellule(colonne: u32, rangee: u32) -> String {
    let mut lettres = Vec::new();
    let mut n = colonne as u64 + 1;
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        lettres.push(b'A' + r);
        n = (n - 1) / 26;
    }
    lettres.reverse();
    format!("{}{rangee}", String::from_utf8(lettres).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_by_their_column_letters_and_row() {
        assert_eq!(cellule(0, 1), "A1");
        assert_eq!(cellule(1, 12), "B12");
        assert_eq!(cellule(25, 3), "Z3");
        assert_eq!(cellule(26, 3), "AA3");
        assert_eq!(cellule(16_383, 1_048_576), "XFD1048576");
    }
}
