//! The journal to fill in: a workbook made from the model, for the
//! associations that keep their activity in a spreadsheet. One sheet per
//! source the model uses, named as the source (`activites`, `suivis`,
//! `indicateurs`: [`Source::nom`]), its header on row 1 (the contract's
//! columns, then the extra columns the model reads), after a « Mode
//! d'emploi » sheet that reading ignores. Filled in and saved in `donnees/`
//! as `journal-ANNEE.xlsx`, it is read as the exports are.
//!
//! [`Journal::du_modele`] describes it (sheets, columns, allowed values), as
//! data the tests can read; [`classeur`] lays it out as XLSX bytes (lists,
//! date and number formats, header frozen); `output` writes them.

mod classeur;
mod mode_d_emploi;

use std::collections::{BTreeMap, BTreeSet};

use crate::exports::Source;
use crate::exports::contrat::{COLONNE_PUBLIC, Genre, PUBLICS};
use crate::fr::normalise;
use crate::model::{Filtre, ModeleDeclare};

pub use classeur::classeur;

/// The name of the sheet that explains the journal, first in the workbook,
/// never read as an export.
pub const MODE_D_EMPLOI: &str = "Mode d'emploi";

/// The journal of one year, as the model asks for it.
#[derive(Debug, Clone)]
pub struct Journal {
    /// The year its dates must be in.
    pub annee: i32,
    /// The association, as the model names it.
    pub association: String,
    /// One sheet per source the model uses, in the contract's order.
    pub feuilles: Vec<Feuille>,
}

/// The sheet of one source.
#[derive(Debug, Clone)]
pub struct Feuille {
    pub source: Source,
    /// In the order of the header: the contract's, then the model's extra columns.
    pub colonnes: Vec<Colonne>,
}

/// One column of a sheet.
#[derive(Debug, Clone)]
pub struct Colonne {
    /// Its header, as reading expects it.
    pub nom: String,
    /// What a cell holds.
    pub saisie: Saisie,
    /// Whether an empty cell is an error when the journal is read.
    pub requise: bool,
    /// The values the model tests or declares, sorted (the publics in the
    /// contract's order); empty when the column takes no list.
    pub valeurs: Vec<Permise>,
    /// The labels of the indicators that sum it (a number column).
    pub sommee_par: Vec<String>,
    /// Whether the indicators summing it are amounts in euros.
    pub euros: bool,
}

/// What a cell of a column holds, hence its format and its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saisie {
    /// A date, from `debut` to `fin` when they are given.
    Date {
        debut: Option<time::Date>,
        fin: Option<time::Date>,
    },
    /// One value of the list; `fermee`: reading refuses any other
    /// (`public`), otherwise another value is read but counted by nothing.
    Liste { fermee: bool },
    /// Values of the list separated by `|` (`themes`): no dropdown can write that.
    Plusieurs,
    /// A person's pseudonymous code, never a name.
    Code,
    /// How many times the row counts: an integer from 1, empty for 1.
    Quantite,
    /// The journal's year.
    Annee,
    /// A number.
    Nombre,
}

/// A value a column may take, and what counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permise {
    /// As the model first writes it, in lower case (`afrique subsaharienne`,
    /// not its normalised key `afrique_subsaharienne`): what the coordinator picks.
    pub valeur: String,
    /// The labels of the indicators that test it, and the groups of the
    /// breakdowns that hold it (« groupe « Femmes » »).
    pub usages: Vec<String>,
}

impl Journal {
    /// The journal of `annee` for `modele`: a sheet for each source its
    /// figures (those of the funders' breakdowns included) read.
    pub fn du_modele(modele: &ModeleDeclare, annee: i32) -> Journal {
        let besoins = modele.besoins();
        let feuilles = Source::TOUTES
            .into_iter()
            .filter(|s| besoins.sources.contains(s))
            .map(|source| feuille(modele, &besoins, source, annee))
            .collect();
        Journal {
            annee,
            association: modele.association.nom.clone(),
            feuilles,
        }
    }

    /// The header of each sheet, by sheet name: what a test filling the
    /// journal writes on row 1.
    pub fn entetes(&self) -> Vec<(&'static str, Vec<&str>)> {
        self.feuilles
            .iter()
            .map(|f| (f.source.nom(), f.entetes()))
            .collect()
    }

    /// The sheet of `source`, if the model uses it.
    pub fn feuille(&self, source: Source) -> Option<&Feuille> {
        self.feuilles.iter().find(|f| f.source == source)
    }
}

impl Feuille {
    /// Its name in the workbook: the source's.
    pub fn nom(&self) -> &'static str {
        self.source.nom()
    }

    /// Its header, in order.
    pub fn entetes(&self) -> Vec<&str> {
        self.colonnes.iter().map(|c| c.nom.as_str()).collect()
    }

    /// The column `nom`, if the sheet has it.
    pub fn colonne(&self, nom: &str) -> Option<&Colonne> {
        self.colonnes.iter().find(|c| c.nom == nom)
    }
}

/// The sheet of `source`: the contract's columns, then the model's extras.
fn feuille(
    modele: &ModeleDeclare,
    besoins: &crate::exports::Besoins,
    source: Source,
    annee: i32,
) -> Feuille {
    let vides = BTreeSet::new();
    let extras = besoins.colonnes.get(&source).unwrap_or(&vides);
    let numeriques = besoins.numeriques.get(&source).unwrap_or(&vides);
    let contient: BTreeSet<&str> = besoins
        .contient
        .get(&source)
        .into_iter()
        .flatten()
        .map(|(c, _)| c.as_str())
        .collect();
    let mut valeurs = valeurs_de(modele, besoins, source);
    let (sommes, euros) = sommes_de(modele, source);
    let mut colonne = |nom: &str, saisie: Saisie, requise: bool| {
        let valeurs = match saisie {
            Saisie::Liste { .. } | Saisie::Plusieurs => valeurs.remove(nom).unwrap_or_default(),
            _ => Vec::new(),
        };
        let sommee_par: Vec<String> = sommes.get(nom).cloned().unwrap_or_default();
        Colonne {
            nom: nom.to_string(),
            saisie,
            requise,
            valeurs,
            euros: !sommee_par.is_empty() && euros.contains(nom),
            sommee_par,
        }
    };
    let debut = time::Date::from_ordinal_date(annee, 1).ok();
    let fin = time::Date::from_calendar_date(annee, time::Month::December, 31).ok();
    let mut colonnes = Vec::new();
    for c in source.colonnes() {
        let (saisie, requise) = match c.genre {
            // A case of the year may have been opened before it, and closed
            // after it: only its action's date must be in the year.
            Genre::Date { requise } => {
                let bornes = match c.nom {
                    "ouverture" => Saisie::Date { debut: None, fin },
                    "cloture" => Saisie::Date { debut, fin: None },
                    _ => Saisie::Date { debut, fin },
                };
                (bornes, requise)
            }
            Genre::Texte { requis } => (Saisie::Liste { fermee: false }, requis),
            Genre::Public => (Saisie::Liste { fermee: true }, false),
            Genre::Code => (Saisie::Code, false),
            Genre::Themes => (Saisie::Plusieurs, false),
            Genre::Quantite => (Saisie::Quantite, false),
            Genre::Annee => (Saisie::Annee, true),
            Genre::Nombre { requis } => (Saisie::Nombre, requis),
        };
        colonnes.push(colonne(c.nom, saisie, requise));
    }
    let autres: BTreeSet<&String> = extras.iter().chain(numeriques).collect();
    for nom in autres {
        let saisie = if numeriques.contains(nom) {
            Saisie::Nombre
        } else if contient.contains(nom.as_str()) {
            Saisie::Plusieurs
        } else {
            Saisie::Liste { fermee: false }
        };
        colonnes.push(colonne(nom.as_str(), saisie, false));
    }
    Feuille { source, colonnes }
}

/// The values of each column of `source` that the model's figures test,
/// that its breakdowns group, or that its vocabulary declares, with what
/// uses them: column → values, sorted (the publics in the contract's order).
fn valeurs_de(
    modele: &ModeleDeclare,
    besoins: &crate::exports::Besoins,
    source: Source,
) -> BTreeMap<String, Vec<Permise>> {
    // Column → normalised value → (its first spelling in lower case, its uses).
    type Valeurs = BTreeMap<String, (String, BTreeSet<String>)>;
    let mut par_colonne: BTreeMap<String, Valeurs> = BTreeMap::new();
    let mut ajouter = |colonne: &str, valeur: &str, usage: Option<String>| {
        let (_, usages) = par_colonne
            .entry(normalise(colonne))
            .or_default()
            .entry(normalise(valeur))
            .or_insert_with(|| (valeur.trim().to_lowercase(), BTreeSet::new()));
        usages.extend(usage);
    };
    for (_, ind, ventilation) in modele.figures_demandees() {
        if ind.source != source {
            continue;
        }
        for (colonne, filtre) in ind.filtres.iter().chain(&ind.condition) {
            let valeurs = match filtre {
                Filtre::Egal(v) => vec![v],
                Filtre::UnDe(v) => v.iter().collect(),
                Filtre::Contient { contient } => vec![contient],
            };
            for v in valeurs {
                ajouter(colonne, v, Some(ind.libelle.clone()));
            }
        }
        if let Some(v) = ventilation.and_then(|v| modele.ventilations.get(v)) {
            for g in &v.groupes {
                for valeur in &g.valeurs {
                    ajouter(
                        &v.colonne,
                        valeur,
                        Some(format!("groupe « {} »", g.libelle)),
                    );
                }
            }
        }
    }
    if source.a_colonne(COLONNE_PUBLIC) {
        for p in PUBLICS {
            ajouter(COLONNE_PUBLIC, p.valeur, None);
        }
    }
    // The vocabulary's values, for the columns this sheet has.
    let lues = |c: &str| {
        source.a_colonne(c) || besoins.colonnes.get(&source).is_some_and(|s| s.contains(c))
    };
    for (colonne, valeurs) in &modele.vocabulaire {
        if lues(&normalise(colonne)) {
            for v in valeurs.keys() {
                ajouter(colonne, v, None);
            }
        }
    }
    par_colonne
        .into_iter()
        .map(|(colonne, valeurs)| {
            let mut liste: Vec<Permise> = valeurs
                .into_iter()
                .map(|(_, (valeur, usages))| Permise {
                    valeur,
                    usages: usages.into_iter().collect(),
                })
                .collect();
            if colonne == COLONNE_PUBLIC {
                let rang = |v: &str| PUBLICS.iter().position(|p| p.valeur == v);
                liste.sort_by_key(|p| (rang(&p.valeur).unwrap_or(usize::MAX), p.valeur.clone()));
            }
            (colonne, liste)
        })
        .collect()
}

/// The labels of the indicators of `source` that sum each column, and the
/// columns they sum in euros.
fn sommes_de(
    modele: &ModeleDeclare,
    source: Source,
) -> (BTreeMap<String, Vec<String>>, BTreeSet<String>) {
    let mut sommes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut euros = BTreeSet::new();
    for ind in modele.indicateurs.values() {
        if ind.source != source || ind.mesure != crate::model::Mesure::Somme {
            continue;
        }
        let colonne = normalise(ind.colonne_somme());
        if ind.unite.as_deref().is_some_and(|u| u.trim() == "€") {
            euros.insert(colonne.clone());
        }
        let libelles = sommes.entry(colonne).or_default();
        if !libelles.contains(&ind.libelle) {
            libelles.push(ind.libelle.clone());
        }
    }
    (sommes, euros)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modele(texte: &str) -> ModeleDeclare {
        toml::from_str(texte).unwrap()
    }

    const MINIMAL: &str = r#"
        [association]
        nom = "A"
        [ventilations.lieu]
        colonne = "lieu"
        groupes = [{ libelle = "Dehors", valeurs = ["Rue", "parc"] }]
        [indicateurs.contacts]
        libelle = "Contacts"
        source = "activites"
        filtres = { action = "contact", themes = { contient = "sante" } }
        mesure = "somme"
        ventilation = "lieu"
        [indicateurs.dons]
        libelle = "Dons"
        source = "activites"
        filtres = { action = ["don", "aide"] }
        mesure = "somme"
        colonne = "montant"
        unite = "€"
        [vocabulaire.action]
        maraude = ["tournée"]
        [[sections]]
        titre = "S"
        elements = []
    "#;

    #[test]
    fn only_the_sources_the_model_reads_get_a_sheet_with_its_extra_columns_after_the_contract() {
        let j = Journal::du_modele(&modele(MINIMAL), 2025);
        let entetes = j.entetes();
        assert_eq!(entetes.len(), 1);
        assert_eq!(
            entetes[0],
            (
                "activites",
                vec![
                    "date",
                    "action",
                    "programme",
                    "public",
                    "personne",
                    "themes",
                    "quantite",
                    "lieu",
                    "montant"
                ]
            )
        );
        let f = j.feuille(Source::Activites).unwrap();
        assert_eq!(
            f.colonne("lieu").unwrap().saisie,
            Saisie::Liste { fermee: false }
        );
        let montant = f.colonne("montant").unwrap();
        assert_eq!(montant.saisie, Saisie::Nombre);
        assert!(montant.euros);
        assert_eq!(montant.sommee_par, ["Dons"]);
    }

    #[test]
    fn the_lists_hold_the_values_filters_test_breakdowns_group_and_the_vocabulary_declares() {
        let j = Journal::du_modele(&modele(MINIMAL), 2025);
        let f = j.feuille(Source::Activites).unwrap();
        let valeurs = |c: &str| -> Vec<String> {
            f.colonne(c)
                .unwrap()
                .valeurs
                .iter()
                .map(|p| p.valeur.clone())
                .collect()
        };
        assert_eq!(valeurs("action"), ["aide", "contact", "don", "maraude"]);
        assert_eq!(valeurs("lieu"), ["parc", "rue"]);
        assert_eq!(valeurs("public"), ["femme", "trans", "homme"]);
        assert_eq!(valeurs("themes"), ["sante"]);
        assert!(valeurs("programme").is_empty());
        let contact = &f.colonne("action").unwrap().valeurs[1];
        assert_eq!(contact.usages, ["Contacts"]);
        let rue = &f.colonne("lieu").unwrap().valeurs[1];
        assert_eq!(rue.usages, ["groupe « Dehors »"]);
    }

    #[test]
    fn an_action_date_must_be_in_the_year_a_case_may_open_before_and_close_after() {
        let mut m = modele(MINIMAL);
        let suivis: crate::model::Indicateur = toml::from_str(
            r#"
            libelle = "Suivis"
            source = "suivis"
            mesure = "lignes"
            "#,
        )
        .unwrap();
        m.indicateurs.insert("suivis".into(), suivis);
        let j = Journal::du_modele(&m, 2025);
        let jour = |mois, j| time::Date::from_calendar_date(2025, mois, j).ok();
        let (debut, fin) = (
            jour(time::Month::January, 1),
            jour(time::Month::December, 31),
        );
        let saisie = |s, c: &str| j.feuille(s).unwrap().colonne(c).unwrap().saisie;
        assert_eq!(
            saisie(Source::Activites, "date"),
            Saisie::Date { debut, fin }
        );
        assert_eq!(
            saisie(Source::Suivis, "ouverture"),
            Saisie::Date { debut: None, fin }
        );
        assert_eq!(
            saisie(Source::Suivis, "cloture"),
            Saisie::Date { debut, fin: None }
        );
        assert!(j.feuille(Source::Indicateurs).is_none());
    }
}
