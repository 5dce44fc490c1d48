//! Reading one CSV export into header names and raw cells, with positions:
//! encoding, separator, quoting, header names, size limits.

use std::path::{Path, PathBuf};

use super::{ReglagesSource, Source};
use crate::error::{Constats, Probleme};
use crate::fr::normalise;

/// The largest export file read (2 Gio): the file is held in memory while read.
pub const TAILLE_MAX: u64 = 2 * 1024 * 1024 * 1024;
/// The longest cell accepted, in characters.
pub const CELLULE_MAX: usize = 10_000;

/// A CSV file as read: header names and each record with its line.
pub struct Brut {
    /// The file, as shown in messages.
    pub affiche: PathBuf,
    /// Column names as the contract knows them: normalised, aliases and the
    /// model's mapping applied. Empty for a column without a name.
    pub entetes: Vec<String>,
    /// Header names as written in the file.
    pub entetes_bruts: Vec<String>,
    /// Columns the model says to ignore: never read, never checked.
    pub ignorees: Vec<bool>,
    /// Records: 1-based line number and cells (as many as headers).
    pub lignes: Vec<(usize, Vec<String>)>,
}

impl Brut {
    /// Index of the column named `nom` (a contract or model name), unless ignored.
    pub fn colonne(&self, nom: &str) -> Option<usize> {
        self.entetes
            .iter()
            .zip(&self.ignorees)
            .position(|(e, ignoree)| e == nom && !ignoree)
    }
}

/// Header names commonly found in exports, for each contract column.
fn alias(source: Source) -> &'static [(&'static str, &'static [&'static str])] {
    match source {
        Source::Activites => &[
            (
                "date",
                &[
                    "date de l'action",
                    "date action",
                    "date de l'activite",
                    "date activite",
                    "jour",
                ],
            ),
            (
                "action",
                &[
                    "type d'action",
                    "type action",
                    "type de l'action",
                    "activite",
                    "type d'activite",
                ],
            ),
            ("programme", &["pole", "secteur", "programme d'action"]),
            ("public", &["genre", "sexe", "public accueilli"]),
            (
                "personne",
                &["code personne", "code", "code usager", "code anonyme"],
            ),
            (
                "themes",
                &[
                    "thematiques",
                    "themes abordes",
                    "sujets abordes",
                    "theme",
                    "thematique",
                ],
            ),
            ("quantite", &["nombre", "nb", "qte", "quantites"]),
        ],
        Source::Suivis => &[
            ("personne", &["code personne", "code", "code usager"]),
            ("public", &["genre", "sexe"]),
            ("programme", &["pole", "secteur"]),
            (
                "type",
                &[
                    "type de suivi",
                    "type d'accompagnement",
                    "accompagnement",
                    "suivi",
                ],
            ),
            (
                "ouverture",
                &[
                    "date d'ouverture",
                    "date ouverture",
                    "debut",
                    "date de debut",
                ],
            ),
            (
                "cloture",
                &["date de cloture", "date cloture", "fin", "date de fin"],
            ),
        ],
        Source::Indicateurs => &[
            ("annee", &["exercice", "an"]),
            ("indicateur", &["code indicateur", "identifiant"]),
            ("valeur", &["montant", "total", "nombre"]),
        ],
    }
}

/// The contract name of a header: the model's mapping first, then the known aliases.
pub fn nom_de_colonne(source: Source, entete: &str, reglages: &ReglagesSource) -> String {
    let n = normalise(entete);
    if let Some(cible) = reglages
        .colonnes
        .iter()
        .find(|(de, _)| normalise(de) == n)
        .map(|(_, vers)| normalise(vers))
    {
        return cible;
    }
    for (contrat, noms) in alias(source) {
        if noms.iter().any(|a| normalise(a) == n) {
            return contrat.to_string();
        }
    }
    n
}

/// Reads `chemin`, shown to the user as `affiche`; every problem goes to `constats`.
/// `None` when the file cannot be read as a table at all.
pub fn lire(
    chemin: &Path,
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<Brut> {
    let probleme = |message: String| Probleme::new(affiche, message);
    match std::fs::metadata(chemin) {
        Ok(m) if m.len() > TAILLE_MAX => {
            constats.erreur(
                probleme(format!(
                    "le fichier est trop gros ({} Mio) pour être lu",
                    crate::fr::nombre((m.len() / (1024 * 1024)) as f64, 0)
                ))
                .attendu(format!(
                    "un export d'au plus {} Mio",
                    crate::fr::nombre((TAILLE_MAX / (1024 * 1024)) as f64, 0)
                ))
                .correction(
                    "découpez l'export par année (activites-2012.csv, activites-2013.csv…)",
                ),
            );
            return None;
        }
        _ => {}
    }
    let octets = match std::fs::read(chemin) {
        Ok(o) => o,
        Err(e) => {
            constats.absent(
                probleme(format!("lecture impossible ({e})"))
                    .correction("vérifiez que le fichier existe et qu'il est lisible"),
            );
            return None;
        }
    };
    let texte = decoder(&octets, affiche, constats)?;
    lire_texte(&texte, affiche, source, reglages, constats)
}

/// The second half of [`lire`]: the decoded text of an export to a table.
pub fn lire_texte(
    texte: &str,
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<Brut> {
    let probleme = |message: String| Probleme::new(affiche, message);
    let separateur = separateur(texte);
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .has_headers(true)
        .flexible(true)
        .from_reader(texte.as_bytes());
    let mut entetes_bruts: Vec<String> = match lecteur.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => {
            constats.erreur(erreur_csv(affiche, e));
            return None;
        }
    };
    // A separator at the end of the header line adds no column.
    while entetes_bruts.len() > 1 && entetes_bruts.last().is_some_and(|e| e.is_empty()) {
        entetes_bruts.pop();
    }
    if entetes_bruts.iter().all(|e| e.is_empty()) {
        constats.erreur(
            probleme("le fichier est vide ou n'a pas de ligne d'en-tête".into())
                .ligne(1)
                .attendu(format!(
                    "une première ligne avec les noms des colonnes, par exemple : {}",
                    source.entetes_exemple()
                ))
                .correction("exportez de nouveau le fichier avec sa ligne d'en-tête"),
        );
        return None;
    }
    let ignorer: Vec<String> = reglages.ignorer.iter().map(|i| normalise(i)).collect();
    let ignorees: Vec<bool> = entetes_bruts
        .iter()
        .map(|e| ignorer.contains(&normalise(e)))
        .collect();
    let entetes: Vec<String> = entetes_bruts
        .iter()
        .map(|e| nom_de_colonne(source, e, reglages))
        .collect();
    let mut doublon = false;
    for (i, e) in entetes.iter().enumerate() {
        if e.is_empty() || ignorees[i] {
            continue;
        }
        if let Some(j) = (0..i).find(|&j| !ignorees[j] && entetes[j] == *e) {
            doublon = true;
            constats.erreur(
                probleme(format!(
                    "les colonnes {} (« {} ») et {} (« {} ») désignent toutes deux « {e} »",
                    j + 1,
                    entetes_bruts[j],
                    i + 1,
                    entetes_bruts[i]
                ))
                .ligne(1)
                .colonne(&entetes_bruts[i])
                .attendu("une seule colonne par nom")
                .correction(format!(
                    "supprimez ou renommez l'une des deux colonnes, ou ignorez-en une dans rapport.toml : [exports.{}] ignorer = [\"{}\"]",
                    source.nom(),
                    entetes_bruts[i].replace('"', "\\\"")
                )),
            );
        }
    }
    if doublon {
        return None;
    }
    let mut lignes = Vec::new();
    let mut trop_longues = 0usize;
    for enregistrement in lecteur.records() {
        let enregistrement = match enregistrement {
            Ok(e) => e,
            Err(e) => {
                constats.erreur(erreur_csv(affiche, e));
                return None;
            }
        };
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
            let guillemets = if cellules.iter().any(|c| c.contains('\n')) {
                " ; un guillemet ouvert et jamais fermé peut avoir réuni plusieurs lignes"
            } else {
                ""
            };
            constats.erreur(
                probleme(format!(
                    "la ligne a {} champs alors que l'en-tête a {} colonnes",
                    cellules.len(),
                    entetes.len()
                ))
                .ligne(ligne)
                .attendu(format!(
                    "{} valeurs séparées par « {} »",
                    entetes.len(),
                    nom_separateur(separateur)
                ))
                .correction(format!(
                    "vérifiez les séparateurs et les guillemets de cette ligne{guillemets}"
                )),
            );
            continue;
        }
        for (i, c) in cellules.iter_mut().enumerate() {
            if !ignorees[i] && c.chars().count() > CELLULE_MAX {
                trop_longues += 1;
                if trop_longues <= 3 {
                    constats.erreur(
                        probleme(format!(
                            "la cellule fait {} caractères",
                            crate::fr::nombre(c.chars().count() as f64, 0)
                        ))
                        .ligne(ligne)
                        .colonne(&entetes_bruts[i])
                        .attendu(format!(
                            "au plus {} caractères par cellule",
                            crate::fr::nombre(CELLULE_MAX as f64, 0)
                        ))
                        .correction("raccourcissez cette cellule, ou ignorez la colonne dans le modèle si elle ne sert pas au rapport"),
                    );
                }
                c.clear();
            }
        }
        lignes.push((ligne, cellules));
    }
    if trop_longues > 3 {
        constats.erreur(probleme(format!(
            "{} autres cellules dépassent {} caractères",
            trop_longues - 3,
            crate::fr::nombre(CELLULE_MAX as f64, 0)
        )));
    }
    Some(Brut {
        affiche: affiche.to_path_buf(),
        entetes,
        entetes_bruts,
        ignorees,
        lignes,
    })
}

/// The separator of the header line: `;`, tab or `,`, whichever is most
/// frequent outside quotes (`;` on a tie, as French Excel writes).
fn separateur(texte: &str) -> u8 {
    let mut comptes = [(b';', 0usize), (b'\t', 0), (b',', 0)];
    let mut entre_guillemets = false;
    for b in texte.bytes() {
        match b {
            b'"' => entre_guillemets = !entre_guillemets,
            b'\n' if !entre_guillemets => break,
            _ if !entre_guillemets => {
                for (s, n) in comptes.iter_mut() {
                    if *s == b {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let max = comptes.iter().map(|c| c.1).max().unwrap_or(0);
    comptes
        .iter()
        .find(|c| c.1 == max)
        .map_or(b';', |c| c.0)
}

fn nom_separateur(s: u8) -> &'static str {
    match s {
        b'\t' => "tabulation",
        b',' => ",",
        _ => ";",
    }
}

/// The text of an export: UTF-8 (with or without BOM), UTF-16 with BOM, or
/// else Windows-1252, what French Excel writes (with a warning naming it).
/// Bytes that none of them can read are an error, never replaced.
pub fn decoder(octets: &[u8], affiche: &Path, constats: &mut Constats) -> Option<String> {
    let probleme = |message: String| Probleme::new(affiche, message);
    let correction = "ouvrez l'export dans le tableur et enregistrez-le en « CSV UTF-8 »";
    let (texte, encodage) = if let Some((encodage, _)) = encoding_rs::Encoding::for_bom(octets) {
        let (texte, _, erreurs) = encodage.decode(octets);
        if erreurs {
            let ligne = texte
                .find('\u{FFFD}')
                .map_or(1, |i| texte[..i].matches('\n').count() + 1);
            constats.erreur(
                probleme(format!(
                    "le fichier annonce l'encodage {} mais contient des octets invalides dans cet encodage",
                    encodage.name()
                ))
                .ligne(ligne)
                .correction(correction),
            );
            return None;
        }
        (texte.into_owned(), encodage)
    } else {
        match std::str::from_utf8(octets) {
            Ok(t) => (t.to_string(), encoding_rs::UTF_8),
            Err(e) => {
                let position = e.valid_up_to();
                let ligne = octets[..position].iter().filter(|b| **b == b'\n').count() + 1;
                // Windows-1252 leaves five bytes undefined; valid UTF-8 sequences
                // elsewhere in the file mean two encodings were mixed.
                let indefini = octets
                    .iter()
                    .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
                if let Some(i) = indefini {
                    let ligne = octets[..i].iter().filter(|b| **b == b'\n').count() + 1;
                    constats.erreur(
                        probleme(format!(
                            "l'octet 0x{:02X} n'est valide ni en UTF-8 ni en Windows-1252",
                            octets[i]
                        ))
                        .ligne(ligne)
                        .attendu("un fichier texte en UTF-8, UTF-16 (avec BOM) ou Windows-1252")
                        .correction(correction),
                    );
                    return None;
                }
                if std::str::from_utf8(&octets[..position])
                    .is_ok_and(|debut| debut.chars().any(|c| (c as u32) >= 0x80))
                {
                    constats.erreur(
                        probleme(
                            "le fichier mélange deux encodages : UTF-8 au début, autre chose ensuite"
                                .into(),
                        )
                        .ligne(ligne)
                        .attendu("un seul encodage pour tout le fichier")
                        .correction(correction),
                    );
                    return None;
                }
                let (t, _, _) = encoding_rs::WINDOWS_1252.decode(octets);
                (t.into_owned(), encoding_rs::WINDOWS_1252)
            }
        }
    };
    if let Some(i) = texte.find(|c: char| c == '\0' || (c.is_control() && !"\t\n\r".contains(c)))
    {
        constats.erreur(
            probleme("le fichier contient des caractères de contrôle : ce n'est pas un export texte (fichier binaire, ou UTF-16 sans BOM)".into())
                .ligne(texte[..i].matches('\n').count() + 1)
                .attendu("un fichier CSV (texte) en UTF-8, UTF-16 avec BOM ou Windows-1252")
                .correction(correction),
        );
        return None;
    }
    if encodage != encoding_rs::UTF_8 {
        let nom = if encodage == encoding_rs::WINDOWS_1252 {
            "Windows-1252 (l'encodage d'Excel en français)".to_string()
        } else {
            encodage.name().to_string()
        };
        constats.avertissement(
            probleme(format!("le fichier n'est pas en UTF-8 ; lu comme {nom}"))
                .correction("rien à faire si les accents s'affichent bien dans le rapport ; sinon enregistrez-le en « CSV UTF-8 »"),
        );
    }
    Some(texte)
}

fn erreur_csv(affiche: &Path, e: csv::Error) -> Probleme {
    let mut p = Probleme::new(affiche, format!("fichier CSV illisible ({e})"))
        .correction("ouvrez le fichier dans un tableur et enregistrez-le de nouveau en CSV");
    if let Some(pos) = e.position() {
        p = p.ligne(pos.line() as usize);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_most_frequent_of_semicolon_tab_and_comma_outside_quotes() {
        assert_eq!(separateur("date;action;\"a,b,c\"\n"), b';');
        assert_eq!(separateur("date,action,programme\n"), b',');
        assert_eq!(separateur("date\taction\tprogramme\n"), b'\t');
        assert_eq!(separateur("\"date;x\",action,programme\n"), b',');
    }

    #[test]
    fn aliases_and_the_models_mapping_name_the_contract_columns() {
        let mut r = ReglagesSource::default();
        assert_eq!(
            nom_de_colonne(Source::Activites, " Date de l’Action ", &r),
            "date"
        );
        assert_eq!(nom_de_colonne(Source::Activites, "Thèmes", &r), "themes");
        r.colonnes
            .insert("Lieu d'intervention".into(), "programme".into());
        assert_eq!(
            nom_de_colonne(Source::Activites, "LIEU D'INTERVENTION", &r),
            "programme"
        );
    }

    #[test]
    fn undefined_windows_1252_bytes_and_mixed_encodings_are_refused() {
        let mut c = Constats::default();
        assert!(decoder(b"date;action\n\x81\n", Path::new("a.csv"), &mut c).is_none());
        assert!(decoder("é;".as_bytes().iter().chain(b"\n\xe9\n").copied().collect::<Vec<_>>().as_slice(), Path::new("a.csv"), &mut c).is_none());
        assert_eq!(c.erreurs(), 2);
        let mut c = Constats::default();
        let t = decoder(b"th\xe8me\n", Path::new("a.csv"), &mut c).unwrap();
        assert_eq!(t, "thème\n");
        assert_eq!(c.avertissements(), 1);
    }
}
