//! One export file checked and typed in one pass: the columns to read (the
//! contract's, then the model's), the personal data guard, the records by
//! batches, the controls of `rapport check`, and the typed table.

use std::collections::BTreeSet;

use polars::prelude::*;

use super::colonnes::{ColonneLue, Contient, Typage};
use super::contrat::{self, Genre};
use super::controles::{Controles, Personnes};
use super::lecture::Lecteur;
use super::personnel::Garde;
use super::signaleur::Signaleur;
use super::{EtatSource, Fichier, Options, Source, lots};
use crate::error::Probleme;

/// A column to read: its name, its kind, its position in the file if there.
type Spec = (String, Genre, Option<usize>);

/// Checks and converts the records of one export to a typed table, in one
/// pass, reporting every problem to `f`. `None` when the file lacks a
/// required column.
pub(super) fn typer(
    source: Source,
    mut lecteur: Lecteur,
    options: &Options,
    f: &mut Signaleur,
    personnes: &mut Personnes,
    etat: &mut EtatSource,
    barre: Option<(&indicatif::ProgressBar, u64)>,
) -> Option<(DataFrame, Fichier)> {
    let sans_contient = BTreeSet::new();
    let contient = options
        .besoins
        .contient
        .get(&source)
        .unwrap_or(&sans_contient);
    let affiche = lecteur.affiche.clone();
    let mut garde = Garde::new(source, &lecteur, f);
    let specs = a_lire(source, &lecteur, options, f)?;
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
    // Headers that name nothing read: where a missing column may be.
    let inconnues: Vec<String> = lecteur
        .entetes
        .iter()
        .zip(&lecteur.entetes_bruts)
        .zip(&lecteur.ignorees)
        .filter(|((nom, brut), ignoree)| {
            !**ignoree
                && !brut.trim().is_empty()
                && !specs.iter().any(|s| &s.0 == *nom)
                && !contient.iter().any(|(c, _)| c == *nom)
        })
        .map(|((_, brut), _)| brut.trim().to_string())
        .collect();
    // Room for as many rows as the file can hold (at least 16 bytes a row):
    // reserved, not touched, so it costs no memory until filled.
    let capacite = (lecteur.taille / 16).clamp(1024, 200_000_000) as usize;
    let copie = options.controles.is_some() && source == Source::Suivis;
    let mut colonnes: Vec<ColonneLue> = specs
        .into_iter()
        .map(|s| ColonneLue::new(s, &lecteur.entetes_bruts, capacite, copie, etat))
        .collect();
    let mut tests = Contient::pour(contient, &lecteur, capacite);
    garde.garder_aussi(&lecteur, &colonnes.iter().filter_map(|c| c.index).collect());
    let controles = options.controles.as_ref().map(|bornes| {
        Controles::new(
            source,
            bornes,
            &lecteur,
            options.vocabulaire,
            personnes,
            &mut etat.vues,
            etat.journal_facultatif && super::classeur::est_journal(&lecteur.affiche),
        )
    });
    let mut typage = Typage {
        affiche: &affiche,
        courtes: options.reglages.dates_courtes,
        vocabulaire: options.vocabulaire,
        annees: BTreeSet::new(),
        garde,
        controles,
    };

    if let Some(r) = &mut etat.recoupement {
        r.commencer(&lecteur);
    }
    let mut erreurs_lecture: Vec<Probleme> = Vec::new();
    let n = lots::par_lots(
        &mut lecteur,
        barre,
        options.suivi,
        &mut erreurs_lecture,
        |lot| {
            for e in lot {
                for c in colonnes.iter_mut() {
                    c.lire(e, &mut typage, f);
                }
                for test in tests.values_mut() {
                    test.lire(e);
                }
                typage.garde.lire(e);
                if let Some(c) = &mut typage.controles {
                    c.controler_ligne(e, f);
                }
                if let Some(r) = &mut etat.recoupement {
                    r.lire(e);
                }
            }
        },
    );
    for p in erreurs_lecture {
        f.erreur(p);
    }
    let Typage {
        annees,
        garde,
        controles,
        ..
    } = typage;
    garde.signaler(&annees, f);
    if let Some(r) = &mut etat.recoupement {
        r.finir(affiche.clone());
    }
    if let Some(controles) = controles {
        let dates = |nom: &str| colonnes.iter().find(|c| c.nom == nom)?.dates();
        controles.controler_fichier(&lecteur, (dates("ouverture"), dates("cloture")), f);
    }

    // The typed columns, and the dictionaries handed back for the next file.
    let mut typees = Vec::with_capacity(colonnes.len());
    for c in colonnes {
        typees.push(c.finir(etat));
    }
    for test in tests.into_values() {
        typees.extend(test.finir());
    }
    let fichier = Fichier {
        nom: affiche.clone(),
        annees,
        manquantes,
        inconnues,
    };
    if f.a_des_erreurs() {
        return Some((DataFrame::empty(), fichier));
    }
    match DataFrame::new(n, typees) {
        Ok(t) => Some((t, fichier)),
        Err(e) => {
            f.erreur(Probleme::new(&affiche, format!("erreur interne : {e}")));
            None
        }
    }
}

/// The columns to read: the contract's, then the model's. `None`, with an
/// error for each, when the file lacks a column the contract requires.
fn a_lire(
    source: Source,
    lecteur: &Lecteur,
    options: &Options,
    f: &mut Signaleur,
) -> Option<Vec<Spec>> {
    let mut specs: Vec<Spec> = Vec::new();
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
                Probleme::new(&lecteur.affiche, format!("la colonne « {nom} » manque"))
                    .ligne(lecteur.ligne_entete)
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
                        lecteur.entetes_bruts.join(", ")
                    )),
            );
        }
        specs.push((nom.to_string(), genre, index));
    }
    if !complet {
        return None;
    }
    let vides = BTreeSet::new();
    let colonnes = options.besoins.colonnes.get(&source).unwrap_or(&vides);
    let numeriques = options.besoins.numeriques.get(&source).unwrap_or(&vides);
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
    Some(specs)
}
