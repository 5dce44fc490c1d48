//! Stage 6b: the web version. The same [`Document`] the PDF is typeset from,
//! written as one self-contained HTML page: tables as HTML tables, charts as
//! inline SVG, the texts, the glossary. No script, no external resource.
//!
//! Every string from the data, the model or the texts is escaped: the page
//! template (Tera, autoescaped) receives values, and the pieces built here
//! (the Markdown tree, tables, charts) escape each string they write.

use std::collections::HashMap;
use std::fmt::Write;

use base64::Engine;
use serde_json::Value;

use crate::document::{Document, ElementDoc, LigneDoc};
use crate::error::{Erreur, Resultat};
use crate::suivi::{Etape, Suivi};
use crate::texts::{Balise, Noeud};

const PAGE: &str = include_str!("../../templates/rapport.html");

/// The HTML page of `document`; `fichiers` are the build's files by virtual
/// path (the charts' SVG, the logo), inlined into the page.
pub fn page(
    document: &Document,
    fichiers: &[(String, Vec<u8>)],
    suivi: &Suivi,
) -> Resultat<String> {
    let _e = suivi.etape(Etape::PageHtml);
    let fichiers: HashMap<&str, &[u8]> = fichiers
        .iter()
        .map(|(c, o)| (c.as_str(), o.as_slice()))
        .collect();
    let mut images = HashMap::new();
    for (chemin, octets) in &fichiers {
        if chemin.starts_with(crate::texts::images::PREFIXE) {
            images.insert(chemin.to_string(), image_web(chemin, octets)?);
        }
    }
    let mut notes = NotesDePage {
        images,
        definitions: document
            .glossaire
            .iter()
            .map(|e| (e.sigle.clone(), e.definition.clone()))
            .collect(),
        ..NotesDePage::default()
    };
    let avant_propos = blocs(&document.avant_propos, 2, &mut notes);
    let notes_avant_propos = liste_de_notes(&notes.vider());
    let mut sections = Vec::new();
    // Tables and charts numbered through the page, each kind apart, as
    // in the PDF (« Tableau 1 – … », « Fig. 1 – … »).
    let (mut n_tableaux, mut n_graphiques) = (0, 0);
    for (i, s) in document.sections.iter().enumerate() {
        notes.titres = Some(vec![i + 1]);
        let mut corps = String::new();
        for e in &s.elements {
            match e {
                ElementDoc::Texte { blocs: b } => corps.push_str(&blocs(b, 2, &mut notes)),
                ElementDoc::Tableau { .. } => {
                    n_tableaux += 1;
                    corps.push_str(&tableau(e, n_tableaux));
                }
                ElementDoc::Graphique {
                    titre,
                    fichier,
                    alt,
                } => {
                    let svg = fichiers.get(fichier.as_str()).ok_or_else(|| {
                        Erreur::Interne(format!("graphique {fichier} absent de la construction"))
                    })?;
                    let id = fichier
                        .trim_start_matches("/graphiques/")
                        .trim_end_matches(".svg");
                    let etroit = fichiers.get(version_etroite(fichier).as_str()).copied();
                    n_graphiques += 1;
                    corps.push_str(&graphique(
                        &format!("graphique-{id}"),
                        titre,
                        &format!("{}{}", numero_de_figure(n_graphiques), echapper(titre)),
                        svg,
                        etroit,
                        alt,
                    )?);
                }
            }
        }
        sections.push(serde_json::json!({
            "id": format!("section-{}", i + 1),
            "numero": i + 1,
            "titre": s.titre,
            "corps": corps,
            "notes": liste_de_notes(&notes.vider()),
        }));
    }
    notes.titres = None;
    let remerciements = blocs(&document.remerciements, 2, &mut notes);
    let logo = match &document.association.logo {
        Some(chemin) => {
            let octets = fichiers.get(chemin.as_str()).ok_or_else(|| {
                Erreur::Interne(format!("logo {chemin} absent de la construction"))
            })?;
            Some(format!(
                "data:{};base64,{}",
                type_image(chemin),
                base64::engine::general_purpose::STANDARD.encode(octets)
            ))
        }
        None => None,
    };
    // The identity's pictures, as the PDF's covers show them.
    let image = |chemin: &str| -> Resultat<ImageWeb> {
        let octets = fichiers
            .get(chemin)
            .ok_or_else(|| Erreur::Interne(format!("image {chemin} absente de la construction")))?;
        image_web(chemin, octets)
    };
    let couverture = match &document.couverture {
        Some(c) => {
            let i = image(&c.fichier)?;
            Some(serde_json::json!({
                "src": i.src,
                "alt": c.alt,
                "largeur": i.taille.map(|t| t.0),
                "hauteur": i.taille.map(|t| t.1),
            }))
        }
        None => None,
    };
    let mut soutiens = Vec::new();
    for f in &document.financeurs {
        let logo = match &f.logo {
            Some(chemin) => Some(image(chemin)?.src),
            None => None,
        };
        soutiens.push(serde_json::json!({"nom": f.nom, "sigle": f.sigle, "logo": logo}));
    }
    let telephone = document.coordonnees.telephone.as_deref().map(|t| {
        let chiffres: String = t
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{chiffres}")
    });

    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec!["rapport.html"]);
    tera.add_raw_template("rapport.html", PAGE)
        .map_err(|e| Erreur::Interne(format!("gabarit HTML : {e}")))?;
    let mut contexte = tera::Context::new();
    contexte.insert("d", document);
    contexte.insert("sections", &sections);
    contexte.insert("remerciements", &remerciements);
    contexte.insert("avant_propos", &avant_propos);
    contexte.insert("notes_avant_propos", &notes_avant_propos);
    let glossaire: Vec<Value> = document
        .glossaire
        .iter()
        .map(|e| serde_json::json!({"id": ancre_sigle(&e.sigle), "sigle": e.sigle, "definition": e.definition}))
        .collect();
    contexte.insert("glossaire", &glossaire);
    contexte.insert("notes_finales", &liste_de_notes(&notes.vider()));
    contexte.insert("logo", &logo);
    contexte.insert("couverture", &couverture);
    contexte.insert("soutiens", &soutiens);
    contexte.insert("telephone_url", &telephone);
    contexte.insert("version", env!("CARGO_PKG_VERSION"));
    let html = tera
        .render("rapport.html", &contexte)
        .map_err(|e| Erreur::Interne(format!("gabarit HTML : {e:?}")))?;
    Ok(exposants(&html))
}

/// A picture of a text as the page shows it: a `data:` URI, and its size
/// in pixels (none for SVG).
struct ImageWeb {
    src: String,
    taille: Option<(u32, u32)>,
}

/// The widest a picture of the page is, in pixels: enough for a wide
/// screen at twice the density of its column (46rem).
pub const LARGEUR_WEB: u32 = 1200;

/// The picture `chemin` (a virtual path of the build) for the page: a PNG
/// or JPEG wider than [`LARGEUR_WEB`] is scaled down to it and encoded
/// again in its format; an SVG is kept as it is.
fn image_web(chemin: &str, octets: &[u8]) -> Resultat<ImageWeb> {
    let encode = |mime: &str, o: &[u8]| {
        format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(o)
        )
    };
    let mime = type_image(chemin);
    if mime == "image/svg+xml" {
        return Ok(ImageWeb {
            src: encode(mime, octets),
            taille: None,
        });
    }
    let illisible = |e: image::ImageError| {
        Erreur::from(
            crate::error::Probleme::new(
                chemin.trim_start_matches(crate::texts::images::PREFIXE),
                format!("image illisible ({e})"),
            )
            .correction("ouvrez l’image dans un logiciel d’images et enregistrez-la de nouveau en PNG ou JPEG"),
        )
    };
    let image = image::load_from_memory(octets).map_err(illisible)?;
    if image.width() <= LARGEUR_WEB {
        return Ok(ImageWeb {
            src: encode(mime, octets),
            taille: Some((image.width(), image.height())),
        });
    }
    let hauteur = (u64::from(image.height()) * u64::from(LARGEUR_WEB) / u64::from(image.width()))
        .max(1) as u32;
    let reduite = image.resize_exact(LARGEUR_WEB, hauteur, image::imageops::FilterType::Triangle);
    let mut sortie = std::io::Cursor::new(Vec::new());
    if mime == "image/jpeg" {
        let mut encodeur = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut sortie, 85);
        encodeur
            .encode_image(&reduite.to_rgb8())
            .map_err(illisible)?;
    } else {
        reduite
            .write_to(&mut sortie, image::ImageFormat::Png)
            .map_err(illisible)?;
    }
    Ok(ImageWeb {
        src: encode(mime, sortie.get_ref()),
        taille: Some((LARGEUR_WEB, hauteur)),
    })
}

/// The ordinals of the page's text in superscript (`1<sup>er</sup>`,
/// `2<sup>e</sup>`): in the text between tags only, not in the head, the
/// charts, code, nor any attribute.
fn exposants(html: &str) -> String {
    const SAUTES: [&str; 6] = ["head", "svg", "code", "pre", "style", "title"];
    const SUFFIXES: [&str; 6] = ["ers", "res", "er", "re", "es", "e"];
    let mut out = String::with_capacity(html.len() + 64);
    let mut reste = html;
    while !reste.is_empty() {
        // Text up to the next tag.
        let fin_texte = reste.find('<').unwrap_or(reste.len());
        let texte = &reste[..fin_texte];
        let mut prec: Option<char> = out.chars().next_back();
        let mut i = 0;
        let octets = texte.as_bytes();
        while i < texte.len() {
            let c = texte[i..].chars().next().expect("un caractère");
            if c.is_ascii_digit() && !prec.is_some_and(|p| p.is_alphanumeric() || p == '#') {
                let debut = i;
                while i < texte.len() && octets[i].is_ascii_digit() {
                    i += 1;
                }
                out.push_str(&texte[debut..i]);
                let suffixe = SUFFIXES.iter().find(|s| {
                    texte[i..].starts_with(**s)
                        && !texte[i + s.len()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric)
                });
                if let Some(s) = suffixe {
                    let _ = write!(out, "<sup>{s}</sup>");
                    i += s.len();
                    prec = s.chars().next_back();
                } else {
                    prec = Some('0');
                }
                continue;
            }
            out.push(c);
            prec = Some(c);
            i += c.len_utf8();
        }
        reste = &reste[fin_texte..];
        if reste.is_empty() {
            break;
        }
        // The tag, and the whole element when it is one to leave alone.
        let fin_balise = reste.find('>').map_or(reste.len(), |k| k + 1);
        let nom: String = reste[1..fin_balise]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let fin = match SAUTES.iter().find(|s| **s == nom) {
            Some(s) if !reste[..fin_balise].ends_with("/>") => {
                let fermeture = format!("</{s}");
                reste
                    .to_ascii_lowercase()
                    .find(&fermeture)
                    .map_or(reste.len(), |k| {
                        reste[k..].find('>').map_or(reste.len(), |f| k + f + 1)
                    })
            }
            _ => fin_balise,
        };
        out.push_str(&reste[..fin]);
        reste = &reste[fin..];
    }
    out
}

/// What rendering the texts needs beyond the tree: the footnotes met since
/// the last [`NotesDePage::vider`], numbered across the page, and the glossary's
/// definitions, for the acronyms.
#[derive(Default)]
struct NotesDePage {
    numero: usize,
    /// Each footnote's number and HTML.
    en_attente: Vec<(usize, String)>,
    definitions: HashMap<String, String>,
    /// The pictures of the texts, by virtual path.
    images: HashMap<String, ImageWeb>,
    /// In a numbered section, the numbers of the last heading of each
    /// level (`[5, 1]` after « 5.1 »), to number the texts' headings as
    /// the PDF does; none outside (foreword, thanks).
    titres: Option<Vec<usize>>,
}

impl NotesDePage {
    /// Records a footnote's HTML; gives its number.
    fn ajouter(&mut self, html: String) -> usize {
        self.numero += 1;
        self.en_attente.push((self.numero, html));
        self.numero
    }

    fn vider(&mut self) -> Vec<(usize, String)> {
        std::mem::take(&mut self.en_attente)
    }
}

/// The anchor of an acronym's glossary entry: `sigle-` and its letters
/// and digits, accents dropped, lower case (`VIH/IST` → `sigle-vih-ist`).
pub fn ancre_sigle(sigle: &str) -> String {
    let mut a = String::from("sigle-");
    let mut tiret = false;
    for c in crate::fr::normalise(sigle).chars() {
        if c.is_ascii_alphanumeric() {
            if tiret && !a.ends_with('-') {
                a.push('-');
            }
            a.push(c.to_ascii_lowercase());
            tiret = false;
        } else {
            tiret = true;
        }
    }
    a
}

/// The footnotes of a section (see [`NotesDePage::vider`]), below it, each with
/// a link back to its reference; nothing when there are none.
fn liste_de_notes(notes: &[(usize, String)]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut h = String::from("<aside class=\"notes-bas\" aria-label=\"Notes\"><ol>");
    for (k, contenu) in notes {
        let _ = write!(
            h,
            "<li value=\"{k}\" id=\"note-{k}\">{contenu} <a href=\"#renvoi-{k}\" aria-label=\"retour au texte\">↩</a></li>"
        );
    }
    h.push_str("</ol></aside>");
    h
}

/// Escapes text for HTML content and attribute values.
pub fn echapper(s: &str) -> String {
    let mut r = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => r.push_str("&amp;"),
            '<' => r.push_str("&lt;"),
            '>' => r.push_str("&gt;"),
            '"' => r.push_str("&quot;"),
            '\'' => r.push_str("&#39;"),
            c => r.push(c),
        }
    }
    r
}

/// The tree of a text (see [`crate::texts::arbre`]) as HTML; its own
/// headings start at level `niveau + 1`.
fn blocs(liste: &[Noeud], niveau: usize, notes: &mut NotesDePage) -> String {
    let mut html = String::new();
    for n in liste {
        noeud(n, niveau, notes, &mut html);
    }
    html
}

fn noeud(n: &Noeud, niveau: usize, notes: &mut NotesDePage, html: &mut String) {
    let e = match n {
        Noeud::Texte(s) => return html.push_str(&echapper(s)),
        Noeud::Balise(e) => e,
    };
    let enfants = |notes: &mut NotesDePage| {
        e.enfants()
            .map(|c| blocs(c, niveau, notes))
            .unwrap_or_default()
    };
    let balise = match e {
        Balise::Paragraphe { .. } => "p",
        Balise::Liste { .. } => "ul",
        Balise::ListeNumerotee { .. } => "ol",
        Balise::Item { .. } => "li",
        Balise::Citation { enfants: c } => {
            // A quotation or testimony, its signature under it.
            let (signatures, corps): (Vec<&Noeud>, Vec<&Noeud>) = c
                .iter()
                .partition(|x| matches!(x, Noeud::Balise(Balise::Signature { .. })));
            let corps: Vec<Noeud> = corps.into_iter().cloned().collect();
            let _ = write!(
                html,
                "<figure class=\"citation\"><blockquote>{}</blockquote>",
                blocs(&corps, niveau, notes)
            );
            for s in signatures {
                if let Noeud::Balise(Balise::Signature { enfants: e }) = s {
                    let _ = write!(
                        html,
                        "<figcaption class=\"signature\">— {}</figcaption>",
                        blocs(e, niveau, notes)
                    );
                }
            }
            html.push_str("</figure>");
            return;
        }
        Balise::Signature { .. } => {
            let _ = write!(html, "<p class=\"signature\">{}</p>", enfants(notes));
            return;
        }
        Balise::Image {
            fichier,
            alt,
            credit,
        } => {
            let Some(image) = notes.images.get(fichier) else {
                // Not served by the build: its alternative text.
                let _ = write!(html, "<p>{}</p>", echapper(alt));
                return;
            };
            let taille = image
                .taille
                .map(|(l, h)| format!(" width=\"{l}\" height=\"{h}\""))
                .unwrap_or_default();
            let _ = write!(
                html,
                "<figure class=\"image\"><img src=\"{}\" alt=\"{}\"{taille}>",
                image.src,
                echapper(alt)
            );
            if let Some(c) = credit {
                let _ = write!(
                    html,
                    "<figcaption class=\"credit\">{}</figcaption>",
                    echapper(c)
                );
            }
            html.push_str("</figure>");
            return;
        }
        Balise::Italique { .. } => "em",
        Balise::Gras { .. } => "strong",
        Balise::Barre { .. } => "s",
        Balise::Titre { niveau: propre, .. } => {
            // Level 2, the first under a part's title (see texts::titres),
            // one under the part's own heading.
            let propre = usize::from(*propre).max(2);
            let h = (niveau + propre - 1).min(6);
            let numero = match &mut notes.titres {
                Some(n) => {
                    n.truncate(propre);
                    n.resize(propre, 0);
                    n[propre - 1] += 1;
                    let texte: Vec<String> = n.iter().map(|k| k.to_string()).collect();
                    format!("<span class=\"numero\">{}</span> ", texte.join("."))
                }
                None => String::new(),
            };
            let _ = write!(html, "<h{h}>{numero}{}</h{h}>", enfants(notes));
            return;
        }
        Balise::Code { v } => {
            let _ = write!(html, "<code>{}</code>", echapper(v));
            return;
        }
        Balise::Lien { url, .. } => {
            let contenu = enfants(notes);
            if lien_sur(url) {
                let _ = write!(html, "<a href=\"{}\">{contenu}</a>", echapper(url));
            } else {
                html.push_str(&contenu);
            }
            return;
        }
        Balise::Note { enfants: c } => {
            // A one-paragraph note is set inline, as in the PDF.
            let contenu = match c.as_slice() {
                [Noeud::Balise(Balise::Paragraphe { enfants: p })] => blocs(p, niveau, notes),
                _ => enfants(notes),
            };
            let k = notes.ajouter(contenu);
            let _ = write!(
                html,
                "<sup class=\"renvoi\"><a href=\"#note-{k}\" id=\"renvoi-{k}\" aria-label=\"note {k}\">{k}</a></sup>"
            );
            return;
        }
        Balise::BlocDeCode { lignes } => {
            let _ = write!(
                html,
                "<pre><code>{}</code></pre>",
                echapper(&lignes.concat())
            );
            return;
        }
        Balise::Sigle { v, lien, .. } => {
            // Its definition as the abbreviation's title; the first
            // occurrence links to the glossary entry.
            let abbr = match notes.definitions.get(v) {
                Some(d) => format!("<abbr title=\"{}\">{}</abbr>", echapper(d), echapper(v)),
                None => echapper(v),
            };
            if *lien && notes.definitions.contains_key(v) {
                let _ = write!(
                    html,
                    "<a class=\"sigle\" href=\"#{}\">{abbr}</a>",
                    ancre_sigle(v)
                );
            } else {
                html.push_str(&abbr);
            }
            return;
        }
        Balise::Saut => return html.push_str("<br>"),
        Balise::Filet => return html.push_str("<hr>"),
        Balise::Portee { .. } => return html.push_str(&enfants(notes)),
    };
    let _ = write!(html, "<{balise}>{}</{balise}>", enfants(notes));
}

/// Links a reader may follow: the web, e-mail, telephone, and anchors in
/// the page. Anything else (`javascript:`, `data:`, a file) stays text.
fn lien_sur(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:", "#"]
        .iter()
        .any(|p| u.starts_with(p))
}

/// The number of a table's caption, as the PDF sets it: « Tableau 1 – ».
fn numero_de_tableau(n: usize) -> String {
    format!("<span class=\"numero\">Tableau\u{a0}{n}\u{a0}– </span>")
}

/// The number of a chart's caption, as the PDF sets it: « Fig. 1 – ».
fn numero_de_figure(n: usize) -> String {
    format!("<span class=\"numero\">Fig.\u{a0}{n}\u{a0}– </span>")
}

/// A computed table as an HTML table, `numero` the `n`-th of the page:
/// caption, column headers, row headers.
fn tableau(e: &ElementDoc, numero: usize) -> String {
    let ElementDoc::Tableau {
        titre,
        entete,
        colonne_total,
        ligne_total,
        lignes,
        notes,
    } = e
    else {
        return String::new();
    };
    let mut h = String::from("<figure class=\"tableau\"><div class=\"defile\"><table>");
    let _ = write!(
        h,
        "<caption>{}{}</caption><thead><tr><td></td>",
        numero_de_tableau(numero),
        echapper(titre)
    );
    for (i, c) in entete.iter().enumerate() {
        let classe = if *colonne_total && i + 1 == entete.len() {
            " class=\"total\""
        } else {
            ""
        };
        let _ = write!(h, "<th scope=\"col\"{classe}>{}</th>", echapper(c));
    }
    h.push_str("</tr></thead><tbody>");
    for (i, l) in lignes.iter().enumerate() {
        // The groups of a breakdown as rows: the last, "Total", set apart.
        let rangee_totale = *ligne_total && i + 1 == lignes.len();
        let (libelle, cellules) = match l {
            LigneDoc::Intertitre { intertitre } => {
                let _ = write!(
                    h,
                    "<tr class=\"intertitre\"><th scope=\"rowgroup\" colspan=\"{}\">{}</th></tr>",
                    entete.len() + 1,
                    echapper(intertitre)
                );
                continue;
            }
            LigneDoc::Valeurs { libelle, cellules } => (libelle, cellules),
        };
        let rangee = if rangee_totale {
            " class=\"total\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<tr{rangee}><th scope=\"row\">{}</th>",
            echapper(libelle)
        );
        for c in cellules {
            let classe = if c.total && !rangee_totale {
                " class=\"total\""
            } else {
                ""
            };
            if c.portee > 1 {
                let _ = write!(
                    h,
                    "<td colspan=\"{}\"{classe}>{}</td>",
                    c.portee,
                    echapper(&c.texte)
                );
            } else {
                let _ = write!(h, "<td{classe}>{}</td>", echapper(&c.texte));
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
    if !notes.is_empty() {
        h.push_str("<figcaption class=\"notes\">");
        let notes: Vec<String> = notes.iter().map(|n| echapper(n)).collect();
        h.push_str(&notes.join("<br>"));
        h.push_str("</figcaption>");
    }
    h.push_str("</figure>");
    h
}

/// The virtual path of the narrow drawing of the chart at `fichier`
/// (`/graphiques/rue.svg` → `/graphiques/etroits/rue.svg`): served to the
/// web page only, never written as an output.
pub fn version_etroite(fichier: &str) -> String {
    match fichier.rsplit_once('/') {
        Some((dossier, nom)) => format!("{dossier}/etroits/{nom}"),
        None => format!("etroits/{fichier}"),
    }
}

/// One SVG document inlined, announced as an image named by `id`.
fn svg_en_ligne(id: &str, titre: &str, svg: &[u8], classe: &str, alt: &str) -> Resultat<String> {
    let svg = std::str::from_utf8(svg)
        .map_err(|e| Erreur::Interne(format!("graphique {titre} : {e}")))?;
    let debut = svg
        .find("<svg")
        .ok_or_else(|| Erreur::Interne(format!("graphique {titre} : pas de balise <svg>")))?;
    let fin_balise = svg[debut..]
        .find('>')
        .map(|i| debut + i)
        .ok_or_else(|| Erreur::Interne(format!("graphique {titre} : balise <svg> ouverte")))?;
    let mut ouverture = svg[debut..fin_balise].trim_end_matches('/').to_string();
    if !ouverture.contains("viewBox") {
        return Err(Erreur::Interne(format!(
            "graphique {titre} : SVG sans viewBox"
        )));
    }
    if !classe.is_empty() {
        let _ = write!(ouverture, " class=\"{classe}\"");
    }
    let _ = write!(ouverture, " role=\"img\" aria-labelledby=\"{id}\"");
    Ok(format!(
        "{ouverture}><title id=\"{id}\">{}</title>{}",
        echapper(alt),
        &svg[fin_balise + 1..],
    ))
}

/// A chart's SVG, inlined: scaled to the width of the page, announced as
/// an image whose accessible name is the description of its figures. With
/// a narrow drawing, both are inlined and the style sheet shows one: the
/// narrow one on phones, where the wide one's text would shrink under 12 px.
/// `legende` is HTML (its number and the escaped title).
fn graphique(
    id: &str,
    titre: &str,
    legende: &str,
    svg: &[u8],
    etroit: Option<&[u8]>,
    alt: &str,
) -> Resultat<String> {
    let mut h = String::from("<figure class=\"graphique\">");
    match etroit {
        Some(e) => {
            h.push_str(&svg_en_ligne(id, titre, svg, "large", alt)?);
            h.push_str(&svg_en_ligne(
                &format!("{id}-etroit"),
                titre,
                e,
                "etroit",
                alt,
            )?);
        }
        None => h.push_str(&svg_en_ligne(id, titre, svg, "", alt)?),
    }
    let _ = write!(h, "<figcaption>{legende}</figcaption></figure>");
    Ok(h)
}

fn type_image(chemin: &str) -> &'static str {
    match chemin.rsplit('.').next().unwrap_or_default() {
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "image/png",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::markdown;

    fn lien(url: &str, texte: &str) -> Noeud {
        Balise::Lien {
            url: url.into(),
            enfants: vec![texte.into()],
        }
        .into()
    }

    #[test]
    fn markup_in_a_text_is_shown_not_run() {
        let mut notes = NotesDePage::default();
        let html = blocs(
            &[Balise::Paragraphe {
                enfants: vec!["<script>alert(1)</script> & \"x\"".into()],
            }
            .into()],
            2,
            &mut notes,
        );
        assert_eq!(
            html,
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</p>"
        );
    }

    #[test]
    fn a_javascript_link_keeps_its_text_but_not_its_target() {
        let mut notes = NotesDePage::default();
        let html = blocs(
            &[
                lien("javascript:alert(1)", "ici"),
                lien("https://exemple.org/?a=1&b=2", "là"),
            ],
            2,
            &mut notes,
        );
        assert_eq!(
            html,
            "ici<a href=\"https://exemple.org/?a=1&amp;b=2\">là</a>"
        );
    }

    #[test]
    fn a_footnote_becomes_a_numbered_reference_and_a_note() {
        let mut notes = NotesDePage::default();
        let html = blocs(
            &markdown::arbre("Les HSH[^1].\n\n[^1]: Hommes…\n"),
            2,
            &mut notes,
        );
        assert!(html.contains("href=\"#note-1\""), "{html}");
        assert_eq!(notes.vider(), vec![(1, "Hommes…".to_string())]);
    }

    #[test]
    fn the_first_acronym_links_to_its_glossary_entry_and_every_one_has_its_definition() {
        let mut notes = NotesDePage::default();
        notes
            .definitions
            .insert("TDS".into(), "Travailleur·se·s du sexe".into());
        let html = blocs(
            &[Balise::Paragraphe {
                enfants: vec![
                    Balise::sigle("TDS", true).into(),
                    " et ".into(),
                    Balise::sigle("TDS", false).into(),
                ],
            }
            .into()],
            2,
            &mut notes,
        );
        let abbr = "<abbr title=\"Travailleur·se·s du sexe\">TDS</abbr>";
        assert_eq!(
            html,
            format!("<p><a class=\"sigle\" href=\"#sigle-tds\">{abbr}</a> et {abbr}</p>")
        );
    }

    #[test]
    fn a_code_block_is_shown_as_preformatted_text() {
        let mut notes = NotesDePage::default();
        let html = blocs(
            &[Balise::BlocDeCode {
                lignes: vec!["<b>un</b>\n".into(), "deux\n".into()],
            }
            .into()],
            2,
            &mut notes,
        );
        assert_eq!(
            html,
            "<pre><code>&lt;b&gt;un&lt;/b&gt;\ndeux\n</code></pre>"
        );
    }

    #[test]
    fn a_chart_gets_its_description_as_accessible_name() {
        let svg = br#"<svg width="640" height="340" viewBox="0 0 640 340" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let html = graphique(
            "graphique-contacts",
            "Contacts",
            &format!("{}Contacts", numero_de_figure(3)),
            svg,
            None,
            "Contacts : 2012, 10 ; 2013, 12 <b>",
        )
        .unwrap();
        assert!(html.contains("role=\"img\" aria-labelledby=\"graphique-contacts\">"));
        assert!(html.contains("Contacts : 2012, 10 ; 2013, 12 &lt;b&gt;</title><rect/></svg>"));
        assert!(html.contains(
            "<figcaption><span class=\"numero\">Fig.\u{a0}3\u{a0}– </span>Contacts</figcaption>"
        ));
    }
}
