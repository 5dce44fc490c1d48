//! Stage 1: the association's CSV exports → validated, typed tables.
//!
//! The contract (columns, formats) is fixed in `contrat`; the model says
//! which extra columns it uses and which of them are numbers.

pub mod contrat;
mod lecture;
pub mod personnel;
pub mod valeurs;
pub mod vocabulaire;

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::error::{Constats, Probleme};
use crate::fr::normalise;
pub use contrat::Source;
use contrat::{COLONNE_PUBLIC, Genre};
pub use lecture::{CELLULE_MAX, TAILLE_MAX};
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
}

/// What reading needs besides the files: the model's needs and settings, and
/// for `rapport check`, the extra controls.
pub struct Options<'a> {
    pub besoins: &'a Besoins,
    pub reglages: &'a Reglages,
    pub vocabulaire: &'a Vocabulaire,
    /// `None` when building: only what stops a build is looked for.
    pub controles: Option<Bornes>,
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
#[derive(Debug, Default, Clone)]
pub struct Dictionnaire {
    /// The values, by code.
    pub valeurs: Vec<String>,
    index: FxHashMap<String, u32>,
}

impl Dictionnaire {
    /// The code of `valeur`, given a new one when first seen.
    fn code(&mut self, valeur: String) -> u32 {
        if let Some(&c) = self.index.get(&valeur) {
            return c;
        }
        let c = self.valeurs.len() as u32;
        self.index.insert(valeur.clone(), c);
        self.valeurs.push(valeur);
        c
    }

    /// The code of `valeur`, if some row has it.
    pub fn chercher(&self, valeur: &str) -> Option<u32> {
        self.index.get(valeur).copied()
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
    ) -> Option<String> {
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
            return Some(format!(
                "aucune ligne {} n'est datée de {annee}",
                source.du_fichier()
            ));
        }
        for f in couvrants {
            if let Some(c) = f.manquantes.iter().find(|c| colonnes.contains(*c)) {
                return Some(format!(
                    "la colonne « {c} » manque dans {}",
                    f.nom.display()
                ));
            }
        }
        None
    }
}

/// The export files of `source` in `dossier`, sorted: `activites.csv`, and
/// also per-year or per-period files such as `activites-2012.csv`.
pub fn fichiers(dossier: &Path, source: Source) -> Vec<PathBuf> {
    let mut trouves: Vec<PathBuf> = std::fs::read_dir(dossier)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let nom = p
                .file_name()
                .and_then(|n| n.to_str())
                .map(normalise)
                .unwrap_or_default();
            let Some(radical) = nom.strip_suffix(".csv") else {
                return false;
            };
            match radical.strip_prefix(source.nom()) {
                Some("") => true,
                Some(reste) => reste.starts_with(['-', '_']),
                None => false,
            }
        })
        .collect();
    trouves.sort();
    trouves
}

/// Problems reported in detail per file; beyond, they are only counted.
const DETAILLES_PAR_FICHIER: usize = 30;

/// A date cell as read: its day number, if any.
type Jour = Option<i32>;

/// Records read per batch.
const LOT: usize = 4096;

/// Exports larger than this (in bytes, all files together) get a progress bar.
const SEUIL_PROGRESSION: u64 = 32 * 1024 * 1024;

/// What reading one source keeps from file to file: the codes of its
/// category columns, what each spelling met so far gave, the rows seen.
#[derive(Default)]
struct EtatSource {
    dictionnaires: BTreeMap<String, Dictionnaire>,
    memos: HashMap<String, FxHashMap<String, Memo>>,
    /// Row hashes, for the duplicate warning of `check`.
    vues: HashMap<u64, (PathBuf, usize)>,
}

/// Reads every export of `dossier` (the project's `donnees/`); `affiche` is how
/// the folder is shown. Several files of one source are stacked: rows belong
/// to years by their dates. Every problem found goes to `constats`; the tables
/// can be used only when no error was found.
pub fn lire(dossier: &Path, affiche: &Path, options: &Options, constats: &mut Constats) -> Exports {
    let mut tables = BTreeMap::new();
    let mut tous_fichiers = BTreeMap::new();
    let mut dictionnaires = BTreeMap::new();
    let mut personnes = Personnes::default();
    // A progress bar when reading may take more than a second.
    let taille = |c: &PathBuf| std::fs::metadata(c).map_or(0, |m| m.len());
    let par_source = Source::TOUTES.map(|s| (s, fichiers(dossier, s)));
    let total: u64 = par_source
        .iter()
        .flat_map(|(_, chemins)| chemins)
        .map(taille)
        .sum();
    let barre = (total > SEUIL_PROGRESSION)
        .then(|| crate::progression::octets(total, "Lecture des exports"));
    let mut deja_lus = 0;
    for (source, chemins) in par_source {
        if chemins.is_empty() {
            if options.besoins.sources.contains(&source) {
                constats.absent(
                    Probleme::new(affiche.join(source.fichier()), "fichier d'export introuvable")
                        .attendu(format!(
                            "l'export « {} » (ou des fichiers « {}-ANNEE.csv ») dans le dossier des données",
                            source.fichier(),
                            source.nom()
                        ))
                        .correction("exportez ce fichier depuis votre tableur ou retirez du modèle les indicateurs qui l'utilisent"),
                );
            }
            continue;
        }
        let mut table: Option<DataFrame> = None;
        let mut lus = Vec::new();
        let mut etat = EtatSource::default();
        for chemin in chemins {
            let montre = affiche.join(chemin.file_name().unwrap_or_default());
            let mut ici = Constats::default();
            let lu = lecture::ouvrir(
                &chemin,
                &montre,
                source,
                options.reglages.source(source),
                &mut ici,
            )
            .and_then(|lecteur| {
                let mut f = Signaleur::new(&montre, &mut ici);
                let suivi = barre.as_ref().map(|b| (b, deja_lus));
                let r = typer(
                    source,
                    lecteur,
                    options,
                    &mut f,
                    &mut personnes,
                    &mut etat,
                    suivi,
                );
                f.finir();
                r
            });
            deja_lus += taille(&chemin);
            let en_erreur = ici.erreurs() > 0;
            constats.etendre(ici);
            let Some((lue, fichier)) = lu else { continue };
            lus.push(fichier);
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
        typer(
            source,
            lecteur,
            options,
            &mut f,
            &mut Personnes::default(),
            &mut EtatSource::default(),
            None,
        );
        f.finir();
    }
    constats
}

/// Collects the problems of one file, in detail up to a limit.
struct Signaleur<'c> {
    affiche: PathBuf,
    constats: &'c mut Constats,
    erreurs: usize,
    avertissements: usize,
}

impl<'c> Signaleur<'c> {
    fn new(affiche: &Path, constats: &'c mut Constats) -> Self {
        Signaleur {
            affiche: affiche.to_path_buf(),
            constats,
            erreurs: 0,
            avertissements: 0,
        }
    }

    fn erreur(&mut self, p: Probleme) {
        self.erreurs += 1;
        if self.erreurs <= DETAILLES_PAR_FICHIER {
            self.constats.erreur(p);
        }
    }

    fn avertissement(&mut self, p: Probleme) {
        self.avertissements += 1;
        if self.avertissements <= DETAILLES_PAR_FICHIER {
            self.constats.avertissement(p);
        }
    }

    fn a_des_erreurs(&self) -> bool {
        self.erreurs > 0
    }

    fn finir(self) {
        if self.erreurs > DETAILLES_PAR_FICHIER {
            self.constats.erreur(
                Probleme::new(
                    &self.affiche,
                    format!(
                        "et {} autres erreurs dans ce fichier, non détaillées",
                        self.erreurs - DETAILLES_PAR_FICHIER
                    ),
                )
                .correction("corrigez les erreurs ci-dessus puis relancez « rapport check »"),
            );
        }
        if self.avertissements > DETAILLES_PAR_FICHIER {
            self.constats.avertissement(Probleme::new(
                &self.affiche,
                format!(
                    "et {} autres avertissements dans ce fichier, non détaillés",
                    self.avertissements - DETAILLES_PAR_FICHIER
                ),
            ));
        }
    }
}

impl lecture::Rapporteur for Signaleur<'_> {
    fn erreur(&mut self, p: Probleme) {
        Signaleur::erreur(self, p);
    }
}

/// The `public` seen for each `personne` code, across exports (for `check`).
#[derive(Default)]
struct Personnes {
    vus: HashMap<String, (String, PathBuf, usize)>,
    signales: std::collections::HashSet<String>,
}

/// What one spelling of a category cell gives, worked out once.
#[derive(Debug, Clone)]
struct Memo {
    valeur: Valeur,
    /// Looks like personal data (e-mail, phone number): what it looks like.
    personnel: Option<&'static str>,
}

#[derive(Debug, Clone)]
enum Valeur {
    Vide,
    Code(u32),
    /// A `public` no vocabulary knows: the accepted values, the closest one.
    Inconnue(vocabulaire::Inconnue),
}

/// A column being read: where it is, and its values so far.
struct Colonne {
    nom: String,
    index: Option<usize>,
    en_tete: String,
    tampon: Tampon,
}

enum Tampon {
    Date {
        requise: bool,
        valeurs: Valeurs<Int32Type>,
    },
    Categorie {
        genre: Genre,
        codes: Valeurs<UInt32Type>,
        dictionnaire: Dictionnaire,
        memos: FxHashMap<String, Memo>,
    },
    Quantite(Valeurs<Int64Type>),
    Annee(Valeurs<Int32Type>),
    Nombre {
        requis: bool,
        valeurs: Valeurs<Float64Type>,
    },
}

/// A column being built straight into polars' layout (values and a validity
/// bitmap), reserved for the rows the file can hold: no copy, no regrowth.
/// `copie` keeps the values for the warnings of `check` that compare columns.
struct Valeurs<T: PolarsNumericType> {
    constructeur: PrimitiveChunkedBuilder<T>,
    copie: Option<Vec<Option<T::Native>>>,
}

impl<T: PolarsNumericType> Valeurs<T> {
    fn new(nom: &str, capacite: usize, copie: bool) -> Self {
        Valeurs {
            constructeur: PrimitiveChunkedBuilder::new(nom.into(), capacite),
            copie: copie.then(Vec::new),
        }
    }

    fn push(&mut self, v: Option<T::Native>) {
        self.constructeur.append_option(v);
        if let Some(c) = &mut self.copie {
            c.push(v);
        }
    }

    fn colonne(self) -> Column {
        self.constructeur.finish().into_column()
    }
}

/// "Contains" tests on one list column: the column, the values tested, the
/// answers per spelling (one bit per value) and per row.
struct Contient {
    index: Option<usize>,
    valeurs: Vec<String>,
    memos: FxHashMap<String, u64>,
    lignes: Vec<BooleanChunkedBuilder>,
}

/// Checks and converts the records of one export to a typed table, in one
/// pass, reporting every problem to `f`. `None` when the file lacks a
/// required column.
fn typer(
    source: Source,
    mut lecteur: lecture::Lecteur,
    options: &Options,
    f: &mut Signaleur,
    personnes: &mut Personnes,
    etat: &mut EtatSource,
    barre: Option<(&indicatif::ProgressBar, u64)>,
) -> Option<(DataFrame, Fichier)> {
    let vides = BTreeSet::new();
    let sans_contient = BTreeSet::new();
    let colonnes = options.besoins.colonnes.get(&source).unwrap_or(&vides);
    let numeriques = options.besoins.numeriques.get(&source).unwrap_or(&vides);
    let contient = options
        .besoins
        .contient
        .get(&source)
        .unwrap_or(&sans_contient);
    let ignorer_exemple = |entete: &str| {
        format!(
            "[exports.{}] ignorer = [\"{}\"]",
            source.nom(),
            entete.replace('"', "\\\"")
        )
    };
    let affiche = lecteur.affiche.clone();
    let entetes_bruts = lecteur.entetes_bruts.clone();

    // The personal data guard on headers.
    let mut personnelles = vec![false; lecteur.entetes.len()];
    for (i, entete) in entetes_bruts.iter().enumerate() {
        if !lecteur.ignorees[i] && personnel::entete_personnelle(entete) {
            personnelles[i] = true;
            f.erreur(
                Probleme::new(&affiche, "cette colonne contient des données personnelles : elle est refusée")
                    .ligne(1)
                    .colonne(entete)
                    .attendu("des exports sans nom, téléphone, adresse, e-mail ni date de naissance")
                    .correction(format!(
                        "retirez cette colonne de l'export, ou déclarez-la dans rapport.toml pour qu'elle ne soit jamais lue : {}",
                        ignorer_exemple(entete)
                    )),
            );
        }
    }

    // The columns to read: the contract's, then the model's.
    let mut specs: Vec<(String, Genre, Option<usize>)> = Vec::new();
    let mut complet = true;
    for &contrat::ColonneDuContrat {
        nom,
        genre,
        obligatoire,
        ..
    } in source.colonnes()
    {
        let index = lecteur.colonne(nom);
        if index.is_none() && obligatoire {
            complet = false;
            f.erreur(
                Probleme::new(&affiche, format!("la colonne « {nom} » manque"))
                    .ligne(1)
                    .attendu(format!(
                        "les colonnes {}",
                        source
                            .colonnes()
                            .iter()
                            .filter(|c| c.obligatoire)
                            .map(|c| format!("« {} »", c.nom))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .correction(format!(
                        "ajoutez la colonne « {nom} » dans la ligne d'en-tête, ou, si elle porte un autre nom, déclarez-le : [exports.{}] colonnes = {{ \"Nom dans le fichier\" = \"{nom}\" }} (colonnes trouvées : {})",
                        source.nom(),
                        entetes_bruts.join(", ")
                    )),
            );
        }
        specs.push((nom.to_string(), genre, index));
    }
    if !complet {
        return None;
    }
    for nom in colonnes.iter().chain(numeriques) {
        if specs.iter().any(|s| &s.0 == nom) {
            continue;
        }
        let genre = if numeriques.contains(nom) {
            Genre::Nombre { requis: false }
        } else {
            Genre::Texte { requis: false }
        };
        specs.push((nom.clone(), genre, lecteur.colonne(nom)));
    }
    // Columns the file lacks: their cells read as empty, and the figures that
    // need them are "not available" for the years this file covers.
    let manquantes: BTreeSet<String> = specs
        .iter()
        .filter(|s| s.2.is_none())
        .map(|s| s.0.clone())
        .chain(
            contient
                .iter()
                .filter(|(c, _)| lecteur.colonne(c).is_none())
                .map(|(c, _)| c.clone()),
        )
        .collect();
    // Room for as many rows as the file can hold (at least 16 bytes a row):
    // reserved, not touched, so it costs no memory until filled.
    let capacite = (lecteur.taille / 16).clamp(1024, 200_000_000) as usize;
    let copie = options.controles.is_some() && source == Source::Suivis;
    let mut colonnes_lues: Vec<Colonne> = specs
        .iter()
        .map(|(nom, genre, index)| Colonne {
            nom: nom.clone(),
            index: *index,
            en_tete: index.map_or(nom.clone(), |i| entetes_bruts[i].clone()),
            tampon: match genre {
                Genre::Date { requise } => Tampon::Date {
                    requise: *requise,
                    valeurs: Valeurs::new(nom, capacite, copie),
                },
                Genre::Quantite => Tampon::Quantite(Valeurs::new(nom, capacite, false)),
                Genre::Annee => Tampon::Annee(Valeurs::new(nom, capacite, false)),
                Genre::Nombre { requis } => Tampon::Nombre {
                    requis: *requis,
                    valeurs: Valeurs::new(nom, capacite, false),
                },
                Genre::Texte { .. } | Genre::Public | Genre::Code | Genre::Themes => {
                    Tampon::Categorie {
                        genre: *genre,
                        codes: Valeurs::new(nom, capacite, false),
                        dictionnaire: etat.dictionnaires.remove(nom).unwrap_or_default(),
                        memos: etat.memos.remove(nom).unwrap_or_default(),
                    }
                }
            },
        })
        .collect();
    let mut tests: BTreeMap<String, Contient> = BTreeMap::new();
    for (nom, valeur) in contient {
        let t = tests.entry(nom.clone()).or_insert_with(|| Contient {
            index: lecteur.colonne(nom),
            valeurs: Vec::new(),
            memos: FxHashMap::default(),
            lignes: Vec::new(),
        });
        t.lignes.push(BooleanChunkedBuilder::new(
            nom_contient(nom, valeur).as_str().into(),
            capacite,
        ));
        t.valeurs.push(valeur.clone());
    }
    // Other columns: read only by the personal data guard.
    let lues: BTreeSet<usize> = colonnes_lues.iter().filter_map(|c| c.index).collect();
    let autres: Vec<usize> = (0..lecteur.entetes.len())
        .filter(|i| !lecteur.ignorees[*i] && !personnelles[*i] && !lues.contains(i))
        .collect();
    let mut trouvees: BTreeMap<usize, (usize, &'static str, usize)> = BTreeMap::new();
    let mut codes_personnels: FxHashMap<u32, &'static str> = FxHashMap::default();

    let courtes = options.reglages.dates_courtes;
    let format_dates = if courtes {
        "une date JJ/MM/AAAA, J/M/AAAA, JJ/MM/AA ou AAAA-MM-JJ"
    } else {
        "une date JJ/MM/AAAA, J/M/AAAA ou AAAA-MM-JJ"
    };
    let controles = options.controles.as_ref();
    let mut annees = BTreeSet::new();
    let mut hors_periode: Vec<(usize, String, String)> = Vec::new();
    let mut lignes: Vec<usize> = Vec::new();
    let i_personne = lecteur.colonne("personne");
    let i_public = lecteur.colonne(COLONNE_PUBLIC);
    // Records are read by batches, so that reading and checking can be timed apart.
    // Two threads: one reads and parses the CSV into batches of records, the
    // other checks and types them. Batches go back to the reader to be reused.
    type Lot = Vec<(usize, csv::StringRecord, Vec<std::ops::Range<usize>>)>;
    let entete = lecteur.entete();
    let mut erreurs_lecture: Vec<Probleme> = Vec::new();
    let mut n = 0usize;
    std::thread::scope(|portee| {
        let (pleins, a_valider) = std::sync::mpsc::sync_channel::<(Lot, usize)>(2);
        let (rendus, a_remplir) = std::sync::mpsc::channel::<Lot>();
        let (lecteur, erreurs) = (&mut lecteur, &mut erreurs_lecture);
        portee.spawn(move || {
            loop {
                let mut lot = a_remplir.try_recv().unwrap_or_else(|_| {
                    (0..LOT)
                        .map(|_| (0, csv::StringRecord::new(), Vec::new()))
                        .collect()
                });
                let debut = std::time::Instant::now();
                let (mut k, mut fini) = (0, false);
                while k < LOT {
                    let (ligne, enregistrement, cellules) = &mut lot[k];
                    match lecteur.suivant(enregistrement, cellules, erreurs) {
                        Some(l) => {
                            *ligne = l;
                            k += 1;
                        }
                        None => {
                            fini = true;
                            break;
                        }
                    }
                }
                crate::chrono::ajouter("lecture", debut.elapsed());
                if let Some((b, avant)) = barre {
                    b.set_position(avant + lecteur.octets_lus());
                }
                if pleins.send((lot, k)).is_err() || fini {
                    break;
                }
            }
        });
        for (lot, k) in a_valider {
            let _e = crate::chrono::etape("validation");
            n += k;
            for (ligne, enregistrement, cellules) in &lot[..k] {
                let (ligne, enregistrement) = (*ligne, enregistrement);
                let texte = enregistrement.as_slice();
                let cellule = |i: Option<usize>| i.map_or("", |i| &texte[cellules[i].clone()]);
                if controles.is_some() {
                    lignes.push(ligne);
                }
                for c in colonnes_lues.iter_mut() {
                    let t = cellule(c.index);
                    let erreur = |message: String, attendu: &str, correction: &str| {
                        Probleme::new(&affiche, message)
                            .ligne(ligne)
                            .colonne(&c.en_tete)
                            .attendu(attendu)
                            .correction(correction)
                    };
                    match &mut c.tampon {
                        Tampon::Date { requise, valeurs } => {
                            if t.is_empty() {
                                if *requise {
                                    f.erreur(erreur(
                                        "la date est vide".into(),
                                        format_dates,
                                        "renseignez la date de cette ligne",
                                    ));
                                }
                                valeurs.push(None);
                                continue;
                            }
                            match valeurs::date(t, courtes) {
                                Ok(d) => {
                                    annees.insert(d.year());
                                    if let Some(b) = controles
                                        && (d.year() > b.fin
                                            || b.debut.is_some_and(|debut| d.year() < debut))
                                    {
                                        hors_periode.push((
                                            ligne,
                                            c.en_tete.clone(),
                                            t.to_string(),
                                        ));
                                    }
                                    valeurs.push(Some(valeurs::jour(d)))
                                }
                                Err(valeurs::PasUneDate::AnneeCourte) => {
                                    f.erreur(erreur(
                                    format!("« {t} » a une année sur deux chiffres"),
                                    "une année sur quatre chiffres, par exemple 07/03/2013",
                                    "corrigez le format de la colonne dans le tableur (JJ/MM/AAAA), ou acceptez les années courtes dans rapport.toml : [exports] dates_courtes = true",
                                ));
                                    valeurs.push(None);
                                }
                                Err(valeurs::PasUneDate::Invalide) => {
                                    f.erreur(erreur(
                                        format!("« {t} » n'est pas une date valide"),
                                        &format!("{format_dates}, par exemple 07/03/2013"),
                                        "corrigez la date dans le tableur puis exportez de nouveau",
                                    ));
                                    valeurs.push(None);
                                }
                            }
                        }
                        Tampon::Categorie {
                            genre,
                            codes,
                            dictionnaire,
                            memos,
                        } if *genre == Genre::Code => {
                            // Pseudonymous codes: one lookup, no memo (there are as
                            // many spellings as people); the guard runs on each new code.
                            if t.is_empty() {
                                codes.push(None);
                                continue;
                            }
                            let code = match dictionnaire.chercher(t) {
                                Some(k) => k,
                                None => {
                                    let k = dictionnaire.code(t.to_string());
                                    if let Some(quoi) = personnel::valeur_personnelle(t) {
                                        codes_personnels.insert(k, quoi);
                                    }
                                    k
                                }
                            };
                            if let Some(quoi) = codes_personnels.get(&code)
                                && let Some(i) = c.index
                            {
                                let e = trouvees.entry(i).or_insert((ligne, quoi, 0));
                                e.2 += 1;
                            }
                            codes.push(Some(code));
                        }
                        Tampon::Categorie {
                            genre,
                            codes,
                            dictionnaire,
                            memos,
                        } => {
                            let memo = match memos.get(t) {
                                Some(m) => m,
                                None => {
                                    let m = memoriser(
                                        &c.nom,
                                        *genre,
                                        t,
                                        options.vocabulaire,
                                        dictionnaire,
                                    );
                                    memos.entry(t.to_string()).or_insert(m)
                                }
                            };
                            if let Some(quoi) = memo.personnel
                                && let Some(i) = c.index
                            {
                                let e = trouvees.entry(i).or_insert((ligne, quoi, 0));
                                e.2 += 1;
                            }
                            match &memo.valeur {
                                Valeur::Code(k) => codes.push(Some(*k)),
                                Valeur::Vide => {
                                    if let Genre::Texte { requis: true } = genre {
                                        f.erreur(erreur(
                                            "la valeur est vide".into(),
                                            "une valeur",
                                            "renseignez cette cellule",
                                        ));
                                    }
                                    codes.push(None);
                                }
                                Valeur::Inconnue(inconnue) => {
                                    let proche = inconnue
                                    .proche
                                    .as_ref()
                                    .map(|p| format!("remplacez-la par « {p} » (la valeur connue la plus proche), ou"))
                                    .unwrap_or_else(|| "corrigez-la, ou".into());
                                    f.erreur(erreur(
                                    format!("« {t} » n'est pas un public connu"),
                                    &format!(
                                        "{} (ou une variante comme F, Femme, femme cis, H, T), ou vide pour une action sans personne",
                                        inconnue.valeurs.join(", ")
                                    ),
                                    &format!(
                                        "{proche} si c'est une autre façon d'écrire un public connu, déclarez-la dans rapport.toml : [vocabulaire.public] femme = [\"{}\"]",
                                        t.replace('"', "\\\"")
                                    ),
                                ));
                                    codes.push(None);
                                }
                            }
                        }
                        Tampon::Quantite(valeurs) => {
                            if t.is_empty() {
                                valeurs.push(Some(1));
                                continue;
                            }
                            let q = match t.parse::<i64>() {
                                Ok(q) => Some(q as f64),
                                Err(_) => valeurs::nombre(t),
                            };
                            match q {
                                Some(q) if q >= 1.0 && q.fract() == 0.0 && q < 1e12 => {
                                    valeurs.push(Some(q as i64))
                                }
                                _ => {
                                    f.erreur(erreur(
                                        format!("« {t} » n'est pas une quantité valide"),
                                        "un nombre entier supérieur ou égal à 1 (vide vaut 1)",
                                        "corrigez la quantité de cette ligne",
                                    ));
                                    valeurs.push(Some(1));
                                }
                            }
                        }
                        Tampon::Annee(valeurs) => match t.parse::<i32>() {
                            Ok(a) if crate::model::ANNEES_POSSIBLES.contains(&a) => {
                                annees.insert(a);
                                if let Some(b) = controles
                                    && (a > b.fin || b.debut.is_some_and(|debut| a < debut))
                                {
                                    hors_periode.push((ligne, c.en_tete.clone(), t.to_string()));
                                }
                                valeurs.push(Some(a))
                            }
                            _ => {
                                f.erreur(erreur(
                                    format!("« {t} » n'est pas une année"),
                                    "une année sur quatre chiffres, par exemple 2013",
                                    "corrigez l'année de cette ligne",
                                ));
                                valeurs.push(Some(0));
                            }
                        },
                        Tampon::Nombre { requis, valeurs } => {
                            if t.is_empty() {
                                if *requis {
                                    f.erreur(erreur(
                                        "la valeur est vide".into(),
                                        "un nombre",
                                        "renseignez cette cellule",
                                    ));
                                }
                                valeurs.push(None);
                                continue;
                            }
                            match valeurs::nombre(t) {
                                Some(n) => valeurs.push(Some(n)),
                                None => {
                                    f.erreur(erreur(
                                        format!("« {t} » n'est pas un nombre"),
                                        "un nombre, par exemple 1234 ou 1 234,50",
                                        "corrigez la valeur de cette cellule (sans unité ni texte)",
                                    ));
                                    valeurs.push(None);
                                }
                            }
                        }
                    }
                }
                for test in tests.values_mut() {
                    let t = cellule(test.index);
                    let bits = match test.memos.get(t) {
                        Some(b) => *b,
                        None => {
                            let mut b = 0u64;
                            for (k, v) in test.valeurs.iter().enumerate() {
                                if t.split('|').any(|x| normalise(x) == *v) {
                                    b |= 1 << k;
                                }
                            }
                            test.memos.insert(t.to_string(), b);
                            b
                        }
                    };
                    for (k, l) in test.lignes.iter_mut().enumerate() {
                        l.append_value(bits & (1 << k) != 0);
                    }
                }
                for &i in &autres {
                    if let Some(quoi) = personnel::valeur_personnelle(cellule(Some(i))) {
                        let e = trouvees.entry(i).or_insert((ligne, quoi, 0));
                        e.2 += 1;
                    }
                }
                if controles.is_some() {
                    controler_ligne(
                        source,
                        &entete,
                        enregistrement,
                        cellules,
                        ligne,
                        (i_personne, i_public),
                        options.vocabulaire,
                        f,
                        personnes,
                        &mut etat.vues,
                    );
                }
            }
            let _ = rendus.send(lot);
        }
    });
    for p in erreurs_lecture {
        f.erreur(p);
    }

    // The personal data guard on values: one error per column, position only.
    for (i, (ligne, quoi, nombre)) in trouvees {
        let et = if nombre > 1 {
            format!(" (et {} autres lignes de cette colonne)", nombre - 1)
        } else {
            String::new()
        };
        f.erreur(
            Probleme::new(
                &affiche,
                format!("une cellule contient ce qui ressemble à {quoi}{et} ; sa valeur n'est pas affichée"),
            )
            .ligne(ligne)
            .colonne(&entetes_bruts[i])
            .attendu("aucune donnée personnelle dans les exports")
            .correction(format!(
                "effacez cette donnée dans le tableur, ou, si la colonne ne sert pas au rapport, ignorez-la : {}",
                ignorer_exemple(&entetes_bruts[i])
            )),
        );
    }
    if let Some(bornes) = controles {
        let dates = |nom: &str| {
            colonnes_lues
                .iter()
                .find_map(|c| match (&c.tampon, c.nom == nom) {
                    (Tampon::Date { valeurs, .. }, true) => valeurs.copie.as_deref(),
                    _ => None,
                })
        };
        controler_fichier(
            source,
            &affiche,
            &lecteur,
            bornes,
            &lignes,
            (dates("ouverture"), dates("cloture")),
            &hors_periode,
            f,
        );
    }

    // The typed columns, and the dictionaries handed back for the next file.

    let mut colonnes_typees = Vec::with_capacity(colonnes_lues.len());
    for c in colonnes_lues {
        colonnes_typees.push(match c.tampon {
            Tampon::Date { valeurs, .. } => valeurs.colonne(),
            Tampon::Categorie {
                codes,
                dictionnaire,
                memos,
                ..
            } => {
                etat.dictionnaires.insert(c.nom.clone(), dictionnaire);
                etat.memos.insert(c.nom.clone(), memos);
                codes.colonne()
            }
            Tampon::Quantite(v) => v.colonne(),
            Tampon::Annee(v) => v.colonne(),
            Tampon::Nombre { valeurs, .. } => valeurs.colonne(),
        });
    }
    for test in tests.into_values() {
        for l in test.lignes {
            colonnes_typees.push(l.finish().into_column());
        }
    }
    let fichier = Fichier {
        nom: affiche.clone(),
        annees,
        manquantes,
    };
    if f.a_des_erreurs() {
        return Some((DataFrame::empty(), fichier));
    }
    match DataFrame::new(n, colonnes_typees) {
        Ok(t) => Some((t, fichier)),
        Err(e) => {
            f.erreur(Probleme::new(&affiche, format!("erreur interne : {e}")));
            None
        }
    }
}

/// What the spelling `t` of a cell of column `nom` gives: its code (the
/// vocabulary applied), emptiness, or an unknown `public`; and whether it
/// looks like personal data.
fn memoriser(
    nom: &str,
    genre: Genre,
    t: &str,
    vocabulaire: &Vocabulaire,
    dictionnaire: &mut Dictionnaire,
) -> Memo {
    let personnel = personnel::valeur_personnelle(t);
    let valeur = match genre {
        Genre::Code if t.is_empty() => Valeur::Vide,
        // Pseudonymous codes are kept as written.
        Genre::Code => Valeur::Code(dictionnaire.code(t.to_string())),
        Genre::Themes => {
            let themes: Vec<String> = t
                .split('|')
                .map(normalise)
                .filter(|x| !x.is_empty())
                .collect();
            if themes.is_empty() {
                Valeur::Vide
            } else {
                // Stored as `|a|b|`.
                Valeur::Code(dictionnaire.code(format!("|{}|", themes.join("|"))))
            }
        }
        _ => {
            let n = normalise(t);
            if n.is_empty() {
                Valeur::Vide
            } else {
                let colonne = if matches!(genre, Genre::Public) {
                    COLONNE_PUBLIC
                } else {
                    nom
                };
                match vocabulaire.traduire(colonne, &n) {
                    Ok(v) => Valeur::Code(dictionnaire.code(v)),
                    Err(inconnue) => Valeur::Inconnue(inconnue),
                }
            }
        }
    };
    Memo { valeur, personnel }
}

/// The per-row warnings of `rapport check`: exact duplicate rows, a person
/// seen with two publics. Personal codes are never shown, only positions.
#[allow(clippy::too_many_arguments)]
fn controler_ligne(
    source: Source,
    lecteur: &lecture::Entete,
    enregistrement: &csv::StringRecord,
    cellules: &[std::ops::Range<usize>],
    ligne: usize,
    (i_personne, i_public): (Option<usize>, Option<usize>),
    vocabulaire: &Vocabulaire,
    f: &mut Signaleur,
    personnes: &mut Personnes,
    vues: &mut HashMap<u64, (PathBuf, usize)>,
) {
    let texte = enregistrement.as_slice();
    let cellule = |i: usize| &texte[cellules[i].clone()];
    // Anonymous actions (no `personne` code) legitimately repeat: two
    // anonymous contacts of the same kind on the same day are two rows.
    let anonyme = i_personne.is_none_or(|i| cellule(i).is_empty());
    if !(source == Source::Activites && anonyme) {
        let mut h = DefaultHasher::new();
        for i in 0..cellules.len() {
            if !lecteur.ignorees[i] {
                cellule(i).hash(&mut h);
            }
        }
        match vues.get(&h.finish()) {
            Some((fichier, premiere)) => {
                let ou = if *fichier == lecteur.affiche {
                    format!("ligne {premiere}")
                } else {
                    format!("ligne {premiere} de {}", fichier.display())
                };
                f.avertissement(
                    Probleme::new(&lecteur.affiche, format!("ligne identique à la {ou}"))
                        .ligne(ligne)
                        .correction("supprimez le doublon s'il s'agit d'une double saisie ; sinon, ajoutez une quantité (colonne « quantite »)"),
                );
            }
            None => {
                vues.insert(h.finish(), (lecteur.affiche.clone(), ligne));
            }
        }
    }
    if let (Some(ip), Some(ipub)) = (i_personne, i_public) {
        let (code, ecrit) = (cellule(ip), cellule(ipub));
        let public = normalise(ecrit);
        if code.is_empty() || public.is_empty() {
            return;
        }
        let public = vocabulaire
            .traduire(COLONNE_PUBLIC, &public)
            .unwrap_or(public);
        match personnes.vus.get(code) {
            Some((avant, fichier, l)) if *avant != public => {
                if personnes.signales.insert(code.to_string()) {
                    f.avertissement(
                        Probleme::new(
                            &lecteur.affiche,
                            format!(
                                "le code de la colonne « {} » a ici un autre public (« {ecrit} ») qu'à la ligne {l} de {} (« {avant} ») ; le code n'est pas affiché",
                                lecteur.entetes_bruts[ip],
                                fichier.display()
                            ),
                        )
                        .ligne(ligne)
                        .colonne(&lecteur.entetes_bruts[ipub])
                        .correction("une même personne doit avoir le même public partout : corrigez l'une des deux lignes"),
                    );
                }
            }
            Some(_) => {}
            None => {
                personnes
                    .vus
                    .insert(code.to_string(), (public, lecteur.affiche.clone(), ligne));
            }
        }
    }
}

/// The per-file warnings of `rapport check`: no data row, dates outside the
/// project's years, cases closed before they opened.
#[allow(clippy::too_many_arguments)]
fn controler_fichier(
    source: Source,
    affiche: &Path,
    lecteur: &lecture::Lecteur,
    bornes: &Bornes,
    lignes: &[usize],
    (ouvertures, clotures): (Option<&[Jour]>, Option<&[Jour]>),
    hors_periode: &[(usize, String, String)],
    f: &mut Signaleur,
) {
    if lignes.is_empty() {
        f.avertissement(
            Probleme::new(affiche, "le fichier n'a aucune ligne de données")
                .ligne(1)
                .correction("vérifiez que vous avez exporté la bonne feuille du tableur"),
        );
    }
    if let Some((ligne, colonne, valeur)) = hors_periode.first() {
        let periode = match bornes.debut {
            Some(d) => format!("de {d} à {}", bornes.fin),
            None => format!("jusqu'à {}", bornes.fin),
        };
        let autres = match hors_periode.len() - 1 {
            0 => String::new(),
            n => format!(
                " (et {n} autres lignes : {}{})",
                hors_periode[1..]
                    .iter()
                    .take(5)
                    .map(|h| h.0.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                if n > 5 { "…" } else { "" }
            ),
        };
        f.avertissement(
            Probleme::new(
                affiche,
                format!("« {valeur} » est en dehors des années du projet{autres}"),
            )
            .ligne(*ligne)
            .colonne(colonne)
            .attendu(format!("une date {periode} ({})", bornes.raison_fin))
            .correction("vérifiez l'année saisie (faute de frappe ?)"),
        );
    }
    if source == Source::Suivis
        && let (Some(ouv), Some(clo)) = (ouvertures, clotures)
    {
        let colonne = lecteur
            .colonne("cloture")
            .map_or("cloture".to_string(), |i| lecteur.entetes_bruts[i].clone());
        for (ligne, (o, c)) in lignes.iter().zip(ouv.iter().zip(clo)) {
            if let (Some(o), Some(c)) = (o, c)
                && c < o
            {
                f.avertissement(
                    Probleme::new(affiche, "le suivi est clos avant d'avoir été ouvert")
                        .ligne(*ligne)
                        .colonne(&colonne)
                        .attendu("une date de clôture postérieure ou égale à la date d'ouverture")
                        .correction("vérifiez les deux dates de ce suivi (inversées ?)"),
                );
            }
        }
    }
}
