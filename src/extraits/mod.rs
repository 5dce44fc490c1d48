//! The funders' extracts stage: each funder's own figures, in its words and
//! categories, with the previous year beside them, from the published
//! figures; its reconciliation with the report, its PDF and XLSX.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as FormatXlsx, Workbook};
use serde::Serialize;

use crate::comparaison::{Comparaison, NotesDuTableau, SectionComparee, lignes_de};
use crate::document::{self, AssociationDoc, ElementDoc};
use crate::error::{Erreur, Resultat};
use crate::exports;
use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::{Financeur, Mesure, Modele};
use crate::suivi::Suivi;
use crate::texts::Noeud;
use crate::texts::Textes;

/// One funder's extract, computed.
pub struct Extrait {
    pub id: String,
    pub annee: i32,
    pub tableaux: Comparaison,
    /// Sentences reconciling its totals with the annual report's.
    pub rapprochement: Vec<String>,
    /// Where the figures come from.
    pub sources: String,
}

/// Computes the extract of funder `id` for `annee` from the published figures.
pub fn extrait(
    modele: &Modele,
    exports: &exports::Exports,
    figures: &Figures,
    id: &str,
    annee: i32,
) -> Extrait {
    let f = &modele.financeurs[id];
    let annees = [annee - 1, annee];
    let mut notes = NotesDuTableau::default();
    let mut sections = Vec::new();
    let mut rapprochement = Vec::new();
    let (mut verifies, mut ecarts, mut masques) = (0, Vec::new(), 0);
    for t in &f.tableaux {
        let mut lignes = Vec::new();
        for l in &t.lignes {
            let (ind_id, libelle, cle) = l.details(modele);
            lignes.extend(lignes_de(
                modele, figures, &cle, libelle, &annees, &mut notes,
            ));
            // Reconciliation, on the published figures only: the funder's
            // categories add up to the annual report's total for the same
            // indicator. A hidden cell is never used, nor worded.
            let ind = &modele.indicateurs[ind_id];
            let publie = figures.chiffre(&cle, annee);
            let rapport = figures.chiffre(ind_id, annee).total;
            let additive = matches!(ind.mesure, Mesure::Lignes | Mesure::Somme);
            let caches = std::iter::once(&publie.total)
                .chain(&publie.groupes)
                .chain([&rapport])
                .any(Valeur::est_masquee);
            if caches {
                masques += 1;
            } else if additive && !publie.groupes.is_empty() {
                let somme: f64 = publie.groupes.iter().filter_map(Valeur::nombre).sum();
                match rapport.nombre() {
                    Some(r) if (r - somme).abs() < 1e-9 => verifies += 1,
                    Some(r) => ecarts.push(format!(
                        "« {libelle} » : les catégories totalisent {} et le rapport annuel {} ; {} ne relèvent d'aucune catégorie de ce financeur.",
                        fr::nombre_auto(somme),
                        fr::nombre_auto(r),
                        fr::nombre_auto(r - somme)
                    )),
                    None => {}
                }
            } else if publie.total == rapport {
                verifies += 1;
            }
        }
        sections.push(SectionComparee {
            titre: t.titre.clone(),
            lignes,
        });
    }
    rapprochement.push(format!(
        "Rapprochement avec le rapport d'activité {annee} : {verifies} indicateur{} sur {} {} les mêmes totaux que le rapport annuel, calculés sur les mêmes exports avec les mêmes définitions.",
        if verifies > 1 { "s" } else { "" },
        verifies + ecarts.len() + masques,
        if verifies > 1 { "ont" } else { "a" },
    ));
    rapprochement.extend(ecarts);
    if masques > 0 {
        rapprochement.push(format!(
            "{masques} indicateur{} ne {} pas rapproché{} : une de {} cases est masquée (secret statistique).",
            if masques > 1 { "s" } else { "" },
            if masques > 1 { "sont" } else { "est" },
            if masques > 1 { "s" } else { "" },
            if masques > 1 { "leurs" } else { "ses" },
        ));
    }
    Extrait {
        id: id.to_string(),
        annee,
        tableaux: Comparaison {
            annees: annees.to_vec(),
            sections,
            notes: notes.0,
        },
        rapprochement,
        sources: crate::publication::methode(modele, exports)[0].clone(),
    }
}

/// The extract as an XLSX workbook: a sheet per table, numbers as numbers,
/// a sheet "Notes"; every text cell written as text, never as a formula.
pub fn xlsx(modele: &Modele, f: &Financeur, e: &Extrait, date: time::Date) -> Resultat<Vec<u8>> {
    let interne = |e: rust_xlsxwriter::XlsxError| Erreur::Interne(format!("classeur : {e}"));
    let mut classeur = Workbook::new();
    let jour = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day())
        .map_err(interne)?;
    classeur.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} — {} {}",
                modele.association.nom, f.nom, e.annee
            ))
            .set_author(&modele.association.nom)
            .set_creation_datetime(&jour),
    );
    let gras = FormatXlsx::new().set_bold();
    let entier = FormatXlsx::new().set_num_format("#,##0");
    let decimal = FormatXlsx::new().set_num_format("#,##0.0");
    let droite = FormatXlsx::new().set_align(rust_xlsxwriter::FormatAlign::Right);
    let (a, b) = (e.annee - 1, e.annee);
    let mut noms = std::collections::BTreeSet::new();
    for (i, s) in e.tableaux.sections.iter().enumerate() {
        let feuille = classeur.add_worksheet();
        // Sheet names: 31 characters at most, unique, without []:*?/\.
        let mut nom: String = s
            .titre
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(28)
            .collect();
        if !noms.insert(nom.clone()) || nom.trim().is_empty() {
            nom = format!("Tableau {}", i + 1);
            noms.insert(nom.clone());
        }
        feuille.set_name(nom.trim()).map_err(interne)?;
        let entete = [
            "Indicateur".to_string(),
            "Catégorie".to_string(),
            a.to_string(),
            b.to_string(),
            format!("Écart {a}-{b}"),
            format!("Évolution {a}-{b} (%)"),
            "Unité".to_string(),
        ];
        for (c, t) in entete.iter().enumerate() {
            feuille
                .write_string_with_format(0, c as u16, t, &gras)
                .map_err(interne)?;
        }
        for (r, l) in s.lignes.iter().enumerate() {
            let r = r as u32 + 1;
            // write_string stores text, never a formula, whatever it begins with.
            feuille.write_string(r, 0, &l.libelle).map_err(interne)?;
            feuille
                .write_string(r, 1, l.groupe.as_deref().unwrap_or("Total"))
                .map_err(interne)?;
            let part = l.valeurs.iter().any(|v| matches!(v, Valeur::Part { .. }));
            let format = |v: f64| {
                if part || v.fract() != 0.0 {
                    &decimal
                } else {
                    &entier
                }
            };
            let mut cellule = |c: u16, v: Option<f64>, repli: &str| -> Resultat<()> {
                match v {
                    Some(v) => feuille
                        .write_number_with_format(r, c, v, format(v))
                        .map(|_| ()),
                    None => feuille
                        .write_string_with_format(r, c, repli, &droite)
                        .map(|_| ()),
                }
                .map_err(interne)
            };
            for (k, v) in l.valeurs.iter().enumerate() {
                // The value as printed: shares to one decimal, amounts to the cent.
                let decimales = if part { 10.0 } else { 100.0 };
                let arrondi = v.nombre().map(|x| (x * decimales).round() / decimales);
                cellule(2 + k as u16, arrondi, &v.texte(None))?;
            }
            let (va, vb) = (l.valeurs[0], l.valeurs[1]);
            cellule(4, crate::comparaison::ecart(va, vb), "—")?;
            let evolution =
                crate::comparaison::evolution(va, vb).map(|x| (x * 10.0).round() / 10.0);
            let ns = if crate::comparaison::non_significative(va, vb) {
                crate::comparaison::NON_SIGNIFICATIVE
            } else {
                "—"
            };
            cellule(5, evolution, ns)?;
            let unite = if part {
                "%"
            } else {
                l.unite.as_deref().unwrap_or("")
            };
            feuille.write_string(r, 6, unite).map_err(interne)?;
        }
        feuille.autofit();
    }
    let notes = classeur.add_worksheet();
    notes.set_name("Notes").map_err(interne)?;
    let mut lignes: Vec<String> = vec![
        format!(
            "{} — extrait {} pour {}",
            modele.association.nom, e.annee, f.nom
        ),
        format!(
            "Convention : {}",
            f.convention.as_deref().unwrap_or("non précisée")
        ),
        format!("Période : {}", periode(f, e.annee)),
        format!("Document établi le {}", fr::date_longue(date)),
        String::new(),
    ];
    lignes.extend(e.rapprochement.iter().cloned());
    lignes.push(e.sources.clone());
    lignes.push(crate::publication::explication(modele));
    lignes.extend(
        e.tableaux
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| format!("[{}] {n}", i + 1)),
    );
    for (r, l) in lignes.iter().enumerate() {
        notes.write_string(r as u32, 0, l).map_err(interne)?;
    }
    notes.set_column_width(0, 120).map_err(interne)?;
    classeur.save_to_buffer().map_err(interne)
}

fn periode(f: &Financeur, annee: i32) -> String {
    f.periode
        .clone()
        .unwrap_or_else(|| format!("du 1er janvier au 31 décembre {annee}"))
}

#[derive(Serialize)]
struct DocumentExtrait {
    titre_document: String,
    association: AssociationDoc,
    annee: i32,
    date: String,
    financeur: FinanceurExtrait,
    tableaux: Vec<ElementDoc>,
    textes: Vec<Vec<Noeud>>,
    confidentialite: String,
    rapprochement: Vec<String>,
}

/// The funder, as the extract's cover names it.
#[derive(Serialize)]
struct FinanceurExtrait {
    nom: String,
    sigle: Option<String>,
    convention: Option<String>,
    periode: String,
}

/// The extract as PDF: a cover naming the funder, its tables, its texts,
/// the notes; typeset with the extract's template of `gabarits`.
pub fn pdf(
    gabarits: &document::Gabarits,
    projet: &Path,
    modele: &Modele,
    e: &Extrait,
    figures: &Figures,
    date: time::Date,
    suivi: &Suivi,
) -> Resultat<Vec<u8>> {
    let f = &modele.financeurs[&e.id];
    let mut textes = Textes::new(modele, figures, suivi);
    let mut blocs = Vec::new();
    for t in &f.textes {
        blocs.push(textes.rendre(projet, t)?);
    }
    let doc = DocumentExtrait {
        titre_document: format!(
            "{} — {} {} — {}",
            modele.association.nom, f.nom, e.annee, "extrait du rapport d'activité"
        ),
        association: AssociationDoc {
            nom: modele.association.nom.clone(),
            ville: modele.association.ville.clone(),
            logo: None,
        },
        annee: e.annee,
        date: fr::date_longue(date),
        financeur: FinanceurExtrait {
            nom: f.nom.clone(),
            sigle: f.sigle.clone(),
            convention: f.convention.clone(),
            periode: periode(f, e.annee),
        },
        tableaux: e
            .tableaux
            .sections
            .iter()
            .map(|s| e.tableaux.tableau(s))
            .collect(),
        textes: blocs,
        confidentialite: format!("{} {}", e.sources, crate::publication::explication(modele)),
        rapprochement: e.rapprochement.clone(),
    };
    let (octets, _) = document::composer(
        gabarits,
        "extrait.typ",
        &doc,
        &format!("extrait-{}-{}", e.id, e.annee),
        Vec::new(),
        date,
        suivi,
    )?;
    Ok(octets)
}
