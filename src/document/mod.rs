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
use crate::model::Couleurs;
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
    /// The palette of `[identite] couleurs` (`#rrggbb`).
    pub couleurs: Couleurs,
    /// The cover's picture, if any.
    pub couverture: Option<ImageDoc>,
    /// The association's details, on the back cover.
    pub coordonnees: CoordonneesDoc,
    /// The page « L'année en chiffres », in the model's order (empty: no page).
    pub chiffres_cles: Vec<ChiffreCleDoc>,
}

/// A picture of the project and what it shows.
#[derive(Debug, Serialize)]
pub struct ImageDoc {
    /// Its virtual path in the build's file list.
    pub fichier: String,
    pub alt: String,
}

/// How to reach the association, as the back cover prints it.
#[derive(Debug, Default, Serialize)]
pub struct CoordonneesDoc {
    /// The address, line by line.
    pub adresse: Vec<String>,
    /// The website as shown (`www.example.org`) and its address.
    pub site: Option<String>,
    pub site_url: Option<String>,
    pub courriel: Option<String>,
    pub telephone: Option<String>,
    pub statut: Option<String>,
    /// The SIRET in groups (`123 456 789 00015`).
    pub siret: Option<String>,
    pub rna: Option<String>,
}

/// A key figure: the year's published total and its change from the year before.
#[derive(Debug, Serialize)]
pub struct ChiffreCleDoc {
    pub indicateur: String,
    pub libelle: String,
    /// As the tables print it (`3 516`, `< 5`, `s`, `n.d.`).
    pub valeur: String,
    /// Whether the secret hides it.
    pub masque: bool,
    /// `+17,8 %` for a count, `−2,1 points` for a share, `n.c.` when it
    /// cannot be computed; none when either year is hidden.
    pub evolution: Option<String>,
    /// `hausse`, `baisse` or `stable`, when the change is given.
    pub sens: Option<&'static str>,
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
    /// Virtual path of its logo, if any.
    pub logo: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SectionDoc {
    pub titre: String,
    pub elements: Vec<ElementDoc>,
    /// The number of columns of its texts (1 or 2).
    pub colonnes: usize,
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
        /// Whether the last column is a "Total" column, set apart.
        colonne_total: bool,
        /// Whether the last row is a "Total" row, set apart (the groups of a
        /// breakdown in rows).
        ligne_total: bool,
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

/// A cell as shown: its text (`1 667`, `< 5`, `s`, `n.d.`, empty under
/// the groups of a figure without breakdown), the number of columns it
/// spans and whether it is in the Total column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CelluleDoc {
    pub texte: String,
    pub portee: usize,
    pub total: bool,
}

impl ElementDoc {
    /// A computed table as the template wants it.
    pub fn tableau(t: &TableauCalcule) -> ElementDoc {
        if t.groupes_en_lignes
            && let Some(e) = Self::groupes_en_lignes(t)
        {
            return e;
        }
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
                        .flat_map(|c| {
                            // A figure without breakdown goes in the Total
                            // column only, under empty group columns.
                            let seul = t.colonne_total && c.portee == t.entete.len();
                            let vide = (seul && c.portee > 1).then(|| CelluleDoc {
                                texte: String::new(),
                                portee: c.portee - 1,
                                total: false,
                            });
                            vide.into_iter().chain([CelluleDoc {
                                texte: c.texte.clone(),
                                portee: if seul { 1 } else { c.portee },
                                total: t.colonne_total && (seul || c.colonne == "Total"),
                            }])
                        })
                        .collect(),
                },
            })
            .collect();
        ElementDoc::Tableau {
            titre: t.titre.clone(),
            entete: t.entete.clone(),
            colonne_total: t.colonne_total,
            ligne_total: false,
            lignes,
            notes: t.notes.clone(),
        }
    }

    /// A table by breakdown the other way round: a row per group (its
    /// "Total" last), a column per indicator. `None` for a table with a
    /// heading row or a cell spanning groups (the model refuses them).
    fn groupes_en_lignes(t: &TableauCalcule) -> Option<ElementDoc> {
        let mut colonnes: Vec<(&str, &[crate::figures::tableaux::Cellule])> = Vec::new();
        for l in &t.lignes {
            match l {
                LigneCalculee::Valeurs {
                    libelle, cellules, ..
                } if cellules.len() == t.entete.len() => colonnes.push((libelle, cellules)),
                _ => return None,
            }
        }
        let derniere = t.entete.len().checked_sub(1)?;
        let lignes = t
            .entete
            .iter()
            .enumerate()
            .map(|(i, groupe)| LigneDoc::Valeurs {
                libelle: groupe.clone(),
                cellules: colonnes
                    .iter()
                    .map(|(_, cellules)| CelluleDoc {
                        texte: cellules[i].texte.clone(),
                        portee: 1,
                        total: t.colonne_total && i == derniere,
                    })
                    .collect(),
            })
            .collect();
        Some(ElementDoc::Tableau {
            titre: t.titre.clone(),
            entete: colonnes.iter().map(|(l, _)| l.to_string()).collect(),
            colonne_total: false,
            ligne_total: t.colonne_total,
            lignes,
            notes: t.notes.clone(),
        })
    }
}

/// Typesets `document` with the report's template of `gabarits` and the
/// build's `fichiers` (virtual path → bytes); exports it as PDF/UA-1 with PDF/A-2a,
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
/// PDF/UA-1 with PDF/A-2a, tagged, dated `date`; gives the bytes and the page count.
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
    let mut valeur = serde_json::to_value(donnees).map_err(|e| Erreur::Interne(e.to_string()))?;
    typographier_valeur(&mut valeur);
    let json = serde_json::to_vec(&valeur).map_err(|e| Erreur::Interne(e.to_string()))?;
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
    // The images decoded on the second core while Typst evaluates the
    // template on this one (see `Monde::prechauffer`).
    let compile = suivi.mesurer(Etape::MiseEnPage, || {
        std::thread::scope(|s| {
            s.spawn(|| monde.prechauffer());
            typst::compile::<PagedDocument>(&monde)
        })
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
        standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
            .map_err(|e| Erreur::Interne(format!("{e:?}")))?,
        tagged: true,
        ..PdfOptions::default()
    };
    let octets = suivi
        .mesurer(Etape::ExportPdf, || typst_pdf::pdf(&paged, &options))
        .map_err(|d| erreur_export(&monde, gabarits, principal, &d))?;
    Ok((octets, paged.pages().len()))
}

/// For how many calls of [`oublier_les_compositions_anciennes`] a result
/// Typst memoized is kept without being used again. Typst's own watch keeps
/// them for 10: on the sample, rebuilds after a sentence added took as long
/// with 2 (median 0,10 s against 0,11 s, 60 rebuilds each) and the watch
/// held about 148 Mio instead of 285.
const AGE_MAX: usize = 2;

/// Forgets what Typst memoized for the compilations of this process and
/// has not used since the last [`AGE_MAX`] calls: after each build of a
/// process that goes on (`--watch`), whose memory would otherwise grow by
/// each rebuild's layouts, never freed (16 Mio a rebuild of the sample).
pub fn oublier_les_compositions_anciennes() {
    typst::comemo::evict(AGE_MAX);
}

/// Keys of `/donnees.json` whose strings are not text to typeset in French:
/// paths, link targets, the kinds and values of the text tree's nodes, and
/// the text trees themselves (typeset when they were rendered, piece by
/// piece in their paragraph's context).
const SANS_TYPOGRAPHIE: &[&str] = &[
    "fichier",
    "url",
    "logo",
    "t",
    "v",
    "label",
    "id",
    "type",
    "c",
    "blocs",
    "remerciements",
    "avant_propos",
    "textes",
    "couverture",
    "site_url",
    "courriel",
    "couleurs",
    "sens",
    "indicateur",
];

/// Every title, label, caption, note and name of a template's data in
/// French typography (apostrophes, no-break spaces, quotes), in one place
/// for the report, the comparison and the extracts. Idempotent: a string
/// already typeset is left as it is.
pub fn typographier_valeur(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => *s = crate::texts::typographie::typographier(s),
        Value::Array(a) => a.iter_mut().for_each(typographier_valeur),
        Value::Object(o) => {
            for (cle, valeur) in o.iter_mut() {
                if !SANS_TYPOGRAPHIE.contains(&cle.as_str()) {
                    typographier_valeur(valeur);
                }
            }
        }
        _ => {}
    }
}

impl Document {
    /// Its titles, labels, captions, notes and names in French typography,
    /// for the web page as for the PDF (see [`typographier_valeur`]); the
    /// text trees were typeset when rendered.
    pub fn typographier(&mut self) {
        let t = |s: &mut String| *s = crate::texts::typographie::typographier(s);
        t(&mut self.titre);
        t(&mut self.titre_document);
        t(&mut self.description);
        t(&mut self.association.nom);
        if let Some(v) = &mut self.association.ville {
            t(v);
        }
        for s in &mut self.sections {
            t(&mut s.titre);
            for e in &mut s.elements {
                match e {
                    ElementDoc::Texte { .. } => {}
                    ElementDoc::Tableau {
                        titre,
                        entete,
                        lignes,
                        notes,
                        ..
                    } => {
                        t(titre);
                        entete.iter_mut().for_each(t);
                        notes.iter_mut().for_each(t);
                        for l in lignes {
                            match l {
                                LigneDoc::Intertitre { intertitre } => t(intertitre),
                                LigneDoc::Valeurs { libelle, .. } => t(libelle),
                            }
                        }
                    }
                    ElementDoc::Graphique { titre, alt, .. } => {
                        t(titre);
                        t(alt);
                    }
                }
            }
        }
        for e in &mut self.glossaire {
            t(&mut e.definition);
        }
        for f in &mut self.financeurs {
            t(&mut f.nom);
        }
        self.methode.iter_mut().for_each(t);
        for c in &mut self.chiffres_cles {
            t(&mut c.libelle);
        }
    }
}

/// The standards the PDF is exported to, as the messages name them.
const NORMES: &str = "PDF/UA-1 (accessibilité) et PDF/A-2a (archivage)";

/// Typst's refusal to export the PDF: a read the sandbox refused is told as
/// [`erreur_typst`] tells it; otherwise the standards are named, with what
/// they usually require of a template (a project's template: a data error).
fn erreur_export(
    monde: &Monde,
    gabarits: &Gabarits,
    principal: &str,
    diags: &[SourceDiagnostic],
) -> Erreur {
    if !monde.refus().is_empty() {
        return erreur_typst(monde, gabarits, principal, "export PDF", diags);
    }
    let (fichier, ligne) = diags
        .iter()
        .find_map(|d| lieu(monde, gabarits, d))
        .unwrap_or_else(|| (gabarits.get(principal).designation(), None));
    let constat = format!(
        "Typst refuse d'exporter le PDF aux normes {NORMES} : {}",
        messages(diags)
    );
    if !gabarits.surcharge() {
        return Erreur::Interne(constat);
    }
    let mut p = Probleme::new(fichier, constat).correction(
        "donnez un texte alternatif à chaque image (image(…, alt: \"…\")), un titre au document (set document(title: …)), et n'employez que les polices fournies ; ou retirez le gabarit du projet pour revenir au gabarit intégré",
    );
    if let Some(l) = ligne {
        p = p.ligne(l);
    }
    Erreur::from(p)
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
