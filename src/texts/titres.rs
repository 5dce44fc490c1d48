//! The levels of the texts' headings, brought back to a sequence without
//! a gap: a `###` right under a section (whose own heading is level 1 in
//! the PDF) becomes the next level allowed, 2, as a `##` would be. A
//! skipped level is refused by PDF/UA (Typst stops the export) and read
//! by screen readers as a missing part; the coordinator meant a
//! sub-heading, so it is set as one, without a word.
//!
//! Levels are relative: each heading goes one level under the nearest
//! heading before it whose Markdown level is lower, and at level 2 when
//! there is none (`#` and `##` are both the first level under a section,
//! as the templates have always set them).

use super::{Balise, Noeud};

/// The headings met so far in one part of the report (a section's texts,
/// the foreword, the thanks): their Markdown level and the level given.
#[derive(Debug, Default)]
pub struct Niveaux {
    pile: Vec<(u8, u8)>,
}

/// The level of a text's first heading under its part's title (level 1).
const PREMIER: u8 = 2;

impl Niveaux {
    /// Sets the level of every heading of `blocs`, in reading order,
    /// following those met before in the same part.
    pub fn niveler(&mut self, blocs: &mut [Noeud]) {
        for n in blocs {
            let Noeud::Balise(b) = n else { continue };
            if let Balise::Titre { niveau, .. } = b {
                let propre = (*niveau).max(PREMIER);
                while self.pile.last().is_some_and(|&(p, _)| p >= propre) {
                    self.pile.pop();
                }
                let donne = self.pile.last().map_or(PREMIER, |&(_, d)| d + 1);
                self.pile.push((propre, donne));
                *niveau = donne;
            }
            if let Some(enfants) = b.enfants_mut() {
                self.niveler(enfants);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::markdown;

    fn niveaux(textes: &[&str]) -> Vec<u8> {
        let mut n = Niveaux::default();
        let mut vus = Vec::new();
        for t in textes {
            let mut arbre = markdown::arbre(t);
            n.niveler(&mut arbre);
            for b in &arbre {
                if let Noeud::Balise(Balise::Titre { niveau, .. }) = b {
                    vus.push(*niveau);
                }
            }
        }
        vus
    }

    #[test]
    fn a_third_level_heading_right_under_a_section_becomes_the_second_level() {
        assert_eq!(niveaux(&["### Sous-titre\n\nTexte.\n"]), vec![2]);
    }

    #[test]
    fn headings_keep_their_nesting_without_a_gap() {
        assert_eq!(
            niveaux(&["## A\n\n#### B\n\n### C\n\n## D\n\n### E\n"]),
            vec![2, 3, 3, 2, 3]
        );
        // `#` and `##` are both the first level under the section.
        assert_eq!(niveaux(&["# A\n\n## B\n\n### C\n"]), vec![2, 2, 3]);
    }

    #[test]
    fn the_texts_of_one_section_follow_each_other() {
        assert_eq!(niveaux(&["## A\n", "### B\n"]), vec![2, 3]);
        assert_eq!(niveaux(&["### A\n", "#### B\n"]), vec![2, 3]);
    }
}
