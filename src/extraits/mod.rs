//! The funders' extracts stage: each funder's own figures, in its words and
//! categories, with the previous year beside them, from the published
//! figures; its reconciliation with the report, its PDF and XLSX.

use std::path::Path;

use serde::Serialize;

use crate::comparaison::{Comparaison, LigneComparee, NotesDuTableau, SectionComparee, lignes_de};
use crate::document::{self, AssociationDoc, ElementDoc};
use crate::error::Resultat;
use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::{Financeur, Mesure, Modele};
use crate::output::xlsx::{CelluleXlsx, Classeur};
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
pub fn extrait(modele: &Modele, figures: &Figures, id: &str, annee: i32) -> Extrait {
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
        sources: crate::publication::sources(modele),
    }
}

/// The extract as an XLSX workbook: a sheet per table, numbers as numbers,
/// a sheet "Notes"; every text cell written as text, never as a formula.
pub fn xlsx(modele: &Modele, f: &Financeur, e: &Extrait, date: time::Date) -> Resultat<Vec<u8>> {
    let titre = format!("{} — {} {}", modele.association.nom, f.nom, e.annee);
    let mut classeur = Classeur::new(&titre, &modele.association.nom, date)?;
    let (a, b) = (e.annee - 1, e.annee);
    let entete = [
        "Indicateur".to_string(),
        "Catégorie".to_string(),
        a.to_string(),
        b.to_string(),
        format!("Écart {a}-{b}"),
        format!("Évolution {a}-{b} (%)"),
        "Unité".to_string(),
    ];
    for (i, s) in e.tableaux.sections.iter().enumerate() {
        let textes: Vec<[String; 4]> = s.lignes.iter().map(textes_de_ligne).collect();
        let lignes: Vec<Vec<CelluleXlsx>> = s
            .lignes
            .iter()
            .zip(&textes)
            .map(|(l, t)| ligne_xlsx(l, t))
            .collect();
        classeur.feuille(&s.titre, i, &entete, &lignes)?;
    }
    let mut lignes: Vec<String> = vec![
        format!(
            "{} — extrait {} pour {}",
            modele.association.nom, e.annee, f.nom
        ),
        format!(
            "Financement : {}",
            f.convention.as_deref().unwrap_or("non précisé")
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
    classeur.lignes("Notes", &lignes)?;
    classeur.octets()
}

/// The texts a row of an extract shows where it has no number: its two
/// years' values as printed, then the change's and the evolution's.
fn textes_de_ligne(l: &LigneComparee) -> [String; 4] {
    let (va, vb) = (l.valeurs[0], l.valeurs[1]);
    // A share's change is in points (the change column), never in percent.
    let evolution = match crate::comparaison::texte_evolution(va, vb) {
        t if t.is_empty() || t == crate::comparaison::NON_CALCULABLE => t,
        _ => "—".into(),
    };
    [va.texte(None), vb.texte(None), "—".into(), evolution]
}

/// A row of an extract's sheet: label, group, the two years (as printed:
/// shares to one decimal, amounts to the cent), change, evolution, unit.
fn ligne_xlsx<'a>(l: &'a LigneComparee, textes: &'a [String; 4]) -> Vec<CelluleXlsx<'a>> {
    let part = l.valeurs.iter().any(|v| matches!(v, Valeur::Part { .. }));
    let nombre = |v: Option<f64>, repli: &'a str| match v {
        Some(valeur) => CelluleXlsx::Nombre {
            valeur,
            decimale: part || valeur.fract() != 0.0,
        },
        None => CelluleXlsx::Absente(repli),
    };
    let decimales = if part { 10.0 } else { 100.0 };
    let (va, vb) = (l.valeurs[0], l.valeurs[1]);
    let arrondi = |v: Valeur| v.nombre().map(|x| (x * decimales).round() / decimales);
    let evolution = crate::comparaison::evolution(va, vb).map(|x| (x * 10.0).round() / 10.0);
    let unite = if part {
        "%"
    } else {
        l.unite.as_deref().unwrap_or("")
    };
    vec![
        CelluleXlsx::Texte(&l.libelle),
        CelluleXlsx::Texte(l.groupe.as_deref().unwrap_or("Total")),
        nombre(arrondi(va), &textes[0]),
        nombre(arrondi(vb), &textes[1]),
        nombre(crate::comparaison::ecart(va, vb), &textes[2]),
        nombre(evolution, &textes[3]),
        CelluleXlsx::Texte(unite),
    ]
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
    let mut fichiers = Vec::new();
    for t in &f.textes {
        let mut b = textes.rendre(projet, t)?;
        crate::texts::images::servir(projet, &mut b, &mut fichiers)?;
        blocs.push(b);
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
        fichiers,
        date,
        suivi,
    )?;
    Ok(octets)
}
