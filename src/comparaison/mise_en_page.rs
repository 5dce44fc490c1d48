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

impl DocumentComparaison {
    /// Every string it shows in French typography: titles, introduction,
    /// the tables' and charts' titles, labels and headers.
    fn typographier(&mut self) {
        use crate::assemblage::typographie as t;
        t::textes([
            &mut self.titre,
            &mut self.titre_document,
            &mut self.introduction,
        ]);
        t::association(&mut self.association);
        for s in &mut self.sections {
            t::texte(&mut s.titre);
            t::element(&mut s.tableau);
            s.graphique.iter_mut().for_each(t::element);
        }
    }
}

#[derive(Serialize)]
struct SectionComparaisonDoc {
    titre: String,
    tableau: ElementDoc,
    graphique: Option<ElementDoc>,
}

/// The chart of a section: the totals of its counts (or of its shares when it has only shares).
fn graphique(section: &SectionComparee, annees: &[i32], modele: &Modele) -> Option<Donnees> {
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
    let unite = choisis.first()?.unite.clone();
    choisis.retain(|l| l.unite == unite);
    if annees.len() == 2 {
        Some(Donnees {
            categories: choisis.iter().map(|l| l.libelle.clone()).collect(),
            series: annees
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    (
                        a.to_string(),
                        choisis.iter().map(|l| l.valeurs[i]).collect(),
                    )
                })
                .collect(),
            pourcent,
            unite,
            lignes: false,
        })
    } else {
        choisis.truncate(3);
        Some(Donnees {
            categories: annees.iter().map(|a| a.to_string()).collect(),
            series: choisis
                .iter()
                .map(|l| (l.libelle.clone(), l.valeurs.clone()))
                .collect(),
            pourcent,
            unite,
            lignes: true,
        })
    }
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
        let graphique = match graphique(s, &c.annees, modele) {
            Some(mut d) => {
                crate::assemblage::typographie::donnees(&mut d);
                let titre_g = format!("{} : {premiere} à {derniere}", s.titre);
                let dessin = charts::dessin(&titre_g, &d, suivi)?;
                let fichier = format!("/graphiques/section-{}.svg", i + 1);
                fichiers.push((fichier.clone(), dessin.svg.into_bytes()));
                Some(ElementDoc::Graphique {
                    alt: dessin.description,
                    titre: titre_g,
                    fichier,
                })
            }
            None => None,
        };
        sections.push(SectionComparaisonDoc {
            titre: s.titre.clone(),
            tableau,
            graphique,
        });
    }
    let mut doc = DocumentComparaison {
        titre_document: format!("{titre} — {}", modele.association.nom),
        introduction: format!(
            "Chaque indicateur du modèle est calculé pour chaque année à partir des mêmes exports et avec les mêmes définitions. L'écart est la différence entre deux années, l'évolution cet écart rapporté à la première ; « n.s. » : évolution non significative, la première année valant 0 ; « n.d. » : non disponible (voir les notes). Les parts sont en pour cent et leurs écarts en points. {}",
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
    doc.typographier();
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
