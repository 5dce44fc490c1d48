//! The document handed to the templates as `/donnees.json`: `rapport.typ`,
//! `commun.typ` and the projects' own templates read it by its keys, so its
//! shape is a contract. The sample's 2013 document is recorded in
//! `tests/instantanes/donnees-2013.json`; a change of shape, of a text's
//! tree or of a figure shows here as the first path that differs.
//!
//! When the change is intended, record the new document with
//! `RAPPORT_INSTANTANE=ecrire cargo test --test instantane` and review the
//! difference in `git diff`.

mod commun;

use std::path::Path;

use commun::*;
use serde_json::Value;

const INSTANTANE: &str = "tests/instantanes/donnees-2013.json";

/// The first path where `a` and `b` differ, with both values.
fn premiere_difference(a: &Value, b: &Value, chemin: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let cles: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            cles.into_iter().find_map(|k| {
                let nul = Value::Null;
                premiere_difference(
                    x.get(k).unwrap_or(&nul),
                    y.get(k).unwrap_or(&nul),
                    &format!("{chemin}.{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (u, v))| premiere_difference(u, v, &format!("{chemin}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{chemin} : {a} au lieu de {b}")),
    }
}

#[test]
fn the_document_handed_to_the_templates_is_the_recorded_one() {
    let document = document_2013(&echantillon());
    let chemin = Path::new(env!("CARGO_MANIFEST_DIR")).join(INSTANTANE);
    if std::env::var("RAPPORT_INSTANTANE").as_deref() == Ok("ecrire") {
        std::fs::create_dir_all(chemin.parent().unwrap()).unwrap();
        let mut texte = serde_json::to_string_pretty(&document).unwrap();
        texte.push('\n');
        std::fs::write(&chemin, texte).unwrap();
        return;
    }
    let enregistre: Value =
        serde_json::from_str(&std::fs::read_to_string(&chemin).unwrap()).unwrap();
    if let Some(d) = premiere_difference(&document, &enregistre, "document") {
        panic!(
            "le document servi aux gabarits a changé : {d}\n\
             si c'est voulu : RAPPORT_INSTANTANE=ecrire cargo test --test instantane"
        );
    }
}

#[test]
fn the_first_difference_names_its_path() {
    let a = serde_json::json!({"sections": [{"titre": "A"}, {"titre": "B"}]});
    let b = serde_json::json!({"sections": [{"titre": "A"}, {"titre": "C"}]});
    assert_eq!(
        premiere_difference(&a, &b, "document").as_deref(),
        Some("document.sections[1].titre : \"B\" au lieu de \"C\"")
    );
    assert_eq!(premiere_difference(&a, &a, "document"), None);
}
