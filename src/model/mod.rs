//! Stage 2: the report model, declared by the project in `rapport.toml`.
//!
//! Everything a report shows is declared here as data: indicators (source,
//! filters, measure, period, breakdown), tables, charts and sections. The
//! engine in `figures` compiles it; no table needs Rust code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Constats, Erreur, Probleme, Resultat};
use crate::exports::{Besoins, Source, contrat};
use crate::fr::{cle, normalise};

pub mod regle;
pub mod releve;

pub use regle::Regle;

/// The model file's name in a project.
pub const FICHIER: &str = "rapport.toml";

/// Where a section's title is written, as messages name it.
pub fn lieu_section() -> PathBuf {
    PathBuf::from("rapport.toml [[sections]]")
}

/// Where table `id` is declared, as messages name it.
pub fn lieu_tableau(id: &str) -> PathBuf {
    PathBuf::from(format!("rapport.toml [tableaux.{id}]"))
}

/// Where chart `id` is declared, as messages name it.
pub fn lieu_graphique(id: &str) -> PathBuf {
    PathBuf::from(format!("rapport.toml [graphiques.{id}]"))
}

/// The years an export, the command line or a model may name.
pub const ANNEES_POSSIBLES: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The whole model, as declared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Modele {
    pub association: Association,
    #[serde(default)]
    pub rapport: Rapport,
    #[serde(default)]
    pub ventilations: BTreeMap<String, Ventilation>,
    pub indicateurs: BTreeMap<String, Indicateur>,
    #[serde(default)]
    pub tableaux: BTreeMap<String, Tableau>,
    #[serde(default)]
    pub graphiques: BTreeMap<String, Graphique>,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub financeurs: BTreeMap<String, Financeur>,
    #[serde(default)]
    pub confidentialite: Confidentialite,
    /// How the project's exports differ from the contract (headers, ignored columns, short dates).
    #[serde(default)]
    pub exports: crate::exports::Reglages,
    /// Spellings of category values: column → value → spellings (`[vocabulaire.public] femme = ["F"]`).
    #[serde(default)]
    pub vocabulaire: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// Who publishes the report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Association {
    pub nom: String,
    #[serde(default)]
    pub ville: Option<String>,
    /// The year the association was founded: no export date can be older.
    #[serde(default)]
    pub creation: Option<i32>,
    /// A PNG, JPEG or SVG file of the project, shown on the cover.
    #[serde(default)]
    pub logo: Option<PathBuf>,
}

/// Document-wide settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rapport {
    /// The cover's title; the year is added below it.
    #[serde(default = "titre_par_defaut")]
    pub titre: String,
    /// The glossary: a CSV file `sigle;definition` of the project.
    #[serde(default)]
    pub glossaire: Option<PathBuf>,
    /// Whether the report's glossary lists every entry of the file, not
    /// only the sigles the report shows.
    #[serde(default)]
    pub glossaire_complet: bool,
    /// The text of the acknowledgements page (Markdown, Tera placeholders).
    #[serde(default)]
    pub remerciements: Option<PathBuf>,
    /// A folder of the project whose `rapport.typ`, `commun.typ`,
    /// `comparaison.typ` or `extrait.typ` replace the embedded templates.
    #[serde(default)]
    pub gabarits: Option<PathBuf>,
    /// The date printed on the documents, a TOML date (`2014-04-15`);
    /// `--date` takes precedence. See [`Modele::date`].
    #[serde(default)]
    pub date: Option<toml::value::Datetime>,
    /// The PDF's subject (and the web page's description); by default
    /// « Rapport d'activité 2013 de l'association … ».
    #[serde(default)]
    pub sujet: Option<String>,
    /// Keywords added to the PDF's and the web page's metadata, after the
    /// title, the year and the association's name.
    #[serde(default)]
    pub mots_cles: Vec<String>,
}

fn titre_par_defaut() -> String {
    "Rapport d'activité".into()
}

impl Default for Rapport {
    fn default() -> Self {
        Rapport {
            titre: titre_par_defaut(),
            glossaire: None,
            glossaire_complet: false,
            remerciements: None,
            gabarits: None,
            date: None,
            sujet: None,
            mots_cles: Vec::new(),
        }
    }
}

/// A breakdown: a column and the groups of its values shown side by side.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ventilation {
    pub colonne: String,
    pub groupes: Vec<Groupe>,
}

impl Ventilation {
    /// For a table whose columns are the groups of this breakdown, where the
    /// groups of `ventilation` fall: (first column, number of columns) for
    /// each group, or `None` unless the groups are runs of neighbouring
    /// columns that tile the table in order.
    pub fn portees(&self, ventilation: &Ventilation) -> Option<Vec<(usize, usize)>> {
        let colonnes = self;
        if normalise(&colonnes.colonne) != normalise(&ventilation.colonne) {
            return None;
        }
        let mut portees = Vec::new();
        for g in &ventilation.groupes {
            let mut valeurs: Vec<String> = g.valeurs.iter().map(|v| normalise(v)).collect();
            valeurs.sort();
            let couvre: Vec<usize> = colonnes
                .groupes
                .iter()
                .enumerate()
                .filter(|(_, c)| c.valeurs.iter().any(|v| valeurs.contains(&normalise(v))))
                .map(|(i, _)| i)
                .collect();
            let (&premiere, &derniere) = (couvre.first()?, couvre.last()?);
            if derniere - premiere + 1 != couvre.len() {
                return None;
            }
            let mut reunies: Vec<String> = couvre
                .iter()
                .flat_map(|&i| colonnes.groupes[i].valeurs.iter().map(|v| normalise(v)))
                .collect();
            reunies.sort();
            if reunies != valeurs {
                return None;
            }
            portees.push((premiere, couvre.len()));
        }
        // The groups must tile the columns, in order, so that cells fall in place.
        let mut suivante = 0;
        for &(debut, n) in &portees {
            if debut != suivante {
                return None;
            }
            suivante += n;
        }
        (suivante == colonnes.groupes.len()).then_some(portees)
    }
}

/// One group of a breakdown: a label and the values it merges.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Groupe {
    pub libelle: String,
    pub valeurs: Vec<String>,
}

impl Groupe {
    /// The key of this group in narrative templates (`femmes_et_trans`).
    pub fn cle(&self) -> String {
        cle(&self.libelle)
    }
}

/// One figure of the report, declared.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicateur {
    pub libelle: String,
    pub source: Source,
    #[serde(default)]
    pub filtres: BTreeMap<String, Filtre>,
    pub mesure: Mesure,
    /// The column summed by `mesure = "somme"` (default `quantite`, or `valeur` for `indicateurs`).
    #[serde(default)]
    pub colonne: Option<String>,
    /// The further condition of `mesure = "part"`.
    #[serde(default)]
    pub condition: BTreeMap<String, Filtre>,
    #[serde(default)]
    pub periode: Option<Periode>,
    /// The name of a breakdown declared in `[ventilations]`.
    #[serde(default)]
    pub ventilation: Option<String>,
    /// `€` for amounts; shown after the value.
    #[serde(default)]
    pub unite: Option<String>,
    /// Whether it counts people, whose small counts are masked; by default,
    /// only `mesure = "personnes"` does.
    #[serde(default)]
    pub confidentiel: Option<bool>,
}

/// A condition on a column.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Filtre {
    /// The column equals this value.
    Egal(String),
    /// The column equals one of these values.
    UnDe(Vec<String>),
    /// The column, a list `a|b|c`, contains this value.
    Contient { contient: String },
}

/// How the matching rows become a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mesure {
    /// Number of rows.
    Lignes,
    /// Sum of a column (`quantite` by default).
    Somme,
    /// Number of distinct `personne` codes.
    Personnes,
    /// Share (%) of the rows that also match `condition`.
    Part,
}

/// Which rows belong to a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Periode {
    /// `date` within the year (actions).
    Evenement,
    /// Case open at any time during the year: `ouverture` ≤ 31/12 and (`cloture` empty or ≥ 01/01).
    Actif,
    /// Case opened within the year.
    Ouverture,
    /// `annee` equals the year (`indicateurs.csv`).
    Annee,
}

/// A table of the report: rows are indicators.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tableau {
    pub titre: String,
    /// `"annees"` for one column per year, or the name of a breakdown whose
    /// groups are the columns; absent: a single column of totals.
    #[serde(default)]
    pub colonnes: Option<String>,
    /// With `colonnes = "annees"`: how many years, ending with the report's.
    #[serde(default = "deux")]
    pub annees: usize,
    /// Adds a "Total" column to a table by breakdown.
    #[serde(default)]
    pub total: bool,
    pub lignes: Vec<Ligne>,
}

fn deux() -> usize {
    2
}

/// A row of a table: an indicator, or a heading over the rows that follow.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Ligne {
    Indicateur(String),
    Intertitre {
        intertitre: String,
    },
    /// An indicator under another label in this table.
    Renommee {
        indicateur: String,
        libelle: String,
    },
}

impl Ligne {
    /// The indicator of the row and the label it is shown under, if the row is one.
    pub fn indicateur<'a>(&'a self, modele: &'a Modele) -> Option<(&'a str, &'a str)> {
        match self {
            Ligne::Indicateur(id) => Some((
                id,
                modele
                    .indicateurs
                    .get(id)
                    .map_or(id.as_str(), |i| &i.libelle),
            )),
            Ligne::Renommee {
                indicateur,
                libelle,
            } => Some((indicateur, libelle)),
            Ligne::Intertitre { .. } => None,
        }
    }
}

/// A chart of the report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Graphique {
    pub titre: String,
    #[serde(rename = "type")]
    pub genre: GenreGraphique,
    pub indicateurs: Vec<String>,
    /// With `type = "annees"`: how many years, ending with the report's.
    #[serde(default = "trois")]
    pub annees: usize,
}

fn trois() -> usize {
    3
}

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenreGraphique {
    /// One bar per group of one indicator, or one bar per indicator.
    Barres,
    /// Indicators along the axis, one bar per group of their common breakdown.
    BarresGroupees,
    /// Years along the axis, one bar per indicator.
    Annees,
}

/// A section of the report, its elements in order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub titre: String,
    #[serde(default)]
    pub elements: Vec<Element>,
}

/// One element of a section.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Element {
    /// A narrative text (Markdown with Tera placeholders), path relative to the project.
    Texte { texte: PathBuf },
    /// A table declared in `[tableaux]`.
    Tableau { tableau: String },
    /// A chart declared in `[graphiques]`.
    Graphique { graphique: String },
}

/// A funder: thanked on the last page, and sent its own extract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Financeur {
    /// The funder's full name.
    pub nom: String,
    #[serde(default)]
    pub sigle: Option<String>,
    /// The agreement's reference.
    #[serde(default)]
    pub convention: Option<String>,
    /// The agreement's period (default: the year of the extract).
    #[serde(default)]
    pub periode: Option<String>,
    /// Its own confidentiality threshold; the stricter of it and the project's applies.
    #[serde(default)]
    pub seuil: Option<u32>,
    /// The formats it wants (default: all three).
    #[serde(default = "tous_les_formats")]
    pub formats: Vec<Format>,
    /// The narrative texts it receives.
    #[serde(default)]
    pub textes: Vec<PathBuf>,
    /// Its tables: indicators in its own words and groupings.
    #[serde(default)]
    pub tableaux: Vec<TableauFinanceur>,
}

/// A format of an extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Xlsx,
    Csv,
}

fn tous_les_formats() -> Vec<Format> {
    vec![Format::Pdf, Format::Xlsx, Format::Csv]
}

/// A table of a funder's extract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableauFinanceur {
    pub titre: String,
    pub lignes: Vec<LigneFinanceur>,
}

/// A row of a funder's table: an indicator, maybe relabelled and regrouped.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum LigneFinanceur {
    Indicateur(String),
    Detail {
        indicateur: String,
        #[serde(default)]
        libelle: Option<String>,
        /// A breakdown of `[ventilations]` in the funder's categories.
        #[serde(default)]
        ventilation: Option<String>,
    },
}

impl LigneFinanceur {
    /// The indicator, the label, and the key of the figure (with its breakdown).
    pub fn details<'a>(&'a self, modele: &'a Modele) -> (&'a str, &'a str, String) {
        match self {
            LigneFinanceur::Indicateur(id) => (
                id,
                modele
                    .indicateurs
                    .get(id)
                    .map_or(id.as_str(), |i| &i.libelle),
                id.clone(),
            ),
            LigneFinanceur::Detail {
                indicateur,
                libelle,
                ventilation,
            } => {
                let l = libelle.as_deref().unwrap_or_else(|| {
                    modele
                        .indicateurs
                        .get(indicateur)
                        .map_or(indicateur.as_str(), |i| &i.libelle)
                });
                let cle = match ventilation {
                    Some(v) => format!("{indicateur}@{v}"),
                    None => indicateur.clone(),
                };
                (indicateur, l, cle)
            }
        }
    }
}

/// Statistical confidentiality settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confidentialite {
    /// k: counts of people from 1 to k−1 are masked. At least 3.
    #[serde(default = "cinq")]
    pub seuil: u32,
    /// Turns masking off; every output then says so.
    #[serde(default)]
    pub desactivee: bool,
}

fn cinq() -> u32 {
    5
}

impl Default for Confidentialite {
    fn default() -> Self {
        Confidentialite {
            seuil: 5,
            desactivee: false,
        }
    }
}

impl Indicateur {
    /// Whether its small counts are masked (statistical confidentiality).
    pub fn compte_des_personnes(&self) -> bool {
        self.confidentiel
            .unwrap_or(self.mesure == Mesure::Personnes)
    }

    /// The period rule, defaulted from the source.
    pub fn periode(&self) -> Periode {
        self.periode.unwrap_or(match self.source {
            Source::Activites => Periode::Evenement,
            Source::Suivis => Periode::Actif,
            Source::Indicateurs => Periode::Annee,
        })
    }

    /// The column summed by `somme`.
    pub fn colonne_somme(&self) -> &str {
        self.colonne.as_deref().unwrap_or(match self.source {
            Source::Indicateurs => "valeur",
            _ => "quantite",
        })
    }
}

impl Modele {
    /// Every title of the report with where it is written: sections, tables,
    /// charts, as `rapport check` and the build name them.
    pub fn titres(&self) -> Vec<(&str, PathBuf)> {
        let mut v: Vec<(&str, PathBuf)> = self
            .sections
            .iter()
            .map(|s| (s.titre.as_str(), lieu_section()))
            .collect();
        v.extend(
            self.tableaux
                .iter()
                .map(|(id, t)| (t.titre.as_str(), lieu_tableau(id))),
        );
        v.extend(
            self.graphiques
                .iter()
                .map(|(id, g)| (g.titre.as_str(), lieu_graphique(id))),
        );
        v
    }

    /// Reads and checks `rapport.toml` of the project folder `projet`.
    pub fn lire(projet: &Path) -> Resultat<Modele> {
        let mut constats = Constats::default();
        let modele = Modele::lire_avec(projet, &mut constats);
        constats.resultat()?;
        modele.ok_or_else(|| Erreur::Interne("modèle non lu".into()))
    }

    /// Reads `rapport.toml` and reports every problem to `constats`; `None`
    /// when it cannot be read or parsed at all.
    pub fn lire_avec(projet: &Path, constats: &mut Constats) -> Option<Modele> {
        let _e = crate::chrono::etape("modèle");
        let chemin = projet.join(FICHIER);
        let texte = match std::fs::read_to_string(&chemin) {
            Ok(t) => t,
            Err(e) => {
                constats.absent(
                    Probleme::new(&chemin, format!("modèle du rapport illisible ({e})")).correction(
                        "lancez la commande dans le dossier du projet, ou indiquez-le avec --projet",
                    ),
                );
                return None;
            }
        };
        let modele: Modele = match toml::from_str(&texte) {
            Ok(m) => m,
            Err(e) => {
                let mut p = Probleme::new(FICHIER, traduire_toml(e.message()))
                    .correction("corrigez le modèle (voir le format dans le README)");
                if let Some(span) = e.span() {
                    p = p.ligne(texte[..span.start].matches('\n').count() + 1);
                }
                constats.erreur(p);
                return None;
            }
        };
        modele.verifier(projet, constats);
        Some(modele)
    }

    fn verifier(&self, projet: &Path, d: &mut Constats) {
        let faux = |cle: String, message: String, correction: String| -> Probleme {
            Probleme::new(FICHIER, message)
                .cle(cle)
                .correction(correction)
        };
        let connus =
            |liste: Vec<&String>| liste.into_iter().cloned().collect::<Vec<_>>().join(", ");
        for (id, v) in &self.ventilations {
            if v.groupes.is_empty() {
                d.erreur(faux(
                    format!("ventilations.{id}"),
                    "la ventilation n'a aucun groupe".into(),
                    "ajoutez au moins un groupe".into(),
                ));
            }
        }
        for (id, ind) in &self.indicateurs {
            let cle = format!("indicateurs.{id}");
            if let Some(v) = &ind.ventilation
                && !self.ventilations.contains_key(v)
            {
                d.erreur(faux(
                    cle.clone(),
                    format!("ventilation « {v} » inconnue"),
                    format!(
                        "déclarez [ventilations.{v}] ou choisissez parmi : {}",
                        connus(self.ventilations.keys().collect())
                    ),
                ));
            }
            let periodes_permises: &[Periode] = match ind.source {
                Source::Activites => &[Periode::Evenement],
                Source::Suivis => &[Periode::Actif, Periode::Ouverture],
                Source::Indicateurs => &[Periode::Annee],
            };
            if !periodes_permises.contains(&ind.periode()) {
                d.erreur(faux(
                    cle.clone(),
                    format!(
                        "la période ne convient pas à la source « {} »",
                        ind.source.nom()
                    ),
                    "activites : evenement ; suivis : actif ou ouverture ; indicateurs : annee"
                        .into(),
                ));
            }
            if ind.mesure == Mesure::Part && ind.condition.is_empty() {
                d.erreur(faux(
                    cle.clone(),
                    "une mesure « part » demande une condition".into(),
                    "ajoutez par exemple condition = { themes = { contient = \"violence\" } }"
                        .into(),
                ));
            }
            if ind.mesure == Mesure::Personnes && ind.confidentiel == Some(false) {
                d.erreur(faux(
                    cle.clone(),
                    "« confidentiel = false » sur un nombre de personnes est refusé : leurs petits effectifs sont toujours protégés par le secret statistique".into(),
                    "retirez cette ligne ; pour publier les petits effectifs de tout le rapport, écrivez desactivee = true dans [confidentialite], ce que chaque sortie dira".into(),
                ));
            }
            if ind.mesure == Mesure::Personnes && ind.source == Source::Indicateurs {
                d.erreur(faux(
                    cle.clone(),
                    "la source « indicateurs » n'a pas de personnes".into(),
                    "utilisez mesure = \"somme\"".into(),
                ));
            }
        }
        let indicateur = |id: &str, ou: &str, d: &mut Constats| -> Option<&Indicateur> {
            let trouve = self.indicateurs.get(id);
            if trouve.is_none() {
                let proche = crate::fr::plus_proche(id, self.indicateurs.keys())
                    .map(|p| format!("vouliez-vous dire « {p} » ? sinon, "))
                    .unwrap_or_default();
                d.erreur(faux(
                    ou.to_string(),
                    format!("indicateur « {id} » inconnu"),
                    format!("{proche}déclarez [indicateurs.{id}] ou vérifiez l'orthographe"),
                ));
            }
            trouve
        };
        for (id, t) in &self.tableaux {
            let ou = format!("tableaux.{id}");
            let colonnes = match t.colonnes.as_deref() {
                None | Some("annees") => None,
                Some(v) => {
                    let trouvee = self.ventilations.get(v);
                    if trouvee.is_none() {
                        d.erreur(faux(
                            ou.clone(),
                            format!("colonnes « {v} » inconnues"),
                            "indiquez \"annees\" ou le nom d'une ventilation".into(),
                        ));
                    }
                    trouvee
                }
            };
            if t.annees == 0 {
                d.erreur(faux(
                    ou.clone(),
                    "le nombre d'années doit être au moins 1".into(),
                    "annees = 2 par exemple".into(),
                ));
            }
            for ligne in &t.lignes {
                let Some((nom, _)) = ligne.indicateur(self) else {
                    continue;
                };
                let Some(ind) = indicateur(nom, &ou, d) else {
                    continue;
                };
                if let (Some(cols), Some(v)) = (
                    colonnes,
                    ind.ventilation
                        .as_ref()
                        .and_then(|v| self.ventilations.get(v)),
                ) && cols.portees(v).is_none()
                {
                    d.erreur(faux(
                        ou.clone(),
                        format!(
                            "les groupes de l'indicateur « {nom} » ne recouvrent pas, dans l'ordre, les colonnes du tableau"
                        ),
                        "chaque groupe doit réunir des colonnes qui se suivent, de la première à la dernière".into(),
                    ));
                }
            }
        }
        for (id, g) in &self.graphiques {
            let ou = format!("graphiques.{id}");
            if g.indicateurs.is_empty() {
                d.erreur(faux(
                    ou,
                    "le graphique n'a aucun indicateur".into(),
                    "ajoutez indicateurs = [\"...\"]".into(),
                ));
                continue;
            }
            let mut ventilations = BTreeSet::new();
            let mut connus_tous = true;
            for nom in &g.indicateurs {
                match indicateur(nom, &ou, d) {
                    Some(i) => {
                        ventilations.insert(i.ventilation.clone());
                    }
                    None => connus_tous = false,
                }
            }
            if !connus_tous {
                continue;
            }
            let une = ventilations.len() == 1;
            let ok = match g.genre {
                GenreGraphique::Barres => {
                    g.indicateurs.len() == 1 || ventilations.iter().all(Option::is_none)
                }
                GenreGraphique::BarresGroupees => une && ventilations.iter().all(Option::is_some),
                GenreGraphique::Annees => g.annees >= 2,
            };
            if !ok {
                d.erreur(faux(ou, "les indicateurs ne conviennent pas à ce type de graphique".into(), "barres : un indicateur ventilé ou des indicateurs non ventilés ; barres_groupees : des indicateurs de même ventilation ; annees : annees ≥ 2".into()));
            }
        }
        for (i, s) in self.sections.iter().enumerate() {
            let ou = format!("sections[{}] « {} »", i + 1, s.titre);
            for e in &s.elements {
                match e {
                    Element::Texte { texte } => verifier_fichier(projet, texte, &ou, d),
                    Element::Tableau { tableau } if !self.tableaux.contains_key(tableau) => {
                        d.erreur(faux(
                            ou.clone(),
                            format!("tableau « {tableau} » inconnu"),
                            format!(
                                "choisissez parmi : {}",
                                connus(self.tableaux.keys().collect())
                            ),
                        ));
                    }
                    Element::Graphique { graphique }
                        if !self.graphiques.contains_key(graphique) =>
                    {
                        d.erreur(faux(
                            ou.clone(),
                            format!("graphique « {graphique} » inconnu"),
                            format!(
                                "choisissez parmi : {}",
                                connus(self.graphiques.keys().collect())
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
        if !self.confidentialite.desactivee && self.confidentialite.seuil < 3 {
            d.erreur(faux(
                "confidentialite.seuil".into(),
                format!("un seuil de {} ne protège pas les personnes : il est refusé", self.confidentialite.seuil),
                "choisissez un seuil d'au moins 3 (5 par défaut), ou désactivez explicitement le secret avec desactivee = true".into(),
            ));
        }
        for (id, f) in &self.financeurs {
            let ou = format!("financeurs.{id}");
            if let Some(k) = f.seuil
                && k < 3
            {
                d.erreur(faux(
                    ou.clone(),
                    format!("un seuil de {k} est refusé"),
                    "choisissez un seuil d'au moins 3".into(),
                ));
            }
            for t in &f.textes {
                verifier_fichier(projet, t, &ou, d);
            }
            for t in &f.tableaux {
                for l in &t.lignes {
                    let (ind, _, _) = l.details(self);
                    indicateur(ind, &ou, d);
                    if let LigneFinanceur::Detail {
                        ventilation: Some(v),
                        ..
                    } = l
                        && !self.ventilations.contains_key(v)
                    {
                        d.erreur(faux(
                            ou.clone(),
                            format!("ventilation « {v} » inconnue"),
                            format!(
                                "déclarez [ventilations.{v}] ou choisissez parmi : {}",
                                connus(self.ventilations.keys().collect())
                            ),
                        ));
                    }
                }
            }
        }
        for (cle, chemin) in [
            ("rapport.glossaire", &self.rapport.glossaire),
            ("rapport.remerciements", &self.rapport.remerciements),
            ("association.logo", &self.association.logo),
        ] {
            if let Some(c) = chemin {
                verifier_fichier(projet, c, cle, d);
            }
        }
        if let Some(g) = &self.rapport.gabarits {
            verifier_dossier(projet, g, "rapport.gabarits", d);
        }
        if let Err(e) = self.date() {
            d.depuis(e);
        }
        self.verifier_exports(d);
    }

    /// The `[exports]` and `[vocabulaire]` tables.
    fn verifier_exports(&self, d: &mut Constats) {
        for source in Source::TOUTES {
            for (de, vers) in &self.exports.source(source).colonnes {
                if normalise(vers).is_empty() || normalise(de).is_empty() {
                    d.erreur(
                        Probleme::new(FICHIER, "un nom de colonne est vide")
                            .cle(format!("exports.{}.colonnes", source.nom()))
                            .correction("écrivez \"Nom dans le fichier\" = \"nom attendu\""),
                    );
                }
            }
        }
        for (colonne, valeurs) in &self.vocabulaire {
            if colonne == contrat::COLONNE_PUBLIC
                && let Some(v) = valeurs.keys().find(|v| !contrat::est_public(&normalise(v)))
            {
                let publics: Vec<String> = contrat::PUBLICS
                    .iter()
                    .map(|p| p.valeur.to_string())
                    .collect();
                d.avertissement(
                    Probleme::new(FICHIER, format!("« {v} » s'ajoute aux publics {}", crate::fr::liste(&publics)))
                        .cle("vocabulaire.public")
                        .correction("pour une autre façon d'écrire un public connu, mettez-la dans la liste de ce public : femme = [\"F\", \"Fille\"]"),
                );
            }
        }
    }

    /// The date of `[rapport] date`, if the model gives one; an error unless
    /// it is a TOML date alone (`2014-04-15`: no time, no offset, no quotes).
    pub fn date(&self) -> Resultat<Option<time::Date>> {
        let Some(d) = &self.rapport.date else {
            return Ok(None);
        };
        let faux = |message: &str| -> Erreur {
            Probleme::new(FICHIER, format!("« {d} » {message}"))
                .cle("rapport.date")
                .attendu("une date AAAA-MM-JJ, sans heure")
                .correction("écrivez par exemple date = 2014-04-15")
                .into()
        };
        let (Some(j), None, None) = (d.date, d.time, d.offset) else {
            return Err(faux("n'est pas une date seule"));
        };
        time::Month::try_from(j.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(j.year.into(), m, j.day).ok())
            .map(Some)
            .ok_or_else(|| faux("n'est pas une date valide"))
    }

    /// What the exports must provide for this model.
    pub fn besoins(&self) -> Besoins {
        let mut b = Besoins::default();
        // Every figure, with the breakdowns funders ask for: their columns must be read too.
        for (_, ind, ventilation) in self.figures_demandees() {
            b.sources.insert(ind.source);
            for (c, f) in ind.filtres.iter().chain(&ind.condition) {
                if let Filtre::Contient { contient } = f {
                    b.contient
                        .entry(ind.source)
                        .or_default()
                        .insert((normalise(c), normalise(contient)));
                }
            }
            let somme = (ind.mesure == Mesure::Somme).then(|| normalise(ind.colonne_somme()));
            for c in self.colonnes_de(ind, ventilation) {
                if ind.source.a_colonne(&c) {
                    continue;
                }
                let genre = if Some(&c) == somme.as_ref() {
                    &mut b.numeriques
                } else {
                    &mut b.colonnes
                };
                genre.entry(ind.source).or_default().insert(c);
            }
        }
        b
    }

    /// The confidentiality rule of the project.
    pub fn regle(&self) -> Regle {
        if self.confidentialite.desactivee {
            Regle::Desactivee
        } else {
            Regle::Seuil(self.confidentialite.seuil)
        }
    }

    /// Every figure to compute: each indicator under its own breakdown
    /// (key: its id), and under the breakdowns funders ask for (`id@ventilation`).
    pub fn figures_demandees(&self) -> Vec<(String, &Indicateur, Option<&String>)> {
        let mut liste: Vec<(String, &Indicateur, Option<&String>)> = self
            .indicateurs
            .iter()
            .map(|(id, i)| (id.clone(), i, i.ventilation.as_ref()))
            .collect();
        for f in self.financeurs.values() {
            for t in &f.tableaux {
                for l in &t.lignes {
                    if let LigneFinanceur::Detail {
                        indicateur,
                        ventilation: Some(v),
                        ..
                    } = l
                        && let Some(i) = self.indicateurs.get(indicateur)
                    {
                        let cle = format!("{indicateur}@{v}");
                        if !liste.iter().any(|(c, _, _)| *c == cle) {
                            let v = self.ventilations.get_key_value(v).map(|(k, _)| k);
                            liste.push((cle, i, v));
                        }
                    }
                }
            }
        }
        liste
    }

    /// The columns indicator `ind` reads under breakdown `ventilation`, normalised.
    pub fn colonnes_de(&self, ind: &Indicateur, ventilation: Option<&String>) -> BTreeSet<String> {
        let mut colonnes: BTreeSet<String> = ind
            .filtres
            .keys()
            .chain(ind.condition.keys())
            .map(|c| normalise(c))
            .collect();
        if let Some(v) = ventilation.and_then(|v| self.ventilations.get(v)) {
            colonnes.insert(normalise(&v.colonne));
        }
        match ind.mesure {
            Mesure::Somme => {
                colonnes.insert(normalise(ind.colonne_somme()));
            }
            Mesure::Personnes => {
                colonnes.insert("personne".into());
            }
            _ => {}
        }
        colonnes
    }

    /// The definition of indicator `id` as data, its breakdown included: what
    /// the record of a build keeps, to tell later whether it changed.
    pub fn definition(&self, id: &str) -> serde_json::Value {
        let ind = &self.indicateurs[id];
        let mut d = serde_json::to_value(ind).unwrap_or_default();
        if let Some(o) = d.as_object_mut() {
            // Wording is not definition: relabelling an indicator changes no figure.
            o.remove("libelle");
            o.remove("unite");
            o.remove("confidentiel");
        }
        d["periode"] = serde_json::to_value(ind.periode()).unwrap_or_default();
        if let Some(v) = &ind.ventilation {
            d["ventilation"] = serde_json::to_value(&self.ventilations[v]).unwrap_or_default();
        }
        d
    }

    /// How many years before the report's the model shows (tables and charts by year).
    pub fn recul(&self) -> usize {
        let tables = self
            .tableaux
            .values()
            .filter(|t| t.colonnes.as_deref() == Some("annees"))
            .map(|t| t.annees);
        let charts = self
            .graphiques
            .values()
            .filter(|g| g.genre == GenreGraphique::Annees)
            .map(|g| g.annees);
        // Narrative texts may always cite the previous year.
        tables.chain(charts).max().unwrap_or(1).max(2) - 1
    }
}

/// The TOML reader's usual messages, in French.
fn traduire_toml(message: &str) -> String {
    let apres = |prefixe: &str| message.strip_prefix(prefixe).map(str::to_string);
    let valeurs = |t: &str| {
        t.split(", ")
            .map(|v| {
                v.trim_matches('`')
                    .trim_start_matches("or ")
                    .trim_matches('`')
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some((v, attendus)) = apres("unknown variant `").and_then(|r| {
        r.split_once("`, expected one of ")
            .map(|(a, b)| (a.to_string(), b.to_string()))
    }) {
        return format!(
            "valeur « {v} » inconnue ; valeurs possibles : {}",
            valeurs(&attendus)
        );
    }
    if let Some(reste) = apres("unknown field `") {
        if let Some((v, attendus)) = reste.split_once("`, expected one of ") {
            return format!(
                "clé « {v} » inconnue ; clés possibles : {}",
                valeurs(attendus)
            );
        }
        if let Some((v, attendu)) = reste.split_once("`, expected ") {
            return format!("clé « {v} » inconnue ; clé possible : {}", valeurs(attendu));
        }
    }
    if let Some(reste) = apres("missing field `") {
        return format!(
            "la clé « {} » est obligatoire ici",
            reste.trim_end_matches('`')
        );
    }
    if message.contains("expected a TOML datetime") {
        return "une date s'écrit sans guillemets, par exemple date = 2014-04-15".into();
    }
    if message.starts_with("data did not match any variant of untagged enum Filtre") {
        return "filtre incorrect : attendu \"valeur\", [\"valeur\", \"autre\"] ou { contient = \"valeur\" }".into();
    }
    if let Some(reste) = apres("invalid type: ")
        && let Some((trouve, attendu)) = reste.rsplit_once(", expected ")
    {
        return format!(
            "{} écrit ici, alors que la clé attend {}",
            type_trouve(trouve),
            type_attendu(attendu)
        );
    }
    // The parser's own messages: what is wrong, then what it expected.
    let erreur = message.split(", expected").next().unwrap_or(message).trim();
    let francais = match erreur {
        "string values must be quoted" | "unquoted string" => {
            "valeur sans guillemets : un texte s'écrit entre guillemets droits, par exemple titre = \"Rapport d'activité\" (un nombre, une date, true ou false s'écrivent sans guillemets)"
        }
        "invalid basic string" | "invalid literal string" | "invalid string" => {
            "texte mal fermé : il manque le guillemet de fin, sur la même ligne"
        }
        "missing value for key" | "key with no value" | "missing value" => {
            "clé sans valeur : écrivez sa valeur après le signe ="
        }
        "duplicate key" => "clé écrite deux fois dans la même section : gardez-en une seule",
        "unclosed table" | "invalid table" | "unclosed array table" | "missing table open" => {
            "en-tête de section mal écrit : il s'écrit seul sur sa ligne, entre crochets, par exemple [rapport] ou [indicateurs.contacts_rue]"
        }
        "unclosed array"
        | "missing comma between array elements"
        | "extra comma in array"
        | "missing array opening" => {
            "liste mal écrite : entre crochets, valeurs séparées par des virgules, par exemple [\"rue\", \"net\"]"
        }
        "unclosed inline table"
        | "invalid inline table element"
        | "extra comma in inline table"
        | "missing comma between key-value pairs"
        | "missing inline table opening" => {
            "table en ligne mal écrite : entre accolades, par exemple filtres = { programme = \"rue\", action = \"contact\" }"
        }
        "invalid key" | "invalid unquoted key" | "unquoted keys cannot be empty" => {
            "nom de clé incorrect : des lettres sans accents, des chiffres, - et _, par exemple mots_cles"
        }
        _ => return format!("modèle illisible ({})", message.trim()),
    };
    francais.to_string()
}

/// A TOML value as serde names it (`string "2000"`, `integer `5``), in French.
fn type_trouve(t: &str) -> String {
    if let Some(v) = t.strip_prefix("string ") {
        return format!("le texte « {} »", v.trim_matches('"'));
    }
    match t.split_whitespace().next().unwrap_or(t) {
        "integer" => format!(
            "le nombre entier {}",
            t.trim_start_matches("integer ").trim_matches('`')
        ),
        "floating" => format!(
            "le nombre {}",
            t.trim_start_matches("floating point ").trim_matches('`')
        ),
        "boolean" => format!(
            "la valeur {}",
            t.trim_start_matches("boolean ").trim_matches('`')
        ),
        "sequence" => "une liste".into(),
        "map" => "une table".into(),
        _ => format!("une valeur ({t})"),
    }
}

/// What a key of the model expects, as serde names it, in French.
fn type_attendu(t: &str) -> &'static str {
    match t.trim() {
        "i32" | "i64" | "u32" | "u64" | "usize" | "u8" | "u16" | "an integer" => {
            "un nombre entier, sans guillemets"
        }
        "f64" | "f32" | "a float" => {
            "un nombre, sans guillemets (virgule décimale : un point, 2.5)"
        }
        "a boolean" | "bool" => "true ou false, sans guillemets",
        "a string" | "a borrowed string" | "string" => "un texte entre guillemets",
        "a sequence" => "une liste entre crochets, [\"a\", \"b\"]",
        "a TOML datetime" => "une date sans guillemets, par exemple 2014-04-15",
        _ => "une autre sorte de valeur (voir le format dans le README)",
    }
}

/// A path of the model: inside the project, and a folder that exists.
fn verifier_dossier(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats) {
    verifier_chemin(projet, chemin, ou, d, true);
}

/// A path of the model: inside the project, and a file that exists.
fn verifier_fichier(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats) {
    verifier_chemin(projet, chemin, ou, d, false);
}

fn verifier_chemin(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats, dossier: bool) {
    let (quoi, relatif) = if dossier {
        ("dossier", "un dossier relatif")
    } else {
        ("fichier", "un chemin relatif")
    };
    if chemin.is_absolute()
        || chemin
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        d.erreur(
            Probleme::new(
                FICHIER,
                format!("le chemin « {} » sort du projet", chemin.display()),
            )
            .cle(ou)
            .correction(format!(
                "indiquez {relatif} à l'intérieur du dossier du projet"
            )),
        );
    } else if !(if dossier {
        projet.join(chemin).is_dir()
    } else {
        projet.join(chemin).is_file()
    }) {
        d.absent(
            Probleme::new(
                FICHIER,
                format!("le {quoi} « {} » est introuvable", chemin.display()),
            )
            .cle(ou)
            .correction(format!(
                "créez ce {quoi} dans le projet ou corrigez le chemin"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The French message for the TOML reader's error on `texte`, read as `T`.
    fn message<T: serde::de::DeserializeOwned + std::fmt::Debug>(texte: &str) -> String {
        traduire_toml(toml::from_str::<T>(texte).unwrap_err().message())
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Association {
        creation: i32,
    }

    #[test]
    fn the_usual_mistakes_in_a_model_are_told_in_french() {
        let table = message::<toml::Table>;
        assert!(table("titre = Rapport").starts_with("valeur sans guillemets"));
        assert!(table("titre = \"Rapport").starts_with("texte mal fermé"));
        assert!(
            table("titre =").starts_with("valeur sans guillemets")
                || table("titre =").starts_with("clé sans valeur")
        );
        assert!(table("a = 1\na = 2").starts_with("clé écrite deux fois"));
        assert!(table("[rapport\ntitre = \"x\"").starts_with("en-tête de section mal écrit"));
        assert!(table("m = [\"a\" \"b\"]").starts_with("liste mal écrite"));
        let f = table("f = { a = \"b\" c = \"d\" }");
        assert!(f.starts_with("table en ligne mal écrite"), "{f}");
        assert_eq!(
            message::<Association>("creation = \"2000\""),
            "le texte « 2000 » écrit ici, alors que la clé attend un nombre entier, sans guillemets"
        );
    }

    #[test]
    fn an_unforeseen_message_is_kept_as_the_reader_wrote_it() {
        assert_eq!(
            traduire_toml("quelque chose d'autre"),
            "modèle illisible (quelque chose d'autre)"
        );
    }
}
