//! Stage 1: the association's CSV exports → validated, typed tables.
//!
//! The contract (columns, formats) is fixed in `contrat`; the model says
//! which extra columns it uses and which of them are numbers. Here, every
//! file of every source is read and the files of a source stacked; one file
//! goes through `lecture` (a CSV into cells, `decodage` for its encoding),
//! then `typage` (checked and typed in one pass: `lots` for the two-thread
//! batches, `colonnes` for the column buffers, `personnel` for the personal
//! data guard, `controles` for what only `rapport check` looks for), its
//! problems to a `signaleur`.

pub mod cache;
mod chevauchements;
mod classeur;
mod colonnes;
pub mod contrat;
mod controles;
mod decodage;
pub mod fichiers;
mod lecture;
mod lots;
mod par_texte;
pub mod personnel;
pub(crate) mod presentes;
mod signaleur;
#[cfg(test)]
mod spectre;
mod typage;
pub mod valeurs;
pub mod vocabulaire;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Deserialize;

use crate::error::{Constats, Probleme};
use crate::fr::normalise;
pub use contrat::Source;
use controles::Personnes;
pub use lecture::{CELLULE_MAX, TAILLE_MAX};
use signaleur::Signaleur;
pub use vocabulaire::Vocabulaire;

/// How the project's exports differ from the contract, declared in the
/// model's `[exports]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reglages {
    /// Accept `JJ/MM/AA` dates (years 00–69 are 2000–2069).
    #[serde(default)]
    pub dates_courtes: bool,
    #[serde(default)]
    pub activites: ReglagesSource,
    #[serde(default)]
    pub suivis: ReglagesSource,
    #[serde(default)]
    pub indicateurs: ReglagesSource,
}

impl Reglages {
    pub fn source(&self, source: Source) -> &ReglagesSource {
        match source {
            Source::Activites => &self.activites,
            Source::Suivis => &self.suivis,
            Source::Indicateurs => &self.indicateurs,
        }
    }
}

/// Header mapping and ignored columns of one export.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReglagesSource {
    /// Header as written in the file → column name of the contract or the model.
    #[serde(default)]
    pub colonnes: BTreeMap<String, String>,
    /// Headers never read nor checked (personal data the export carries).
    #[serde(default)]
    pub ignorer: Vec<String>,
    /// The encoding of the export's CSV files, when they cannot tell it
    /// themselves (`encodage = "mac-roman"`); a BOM still takes precedence.
    #[serde(default)]
    pub encodage: Option<Encodage>,
}

/// An encoding the model declares, checked when the model is read.
#[derive(Debug, Clone, Copy)]
pub struct Encodage(pub &'static encoding_rs::Encoding);

impl<'de> Deserialize<'de> for Encodage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let nom = String::deserialize(d)?;
        decodage::encodage_declare(&nom)
            .map(Encodage)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "encodage « {nom} » inconnu ; encodages possibles : {}",
                    decodage::ENCODAGES_DECLARES
                ))
            })
    }
}

/// What reading needs besides the files: the model's needs and settings, and
/// for `rapport check`, the extra controls.
pub struct Options<'a> {
    pub besoins: &'a Besoins,
    pub reglages: &'a Reglages,
    pub vocabulaire: &'a Vocabulaire,
    /// `None` when building: only what stops a build is looked for.
    pub controles: Option<Bornes>,
    /// Times the reading and shows its progress.
    pub suivi: &'a crate::suivi::Suivi,
    /// The folder of the cache of checked exports (`SORTIE/.cache`), if used (`cache`).
    pub cache: Option<&'a Path>,
}

/// The years a project covers, for the warnings of `rapport check`.
#[derive(Debug, Clone)]
pub struct Bornes {
    /// No date before this year (the association's founding year), if known.
    pub debut: Option<i32>,
    /// No date after this year.
    pub fin: i32,
    /// Why `fin` (shown in the warning).
    pub raison_fin: String,
}

/// What the model needs from the exports beyond the contract.
#[derive(Debug, Default, Clone)]
pub struct Besoins {
    /// Sources the model uses: their file must exist.
    pub sources: BTreeSet<Source>,
    /// Extra columns the model filters on, per source.
    pub colonnes: BTreeMap<Source, BTreeSet<String>>,
    /// Extra columns the model sums, per source: read as numbers.
    pub numeriques: BTreeMap<Source, BTreeSet<String>>,
    /// "Contains" tests on list columns (`a|b|c`), per source: column and value.
    pub contient: BTreeMap<Source, BTreeSet<(String, String)>>,
}

/// The name of the boolean column telling whether list column `colonne` contains `valeur`.
pub fn nom_contient(colonne: &str, valeur: &str) -> String {
    format!("{}|{}", normalise(colonne), normalise(valeur))
}

/// The validated tables, one per export present, and what each file covers.
pub struct Exports {
    pub tables: BTreeMap<Source, DataFrame>,
    pub fichiers: BTreeMap<Source, Vec<Fichier>>,
    /// The values of each category column, per source: the tables hold their codes.
    pub dictionnaires: BTreeMap<Source, BTreeMap<String, Dictionnaire>>,
}

/// The values of a category column, each known by a code: the tables hold
/// codes (4 bytes a cell), the model's filters are turned into codes.
///
/// The index from value to code is made when first asked: a dictionary
/// taken whole from the cache of checked exports (one code per person for
/// `personne`) is often never looked up.
#[derive(Debug, Default, Clone)]
pub struct Dictionnaire {
    /// The values, by code.
    pub valeurs: Vec<String>,
    index: std::sync::OnceLock<par_texte::ParTexte<u32>>,
}

impl Dictionnaire {
    fn index(&self) -> &par_texte::ParTexte<u32> {
        self.index.get_or_init(|| {
            let mut index = par_texte::ParTexte::default();
            for (c, v) in self.valeurs.iter().enumerate() {
                index.insert(v, c as u32);
            }
            index
        })
    }

    /// The code of `valeur`, given a new one when first seen.
    fn code(&mut self, valeur: String) -> u32 {
        if let Some(&c) = self.index().get(&valeur) {
            return c;
        }
        let c = self.valeurs.len() as u32;
        if let Some(index) = self.index.get_mut() {
            index.insert(&valeur, c);
        }
        self.valeurs.push(valeur);
        c
    }

    /// The code of `valeur`, if some row has it.
    pub fn chercher(&self, valeur: &str) -> Option<u32> {
        self.index().get(valeur).copied()
    }

    /// Takes in `valeurs`, codes `0..` of another dictionary: what each of
    /// them is here, or `None` if each keeps its code (this dictionary was
    /// empty, or held them in the same order).
    fn etendre(&mut self, valeurs: Vec<String>) -> Option<Vec<u32>> {
        if self.valeurs.is_empty() {
            *self = Dictionnaire {
                valeurs,
                index: std::sync::OnceLock::new(),
            };
            return None;
        }
        // Looked up first in a loop that does nothing else, many lookups
        // under way at once (see `ColonneLue::preparer`); a value not
        // there yet is given its code in the file's order.
        let index = self.index();
        let trouves: Vec<Option<u32>> = valeurs.iter().map(|v| index.get(v).copied()).collect();
        let carte: Vec<u32> = valeurs
            .into_iter()
            .zip(trouves)
            .map(|(v, trouve)| trouve.unwrap_or_else(|| self.code(v)))
            .collect();
        carte
            .iter()
            .enumerate()
            .any(|(i, k)| *k as usize != i)
            .then_some(carte)
    }
}

/// What one export file holds: the years of its dates and the columns it lacks.
#[derive(Debug, Clone)]
pub struct Fichier {
    /// The file, as shown to the user.
    pub nom: PathBuf,
    /// Years in which at least one of its rows has a date (`date`, `ouverture`,
    /// `cloture`) or, for `indicateurs`, an `annee`.
    pub annees: BTreeSet<i32>,
    /// Columns of the contract or of the model that its header lacks.
    pub manquantes: BTreeSet<String>,
    /// Headers of the file that name no column of the contract or the
    /// model and are not ignored, as written: where a missing column may be.
    pub inconnues: Vec<String>,
}

/// Why figures of an export cannot be given for a year: what the report
/// shows as « n.d. », and what `build` and `check` say.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Indisponible {
    /// No row of the export is dated in the year.
    SansLigne { source: Source, annee: i32 },
    /// A file covering the year lacks a column the figure needs.
    ColonneManquante {
        source: Source,
        colonne: String,
        fichier: PathBuf,
        /// The file's headers that name nothing.
        inconnues: Vec<String>,
    },
    /// `indicateurs.csv` covers the year but has no row for the indicator.
    SansValeur { libelle: String, annee: i32 },
    /// New people of the year: no row of the export is dated the year
    /// before, so those already met cannot be told from the new.
    SansAnneePrecedente { source: Source, annee: i32 },
}

impl std::fmt::Display for Indisponible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Indisponible::SansLigne { source, annee } => {
                write!(
                    f,
                    "aucune ligne {} n'est datée de {annee}",
                    source.du_fichier()
                )
            }
            Indisponible::ColonneManquante {
                colonne, fichier, ..
            } => write!(
                f,
                "la colonne « {colonne} » manque dans {}",
                fichier.display()
            ),
            Indisponible::SansValeur { libelle, annee } => write!(
                f,
                "{} ne donne pas « {libelle} » pour {annee}",
                Source::Indicateurs.fichier()
            ),
            Indisponible::SansAnneePrecedente { source, annee } => write!(
                f,
                "aucune ligne {} n'est datée de {} : les nouvelles personnes de {annee} ne se distinguent pas des personnes déjà rencontrées",
                source.du_fichier(),
                annee - 1
            ),
        }
    }
}

impl Indisponible {
    /// Whether the years the exports cover explain it (no row that year),
    /// rather than something in a file the user can fix.
    pub fn par_les_annees(&self) -> bool {
        matches!(
            self,
            Indisponible::SansLigne { .. } | Indisponible::SansAnneePrecedente { .. }
        )
    }
}

impl Exports {
    /// The code of the (normalised) value `valeur` in column `colonne` of `source`, if some row has it.
    pub fn code(&self, source: Source, colonne: &str, valeur: &str) -> Option<u32> {
        self.dictionnaires
            .get(&source)?
            .get(colonne)?
            .chercher(valeur)
    }

    /// The values found in column `colonne` of `source`, if it is a category column.
    pub fn valeurs(&self, source: Source, colonne: &str) -> Option<&[String]> {
        self.dictionnaires
            .get(&source)?
            .get(colonne)
            .map(|d| d.valeurs.as_slice())
    }

    /// The table of `source`, if its file was read.
    pub fn table(&self, source: Source) -> Option<&DataFrame> {
        self.tables.get(&source)
    }

    /// Why figures of `source` for `annee` that need `colonnes` cannot be given, if they cannot.
    pub fn indisponible(
        &self,
        source: Source,
        annee: i32,
        colonnes: &BTreeSet<String>,
    ) -> Option<Indisponible> {
        let fichiers = self
            .fichiers
            .get(&source)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let couvrants: Vec<&Fichier> = fichiers
            .iter()
            .filter(|f| f.annees.contains(&annee))
            .collect();
        if couvrants.is_empty() {
            return Some(Indisponible::SansLigne { source, annee });
        }
        for f in couvrants {
            if let Some(c) = f.manquantes.iter().find(|c| colonnes.contains(*c)) {
                return Some(Indisponible::ColonneManquante {
                    source,
                    colonne: c.clone(),
                    fichier: f.nom.clone(),
                    inconnues: f.inconnues.clone(),
                });
            }
        }
        None
    }

    /// Whether some file of `source` has a row dated in `annee`.
    pub fn couvre(&self, source: Source, annee: i32) -> bool {
        self.fichiers
            .get(&source)
            .is_some_and(|f| f.iter().any(|f| f.annees.contains(&annee)))
    }

    /// The years in which some row of some export is dated.
    pub fn annees(&self) -> BTreeSet<i32> {
        self.fichiers
            .values()
            .flatten()
            .flat_map(|f| f.annees.iter().copied())
            .collect()
    }
}

/// Exports larger than this (in bytes, all files together) get a progress bar.
const SEUIL_PROGRESSION: u64 = 32 * 1024 * 1024;

/// What reading one source keeps from file to file: the codes of its
/// category columns, what each spelling met so far gave, the rows seen.
#[derive(Default)]
struct EtatSource {
    dictionnaires: BTreeMap<String, Dictionnaire>,
    memos: HashMap<String, par_texte::ParTexte<colonnes::Memo>>,
    /// Row hashes, for the duplicate warning of `check`.
    vues: controles::Vues,
    /// Other files give this source besides a journal: the journal's sheet
    /// may be left empty without a warning.
    journal_facultatif: bool,
    /// The rows of the source's files, when it has several: a row in two files is an error.
    recoupement: Option<chevauchements::Recoupement>,
}

/// Reads every export of `dossier` (the project's `donnees/`); `affiche` is how
/// the folder is shown. The files are those `fichiers` names (copies and
/// backups refused); several files of one source are stacked, rows
/// belonging to years by their dates, and two that overlap are an error
/// (`chevauchements`). Every problem found goes to `constats`; the tables
/// can be used only when no error was found. A file unchanged since a
/// command read it is loaded from the cache, if `options` name one.
pub fn lire(dossier: &Path, affiche: &Path, options: &Options, constats: &mut Constats) -> Exports {
    lire_partage(dossier, affiche, options, constats, None)
}

/// [`lire`], each file's rows shared between checkers as `partage` says
/// (by default, as [`typage::Partage::pour`] says).
fn lire_partage(
    dossier: &Path,
    affiche: &Path,
    options: &Options,
    constats: &mut Constats,
    partage: Option<typage::Partage>,
) -> Exports {
    prechauffer_polars();
    let mut cache = cache::Cache::new(options);
    let mut ici = Constats::default();
    let mut exports = lire_avec(dossier, affiche, options, &mut cache, &mut ici, partage);
    if cache.a_recommencer() {
        ici = Constats::default();
        exports = lire_avec(dossier, affiche, options, &mut cache, &mut ici, partage);
    }
    cache.ecrire(&exports, ici.erreurs() == 0);
    constats.etendre(ici);
    exports
}

/// Polars fills 8 MiB of zeroes (its shared buffer of empty masks and
/// columns) the first time a step needs one, in the middle of the figures:
/// about 5 ms of a small project's build, mostly the kernel handing over
/// fresh pages. Done here once per process, on another core, while the
/// exports are opened and read.
fn prechauffer_polars() {
    static UNE_FOIS: std::sync::Once = std::sync::Once::new();
    UNE_FOIS.call_once(|| {
        std::thread::spawn(|| drop(polars_arrow::bitmap::Bitmap::new_zeroed(1)));
    });
}

/// [`lire`], once, with the cache `cache`.
fn lire_avec(
    dossier: &Path,
    affiche: &Path,
    options: &Options,
    cache: &mut cache::Cache,
    constats: &mut Constats,
    partage: Option<typage::Partage>,
) -> Exports {
    let mut tables = BTreeMap::new();
    let mut tous_fichiers = BTreeMap::new();
    let mut dictionnaires = BTreeMap::new();
    let mut personnes = Personnes::default();
    // A progress bar when reading may take more than a second.
    let taille = |c: &PathBuf| std::fs::metadata(c).map_or(0, |m| m.len());
    let par_source = fichiers::lister(dossier, affiche, options.controles.is_some(), constats);
    let total: u64 = par_source
        .iter()
        .flat_map(|(_, exports)| exports)
        .map(|e| taille(&e.chemin))
        .sum();
    let barre =
        (total > SEUIL_PROGRESSION).then(|| options.suivi.octets(total, "Lecture des exports"));
    let mut deja_lus = 0;
    for (source, exports) in par_source {
        // A journal without a sheet for this source does not give it.
        let (exports, journaux) = classeur::journaux_de(exports, source);
        if exports.is_empty() {
            if options.besoins.sources.contains(&source) {
                let p = match journaux.first().and_then(|j| j.file_name()) {
                    Some(journal) => Probleme::new(affiche.join(journal), "fichier d'export introuvable : le journal n'a pas de feuille pour cet export")
                        .feuille(source.nom())
                        .attendu(format!(
                            "une feuille « {} » dans le journal, ou l'export « {} » dans le dossier des données",
                            source.nom(),
                            source.fichier()
                        ))
                        .correction(format!("ajoutez au journal une feuille nommée « {} », avec sa ligne d'en-tête, ou retirez du modèle les indicateurs qui l'utilisent", source.nom())),
                    None => Probleme::new(affiche.join(source.fichier()), "fichier d'export introuvable")
                        .attendu(format!(
                            "l'export « {} » (ou des fichiers « {}-ANNEE.csv », ou un classeur « {}.xlsx » ou « .ods ») dans le dossier des données",
                            source.fichier(),
                            source.nom(),
                            source.nom()
                        ))
                        .correction("exportez ce fichier depuis votre tableur ou retirez du modèle les indicateurs qui l'utilisent"),
                };
                constats.absent(p);
            }
            continue;
        }
        let mut table: Option<DataFrame> = None;
        let mut lus = Vec::new();
        let mut etat = EtatSource {
            journal_facultatif: exports.iter().any(|e| !e.journal),
            recoupement: (exports.len() > 1).then(chevauchements::Recoupement::default),
            ..EtatSource::default()
        };
        let mut couvertures = Vec::new();
        for export in exports {
            let chemin = export.chemin;
            let montre = affiche.join(chemin.file_name().unwrap_or_default());
            let mut ici = Constats::default();
            let lire = |etat: &mut EtatSource, ici: &mut Constats| {
                lecture::ouvrir(
                    &chemin,
                    &montre,
                    source,
                    options.reglages.source(source),
                    ici,
                )
                .and_then(|lecteur| {
                    let mut f = Signaleur::new(&montre, ici).aux_positions(lecteur.positions());
                    let suivi = barre.as_ref().map(|b| (b, deja_lus));
                    let r = typage::typer(
                        source,
                        lecteur,
                        options,
                        &mut f,
                        &mut personnes,
                        etat,
                        suivi,
                        partage,
                    );
                    f.finir();
                    r
                })
            };
            let lu =
                cache.lire_fichier(&chemin, &montre, source, options, &mut etat, &mut ici, lire);
            deja_lus += taille(&chemin);
            let en_erreur = ici.erreurs() > 0;
            constats.etendre(ici);
            let Some((lue, fichier)) = lu else { continue };
            lus.push(fichier);
            couvertures.push(chevauchements::Couverture {
                affiche: montre,
                periode: export.periode,
                annees: (!en_erreur)
                    .then(|| chevauchements::annees(source, &lue))
                    .flatten(),
            });
            if en_erreur {
                continue;
            }
            table = Some(match table {
                None => lue,
                Some(mut t) => match t.vstack_mut(&lue) {
                    Ok(_) => t,
                    Err(e) => {
                        constats.depuis(e.into());
                        t
                    }
                },
            });
        }
        chevauchements::verifier(
            source,
            &couvertures,
            &etat.recoupement.take().unwrap_or_default(),
            constats,
        );
        if let Some(t) = table {
            tables.insert(source, t);
        }
        tous_fichiers.insert(source, lus);
        dictionnaires.insert(source, etat.dictionnaires);
    }
    if let Some(b) = barre {
        b.finish_and_clear();
    }
    Exports {
        tables,
        fichiers: tous_fichiers,
        dictionnaires,
    }
}

/// Reads one export from memory, as `rapport check` would read the file
/// `nom`: its problems, nothing else. The entry of the fuzz target.
pub fn verifier_octets(octets: &[u8], nom: &str, source: Source, options: &Options) -> Constats {
    let mut constats = Constats::default();
    let affiche = Path::new(nom);
    let lecteur = lecture::ouvrir_flux(
        Box::new(std::io::Cursor::new(octets.to_vec())),
        octets.len() as u64,
        affiche,
        source,
        options.reglages.source(source),
        &mut constats,
    );
    if let Some(lecteur) = lecteur {
        let mut f = Signaleur::new(affiche, &mut constats);
        typage::typer(
            source,
            lecteur,
            options,
            &mut f,
            &mut Personnes::default(),
            &mut EtatSource::default(),
            None,
            None,
        );
        f.finir();
    }
    constats
}
