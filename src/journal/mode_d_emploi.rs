//! The words of the journal, in French: the « Mode d'emploi » sheet (what
//! the workbook is for, each sheet and column, the allowed values, where
//! to put it, no personal data), and what each column holds, for the
//! header notes and the messages of the checks.

use std::collections::BTreeMap;

use super::{Colonne, Journal, MODE_D_EMPLOI, Saisie};
use crate::exports::Source;

/// One row of the « Mode d'emploi » sheet.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ligne {
    Titre(String),
    Intertitre(String),
    /// A line of a paragraph, written in the first column and running over the others.
    Texte(String),
    /// The header of a table, one cell per column.
    EnTete([&'static str; 4]),
    /// A row of a table.
    Rangee([String; 4]),
    Vide,
}

/// The sheet's rows, and for each list column (sheet, column) the rows
/// (from 0) of its values in column C, which the dropdowns refer to.
pub(super) struct Page {
    pub lignes: Vec<Ligne>,
    pub listes: BTreeMap<(Source, String), (u32, u32)>,
}

/// How many characters a line of a paragraph holds.
const LARGEUR: usize = 150;

/// The column of the values in the table of allowed values (C).
pub(super) const COLONNE_DES_VALEURS: u16 = 2;

/// The « Mode d'emploi » sheet of `journal`.
pub(super) fn page(journal: &Journal) -> Page {
    let a = journal.annee;
    let mut l: Vec<Ligne> = Vec::new();
    // A paragraph: a bullet, its lines after the first indented under its text.
    let texte = |l: &mut Vec<Ligne>, t: &str| {
        for (i, ligne) in couper(&typographie(t), LARGEUR).into_iter().enumerate() {
            let puce = if i == 0 { "•  " } else { "    " };
            l.push(Ligne::Texte(format!("{puce}{ligne}")));
        }
    };
    let intertitre = |l: &mut Vec<Ligne>, t: &str| {
        l.push(Ligne::Vide);
        l.push(Ligne::Intertitre(typographie(t)));
    };
    let noms: Vec<&str> = journal.feuilles.iter().map(|f| f.nom()).collect();
    let feuilles = match noms.as_slice() {
        [seule] => format!("la feuille « {seule} »"),
        [debut @ .., derniere] => format!(
            "les feuilles « {} » et « {derniere} »",
            debut.join(" », « ")
        ),
        [] => "aucune feuille (le modèle ne lit aucun export)".into(),
    };
    l.push(Ligne::Titre(typographie(&format!(
        "Journal d'activité {a} — {}",
        journal.association
    ))));
    texte(
        &mut l,
        &format!(
            "Ce classeur est le journal d'activité {a} de {}, fait par « rapport journal {a} » d'après le modèle du rapport (rapport.toml). Chaque ligne que vous y écrivez est comptée par les indicateurs du rapport : une fois rempli et posé dans le dossier donnees/ du projet, il suffit de lancer rapport build {a}.",
            journal.association
        ),
    );

    intertitre(&mut l, "Comment le remplir");
    texte(
        &mut l,
        &format!(
            "Ce classeur a {feuilles}, après celle-ci. Sur chacune, la ligne 1 donne les noms des colonnes : ne les changez pas, ne retirez aucune colonne et n'en insérez pas entre elles, car rapport les lit par leur nom."
        ),
    );
    texte(
        &mut l,
        "Une ligne par action, par suivi ou par chiffre, à partir de la ligne 2, sans ligne de total ni de sous-titre : rapport fait lui-même les totaux. Une cellule vide au milieu d'une ligne est permise quand la colonne est facultative (voir « Les colonnes » ci-dessous).",
    );
    texte(
        &mut l,
        &format!(
            "Les dates s'écrivent JJ/MM/AAAA, par exemple 15/03/{a}. Les nombres s'écrivent sans unité ni espace, la virgule pour les décimales (63,50)."
        ),
    );
    texte(
        &mut l,
        "Les colonnes à liste déroulante proposent les valeurs que le modèle compte (voir « Les valeurs permises » ci-dessous). Une autre valeur est lue mais n'est comptée par aucun indicateur : le tableur demande de la confirmer. La colonne public n'accepte que ses valeurs. Pour compter d'autres valeurs, changez le modèle (les filtres de ses indicateurs, ou une section [vocabulaire.COLONNE] de rapport.toml).",
    );

    intertitre(&mut l, "Aucune donnée personnelle");
    texte(
        &mut l,
        "N'écrivez jamais dans ce classeur le nom, le prénom, le surnom, le téléphone, l'adresse, l'adresse électronique, la date de naissance, ni aucun numéro (sécurité sociale, titre de séjour, passeport…) d'une personne, pas même dans une colonne que vous ajouteriez.",
    );
    texte(
        &mut l,
        "La colonne personne reçoit un code pseudonyme, par exemple TLS-0042, le même pour la même personne d'une ligne à l'autre : c'est un code, jamais un nom ni des initiales. La liste qui relie les codes aux personnes, si vous en tenez une, reste hors de ce classeur et hors du projet.",
    );
    texte(
        &mut l,
        "rapport refuse un journal où il reconnaît une donnée personnelle (un téléphone, une adresse électronique…), et ne l'affiche jamais.",
    );

    intertitre(&mut l, "Quand il est rempli");
    texte(
        &mut l,
        &format!(
            "Enregistrez-le au format Excel (.xlsx) sous le nom journal-{a}.xlsx, dans le dossier donnees/ du projet ; puis lancez rapport check, et rapport build {a}. La feuille « {MODE_D_EMPLOI} » n'est pas lue : vous pouvez la garder."
        ),
    );
    texte(
        &mut l,
        &format!(
            "Une même année ne doit venir que d'une source : si donnees/ contient aussi un export de {a} (activites.csv, par exemple), les mêmes actions compteraient deux fois. Gardez le journal ou l'export, pas les deux."
        ),
    );

    intertitre(&mut l, "Les feuilles");
    for f in &journal.feuilles {
        texte(&mut l, &format!("{} : {}", f.nom(), une_ligne(f.source, a)));
    }

    intertitre(&mut l, "Les colonnes");
    l.push(Ligne::EnTete([
        "Feuille",
        "Colonne",
        "À remplir",
        "Ce qu'elle contient",
    ]));
    for f in &journal.feuilles {
        for c in &f.colonnes {
            l.push(Ligne::Rangee([
                f.nom().to_string(),
                c.nom.clone(),
                if c.requise {
                    "obligatoire"
                } else {
                    "facultative"
                }
                .to_string(),
                typographie(&sens(f.source, c, a)),
            ]));
        }
    }

    intertitre(&mut l, "Les valeurs permises");
    texte(
        &mut l,
        "Les listes déroulantes des feuilles proposent ces valeurs. Les majuscules, les accents et les espaces ne comptent pas (Femme vaut femme).",
    );
    l.push(Ligne::EnTete([
        "Feuille",
        "Colonne",
        "Valeur",
        "Comptée dans",
    ]));
    let mut listes = BTreeMap::new();
    for f in &journal.feuilles {
        for c in f.colonnes.iter().filter(|c| !c.valeurs.is_empty()) {
            let debut = l.len() as u32;
            for v in &c.valeurs {
                // A public of the contract, a value of [vocabulaire]: accepted, counted by nothing yet.
                let usages = if v.usages.is_empty() {
                    "aucun indicateur pour l'instant".to_string()
                } else {
                    v.usages.join(" ; ")
                };
                l.push(Ligne::Rangee([
                    f.nom().to_string(),
                    c.nom.clone(),
                    v.valeur.clone(),
                    typographie(&usages),
                ]));
            }
            listes.insert((f.source, c.nom.clone()), (debut, l.len() as u32 - 1));
        }
    }
    Page { lignes: l, listes }
}

/// What one row of the sheet of `source` is.
fn une_ligne(source: Source, a: i32) -> String {
    match source {
        Source::Activites => "une ligne par action menée (une tournée, un contact, un entretien, un repas, une aide…) ; la colonne quantite dit combien la ligne compte (12 contacts lors d'une tournée), vide pour 1.".into(),
        Source::Suivis => format!("une ligne par suivi individuel (un dossier ouvert pour une personne) ; un suivi ouvert avant {a} et encore en cours pendant l'année s'écrit aussi : il compte en {a}."),
        Source::Indicateurs => format!("une ligne par chiffre que les actions ne donnent pas (les visites du site internet, par exemple), pour l'année {a}."),
    }
}

/// What column `c` of the sheet of `source` holds, in one sentence.
pub(super) fn sens(source: Source, c: &Colonne, a: i32) -> String {
    let liste = |nature: &str| {
        if c.valeurs.is_empty() {
            format!("{nature}, comme l'écrit le modèle")
        } else {
            format!("{nature}, dans la liste")
        }
    };
    let valeurs: Vec<&str> = c.valeurs.iter().map(|v| v.valeur.as_str()).collect();
    match (c.saisie, c.nom.as_str()) {
        (Saisie::Date { .. }, "date") => format!("la date de l'action, JJ/MM/AAAA, en {a}"),
        (Saisie::Date { .. }, "ouverture") => {
            format!("la date d'ouverture du suivi, JJ/MM/AAAA, au plus tard le 31/12/{a}")
        }
        (Saisie::Date { .. }, "cloture") => format!(
            "la date de clôture du suivi, JJ/MM/AAAA, à partir du 01/01/{a} ; vide tant qu'il est en cours"
        ),
        (Saisie::Date { .. }, _) => "une date, JJ/MM/AAAA".into(),
        (Saisie::Liste { fermee: true }, _) => format!(
            "le public : {} ; vide {}",
            ou(&valeurs),
            match source {
                Source::Activites => "pour une action sans personne",
                _ => "s'il n'est pas connu",
            }
        ),
        (Saisie::Liste { .. }, "action") => liste("le type d'action"),
        (Saisie::Liste { .. }, "programme") => liste("le programme (le pôle, le secteur) de l'action"),
        (Saisie::Liste { .. }, "type") => liste("le type de suivi"),
        (Saisie::Liste { .. }, "indicateur") => liste("le chiffre dont il s'agit"),
        (Saisie::Liste { .. }, _) => {
            let lue = match source {
                Source::Activites => "l'action",
                Source::Suivis => "le suivi",
                Source::Indicateurs => "le chiffre",
            };
            liste(&format!("la catégorie de {lue}, lue par le modèle"))
        }
        (Saisie::Plusieurs, _) => {
            let exemple = match valeurs.as_slice() {
                [] => "a|b".to_string(),
                [seule] => (*seule).to_string(),
                [premiere, seconde, ..] => format!("{premiere}|{seconde}"),
            };
            let nature = if c.nom == "themes" {
                "les thèmes abordés"
            } else {
                "une ou plusieurs valeurs"
            };
            let mut s = format!(
                "{nature}, séparés par une barre verticale | (AltGr+6 sur un clavier français), sans espace : par exemple {exemple}"
            );
            if !valeurs.is_empty() {
                s += &format!(" ; valeurs comptées : {}", valeurs.join(", "));
            }
            s
        }
        (Saisie::Code, _) => "le code pseudonyme de la personne, par exemple TLS-0042, le même à chaque ligne pour la même personne ; jamais un nom ; vide pour une action sans personne identifiée".into(),
        (Saisie::Quantite, _) => "combien de fois la ligne compte : un nombre entier à partir de 1 (12 contacts lors d'une tournée) ; vide pour 1".into(),
        (Saisie::Annee, _) => format!("l'année du chiffre : {a}"),
        (Saisie::Nombre, _) if c.sommee_par.is_empty() => "le chiffre, un nombre".into(),
        (Saisie::Nombre, _) => format!(
            "un nombre{}, additionné par « {} »",
            if c.euros { " (en euros, sans le signe €)" } else { "" },
            c.sommee_par.join(" », « ")
        ),
    }
}

/// `a, b ou c`.
fn ou(valeurs: &[&str]) -> String {
    match valeurs {
        [] => String::new(),
        [seule] => (*seule).to_string(),
        [debut @ .., derniere] => format!("{} ou {derniere}", debut.join(", ")),
    }
}

/// `texte` with no-break spaces where French typography wants them: before
/// `:` `;` `!` `?` `»` and after `«` (so that lines never break there).
pub(super) fn typographie(texte: &str) -> String {
    texte
        .replace(" :", "\u{a0}:")
        .replace(" ;", "\u{a0};")
        .replace(" !", "\u{a0}!")
        .replace(" ?", "\u{a0}?")
        .replace(" »", "\u{a0}»")
        .replace("« ", "«\u{a0}")
}

/// `texte` in lines of at most `largeur` characters, cut at spaces only
/// (a word longer than a line stays whole).
fn couper(texte: &str, largeur: usize) -> Vec<String> {
    let mut lignes = Vec::new();
    let mut ligne = String::new();
    for mot in texte.split(' ').filter(|m| !m.is_empty()) {
        let longueur = ligne.chars().count();
        if longueur > 0 && longueur + 1 + mot.chars().count() > largeur {
            lignes.push(std::mem::take(&mut ligne));
        }
        if !ligne.is_empty() {
            ligne.push(' ');
        }
        ligne.push_str(mot);
    }
    if !ligne.is_empty() {
        lignes.push(ligne);
    }
    lignes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_is_cut_at_spaces_never_before_a_colon() {
        let t = typographie("Les dates s'écrivent ainsi : JJ/MM/AAAA, « par exemple » 15/03/2025.");
        let lignes = couper(&t, 28);
        assert!(lignes.iter().all(|l| l.chars().count() <= 28), "{lignes:?}");
        assert_eq!(lignes.join(" "), t);
        assert!(
            lignes
                .iter()
                .all(|l| !l.starts_with(':') && !l.starts_with('»'))
        );
    }
}
