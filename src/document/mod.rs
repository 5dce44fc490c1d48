//! Stage 6: the Typst document. The figures, tables, charts and texts are
//! serialised as JSON and served to the template by the build's own `World`;
//! the template reads them with `json()`, so nothing from the data is ever
//! parsed as markup.

mod gabarits;
mod monde;

use std::path::PathBuf;

use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::Smart;
use typst::syntax::{DiagSpan, FileId};
use typst::{World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Erreur, Probleme, Resultat};
use crate::figures::tableaux::{LigneCalculee, TableauCalcule};
use crate::suivi::{Etape, Suivi};
use crate::texts::{Entree, Noeud};

pub use gabarits::{Gabarit, Gabarits};
pub use monde::{Monde, Refus};

/// Everything the template shows.
#[derive(Debug, Serialize)]
pub struct Document {
    pub titre: String,
    pub titre_document: String,
    pub description: String,
    pub mots_cles: Vec<String>,
    pub annee: i32,
    /// The date of the document, written out (`28 novembre 2026`).
    pub date: String,
    pub association: AssociationDoc,
    /// The foreword, before the first section (empty without one).
    pub avant_propos: Vec<Noeud>,
    pub sections: Vec<SectionDoc>,
    pub glossaire: Vec<Entree>,
    pub remerciements: Vec<Noeud>,
    pub financeurs: Vec<FinanceurDoc>,
    /// The note on the data: sources and the confidentiality rule.
    pub methode: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct AssociationDoc {
    pub nom: String,
    pub ville: Option<String>,
    /// Virtual path of the logo, if any.
    pub logo: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FinanceurDoc {
    pub nom: String,
    pub sigle: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SectionDoc {
    pub titre: String,
    pub elements: Vec<ElementDoc>,
}

/// One element of a section, as the template receives it.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ElementDoc {
    Texte {
        blocs: Vec<Noeud>,
    },
    Tableau {
        titre: String,
        entete: Vec<String>,
        lignes: Vec<LigneDoc>,
        notes: Vec<String>,
    },
    Graphique {
        titre: String,
        fichier: String,
        alt: String,
    },
}

/// A row of a table, as the template receives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum LigneDoc {
    /// A heading row across the table.
    Intertitre { intertitre: String },
    /// A row of figures under its label.
    Valeurs {
        libelle: String,
        cellules: Vec<CelluleDoc>,
    },
}

/// A cell as shown: its text (`1 667`, `< 5`, `s`, `n.d.`) and the number
/// of columns it spans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CelluleDoc {
    pub texte: String,
    pub portee: usize,
}

impl ElementDoc {
    /// A computed table as the template wants it.
    pub fn tableau(t: &TableauCalcule) -> ElementDoc {
        let lignes = t
            .lignes
            .iter()
            .map(|l| match l {
                LigneCalculee::Intertitre(s) => LigneDoc::Intertitre {
                    intertitre: s.clone(),
                },
                LigneCalculee::Valeurs {
                    libelle, cellules, ..
                } => LigneDoc::Valeurs {
                    libelle: libelle.clone(),
                    cellules: cellules
                        .iter()
                        .map(|c| CelluleDoc {
                            texte: c.texte.clone(),
                            portee: c.portee,
                        })
                        .collect(),
                },
            })
            .collect();
        ElementDoc::Tableau {
            titre: t.titre.clone(),
            entete: t.entete.clone(),
            lignes,
            notes: t.notes.clone(),
        }
    }
}

/// Typesets `document` with the report's template of `gabarits` and the
/// build's `fichiers` (virtual path → bytes); exports it as PDF/A-2b,
/// tagged, dated `date`; gives the bytes and the page count.
pub fn pdf(
    gabarits: &Gabarits,
    document: &Document,
    fichiers: Vec<(String, Vec<u8>)>,
    date: time::Date,
    suivi: &Suivi,
) -> Resultat<(Vec<u8>, usize)> {
    composer(
        gabarits,
        "rapport.typ",
        document,
        &format!("rapport-{}", document.annee),
        fichiers,
        date,
        suivi,
    )
}

/// Typesets the template `principal` of `gabarits` (`rapport.typ`…) with
/// `donnees` served as `/donnees.json` and the build's `fichiers`; exports
/// PDF/A-2b, tagged, dated `date`; gives the bytes and the page count.
///
/// The templates see nothing else: no file of the project or of the system,
/// no package (see [`Monde`]).
pub fn composer(
    gabarits: &Gabarits,
    principal: &str,
    donnees: &impl Serialize,
    ident: &str,
    mut fichiers: Vec<(String, Vec<u8>)>,
    date: time::Date,
    suivi: &Suivi,
) -> Resultat<(Vec<u8>, usize)> {
    let json = serde_json::to_vec(donnees).map_err(|e| Erreur::Interne(e.to_string()))?;
    fichiers.push(("/donnees.json".into(), json));
    let monde = Monde::new(
        &format!("/{principal}"),
        gabarits
            .iter()
            .map(|g| (format!("/{}", g.nom), g.texte.clone()))
            .collect(),
        fichiers,
        date,
    );
    let compile = suivi.mesurer(Etape::MiseEnPage, || {
        typst::compile::<PagedDocument>(&monde)
    });
    let paged = compile
        .output
        .map_err(|d| erreur_typst(&monde, gabarits, principal, "mise en page", &d))?;
    let jour = typst::foundations::Datetime::from_ymd_hms(
        date.year(),
        date.month() as u8,
        date.day(),
        0,
        0,
        0,
    )
    .expect("date valide");
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp: Some(Timestamp::new_utc(jour)),
        standards: PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| Erreur::Interne(format!("{e:?}")))?,
        tagged: true,
        ..PdfOptions::default()
    };
    let octets = suivi
        .mesurer(Etape::ExportPdf, || typst_pdf::pdf(&paged, &options))
        .map_err(|d| erreur_typst(&monde, gabarits, principal, "export PDF", &d))?;
    Ok((octets, paged.pages().len()))
}

/// What the templates may read, for error messages.
const SERVIS: &str = "/donnees.json, les graphiques (/graphiques/…svg), les images des textes (/images/…) et le logo produits par la construction, et les gabarits (/rapport.typ, /commun.typ, /comparaison.typ, /extrait.typ)";

/// Typst's diagnostics as an error the user can act on. A template that asks
/// for a file the build did not produce, a path outside its world or a
/// package is refused: a data error (65) naming the template, its line and
/// the refused path. Any other error of a project's template is a data
/// error too; an error of the embedded templates alone is a bug (70).
fn erreur_typst(
    monde: &Monde,
    gabarits: &Gabarits,
    principal: &str,
    etape: &str,
    diags: &[SourceDiagnostic],
) -> Erreur {
    let premiere = diags
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(diags.first());
    let refus = monde.refus();
    let echappe = premiere.and_then(|d| chemin_hors_du_monde(monde, d));
    if refus.is_empty() && echappe.is_none() && !gabarits.surcharge() {
        return Erreur::Interne(format!("{etape} : {}", messages(diags)));
    }
    let (fichier, ligne) = premiere
        .and_then(|d| lieu(monde, gabarits, d))
        .unwrap_or_else(|| (gabarits.get(principal).designation(), None));
    let correction_lecture = "un gabarit ne lit rien du projet ni du système : ce qu'il montre vient de rapport.toml (textes, glossaire, logo, tableaux, graphiques), par /donnees.json ; retirez cette lecture du gabarit";
    let mut p = match (refus.first(), echappe) {
        (Some(Refus::Paquet(paquet)), _) => Probleme::new(
            fichier,
            format!("le gabarit importe le paquet Typst « {paquet} », refusé : aucun paquet n'est chargé"),
        )
        .correction(format!(
            "copiez les fonctions utiles du paquet dans {}, puis importez-les avec #import \"/commun.typ\": *",
            commun_du_projet(gabarits)
        )),
        (Some(Refus::Fichier(chemin)), _) => Probleme::new(
            fichier,
            format!("le gabarit lit « {chemin} », refusé : ce fichier n'est pas produit par la construction"),
        )
        .attendu(SERVIS)
        .correction(correction_lecture),
        (None, Some(chemin)) => Probleme::new(
            fichier,
            format!("le gabarit lit « {chemin} », refusé : ce chemin sort de l'espace de fichiers des gabarits"),
        )
        .attendu(SERVIS)
        .correction(correction_lecture),
        (None, None) => Probleme::new(
            fichier,
            format!(
                "erreur de Typst ({etape}) : {}",
                messages(premiere.map(std::slice::from_ref).unwrap_or_default())
            ),
        )
        .correction(match gabarits.dossier() {
            Some(d) => format!(
                "corrigez le gabarit, ou retirez-le du dossier {} pour revenir au gabarit intégré",
                d.display()
            ),
            None => "corrigez le gabarit".into(),
        }),
    };
    if let Some(l) = ligne {
        p = p.ligne(l);
    }
    Erreur::from(p)
}

/// The project's `commun.typ`, as the user would name it.
fn commun_du_projet(gabarits: &Gabarits) -> String {
    match gabarits.dossier() {
        Some(d) => d.join("commun.typ").display().to_string(),
        None => "un gabarit commun.typ du projet".into(),
    }
}

/// The path a diagnostic points at, if it is a string that would escape the
/// templates' space (`read("../x")`). Found from the diagnostic's span and
/// Typst's own path rules ([`typst::syntax::VirtualPath::join`]), not from
/// the wording of its message.
fn chemin_hors_du_monde(monde: &Monde, d: &SourceDiagnostic) -> Option<String> {
    let id = d.span.id()?;
    let source = monde.source(id).ok()?;
    let texte = source.text().get(monde.range(d.span)?)?;
    let chemin = premiere_chaine(&typst::syntax::parse_code(texte))?;
    let depuis = id.vpath().parent()?;
    matches!(depuis.join(&chemin), Err(typst::syntax::PathError::Escapes)).then_some(chemin)
}

/// The first string literal under `noeud`.
fn premiere_chaine(noeud: &typst::syntax::SyntaxNode) -> Option<String> {
    if let Some(s) = noeud.cast::<typst::syntax::ast::Str>() {
        return Some(s.get().to_string());
    }
    noeud.children().find_map(premiere_chaine)
}

/// Where a diagnostic points: the template (or other file) and its 1-based
/// line. When it points into an embedded template, the nearest call from a
/// project's template is more useful, if there is one.
fn lieu(
    monde: &Monde,
    gabarits: &Gabarits,
    d: &SourceDiagnostic,
) -> Option<(PathBuf, Option<usize>)> {
    let gabarit = |id: FileId| {
        gabarits
            .iter()
            .find(|g| id.vpath().get_with_slash() == format!("/{}", g.nom))
    };
    let situer = |span: DiagSpan| -> Option<(PathBuf, Option<usize>, bool)> {
        let id = span.id()?;
        let ligne = monde.range(span).and_then(|r| {
            monde
                .source(id)
                .ok()
                .and_then(|s| s.lines().byte_to_line(r.start))
                .map(|l| l + 1)
        });
        Some(match gabarit(id) {
            Some(g) => (g.designation(), ligne, g.fichier.is_some()),
            None => (PathBuf::from(id.vpath().get_without_slash()), ligne, false),
        })
    };
    let ici = situer(d.span);
    if let Some((f, l, true)) = ici {
        return Some((f, l));
    }
    let appel = d
        .trace
        .iter()
        .filter_map(|t| situer(t.span.into()))
        .find(|(_, _, du_projet)| *du_projet);
    appel.or(ici).map(|(f, l, _)| (f, l))
}

fn messages(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            for h in &d.hints {
                m.push_str(&format!(" (indice : {})", h.v));
            }
            m
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}
