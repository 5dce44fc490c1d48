//! Stage 5, between the figures and every renderer: which figures may be
//! published. Every figure any output of the project can show for the
//! years of a report (its tables, charts and texts, each funder's extract,
//! the comparisons, the numerators and denominators of shares) is decided
//! here, once, over the linked system of the figures that share rows; the
//! commands all call [`publier`] and print what it gives.

pub mod lacunes;
mod methode;

pub use methode::{methode, sources};
pub mod suppression;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};

use crate::error::Resultat;
use crate::exports::Exports;
use crate::figures::{self, Figures, Valeur};
use crate::model::{CleFigure, Modele, Regle, releve};
use crate::suivi::{Etape, Suivi};
use suppression::{Case, Etat, Marque};

/// The figures as every output may print them, and what was hidden.
pub struct Publication {
    /// The figures with hidden cells replaced by their marks.
    pub figures: Figures,
    /// The figures before the secret: only for `check`'s warnings on texts
    /// (a number typed by hand that equals a hidden one).
    pub brutes: Figures,
    /// Every hidden cell.
    pub masquees: Vec<Masquee>,
    /// Warnings: hidden cells that an earlier report published, or that a
    /// changed definition no longer keeps hidden.
    pub avertissements: Vec<String>,
    /// The figures that are « n.d. » because of the data, grouped by why.
    pub lacunes: Vec<lacunes::Lacune>,
}

/// A hidden cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Masquee {
    pub cle: CleFigure,
    pub annee: i32,
    /// `None`: the total; else the group.
    pub groupe: Option<usize>,
    pub marque: Marque,
    /// Its value before the secret (counts; for a share, its numerator).
    pub valeur: f64,
}

/// The years whose figures a command publishing `demandees` decides
/// together: those and the years the report of the last one shows, so that
/// `build`, `extract` and `compare` give one pattern for one year.
pub fn annees(modele: &Modele, demandees: &[i32]) -> Vec<i32> {
    let derniere = demandees.iter().copied().max().unwrap_or(0);
    let mut a: BTreeSet<i32> = figures::annees_du_rapport(modele, derniere)
        .into_iter()
        .collect();
    a.extend(demandees.iter().copied());
    a.into_iter().collect()
}

/// The threshold of the figures of indicator `id`, if it counts people: the project's, raised
/// by the `seuil` of any funder whose extract shows its indicator (that one
/// applies even when the project turns the secret off, and wherever the
/// indicator appears: the report and the extract share their totals).
pub fn seuil(modele: &Modele, id: &str) -> Option<u32> {
    if !modele.indicateurs[id].compte_des_personnes() {
        return None;
    }
    let projet = match modele.regle() {
        Regle::Seuil(k) => Some(k),
        Regle::Desactivee => None,
    };
    let financeurs = modele
        .financeurs
        .values()
        .filter(|f| {
            f.tableaux.iter().flat_map(|t| &t.lignes).any(|l| {
                let (i, _, _) = l.details(modele);
                i == id
            })
        })
        .filter_map(|f| f.seuil);
    projet.into_iter().chain(financeurs).max()
}

/// Whether any threshold applies anywhere in the model.
fn secret_actif(modele: &Modele) -> bool {
    matches!(modele.regle(), Regle::Seuil(_))
        || modele.financeurs.values().any(|f| f.seuil.is_some())
}

/// Computes the figures of `annees` (see [`annees`]) and decides the secret
/// over all of them. `sortie` is the output folder: the patterns recorded by
/// earlier builds there (of other years than `annee_construite`) are kept.
pub fn publier(
    modele: &Modele,
    exports: &Exports,
    annees: &[i32],
    sortie: Option<&Path>,
    annee_construite: Option<i32>,
    suivi: &Suivi,
) -> Resultat<Publication> {
    let actif = secret_actif(modele);
    let brutes = figures::calculer_avec(modele, exports, annees, actif, suivi)?;
    let _e = suivi.etape(Etape::Secret);
    let mut figures = brutes.copie();
    let mut masquees = Vec::new();
    let mut avertissements = Vec::new();
    let anterieurs = match sortie {
        Some(s) if actif => motifs_anterieurs(modele, s, annee_construite, &mut avertissements),
        _ => BTreeMap::new(),
    };
    for liens in &brutes.liens {
        for (f, _) in liens.familles.iter().enumerate() {
            let atomes = &liens.valeurs[f];
            let somme = |a: &[u32]| a.iter().map(|&i| atomes[i as usize]).sum::<f64>();
            let mut cases = Vec::new();
            let mut places = Vec::new();
            for c in liens.cases.iter().filter(|c| c.famille == f) {
                let chiffre = brutes.chiffre(&c.cle, c.annee);
                let v = match c.groupe {
                    None => chiffre.total,
                    Some(g) => chiffre.groupes[g],
                };
                let (comptes, reelles) = match (v, &c.numerateur) {
                    (Valeur::Nombre(x), None) => (vec![c.atomes.clone()], vec![x]),
                    (Valeur::Part { num, den }, Some(n)) => {
                        (vec![n.clone(), c.atomes.clone()], vec![num, den])
                    }
                    _ => continue,
                };
                let valeurs = comptes.iter().map(|a| somme(a)).collect();
                let groupe = c.groupe.map(|g| g.to_string()).unwrap_or_default();
                cases.push(Case {
                    comptes,
                    valeurs,
                    reelles,
                    seuil: seuil(modele, c.cle.indicateur()),
                    etat: anterieurs
                        .get(&(c.cle.clone(), c.annee, c.groupe))
                        .copied()
                        .unwrap_or(Etat::Libre),
                    cle: format!("{}|{groupe}|{}", c.cle, c.annee),
                    virtuelle: false,
                });
                places.push(c);
            }
            // The rows of a total in none of its groups: computable, so protected.
            let mut groupes: BTreeMap<(&CleFigure, i32), Vec<&figures::liens::CaseLiee>> =
                BTreeMap::new();
            for c in liens.cases.iter().filter(|c| c.famille == f) {
                groupes.entry((&c.cle, c.annee)).or_default().push(c);
            }
            for ((cle, annee), membres) in &groupes {
                let Some(total) = membres.iter().find(|c| c.groupe.is_none()) else {
                    continue;
                };
                if membres.len() < 2 {
                    continue;
                }
                let dans: BTreeSet<u32> = membres
                    .iter()
                    .filter(|c| c.groupe.is_some())
                    .flat_map(|c| c.atomes.iter().copied())
                    .collect();
                let hors = |a: &[u32]| -> Vec<u32> {
                    a.iter().copied().filter(|x| !dans.contains(x)).collect()
                };
                let den = hors(&total.atomes);
                if den.is_empty() {
                    continue;
                }
                let comptes = match &total.numerateur {
                    Some(n) => vec![hors(n), den],
                    None => vec![den],
                };
                let valeurs: Vec<f64> = comptes.iter().map(|a| somme(a)).collect();
                cases.push(Case {
                    comptes,
                    reelles: valeurs.clone(),
                    valeurs,
                    seuil: seuil(modele, cle.indicateur()),
                    etat: Etat::Libre,
                    cle: format!("{cle}|reste|{annee}"),
                    virtuelle: true,
                });
            }
            // The people already known among a figure of new people: the
            // file active minus the new, computable when both are published,
            // so protected like a cell (see `figures::liens::CaseLiee::connues`).
            for c in liens.cases.iter().filter(|c| c.famille == f) {
                let Some((atomes_connus, reelle)) = &c.connues else {
                    continue;
                };
                let chiffre = brutes.chiffre(&c.cle, c.annee);
                let v = match c.groupe {
                    None => chiffre.total,
                    Some(g) => chiffre.groupes[g],
                };
                if atomes_connus.is_empty() || !matches!(v, Valeur::Nombre(_)) {
                    continue;
                }
                let groupe = c.groupe.map(|g| g.to_string()).unwrap_or_default();
                cases.push(Case {
                    comptes: vec![atomes_connus.clone()],
                    valeurs: vec![somme(atomes_connus)],
                    reelles: vec![*reelle],
                    seuil: seuil(modele, c.cle.indicateur()),
                    etat: Etat::Libre,
                    cle: format!("{}|{groupe}|connues|{}", c.cle, c.annee),
                    virtuelle: true,
                });
            }
            // One threshold per linked system: a funder's stricter one spreads
            // to every count of people that shares rows with its figures, so
            // that no mark under the smaller threshold bounds a cell under
            // the larger one.
            if let Some(k) = cases.iter().filter_map(|c| c.seuil).max() {
                for c in cases.iter_mut().filter(|c| c.seuil.is_some()) {
                    c.seuil = Some(k);
                }
            }
            let decision = suppression::supprimer(atomes.len(), &cases);
            for (i, m) in decision.marques.iter().enumerate().take(places.len()) {
                let Some(m) = *m else { continue };
                let c = places[i];
                // A primary cell is a count of people under a threshold.
                let v = match (m, cases[i].seuil) {
                    (Marque::Primaire, Some(seuil)) => Valeur::Masque { seuil },
                    _ => Valeur::Protegee,
                };
                figures.remplacer(&c.cle, c.annee, c.groupe, v);
                masquees.push(Masquee {
                    cle: c.cle.clone(),
                    annee: c.annee,
                    groupe: c.groupe,
                    marque: m,
                    valeur: cases[i].reelles[0],
                });
            }
            for &i in &decision.compromises {
                let c = places[i];
                avertissements.push(format!(
                    "« {} » ({}{}) : case publiée par un rapport précédent et masquée ici pour protéger une autre case ; rapprochées, les deux publications pourraient la trahir. Ne republiez pas l'ancienne valeur.",
                    modele.indicateurs[c.cle.indicateur()].libelle,
                    c.annee,
                    libelle_groupe(modele, &c.cle, c.groupe)
                        .map(|g| format!(", {g}"))
                        .unwrap_or_default()
                ));
            }
        }
    }
    masquees.sort_by(|a, b| (&a.cle, a.annee, a.groupe).cmp(&(&b.cle, b.annee, b.groupe)));
    Ok(Publication {
        lacunes: lacunes::lacunes(modele, &figures),
        figures,
        brutes,
        masquees,
        avertissements,
    })
}

/// The figures the report of `annee` shows, as published: the secret
/// decided over every figure of its years (see [`crate::publication`]);
/// `sortie`, if given, holds the patterns of earlier builds.
pub fn publier_rapport(
    modele: &Modele,
    exports: &Exports,
    annee: i32,
    sortie: Option<&Path>,
    suivi: &Suivi,
) -> Resultat<Publication> {
    lacunes::verifier_annee(exports, annee)?;
    let annees = annees(modele, &[annee]);
    publier(modele, exports, &annees, sortie, Some(annee), suivi)
}

/// The label of group `groupe` of figure `cle`, if it is a group.
pub fn libelle_groupe(modele: &Modele, cle: &CleFigure, groupe: Option<usize>) -> Option<String> {
    let v = cle.ventilation(modele)?;
    Some(modele.ventilations[v].groupes[groupe?].libelle.clone())
}

impl Publication {
    /// Prints its warnings on standard error.
    pub fn signaler(&self) {
        for a in &self.avertissements {
            crate::signaler!("avertissement : {a}");
        }
        for l in &self.lacunes {
            // The new people of the exports' first year, before the
            // report's: a state of the data, not something to fix.
            if matches!(
                l.raison,
                crate::exports::Indisponible::SansAnneePrecedente { .. }
            ) && !l.annees.contains(&self.figures.annee)
            {
                continue;
            }
            crate::signaler!("avertissement : {}", l.probleme());
        }
    }

    /// The pattern as the record of a build keeps it (`definitions-ANNEE.json`).
    pub fn motif(&self, modele: &Modele, annees: &[i32]) -> Value {
        json!({
            "annees": annees,
            "masquees": self.masquees.iter().map(|m| json!({
                "figure": m.cle.to_string(),
                "annee": m.annee,
                "groupe": libelle_groupe(modele, &m.cle, m.groupe),
                "marque": match m.marque { Marque::Primaire => "petit effectif", Marque::Secondaire => "protection" },
            })).collect::<Vec<_>>(),
        })
    }

    /// Whether the cell is hidden.
    pub fn est_masquee(&self, cle: &CleFigure, annee: i32, groupe: Option<usize>) -> bool {
        self.masquees
            .iter()
            .any(|m| m.cle == *cle && m.annee == annee && m.groupe == groupe)
    }
}

/// The cells the records in `sortie` (of other years than `exclue`)
/// published or hid, for the figures whose definition has not changed.
fn motifs_anterieurs(
    modele: &Modele,
    sortie: &Path,
    exclue: Option<i32>,
    avertissements: &mut Vec<String>,
) -> BTreeMap<(CleFigure, i32, Option<usize>), Etat> {
    let mut etats = BTreeMap::new();
    let Ok(entrees) = std::fs::read_dir(sortie) else {
        return etats;
    };
    let mut annees: Vec<i32> = entrees
        .filter_map(|e| {
            let nom = e.ok()?.file_name().into_string().ok()?;
            crate::output::noms::annee_du_releve(&nom)
        })
        .filter(|a| Some(*a) != exclue)
        .collect();
    annees.sort();
    for a in annees {
        let Some(r) = releve::lire(sortie, a) else {
            continue;
        };
        let Some(secret) = &r.secret else { continue };
        let modifies: BTreeSet<String> = releve::modifies(modele, &r).into_iter().collect();
        let annees_motif: BTreeSet<i64> = secret
            .get("annees")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        let mut masquees = BTreeSet::new();
        for m in secret
            .get("masquees")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(cle), Some(annee)) = (
                m.get("figure").and_then(Value::as_str).map(CleFigure::lire),
                m.get("annee").and_then(Value::as_i64),
            ) else {
                continue;
            };
            let Some(ind) = modele.indicateurs.get(cle.indicateur()) else {
                continue;
            };
            if modifies.contains(cle.indicateur()) {
                avertissements.push(format!(
                    "« {} » {annee} était masqué dans le rapport {a} ; sa définition a changé depuis : si le nouveau chiffre est publié, rapproché de l'ancien rapport, il peut trahir un petit effectif.",
                    ind.libelle
                ));
                continue;
            }
            let groupe = match m.get("groupe").and_then(Value::as_str) {
                None => None,
                Some(g) => {
                    let Some(i) = cle.ventilation(modele).and_then(|v| {
                        modele.ventilations[v]
                            .groupes
                            .iter()
                            .position(|x| x.libelle == g)
                    }) else {
                        continue;
                    };
                    Some(i)
                }
            };
            masquees.insert((cle, annee as i32, groupe));
        }
        // What that build published: every other cell of its years.
        for (cle, _, _) in modele.figures_demandees() {
            if modifies.contains(cle.indicateur()) {
                continue;
            }
            let n = cle
                .ventilation(modele)
                .map_or(0, |v| modele.ventilations[v].groupes.len());
            for &annee in &annees_motif {
                for g in std::iter::once(None).chain((0..n).map(Some)) {
                    let k = (cle.clone(), annee as i32, g);
                    let etat = if masquees.contains(&k) {
                        Etat::Masquee
                    } else {
                        Etat::Publiee
                    };
                    // Hidden once, hidden for good.
                    if etats.get(&k) != Some(&Etat::Masquee) {
                        etats.insert(k, etat);
                    }
                }
            }
        }
    }
    etats
}

/// The sentence of the method note on the secret, for every output.
pub fn explication(modele: &Modele) -> String {
    let financeurs: Vec<String> = modele
        .financeurs
        .values()
        .filter_map(|f| {
            f.seuil
                .map(|s| format!("{} ({s})", f.sigle.as_deref().unwrap_or(&f.nom)))
        })
        .collect();
    let mut e = modele.regle().explication();
    if !financeurs.is_empty() {
        e.push_str(&format!(
            " Seuil plus strict demandé par {} : il s'applique à leurs chiffres partout où ils paraissent.",
            financeurs.join(", ")
        ));
    }
    e
}

/// The name of the notice written beside the outputs when the project turns
/// the secret off.
pub const AVIS_DESACTIVE: &str = "SECRET-STATISTIQUE-DESACTIVE.txt";

/// The sentence every output of a figure of people says when the secret is
/// off for it.
pub const PHRASE_DESACTIVE: &str =
    "secret statistique désactivé dans le modèle : les petits effectifs sont publiés tels quels";

/// Whether the figures of indicator `id` count people and no threshold
/// protects them (the project turned the secret off and no funder asks for one).
pub fn sans_secret(modele: &Modele, id: &str) -> bool {
    modele.indicateurs[id].compte_des_personnes() && seuil(modele, id).is_none()
}

/// The notice file (name, bytes) that goes beside the outputs when the
/// project turns the secret off, so that CSV and SVG files read alone say it.
pub fn avis_desactive(modele: &Modele) -> Option<(&'static str, Vec<u8>)> {
    (modele.regle() == Regle::Desactivee).then(|| {
        (
            AVIS_DESACTIVE,
            format!(
                "{} — {}\n\n{}\n\nLes tableaux CSV, les graphiques SVG, les comparaisons et les extraits de ce dossier publient donc des effectifs de personnes de 1 à 4, qui peuvent permettre de reconnaître quelqu'un. Pour les masquer, retirez desactivee = true de [confidentialite] dans rapport.toml et reconstruisez.\n",
                modele.association.nom,
                PHRASE_DESACTIVE,
                modele.regle().explication()
            )
            .into_bytes(),
        )
    })
}

/// `svg` with a description saying the secret is off, when it is.
pub fn svg_avec_avis(modele: &Modele, svg: String) -> String {
    if modele.regle() != Regle::Desactivee {
        return svg;
    }
    match svg
        .find("<svg")
        .and_then(|d| svg[d..].find('>').map(|f| d + f + 1))
    {
        Some(i) => format!(
            "{}<desc>{}</desc>{}",
            &svg[..i],
            PHRASE_DESACTIVE,
            &svg[i..]
        ),
        None => svg,
    }
}
