//! Stages 3–4: the model's indicators compiled to polars lazy queries, and
//! the figures they give for each year.
//!
//! All the indicators of one source, for every year and group the report
//! shows, are computed by a single `select` over that source's table: one pass
//! over the data per source, whatever the number of indicators.

pub mod liens;
pub mod tableaux;

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use polars_arrow::array::{Array, BooleanArray, PrimitiveArray};
use polars_arrow::bitmap::Bitmap;

use crate::error::{Erreur, Resultat};
use crate::exports::{self, Exports, Indisponible, Source, valeurs};
use crate::fr::{self, normalise};
use crate::model::{CleFigure, Filtre, Indicateur, Mesure, Modele, Periode};
use crate::suivi::{Etape, Suivi};

/// One computed value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Valeur {
    /// A count, a sum or a distinct count.
    Nombre(f64),
    /// A share: `num` rows of `den` match the condition.
    Part { num: f64, den: f64 },
    /// Not available: the exports do not cover the year, or lack a column
    /// (the reason is kept by `Figures`). Never shown as 0.
    Nd,
    /// A count of fewer than `seuil` people, masked (statistical confidentiality): `< k`.
    Masque { seuil: u32 },
    /// Hidden to protect a small count elsewhere: `s`. Its value may be large.
    Protegee,
}

impl Valeur {
    /// The value as a number: the count, or the share in percent (`None` when the base is 0).
    pub fn nombre(&self) -> Option<f64> {
        match *self {
            Valeur::Nombre(v) => Some(v),
            Valeur::Part { num, den } => (den > 0.0).then(|| 100.0 * num / den),
            Valeur::Nd | Valeur::Masque { .. } | Valeur::Protegee => None,
        }
    }

    /// The value as printed in the report, French typography.
    pub fn texte(&self, unite: Option<&str>) -> String {
        match (self.nombre(), self) {
            (_, Valeur::Nd) => "n.d.".into(),
            (_, Valeur::Masque { seuil }) => format!("<{}{seuil}", fr::INSECABLE),
            (_, Valeur::Protegee) => MARQUE_PROTEGEE.into(),
            (None, _) => NON_CALCULABLE.into(),
            (Some(p), Valeur::Part { .. }) => fr::pourcent(p),
            (Some(v), _) if unite == Some("€") => fr::euros(v),
            (Some(v), _) => match unite {
                Some(u) => format!("{}{}{u}", fr::nombre_auto(v), fr::INSECABLE),
                None => fr::nombre_auto(v),
            },
        }
    }
}

/// The mark of a cell hidden to protect another one.
pub const MARQUE_PROTEGEE: &str = "s";

/// What a figure that cannot be computed prints: a share of no one (its
/// base is 0), a relative change from 0. Never drawn as 0 %.
pub const NON_CALCULABLE: &str = "n.c.";

impl Valeur {
    /// Whether the statistical secret hides it (`< k` or `s`).
    pub fn est_masquee(&self) -> bool {
        matches!(self, Valeur::Masque { .. } | Valeur::Protegee)
    }

    /// The note explaining its mark, if it is hidden: the same words in every output.
    pub fn note_du_secret(&self) -> Option<String> {
        let i = fr::INSECABLE;
        match self {
            Valeur::Masque { seuil } => Some(format!(
                "«{i}<{i}{seuil}{i}» : de 1 à {} personnes, ou part calculée sur si peu de personnes (secret statistique).",
                seuil - 1
            )),
            Valeur::Protegee => Some(format!(
                "«{i}{MARQUE_PROTEGEE}{i}» : case masquée pour qu'un petit effectif ne puisse pas se déduire des autres chiffres publiés ; sa valeur n'est pas forcément petite (secret statistique)."
            )),
            _ => None,
        }
    }
}

/// An indicator's figure for one year: the total and, with a breakdown, each group in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Chiffre {
    pub total: Valeur,
    pub groupes: Vec<Valeur>,
}

/// Every indicator of the model for every year the report shows.
#[derive(Debug)]
pub struct Figures {
    /// The report's year.
    pub annee: i32,
    /// The years computed, oldest first, ending with `annee`.
    pub annees: Vec<i32>,
    valeurs: BTreeMap<(CleFigure, i32), Chiffre>,
    /// Why a figure is not available, by figure and year.
    raisons: BTreeMap<(CleFigure, i32), Indisponible>,
    /// Why the groups of a figure whose total is available are not: its
    /// breakdown's column is missing from a file of the year.
    raisons_des_groupes: BTreeMap<(CleFigure, i32), Indisponible>,
    /// How the figures that count people are made of the same rows, per
    /// source (computed on request: see [`calculer_avec`]).
    pub liens: Vec<liens::Liens>,
}

impl Figures {
    /// The last `n` years these figures cover, oldest first: the columns of a
    /// table or the points of a chart over years.
    pub fn dernieres_annees(&self, n: usize) -> Vec<i32> {
        let debut = self.annees.len().saturating_sub(n);
        self.annees[debut..].to_vec()
    }

    /// A copy of the figures, without their links (what outputs read).
    pub fn copie(&self) -> Figures {
        Figures {
            annee: self.annee,
            annees: self.annees.clone(),
            valeurs: self.valeurs.clone(),
            raisons: self.raisons.clone(),
            raisons_des_groupes: self.raisons_des_groupes.clone(),
            liens: Vec::new(),
        }
    }

    /// Replaces the value of figure `cle` for `annee`: its total (`groupe`
    /// `None`) or one of its groups.
    pub fn remplacer(&mut self, cle: &CleFigure, annee: i32, groupe: Option<usize>, v: Valeur) {
        if let Some(c) = self.valeurs.get_mut(&(cle.clone(), annee)) {
            match groupe {
                None => c.total = v,
                Some(g) => c.groupes[g] = v,
            }
        }
    }

    /// The figure `cle` (an indicator's id for its own breakdown) for
    /// `annee` (a computed year).
    pub fn chiffre(&self, cle: impl Into<CleFigure>, annee: i32) -> &Chiffre {
        &self.valeurs[&(cle.into(), annee)]
    }

    /// Why the figure `cle` for `annee` is not available, if it is not.
    pub fn raison(&self, cle: impl Into<CleFigure>, annee: i32) -> Option<&Indisponible> {
        self.raisons.get(&(cle.into(), annee))
    }

    /// Why the groups of figure `cle` are not available for `annee` when its
    /// total is.
    pub fn raison_des_groupes(
        &self,
        cle: impl Into<CleFigure>,
        annee: i32,
    ) -> Option<&Indisponible> {
        self.raisons_des_groupes.get(&(cle.into(), annee))
    }

    /// Why a « n.d. » cell of figure `cle` is not available: its total's
    /// reason, or its groups' (a figure has at most one of the two).
    pub fn raison_de_la_case(
        &self,
        cle: impl Into<CleFigure>,
        annee: i32,
    ) -> Option<&Indisponible> {
        let cle = (cle.into(), annee);
        self.raisons
            .get(&cle)
            .or_else(|| self.raisons_des_groupes.get(&cle))
    }

    /// Every figure that is not available, with why, and whether only its
    /// groups are not (its total is): by figure, then year.
    pub fn indisponibles(&self) -> impl Iterator<Item = (&CleFigure, i32, &Indisponible, bool)> {
        let tous = self.raisons.iter().map(|((c, a), r)| (c, *a, r, false));
        let groupes = self
            .raisons_des_groupes
            .iter()
            .map(|((c, a), r)| (c, *a, r, true));
        tous.chain(groupes)
    }
}

/// What one output column of a source's `select` holds.
struct Case {
    cle: CleFigure,
    annee: i32,
    /// `None`: the total; `Some(i)`: group `i`.
    groupe: Option<usize>,
    /// For a share, the column of its base.
    base: Option<String>,
    /// For a figure of `indicateurs.csv`, the column counting its rows: none means not available.
    presence: Option<String>,
    /// The masks whose conjunction selects its rows (for the linked system of the secret).
    conjonction: Vec<usize>,
    /// For a share, the mask of its condition.
    condition: Option<usize>,
    /// For new people, the mask « first seen in the year » among its
    /// conjunction, and the column counting the people of its rows seen
    /// before (the already known, whose count the secret protects too).
    nouveaute: Option<(usize, String)>,
}

/// The years a report of `annee` shows: `annee` and those before it that the model asks for.
pub fn annees_du_rapport(modele: &Modele, annee: i32) -> Vec<i32> {
    (annee - modele.recul() as i32..=annee).collect()
}

/// Computes every indicator of `modele` for each of `annees` (sorted; the last is the report's year).
pub fn calculer(
    modele: &Modele,
    exports: &Exports,
    annees: &[i32],
    suivi: &Suivi,
) -> Resultat<Figures> {
    calculer_avec(modele, exports, annees, false, suivi)
}

/// [`calculer`], and, with `avec_liens`, how the figures that count people
/// are made of the same rows (what the secret's publication stage needs).
pub fn calculer_avec(
    modele: &Modele,
    exports: &Exports,
    annees: &[i32],
    avec_liens: bool,
    suivi: &Suivi,
) -> Resultat<Figures> {
    let _e = suivi.etape(Etape::Agregation);
    let lignes: usize = exports.tables.values().map(DataFrame::height).sum();
    let _attente = (lignes > 1_000_000).then(|| {
        suivi.attente(&format!(
            "Calcul des indicateurs sur {} lignes",
            crate::fr::nombre(lignes as f64, 0)
        ))
    });
    let annee = *annees
        .last()
        .ok_or_else(|| Erreur::Interne("aucune année à calculer".into()))?;
    let annees = annees.to_vec();
    let mut valeurs = BTreeMap::new();
    let mut raisons = BTreeMap::new();
    let mut raisons_des_groupes = BTreeMap::new();
    let mut tous_liens = Vec::new();
    let protegees = liens::familles_protegees(modele);
    for source in Source::TOUTES {
        let indicateurs: Vec<(CleFigure, &Indicateur, Option<&String>)> = modele
            .figures_demandees()
            .into_iter()
            .filter(|(_, i, _)| i.source == source)
            .collect();
        if indicateurs.is_empty() {
            continue;
        }
        let table = exports
            .table(source)
            .ok_or_else(|| Erreur::Interne(format!("export « {} » non lu", source.fichier())))?;
        let (expressions, personnes, cases, masques) =
            exprimer(exports, source, &indicateurs, &annees, modele)?;
        // Whether a person is new is worked out over every year of the export;
        // then only the rows of the years shown are read: every figure's rows
        // are in one of its years.
        let table = avec_premieres(table, &masques.premieres)?;
        let table = dans_les_annees(table, &masques.periodes)?;
        // The masks (filters, years, groups) are computed once each, as boolean
        // columns; every figure is then a few bitmap ANDs and a count or a sum.
        let lies: Vec<usize> = if avec_liens {
            (0..cases.len())
                .filter(|&i| liens::famille(modele, &protegees, &cases[i].1.cle).is_some())
                .collect()
        } else {
            Vec::new()
        };
        let avec_masques = table.clone().lazy().with_columns(masques.expressions);
        let resultat = if lies.is_empty() && personnes.is_empty() {
            // One fused query, as without the secret.
            avec_masques.select(expressions).collect()?
        } else {
            // The masks once, read by the figures, the counts of people and the atoms.
            let avec_masques = avec_masques.collect()?;
            let mut resultat = if expressions.is_empty() {
                DataFrame::empty_with_height(1)
            } else {
                avec_masques.clone().lazy().select(expressions).collect()?
            };
            resultat.hstack_mut(&compter_personnes(&avec_masques, &personnes)?)?;
            if !lies.is_empty() {
                let liees: Vec<liens::CaseSource> = lies
                    .iter()
                    .map(|&i| {
                        let c = &cases[i].1;
                        Ok(liens::CaseSource {
                            cle: c.cle.clone(),
                            annee: c.annee,
                            groupe: c.groupe,
                            conjonction: c.conjonction.clone(),
                            condition: c.condition,
                            nouveaute: match &c.nouveaute {
                                Some((m, nom)) => Some((*m, nombre_du_resultat(&resultat, nom)?)),
                                None => None,
                            },
                        })
                    })
                    .collect::<Resultat<_>>()?;
                tous_liens.push(liens::relier(
                    modele,
                    &protegees,
                    source,
                    &avec_masques,
                    liees,
                )?);
            }
            resultat
        };
        lire_cases(
            modele,
            exports,
            source,
            &resultat,
            cases,
            &mut valeurs,
            (&mut raisons, &mut raisons_des_groupes),
        )?;
    }
    Ok(Figures {
        annee,
        annees,
        valeurs,
        raisons,
        raisons_des_groupes,
        liens: tous_liens,
    })
}

/// The expressions of a source's query, the counts of people to make over
/// its masks, the case each output column holds, and the shared masks they
/// read.
type Requete = (Vec<Expr>, Vec<Personnes>, Vec<(String, Case)>, Masques);

/// A count of distinct people over the rows of a conjunction of masks.
struct Personnes {
    /// Its column in the result.
    nom: String,
    /// The masks every row holds.
    avec: Vec<usize>,
    /// A mask no row holds.
    sans: Option<usize>,
}

/// The polars expressions of every figure of `indicateurs` (all of
/// `source`) for each of `annees`, the case each output column holds, and
/// the shared masks they read.
fn exprimer(
    exports: &Exports,
    source: Source,
    indicateurs: &[(CleFigure, &Indicateur, Option<&String>)],
    annees: &[i32],
    modele: &Modele,
) -> Resultat<Requete> {
    let mut expressions = Vec::new();
    let mut personnes = Vec::new();
    let mut cases = Vec::new();
    let mut masques = Masques::default();
    for (id, ind, ventilation) in indicateurs {
        let ventilation = ventilation.map(|v| &modele.ventilations[v]);
        let filtres = ind
            .filtres
            .iter()
            .map(|(c, f)| filtre(exports, source, c, f))
            .fold(lit(true), |a, b| a.and(b));
        let i_base = masques.indice(filtres.clone());
        let base = Masques::col(i_base);
        let condition = (ind.mesure == Mesure::Part).then(|| {
            masques.indice(
                ind.condition
                    .iter()
                    .map(|(c, f)| filtre(exports, ind.source, c, f))
                    .fold(lit(true), |a, b| a.and(b)),
            )
        });
        for &an in annees {
            let i_periode = masques.periode(periode(ind.periode(), an));
            let mut du_periode = base.clone().and(Masques::col(i_periode));
            let mut conjonction = vec![i_base, i_periode];
            // New people: the rows of the year of people whose first row
            // (under the same filters) is in the year; the others, already
            // known, are counted apart for the secret.
            let mut nouveaute = None;
            if ind.mesure == Mesure::NouvellesPersonnes {
                let i_nouveau = masques.premiere_fois(filtres.clone(), ind.periode(), an);
                du_periode = du_periode.and(Masques::col(i_nouveau));
                conjonction.push(i_nouveau);
                nouveaute = Some(i_nouveau);
            }
            let mut groupes: Vec<(Option<usize>, Expr, Vec<usize>)> =
                vec![(None, du_periode.clone(), conjonction.clone())];
            if let Some(v) = ventilation {
                for (i, g) in v.groupes.iter().enumerate() {
                    let f = Filtre::UnDe(g.valeurs.clone());
                    let i_groupe = masques.indice(filtre(exports, source, &v.colonne, &f));
                    let mut dans_le_groupe = conjonction.clone();
                    dans_le_groupe.push(i_groupe);
                    groupes.push((
                        Some(i),
                        du_periode.clone().and(Masques::col(i_groupe)),
                        dans_le_groupe,
                    ));
                }
            }
            for (groupe, predicat, conjonction) in groupes {
                // People are counted over the masks once the query has run
                // ([`compter_personnes`]): the rows of a case are the
                // conjunction of its masks.
                let (expr, base) = if ind.mesure.personnes_distinctes() {
                    (None, None)
                } else {
                    let (e, b) = mesure(ind, predicat, condition.map(Masques::col));
                    (Some(e), b)
                };
                let nouveaute = match nouveaute {
                    Some(m) => {
                        // The already known: the same rows, not new.
                        let nom = format!("p{}", personnes.len());
                        personnes.push(Personnes {
                            nom: nom.clone(),
                            avec: conjonction.iter().copied().filter(|&x| x != m).collect(),
                            sans: Some(m),
                        });
                        Some((m, nom))
                    }
                    None => None,
                };
                let mut case = Case {
                    cle: id.clone(),
                    annee: an,
                    groupe,
                    base: None,
                    presence: None,
                    conjonction,
                    condition,
                    nouveaute,
                };
                if groupe.is_none() && source == Source::Indicateurs {
                    let nom_presence = format!("c{}", expressions.len());
                    expressions.push(
                        du_periode
                            .clone()
                            .sum()
                            .cast(DataType::Float64)
                            .alias(nom_presence.as_str()),
                    );
                    case.presence = Some(nom_presence);
                }
                let nom = match expr {
                    Some(expr) => {
                        let nom = format!("c{}", expressions.len());
                        expressions.push(expr.alias(nom.as_str()));
                        nom
                    }
                    None => {
                        let nom = format!("p{}", personnes.len());
                        personnes.push(Personnes {
                            nom: nom.clone(),
                            avec: case.conjonction.clone(),
                            sans: None,
                        });
                        nom
                    }
                };
                if let Some(b) = base {
                    let nom_base = format!("c{}", expressions.len());
                    expressions.push(b.alias(nom_base.as_str()));
                    case.base = Some(nom_base);
                }
                cases.push((nom, case));
            }
        }
    }
    Ok((expressions, personnes, cases, masques))
}

/// The date column by which `p` tells when a person is first met (`date`,
/// or `ouverture` for a case).
fn date_de_premiere_fois(p: Periode) -> &'static str {
    match p {
        Periode::Evenement => "date",
        Periode::Actif | Periode::Ouverture => "ouverture",
        // Checked with the model: `indicateurs.csv` has no people.
        Periode::Annee => "annee",
    }
}

/// The name of the column holding, for each row, the first date (as a day
/// number) of its person's rows that filter `k` keeps.
fn nom_premiere(k: usize) -> String {
    format!("premiere{k}")
}

/// The greatest of the `codes` that are not null, 0 if none (polars' own
/// maximum finds each row that has one by a search of its own: 35 ms at
/// 10 M rows).
fn plus_grand_code(codes: &PrimitiveArray<u32>) -> u32 {
    exports::presentes::valeurs_presentes(codes)
        .max()
        .unwrap_or(0)
}

/// `table` with the columns of `premieres` (each a filter and a date
/// column): for each row, the earliest date of its person among the rows
/// the filter keeps — `i32::MAX` if the filter keeps none of them, null
/// without a person or when every such date is empty.
///
/// One pass over the rows per filter, indexed by the person's code, rather
/// than a window (`min().over(personne)`) per year: at 10 M rows the windows
/// were most of the masks' time.
fn avec_premieres(table: &DataFrame, premieres: &[(Expr, &'static str)]) -> Resultat<DataFrame> {
    if premieres.is_empty() {
        return Ok(table.clone());
    }
    // `with_columns`, not `select`: a filter without condition (`true`) is
    // then a column as long as the table.
    let filtres = table
        .clone()
        .lazy()
        .with_columns(
            premieres
                .iter()
                .enumerate()
                .map(|(k, (f, _))| f.clone().alias(nom_premiere(k).as_str()))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    let codes = table.column("personne")?.cast(&DataType::UInt32)?;
    let codes = codes.u32()?.rechunk();
    let codes = codes
        .downcast_iter()
        .next()
        .ok_or_else(|| Erreur::Interne("colonne personne sans morceau".into()))?;
    let plus_grand = plus_grand_code(codes) as usize;
    let mut colonnes = Vec::with_capacity(premieres.len());
    for (k, (_, date)) in premieres.iter().enumerate() {
        let nom = nom_premiere(k);
        let garde = filtres.column(&nom)?.bool()?.rechunk();
        if garde.len() != codes.len() {
            return Err(Erreur::Interne(format!(
                "filtre de {nom} : {} lignes pour {}",
                garde.len(),
                codes.len()
            )));
        }
        let dates = table.column(date)?.cast(&DataType::Int32)?;
        let dates = dates.i32()?.rechunk();
        let (Some(garde), Some(dates)) =
            (garde.downcast_iter().next(), dates.downcast_iter().next())
        else {
            return Err(Erreur::Interne(format!("filtre de {nom} sans morceau")));
        };
        let lignes = Lignes {
            codes,
            garde,
            dates,
        };
        let parts = if codes.len() < EN_PARALLELE_DES {
            1
        } else {
            rayon::current_num_threads()
        };
        let colonne = lignes.premieres(plus_grand, parts);
        colonnes.push(colonne.with_name(nom.as_str().into()).into_column());
    }
    let mut avec = table.clone();
    avec.hstack_mut(&colonnes)?;
    Ok(avec)
}

/// The rows [`avec_premieres`] reads for one filter, in one chunk each.
struct Lignes<'a> {
    codes: &'a PrimitiveArray<u32>,
    garde: &'a BooleanArray,
    dates: &'a PrimitiveArray<i32>,
}

/// Per person: no row yet whose date counts.
const AUCUNE: i64 = i64::MAX;

/// Rows beyond which [`Lignes::premieres`] splits the rows between the
/// cores: below, starting them costs more than it saves.
const EN_PARALLELE_DES: usize = 1 << 20;

impl Lignes<'_> {
    /// For each row, the earliest date of its person's rows the filter
    /// keeps (`i32::MAX` if it keeps none of them), null without a person
    /// or when every such date is empty; `plus_grand` the largest code.
    ///
    /// On the values themselves (not polars' iterators of options), the
    /// rows split in `parts` read on rayon's threads, each keeping its
    /// earliest dates by code, then the smallest of each taken: at 10 M
    /// rows this was half a second on one core.
    fn premieres(&self, plus_grand: usize, parts: usize) -> Int32Chunked {
        use rayon::prelude::*;
        let n = self.codes.len();
        let taille = n.div_ceil(parts.max(1)).max(1);
        let premiere = if parts > 1 {
            (0..n)
                .step_by(taille)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|debut| self.plus_tot(debut..(debut + taille).min(n), plus_grand))
                .reduce_with(|mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x = (*x).min(y);
                    }
                    a
                })
                .unwrap_or_else(|| vec![AUCUNE; plus_grand + 1])
        } else {
            // On this thread: rayon's are not started for a small table.
            self.plus_tot(0..n, plus_grand)
        };
        // A day number is never `i32::MIN`: it marks the rows left null.
        let valeurs: Vec<i32> = if parts > 1 {
            (0..n)
                .into_par_iter()
                .map(|i| self.premiere(&premiere, i))
                .collect()
        } else {
            (0..n).map(|i| self.premiere(&premiere, i)).collect()
        };
        let valide: Bitmap = valeurs.iter().map(|&v| v != i32::MIN).collect();
        Int32Chunked::from_vec_validity("".into(), valeurs, Some(valide))
    }

    /// The earliest date that counts of each code, over the rows `lignes`.
    fn plus_tot(&self, lignes: std::ops::Range<usize>, plus_grand: usize) -> Vec<i64> {
        let mut premiere = vec![AUCUNE; plus_grand + 1];
        let codes = self.codes.values();
        for i in lignes {
            if !self.codes.is_valid(i) {
                continue;
            }
            let d = if self.garde.is_valid(i) && self.garde.value(i) {
                if !self.dates.is_valid(i) {
                    continue;
                }
                i64::from(self.dates.value(i))
            } else {
                i64::from(i32::MAX)
            };
            let p = &mut premiere[codes[i] as usize];
            *p = (*p).min(d);
        }
        premiere
    }

    /// The earliest date of row `i`'s person, `i32::MIN` for none.
    fn premiere(&self, premiere: &[i64], i: usize) -> i32 {
        if !self.codes.is_valid(i) {
            return i32::MIN;
        }
        match premiere[self.codes.value(i) as usize] {
            AUCUNE => i32::MIN,
            p => p as i32,
        }
    }
}

/// The rows of `table` in at least one of `periodes` (the years of the
/// report, by each indicator's period rule): the only rows any figure reads.
fn dans_les_annees(table: DataFrame, periodes: &[Expr]) -> Resultat<DataFrame> {
    let Some(une) = periodes.iter().cloned().reduce(|a, b| a.or(b)) else {
        return Ok(table);
    };
    Ok(table.lazy().filter(une).collect()?)
}

/// The counts of distinct people `personnes` over the rows of `table` (its
/// masks computed), one column of one row each, named as the count.
///
/// Each count ANDs its masks' bitmaps and marks the person of every row
/// left in a bitset over the people's codes: at 10 M rows, a filter of the
/// person column and a `n_unique` per count was a second per 50 counts.
fn compter_personnes(table: &DataFrame, personnes: &[Personnes]) -> Resultat<Vec<Column>> {
    if personnes.is_empty() {
        return Ok(Vec::new());
    }
    let codes = table.column("personne")?.cast(&DataType::UInt32)?;
    let codes = codes.u32()?.rechunk();
    let codes = codes
        .downcast_iter()
        .next()
        .ok_or_else(|| Erreur::Interne("colonne personne sans morceau".into()))?;
    let plus_grand = plus_grand_code(codes);
    let masque = |m: usize| -> Resultat<BooleanChunked> {
        Ok(table.column(&liens::nom_masque(m))?.bool()?.clone())
    };
    // The counts are independent: spread over the cores, a bitset each.
    use rayon::prelude::*;
    personnes
        .par_iter()
        .map_init(
            || vec![0u64; plus_grand as usize / 64 + 1],
            |vu, p| {
                let mut lignes = match p.sans {
                    Some(m) => !&masque(m)?,
                    None => BooleanChunked::full("".into(), true, table.height()),
                };
                for &m in &p.avec {
                    lignes = &lignes & &masque(m)?;
                }
                let lignes = lignes.rechunk();
                vu.fill(0);
                let mut distinctes = 0u32;
                for morceau in lignes.downcast_iter() {
                    // Rows whose mask is null or without a person are left out.
                    let mut retenues = morceau.values().clone();
                    for v in [morceau.validity(), codes.validity()].into_iter().flatten() {
                        retenues = &retenues & v;
                    }
                    let valeurs = codes.values();
                    for i in retenues.true_idx_iter() {
                        let c = valeurs[i];
                        let (w, b) = (c as usize / 64, 1u64 << (c % 64));
                        distinctes += u32::from(vu[w] & b == 0);
                        vu[w] |= b;
                    }
                }
                Ok(Column::new(p.nom.as_str().into(), [distinctes as f64]))
            },
        )
        .collect()
}

/// Why figures are not available, by figure and year.
type Raisons = BTreeMap<(CleFigure, i32), Indisponible>;

/// Reads each case of `cases` from `resultat` (the query of `source`) into
/// `valeurs`, or why it is not available into `raisons`.
fn lire_cases(
    modele: &Modele,
    exports: &Exports,
    source: Source,
    resultat: &DataFrame,
    cases: Vec<(String, Case)>,
    valeurs: &mut BTreeMap<(CleFigure, i32), Chiffre>,
    (raisons, raisons_des_groupes): (&mut Raisons, &mut Raisons),
) -> Resultat<()> {
    let lire = |nom: &str| nombre_du_resultat(resultat, nom);
    for (nom, case) in cases {
        let cle = (case.cle.clone(), case.annee);
        if case.groupe.is_none() {
            let ind = &modele.indicateurs[case.cle.indicateur()];
            // The year or a column missing first; then, for a figure of
            // indicateurs.csv, its own row. The column of its breakdown only
            // matters to its groups.
            let ventilation = case.cle.ventilation(modele);
            let raison =
                match exports.indisponible(source, case.annee, &modele.colonnes_de(ind, None)) {
                    Some(r) => Some(r),
                    // Without the year before, everyone would look new.
                    None if ind.mesure == Mesure::NouvellesPersonnes
                        && !exports.couvre(source, case.annee - 1) =>
                    {
                        Some(Indisponible::SansAnneePrecedente {
                            source,
                            annee: case.annee,
                        })
                    }
                    None => match &case.presence {
                        Some(p) if lire(p)? == 0.0 => Some(Indisponible::SansValeur {
                            libelle: ind.libelle.clone(),
                            annee: case.annee,
                        }),
                        _ => None,
                    },
                };
            match raison {
                Some(r) => {
                    raisons.insert(cle.clone(), r);
                }
                None if ventilation.is_some() => {
                    if let Some(r) = exports.indisponible(
                        source,
                        case.annee,
                        &modele.colonnes_de(ind, ventilation),
                    ) {
                        raisons_des_groupes.insert(cle.clone(), r);
                    }
                }
                None => {}
            }
        }
        let groupe_indisponible = case.groupe.is_some() && raisons_des_groupes.contains_key(&cle);
        let valeur = if raisons.contains_key(&cle) || groupe_indisponible {
            Valeur::Nd
        } else {
            let v = lire(&nom)?;
            match &case.base {
                Some(b) => Valeur::Part {
                    num: v,
                    den: lire(b)?,
                },
                None => Valeur::Nombre(v),
            }
        };
        let chiffre = valeurs.entry(cle).or_insert(Chiffre {
            total: valeur,
            groupes: Vec::new(),
        });
        if case.groupe.is_some() {
            chiffre.groupes.push(valeur);
        }
    }
    Ok(())
}

/// How many rows of its export an indicator's filters keep, all years
/// together, and which of its filters keep none on their own (for `rapport check`).
#[derive(Debug, Clone, PartialEq)]
pub struct Retenue {
    pub lignes: f64,
    /// Columns whose filter alone matches no row.
    pub filtres_vides: Vec<String>,
}

/// [`Retenue`] of every indicator whose export was read; one pass per export.
pub fn lignes_retenues(modele: &Modele, exports: &Exports) -> Resultat<BTreeMap<String, Retenue>> {
    let mut retenues = BTreeMap::new();
    for source in Source::TOUTES {
        let Some(table) = exports.table(source) else {
            continue;
        };
        let indicateurs: Vec<(&String, &Indicateur)> = modele
            .indicateurs
            .iter()
            .filter(|(_, i)| i.source == source)
            .collect();
        let mut expressions = Vec::new();
        for (n, (_, ind)) in indicateurs.iter().enumerate() {
            let compte = |p: Expr| p.sum().cast(DataType::Float64);
            let tous = ind
                .filtres
                .iter()
                .map(|(c, f)| filtre(exports, source, c, f))
                .fold(lit(true), |a, b| a.and(b));
            expressions.push(compte(tous).alias(format!("t{n}").as_str()));
            for (j, (c, f)) in ind.filtres.iter().enumerate() {
                expressions.push(
                    compte(filtre(exports, source, c, f)).alias(format!("f{n}_{j}").as_str()),
                );
            }
        }
        if expressions.is_empty() {
            continue;
        }
        let resultat = table.clone().lazy().select(expressions).collect()?;
        let lire = |nom: &str| nombre_du_resultat(&resultat, nom);
        for (n, (id, ind)) in indicateurs.iter().enumerate() {
            let mut filtres_vides = Vec::new();
            for (j, c) in ind.filtres.keys().enumerate() {
                if lire(&format!("f{n}_{j}"))? == 0.0 {
                    filtres_vides.push(c.clone());
                }
            }
            retenues.insert(
                id.to_string(),
                Retenue {
                    lignes: lire(&format!("t{n}"))?,
                    filtres_vides,
                },
            );
        }
    }
    Ok(retenues)
}

/// The number in column `nom` of a one-row result (0 when null).
fn nombre_du_resultat(resultat: &DataFrame, nom: &str) -> Resultat<f64> {
    Ok(resultat
        .column(nom)?
        .cast(&DataType::Float64)?
        .f64()?
        .get(0)
        .unwrap_or(0.0))
}

/// Boolean columns computed once per distinct predicate (common subexpressions
/// of the figures: an indicator's filters, a year, a group).
#[derive(Default)]
struct Masques {
    expressions: Vec<Expr>,
    noms: HashMap<String, usize>,
    /// The period rules among the masks: every figure's rows are in one.
    periodes: Vec<Expr>,
    /// The first dates of people, by filter and date column, that the masks
    /// « met for the first time in the year » read ([`avec_premieres`]).
    premieres: Vec<(Expr, &'static str)>,
}

impl Masques {
    /// The number of the column holding `predicat`, added the first time it is asked for.
    fn indice(&mut self, predicat: Expr) -> usize {
        let cle = format!("{predicat:?}");
        let n = self.noms.len();
        *self.noms.entry(cle).or_insert_with(|| {
            self.expressions
                .push(predicat.alias(liens::nom_masque(n).as_str()));
            n
        })
    }

    /// [`Masques::indice`] of a period rule.
    fn periode(&mut self, predicat: Expr) -> usize {
        let avant = self.noms.len();
        let i = self.indice(predicat.clone());
        if i == avant {
            self.periodes.push(predicat);
        }
        i
    }

    /// The mask « the person of the row is met for the first time in
    /// `annee` under `filtres` »: no row of theirs the filters keep is dated
    /// before the year (by the date column of period rule `p`). A row
    /// without a person: false.
    fn premiere_fois(&mut self, filtres: Expr, p: Periode, annee: i32) -> usize {
        let (debut, _) = valeurs::bornes(annee);
        let date = date_de_premiere_fois(p);
        let k = match self
            .premieres
            .iter()
            .position(|(f, d)| *d == date && format!("{f:?}") == format!("{filtres:?}"))
        {
            Some(k) => k,
            None => {
                self.premieres.push((filtres, date));
                self.premieres.len() - 1
            }
        };
        self.indice(
            col(nom_premiere(k).as_str())
                .gt_eq(lit(debut))
                .and(col("personne").is_not_null())
                .fill_null(lit(false)),
        )
    }

    /// The column of mask `i`.
    fn col(i: usize) -> Expr {
        col(liens::nom_masque(i).as_str())
    }
}

/// A filter of the model as a predicate on `source`'s table, whose category
/// columns hold codes; a value no row has, or a missing value, never matches.
fn filtre(exports: &Exports, source: Source, colonne: &str, f: &Filtre) -> Expr {
    let c = normalise(colonne);
    let egal = |v: &str| match exports.code(source, &c, &normalise(v)) {
        Some(code) => col(c.as_str()).eq(lit(code)),
        None => lit(false),
    };
    let e = match f {
        Filtre::Egal(v) => egal(v),
        Filtre::UnDe(vs) => vs
            .iter()
            .map(|v| egal(v))
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false)),
        Filtre::Contient { contient } => col(exports::nom_contient(&c, contient).as_str()),
    };
    e.fill_null(lit(false))
}

/// The period rule for year `annee` as a predicate.
fn periode(p: Periode, annee: i32) -> Expr {
    let (debut, fin) = valeurs::bornes(annee);
    let entre = |c: &str| col(c).gt_eq(lit(debut)).and(col(c).lt_eq(lit(fin)));
    match p {
        Periode::Evenement => entre("date"),
        Periode::Ouverture => entre("ouverture"),
        Periode::Actif => col("ouverture").lt_eq(lit(fin)).and(
            col("cloture")
                .is_null()
                .or(col("cloture").gt_eq(lit(debut))),
        ),
        Periode::Annee => col("annee").eq(lit(annee)),
    }
    .fill_null(lit(false))
}

/// The measure over the rows matching `predicat`; for a share, also its base.
fn mesure(ind: &Indicateur, predicat: Expr, condition: Option<Expr>) -> (Expr, Option<Expr>) {
    let compte = |p: Expr| p.sum().cast(DataType::Float64);
    match ind.mesure {
        Mesure::Lignes => (compte(predicat), None),
        Mesure::Somme => (
            col(normalise(ind.colonne_somme()).as_str())
                .filter(predicat)
                .sum()
                .cast(DataType::Float64),
            None,
        ),
        // Counted apart, over the masks: see [`compter_personnes`].
        Mesure::Personnes | Mesure::NouvellesPersonnes => (lit(0.0), None),
        Mesure::Part => {
            let condition = condition.unwrap_or(lit(true));
            (
                compte(predicat.clone().and(condition)),
                Some(compte(predicat)),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn the_greatest_code_is_that_of_a_row_with_one_whatever_the_nulls_their_blocks_and_the_slice() {
        let mut hasard = rand_chacha::ChaCha8Rng::seed_from_u64(23);
        for n in [
            0, 1, 5, 63, 64, 65, 127, 128, 129, 191, 192, 200, 1_000, 4_099,
        ] {
            // Rows all with a code, all without, and mixed at every density.
            for presence in [0, 1, 2, 5, 8, 9, 10] {
                let codes: Vec<Option<u32>> = (0..n)
                    .map(|_| {
                        (hasard.random_range(0..10) < presence)
                            .then(|| hasard.random_range(0..1_000_000))
                    })
                    .collect();
                // A null's slot holds a value larger than every code.
                let valeurs: Vec<u32> = codes.iter().map(|c| c.unwrap_or(u32::MAX)).collect();
                let validite = Bitmap::from_iter(codes.iter().map(Option::is_some));
                let tableau =
                    PrimitiveArray::new(ArrowDataType::UInt32, valeurs.into(), Some(validite));
                for debut in [0, 1, 3, 8, 64, 70] {
                    if debut > n {
                        continue;
                    }
                    let morceau = tableau.clone().sliced(debut, n - debut);
                    let attendu = codes[debut..].iter().flatten().copied().max().unwrap_or(0);
                    assert_eq!(
                        plus_grand_code(&morceau),
                        attendu,
                        "{n} lignes dès {debut}, présence {presence}/10"
                    );
                }
            }
        }
    }

    #[test]
    fn first_dates_split_between_threads_are_those_of_one_pass_over_every_row() {
        let mut hasard = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        let n = 5_000;
        let peut_manquer = |h: &mut rand_chacha::ChaCha8Rng| h.random_range(0..5) > 0;
        let codes: Vec<Option<u32>> = (0..n)
            .map(|_| peut_manquer(&mut hasard).then(|| hasard.random_range(0..300)))
            .collect();
        let garde: Vec<Option<bool>> = (0..n)
            .map(|_| peut_manquer(&mut hasard).then(|| hasard.random_bool(0.5)))
            .collect();
        let dates: Vec<Option<i32>> = (0..n)
            .map(|_| peut_manquer(&mut hasard).then(|| hasard.random_range(12_000..16_000)))
            .collect();
        // What a person's rows give, written again from the definition:
        // the rows the filter keeps give their date (none if empty), the
        // others `i32::MAX`; the row gets the smallest, null without any.
        let attendu: Vec<Option<i32>> = codes
            .iter()
            .map(|c| {
                let c = (*c)?;
                (0..n)
                    .filter(|&j| codes[j] == Some(c))
                    .filter_map(|j| match garde[j] {
                        Some(true) => dates[j],
                        _ => Some(i32::MAX),
                    })
                    .min()
            })
            .collect();
        let codes_a = PrimitiveArray::<u32>::from(codes.clone());
        let garde_a = BooleanArray::from(garde.clone());
        let dates_a = PrimitiveArray::<i32>::from(dates.clone());
        let lignes = Lignes {
            codes: &codes_a,
            garde: &garde_a,
            dates: &dates_a,
        };
        assert!(attendu.iter().any(|a| a == &Some(i32::MAX)));
        assert!(attendu.iter().any(|a| a.is_some_and(|d| d < i32::MAX)));
        assert!(attendu.iter().any(Option::is_none));
        for parts in [1, 2, 3, 7, n + 1] {
            let obtenu: Vec<Option<i32>> = lignes.premieres(299, parts).iter().collect();
            assert_eq!(obtenu, attendu, "{parts} parts");
        }
    }
}
