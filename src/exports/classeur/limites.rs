//! The limits of a workbook, checked before it is opened: its zip's
//! central directory, its sheets, the cells an `.ods` stands for.

use std::io::{BufReader, Read, Seek};
use std::path::Path;

use super::{CELLULES_MAX, DECOMPRESSE_MAX, FEUILLES_MAX, Format, PARTIES_MAX, TAUX_MAX};
use crate::error::Probleme;
use crate::fr::nombre as nombre_fr;

/// The limits, checked before the workbook is opened: a zip (for `.xlsx`
/// and `.ods`) whose parts, decompressed, stay under [`DECOMPRESSE_MAX`]
/// with no absurd compression ratio; for `.ods`, the cells its repeated
/// rows and columns stand for. Gives whether an `.xlsx` asks for its
/// formulas to be computed again when opened (`fullCalcOnLoad`): then the
/// values saved with them are placeholders, not results.
pub(super) fn verifier_limites(
    chemin: &Path,
    affiche: &Path,
    format: Format,
) -> Result<bool, Box<Probleme>> {
    let mut fichier = std::fs::File::open(chemin).map_err(|e| {
        Box::new(
            Probleme::new(affiche, format!("lecture impossible ({e})"))
                .correction("vérifiez que le fichier existe et qu'il est lisible"),
        )
    })?;
    let mut debut = [0u8; 8];
    let lus = fichier.read(&mut debut).unwrap_or(0);
    let debut = &debut[..lus];
    if format == Format::Xls {
        if let Some(autre) = signature(debut).filter(|s| *s != "xls") {
            return Err(Box::new(mauvaise_extension(affiche, format, autre)));
        }
        let taille = fichier.metadata().map_or(0, |m| m.len());
        if taille > DECOMPRESSE_MAX / 4 {
            return Err(Box::new(
                Probleme::new(
                    affiche,
                    format!("le classeur est trop gros ({} Mio)", taille / (1024 * 1024)),
                )
                .attendu(format!(
                    "un classeur .xls d'au plus {} Mio",
                    DECOMPRESSE_MAX / 4 / (1024 * 1024)
                ))
                .correction("enregistrez-le au format .xlsx, ou en « CSV UTF-8 »"),
            ));
        }
        return Ok(false);
    }
    match signature(debut) {
        Some("xlsx/ods") => {}
        Some(autre) => return Err(Box::new(mauvaise_extension(affiche, format, autre))),
        None => {
            let texte = !debut.is_empty()
                && debut
                    .iter()
                    .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0x80);
            let (message, correction) = if texte {
                (
                    format!("le fichier n'est pas un classeur {} : il contient du texte, sans doute un CSV", format.nom()),
                    "s'il s'agit d'un CSV, renommez-le avec l'extension .csv ; sinon ouvrez-le dans le tableur et enregistrez-le de nouveau au format xlsx ou ods".to_string(),
                )
            } else {
                (
                    format!("le fichier n'est pas un classeur {} valide (ce n'est pas une archive zip)", format.nom()),
                    "ouvrez-le dans le tableur et enregistrez-le de nouveau au format xlsx ou ods, ou en « CSV UTF-8 »".to_string(),
                )
            };
            return Err(Box::new(
                Probleme::new(affiche, message)
                    .attendu(format!("un classeur {} (une archive zip)", format.nom()))
                    .correction(correction),
            ));
        }
    }
    let _ = fichier.rewind();
    verifier_zip(BufReader::new(fichier), affiche, format)
}

/// The zip of an `.xlsx` or `.ods`: its parts, their sizes and ratios; for
/// an `.xlsx`, whether it asks for its formulas to be computed again.
fn verifier_zip(
    fichier: BufReader<std::fs::File>,
    affiche: &Path,
    format: Format,
) -> Result<bool, Box<Probleme>> {
    let illisible = |e: &dyn std::fmt::Display| illisible(affiche, format, e);
    let trop = |message: String, attendu: String| trop(affiche, message, attendu);
    let mut zip = zip::ZipArchive::new(fichier).map_err(|e| illisible(&e))?;
    if zip.len() > PARTIES_MAX {
        return Err(trop(
            format!("l'archive du classeur a {} parties", zip.len()),
            format!("au plus {} parties", nombre_fr(PARTIES_MAX as f64, 0)),
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let partie = zip.by_index_raw(i).map_err(|e| illisible(&e))?;
        let (taille, compresse) = (partie.size(), partie.compressed_size());
        total = total.saturating_add(taille);
        if taille > 1024 * 1024 && taille / compresse.max(1) > TAUX_MAX {
            return Err(trop(
                format!(
                    "une partie du classeur ({}) se décompresse {} fois plus grande qu'elle n'est : c'est une « bombe zip »",
                    partie.name().unwrap_or_default(),
                    nombre_fr((taille / compresse.max(1)) as f64, 0)
                ),
                format!("un taux de compression d'au plus {TAUX_MAX}"),
            ));
        }
    }
    if total > DECOMPRESSE_MAX {
        return Err(trop(
            format!(
                "le classeur, décompressé, ferait {} Mio",
                nombre_fr((total / (1024 * 1024)) as f64, 0)
            ),
            format!(
                "un classeur d'au plus {} Mio une fois décompressé",
                nombre_fr((DECOMPRESSE_MAX / (1024 * 1024)) as f64, 0)
            ),
        ));
    }
    if format == Format::Xlsx {
        let mut classeur = Vec::new();
        if let Ok(partie) = zip.by_name("xl/workbook.xml") {
            partie
                .take(16 * 1024 * 1024)
                .read_to_end(&mut classeur)
                .map_err(|e| illisible(&e))?;
        }
        let texte = String::from_utf8_lossy(&classeur);
        return Ok(
            texte.contains("fullCalcOnLoad=\"1\"") || texte.contains("fullCalcOnLoad=\"true\"")
        );
    }
    if format == Format::Ods {
        verifier_ods(&mut zip, affiche, format)?;
    }
    Ok(false)
}

/// The content of an `.ods`: read whole, within its limit, and its sheets
/// and cells counted before calamine expands its repeated rows and columns.
fn verifier_ods(
    zip: &mut zip::ZipArchive<BufReader<std::fs::File>>,
    affiche: &Path,
    format: Format,
) -> Result<(), Box<Probleme>> {
    let illisible = |e: &dyn std::fmt::Display| illisible(affiche, format, e);
    let trop = |message: String, attendu: String| trop(affiche, message, attendu);
    let mut contenu = Vec::new();
    let partie = zip.by_name("content.xml").map_err(|e| illisible(&e))?;
    partie
        .take(DECOMPRESSE_MAX + 1)
        .read_to_end(&mut contenu)
        .map_err(|e| illisible(&e))?;
    if contenu.len() as u64 > DECOMPRESSE_MAX {
        return Err(trop(
            "le contenu du classeur est plus grand que ce que son archive annonce".into(),
            format!(
                "un classeur d'au plus {} Mio une fois décompressé",
                nombre_fr((DECOMPRESSE_MAX / (1024 * 1024)) as f64, 0)
            ),
        ));
    }
    let (feuilles, cellules) = cellules_ods(&String::from_utf8_lossy(&contenu));
    verifier_feuilles(feuilles, affiche)?;
    if cellules > CELLULES_MAX {
        return Err(trop(
            format!(
                "le classeur compte {} cellules une fois ses lignes et colonnes répétées dépliées",
                nombre_fr(cellules as f64, 0)
            ),
            format!(
                "au plus {} cellules (lignes × colonnes de chaque feuille)",
                nombre_fr(CELLULES_MAX as f64, 0)
            ),
        ));
    }
    Ok(())
}

/// A workbook whose zip cannot be read.
fn illisible(affiche: &Path, format: Format, e: &dyn std::fmt::Display) -> Box<Probleme> {
    Box::new(
        Probleme::new(affiche, format!("le classeur est abîmé : son archive zip est illisible ({e})"))
            .attendu(format!("un classeur {} valide", format.nom()))
            .correction("ouvrez-le dans le tableur et enregistrez-le de nouveau ; s'il ne s'ouvre pas, exportez de nouveau le fichier"),
    )
}

/// A workbook beyond a limit.
fn trop(affiche: &Path, message: String, attendu: String) -> Box<Probleme> {
    Box::new(
        Probleme::new(affiche, message)
            .attendu(attendu)
            .correction("ce fichier n'est pas un classeur ordinaire : exportez de nouveau le classeur depuis le tableur, ou découpez-le par année"),
    )
}

/// Refuses a workbook of more than [`FEUILLES_MAX`] sheets.
pub(super) fn verifier_feuilles(n: usize, affiche: &Path) -> Result<(), Box<Probleme>> {
    if n > FEUILLES_MAX {
        return Err(Box::new(
            Probleme::new(affiche, format!("le classeur a {n} feuilles"))
                .attendu(format!("au plus {FEUILLES_MAX} feuilles"))
                .correction("répartissez les feuilles dans plusieurs classeurs (activites-2012.xlsx, activites-2013.xlsx…)"),
        ));
    }
    Ok(())
}

/// What the first bytes of a file say it is: `xlsx/ods` (a zip), `xls` (OLE), else `None`.
pub(crate) fn signature(debut: &[u8]) -> Option<&'static str> {
    if debut.starts_with(b"PK\x03\x04") {
        Some("xlsx/ods")
    } else if debut.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("xls")
    } else {
        None
    }
}

fn mauvaise_extension(affiche: &Path, format: Format, est: &str) -> Probleme {
    let (quoi, ext) = if est == "xls" {
        ("un ancien classeur Excel (.xls)", "xls")
    } else {
        ("un classeur xlsx ou ods", "xlsx (ou .ods)")
    };
    Probleme::new(
        affiche,
        format!(
            "le fichier porte l'extension .{} mais c'est {quoi}",
            format.nom()
        ),
    )
    .attendu(format!("un classeur {}", format.nom()))
    .correction(format!("renommez-le avec l'extension .{ext}"))
}

/// The sheets of an `.ods` content and the cells its sheets stand for once
/// repeated rows and columns are expanded: for each sheet, its rows up to
/// the last one with a value × its columns up to the last value.
fn cellules_ods(xml: &str) -> (usize, u64) {
    let repetitions = |balise: &str, attribut: &str| -> u64 {
        balise
            .find(attribut)
            .and_then(|i| {
                let reste = &balise[i + attribut.len()..];
                let reste = reste.strip_prefix("=\"")?;
                reste[..reste.find('"')?].parse().ok()
            })
            .unwrap_or(1)
    };
    let (mut feuilles, mut total) = (0usize, 0u64);
    // The current sheet: rows so far, rows up to the last with a value, widest row.
    let (mut lignes, mut utiles, mut largeur) = (0u64, 0u64, 0u64);
    // The current row: its repeat, columns so far, columns up to the last value.
    let (mut repetees, mut colonnes, mut pleines) = (1u64, 0u64, 0u64);
    let mut reste = xml;
    while let Some(i) = reste.find('<') {
        reste = &reste[i + 1..];
        let fin = reste.find('>').unwrap_or(reste.len());
        let balise = &reste[..fin];
        if balise.starts_with("table:table ") || balise == "table:table" {
            feuilles += 1;
            (lignes, utiles, largeur) = (0, 0, 0);
        } else if balise.starts_with("/table:table") && !balise.starts_with("/table:table-") {
            total = total.saturating_add(utiles.saturating_mul(largeur));
        } else if balise.starts_with("table:table-row") && !balise.starts_with("table:table-rows") {
            repetees = repetitions(balise, "table:number-rows-repeated");
            (colonnes, pleines) = (0, 0);
            if balise.ends_with('/') {
                lignes = lignes.saturating_add(repetees);
            }
        } else if balise.starts_with("/table:table-row") && !balise.starts_with("/table:table-rows")
        {
            lignes = lignes.saturating_add(repetees);
            if pleines > 0 {
                utiles = lignes;
                largeur = largeur.max(pleines);
            }
        } else if balise.starts_with("table:table-cell")
            || balise.starts_with("table:covered-table-cell")
        {
            colonnes =
                colonnes.saturating_add(repetitions(balise, "table:number-columns-repeated"));
            if balise.contains("office:value-type") || balise.contains("table:formula") {
                pleines = colonnes;
            }
        }
        reste = &reste[fin..];
    }
    (feuilles, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ods_rows_and_columns_are_counted_before_being_expanded() {
        let xml = r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string"/></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="50"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="99"/><table:table-cell office:value-type="float"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row></table:table>"#;
        assert_eq!(cellules_ods(xml), (1, 1_000_002 * 100));
        let petit = r#"<table:table table:name="a"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value-type="float"/></table:table-row></table:table><table:table table:name="b"></table:table>"#;
        assert_eq!(cellules_ods(petit), (2, 6));
    }
}
