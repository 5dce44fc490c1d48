//! The personal data guard: headers that name personal data (`entetes`),
//! and cells that look like it (`cellules`: e-mail addresses, phone
//! numbers, social security numbers, IBANs, postal addresses, names, birth
//! dates). Such values are never printed: a message gives the file, the
//! line, the column and what the cell looks like.

mod cellules;
mod entetes;
mod prenoms;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rustc_hash::FxHashMap;

pub use cellules::{Soupcon, code_personnel, valeur_personnelle};

use super::Source;
use super::lecture::Lecteur;
use super::lots::Enregistrement;
use super::signaleur::Signaleur;
use crate::error::Probleme;

/// The guard over one export file: its headers refused at once, the cells
/// that look like personal data counted per column and reported at the end,
/// one error per column, position only.
pub(super) struct Garde {
    source: Source,
    affiche: PathBuf,
    entetes_bruts: Vec<String>,
    /// Columns whose header names personal data: refused, never read.
    personnelles: Vec<bool>,
    /// Columns no typing reads: only the guard looks at their cells, each
    /// spelling once (up to [`MEMOS_PAR_COLONNE`] spellings a column).
    autres: Vec<(usize, Memos)>,
    /// The cells found.
    trouvees: Trouvees,
}

/// Per column: the first line where a cell looks like personal data, what
/// it looks like, and in how many lines; and the full dates of cells with
/// no word of birth, by year (their first line, how many), which are birth
/// dates if long before the file's own dates.
#[derive(Default)]
struct Trouvees {
    certaines: BTreeMap<usize, (usize, Soupcon, usize)>,
    dates: BTreeMap<usize, BTreeMap<i32, (usize, usize)>>,
}

/// What the spellings of a column only the guard reads look like.
type Memos = FxHashMap<Box<str>, Option<Soupcon>>;

/// The spellings of a column only the guard reads whose verdict is kept:
/// remarks repeat (`RAS`, a place), free text does not and is not kept.
const MEMOS_PAR_COLONNE: usize = 4096;

/// A date this many years or more before the file's first year is taken
/// for a birth date: no one is born the year they are met, and an export
/// has no other reason to hold dates that old.
pub const ANS_AVANT_LE_FICHIER: i32 = 10;

impl Trouvees {
    /// Notes that the cell of column `i` at `ligne` looks like `soupcon`.
    fn noter(&mut self, i: usize, ligne: usize, soupcon: Soupcon) {
        match soupcon {
            Soupcon::Date(annee) => {
                let e = self
                    .dates
                    .entry(i)
                    .or_default()
                    .entry(annee)
                    .or_insert((ligne, 0));
                e.1 += 1;
            }
            _ => {
                let e = self.certaines.entry(i).or_insert((ligne, soupcon, 0));
                e.2 += 1;
            }
        }
    }

    /// Takes in what another share of the file's rows found.
    fn joindre(&mut self, autres: Trouvees) {
        for (i, (ligne, soupcon, nombre)) in autres.certaines {
            let e = self.certaines.entry(i).or_insert((ligne, soupcon, 0));
            if ligne < e.0 {
                (e.0, e.1) = (ligne, soupcon);
            }
            e.2 += nombre;
        }
        for (i, annees) in autres.dates {
            let ici = self.dates.entry(i).or_default();
            for (annee, (ligne, nombre)) in annees {
                let e = ici.entry(annee).or_insert((ligne, 0));
                e.0 = e.0.min(ligne);
                e.1 += nombre;
            }
        }
    }

    /// Per column, what was found: the dates of years up to `avant` count
    /// as birth dates.
    fn par_colonne(mut self, avant: Option<i32>) -> BTreeMap<usize, (usize, Soupcon, usize)> {
        let Some(avant) = avant else {
            return self.certaines;
        };
        for (i, annees) in self.dates {
            for (annee, (ligne, nombre)) in annees.range(..=avant) {
                let e = self
                    .certaines
                    .entry(i)
                    .or_insert((*ligne, Soupcon::Date(*annee), 0));
                if *ligne < e.0 {
                    (e.0, e.1) = (*ligne, Soupcon::Date(*annee));
                }
                e.2 += nombre;
            }
        }
        self.certaines
    }
}

impl Garde {
    /// The header guard on the file `lecteur` reads: one error per header
    /// that names personal data.
    pub(super) fn new(source: Source, lecteur: &Lecteur, f: &mut Signaleur) -> Garde {
        let mut garde = Garde {
            source,
            affiche: lecteur.affiche.clone(),
            entetes_bruts: lecteur.entetes_bruts.clone(),
            personnelles: vec![false; lecteur.entetes.len()],
            autres: Vec::new(),
            trouvees: Trouvees::default(),
        };
        for (i, entete) in garde.entetes_bruts.iter().enumerate() {
            if lecteur.ignorees[i] {
                continue;
            }
            if let Some(quoi) = entetes::donnee_nommee(entete) {
                garde.personnelles[i] = true;
                f.erreur(
                    Probleme::new(&garde.affiche, format!("cette colonne contient des données personnelles ({quoi}) : elle est refusée"))
                        .ligne(1)
                        .colonne(entete)
                        .attendu("des exports sans nom, téléphone, adresse, e-mail ni date de naissance")
                        .correction(format!(
                            "retirez cette colonne de l'export, ou déclarez-la dans rapport.toml pour qu'elle ne soit jamais lue : {}",
                            ignorer_exemple(source, entete)
                        )),
                );
            }
        }
        garde
    }

    /// Sets the columns the typing does not read (`lues` it does): the guard
    /// reads their cells, unless ignored or refused.
    pub(super) fn garder_aussi(&mut self, lecteur: &Lecteur, lues: &BTreeSet<usize>) {
        self.autres = (0..lecteur.entetes.len())
            .filter(|i| !lecteur.ignorees[*i] && !self.personnelles[*i] && !lues.contains(i))
            .map(|i| (i, FxHashMap::default()))
            .collect();
    }

    /// The same guard for one reader of the file's rows, with nothing found yet.
    pub(super) fn part(&self) -> Garde {
        Garde {
            source: self.source,
            affiche: self.affiche.clone(),
            entetes_bruts: self.entetes_bruts.clone(),
            personnelles: self.personnelles.clone(),
            autres: self
                .autres
                .iter()
                .map(|(i, _)| (*i, FxHashMap::default()))
                .collect(),
            trouvees: Trouvees::default(),
        }
    }

    /// Takes in what a [`Garde::part`] found.
    pub(super) fn joindre(&mut self, part: Garde) {
        self.trouvees.joindre(part.trouvees);
    }

    /// The cell guard: notes that the cell of `colonne` at `ligne` looks like
    /// `quoi` (as [`valeur_personnelle`] says, maybe remembered per spelling).
    pub(super) fn noter(&mut self, colonne: Option<usize>, ligne: usize, quoi: Option<Soupcon>) {
        if let Some(quoi) = quoi
            && let Some(i) = colonne
        {
            self.trouvees.noter(i, ligne, quoi);
        }
    }

    /// The cell guard on the columns only the guard reads, for one row.
    pub(super) fn lire(&mut self, e: &Enregistrement) {
        for (i, memos) in &mut self.autres {
            let cellule = e.cellule(Some(*i));
            let soupcon = match memos.get(cellule) {
                Some(s) => *s,
                None => {
                    let s = valeur_personnelle(cellule);
                    if memos.len() < MEMOS_PAR_COLONNE {
                        memos.insert(cellule.into(), s);
                    }
                    s
                }
            };
            if let Some(quoi) = soupcon {
                self.trouvees.noter(*i, e.ligne, quoi);
            }
        }
    }

    /// Reports the cells found: one error per column, position only. `annees`
    /// are the years of the file's dates: a date [`ANS_AVANT_LE_FICHIER`]
    /// years or more before the first is a birth date.
    pub(super) fn signaler(self, annees: &BTreeSet<i32>, f: &mut Signaleur) {
        let avant = annees.first().map(|a| a - ANS_AVANT_LE_FICHIER);
        for (i, (ligne, soupcon, nombre)) in self.trouvees.par_colonne(avant) {
            let quoi = soupcon.quoi();
            let et = if nombre > 1 {
                format!(" (et {} autres lignes de cette colonne)", nombre - 1)
            } else {
                String::new()
            };
            f.erreur(
                Probleme::new(
                    &self.affiche,
                    format!("une cellule contient ce qui ressemble à {quoi}{et} ; sa valeur n'est pas affichée"),
                )
                .ligne(ligne)
                .colonne(&self.entetes_bruts[i])
                .attendu("aucune donnée personnelle dans les exports")
                .correction(format!(
                    "effacez cette donnée dans le tableur, ou, si la colonne ne sert pas au rapport, ignorez-la : {}",
                    ignorer_exemple(self.source, &self.entetes_bruts[i])
                )),
            );
        }
    }
}

/// The line of `rapport.toml` that makes the reading ignore `entete`.
fn ignorer_exemple(source: Source, entete: &str) -> String {
    format!(
        "[exports.{}] ignorer = [\"{}\"]",
        source.nom(),
        entete.replace('"', "\\\"")
    )
}

/// Whether a header (as written in the file) names personal data: `Nom`,
/// `Nom d'usage`, `Prénom`, `Téléphone`, `E-mail`, `Adresse`, `Date de
/// naissance`, `NIR`, `Last name`… (see `entetes` for the rules).
pub fn entete_personnelle(entete: &str) -> bool {
    entetes::donnee_nommee(entete).is_some()
}
