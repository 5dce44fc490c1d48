//! Stage 1: the association's CSV exports → validated, typed tables.
//!
//! The contract (columns, formats) is fixed here; the model says which extra
//! columns it uses and which of them are numbers.

mod lecture;
pub mod valeurs;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Erreur, Probleme, Resultat};
use crate::fr::normalise;

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

/// Reads every export of `dossier` (the project's `donnees/`); `affiche` is how the folder is shown.
/// Several files of one source are stacked: rows belong to years by their dates.
pub fn lire(dossier: &Path, affiche: &Path, besoins: &Besoins) -> Resultat<Exports> {
    let mut tables = BTreeMap::new();
    let mut tous_fichiers = BTreeMap::new();
    let vides = BTreeSet::new();
    let sans_contient = BTreeSet::new();
    for source in Source::TOUTES {
        let chemins = fichiers(dossier, source);
        if chemins.is_empty() {
            if besoins.sources.contains(&source) {
                return Err(Erreur::absent(
                    Probleme::new(affiche.join(source.fichier()), "fichier d'export introuvable")
                        .attendu(format!(
                            "l'export « {} » (ou des fichiers « {}-ANNEE.csv ») dans le dossier des données",
                            source.fichier(),
                            source.nom()
                        ))
                        .correction("exportez ce fichier depuis votre tableur ou retirez du modèle les indicateurs qui l'utilisent"),
                ));
            }
            continue;
        }
        let mut table: Option<DataFrame> = None;
        let mut lus = Vec::new();
        for chemin in chemins {
            let montre = affiche.join(chemin.file_name().unwrap_or_default());
            let brut = lecture::lire(&chemin, &montre)?;
            let (lue, fichier) = typer(
                source,
                &brut,
                besoins.colonnes.get(&source).unwrap_or(&vides),
                besoins.numeriques.get(&source).unwrap_or(&vides),
                besoins.contient.get(&source).unwrap_or(&sans_contient),
            )?;
            lus.push(fichier);
            table = Some(match table {
                None => lue,
                Some(mut t) => {
                    t.vstack_mut(&lue)?;
                    t
                }
            });
        }
        if let Some(t) = table {
            tables.insert(source, t);
        }
        tous_fichiers.insert(source, lus);
    }
    Ok(Exports {
        tables,
        fichiers: tous_fichiers,
    })
}

/// Checks and converts the raw cells of one export to a typed table.
fn typer(
    source: Source,
    brut: &lecture::Brut,
    colonnes: &BTreeSet<String>,
    numeriques: &BTreeSet<String>,
    contient: &BTreeSet<(String, String)>,
) -> Resultat<(DataFrame, Fichier)> {
    let mut specs: Vec<(String, Genre, Option<usize>)> = Vec::new();
    for (nom, genre, obligatoire) in source.contrat() {
        let index = brut.colonne(nom);
        if index.is_none() && *obligatoire {
            return Err(Probleme::new(&brut.affiche, format!("la colonne « {nom} » manque"))
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
                    "ajoutez la colonne « {nom} » dans la ligne d'en-tête (colonnes trouvées : {})",
                    brut.entetes_bruts.join(", ")
                ))
                .into());
        }
        specs.push((nom.to_string(), *genre, index));
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

    let mut colonnes_typees = Vec::with_capacity(specs.len());
    for (nom, genre, index) in &specs {
        let cellule = |cells: &Vec<String>| index.map_or("", |i| cells[i].as_str()).to_string();
        let en_tete = index.map_or(nom.clone(), |i| brut.entetes_bruts[i].clone());
        let erreur = |ligne: usize, message: String, attendu: &str, correction: &str| -> Erreur {
            Probleme::new(&brut.affiche, message)
                .ligne(ligne)
                .colonne(&en_tete)
                .attendu(attendu)
                .correction(correction)
                .into()
        };
        let colonne = match genre {
            Genre::Date { requise } => {
                let mut v: Vec<Option<i32>> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = cellule(cells);
                    if t.is_empty() {
                        if *requise {
                            return Err(erreur(
                                *ligne,
                                "la date est vide".into(),
                                "une date JJ/MM/AAAA ou AAAA-MM-JJ",
                                "renseignez la date de cette ligne",
                            ));
                        }
                        v.push(None);
                        continue;
                    }
                    match valeurs::date(&t) {
                        Some(d) => {
                            annees.insert(d.year());
                            v.push(Some(valeurs::jour(d)))
                        }
                        None => {
                            return Err(erreur(
                                *ligne,
                                format!("« {t} » n'est pas une date valide"),
                                "une date JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 07/03/2013",
                                "corrigez la date dans le tableur puis exportez de nouveau",
                            ));
                        }
                    }
                }
                Column::new(nom.as_str().into(), v)
            }
            Genre::Texte { requis } => {
                let mut v: Vec<Option<String>> = Vec::with_capacity(brut.lignes.len());
                for (ligne, cells) in &brut.lignes {
                    let t = normalise(&cellule(cells));
                    if t.is_empty() {
                        if *requis {
                            return Err(erreur(
                                *ligne,
                                "la valeur est vide".into(),
                                "une valeur",
                                "renseignez cette cellule",
                            ));
                        }
                        v.push(None);
                    } else {
                        v.push(Some(t));
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
                    let t = normalise(&cellule(cells));
                    if t.is_empty() {
                        v.push(None);
                    } else if PUBLICS.contains(&t.as_str()) {
                        v.push(Some(t));
                    } else {
                        return Err(erreur(
                            *ligne,
                            format!("« {} » n'est pas un public connu", cellule(cells)),
                            "femme, trans, homme, ou vide pour une action sans personne",
                            "corrigez la valeur de cette cellule",
                        ));
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
                    match t.parse::<i64>() {
                        Ok(q) if q >= 1 => v.push(q),
                        _ => {
                            return Err(erreur(
                                *ligne,
                                format!("« {t} » n'est pas une quantité valide"),
                                "un nombre entier supérieur ou égal à 1 (vide vaut 1)",
                                "corrigez la quantité de cette ligne",
                            ));
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
                            v.push(a)
                        }
                        _ => {
                            return Err(erreur(
                                *ligne,
                                format!("« {t} » n'est pas une année"),
                                "une année sur quatre chiffres, par exemple 2013",
                                "corrigez l'année de cette ligne",
                            ));
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
                            return Err(erreur(
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
                            return Err(erreur(
                                *ligne,
                                format!("« {t} » n'est pas un nombre"),
                                "un nombre, par exemple 1234 ou 1 234,50",
                                "corrigez la valeur de cette cellule",
                            ));
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
        let Some(index) = brut.colonne(nom) else {
            return Err(Probleme::new(
                &brut.affiche,
                format!("la colonne « {nom} », utilisée par le modèle, manque"),
            )
            .ligne(1)
            .correction(format!(
                "ajoutez la colonne « {nom} » à l'export ou corrigez le modèle"
            ))
            .into());
        };
        let v: Vec<bool> = brut
            .lignes
            .iter()
            .map(|(_, cells)| cells[index].split('|').any(|t| normalise(t) == *valeur))
            .collect();
        colonnes_typees.push(Column::new(nom_contient(nom, valeur).as_str().into(), v));
    }
    let fichier = Fichier {
        nom: brut.affiche.clone(),
        annees,
        manquantes,
    };
    Ok((DataFrame::new(brut.lignes.len(), colonnes_typees)?, fichier))
}
