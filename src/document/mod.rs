//! Stage 6: the Typst document. The figures, tables, charts and texts are
//! serialised as JSON and served to the template by the build's own `World`;
//! the template reads them with `json()`, so nothing from the data is ever
//! parsed as markup.

mod monde;

use serde::Serialize;
use serde_json::Value;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Erreur, Resultat};
use crate::figures::tableaux::{LigneCalculee, TableauCalcule};
use crate::texts::Entree;

pub use monde::Monde;

/// The report's template, compiled into the binary.
pub const GABARIT: &str = include_str!("../../templates/rapport.typ");
/// The comparison's template.
pub const GABARIT_COMPARAISON: &str = include_str!("../../templates/comparaison.typ");
/// A funder's extract's template.
pub const GABARIT_EXTRAIT: &str = include_str!("../../templates/extrait.typ");
/// What the templates share: page style, tables, charts, texts.
pub const COMMUN: &str = include_str!("../../templates/commun.typ");

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
    pub sections: Vec<SectionDoc>,
    pub glossaire: Vec<Entree>,
    pub remerciements: Vec<Value>,
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
        blocs: Vec<Value>,
    },
    Tableau {
        titre: String,
        entete: Vec<String>,
        lignes: Vec<Value>,
        notes: Vec<String>,
    },
    Graphique {
        titre: String,
        fichier: String,
        alt: String,
    },
}

impl ElementDoc {
    /// A computed table as the template wants it.
    pub fn tableau(t: &TableauCalcule) -> ElementDoc {
        let lignes = t
            .lignes
            .iter()
            .map(|l| match l {
                LigneCalculee::Intertitre(s) => serde_json::json!({ "intertitre": s }),
                LigneCalculee::Valeurs { libelle, cellules, .. } => serde_json::json!({
                    "libelle": libelle,
                    "cellules": cellules.iter().map(|c| serde_json::json!({"texte": c.texte, "portee": c.portee})).collect::<Vec<_>>(),
                }),
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

/// Typesets `document` with the build's `fichiers` (virtual path → bytes) and
/// exports it as PDF/A-2b, tagged, dated `date`; gives the bytes and the page count.
pub fn pdf(
    document: &Document,
    fichiers: Vec<(String, Vec<u8>)>,
    date: time::Date,
) -> Resultat<(Vec<u8>, usize)> {
    composer(
        GABARIT,
        document,
        &format!("rapport-{}", document.annee),
        fichiers,
        date,
    )
}

/// Typesets `gabarit` with `donnees` served as `/donnees.json` and the build's
/// `fichiers`; exports PDF/A-2b, tagged, dated `date`; gives the bytes and the page count.
pub fn composer(
    gabarit: &str,
    donnees: &impl Serialize,
    ident: &str,
    mut fichiers: Vec<(String, Vec<u8>)>,
    date: time::Date,
) -> Resultat<(Vec<u8>, usize)> {
    let json = serde_json::to_vec(donnees).map_err(|e| Erreur::Interne(e.to_string()))?;
    fichiers.push(("/donnees.json".into(), json));
    let monde = Monde::new(
        &[("/principal.typ", gabarit), ("/commun.typ", COMMUN)],
        fichiers,
        date,
    );
    let compile = typst::compile::<PagedDocument>(&monde);
    let paged = compile
        .output
        .map_err(|d| diagnostics("mise en page", d.as_slice()))?;
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
    let octets =
        typst_pdf::pdf(&paged, &options).map_err(|d| diagnostics("export PDF", d.as_slice()))?;
    Ok((octets, paged.pages().len()))
}

fn diagnostics(etape: &str, diags: &[typst::diag::SourceDiagnostic]) -> Erreur {
    let messages: Vec<String> = diags
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            for h in &d.hints {
                m.push_str(&format!(" (indice : {})", h.v));
            }
            m
        })
        .collect();
    Erreur::Interne(format!("{etape} : {}", messages.join(" ; ")))
}
