//! Markdown → a tree of plain values that the Typst template renders.
//!
//! The tree holds strings, never markup: whatever a text or the data contains
//! is shown literally in the PDF.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Map, Value, json};

/// Converts Markdown to a list of block nodes.
///
/// Nodes are strings (text) or objects with `t` (kind) and `c` (children):
/// `p`, `h` (`niveau`), `ul`, `ol`, `li`, `quote`, `em`, `strong`, `strike`,
/// `link` (`url`), `code` (`v`, inline code), `codebloc` (a code block, its
/// lines as text children), `note` (a footnote, placed where it is cited),
/// `br`, `hr`, and `span` (anything else, its text only).
///
/// Two passes then complete the tree of a report's text:
/// [`super::typographie::typographier_arbre`] sets its texts in French
/// typography, and [`super::sigles::Sigles::marquer`] adds a node kind:
/// `sigle` (`v`, the acronym as in the glossary; `lien`, true on its first
/// occurrence in the running text of the report, which links to its
/// glossary entry, labelled `glossaire-` followed by the acronym; `c`, the
/// acronym again as text, for templates that do not know this kind).
pub fn arbre(texte: &str) -> Vec<Value> {
    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut pile: Vec<(Map<String, Value>, Vec<Value>)> = vec![(Map::new(), Vec::new())];
    let mut notes: HashMap<String, Vec<Value>> = HashMap::new();
    for evenement in Parser::new_ext(texte, options) {
        match evenement {
            Event::Start(tag) => {
                let mut noeud = Map::new();
                let t = match tag {
                    Tag::Paragraph => "p",
                    Tag::Heading { level, .. } => {
                        let n = match level {
                            HeadingLevel::H1 => 1,
                            HeadingLevel::H2 => 2,
                            HeadingLevel::H3 => 3,
                            _ => 4,
                        };
                        noeud.insert("niveau".into(), json!(n));
                        "h"
                    }
                    Tag::BlockQuote(_) => "quote",
                    Tag::List(Some(_)) => "ol",
                    Tag::List(None) => "ul",
                    Tag::Item => "li",
                    Tag::Emphasis => "em",
                    Tag::Strong => "strong",
                    Tag::Strikethrough => "strike",
                    Tag::Link { dest_url, .. } => {
                        noeud.insert("url".into(), json!(dest_url.to_string()));
                        "link"
                    }
                    Tag::CodeBlock(_) => "codebloc",
                    Tag::FootnoteDefinition(label) => {
                        noeud.insert("label".into(), json!(label.to_string()));
                        "notedef"
                    }
                    // Anything else (tables, images, raw HTML blocks) keeps its text only.
                    _ => "span",
                };
                noeud.insert("t".into(), json!(t));
                pile.push((noeud, Vec::new()));
            }
            Event::End(fin) => {
                let (mut noeud, enfants) = pile.pop().expect("événements équilibrés");
                if matches!(fin, TagEnd::FootnoteDefinition) {
                    let label = noeud["label"].as_str().unwrap_or_default().to_string();
                    notes.insert(label, enfants);
                    continue;
                }
                noeud.insert("c".into(), Value::Array(enfants));
                pile.last_mut()
                    .expect("racine")
                    .1
                    .push(Value::Object(noeud));
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => pousser_texte(&mut pile, &t),
            Event::Code(t) => pile
                .last_mut()
                .expect("racine")
                .1
                .push(json!({"t": "code", "v": t.to_string()})),
            Event::SoftBreak => pousser_texte(&mut pile, " "),
            Event::HardBreak => pile.last_mut().expect("racine").1.push(json!({"t": "br"})),
            Event::Rule => pile.last_mut().expect("racine").1.push(json!({"t": "hr"})),
            Event::FootnoteReference(label) => pile
                .last_mut()
                .expect("racine")
                .1
                .push(json!({"t": "noteref", "label": label.to_string()})),
            _ => {}
        }
    }
    let racine = pile.pop().map(|(_, e)| e).unwrap_or_default();
    racine.into_iter().map(|n| resoudre(n, &notes)).collect()
}

/// Appends text, merging it with the previous text node.
fn pousser_texte(pile: &mut [(Map<String, Value>, Vec<Value>)], texte: &str) {
    let enfants = &mut pile.last_mut().expect("racine").1;
    if let Some(Value::String(s)) = enfants.last_mut() {
        s.push_str(texte);
    } else {
        enfants.push(Value::String(texte.to_string()));
    }
}

/// Replaces footnote references by the footnote's content.
fn resoudre(noeud: Value, notes: &HashMap<String, Vec<Value>>) -> Value {
    match noeud {
        Value::Object(mut o) => {
            if o.get("t").and_then(Value::as_str) == Some("noteref") {
                let label = o.get("label").and_then(Value::as_str).unwrap_or_default();
                let contenu = notes
                    .get(label)
                    .cloned()
                    .unwrap_or_else(|| vec![json!(format!("[^{label}]"))]);
                let contenu: Vec<Value> = contenu.into_iter().map(|n| resoudre(n, notes)).collect();
                return json!({"t": "note", "c": contenu});
            }
            if let Some(Value::Array(enfants)) = o.remove("c") {
                o.insert(
                    "c".into(),
                    Value::Array(enfants.into_iter().map(|n| resoudre(n, notes)).collect()),
                );
            }
            Value::Object(o)
        }
        autre => autre,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_stay_text() {
        let a = arbre("Un #read(\"/etc/passwd\") et $x$ et @ref et <lbl>");
        assert_eq!(
            a,
            vec![json!({"t": "p", "c": ["Un #read(\"/etc/passwd\") et $x$ et @ref et <lbl>"]})]
        );
    }

    #[test]
    fn emphasis_lists_and_headings_become_nodes() {
        let a = arbre("## Titre\n\nDu *texte* et **gras**.\n\n- un\n- deux\n");
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
        let a = arbre(
            "Les HSH[^1] sont discrets.\n\n[^1]: Hommes ayant des relations sexuelles avec des hommes.\n",
        );
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0]["c"][1],
            json!({"t": "note", "c": [{"t": "p", "c": ["Hommes ayant des relations sexuelles avec des hommes."]}]})
        );
    }
}
