//! Stage 5b: narrative texts. Each text is Markdown with Tera placeholders
//! citing live figures (`{{ ind.contacts_net.total | nombre }}`); it is
//! rendered with the year's figures, parsed to a tree of values, and set in
//! French typography. The glossary's sigles are then marked in the trees
//! (see `cmd::build`).

pub mod markdown;
pub mod sigles;
pub mod typographie;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{Probleme, Resultat};
use crate::figures::Figures;
use crate::fr::{self, normalise};
use crate::model::Modele;

/// The narrative renderer: Tera with French filters, and the figures as context.
pub struct Textes {
    tera: tera::Tera,
    contexte: tera::Context,
    /// The model's indicators, to suggest the closest to a wrong name.
    identifiants: Vec<String>,
}

impl Textes {
    /// Prepares the context of year `figures.annee`.
    pub fn new(modele: &Modele, figures: &Figures) -> Textes {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![]);
        tera.register_filter("nombre", filtre_nombre);
        tera.register_filter("pourcent", filtre_pourcent);
        tera.register_filter("euros", filtre_euros);
        let mut contexte = tera::Context::new();
        let annee = figures.annee;
        contexte.insert("annee", &annee);
        contexte.insert("annee_precedente", &(annee - 1));
        contexte.insert(
            "association",
            &json!({"nom": modele.association.nom, "ville": modele.association.ville}),
        );
        contexte.insert("ind", &valeurs(modele, figures, annee));
        contexte.insert("prec", &valeurs(modele, figures, annee - 1));
        Textes {
            tera,
            contexte,
            identifiants: modele.indicateurs.keys().cloned().collect(),
        }
    }

    /// Renders the text file `relatif` of project `projet` to a tree of
    /// blocks, in French typography.
    pub fn rendre(&mut self, projet: &Path, relatif: &Path) -> Resultat<Vec<Value>> {
        let source = std::fs::read_to_string(projet.join(relatif)).map_err(|e| {
            Probleme::new(relatif, format!("texte illisible ({e})"))
                .correction("enregistrez le texte en UTF-8")
        })?;
        let texte = self.texte(&source, relatif)?;
        Ok(crate::chrono::mesurer("textes", || {
            let mut arbre = markdown::arbre(&texte);
            typographie::typographier_arbre(&mut arbre);
            arbre
        }))
    }

    /// Renders a title of the model (a section's, a table's, a chart's), in
    /// French typography; `nom` names it in messages.
    pub fn titre(&mut self, source: &str, nom: &Path) -> Resultat<String> {
        Ok(typographie::typographier(&self.texte(source, nom)?))
    }

    /// Renders a template string; `nom` names it in messages.
    pub fn texte(&mut self, source: &str, nom: &Path) -> Resultat<String> {
        let _e = crate::chrono::etape("textes");
        self.tera.render_str(source, &self.contexte).map_err(|e| {
            let mut detail = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                detail = c.to_string();
                cause = c.source();
            }
            let mut p = Probleme::new(nom, "espace réservé incorrect")
                .attendu("des espaces réservés comme {{ ind.contacts_net.total | nombre }}");
            // "Variable `ind.x.total` not found in context…": say which, where, and the closest name.
            if let Some(variable) = detail
                .strip_prefix("Variable `")
                .and_then(|r| r.split_once('`'))
                .map(|(v, _)| v.to_string())
            {
                p.message = format!("la variable « {variable} » n'existe pas");
                if let Some(l) = source.lines().position(|l| l.contains(&variable)) {
                    p = p.ligne(l + 1);
                }
                let id = variable.split('.').nth(1).unwrap_or_default();
                let proche = plus_proche(id, self.identifiants.iter());
                p = p.correction(match proche {
                    Some(proche) if variable.starts_with("ind.") || variable.starts_with("prec.") => {
                        format!("l'indicateur le plus proche s'appelle « {proche} » (voir [indicateurs] dans rapport.toml)")
                    }
                    _ => "vérifiez le nom (annee, annee_precedente, association.nom, ind.ID.total, ind.ID.groupes.CLE, prec.ID.total)".into(),
                });
            } else {
                p.message = format!("espace réservé incorrect ({detail})");
                p = p.correction("vérifiez la syntaxe {{ … }} de ce texte");
            }
            p.into()
        })
    }
}

/// `{ id: { libelle, total, groupes: { cle: valeur } } }` for one year; a share is in percent.
fn valeurs(modele: &Modele, figures: &Figures, annee: i32) -> Value {
    let mut tout = Map::new();
    if !figures.annees.contains(&annee) {
        return Value::Object(tout);
    }
    for (id, ind) in &modele.indicateurs {
        let c = figures.chiffre(id, annee);
        let mut groupes = Map::new();
        if let Some(v) = &ind.ventilation {
            for (g, val) in modele.ventilations[v].groupes.iter().zip(&c.groupes) {
                groupes.insert(g.cle(), valeur(val));
            }
        }
        tout.insert(
            id.clone(),
            json!({"libelle": ind.libelle, "total": valeur(&c.total), "groupes": groupes}),
        );
    }
    Value::Object(tout)
}

/// A figure for a template: a number, or else its text (`< 5` when masked,
/// `n.d.` when the exports cannot give it), which the filters print as is.
fn valeur(v: &crate::figures::Valeur) -> Value {
    match (v, v.nombre()) {
        (crate::figures::Valeur::Masque { .. }, _) | (_, None) => json!(v.texte(None)),
        (_, Some(n)) => json!(n),
    }
}

fn nombre_de(v: &Value, filtre: &str) -> tera::Result<f64> {
    v.as_f64().ok_or_else(|| {
        tera::Error::msg(format!("le filtre « {filtre} » attend un nombre, pas {v}"))
    })
}

fn filtre_nombre(v: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    // A masked figure is already its text.
    if v.is_string() {
        return Ok(v.clone());
    }
    let n = nombre_de(v, "nombre")?;
    Ok(json!(match args.get("decimales").and_then(Value::as_u64) {
        Some(d) => fr::nombre(n, d as usize),
        None => fr::nombre_auto(n),
    }))
}

fn filtre_pourcent(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    if v.is_string() {
        return Ok(v.clone());
    }
    Ok(json!(fr::pourcent(nombre_de(v, "pourcent")?)))
}

fn filtre_euros(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    if v.is_string() {
        return Ok(v.clone());
    }
    Ok(json!(fr::euros(nombre_de(v, "euros")?)))
}

/// One glossary entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entree {
    pub sigle: String,
    pub definition: String,
}

/// Reads the glossary (`sigle;definition`, header line first), sorted in French order.
pub fn glossaire(projet: &Path, relatif: &Path) -> Resultat<Vec<Entree>> {
    let texte = std::fs::read_to_string(projet.join(relatif)).map_err(|e| {
        Probleme::new(relatif, format!("glossaire illisible ({e})"))
            .correction("enregistrez le glossaire en CSV UTF-8")
    })?;
    let texte = texte.trim_start_matches('\u{FEFF}');
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(texte.as_bytes());
    let mut entrees = Vec::new();
    for r in lecteur.records() {
        let r = r.map_err(|e| Probleme::new(relatif, format!("glossaire illisible ({e})")))?;
        let ligne = r.position().map_or(0, |p| p.line() as usize);
        let (Some(sigle), Some(definition)) = (r.get(0), r.get(1)) else {
            return Err(Probleme::new(relatif, "ligne incomplète")
                .ligne(ligne)
                .attendu("sigle;définition")
                .into());
        };
        if sigle.trim().is_empty() {
            continue;
        }
        entrees.push(Entree {
            sigle: sigle.trim().into(),
            definition: definition.trim().into(),
        });
    }
    entrees.sort_by_key(|e| (normalise(&e.sigle), e.sigle.clone()));
    Ok(entrees)
}

/// The candidate closest to `mot` in spelling (fewest edits), if any.
pub fn plus_proche<'a>(
    mot: &str,
    candidats: impl Iterator<Item = &'a String>,
) -> Option<&'a String> {
    candidats.min_by_key(|c| (strsim::levenshtein(mot, c), c.as_str()))
}
