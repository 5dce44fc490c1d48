//! The assembly stage: the published figures, charts, texts, glossary,
//! logo and metadata turned into the [`Document`] and the files beside it,
//! then typeset and handed to the one writer (`output::Sorties`).

mod identite;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::charts;
use crate::cli::FormatRapport;
use crate::document::{self, AssociationDoc, Document, ElementDoc, FinanceurDoc, SectionDoc};
use crate::error::{Erreur, Resultat};
use crate::figures::{self, tableaux};
use crate::fr;
use crate::model::{Element, Modele, releve};
use crate::output::{self, Sorties, noms};
use crate::publication::{self, Publication};
use crate::suivi::Suivi;
use crate::texts::sigles::Sigles;
use crate::texts::{self, Textes, images, markdown};

/// What a build wrote, for the summary.
pub struct Bilan {
    pub sortie: PathBuf,
    /// The PDF's name, page count and size, if asked for.
    pub pdf: Option<(String, usize, usize)>,
    /// The HTML page's name and size, if asked for.
    pub html: Option<(String, usize)>,
    pub graphiques: usize,
    pub tableaux: usize,
}

impl Bilan {
    /// The summary printed after a build: one line per document.
    pub fn lignes(&self) -> Vec<String> {
        let mut l = Vec::new();
        if let Some((nom, pages, taille)) = &self.pdf {
            l.push(format!(
                "  {nom} ({} pages, {})",
                pages,
                output::taille(*taille)
            ));
        }
        if let Some((nom, taille)) = &self.html {
            l.push(format!("  {nom} ({})", output::taille(*taille)));
        }
        l.push(format!(
            "  {} graphiques SVG dans graphiques/",
            self.graphiques
        ));
        l.push(format!("  {} tableaux CSV dans tableaux/", self.tableaux));
        l
    }
}

/// What a build reads from the project, and the figures it computes from
/// it: what `--watch` keeps from one build to the next while the model and
/// the exports do not change.
pub struct Lecture {
    pub modele: Modele,
    pub exports: crate::exports::Exports,
    /// The figures of the last year built, as published.
    publication: Option<(i32, Publication)>,
}

impl Lecture {
    /// Reads and checks the model and the exports of `projet`, those
    /// unchanged loaded from the cache `cache` if given.
    pub fn lire(projet: &Path, cache: Option<&Path>, suivi: &Suivi) -> Resultat<Lecture> {
        let (modele, exports) = crate::projet::lire_projet_en_cache(projet, cache, suivi)?;
        Ok(Lecture {
            modele,
            exports,
            publication: None,
        })
    }

    /// Decides the published figures of the report of `annee`, unless done.
    fn calculer(&mut self, annee: i32, sortie: &Path, suivi: &Suivi) -> Resultat<()> {
        if self.publication.as_ref().map(|(a, _)| *a) != Some(annee) {
            let p = publication::publier_rapport(
                &self.modele,
                &self.exports,
                annee,
                Some(sortie),
                suivi,
            )?;
            p.signaler();
            self.publication = Some((annee, p));
        }
        Ok(())
    }
}

/// Builds the PDF report of `annee` for the project `projet` into `sortie`,
/// dated `date` if given, else as [`crate::projet::date_du_document`] says.
pub fn construire(
    projet: &Path,
    sortie: &Path,
    annee: i32,
    date: Option<time::Date>,
    suivi: &Suivi,
) -> Resultat<Bilan> {
    crate::projet::verifier_projet(projet)?;
    output::verifier_dossier(sortie)?;
    let cache = sortie.join(crate::exports::cache::DOSSIER);
    let mut lecture = Lecture::lire(projet, Some(&cache), suivi)?;
    produire(
        projet,
        sortie,
        annee,
        date,
        &[FormatRapport::Pdf],
        &mut lecture,
        suivi,
    )
}

/// Builds the report of `annee` in `formats` from what `lecture` holds,
/// and writes it, with its charts and tables, into `sortie`.
pub fn produire(
    projet: &Path,
    sortie: &Path,
    annee: i32,
    date: Option<time::Date>,
    formats: &[FormatRapport],
    lecture: &mut Lecture,
    suivi: &Suivi,
) -> Resultat<Bilan> {
    lecture.calculer(annee, sortie, suivi)?;
    let publie = &lecture.publication.as_ref().expect("calculées").1;
    let figures = &publie.figures;
    let Preparation {
        date,
        gabarits,
        document,
        fichiers_typst,
        mut sorties,
        graphiques,
        tableaux,
    } = preparer_avec(projet, &lecture.modele, figures, annee, date, suivi)?;
    sorties.ajouter(
        noms::releve(annee),
        releve::ecrire(
            &lecture.modele,
            annee,
            date,
            publie.motif(&lecture.modele, &figures.annees),
        ),
    );
    if let Some((nom, avis)) = publication::avis_desactive(&lecture.modele) {
        sorties.ajouter(nom, avis);
    }
    let mut html = None;
    if formats.contains(&FormatRapport::Html) {
        let page = crate::web::page(&document, &fichiers_typst, suivi)?;
        let nom = noms::rapport(annee, "html");
        html = Some((nom.clone(), page.len()));
        sorties.ajouter(&nom, page.into_bytes());
    }
    let mut pdf = None;
    if formats.contains(&FormatRapport::Pdf) {
        let (octets, pages) = document::pdf(&gabarits, &document, fichiers_typst, date, suivi)?;
        let nom = noms::rapport(annee, "pdf");
        pdf = Some((nom.clone(), pages, octets.len()));
        sorties.ajouter(&nom, octets);
    }
    sorties.ecrire(sortie, suivi)?;
    Ok(Bilan {
        sortie: sortie.to_path_buf(),
        pdf,
        html,
        graphiques,
        tableaux,
    })
}

/// What a build computes before typesetting: the figures, the charts, the
/// texts, assembled into the document and the files beside it.
pub struct Preparation {
    pub date: time::Date,
    pub gabarits: document::Gabarits,
    pub document: Document,
    /// Files the template reads (charts, logo), by virtual path.
    pub fichiers_typst: Vec<(String, Vec<u8>)>,
    /// The outputs so far (charts, tables).
    pub sorties: Sorties,
    pub graphiques: usize,
    pub tableaux: usize,
}

/// The sigles of `sigles` that `document` shows, in its texts, titles, table
/// and chart labels, funders' names (its glossary aside).
pub fn sigles_employes(document: &Document, sigles: &Sigles) -> Resultat<BTreeSet<String>> {
    let valeur = serde_json::to_value(document).map_err(|e| Erreur::Interne(e.to_string()))?;
    Ok(sigles.employes(
        &valeur,
        &["glossaire", "fichier", "url", "logo", "t", "label"],
    ))
}

/// The stages between reading and typesetting: figures, charts, texts, document.
pub fn preparer(
    projet: &Path,
    modele: &Modele,
    exports: &crate::exports::Exports,
    annee: i32,
    date: Option<time::Date>,
    suivi: &Suivi,
) -> Resultat<Preparation> {
    let publie = publication::publier_rapport(modele, exports, annee, None, suivi)?;
    preparer_avec(projet, modele, &publie.figures, annee, date, suivi)
}

/// [`preparer`] with the figures already published (see [`publication::publier_rapport`]).
pub fn preparer_avec(
    projet: &Path,
    modele: &Modele,
    figures: &figures::Figures,
    annee: i32,
    date: Option<time::Date>,
    suivi: &Suivi,
) -> Resultat<Preparation> {
    let date = crate::projet::date_du_document(date, modele)?;
    let gabarits = document::Gabarits::du_projet(projet, modele)?;
    let mut textes = Textes::new(modele, figures, suivi);

    let mut sorties = Sorties::default();
    let mut fichiers_typst: Vec<(String, Vec<u8>)> = Vec::new();
    let (mut n_graphiques, mut n_tableaux) = (0, 0);
    let mut sections = Vec::new();
    for section in &modele.sections {
        let mut elements = Vec::new();
        for element in &section.elements {
            match element {
                Element::Texte { texte } => {
                    let mut blocs = textes.rendre(projet, texte)?;
                    images::servir(projet, &mut blocs, &mut fichiers_typst)?;
                    elements.push(ElementDoc::Texte { blocs });
                }
                Element::Tableau { tableau } => {
                    let t = &modele.tableaux[tableau];
                    let titre = textes.titre(&t.titre, &crate::model::lieu_tableau(tableau))?;
                    let calcule = tableaux::remplir(tableau, titre, t, modele, figures);
                    sorties.ajouter(noms::tableau(tableau), output::csv_tableau(&calcule)?);
                    elements.push(ElementDoc::tableau(&calcule));
                    n_tableaux += 1;
                }
                Element::Graphique { graphique } => {
                    let g = &modele.graphiques[graphique];
                    let titre = textes.titre(&g.titre, &crate::model::lieu_graphique(graphique))?;
                    let donnees = charts::donnees(g, modele, figures);
                    let couleurs = modele.identite.couleurs.palette();
                    let dessin = charts::dessin(&titre, &donnees, &couleurs, suivi)?;
                    let svg = publication::svg_avec_avis(modele, dessin.svg);
                    let fichier = format!("/{}", noms::graphique(graphique));
                    fichiers_typst.push((fichier.clone(), svg.clone().into_bytes()));
                    // The narrow drawing, for the web page on phones only.
                    fichiers_typst.push((
                        crate::web::version_etroite(&fichier),
                        publication::svg_avec_avis(modele, dessin.svg_etroit).into_bytes(),
                    ));
                    sorties.ajouter(noms::graphique(graphique), svg.into_bytes());
                    elements.push(ElementDoc::Graphique {
                        alt: dessin.description,
                        titre,
                        fichier,
                    });
                    n_graphiques += 1;
                }
            }
        }
        let titre = textes.titre(&section.titre, &crate::model::lieu_section())?;
        sections.push(SectionDoc {
            titre,
            elements,
            colonnes: section.colonnes,
        });
    }

    let glossaire = match &modele.rapport.glossaire {
        Some(g) => texts::glossaire(projet, g)?,
        None => Vec::new(),
    };
    let mut remerciements = match &modele.rapport.remerciements {
        Some(r) => textes.rendre(projet, r)?,
        None => Vec::new(),
    };
    images::servir(projet, &mut remerciements, &mut fichiers_typst)?;
    let mut avant_propos = match &modele.rapport.avant_propos {
        Some(a) => markdown::signer(textes.rendre(projet, a)?),
        None => Vec::new(),
    };
    images::servir(projet, &mut avant_propos, &mut fichiers_typst)?;
    // The glossary's sigles in the texts, the first of each linked to its entry.
    let sigles = Sigles::new(glossaire.iter().map(|e| e.sigle.as_str()));
    let mut lies = HashSet::new();
    sigles.marquer(&mut avant_propos, &mut lies);
    for s in &mut sections {
        for e in &mut s.elements {
            if let ElementDoc::Texte { blocs } = e {
                sigles.marquer(blocs, &mut lies);
            }
        }
    }
    sigles.marquer(&mut remerciements, &mut lies);
    // Headings without a skipped level (PDF/UA refuses one), part by part.
    texts::titres::Niveaux::default().niveler(&mut avant_propos);
    texts::titres::Niveaux::default().niveler(&mut remerciements);
    for s in &mut sections {
        let mut niveaux = texts::titres::Niveaux::default();
        for e in &mut s.elements {
            if let ElementDoc::Texte { blocs } = e {
                niveaux.niveler(blocs);
            }
        }
    }
    let logo = match &modele.association.logo {
        Some(l) => {
            let (virtuel, octets) = identite::image_du_projet(projet, l, "/logo", "logo")?;
            fichiers_typst.push((virtuel.clone(), octets));
            Some(virtuel)
        }
        None => None,
    };
    let couverture = identite::couverture(projet, modele, &mut fichiers_typst)?;
    let mut financeurs = Vec::new();
    for (id, f) in &modele.financeurs {
        financeurs.push(FinanceurDoc {
            nom: texts::typographie::typographier(&f.nom),
            sigle: f.sigle.clone(),
            logo: identite::logo_financeur(projet, modele, id, &mut fichiers_typst)?,
        });
    }
    let titre = modele.rapport.titre.clone();
    // The note on the data names the sections as the report titles them.
    let titres: Vec<String> = sections.iter().map(|s| s.titre.clone()).collect();
    let mut document = Document {
        titre_document: format!("{titre} {annee} — {}", modele.association.nom),
        description: modele.rapport.sujet.clone().unwrap_or_else(|| {
            format!(
                "{titre} {annee} de l'association {}",
                modele.association.nom
            )
        }),
        mots_cles: [
            titre.to_lowercase(),
            annee.to_string(),
            modele.association.nom.clone(),
        ]
        .into_iter()
        .chain(modele.rapport.mots_cles.iter().cloned())
        .collect(),
        titre: texts::typographie::typographier(&titre),
        annee,
        date: fr::date_longue(date),
        association: AssociationDoc {
            nom: modele.association.nom.clone(),
            ville: modele.association.ville.clone(),
            logo,
        },
        avant_propos,
        sections,
        glossaire,
        remerciements,
        financeurs,
        // Typeset with the rest of the document (see Document::typographier).
        methode: publication::methode(modele, &titres),
        couleurs: modele.identite.couleurs.palette(),
        couverture,
        coordonnees: identite::coordonnees(modele),
        chiffres_cles: identite::chiffres_cles(modele, figures),
    };
    document.typographier();
    if !modele.rapport.glossaire_complet {
        let employes = sigles_employes(&document, &sigles)?;
        document.glossaire.retain(|e| employes.contains(&e.sigle));
    }
    Ok(Preparation {
        date,
        gabarits,
        document,
        fichiers_typst,
        sorties,
        graphiques: n_graphiques,
        tableaux: n_tableaux,
    })
}
