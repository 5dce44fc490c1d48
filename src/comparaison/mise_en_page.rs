//! The comparison as a PDF: its document for `comparaison.typ`, a table
//! and a chart per section.

use serde::Serialize;

use super::{Comparaison, LigneComparee, SectionComparee};
use crate::charts::{self, Donnees};
use crate::document::{self, AssociationDoc, ElementDoc};
use crate::error::Resultat;
use crate::fr;
use crate::model::{Mesure, Modele};
use crate::suivi::Suivi;

/// What the comparison's template receives.
#[derive(Serialize)]
struct DocumentComparaison {
    titre: String,
    titre_document: String,
    introduction: String,
    date: String,
    association: AssociationDoc,
    sections: Vec<SectionComparaisonDoc>,
}

#[derive(Serialize)]
struct SectionComparaisonDoc {
    titre: String,
    tableau: ElementDoc,
    /// One chart per unit and order of magnitude.
    graphiques: Vec<ElementDoc>,
}

/// How far apart the largest and smallest figures of one chart may be: past
/// that, the small ones are flat bars on the large ones' axis, and go to a
/// chart of their own.
const ECART_D_ECHELLE: f64 = 8.0;

/// The largest published value of a row, over the years.
fn grandeur(l: &LigneComparee) -> f64 {
    l.valeurs
        .iter()
        .filter_map(|v| v.nombre())
        .fold(0.0, f64::max)
}

/// Rows in groups of one order of magnitude, largest first: each group is
/// drawn on one scale.
fn par_echelle(mut lignes: Vec<&LigneComparee>) -> Vec<Vec<&LigneComparee>> {
    lignes.sort_by(|a, b| grandeur(b).total_cmp(&grandeur(a)));
    let mut groupes: Vec<Vec<&LigneComparee>> = Vec::new();
    for l in lignes {
        match groupes.last_mut() {
            Some(g) if grandeur(g[0]) <= ECART_D_ECHELLE * grandeur(l).max(1.0) => g.push(l),
            _ => groupes.push(vec![l]),
        }
    }
    groupes
}

/// The charts of a section: the totals of its counts (or of its shares when
/// it has only shares), one chart per unit and order of magnitude.
fn graphiques(section: &SectionComparee, annees: &[i32], modele: &Modele) -> Vec<Donnees> {
    let totaux: Vec<&LigneComparee> = section
        .lignes
        .iter()
        .filter(|l| l.groupe.is_none())
        .collect();
    let parts = |l: &&LigneComparee| modele.indicateurs[&l.indicateur].mesure == Mesure::Part;
    let mut choisis: Vec<&LigneComparee> = totaux.iter().copied().filter(|l| !parts(l)).collect();
    if choisis.is_empty() {
        choisis = totaux.iter().copied().filter(parts).collect();
    }
    let pourcent = choisis.iter().all(parts);
    // One unit per chart: amounts only with amounts.
    let mut unites: Vec<Option<String>> = Vec::new();
    for l in &choisis {
        if !unites.contains(&l.unite) {
            unites.push(l.unite.clone());
        }
    }
    let mut dessins = Vec::new();
    for unite in unites {
        let de_l_unite: Vec<&LigneComparee> = choisis
            .iter()
            .copied()
            .filter(|l| l.unite == unite)
            .collect();
        // Shares share one axis, from 0 to 100 %.
        let groupes = if pourcent {
            vec![de_l_unite]
        } else {
            par_echelle(de_l_unite)
        };
        for mut groupe in groupes {
            dessins.push(if annees.len() == 2 {
                Donnees {
                    categories: groupe.iter().map(|l| l.libelle.clone()).collect(),
                    series: annees
                        .iter()
                        .enumerate()
                        .map(|(i, a)| {
                            (a.to_string(), groupe.iter().map(|l| l.valeurs[i]).collect())
                        })
                        .collect(),
                    pourcent,
                    unite: unite.clone(),
                    lignes: false,
                }
            } else {
                groupe.truncate(3);
                Donnees {
                    categories: annees.iter().map(|a| a.to_string()).collect(),
                    series: groupe
                        .iter()
                        .map(|l| (l.libelle.clone(), l.valeurs.clone()))
                        .collect(),
                    pourcent,
                    unite: unite.clone(),
                    lignes: true,
                }
            });
        }
    }
    dessins
}

/// The PDF of the comparison, typeset with the comparison's template of `gabarits`.
pub fn pdf(
    gabarits: &document::Gabarits,
    modele: &Modele,
    c: &Comparaison,
    date: time::Date,
    suivi: &Suivi,
) -> Resultat<(Vec<u8>, usize)> {
    let (premiere, derniere) = (c.annees[0], c.annees[c.annees.len() - 1]);
    let titre = if c.annees.len() == 2 {
        format!("Comparaison {premiere} et {derniere}")
    } else {
        format!("Évolution de {premiere} à {derniere}")
    };
    let mut fichiers = Vec::new();
    let mut sections = Vec::new();
    for (i, s) in c.sections.iter().enumerate() {
        let tableau = c.tableau(s);
        let donnees = graphiques(s, &c.annees, modele);
        let plusieurs = donnees.len() > 1;
        let mut elements = Vec::new();
        for (j, d) in donnees.iter().enumerate() {
            let titre_g = if plusieurs {
                format!(
                    "{} ({}) : {premiere} à {derniere}",
                    s.titre,
                    fr::liste(&if d.lignes {
                        d.series.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()
                    } else {
                        d.categories.clone()
                    })
                )
            } else {
                format!("{} : {premiere} à {derniere}", s.titre)
            };
            let dessin = charts::dessin(&titre_g, d, &modele.identite.couleurs.palette(), suivi)?;
            let fichier = format!("/graphiques/section-{}-{}.svg", i + 1, j + 1);
            fichiers.push((fichier.clone(), dessin.svg.into_bytes()));
            elements.push(ElementDoc::Graphique {
                alt: dessin.description,
                titre: titre_g,
                fichier,
            });
        }
        sections.push(SectionComparaisonDoc {
            titre: s.titre.clone(),
            tableau,
            graphiques: elements,
        });
    }
    let doc = DocumentComparaison {
        titre_document: format!("{titre} — {}", modele.association.nom),
        introduction: format!(
            "Chaque indicateur du modèle est calculé pour chaque année à partir des mêmes exports et avec les mêmes définitions. L'écart est la différence entre deux années, l'évolution cet écart rapporté à la première ; « n.c. » : évolution non calculable, la première année valant 0 ; « n.d. » : non disponible (voir les notes). Les parts sont en pour cent, et leurs écarts en points : une évolution en pour cent d'une part ne serait pas lisible. Une évolution calculée sur moins de {} (actions, personnes, ou personnes sous une part) est signalée par une note : une ou deux personnes de plus ou de moins la changent beaucoup. Les indicateurs d'ordres de grandeur différents sont dessinés dans des graphiques séparés, chacun à son échelle. {}",
            super::BASE_FRAGILE,
            crate::publication::explication(modele)
        ),
        titre,
        date: fr::date_longue(date),
        association: AssociationDoc {
            nom: modele.association.nom.clone(),
            ville: modele.association.ville.clone(),
            logo: None,
        },
        sections,
    };
    document::composer(
        gabarits,
        "comparaison.typ",
        &doc,
        &c.nom(),
        fichiers,
        date,
        suivi,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Valeur;

    fn ligne(libelle: &str, a: f64, b: f64) -> LigneComparee {
        LigneComparee {
            indicateur: libelle.into(),
            libelle: libelle.into(),
            groupe: None,
            valeurs: vec![Valeur::Nombre(a), Valeur::Nombre(b)],
            unite: None,
            renvois: Vec::new(),
        }
    }

    #[test]
    fn rows_of_one_order_of_magnitude_share_a_chart_and_others_get_their_own() {
        let (tournees, aides, visites, repas) = (
            ligne("tournées", 171.0, 184.0),
            ligne("aides", 201.0, 246.0),
            ligne("visites", 8225.0, 16119.0),
            ligne("repas", 52.0, 52.0),
        );
        let groupes = par_echelle(vec![&tournees, &visites, &repas, &aides]);
        let noms: Vec<Vec<&str>> = groupes
            .iter()
            .map(|g| g.iter().map(|l| l.libelle.as_str()).collect())
            .collect();
        assert_eq!(
            noms,
            vec![vec!["visites"], vec!["aides", "tournées", "repas"]]
        );
    }
}
