//! The comparison stage: every indicator of the model for each year,
//! computed from the same exports with the same definitions and published
//! together, side by side with the changes; its CSV, terminal table and PDF.

mod mise_en_page;

pub use mise_en_page::pdf;

use std::fmt::Write as _;
use std::path::Path;

use crate::document::ElementDoc;
use crate::error::{Erreur, Resultat};
use crate::figures::tableaux::{Cellule, LigneCalculee, TableauCalcule};
use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::{CleFigure, Modele, releve};
use crate::output::terminal::Largeurs;
use crate::output::texte_sur;
use crate::suivi::Suivi;
use crate::texts::Textes;

/// One row: an indicator, or one group of its breakdown, over the years.
#[derive(Debug, Clone)]
pub struct LigneComparee {
    pub indicateur: String,
    pub libelle: String,
    /// The group of the breakdown, `None` for the total.
    pub groupe: Option<String>,
    pub valeurs: Vec<Valeur>,
    pub unite: Option<String>,
    /// Numbers of the notes (1-based) this row refers to.
    pub renvois: Vec<usize>,
}

/// The rows of one section of the report.
#[derive(Debug, Clone)]
pub struct SectionComparee {
    pub titre: String,
    pub lignes: Vec<LigneComparee>,
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct Comparaison {
    pub annees: Vec<i32>,
    pub sections: Vec<SectionComparee>,
    /// Footnotes: missing data, changed definitions.
    pub notes: Vec<String>,
}

/// The change from `a` to `b`, if both are available.
pub fn ecart(a: Valeur, b: Valeur) -> Option<f64> {
    Some(b.nombre()? - a.nombre()?)
}

/// The change from `a` to `b` as printed: `+104`, `−2`, `+3,1 pts` for shares.
pub fn texte_ecart(a: Valeur, b: Valeur, unite: Option<&str>) -> String {
    let Some(e) = ecart(a, b) else {
        return "—".into();
    };
    let signe = if e > 0.0 {
        "+"
    } else if e < 0.0 {
        "\u{2212}"
    } else {
        ""
    };
    let abs = e.abs();
    match (b, unite) {
        (Valeur::Part { .. }, _) => {
            let points = fr::nombre(abs, 1);
            // French usage: « 1,5 pt », « 3,2 pts » (point de pourcentage).
            let pluriel = if abs >= 2.0 { "pts" } else { "pt" };
            format!("{signe}{points}{}{pluriel}", fr::INSECABLE)
        }
        (_, Some("€")) => format!("{signe}{}", fr::euros(abs)),
        _ => format!("{signe}{}", fr::nombre_auto(abs)),
    }
}

/// The relative change from `a` to `b`, in percent; `None` when it cannot
/// be computed (a value missing or hidden, a base of 0) or has no meaning
/// (a share, whose change is told in points by [`texte_ecart`]).
pub fn evolution(a: Valeur, b: Valeur) -> Option<f64> {
    if matches!(a, Valeur::Part { .. }) || matches!(b, Valeur::Part { .. }) {
        return None;
    }
    let (a, b) = (a.nombre()?, b.nombre()?);
    (a != 0.0).then(|| 100.0 * (b - a) / a)
}

/// What a relative change from 0 prints: not computable (as a share of no one).
pub use crate::figures::NON_CALCULABLE;

/// The note that says what [`NON_CALCULABLE`] means.
pub const NOTE_NON_CALCULABLE: &str =
    "« n.c. » : évolution non calculable, la première année valant 0.";

/// Under how much a base makes a relative change fragile: from 8 to 12 is
/// « +50 % », and one person more or less moves it by a tenth.
pub const BASE_FRAGILE: f64 = 20.0;

/// The note of a change computed on a small base.
pub fn note_base_fragile() -> String {
    format!(
        "Évolution calculée sur moins de {} : une ou deux unités de plus ou de moins la changent beaucoup ; à lire avec prudence.",
        BASE_FRAGILE
    )
}

/// Whether the change from `a` to `b` has no relative value: from 0 to a number.
pub fn non_calculable(a: Valeur, b: Valeur) -> bool {
    !matches!(b, Valeur::Part { .. }) && a.nombre() == Some(0.0) && b.nombre().is_some()
}

/// Whether the relative change from `a` to `b` is computed on fewer than
/// [`BASE_FRAGILE`] (rows, people, or the people under a share), from
/// published values only.
pub fn base_fragile(a: Valeur, b: Valeur) -> bool {
    let base = |v: Valeur| match v {
        Valeur::Part { den, .. } => Some(den),
        Valeur::Nombre(x) => Some(x),
        _ => None,
    };
    match (base(a), base(b)) {
        (Some(x), Some(y)) => x > 0.0 && (x < BASE_FRAGILE || y < BASE_FRAGILE),
        _ => false,
    }
}

/// The relative change as printed: `+87,4 %`, `−5,3 %`, `n.c.` when the
/// base is 0, `—` when missing, nothing for a share (its change is in points).
pub fn texte_evolution(a: Valeur, b: Valeur) -> String {
    if non_calculable(a, b) {
        return NON_CALCULABLE.into();
    }
    if matches!(b, Valeur::Part { .. }) && b.nombre().is_some() && a.nombre().is_some() {
        return String::new();
    }
    match evolution(a, b) {
        Some(e) => {
            let arrondi = fr::nombre(e.abs(), 1);
            let signe = if arrondi == "0,0" {
                ""
            } else if e > 0.0 {
                "+"
            } else {
                "\u{2212}"
            };
            format!("{signe}{arrondi}{}%", fr::FINE)
        }
        None => "—".into(),
    }
}

/// Computes the comparison of `annees` for the project `projet`, whose
/// previous builds (and their records of definitions) are in `sortie`;
/// `cache`, the folder of the cache of checked exports, if used.
pub fn comparer(
    projet: &Path,
    sortie: &Path,
    cache: Option<&Path>,
    annees: &[i32],
    suivi: &Suivi,
) -> Resultat<(Modele, Comparaison, Figures)> {
    let (modele, exports) = crate::projet::lire_projet_en_cache(projet, cache, suivi)?;
    let derniere = annees.iter().copied().max();
    let publie = crate::publication::publier(
        &modele,
        &exports,
        &crate::publication::annees(&modele, annees),
        Some(sortie),
        derniere,
        suivi,
    )?;
    publie.signaler();
    let figures = publie.figures;
    let mut textes = Textes::new(&modele, &figures, suivi);

    // Each indicator once, in the section where the report first shows it.
    let mut places: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut vus = std::collections::BTreeSet::new();
    for section in &modele.sections {
        let mut ids = Vec::new();
        for e in &section.elements {
            let noms: Vec<(&str, &str)> = modele.indicateurs_de(e);
            for (id, libelle) in noms {
                if vus.insert(id.to_string()) {
                    ids.push((id.to_string(), libelle.to_string()));
                }
            }
        }
        if !ids.is_empty() {
            let titre = textes.texte(&section.titre, &crate::model::lieu_section())?;
            places.push((titre, ids));
        }
    }
    let autres: Vec<(String, String)> = modele
        .indicateurs
        .iter()
        .filter(|(id, _)| !vus.contains(*id))
        .map(|(id, i)| (id.clone(), i.libelle.clone()))
        .collect();
    if !autres.is_empty() {
        places.push(("Autres indicateurs".into(), autres));
    }

    let releves: Vec<(i32, releve::Releve)> = annees
        .iter()
        .filter_map(|&a| releve::lire(sortie, a).map(|r| (a, r)))
        .collect();
    let mut notes = NotesDuTableau::default();
    let mut sections = Vec::new();
    for (titre, ids) in places {
        let mut lignes = Vec::new();
        for (id, libelle) in ids {
            let cle = CleFigure::propre(&id);
            let mut rangees = lignes_de(&modele, &figures, &cle, &libelle, annees, &mut notes);
            for (a, r) in &releves {
                if releve::modifies(&modele, r).contains(&id) {
                    rangees[0].renvois.push(notes.renvoi(format!(
                        "La définition de « {libelle} » a changé depuis la construction du rapport {a} (le {}) : le chiffre publié pour {a} a été calculé autrement ; ici, toutes les années suivent la définition actuelle.",
                        r.date
                    )));
                }
            }
            lignes.extend(rangees);
        }
        sections.push(SectionComparee { titre, lignes });
    }
    Ok((
        modele,
        Comparaison {
            annees: annees.to_vec(),
            sections,
            notes: notes.0,
        },
        figures,
    ))
}

/// Footnotes, each text once, numbered from 1.
#[derive(Default)]
pub struct NotesDuTableau(pub Vec<String>);

impl NotesDuTableau {
    /// The number of note `texte`, added if new.
    pub fn renvoi(&mut self, texte: String) -> usize {
        match self.0.iter().position(|n| *n == texte) {
            Some(i) => i + 1,
            None => {
                self.0.push(texte);
                self.0.len()
            }
        }
    }
}

/// The rows of figure `cle` shown as
/// `libelle` over `annees`: its total, then each group of its breakdown;
/// notes for values not available or masked.
pub fn lignes_de(
    modele: &Modele,
    figures: &Figures,
    cle: &CleFigure,
    libelle: &str,
    annees: &[i32],
    notes: &mut NotesDuTableau,
) -> Vec<LigneComparee> {
    let id = cle.indicateur();
    let ind = &modele.indicateurs[id];
    let ventilation = cle.ventilation(modele);
    let mut renvois = Vec::new();
    for &a in annees {
        if let Some(r) = figures.raison(cle, a) {
            renvois.push(notes.renvoi(format!("{a} : non disponible, {r}.")));
        }
    }
    let mut lignes = vec![LigneComparee {
        indicateur: id.to_string(),
        libelle: libelle.to_string(),
        groupe: None,
        valeurs: annees
            .iter()
            .map(|&a| figures.chiffre(cle, a).total)
            .collect(),
        unite: ind.unite.clone(),
        renvois,
    }];
    if let Some(v) = ventilation {
        // The years whose groups alone are not available (their total is).
        let mut renvois_des_groupes = Vec::new();
        for &a in annees {
            if let Some(r) = figures.raison_des_groupes(cle, a) {
                renvois_des_groupes.push(notes.renvoi(format!("{a} : non disponible, {r}.")));
            }
        }
        for (k, g) in modele.ventilations[v].groupes.iter().enumerate() {
            lignes.push(LigneComparee {
                indicateur: id.to_string(),
                libelle: libelle.to_string(),
                groupe: Some(g.libelle.clone()),
                valeurs: annees
                    .iter()
                    .map(|&a| figures.chiffre(cle, a).groupes[k])
                    .collect(),
                unite: ind.unite.clone(),
                renvois: renvois_des_groupes.clone(),
            });
        }
    }
    // A relative change on a small base, from published values only.
    for l in &mut lignes {
        if l.valeurs.windows(2).any(|p| base_fragile(p[0], p[1])) {
            let n = notes.renvoi(note_base_fragile());
            l.renvois.push(n);
        }
    }
    let mut marques: Vec<String> = lignes
        .iter()
        .flat_map(|l| l.valeurs.iter().filter_map(Valeur::note_du_secret))
        .collect();
    marques.sort();
    marques.dedup();
    for n in marques {
        lignes[0].renvois.push(notes.renvoi(n));
    }
    if crate::publication::sans_secret(modele, id) {
        let n = notes.renvoi(format!(
            "{}.",
            fr::majuscule(crate::publication::PHRASE_DESACTIVE)
        ));
        lignes[0].renvois.push(n);
    }
    lignes
}

impl LigneComparee {
    /// The row's label: the indicator, or `dont <groupe>`, with its note numbers.
    pub fn etiquette(&self) -> String {
        let mut e = match &self.groupe {
            // A group already worded « dont … » is not prefixed twice.
            Some(g) if g.to_lowercase().starts_with("dont ") => g.clone(),
            Some(g) => format!("dont {g}"),
            None => self.libelle.clone(),
        };
        for r in &self.renvois {
            let _ = write!(e, " [{r}]");
        }
        e
    }

    /// The printed cells: the values, then for each pair of years the change and the relative change.
    pub fn cellules(&self) -> Vec<String> {
        let unite = self.unite.as_deref();
        let mut c: Vec<String> = self.valeurs.iter().map(|v| v.texte(unite)).collect();
        for p in self.valeurs.windows(2) {
            c.push(texte_ecart(p[0], p[1], unite));
            c.push(texte_evolution(p[0], p[1]));
        }
        c
    }
}

impl Comparaison {
    /// Section `s` as a table for a Typst template, its notes below it.
    pub fn tableau(&self, s: &SectionComparee) -> ElementDoc {
        let lignes = s
            .lignes
            .iter()
            .map(|l| LigneCalculee::Valeurs {
                indicateur: l.indicateur.clone(),
                libelle: if l.groupe.is_some() {
                    format!("    {}", l.etiquette())
                } else {
                    l.etiquette()
                },
                cellules: l
                    .cellules()
                    .into_iter()
                    .map(|texte| Cellule {
                        colonne: String::new(),
                        annee: 0,
                        portee: 1,
                        valeur: Valeur::Nd,
                        texte,
                        note: None,
                    })
                    .collect(),
            })
            .collect();
        let mut renvois: Vec<usize> = s
            .lignes
            .iter()
            .flat_map(|l| l.renvois.iter().copied())
            .collect();
        renvois.sort();
        renvois.dedup();
        let tableau = TableauCalcule {
            id: String::new(),
            titre: s.titre.clone(),
            entete: self.entete(),
            lignes,
            colonne_total: false,
            groupes_en_lignes: false,
            notes: Vec::new(),
        };
        let mut tableau = ElementDoc::tableau(&tableau);
        if let ElementDoc::Tableau { notes, .. } = &mut tableau {
            *notes = renvois
                .iter()
                .map(|r| format!("[{r}] {}", self.notes[r - 1]))
                .collect();
        }
        tableau
    }

    /// Column headers after the label's.
    pub fn entete(&self) -> Vec<String> {
        let mut e: Vec<String> = self.annees.iter().map(|a| a.to_string()).collect();
        for p in self.annees.windows(2) {
            e.push(format!("Écart {} → {}", p[0], p[1]));
            e.push(format!("Évol. {} → {}", p[0], p[1]));
        }
        e
    }

    /// The base name of the outputs: `comparaison-2012-2013`.
    pub fn nom(&self) -> String {
        crate::output::noms::comparaison(self.annees[0], self.annees[self.annees.len() - 1])
    }

    /// The terminal table: aligned, grouped by section, notes after each section.
    pub fn texte(&self) -> String {
        let entete = self.entete();
        let etiquette = |l: &LigneComparee| {
            let retrait = if l.groupe.is_some() { "  " } else { "" };
            format!("{retrait}{}", l.etiquette())
        };
        let cellules: Vec<Vec<Vec<String>>> = self
            .sections
            .iter()
            .map(|s| s.lignes.iter().map(LigneComparee::cellules).collect())
            .collect();
        let largeurs = Largeurs::ajustees(
            &entete,
            self.sections.iter().zip(&cellules).flat_map(|(s, c)| {
                s.lignes
                    .iter()
                    .zip(c)
                    .map(|(l, c)| (etiquette(l), c.as_slice()))
            }),
            60,
        );
        let mut out = String::new();
        for (s, cellules) in self.sections.iter().zip(&cellules) {
            let _ = writeln!(out, "\n{}", s.titre);
            let _ = writeln!(out, "{}", largeurs.ligne("", &entete));
            let mut renvois = Vec::new();
            for (l, c) in s.lignes.iter().zip(cellules) {
                let _ = writeln!(out, "{}", largeurs.ligne(&etiquette(l), c));
                renvois.extend(l.renvois.iter().copied());
            }
            renvois.sort();
            renvois.dedup();
            for r in renvois {
                let _ = writeln!(out, "  [{r}] {}", self.notes[r - 1]);
            }
        }
        out
    }

    /// The comparison as CSV: one row per indicator × group, `;`, decimal comma, UTF-8 with BOM.
    pub fn csv(&self) -> Resultat<Vec<u8>> {
        let mut w = crate::output::csv_francais();
        let interne = |e: csv::Error| Erreur::Interne(e.to_string());
        let mut entete: Vec<String> = ["section", "indicateur", "libelle", "groupe", "unite"]
            .map(String::from)
            .to_vec();
        entete.extend(self.annees.iter().map(|a| format!("valeur_{a}")));
        for p in self.annees.windows(2) {
            entete.push(format!("ecart_{}_{}", p[0], p[1]));
            entete.push(format!("evolution_pct_{}_{}", p[0], p[1]));
        }
        entete.push("notes".into());
        w.write_record(&entete).map_err(interne)?;
        let nombre = |v: Option<f64>, d: usize| v.map(|v| fr::decimal(v, d)).unwrap_or_default();
        for s in &self.sections {
            for l in &s.lignes {
                let part = l.valeurs.iter().any(|v| matches!(v, Valeur::Part { .. }));
                let unite = if part {
                    "%".to_string()
                } else {
                    l.unite.clone().unwrap_or_default()
                };
                let mut r = vec![
                    texte_sur(&s.titre).into_owned(),
                    l.indicateur.clone(),
                    texte_sur(&l.libelle).into_owned(),
                    texte_sur(l.groupe.as_deref().unwrap_or_default()).into_owned(),
                    unite,
                ];
                let decimales = |v: &Valeur| match v {
                    Valeur::Part { .. } => 1,
                    Valeur::Nombre(x) if x.fract() != 0.0 => 2,
                    _ => 0,
                };
                // A hidden cell shows its mark (`< 5` or `s`), as in every output.
                r.extend(l.valeurs.iter().map(|v| {
                    if v.est_masquee() {
                        v.texte(None)
                    } else {
                        nombre(v.nombre(), decimales(v))
                    }
                }));
                for p in l.valeurs.windows(2) {
                    r.push(nombre(
                        ecart(p[0], p[1]),
                        decimales(&p[1]).max(decimales(&p[0])),
                    ));
                    r.push(if non_calculable(p[0], p[1]) {
                        NON_CALCULABLE.into()
                    } else {
                        nombre(evolution(p[0], p[1]), 1)
                    });
                }
                r.push(
                    l.renvois
                        .iter()
                        .map(|n| self.notes[n - 1].clone())
                        .collect::<Vec<_>>()
                        .join(" ; "),
                );
                w.write_record(&r).map_err(interne)?;
            }
        }
        w.into_inner().map_err(|e| Erreur::Interne(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_written_the_french_way() {
        let n = Valeur::Nombre;
        assert_eq!(texte_evolution(n(119.0), n(223.0)), "+87,4\u{202F}%");
        assert_eq!(texte_evolution(n(38.0), n(36.0)), "\u{2212}5,3\u{202F}%");
        assert_eq!(texte_evolution(n(52.0), n(52.0)), "0,0\u{202F}%");
        assert_eq!(texte_evolution(n(0.0), n(4.0)), "n.c.");
        assert_eq!(texte_evolution(Valeur::Nd, n(4.0)), "—");
        assert_eq!(texte_ecart(n(38.0), n(36.0), None), "\u{2212}2");
        assert_eq!(texte_ecart(n(8225.0), n(16119.0), None), "+7\u{202F}894");
        let part = |num, den| Valeur::Part { num, den };
        assert_eq!(
            texte_ecart(part(1.0, 4.0), part(1.0, 2.0), None),
            "+25,0\u{A0}pts"
        );
        assert_eq!(
            texte_ecart(part(10.0, 100.0), part(11.0, 100.0), None),
            "+1,0\u{A0}pt"
        );
        assert_eq!(texte_evolution(part(1.0, 4.0), part(1.0, 2.0)), "");
        assert_eq!(evolution(part(1.0, 4.0), part(1.0, 2.0)), None);
    }
}
