//! The figures a report prints as « n.d. » because of the data, grouped by
//! why: what `build` lists on standard error and `check` reports, so that
//! no figure goes missing without a word. And the year no export covers,
//! refused before anything is computed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Erreur, Probleme, Resultat};
use crate::exports::{Exports, Indisponible, Source};
use crate::figures::Figures;
use crate::model::Modele;

/// The figures that are not available for one cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Lacune {
    /// The cause (its year, and its label for `SansValeur`, left out: the
    /// years and indicators are below).
    pub raison: Indisponible,
    /// The years of those figures.
    pub annees: BTreeSet<i32>,
    /// The indicators, by id, with their labels, each once.
    pub indicateurs: Vec<(String, String)>,
    /// Whether only the groups of their breakdown are not available (a
    /// breakdown's column missing): their totals are.
    pub groupes: bool,
}

impl Lacune {
    /// The finding, located in the file it comes from.
    pub fn probleme(&self) -> Probleme {
        let fichier: PathBuf = match &self.raison {
            Indisponible::ColonneManquante { fichier, .. } => fichier.clone(),
            Indisponible::SansLigne { source, .. }
            | Indisponible::SansAnneePrecedente { source, .. } => {
                Path::new("donnees").join(source.fichier())
            }
            Indisponible::SansValeur { .. } => {
                Path::new("donnees").join(Source::Indicateurs.fichier())
            }
        };
        let n = self.indicateurs.len();
        // A label two indicators share is told with their ids.
        let montres: Vec<String> = self
            .indicateurs
            .iter()
            .take(6)
            .map(|(id, l)| {
                if self.indicateurs.iter().filter(|(_, m)| m == l).count() > 1 {
                    format!("« {l} » ({id})")
                } else {
                    format!("« {l} »")
                }
            })
            .collect();
        let montres = if n > 6 {
            format!("{} et {} autres", montres.join(", "), n - 6)
        } else {
            crate::fr::liste(&montres)
        };
        let annees: Vec<String> = self.annees.iter().map(i32::to_string).collect();
        let (cause, correction) = match &self.raison {
            Indisponible::SansLigne { source, .. } => (
                format!(
                    "aucune ligne {} n'est datée de {}",
                    source.du_fichier(),
                    crate::fr::liste(&annees)
                ),
                format!(
                    "ajoutez les lignes de ces années à {} (ou des fichiers « {}-ANNEE.csv »), ou ne montrez pas ces années",
                    source.fichier(),
                    source.nom()
                ),
            ),
            Indisponible::SansAnneePrecedente { source, .. } => {
                let avant: Vec<String> = self.annees.iter().map(|a| (a - 1).to_string()).collect();
                (
                    format!(
                        "aucune ligne {} n'est datée de l'année d'avant ({}) : les nouvelles personnes ne se distinguent pas des personnes déjà rencontrées",
                        source.du_fichier(),
                        crate::fr::liste(&avant)
                    ),
                    format!(
                        "ajoutez à {} (ou en fichiers « {}-ANNEE.csv ») les lignes de l'année d'avant, ou ne montrez les nouvelles personnes que pour les années qui en ont une",
                        source.fichier(),
                        source.nom()
                    ),
                )
            }
            Indisponible::SansValeur { .. } => (
                format!(
                    "{} n'a pas de ligne pour {}",
                    Source::Indicateurs.fichier(),
                    if n == 1 {
                        "cet indicateur"
                    } else {
                        "ces indicateurs"
                    }
                ),
                format!(
                    "ajoutez à {} une ligne annee;indicateur;valeur par indicateur et par année (par exemple {};visites_site;16119)",
                    Source::Indicateurs.fichier(),
                    annees.last().map_or("2013", String::as_str)
                ),
            ),
            r @ Indisponible::ColonneManquante {
                source,
                colonne,
                inconnues,
                ..
            } => (r.to_string(), declarer(*source, colonne, inconnues)),
        };
        let mut p = Probleme::new(
            fichier,
            format!(
                "{} « n.d. » ({}) : {cause} — {montres}",
                match (self.groupes, n) {
                    (false, 1) => "un indicateur est".to_string(),
                    (false, _) => format!("{n} indicateurs sont"),
                    (true, 1) => "les groupes d'un indicateur (non son total) sont".to_string(),
                    (true, _) => format!("les groupes de {n} indicateurs (non leurs totaux) sont"),
                },
                annees.join(", "),
            ),
        )
        .correction(correction);
        if let Indisponible::ColonneManquante { colonne, .. } = &self.raison {
            p = p.colonne(colonne);
        }
        p
    }
}

/// How to give `colonne`, which a file of `source` lacks, from the headers
/// of the file that name nothing (`inconnues`): the one that looks like it,
/// if any, and the line of `rapport.toml` that maps it.
fn declarer(source: Source, colonne: &str, inconnues: &[String]) -> String {
    let declarer = |entete: &str| {
        format!(
            "déclarez-le dans rapport.toml : [exports.{}] colonnes = {{ \"{}\" = \"{colonne}\" }}",
            source.nom(),
            entete.replace('"', "\\\"")
        )
    };
    let n = crate::fr::normalise(colonne);
    let proche = inconnues.iter().find(|e| {
        let e = crate::fr::normalise(e);
        strsim::levenshtein(&e, &n) <= 2 || strsim::jaro_winkler(&e, &n) >= 0.85
    });
    match (proche, inconnues) {
        (Some(e), _) => format!(
            "l'en-tête « {e} » ressemble à « {colonne} » : si c'est elle, {}",
            declarer(e)
        ),
        (None, [seul]) => format!(
            "le fichier a un en-tête non reconnu, « {seul} » : si c'est la colonne « {colonne} », {} ; sinon ajoutez la colonne « {colonne} » à l'export",
            declarer(seul)
        ),
        (None, []) => format!("ajoutez la colonne « {colonne} » à l'export"),
        (None, plusieurs) => format!(
            "en-têtes non reconnus dans ce fichier : « {} » ; si l'un d'eux est la colonne « {colonne} », {} ; sinon ajoutez la colonne à l'export",
            plusieurs.join(" », « "),
            declarer("Nom dans le fichier")
        ),
    }
}

/// The figures of `figures` that are not available, grouped by why.
pub fn lacunes(modele: &Modele, figures: &Figures) -> Vec<Lacune> {
    // (cause, groups only) → (years, indicators).
    type ParRaison<'a> = BTreeMap<(Indisponible, bool), (BTreeSet<i32>, BTreeSet<&'a str>)>;
    let mut par_raison: ParRaison = BTreeMap::new();
    for (cle, annee, raison, groupes) in figures.indisponibles() {
        // One finding per cause, whatever the years and the indicators.
        let cause = match raison {
            Indisponible::SansLigne { source, .. } => Indisponible::SansLigne {
                source: *source,
                annee: 0,
            },
            Indisponible::SansValeur { .. } => Indisponible::SansValeur {
                libelle: String::new(),
                annee: 0,
            },
            Indisponible::SansAnneePrecedente { source, .. } => Indisponible::SansAnneePrecedente {
                source: *source,
                annee: 0,
            },
            r => r.clone(),
        };
        let entree = par_raison.entry((cause, groupes)).or_default();
        entree.0.insert(annee);
        entree.1.insert(cle.indicateur());
    }
    par_raison
        .into_iter()
        .map(|((raison, groupes), (annees, ids))| Lacune {
            raison,
            groupes,
            annees,
            indicateurs: ids
                .into_iter()
                .map(|id| (id.to_string(), modele.indicateurs[id].libelle.clone()))
                .collect(),
        })
        .collect()
}

/// Refuses a report of `annee` when no row of any export is dated in it
/// while other years have rows: every figure would be « n.d. ». (Exports
/// without any row, as a new project has, build a report of « n.d. » whose
/// causes `build` lists.)
pub fn verifier_annee(exports: &Exports, annee: i32) -> Resultat<()> {
    let presentes = exports.annees();
    if presentes.is_empty() || presentes.contains(&annee) {
        return Ok(());
    }
    let liste: Vec<String> = presentes.iter().map(i32::to_string).collect();
    Err(Erreur::Donnees(Box::new(
        Probleme::new(
            "donnees",
            format!("aucune ligne d'aucun export n'est datée de {annee} : tous les chiffres du rapport seraient « n.d. »"),
        )
        .attendu(format!(
            "une année dont les exports ont des lignes : {}",
            liste.join(", ")
        ))
        .correction(format!(
            "vérifiez l'année demandée, ou ajoutez les exports de {annee} dans le dossier donnees/"
        )),
    )))
}
