//! Stage 5b: narrative texts. Each text is Markdown with Tera placeholders
//! citing live figures (`{{ ind.contacts_net.total | nombre }}`); it is
//! rendered with the year's figures, parsed to a tree of values, and set in
//! French typography. The glossary's sigles are then marked in the trees
//! (see `assemblage`), and `rapport check` reads the texts for acronyms
//! missing from the glossary and figures typed by hand ([`verification`]).

pub mod arbre;
pub mod images;
pub mod markdown;
pub mod sigles;
pub mod titres;
pub mod typographie;
pub mod verification;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{Erreur, Probleme, Resultat};
use crate::figures::Figures;
use crate::fr::{self, normalise, plus_proche, plus_proches};
use crate::model::Modele;
use crate::suivi::{Etape, Suivi};

pub use arbre::{Balise, Noeud};

/// The narrative renderer: Tera with French filters, and the figures as context.
pub struct Textes<'s> {
    tera: tera::Tera,
    contexte: tera::Context,
    /// The model's indicators and the keys of their groups, to say which
    /// placeholder exists and suggest the closest to a wrong name.
    indicateurs: BTreeMap<String, Vec<String>>,
    suivi: &'s Suivi,
}

impl<'s> Textes<'s> {
    /// Prepares the context of year `figures.annee`; `suivi` times the texts.
    pub fn new(modele: &Modele, figures: &Figures, suivi: &'s Suivi) -> Textes<'s> {
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
        let indicateurs = modele
            .indicateurs
            .iter()
            .map(|(id, ind)| {
                let groupes = match &ind.ventilation {
                    Some(v) => modele.ventilations[v]
                        .groupes
                        .iter()
                        .map(|g| g.cle())
                        .collect(),
                    None => Vec::new(),
                };
                (id.clone(), groupes)
            })
            .collect();
        Textes {
            tera,
            contexte,
            indicateurs,
            suivi,
        }
    }

    /// Renders the text file `relatif` of project `projet` to a tree of
    /// blocks, in French typography; its pictures checked ([`images::verifier`])
    /// and named by their virtual path, for [`images::servir`].
    pub fn rendre(&mut self, projet: &Path, relatif: &Path) -> Resultat<Vec<Noeud>> {
        let source = lire_texte(projet, relatif)?;
        let texte = self.texte(&source, relatif)?;
        images::verifier_texte(projet, relatif, &texte)?;
        Ok(self.suivi.mesurer(Etape::Textes, || {
            let mut arbre = markdown::arbre(&texte);
            typographie::typographier_arbre(&mut arbre);
            images::nommer(&mut arbre);
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
        let _e = self.suivi.etape(Etape::Textes);
        self.tera.render_str(source, &self.contexte).map_err(|e| {
            let mut detail = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                detail = c.to_string();
                cause = c.source();
            }
            // "Variable `ind.x.total` not found in context…": say which, where, and the closest name.
            match detail
                .strip_prefix("Variable `")
                .and_then(|r| r.split_once('`'))
            {
                Some((variable, _)) => {
                    let ligne = source
                        .lines()
                        .position(|l| l.contains(variable))
                        .map(|l| l + 1);
                    self.variable_inconnue(variable, nom, ligne)
                }
                None => Probleme::new(nom, format!("espace réservé incorrect ({detail})"))
                    .attendu("des espaces réservés comme {{ ind.contacts_net.total | nombre }}")
                    .correction("vérifiez la syntaxe {{ … }} de ce texte"),
            }
            .into()
        })
    }

    /// Every placeholder of `source` that names a figure the model does not
    /// have (`ind.contacts_nett.total`, `ind.contacts_net.groupes.femme`),
    /// with its line: all of them, where rendering stops at the first.
    pub fn variables_inconnues(&self, source: &str, nom: &Path) -> Vec<Probleme> {
        verification::variables(source)
            .into_iter()
            .filter(|(_, v)| !self.existe(v))
            .map(|(ligne, v)| self.variable_inconnue(&v, nom, Some(ligne)))
            .collect()
    }

    /// Whether `variable` (`ind.ID…`, `prec.ID…`) names a figure of the model.
    fn existe(&self, variable: &str) -> bool {
        let parties: Vec<&str> = variable.split('.').collect();
        let Some(groupes) = parties.get(1).and_then(|id| self.indicateurs.get(*id)) else {
            return parties.len() < 2;
        };
        match parties.get(2..).unwrap_or_default() {
            [] | ["total"] | ["libelle"] | ["groupes"] => true,
            ["groupes", cle] => groupes.iter().any(|g| g == cle),
            _ => false,
        }
    }

    /// The error for a placeholder naming something the model does not
    /// have, with what it could have meant.
    fn variable_inconnue(&self, variable: &str, nom: &Path, ligne: Option<usize>) -> Probleme {
        let mut p = Probleme::new(nom, format!("la variable « {variable} » n'existe pas"))
            .attendu("des espaces réservés comme {{ ind.contacts_net.total | nombre }}");
        if let Some(l) = ligne {
            p = p.ligne(l);
        }
        let parties: Vec<&str> = variable.split('.').collect();
        let figure = matches!(parties[0], "ind" | "prec") && parties.len() > 1;
        let id = parties.get(1).copied().unwrap_or_default();
        let correction = match (figure, self.indicateurs.get(id)) {
            (false, _) => "vérifiez le nom (annee, annee_precedente, association.nom, ind.ID.total, ind.ID.groupes.CLE, prec.ID.total)".to_string(),
            (true, None) => {
                let proches: Vec<String> = plus_proches(id, self.indicateurs.keys())
                    .into_iter()
                    .map(|p| format!("« {p} »"))
                    .collect();
                match proches.as_slice() {
                    [] => "déclarez cet indicateur dans [indicateurs] de rapport.toml".into(),
                    [un] => format!("l'indicateur le plus proche s'appelle {un} (voir [indicateurs] dans rapport.toml)"),
                    _ => format!(
                        "les indicateurs les plus proches s'appellent {} (voir [indicateurs] dans rapport.toml)",
                        fr::liste(&proches)
                    ),
                }
            }
            (true, Some(groupes)) if parties.get(2) == Some(&"groupes") && groupes.is_empty() => {
                format!("« {id} » n'a pas de ventilation : écrivez {}.{id}.total", parties[0])
            }
            (true, Some(groupes)) if parties.get(2) == Some(&"groupes") => {
                let cle = parties.get(3).copied().unwrap_or_default();
                let proche = plus_proche(cle, groupes.iter())
                    .map(|g| format!(" ; le plus proche est « {g} »"))
                    .unwrap_or_default();
                format!(
                    "les groupes de « {id} » s'écrivent {}{proche}",
                    fr::liste(&groupes.iter().map(|g| format!("« {g} »")).collect::<Vec<_>>())
                )
            }
            (true, Some(_)) => format!(
                "écrivez {p}.{id}.total, {p}.{id}.groupes.CLE ou {p}.{id}.libelle",
                p = parties[0]
            ),
        };
        p.correction(correction)
    }
}

/// The text file `relatif` of the project.
pub fn lire_texte(projet: &Path, relatif: &Path) -> Resultat<String> {
    lire_fichier(projet, relatif, "texte", "le texte en UTF-8")
}

/// The file `relatif` of `projet`, a `quoi` (texte, glossaire) of the
/// model, as text; `format` says how to save it when it is not UTF-8.
fn lire_fichier(projet: &Path, relatif: &Path, quoi: &str, format: &str) -> Resultat<String> {
    std::fs::read_to_string(projet.join(relatif)).map_err(|e| match e.kind() {
        // A file removed while `build --watch` runs, or since the model was read.
        std::io::ErrorKind::NotFound => Erreur::absent(
            Probleme::new(relatif, format!("{quoi} introuvable"))
                .correction("créez ce fichier, ou corrigez son chemin dans rapport.toml"),
        ),
        std::io::ErrorKind::InvalidData => Probleme::new(
            relatif,
            format!("{quoi} illisible : ce n'est pas du texte en UTF-8"),
        )
        .correction(format!("enregistrez {format} (dans le tableur ou l'éditeur : « Enregistrer sous », codage UTF-8)"))
        .into(),
        std::io::ErrorKind::PermissionDenied => Probleme::new(
            relatif,
            format!("{quoi} illisible : permission refusée"),
        )
        .correction("donnez-vous le droit de lire ce fichier, ou copiez-le dans le projet")
        .into(),
        _ => Probleme::new(relatif, format!("{quoi} illisible ({e})")).into(),
    })
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
    // A hidden cell has no number: its mark is its text.
    match v.nombre() {
        None => json!(v.texte(None)),
        Some(n) => json!(n),
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
    let texte = lire_fichier(projet, relatif, "glossaire", "le glossaire en CSV UTF-8")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_is_sorted_in_french_order_accents_and_case_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("g.csv"),
            "sigle;definition\nFIV;f\nÉtat;é\nEV;e\nARS OI;o\nARS;a\nECG;c\n",
        )
        .unwrap();
        let sigles: Vec<String> = glossaire(dir.path(), Path::new("g.csv"))
            .unwrap()
            .into_iter()
            .map(|e| e.sigle)
            .collect();
        assert_eq!(sigles, ["ARS", "ARS OI", "ECG", "État", "EV", "FIV"]);
    }
}
