//! Reading one CSV export into header names and raw cells, with positions.

use std::path::{Path, PathBuf};

use crate::error::{Erreur, Probleme, Resultat};
use crate::fr::normalise;

/// A CSV file as read: normalised header names and each record with its line.
pub struct Brut {
    /// The file, as shown in messages.
    pub affiche: PathBuf,
    /// Header names, normalised (case, accents, spaces).
    pub entetes: Vec<String>,
    /// Header names as written in the file.
    pub entetes_bruts: Vec<String>,
    /// Records: 1-based line number and cells (as many as headers).
    pub lignes: Vec<(usize, Vec<String>)>,
}

impl Brut {
    /// Index of the column whose normalised name is `nom`.
    pub fn colonne(&self, nom: &str) -> Option<usize> {
        self.entetes.iter().position(|e| e == nom)
    }
}

/// Reads `chemin`, shown to the user as `affiche`.
pub fn lire(chemin: &Path, affiche: &Path) -> Resultat<Brut> {
    let octets = std::fs::read(chemin).map_err(|e| {
        Erreur::absent(
            Probleme::new(affiche, format!("lecture impossible ({e})"))
                .correction("vérifiez que le fichier existe et qu'il est lisible"),
        )
    })?;
    let texte = decoder(&octets, affiche)?;
    let texte = texte.as_ref();
    let premiere = texte.lines().next().unwrap_or("");
    let separateur = if premiere.matches(';').count() >= premiere.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .has_headers(true)
        .flexible(true)
        .from_reader(texte.as_bytes());
    let entetes_bruts: Vec<String> = lecteur
        .headers()
        .map_err(|e| erreur_csv(affiche, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let entetes: Vec<String> = entetes_bruts.iter().map(|h| normalise(h)).collect();
    if entetes.iter().all(|e| e.is_empty()) {
        return Err(
            Probleme::new(affiche, "le fichier est vide ou n'a pas de ligne d'en-tête")
                .ligne(1)
                .attendu("une première ligne avec les noms des colonnes")
                .into(),
        );
    }
    let mut lignes = Vec::new();
    for enregistrement in lecteur.records() {
        let enregistrement = enregistrement.map_err(|e| erreur_csv(affiche, e))?;
        let ligne = enregistrement.position().map_or(0, |p| p.line() as usize);
        let mut cellules: Vec<String> = enregistrement
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        if cellules.iter().all(|c| c.is_empty()) {
            continue;
        }
        // Trailing empty cells (a separator at the end of the line) are harmless.
        while cellules.len() > entetes.len() && cellules.last().is_some_and(|c| c.is_empty()) {
            cellules.pop();
        }
        if cellules.len() != entetes.len() {
            return Err(Probleme::new(
                affiche,
                format!(
                    "la ligne a {} champs alors que l'en-tête a {} colonnes",
                    cellules.len(),
                    entetes.len()
                ),
            )
            .ligne(ligne)
            .attendu(format!(
                "{} valeurs séparées par « {} »",
                entetes.len(),
                separateur as char
            ))
            .correction("vérifiez les séparateurs et les guillemets de cette ligne")
            .into());
        }
        lignes.push((ligne, cellules));
    }
    Ok(Brut {
        affiche: affiche.to_path_buf(),
        entetes,
        entetes_bruts,
        lignes,
    })
}

/// The text of an export: UTF-8 (with or without BOM), UTF-16 with BOM, or
/// else Windows-1252, what French Excel writes (said on standard error).
fn decoder<'a>(octets: &'a [u8], affiche: &Path) -> Resultat<std::borrow::Cow<'a, str>> {
    if let Some((encodage, _)) = encoding_rs::Encoding::for_bom(octets) {
        let (texte, _, erreurs) = encodage.decode(octets);
        if erreurs {
            return Err(Probleme::new(
                affiche,
                format!(
                    "le fichier contient des octets invalides en {}",
                    encodage.name()
                ),
            )
            .correction("enregistrez l'export en « CSV UTF-8 » depuis le tableur")
            .into());
        }
        return Ok(texte);
    }
    if let Ok(texte) = std::str::from_utf8(octets) {
        return Ok(std::borrow::Cow::Borrowed(texte));
    }
    let (texte, _, _) = encoding_rs::WINDOWS_1252.decode(octets);
    eprintln!(
        "avertissement : {} n'est pas en UTF-8 ; lu comme Windows-1252 (l'encodage d'Excel en français)",
        affiche.display()
    );
    Ok(texte)
}

fn erreur_csv(affiche: &Path, e: csv::Error) -> Erreur {
    let mut p = Probleme::new(affiche, format!("fichier CSV illisible ({e})"))
        .correction("ouvrez le fichier dans un tableur et enregistrez-le de nouveau en CSV");
    if let Some(pos) = e.position() {
        p = p.ligne(pos.line() as usize);
    }
    p.into()
}
