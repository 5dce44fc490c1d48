//! Markdown → the tree of a text ([`super::arbre`]) that the templates render.
//!
//! The tree holds strings, never markup: whatever a text or the data contains
//! is shown literally in the PDF.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::arbre::{Balise, Noeud};

/// Converts Markdown to a list of block nodes (see [`Balise`] for the
/// kinds). A footnote is placed where it is cited.
///
/// Two passes then complete the tree of a report's text:
/// [`super::typographie::typographier_arbre`] sets its texts in French
/// typography, and [`super::sigles::Sigles::marquer`] marks the acronyms of
/// the glossary.
pub fn arbre(texte: &str) -> Vec<Noeud> {
    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    // The footnotes' definitions apart, by label, to be placed where cited.
    let mut texte_principal = Vec::new();
    let mut notes: HashMap<String, Vec<Event>> = HashMap::new();
    let mut note: Option<(String, Vec<Event>, usize)> = None;
    for evenement in Parser::new_ext(texte, options) {
        match (&mut note, evenement) {
            (None, Event::Start(Tag::FootnoteDefinition(label))) => {
                note = Some((label.to_string(), Vec::new(), 0));
            }
            (None, e) => texte_principal.push(e),
            (Some((_, _, 0)), Event::End(TagEnd::FootnoteDefinition)) => {
                let (label, evenements, _) = note.take().expect("une note en cours");
                notes.insert(label, evenements);
            }
            (Some((_, evenements, profondeur)), e) => {
                match &e {
                    Event::Start(_) => *profondeur += 1,
                    Event::End(_) => *profondeur -= 1,
                    _ => {}
                }
                evenements.push(e);
            }
        }
    }
    construire(&texte_principal, &notes, &mut Vec::new())
}

/// The tree of `evenements`; `notes` are the footnotes' events by label,
/// `en_cours` the labels of the notes being built (a note citing itself is
/// shown as its label).
fn construire(
    evenements: &[Event],
    notes: &HashMap<String, Vec<Event>>,
    en_cours: &mut Vec<String>,
) -> Vec<Noeud> {
    let mut racine = Vec::new();
    let mut pile: Vec<Balise> = Vec::new();
    // The path and title of each image being read: its alt text is read
    // into a temporary element on `pile`.
    let mut images: Vec<(String, String)> = Vec::new();
    for (i, evenement) in evenements.iter().enumerate() {
        match evenement {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                images.push((dest_url.to_string(), title.to_string()));
                pile.push(Balise::Portee {
                    enfants: Vec::new(),
                });
            }
            Event::End(TagEnd::Image) => {
                let alt = pile.pop().expect("événements équilibrés");
                let (fichier, titre) = images.pop().expect("une image en cours");
                let image = Balise::Image {
                    fichier,
                    alt: texte_de(alt.enfants().map(Vec::as_slice).unwrap_or_default())
                        .trim()
                        .to_string(),
                    credit: (!titre.trim().is_empty()).then(|| titre.trim().to_string()),
                };
                enfants(&mut pile, &mut racine).push(image.into());
            }
            Event::Start(tag) => pile.push(ouvrir(tag)),
            Event::End(_) => {
                let element = pile.pop().expect("événements équilibrés");
                let destination = enfants(&mut pile, &mut racine);
                match element {
                    // A paragraph of pictures alone: the pictures, as blocks.
                    Balise::Paragraphe { enfants } if que_des_images(&enfants) => destination
                        .extend(
                            enfants
                                .into_iter()
                                .filter(|n| matches!(n, Noeud::Balise(_))),
                        ),
                    Balise::Citation { enfants } => destination.push(
                        Balise::Citation {
                            enfants: signer(enfants),
                        }
                        .into(),
                    ),
                    element => destination.push(Noeud::Balise(element)),
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                pousser_texte(&mut pile, &mut racine, t)
            }
            Event::Code(t) => {
                enfants(&mut pile, &mut racine).push(Balise::Code { v: t.to_string() }.into())
            }
            // The signature of a quotation keeps its own line.
            Event::SoftBreak
                if pile.iter().any(|b| matches!(b, Balise::Citation { .. }))
                    && matches!(evenements.get(i + 1), Some(Event::Text(t)) if tiret_de_signature(t).is_some()) =>
            {
                enfants(&mut pile, &mut racine).push(Balise::Saut.into())
            }
            Event::SoftBreak => pousser_texte(&mut pile, &mut racine, " "),
            Event::HardBreak => enfants(&mut pile, &mut racine).push(Balise::Saut.into()),
            Event::Rule => enfants(&mut pile, &mut racine).push(Balise::Filet.into()),
            Event::FootnoteReference(label) => match notes.get(label.as_ref()) {
                Some(e) if !en_cours.iter().any(|l| l == label.as_ref()) => {
                    en_cours.push(label.to_string());
                    let note = Balise::Note {
                        enfants: construire(e, notes, en_cours),
                    };
                    en_cours.pop();
                    enfants(&mut pile, &mut racine).push(note.into());
                }
                _ => pousser_texte(&mut pile, &mut racine, &format!("[^{label}]")),
            },
            _ => {}
        }
    }
    racine
}

/// The text of `noeuds`, markup left out (an image's alt text).
fn texte_de(noeuds: &[Noeud]) -> String {
    let mut t = String::new();
    for n in noeuds {
        match n {
            Noeud::Texte(s) => t.push_str(s),
            Noeud::Balise(Balise::Code { v }) => t.push_str(v),
            Noeud::Balise(b) => t.push_str(&texte_de(
                b.enfants().map(Vec::as_slice).unwrap_or_default(),
            )),
        }
    }
    t
}

/// Whether a paragraph holds pictures and nothing else but spaces.
fn que_des_images(enfants: &[Noeud]) -> bool {
    enfants
        .iter()
        .any(|n| matches!(n, Noeud::Balise(Balise::Image { .. })))
        && enfants.iter().all(|n| match n {
            Noeud::Texte(t) => t.trim().is_empty(),
            Noeud::Balise(b) => matches!(b, Balise::Image { .. } | Balise::Saut),
        })
}

/// What follows the dash of a signature (`— Awa, 34 ans`, `-- Awa`),
/// if `texte` starts with one.
fn tiret_de_signature(texte: &str) -> Option<&str> {
    let t = texte.trim_start();
    ["—", "–", "--"]
        .iter()
        .find_map(|tiret| t.strip_prefix(tiret))
        .map(str::trim_start)
        .filter(|reste| !reste.is_empty())
}

/// The children of a `>` block (or the blocks of a foreword), its last line made its signature when it
/// starts with a dash: a last paragraph of its own, or the last line of
/// the last paragraph.
pub fn signer(mut enfants: Vec<Noeud>) -> Vec<Noeud> {
    let Some(Noeud::Balise(Balise::Paragraphe { enfants: dernier })) = enfants.last_mut() else {
        return enfants;
    };
    let debut = dernier
        .iter()
        .rposition(|n| matches!(n, Noeud::Balise(Balise::Saut)))
        .map_or(0, |k| k + 1);
    let Some(Noeud::Texte(premier)) = dernier.get(debut) else {
        return enfants;
    };
    let Some(reste) = tiret_de_signature(premier) else {
        return enfants;
    };
    let reste = reste.to_string();
    let mut signature = dernier.split_off(debut);
    signature[0] = Noeud::Texte(reste);
    if debut > 0 {
        // The line break before the signature.
        dernier.pop();
    } else {
        enfants.pop();
    }
    enfants.push(Balise::Signature { enfants: signature }.into());
    enfants
}

/// The element a Markdown tag opens, without children yet.
fn ouvrir(tag: &Tag) -> Balise {
    let enfants = Vec::new();
    match tag {
        Tag::Paragraph => Balise::Paragraphe { enfants },
        Tag::Heading { level, .. } => Balise::Titre {
            niveau: match level {
                HeadingLevel::H1 => 1,
                HeadingLevel::H2 => 2,
                HeadingLevel::H3 => 3,
                _ => 4,
            },
            enfants,
        },
        Tag::BlockQuote(_) => Balise::Citation { enfants },
        Tag::List(Some(_)) => Balise::ListeNumerotee { enfants },
        Tag::List(None) => Balise::Liste { enfants },
        Tag::Item => Balise::Item { enfants },
        Tag::Emphasis => Balise::Italique { enfants },
        Tag::Strong => Balise::Gras { enfants },
        Tag::Strikethrough => Balise::Barre { enfants },
        Tag::Link { dest_url, .. } => Balise::Lien {
            url: dest_url.to_string(),
            enfants,
        },
        Tag::CodeBlock(_) => Balise::BlocDeCode { lignes: Vec::new() },
        // Anything else (tables, raw HTML blocks) keeps its text only.
        _ => Balise::Portee { enfants },
    }
}

/// Where the next node goes: the children of the innermost open element,
/// or the root. Only text goes into a code block, by [`pousser_texte`].
fn enfants<'a>(pile: &'a mut [Balise], racine: &'a mut Vec<Noeud>) -> &'a mut Vec<Noeud> {
    match pile.last_mut() {
        Some(e) => e
            .enfants_mut()
            .expect("seul du texte entre dans un bloc de code"),
        None => racine,
    }
}

/// Appends text, merging it with the previous text.
fn pousser_texte(pile: &mut [Balise], racine: &mut Vec<Noeud>, texte: &str) {
    if let Some(Balise::BlocDeCode { lignes }) = pile.last_mut() {
        match lignes.last_mut() {
            Some(s) => s.push_str(texte),
            None => lignes.push(texte.to_string()),
        }
        return;
    }
    let enfants = enfants(pile, racine);
    if let Some(Noeud::Texte(s)) = enfants.last_mut() {
        s.push_str(texte);
    } else {
        enfants.push(Noeud::Texte(texte.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn en_json(a: &[Noeud]) -> serde_json::Value {
        serde_json::to_value(a).unwrap()
    }

    #[test]
    fn markup_characters_stay_text() {
        let a = en_json(&arbre("Un #read(\"/etc/passwd\") et $x$ et @ref et <lbl>"));
        assert_eq!(
            a,
            json!([{"t": "p", "c": ["Un #read(\"/etc/passwd\") et $x$ et @ref et <lbl>"]}])
        );
    }

    #[test]
    fn emphasis_lists_and_headings_become_nodes() {
        let a = en_json(&arbre(
            "## Titre\n\nDu *texte* et **gras**.\n\n- un\n- deux\n",
        ));
        assert_eq!(a[0], json!({"t": "h", "niveau": 2, "c": ["Titre"]}));
        assert_eq!(
            a[1],
            json!({"t": "p", "c": ["Du ", {"t": "em", "c": ["texte"]}, " et ", {"t": "strong", "c": ["gras"]}, "."]})
        );
        assert_eq!(a[2]["t"], "ul");
        assert_eq!(a[2]["c"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_footnote_is_placed_where_it_is_cited() {
        let a = en_json(&arbre(
            "Les HSH[^1] sont discrets.\n\n[^1]: Hommes ayant des relations sexuelles avec des hommes.\n",
        ));
        assert_eq!(a.as_array().unwrap().len(), 1);
        assert_eq!(
            a[0]["c"][1],
            json!({"t": "note", "c": [{"t": "p", "c": ["Hommes ayant des relations sexuelles avec des hommes."]}]})
        );
    }

    #[test]
    fn a_footnote_that_cites_itself_is_shown_as_its_label() {
        let a = en_json(&arbre("Voir[^a].\n\n[^a]: Encore[^a].\n"));
        assert_eq!(
            a[0]["c"][1],
            json!({"t": "note", "c": [{"t": "p", "c": ["Encore[^a]."]}]})
        );
    }

    #[test]
    fn a_picture_alone_is_a_block_with_its_alt_text_and_credit() {
        let a = en_json(&arbre(
            "Avant.\n\n![Le *bus* de prévention](photos/bus.jpg \"Photo : Les Amarres\")\n\n![](x.png)\n",
        ));
        assert_eq!(
            a,
            json!([
                {"t": "p", "c": ["Avant."]},
                {"t": "img", "fichier": "photos/bus.jpg", "alt": "Le bus de prévention", "credit": "Photo : Les Amarres"},
                {"t": "img", "fichier": "x.png", "alt": "", "credit": null},
            ])
        );
    }

    #[test]
    fn the_last_line_of_a_quotation_starting_with_a_dash_is_its_signature() {
        let a = en_json(&arbre(
            "> On m'a écoutée.\n> Enfin.\n> — Awa, 34 ans\n\n> Premier.\n>\n> -- Une bénévole\n\n> Sans signature.\n",
        ));
        assert_eq!(
            a[0],
            json!({"t": "quote", "c": [
                {"t": "p", "c": ["On m'a écoutée. Enfin."]},
                {"t": "signature", "c": ["Awa, 34 ans"]},
            ]})
        );
        assert_eq!(
            a[1],
            json!({"t": "quote", "c": [
                {"t": "p", "c": ["Premier."]},
                {"t": "signature", "c": ["Une bénévole"]},
            ]})
        );
        assert_eq!(
            a[2],
            json!({"t": "quote", "c": [{"t": "p", "c": ["Sans signature."]}]})
        );
    }

    #[test]
    fn a_code_block_keeps_its_lines_as_text() {
        let a = en_json(&arbre("```\n<b>un</b>\ndeux\n```\n"));
        assert_eq!(a, json!([{"t": "codebloc", "c": ["<b>un</b>\ndeux\n"]}]));
    }
}
