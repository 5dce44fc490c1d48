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
use crate::suivi::{Etape, Suivi};

mod chiffres_cles;
mod cle;
pub mod coordonnees;
mod financeurs;
pub mod identite;
mod lecture_toml;
mod presentation;
pub mod regle;
pub mod releve;
mod verification;

pub use chiffres_cles::ChiffreCle;
pub use cle::CleFigure;
pub use financeurs::{Financeur, FormatExtrait, LigneFinanceur, TableauFinanceur};
pub use identite::{Couleur, Couleurs, Identite};
pub use presentation::{Colonnes, Element, GenreGraphique, Graphique, Ligne, Section, Tableau};
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

/// The whole model as `rapport.toml` declares it: read, not yet checked.
/// What the stages compute from is a [`Modele`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeleDeclare {
    pub association: Association,
    #[serde(default)]
    pub rapport: Rapport,
    /// Colours shared by the PDF, the web page and the charts.
    #[serde(default)]
    pub identite: Identite,
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
    /// The postal address, on the back cover: one text, lines separated by line breaks.
    #[serde(default)]
    pub adresse: Option<String>,
    /// The website (`www.example.org` or `https://…`).
    #[serde(default)]
    pub site: Option<String>,
    /// The contact e-mail address.
    #[serde(default)]
    pub courriel: Option<String>,
    #[serde(default)]
    pub telephone: Option<String>,
    /// The legal status (« Association loi 1901 »).
    #[serde(default)]
    pub statut: Option<String>,
    /// The SIRET number: 14 digits, spaces allowed, checked by its Luhn key.
    #[serde(default)]
    pub siret: Option<String>,
    /// The number in the register of associations (RNA): `W` and 9 digits.
    #[serde(default)]
    pub rna: Option<String>,
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
    /// The foreword (Markdown, Tera placeholders), before the first
    /// section; its last line starting with a dash is its signature.
    #[serde(default)]
    pub avant_propos: Option<PathBuf>,
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
    /// The indicators of the key-figures page (« L'année en chiffres »), in order.
    #[serde(default)]
    pub chiffres_cles: Vec<ChiffreCle>,
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
            avant_propos: None,
            gabarits: None,
            date: None,
            sujet: None,
            mots_cles: Vec::new(),
            chiffres_cles: Vec::new(),
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

/// A condition on a column. Read by hand (not `untagged`): a mistake is
/// told as the forms a filter has, at its line.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Filtre {
    /// The column equals this value.
    Egal(String),
    /// The column equals one of these values.
    UnDe(Vec<String>),
    /// The column, a list `a|b|c`, contains this value.
    Contient { contient: String },
}

impl<'de> Deserialize<'de> for Filtre {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Forme;
        impl<'de> serde::de::Visitor<'de> for Forme {
            type Value = Filtre;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "un filtre : \"valeur\", [\"valeur\", \"autre\"] ou { contient = \"valeur\" }",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Filtre, E> {
                Ok(Filtre::Egal(v.into()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, a: A) -> Result<Filtre, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(a)).map(Filtre::UnDe)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<Filtre, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Contient {
                    contient: String,
                }
                Contient::deserialize(serde::de::value::MapAccessDeserializer::new(a)).map(|c| {
                    Filtre::Contient {
                        contient: c.contient,
                    }
                })
            }
        }
        d.deserialize_any(Forme)
    }
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
    /// Number of distinct `personne` codes of the year that no row of an
    /// earlier year (same source, same filters) names: the people met for
    /// the first time. « n.d. » when the exports do not cover the year before.
    #[serde(rename = "nouvelles_personnes")]
    NouvellesPersonnes,
    /// Share (%) of the rows that also match `condition`.
    Part,
}

impl Mesure {
    /// Whether it counts distinct people (`personnes`, `nouvelles_personnes`).
    pub fn personnes_distinctes(self) -> bool {
        matches!(self, Mesure::Personnes | Mesure::NouvellesPersonnes)
    }
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

impl ModeleDeclare {
    /// The label an indicator is shown under: `libelle` if a table, a
    /// funder or the key figures give one, else the indicator's own (its key
    /// while the model is unchecked and the indicator unknown).
    pub fn libelle_de<'a>(&'a self, indicateur: &'a str, libelle: Option<&'a str>) -> &'a str {
        libelle.unwrap_or_else(|| {
            self.indicateurs
                .get(indicateur)
                .map_or(indicateur, |i| i.libelle.as_str())
        })
    }
}

impl Indicateur {
    /// Whether its small counts are masked (statistical confidentiality).
    pub fn compte_des_personnes(&self) -> bool {
        self.confidentiel
            .unwrap_or(self.mesure.personnes_distinctes())
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

/// A model read and checked: every name it refers to (indicators,
/// breakdowns, tables, charts, files) exists, and every setting is one the
/// engine can compute. Only [`Modele::lire`] and [`Modele::lire_avec`] make
/// one, from a model without error; it reads as its [`ModeleDeclare`].
#[derive(Debug)]
pub struct Modele(ModeleDeclare);

impl std::ops::Deref for Modele {
    type Target = ModeleDeclare;

    fn deref(&self) -> &ModeleDeclare {
        &self.0
    }
}

/// What reading `rapport.toml` gave.
#[derive(Debug)]
pub enum ModeleLu {
    /// A model without error.
    Valide(Modele),
    /// A model with errors (reported): what can still be checked with it,
    /// such as the exports it names.
    EnErreur(ModeleDeclare),
}

impl ModeleLu {
    /// The model as declared, checked or not.
    pub fn declare(&self) -> &ModeleDeclare {
        match self {
            ModeleLu::Valide(m) => m,
            ModeleLu::EnErreur(m) => m,
        }
    }
}

impl Modele {
    /// Reads and checks `rapport.toml` of the project folder `projet`.
    pub fn lire(projet: &Path, suivi: &Suivi) -> Resultat<Modele> {
        let mut constats = Constats::default();
        let lu = Modele::lire_avec(projet, &mut constats, suivi);
        constats.resultat()?;
        match lu {
            Some(ModeleLu::Valide(m)) => Ok(m),
            _ => Err(Erreur::Interne("modèle non lu".into())),
        }
    }

    /// Reads `rapport.toml` and reports every problem to `constats`; `None`
    /// when it cannot be read or parsed at all.
    pub fn lire_avec(projet: &Path, constats: &mut Constats, suivi: &Suivi) -> Option<ModeleLu> {
        let _e = suivi.etape(Etape::Modele);
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
        let modele: ModeleDeclare = match lecture_toml::lire(&texte) {
            Ok(m) => m,
            Err(e) => {
                let mut p = Probleme::new(FICHIER, e.message).correction(e.correction);
                if let Some(ligne) = e.ligne {
                    p = p.ligne(ligne);
                }
                constats.erreur(p);
                return None;
            }
        };
        let mut erreurs = Constats::default();
        modele.verifier(projet, &mut erreurs);
        let valide = erreurs.erreurs() == 0;
        constats.etendre(erreurs);
        Some(if valide {
            ModeleLu::Valide(Modele(modele))
        } else {
            ModeleLu::EnErreur(modele)
        })
    }
}

impl ModeleDeclare {
    /// Every narrative text file the model names, once each, in the order
    /// the documents show them: the foreword, the sections' texts, the
    /// thanks, the funders' texts.
    pub fn textes(&self) -> Vec<&Path> {
        let mut fichiers: Vec<&Path> = Vec::new();
        fichiers.extend(self.rapport.avant_propos.as_deref());
        for section in &self.sections {
            for element in &section.elements {
                if let Element::Texte { texte } = element {
                    fichiers.push(texte);
                }
            }
        }
        fichiers.extend(self.rapport.remerciements.as_deref());
        for f in self.financeurs.values() {
            fichiers.extend(f.textes.iter().map(PathBuf::as_path));
        }
        let mut vus = std::collections::HashSet::new();
        fichiers.retain(|f| vus.insert(*f));
        fichiers
    }

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
    /// (its own key), and under the breakdowns funders ask for.
    pub fn figures_demandees(&self) -> Vec<(CleFigure, &Indicateur, Option<&String>)> {
        let mut liste: Vec<(CleFigure, &Indicateur, Option<&String>)> = self
            .indicateurs
            .iter()
            .map(|(id, i)| (CleFigure::propre(id), i, i.ventilation.as_ref()))
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
                        let cle = CleFigure::sous(indicateur, v);
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
            Mesure::Personnes | Mesure::NouvellesPersonnes => {
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
        let tables = self.tableaux.values().filter_map(|t| match t.colonnes() {
            Colonnes::Annees(n) => Some(n),
            _ => None,
        });
        let charts = self
            .graphiques
            .values()
            .filter(|g| g.genre == GenreGraphique::Annees)
            .map(|g| g.annees);
        // Narrative texts may always cite the previous year.
        tables.chain(charts).max().unwrap_or(1).max(2) - 1
    }
}
