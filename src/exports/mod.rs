//! Stage 1: the association's CSV exports → validated, typed tables.
//!
//! The contract (columns, formats) is fixed here; the model says which extra
//! columns it uses and which of them are numbers.

mod lecture;
pub mod personnel;
pub mod valeurs;
pub mod vocabulaire;

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Constats, Probleme};
use crate::fr::normalise;
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

/// One of the three exports of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// `activites.csv`: one row per action.
    Activites,
    /// `suivis.csv`: one row per follow-up case.
    Suivis,
    /// `indicateurs.csv`: figures the journal cannot give.
    Indicateurs,
}

impl Source {
    /// All sources, in reading order.
    pub const TOUTES: [Source; 3] = [Source::Activites, Source::Suivis, Source::Indicateurs];

    /// The export's file name in `donnees/`.
    pub fn fichier(self) -> &'static str {
        match self {
            Source::Activites => "activites.csv",
            Source::Suivis => "suivis.csv",
            Source::Indicateurs => "indicateurs.csv",
        }
    }

    /// The name used in the model.
    pub fn nom(self) -> &'static str {
        match self {
            Source::Activites => "activites",
            Source::Suivis => "suivis",
            Source::Indicateurs => "indicateurs",
        }
    }

    /// The contract's columns: name, kind, whether the header must be present.
    fn contrat(self) -> &'static [(&'static str, Genre, bool)] {
        use Genre::*;
        match self {
            Source::Activites => &[
                ("date", Date { requise: true }, true),
                ("action", Texte { requis: true }, true),
                ("programme", Texte { requis: true }, true),
                ("public", Public, false),
                ("personne", Code, false),
                ("themes", Themes, false),
                ("quantite", Quantite, false),
            ],
            Source::Suivis => &[
                ("personne", Code, false),
                ("public", Public, false),
                ("programme", Texte { requis: true }, true),
                ("type", Texte { requis: true }, true),
                ("ouverture", Date { requise: true }, true),
                ("cloture", Date { requise: false }, false),
            ],
            Source::Indicateurs => &[
                ("annee", Annee, true),
                ("indicateur", Texte { requis: true }, true),
                ("valeur", Nombre { requis: true }, true),
            ],
        }
    }

    /// A header line for this export, as an example in messages.
    pub fn entetes_exemple(self) -> String {
        self.contrat()
            .iter()
            .map(|c| c.0)
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Whether `colonne` is one of the contract's columns.
    pub fn a_colonne(self, colonne: &str) -> bool {
        self.contrat().iter().any(|(nom, _, _)| *nom == colonne)
    }
}

/// The accepted values of `public`.
pub const PUBLICS: [&str; 3] = ["femme", "trans", "homme"];

#[derive(Debug, Clone, Copy)]
enum Genre {
    Date { requise: bool },
    Texte { requis: bool },
    Nombre { requis: bool },
    Public,
    Code,
    Themes,
    Quantite,
    Annee,
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
                "aucune ligne de {} n'est datée de {annee}",
                source.fichier()
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

/// Reads every export of `dossier` (the project's `donnees/`); `affiche` is how
/// the folder is shown. Several files of one source are stacked: rows belong
/// to years by their dates. Every problem found goes to `constats`; the tables
/// can be used only when no error was found.
pub fn lire(dossier: &Path, affiche: &Path, options: &Options, constats: &mut Constats) -> Exports {
    let mut tables = BTreeMap::new();
    let mut tous_fichiers = BTreeMap::new();
    let mut personnes = Personnes::default();
    for source in Source::TOUTES {
        let chemins = fichiers(dossier, source);
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
        let mut vues: HashMap<u64, (PathBuf, usize)> = HashMap::new();
        for chemin in chemins {
            let montre = affiche.join(chemin.file_name().unwrap_or_default());
            let mut ici = Constats::default();
            let lu = crate::chrono::mesurer("lecture", || {
                lecture::lire(
                    &chemin,
                    &montre,
                    source,
                    options.reglages.source(source),
                    &mut ici,
                )
            })
            .and_then(|brut| {
                let _e = crate::chrono::etape("validation");
                let mut f = Signaleur::new(&montre, &mut ici);
                let r = typer(source, &brut, options, &mut f, &mut personnes, &mut vues);
                f.finir();
                r
            });
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
    }
    Exports {
        tables,
        fichiers: tous_fichiers,
    }
}

/// Reads one export from memory, as `rapport check` would read the file
/// `nom`: its problems, nothing else. The entry of the fuzz target.
pub fn verifier_octets(octets: &[u8], nom: &str, source: Source, options: &Options) -> Constats {
    let mut constats = Constats::default();
    let affiche = Path::new(nom);
    let Some(texte) = lecture::decoder(octets, affiche, &mut constats) else {
        return constats;
    };
    let brut = lecture::lire_texte(
        &texte,
        affiche,
        source,
        options.reglages.source(source),
        &mut constats,
    );
    if let Some(brut) = brut {
        let mut f = Signaleur::new(affiche, &mut constats);
        typer(
            source,
            &brut,
            options,
            &mut f,
            &mut Personnes::default(),
            &mut HashMap::new(),
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

/// The `public` seen for each `personne` code, across exports (for `check`).
#[derive(Default)]
struct Personnes {
    vus: HashMap<String, (String, PathBuf, usize)>,
    signales: std::collections::HashSet<String>,
}

/// Checks and converts the raw cells of one export to a typed table, reporting
/// every problem to `f`. `None` when the file lacks a required column.
fn typer(
    source: Source,
    brut: &lecture::Brut,
    options: &Options,
    f: &mut Signaleur,
    personnes: &mut Personnes,
    vues: &mut HashMap<u64, (PathBuf, usize)>,
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

    // The personal data guard: headers first, then every cell of the columns read.
    let mut personnelles = vec![false; brut.entetes.len()];
    for (i, entete) in brut.entetes_bruts.iter().enumerate() {
        if !brut.ignorees[i] && personnel::entete_personnelle(entete) {
            personnelles[i] = true;
            f.erreur(
                Probleme::new(&brut.affiche, "cette colonne contient des données personnelles : elle est refusée")
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
    for i in 0..brut.entetes.len() {
        if brut.ignorees[i] || personnelles[i] {
            continue;
        }
        let mut trouvees = brut
            .lignes
            .iter()
            .filter_map(|(l, cells)| personnel::valeur_personnelle(&cells[i]).map(|q| (*l, q)));
        if let Some((ligne, quoi)) = trouvees.next() {
            let autres = trouvees.count();
            let et = if autres > 0 {
                format!(" (et {autres} autres lignes de cette colonne)")
            } else {
                String::new()
            };
            f.erreur(
                Probleme::new(
                    &brut.affiche,
                    format!("une cellule contient ce qui ressemble à {quoi}{et} ; sa valeur n'est pas affichée"),
                )
                .ligne(ligne)
                .colonne(&brut.entetes_bruts[i])
                .attendu("aucune donnée personnelle dans les exports")
                .correction(format!(
                    "effacez cette donnée dans le tableur, ou, si la colonne ne sert pas au rapport, ignorez-la : {}",
                    ignorer_exemple(&brut.entetes_bruts[i])
                )),
            );
        }
    }

    let mut specs: Vec<(String, Genre, Option<usize>)> = Vec::new();
    let mut complet = true;
    for (nom, genre, obligatoire) in source.contrat() {
        let index = brut.colonne(nom);
        if index.is_none() && *obligatoire {
            complet = false;
            f.erreur(
                Probleme::new(&brut.affiche, format!("la colonne « {nom} » manque"))
                    .ligne(1)
                    .attendu(format!(
                        "les colonnes {}",
                        source
                            .contrat()
                            .iter()
                            .filter(|c| c.2)
                            .map(|c| format!("« {} »", c.0))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .correction(format!(
                        "ajoutez la colonne « {nom} » dans la ligne d'en-tête, ou, si elle porte un autre nom, déclarez-le : [exports.{}] colonnes = {{ \"Nom dans le fichier\" = \"{nom}\" }} (colonnes trouvées : {})",
                        source.nom(),
                        brut.entetes_bruts.join(", ")
                    )),
            );
        }
        specs.push((nom.to_string(), *genre, index));
    }
    if !complet {
        return None;
    }
    for nom in colonnes.iter().chain(numeriques) {
        if specs.iter().any(|s| &s.0 == nom) {
            continue;
        }
        let index = brut.colonne(nom);
        let genre = if numeriques.contains(nom) {
            Genre::Nombre { requis: false }
        } else {
            Genre::Texte { requis: false }
        };
        specs.push((nom.clone(), genre, index));
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
                .filter(|(c, _)| brut.colonne(c).is_none())
                .map(|(c, _)| c.clone()),
        )
        .collect();
    let mut annees = BTreeSet::new();
    let mut dates: BTreeMap<String, Vec<Option<i32>>> = BTreeMap::new();
    let mut hors_periode: Vec<(usize, String, String)> = Vec::new();
    let courtes = options.reglages.dates_courtes;
    let format_dates = if courtes {
        "une date JJ/MM/AAAA, J/M/AAAA, JJ/MM/AA ou AAAA-MM-JJ"
    } else {
        "une date JJ/MM/AAAA, J/M/AAAA ou AAAA-MM-JJ"
    };

    let mut colonnes_typees = Vec::with_capacity(specs.len());
    for (nom, genre, index) in &specs {
        let cellule = |cells: &Vec<String>| index.map_or("", |i| cells[i].as_str()).to_string();
        let en_tete = index.map_or(nom.clone(), |i| brut.entetes_bruts[i].clone());
        let erreur = |ligne: usize, message: String, attendu: &str, correction: &str| {
            Probleme::new(&brut.affiche, message)
                .ligne(ligne)
                .colonne(&en_tete)
                .attendu(attendu)
                .correction(correction)
        };
        let colonne = match genre {
            Genre::Date { requise } => {
                let mut v: Vec<Option<i32>> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = cellule(cells);
                    if t.is_empty() {
                        if *requise {
                            f.erreur(erreur(
                                *ligne,
                                "la date est vide".into(),
                                format_dates,
                                "renseignez la date de cette ligne",
                            ));
                        }
                        v.push(None);
                        continue;
                    }
                    match valeurs::date(&t, courtes) {
                        Ok(d) => {
                            annees.insert(d.year());
                            if let Some(b) = &options.controles
                                && (d.year() > b.fin || b.debut.is_some_and(|debut| d.year() < debut))
                            {
                                hors_periode.push((*ligne, en_tete.clone(), t.clone()));
                            }
                            v.push(Some(valeurs::jour(d)))
                        }
                        Err(valeurs::PasUneDate::AnneeCourte) => {
                            f.erreur(erreur(
                                *ligne,
                                format!("« {t} » a une année sur deux chiffres"),
                                "une année sur quatre chiffres, par exemple 07/03/2013",
                                "corrigez le format de la colonne dans le tableur (JJ/MM/AAAA), ou acceptez les années courtes dans rapport.toml : [exports] dates_courtes = true",
                            ));
                            v.push(None);
                        }
                        Err(valeurs::PasUneDate::Invalide) => {
                            f.erreur(erreur(
                                *ligne,
                                format!("« {t} » n'est pas une date valide"),
                                &format!("{format_dates}, par exemple 07/03/2013"),
                                "corrigez la date dans le tableur puis exportez de nouveau",
                            ));
                            v.push(None);
                        }
                    }
                }
                dates.insert(nom.clone(), v.clone());
                Column::new(nom.as_str().into(), v)
            }
            Genre::Texte { requis } => {
                let mut v: Vec<Option<String>> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = normalise(&cellule(cells));
                    if t.is_empty() {
                        if *requis {
                            f.erreur(erreur(
                                *ligne,
                                "la valeur est vide".into(),
                                "une valeur",
                                "renseignez cette cellule",
                            ));
                        }
                        v.push(None);
                    } else {
                        v.push(Some(
                            options.vocabulaire.traduire(nom, &t).unwrap_or(t),
                        ));
                    }
                }
                Column::new(nom.as_str().into(), v)
            }
            Genre::Code => {
                let v: Vec<Option<String>> = brut
                    .lignes
                    .iter()
                    .map(|(_, cells)| Some(cellule(cells)).filter(|t| !t.is_empty()))
                    .collect();
                Column::new(nom.as_str().into(), v)
            }
            Genre::Public => {
                let mut v: Vec<Option<String>> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let ecrit = cellule(cells);
                    let t = normalise(&ecrit);
                    if t.is_empty() {
                        v.push(None);
                        continue;
                    }
                    match options.vocabulaire.traduire("public", &t) {
                        Ok(p) => v.push(Some(p)),
                        Err(inconnue) => {
                            let proche = inconnue
                                .proche
                                .map(|p| format!("remplacez-la par « {p} » (la valeur connue la plus proche), ou"))
                                .unwrap_or_else(|| "corrigez-la, ou".into());
                            f.erreur(erreur(
                                *ligne,
                                format!("« {ecrit} » n'est pas un public connu"),
                                &format!(
                                    "{} (ou une variante comme F, Femme, femme cis, H, T), ou vide pour une action sans personne",
                                    inconnue.valeurs.join(", ")
                                ),
                                &format!(
                                    "{proche} si c'est une autre façon d'écrire un public connu, déclarez-la dans rapport.toml : [vocabulaire.public] femme = [\"{}\"]",
                                    ecrit.replace('"', "\\\"")
                                ),
                            ));
                            v.push(None);
                        }
                    }
                }
                Column::new(nom.as_str().into(), v)
            }
            Genre::Themes => {
                let v: Vec<Option<String>> = brut
                    .lignes
                    .iter()
                    .map(|(_, cells)| {
                        let themes: Vec<String> = cellule(cells)
                            .split('|')
                            .map(normalise)
                            .filter(|t| !t.is_empty())
                            .collect();
                        // Stored as `|a|b|` so that "contains a theme" is an exact substring test.
                        (!themes.is_empty()).then(|| format!("|{}|", themes.join("|")))
                    })
                    .collect();
                Column::new(nom.as_str().into(), v)
            }
            Genre::Quantite => {
                let mut v: Vec<i64> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = cellule(cells);
                    if t.is_empty() {
                        v.push(1);
                        continue;
                    }
                    match valeurs::nombre(&t) {
                        Some(q) if q >= 1.0 && q.fract() == 0.0 && q < 1e12 => v.push(q as i64),
                        _ => {
                            f.erreur(erreur(
                                *ligne,
                                format!("« {t} » n'est pas une quantité valide"),
                                "un nombre entier supérieur ou égal à 1 (vide vaut 1)",
                                "corrigez la quantité de cette ligne",
                            ));
                            v.push(1);
                        }
                    }
                }
                Column::new(nom.as_str().into(), v)
            }
            Genre::Annee => {
                let mut v: Vec<i32> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = cellule(cells);
                    match t.parse::<i32>() {
                        Ok(a) if (1900..=2200).contains(&a) => {
                            annees.insert(a);
                            if let Some(b) = &options.controles
                                && (a > b.fin || b.debut.is_some_and(|debut| a < debut))
                            {
                                hors_periode.push((*ligne, en_tete.clone(), t.clone()));
                            }
                            v.push(a)
                        }
                        _ => {
                            f.erreur(erreur(
                                *ligne,
                                format!("« {t} » n'est pas une année"),
                                "une année sur quatre chiffres, par exemple 2013",
                                "corrigez l'année de cette ligne",
                            ));
                            v.push(0);
                        }
                    }
                }
                Column::new(nom.as_str().into(), v)
            }
            Genre::Nombre { requis } => {
                let mut v: Vec<Option<f64>> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = cellule(cells);
                    if t.is_empty() {
                        if *requis {
                            f.erreur(erreur(
                                *ligne,
                                "la valeur est vide".into(),
                                "un nombre",
                                "renseignez cette cellule",
                            ));
                        }
                        v.push(None);
                        continue;
                    }
                    match valeurs::nombre(&t) {
                        Some(n) => v.push(Some(n)),
                        None => {
                            f.erreur(erreur(
                                *ligne,
                                format!("« {t} » n'est pas un nombre"),
                                "un nombre, par exemple 1234 ou 1 234,50",
                                "corrigez la valeur de cette cellule (sans unité ni texte)",
                            ));
                            v.push(None);
                        }
                    }
                }
                Column::new(nom.as_str().into(), v)
            }
        };
        colonnes_typees.push(colonne);
    }
    // "Contains" tests become boolean columns, computed once here.
    for (nom, valeur) in contient {
        let v: Vec<bool> = match brut.colonne(nom) {
            Some(index) => brut
                .lignes
                .iter()
                .map(|(_, cells)| cells[index].split('|').any(|t| normalise(t) == *valeur))
                .collect(),
            None => vec![false; brut.lignes.len()],
        };
        colonnes_typees.push(Column::new(nom_contient(nom, valeur).as_str().into(), v));
    }

    if let Some(bornes) = &options.controles {
        controler(
            source,
            brut,
            bornes,
            options.vocabulaire,
            &dates,
            &hors_periode,
            f,
            personnes,
            vues,
        );
    }
    let fichier = Fichier {
        nom: brut.affiche.clone(),
        annees,
        manquantes,
    };
    if f.a_des_erreurs() {
        return Some((DataFrame::empty(), fichier));
    }
    match DataFrame::new(brut.lignes.len(), colonnes_typees) {
        Ok(t) => Some((t, fichier)),
        Err(e) => {
            f.erreur(Probleme::new(&brut.affiche, format!("erreur interne : {e}")));
            None
        }
    }
}

/// The warnings of `rapport check` on one file: dates outside the project's
/// years, exact duplicate rows, cases closed before they opened, a person
/// seen with two publics. Personal codes are never shown, only positions.
#[allow(clippy::too_many_arguments)]
fn controler(
    source: Source,
    brut: &lecture::Brut,
    bornes: &Bornes,
    vocabulaire: &Vocabulaire,
    dates: &BTreeMap<String, Vec<Option<i32>>>,
    hors_periode: &[(usize, String, String)],
    f: &mut Signaleur,
    personnes: &mut Personnes,
    vues: &mut HashMap<u64, (PathBuf, usize)>,
) {
    if brut.lignes.is_empty() {
        f.avertissement(
            Probleme::new(&brut.affiche, "le fichier n'a aucune ligne de données")
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
                &brut.affiche,
                format!("« {valeur} » est en dehors des années du projet{autres}"),
            )
            .ligne(*ligne)
            .colonne(colonne)
            .attendu(format!("une date {periode} ({})", bornes.raison_fin))
            .correction("vérifiez l'année saisie (faute de frappe ?)"),
        );
    }
    // Exact duplicates, within the file and across the files of the source.
    // Anonymous actions (no `personne` code) legitimately repeat: two
    // anonymous contacts of the same kind on the same day are two rows.
    let code = brut.colonne("personne");
    for (ligne, cells) in &brut.lignes {
        if source == Source::Activites && code.is_none_or(|i| cells[i].is_empty()) {
            continue;
        }
        let mut h = DefaultHasher::new();
        for (i, c) in cells.iter().enumerate() {
            if !brut.ignorees[i] {
                c.hash(&mut h);
            }
        }
        let cle = h.finish();
        match vues.get(&cle) {
            Some((fichier, premiere)) => {
                let ou = if *fichier == brut.affiche {
                    format!("ligne {premiere}")
                } else {
                    format!("ligne {premiere} de {}", fichier.display())
                };
                f.avertissement(
                    Probleme::new(&brut.affiche, format!("ligne identique à la {ou}"))
                        .ligne(*ligne)
                        .correction("supprimez le doublon s'il s'agit d'une double saisie ; sinon, ajoutez une quantité (colonne « quantite »)"),
                );
            }
            None => {
                vues.insert(cle, (brut.affiche.clone(), *ligne));
            }
        }
    }
    if source == Source::Suivis
        && let (Some(ouv), Some(clo)) = (dates.get("ouverture"), dates.get("cloture"))
    {
        let colonne = brut
            .colonne("cloture")
            .map_or("cloture".to_string(), |i| brut.entetes_bruts[i].clone());
        for ((ligne, _), (o, c)) in brut.lignes.iter().zip(ouv.iter().zip(clo)) {
            if let (Some(o), Some(c)) = (o, c)
                && c < o
            {
                f.avertissement(
                    Probleme::new(&brut.affiche, "le suivi est clos avant d'avoir été ouvert")
                        .ligne(*ligne)
                        .colonne(&colonne)
                        .attendu("une date de clôture postérieure ou égale à la date d'ouverture")
                        .correction("vérifiez les deux dates de ce suivi (inversées ?)"),
                );
            }
        }
    }
    if let (Some(ip), Some(ipub)) = (brut.colonne("personne"), brut.colonne("public")) {
        for (ligne, cells) in &brut.lignes {
            let (code, public) = (&cells[ip], normalise(&cells[ipub]));
            if code.is_empty() || public.is_empty() {
                continue;
            }
            let public = vocabulaire.traduire("public", &public).unwrap_or(public);
            match personnes.vus.get(code) {
                Some((avant, fichier, l)) if *avant != public => {
                    if personnes.signales.insert(code.clone()) {
                        f.avertissement(
                            Probleme::new(
                                &brut.affiche,
                                format!(
                                    "le code de la colonne « {} » a ici un autre public (« {} ») qu'à la ligne {l} de {} (« {avant} ») ; le code n'est pas affiché",
                                    brut.entetes_bruts[ip], cells[ipub], fichier.display()
                                ),
                            )
                            .ligne(*ligne)
                            .colonne(&brut.entetes_bruts[ipub])
                            .correction("une même personne doit avoir le même public partout : corrigez l'une des deux lignes"),
                        );
                    }
                }
                Some(_) => {}
                None => {
                    personnes
                        .vus
                        .insert(code.clone(), (public, brut.affiche.clone(), *ligne));
                }
            }
        }
    }
}
