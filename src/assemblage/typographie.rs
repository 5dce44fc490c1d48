//! French typography of everything a document shows besides its texts
//! (whose trees [`crate::texts::Textes::rendre`] sets): titles, labels,
//! column headers, captions and notes of tables and charts, the cover, the
//! footer, the glossary, funders' names. Applied once, when the report, an
//! extract or the comparison is assembled; the CSV files keep what the
//! model says, and the cells of a table (figures and their marks) are
//! left as they are.

use crate::document::{AssociationDoc, Document, ElementDoc, LigneDoc};
use crate::texts::typographie::typographier;

/// `texte` in French typography, in place.
pub fn texte(texte: &mut String) {
    *texte = typographier(texte);
}

/// Each of `textes`, in place.
pub fn textes<'a>(textes: impl IntoIterator<Item = &'a mut String>) {
    textes.into_iter().for_each(texte);
}

/// The association's name and town.
pub fn association(a: &mut AssociationDoc) {
    texte(&mut a.nom);
    a.ville.iter_mut().for_each(texte);
}

/// A table's title, headers, row labels, sub-headings and notes, or a
/// chart's title and description; a text's tree is already set.
pub fn element(e: &mut ElementDoc) {
    match e {
        ElementDoc::Texte { .. } => {}
        ElementDoc::Tableau {
            titre,
            entete,
            lignes,
            notes,
        } => {
            texte(titre);
            textes(entete.iter_mut());
            textes(notes.iter_mut());
            for l in lignes {
                match l {
                    LigneDoc::Intertitre { intertitre } => texte(intertitre),
                    LigneDoc::Valeurs { libelle, .. } => texte(libelle),
                }
            }
        }
        ElementDoc::Graphique { titre, alt, .. } => {
            texte(titre);
            texte(alt);
        }
    }
}

/// A chart's labels: its categories and the names of its series.
pub fn donnees(d: &mut crate::charts::Donnees) {
    textes(d.categories.iter_mut());
    textes(d.series.iter_mut().map(|(nom, _)| nom));
}

/// Every string the report shows outside its texts' trees.
pub fn document(d: &mut Document) {
    textes([&mut d.titre, &mut d.titre_document, &mut d.description]);
    textes(d.mots_cles.iter_mut());
    association(&mut d.association);
    for s in &mut d.sections {
        texte(&mut s.titre);
        s.elements.iter_mut().for_each(element);
    }
    for e in &mut d.glossaire {
        texte(&mut e.definition);
    }
    for f in &mut d.financeurs {
        texte(&mut f.nom);
    }
    textes(d.methode.iter_mut());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::CelluleDoc;

    #[test]
    fn a_table_gets_french_typography_but_not_its_cells() {
        let mut t = ElementDoc::Tableau {
            titre: "L'accueil: 2013".into(),
            entete: vec!["Femmes (dont l'accueil)".into()],
            lignes: vec![
                LigneDoc::Intertitre {
                    intertitre: "Aujourd'hui".into(),
                },
                LigneDoc::Valeurs {
                    libelle: "Taux d'accès %".into(),
                    cellules: vec![CelluleDoc {
                        texte: "1'2".into(),
                        portee: 1,
                    }],
                },
            ],
            notes: vec!["n.c. : non calculable; voir l'annexe".into()],
        };
        element(&mut t);
        let texte = serde_json::to_string(&t).unwrap();
        assert!(texte.contains("L’accueil\u{a0}: 2013"), "{texte}");
        assert!(
            texte.contains("Aujourd’hui") && texte.contains("l’accueil"),
            "{texte}"
        );
        assert!(
            texte.contains("calculable\u{202f}; voir l’annexe"),
            "{texte}"
        );
        assert!(
            texte.contains("\"1'2\""),
            "les cellules restent telles quelles : {texte}"
        );
    }
}
