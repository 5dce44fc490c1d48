//! The journal laid out as an XLSX workbook: the « Mode d'emploi » sheet
//! first, then one sheet per source, its header bold and frozen on row 1,
//! each column with its format (date `jj/mm/aaaa`, number, text), its check
//! (a dropdown of the allowed values, a date of the year, an integer from
//! 1…) and a note on its header. Every text is written as text, never read
//! as a formula.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};

use super::mode_d_emploi::{COLONNE_DES_VALEURS, Ligne, Page, page, sens, typographie};
use super::{Colonne, Feuille, Journal, MODE_D_EMPLOI, Saisie};
use crate::error::{Erreur, Resultat};

/// The last row a check covers (from 0): the last row of a sheet.
const DERNIERE_LIGNE: u32 = 1_048_575;

/// The columns of the « Mode d'emploi » sheet and their widths.
const LARGEURS_MODE_D_EMPLOI: [f64; 4] = [14.0, 16.0, 24.0, 90.0];

fn interne(e: XlsxError) -> Erreur {
    Erreur::Interne(format!("journal : {e}"))
}

/// The journal's bytes, its properties dated `date`.
pub fn classeur(journal: &Journal, date: time::Date) -> Resultat<Vec<u8>> {
    let mut classeur = Workbook::new();
    let jour = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day())
        .map_err(interne)?;
    classeur.set_properties(
        &DocProperties::new()
            .set_title(format!("Journal d'activité {}", journal.annee))
            .set_author(&journal.association)
            .set_creation_datetime(&jour),
    );
    let page = page(journal);
    mode_d_emploi(classeur.add_worksheet(), &page).map_err(interne)?;
    for f in &journal.feuilles {
        feuille(classeur.add_worksheet(), journal, f, &page).map_err(interne)?;
    }
    classeur.save_to_buffer().map_err(interne)
}

/// The header's format, on every sheet.
fn entete() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE6F0))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

/// Paper, orientation and scale for printing a sheet: A4 landscape, one page wide.
fn impression(w: &mut Worksheet) {
    w.set_paper_size(9);
    w.set_landscape();
    w.set_print_fit_to_pages(1, 0);
    w.set_footer("&L&A&RPage &P sur &N");
}

fn mode_d_emploi(w: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    w.set_name(MODE_D_EMPLOI)?;
    impression(w);
    for (c, largeur) in LARGEURS_MODE_D_EMPLOI.iter().enumerate() {
        w.set_column_width(c as u16, *largeur)?;
    }
    let titre = Format::new().set_bold().set_font_size(16);
    let intertitre = Format::new().set_bold().set_font_size(12);
    let en_tete = entete();
    let rangee = Format::new()
        .set_align(FormatAlign::Top)
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Hair);
    for (r, ligne) in page.lignes.iter().enumerate() {
        let r = r as u32;
        match ligne {
            Ligne::Titre(t) => {
                w.write_string_with_format(r, 0, t, &titre)?;
                w.set_row_height(r, 24)?;
            }
            Ligne::Intertitre(t) => {
                w.write_string_with_format(r, 0, t, &intertitre)?;
                w.set_row_height(r, 18)?;
            }
            Ligne::Texte(t) => {
                w.write_string(r, 0, t)?;
            }
            Ligne::EnTete(cellules) => {
                for (c, t) in cellules.iter().enumerate() {
                    w.write_string_with_format(r, c as u16, *t, &en_tete)?;
                }
            }
            Ligne::Rangee(cellules) => {
                for (c, t) in cellules.iter().enumerate() {
                    w.write_string_with_format(r, c as u16, t, &rangee)?;
                }
                // Not every spreadsheet fits a row to its wrapped text when
                // it opens a file (LibreOffice does not): the row gets the
                // height its longest cell needs, about 1.1 characters a unit
                // of width.
                let lignes = cellules
                    .iter()
                    .zip(LARGEURS_MODE_D_EMPLOI)
                    .map(|(t, largeur)| (t.chars().count() as f64 / (largeur * 1.1)).ceil())
                    .fold(1.0, f64::max);
                w.set_row_height(r, 15.0 * lignes)?;
            }
            Ligne::Vide => {}
        }
    }
    Ok(())
}

fn feuille(
    w: &mut Worksheet,
    journal: &Journal,
    f: &Feuille,
    page: &Page,
) -> Result<(), XlsxError> {
    w.set_name(f.nom())?;
    impression(w);
    w.set_repeat_rows(0, 0)?;
    w.set_freeze_panes(1, 0)?;
    let en_tete = entete();
    for (i, c) in f.colonnes.iter().enumerate() {
        let col = i as u16;
        let explication = typographie(&sens(f.source, c, journal.annee));
        w.write_string_with_format(0, col, &c.nom, &en_tete)?;
        w.set_column_format(col, &format_de(c))?;
        w.set_column_width(col, largeur(c))?;
        let note = Note::new(format!("{} : {explication}", c.nom))
            .add_author_prefix(false)
            .set_width(320)
            .set_height(40 + 16 * (explication.chars().count() as u32 / 45 + 1));
        w.insert_note(0, col, &note)?;
        if let Some(v) = verification(journal, f, c, page, &explication)? {
            w.add_data_validation(1, col, DERNIERE_LIGNE, col, &v)?;
        }
    }
    Ok(())
}

/// The format of a column's cells: how a date, an amount or a code shows.
fn format_de(c: &Colonne) -> Format {
    let format = match c.saisie {
        Saisie::Date { .. } => "dd/mm/yyyy",
        Saisie::Quantite | Saisie::Annee => "0",
        Saisie::Nombre if c.euros => "#,##0.00\\ \"€\"",
        Saisie::Nombre => "General",
        // Text, so that a code such as 0042 keeps its zeros and nothing becomes a date.
        Saisie::Liste { .. } | Saisie::Plusieurs | Saisie::Code => "@",
    };
    Format::new().set_num_format(format)
}

/// A width that shows the header and the longest allowed value.
fn largeur(c: &Colonne) -> f64 {
    let valeurs = c.valeurs.iter().map(|v| v.valeur.chars().count()).max();
    let contenu = match c.saisie {
        Saisie::Date { .. } => 10,
        Saisie::Code => 12,
        Saisie::Plusieurs => 30,
        Saisie::Nombre => 12,
        _ => valeurs.unwrap_or(12),
    };
    // Room for the dropdown's arrow and the note's mark.
    (contenu.max(c.nom.chars().count()) + 4).clamp(10, 40) as f64
}

/// The day `d` as the spreadsheet counts it.
fn jour(d: time::Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day())
}

/// The check of column `c`: a dropdown, a date of the year, an integer…,
/// with its French messages; `None` for a column of free text.
fn verification(
    journal: &Journal,
    f: &Feuille,
    c: &Colonne,
    page: &Page,
    explication: &str,
) -> Result<Option<DataValidation>, XlsxError> {
    let a = journal.annee;
    let (v, titre, message, style) = match c.saisie {
        Saisie::Date { debut, fin } => {
            let (regle, titre, message) = match (debut, fin) {
                (Some(d), Some(e)) => (
                    DataValidationRule::Between(jour(d)?, jour(e)?),
                    format!("Date hors de {a}"),
                    format!(
                        "Ce journal est celui de {a} : écrivez une date de {a}, JJ/MM/AAAA (par exemple 15/03/{a})."
                    ),
                ),
                (None, Some(e)) => (
                    DataValidationRule::LessThanOrEqualTo(jour(e)?),
                    format!("Date après {a}"),
                    format!(
                        "Un suivi de ce journal s'ouvre au plus tard le 31/12/{a} : écrivez une date JJ/MM/AAAA."
                    ),
                ),
                (Some(d), None) => (
                    DataValidationRule::GreaterThanOrEqualTo(jour(d)?),
                    format!("Date avant {a}"),
                    format!(
                        "Un suivi clos avant {a} ne compte pas en {a} : écrivez une date JJ/MM/AAAA à partir du 01/01/{a}, ou laissez vide s'il est en cours."
                    ),
                ),
                (None, None) => (
                    DataValidationRule::Between(
                        ExcelDateTime::from_ymd(1900, 1, 1)?,
                        ExcelDateTime::from_ymd(9999, 12, 31)?,
                    ),
                    "Date attendue".to_string(),
                    "Écrivez une date, JJ/MM/AAAA.".to_string(),
                ),
            };
            (
                DataValidation::new().allow_date(regle),
                titre,
                message,
                DataValidationErrorStyle::Stop,
            )
        }
        Saisie::Liste { fermee } if !c.valeurs.is_empty() => {
            let Some(&(debut, fin)) = page.listes.get(&(f.source, c.nom.clone())) else {
                return Ok(None);
            };
            let colonne = char::from(b'A' + COLONNE_DES_VALEURS as u8);
            let plage = format!(
                "='{}'!${colonne}${}:${colonne}${}",
                MODE_D_EMPLOI.replace('\'', "''"),
                debut + 1,
                fin + 1
            );
            let v = DataValidation::new().allow_list_formula(Formula::new(plage));
            if fermee {
                let valeurs: Vec<&str> = c.valeurs.iter().map(|v| v.valeur.as_str()).collect();
                (
                    v,
                    "Valeur refusée".to_string(),
                    format!(
                        "Choisissez dans la liste : {} ; ou laissez vide.",
                        valeurs.join(", ")
                    ),
                    DataValidationErrorStyle::Stop,
                )
            } else {
                (
                    v,
                    "Valeur hors de la liste".to_string(),
                    "Aucun indicateur du modèle ne compte cette valeur : choisissez-la dans la liste, ou ajoutez-la au modèle (rapport.toml). Garder cette valeur ?".to_string(),
                    DataValidationErrorStyle::Warning,
                )
            }
        }
        Saisie::Quantite => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(1)),
            "Quantité".to_string(),
            "Écrivez un nombre entier à partir de 1, ou laissez vide pour 1.".to_string(),
            DataValidationErrorStyle::Stop,
        ),
        Saisie::Annee => (
            DataValidation::new().allow_whole_number(DataValidationRule::EqualTo(a)),
            format!("Année {a}"),
            format!("Ce journal est celui de {a} : écrivez {a}."),
            DataValidationErrorStyle::Stop,
        ),
        Saisie::Nombre => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "Nombre attendu".to_string(),
            "Écrivez un nombre positif ou nul, sans unité (par exemple 63,50).".to_string(),
            DataValidationErrorStyle::Stop,
        ),
        Saisie::Liste { .. } | Saisie::Plusieurs | Saisie::Code => (
            DataValidation::new().allow_any_value(),
            String::new(),
            String::new(),
            DataValidationErrorStyle::Information,
        ),
    };
    let mut v = v
        .set_input_title(tronquer(&c.nom, 32))?
        .set_input_message(tronquer(&typographie(explication), 255))?;
    if !message.is_empty() {
        v = v
            .set_error_title(tronquer(&typographie(&titre), 32))?
            .set_error_message(tronquer(&typographie(&message), 255))?
            .set_error_style(style);
    }
    Ok(Some(v))
}

/// `texte` cut to `n` characters (a message's limit in a spreadsheet), ending with `…` if cut.
fn tronquer(texte: &str, n: usize) -> String {
    if texte.chars().count() <= n {
        return texte.to_string();
    }
    let mut t: String = texte.chars().take(n - 1).collect();
    t.push('…');
    t
}
