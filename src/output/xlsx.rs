//! XLSX workbooks: French number formats, valid and unique sheet names, text
//! cells always written as text (never a formula, whatever they begin with).

use std::collections::BTreeSet;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};

use crate::error::{Erreur, Resultat};

/// One cell of a sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CelluleXlsx<'a> {
    /// Text, left as it is.
    Texte(&'a str),
    /// A number: thousands grouped, one decimal when `decimale`.
    Nombre { valeur: f64, decimale: bool },
    /// No number (`n.d.`, `< 5`, `s`, `—`): its text, aligned right as a number would be.
    Absente(&'a str),
}

/// A workbook being built.
pub struct Classeur {
    classeur: Workbook,
    noms: BTreeSet<String>,
    gras: Format,
    entier: Format,
    decimal: Format,
    droite: Format,
}

fn interne(e: rust_xlsxwriter::XlsxError) -> Erreur {
    Erreur::Interne(format!("classeur : {e}"))
}

impl Classeur {
    /// A workbook titled `titre`, by `auteur`, dated `date`.
    pub fn new(titre: &str, auteur: &str, date: time::Date) -> Resultat<Classeur> {
        let mut classeur = Workbook::new();
        let jour = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day())
            .map_err(interne)?;
        classeur.set_properties(
            &DocProperties::new()
                .set_title(titre)
                .set_author(auteur)
                .set_creation_datetime(&jour),
        );
        Ok(Classeur {
            classeur,
            noms: BTreeSet::new(),
            gras: Format::new().set_bold(),
            entier: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.0"),
            droite: Format::new().set_align(FormatAlign::Right),
        })
    }

    /// Adds sheet number `rang` (from 0) titled `titre`: `entete` in bold on
    /// the first row, then `lignes`; columns fitted to their contents.
    /// Sheet names keep 28 characters without `[]:*?/\`; an empty or
    /// repeated one becomes `Tableau n`.
    pub fn feuille(
        &mut self,
        titre: &str,
        rang: usize,
        entete: &[String],
        lignes: &[Vec<CelluleXlsx>],
    ) -> Resultat<()> {
        let feuille = self.classeur.add_worksheet();
        let mut nom: String = titre
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(28)
            .collect();
        if !self.noms.insert(nom.clone()) || nom.trim().is_empty() {
            nom = format!("Tableau {}", rang + 1);
            self.noms.insert(nom.clone());
        }
        feuille.set_name(nom.trim()).map_err(interne)?;
        for (c, t) in entete.iter().enumerate() {
            feuille
                .write_string_with_format(0, c as u16, t, &self.gras)
                .map_err(interne)?;
        }
        for (r, ligne) in lignes.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cellule) in ligne.iter().enumerate() {
                let c = c as u16;
                match *cellule {
                    CelluleXlsx::Texte(t) => feuille.write_string(r, c, t),
                    CelluleXlsx::Nombre { valeur, decimale } => {
                        let format = if decimale {
                            &self.decimal
                        } else {
                            &self.entier
                        };
                        feuille.write_number_with_format(r, c, valeur, format)
                    }
                    CelluleXlsx::Absente(t) => {
                        feuille.write_string_with_format(r, c, t, &self.droite)
                    }
                }
                .map_err(interne)?;
            }
        }
        feuille.autofit();
        Ok(())
    }

    /// Adds a sheet `nom` of text lines, one per row, in one wide column.
    pub fn lignes(&mut self, nom: &str, lignes: &[String]) -> Resultat<()> {
        let feuille = self.classeur.add_worksheet();
        feuille.set_name(nom).map_err(interne)?;
        for (r, l) in lignes.iter().enumerate() {
            feuille.write_string(r as u32, 0, l).map_err(interne)?;
        }
        feuille.set_column_width(0, 120).map_err(interne)?;
        Ok(())
    }

    /// The workbook's bytes.
    pub fn octets(mut self) -> Resultat<Vec<u8>> {
        self.classeur.save_to_buffer().map_err(interne)
    }
}
