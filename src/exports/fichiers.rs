//! Which files of `donnees/` make an export: the rule of names.
//!
//! Names are compared without case nor accents, spaces read as `_`
//! (`Activités 2013.csv` is `activites_2013.csv`). An export is
//! `SOURCE.EXT`, or `SOURCE-PERIODE.EXT` (or `_`), where
//!
//! - `SOURCE` is `activites`, `suivis` or `indicateurs`, or `journal`: a
//!   workbook with one sheet per source, which counts for every source (read
//!   sheet by sheet with the workbooks);
//! - `PERIODE` is a year (`2013`), a year and a month (`2013-01`), a
//!   semester (`2013-s1`), a quarter (`2013-t2`), or a span of years
//!   (`2012-2013`);
//! - `EXT` is `csv`, `xlsx` or `ods` (`journal`: `xlsx` or `ods` only).
//!
//! A name that starts like an export's but is not one is an error, never
//! read: a copy (`activites - Copie.csv`, `Copie de activites.csv`), a
//! second download (`activites (1).csv`), a backup (`activites.csv.bak`,
//! `activites.csv~`, `activites-ancien.csv`), a format not read
//! (`activites.xls`). A spreadsheet's lock (`.~lock.activites.csv#`,
//! `~$activites.xlsx`) is a warning: the file is open, its unsaved changes
//! are not read. Any other file (`notes.txt`, `logo.png`) is left alone;
//! `rapport check` warns about another spreadsheet (`benevoles.csv`), read as
//! no export.

use std::path::{Path, PathBuf};

use super::Source;
use crate::error::{Constats, Probleme};
use crate::fr::normalise;

/// The formats of an export file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Ods,
}

impl Format {
    fn depuis(extension: &str) -> Option<Format> {
        match extension {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }
}

/// A period named in a file's name, in months: from `(année, mois)` to `(année, mois)`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periode {
    pub debut: (i32, u32),
    pub fin: (i32, u32),
}

impl Periode {
    /// Whether the two periods have no month in common.
    pub fn disjointe(&self, autre: &Periode) -> bool {
        self.fin < autre.debut || autre.fin < self.debut
    }

    /// Reads `2013`, `2013-01`, `2013-s1`, `2013-t2`, `2012-2013` (`_` for `-` too).
    pub fn lire(texte: &str) -> Option<Periode> {
        let annee = |t: &str| -> Option<i32> {
            let a: i32 = (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())??;
            crate::model::ANNEES_POSSIBLES.contains(&a).then_some(a)
        };
        let mut morceaux = texte.split(['-', '_']);
        let a = annee(morceaux.next()?)?;
        let periode = match morceaux.next() {
            None => Periode {
                debut: (a, 1),
                fin: (a, 12),
            },
            Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let m: u32 = m.parse().ok()?;
                if !(1..=12).contains(&m) {
                    return None;
                }
                Periode {
                    debut: (a, m),
                    fin: (a, m),
                }
            }
            Some(m) if m.len() == 2 && (m.starts_with('s') || m.starts_with('t')) => {
                let (mois, n) = if m.starts_with('s') { (6, 2) } else { (3, 4) };
                let i: u32 = m[1..].parse().ok()?;
                if !(1..=n).contains(&i) {
                    return None;
                }
                Periode {
                    debut: (a, (i - 1) * mois + 1),
                    fin: (a, i * mois),
                }
            }
            Some(b) => {
                let b = annee(b)?;
                if b <= a {
                    return None;
                }
                Periode {
                    debut: (a, 1),
                    fin: (b, 12),
                }
            }
        };
        morceaux.next().is_none().then_some(periode)
    }
}

/// What a file of `donnees/` is, by its name.
#[derive(Debug, Clone, PartialEq)]
pub enum Nature {
    /// An export of `source` (`None`: a journal, one sheet per source).
    Export {
        source: Option<Source>,
        periode: Option<Periode>,
        format: Format,
    },
    /// The lock a spreadsheet writes beside a file it has open.
    Verrou {
        logiciel: &'static str,
        fichier: String,
    },
    /// A name that starts like an export's and is not one: never read.
    Refuse {
        /// What it is like: « une copie de l'export activites »…
        raison: String,
        /// What to do.
        correction: String,
    },
    /// Any other file, left alone; `tableur` when it has a spreadsheet's extension.
    Autre { tableur: bool },
}

/// The names an export starts with: the sources, then the journal.
const NOMS: [&str; 4] = ["activites", "suivis", "indicateurs", "journal"];
/// Extensions of spreadsheets and of backups: a name that starts like an
/// export's with one of them is refused rather than left alone.
const TABLEURS: [&str; 5] = ["csv", "xlsx", "ods", "xls", "xlsm"];
const SAUVEGARDES: [&str; 6] = ["bak", "old", "tmp", "orig", "sav", "backup"];
/// Words that say an older or copied version.
const MOTS_DE_COPIE: [&str; 8] = [
    "copie",
    "copy",
    "ancien",
    "old",
    "sauvegarde",
    "save",
    "bak",
    "backup",
];

/// What the file named `nom` is.
pub fn nature(nom: &str) -> Nature {
    // Only the locks of exports matter; Excel may cut the name it locks
    // (`~$tivites.xlsx`): any lock of a workbook is told.
    if let Some(fichier) = nom
        .strip_prefix(".~lock.")
        .and_then(|r| r.strip_suffix('#'))
    {
        return match nature(fichier) {
            Nature::Autre { .. } => Nature::Autre { tableur: false },
            _ => Nature::Verrou {
                logiciel: "LibreOffice",
                fichier: fichier.to_string(),
            },
        };
    }
    if let Some(fichier) = nom.strip_prefix("~$") {
        let classeur = normalise(fichier)
            .rsplit_once('.')
            .is_some_and(|(_, e)| TABLEURS.contains(&e));
        return if classeur {
            Nature::Verrou {
                logiciel: "Excel",
                fichier: fichier.to_string(),
            }
        } else {
            Nature::Autre { tableur: false }
        };
    }
    let n = normalise(nom);
    let tilde = n.ends_with('~');
    let n = n.trim_end_matches('~');
    let (base, extensions) = match n.split_once('.') {
        Some((b, e)) => (b, e.split('.').collect::<Vec<_>>()),
        None => (n, Vec::new()),
    };
    let tableur = extensions
        .iter()
        .any(|e| TABLEURS.contains(e) || SAUVEGARDES.contains(e));
    let (sans_prefixe, prefixe) = ["copie_de_", "copy_of_", "copie_", "copy_"]
        .iter()
        .find_map(|p| base.strip_prefix(p))
        .map_or((base, false), |b| (b, true));
    let Some(export) = NOMS.iter().copied().find(|nom| {
        sans_prefixe
            .strip_prefix(nom)
            .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic()))
    }) else {
        return Nature::Autre {
            tableur: extensions.last().is_some_and(|e| TABLEURS.contains(e)),
        };
    };
    if !tableur && !tilde {
        // `activites.pdf`, `activites.md`: not an export, left alone.
        return Nature::Autre { tableur: false };
    }
    let reste = &sans_prefixe[export.len()..];
    let source = Source::TOUTES.into_iter().find(|s| s.nom() == export);
    let format = match extensions.as_slice() {
        [e] => Format::depuis(e),
        _ => None,
    };
    let periode = reste.strip_prefix(['-', '_']).and_then(Periode::lire);
    let nom_valide = reste.is_empty() || periode.is_some();
    if let Some(format) = format
        && nom_valide
        && !prefixe
        && !tilde
        && (source.is_some() || format != Format::Csv)
    {
        return Nature::Export {
            source,
            periode,
            format,
        };
    }

    let extension = format.map_or("csv", |f| match f {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
        Format::Ods => "ods",
    });
    let extension = if source.is_none() { "xlsx" } else { extension };
    let de = format!("de l'export « {export} »");
    let mots: Vec<&str> = reste
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|m| !m.is_empty())
        .collect();
    let telechargement = {
        let r = reste.trim_end_matches('_');
        r.ends_with(')')
            && r.rsplit_once('(')
                .is_some_and(|(_, n)| n[..n.len() - 1].bytes().all(|b| b.is_ascii_digit()))
    };
    let raison = if prefixe || mots.iter().any(|m| *m == "copie" || *m == "copy") {
        format!(
            "ce fichier ressemble à une copie {de} (l'Explorateur de Windows nomme ainsi une copie)"
        )
    } else if telechargement {
        format!(
            "ce fichier ressemble à un second téléchargement {de} (le navigateur ajoute « (1) » au nom)"
        )
    } else if tilde
        || extensions.iter().any(|e| SAUVEGARDES.contains(e))
        || mots.iter().any(|m| MOTS_DE_COPIE.contains(m))
    {
        format!("ce fichier ressemble à une sauvegarde ou à une ancienne version {de}")
    } else if nom_valide && source.is_none() && format == Some(Format::Csv) {
        "un journal est un classeur (une feuille par export) : enregistré en CSV, il n'en garde qu'une feuille".to_string()
    } else if nom_valide && format.is_none() && extensions.len() == 1 {
        format!(
            "ce fichier {de} est au format « .{} », que rapport ne lit pas",
            extensions[0]
        )
    } else {
        format!("le nom de ce fichier commence comme celui {de} sans suivre la règle des noms")
    };
    let annee = mots
        .iter()
        .find(|m| Periode::lire(m).is_some())
        .map_or("2014", |m| *m);
    let correction = if nom_valide && source.is_none() && format == Some(Format::Csv) {
        format!(
            "déposez le classeur lui-même ({export}.xlsx), ou renommez ce CSV d'après la feuille qu'il contient (activites.csv, suivis.csv ou indicateurs.csv)"
        )
    } else if nom_valide && format.is_none() && !tilde && extensions.len() == 1 && !prefixe {
        format!(
            "enregistrez-le en CSV ou en classeur .xlsx ({export}{reste}.csv ou {export}{reste}.xlsx), puis retirez celui-ci de donnees/"
        )
    } else {
        format!(
            "supprimez ou déplacez ce fichier hors de donnees/ ; s'il complète l'export, renommez-le {export}-{annee}.{extension} (d'après la période qu'il couvre : {export}-ANNEE.{extension}, {export}-ANNEE-MM.{extension}…)"
        )
    };
    Nature::Refuse { raison, correction }
}

/// One export file of a source, as found in `donnees/`.
#[derive(Debug, Clone)]
pub struct Export {
    pub chemin: PathBuf,
    /// The period its name gives, if any.
    pub periode: Option<Periode>,
    /// A journal (one sheet per source) rather than the source's own file.
    pub journal: bool,
    pub format: Format,
}

/// The exports of a project's `donnees/`, by source, sorted by name. A copy,
/// a backup or a lock goes to `constats` (an error, or a warning for a
/// lock); with `controles` (`rapport check`), a spreadsheet read as no export
/// is a warning. `affiche` is how the folder is shown.
pub fn lister(
    dossier: &Path,
    affiche: &Path,
    controles: bool,
    constats: &mut Constats,
) -> Vec<(Source, Vec<Export>)> {
    let mut noms: Vec<(String, PathBuf)> = std::fs::read_dir(dossier)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p)))
        .collect();
    noms.sort();
    let mut par_source: Vec<(Source, Vec<Export>)> = Source::TOUTES
        .map(|s| (s, Vec::new()))
        .into_iter()
        .collect();
    for (nom, chemin) in noms {
        let montre = affiche.join(&nom);
        match nature(&nom) {
            Nature::Export {
                source,
                periode,
                format,
            } => {
                for (s, exports) in par_source.iter_mut() {
                    if source.is_none_or(|source| source == *s) {
                        exports.push(Export {
                            chemin: chemin.clone(),
                            periode,
                            journal: source.is_none(),
                            format,
                        });
                    }
                }
            }
            Nature::Verrou { logiciel, fichier } => constats.avertissement(
                Probleme::new(
                    &montre,
                    format!(
                        "le fichier « {fichier} » est ouvert dans {logiciel} : ses modifications non enregistrées ne sont pas lues"
                    ),
                )
                .correction(format!(
                    "enregistrez et fermez le fichier dans {logiciel} ; si {logiciel} est fermé, ce fichier de verrou est resté : supprimez-le"
                )),
            ),
            Nature::Refuse { raison, correction } => constats.erreur(
                Probleme::new(&montre, raison)
                    .attendu("dans donnees/, seulement les exports : activites.csv, suivis.csv, indicateurs.csv (ou .xlsx, .ods), ou un fichier par période (activites-2013.csv, activites-2014-01.csv…), ou un journal.xlsx")
                    .correction(correction),
            ),
            Nature::Autre { tableur: true } if controles => constats.avertissement(
                Probleme::new(
                    &montre,
                    "ce fichier n'est lu comme aucun export : son nom n'est ni activites, ni suivis, ni indicateurs, ni journal",
                )
                .correction("s'il est un export, renommez-le (activites.csv, suivis-2013.csv…) ; sinon rangez-le hors de donnees/"),
            ),
            Nature::Autre { .. } => {}
        }
    }
    par_source
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(nom: &str) -> Option<(Option<Source>, Option<Periode>)> {
        match nature(nom) {
            Nature::Export {
                source, periode, ..
            } => Some((source, periode)),
            _ => None,
        }
    }

    fn raison(nom: &str) -> String {
        match nature(nom) {
            Nature::Refuse { raison, .. } => raison,
            autre => panic!("{nom} : {autre:?}"),
        }
    }

    #[test]
    fn exports_are_a_source_or_a_journal_with_an_optional_period_whatever_the_case_and_accents() {
        let annee = |a, b| Periode {
            debut: (a, 1),
            fin: (b, 12),
        };
        assert_eq!(
            export("activites.csv"),
            Some((Some(Source::Activites), None))
        );
        assert_eq!(
            export("Activités 2013.CSV"),
            Some((Some(Source::Activites), Some(annee(2013, 2013))))
        );
        assert_eq!(
            export("suivis_2012-2013.xlsx"),
            Some((Some(Source::Suivis), Some(annee(2012, 2013))))
        );
        assert_eq!(
            export("indicateurs-2013-s2.ods").and_then(|e| e.1),
            Some(Periode {
                debut: (2013, 7),
                fin: (2013, 12)
            })
        );
        assert_eq!(
            export("activites_2013_t2.csv").and_then(|e| e.1),
            Some(Periode {
                debut: (2013, 4),
                fin: (2013, 6)
            })
        );
        assert_eq!(
            export("activites-2014-01.csv").and_then(|e| e.1),
            Some(Periode {
                debut: (2014, 1),
                fin: (2014, 1)
            })
        );
        assert_eq!(export("journal.xlsx"), Some((None, None)));
        assert_eq!(
            export("Journal-2025.ods"),
            Some((None, Some(annee(2025, 2025))))
        );
    }

    #[test]
    fn copies_downloads_and_backups_are_refused_each_with_its_reason() {
        for nom in [
            "activites - Copie.csv",
            "activites - Copie (2).csv",
            "Copie de activites.csv",
            "Copy of activites.csv",
            "activites - copy.csv",
            "copie_suivis.xlsx",
        ] {
            assert!(raison(nom).contains("une copie de l'export « "), "{nom}");
        }
        assert!(raison("activites (1).csv").contains("second téléchargement"));
        assert!(raison("suivis-2013 (3).ods").contains("second téléchargement"));
        for nom in [
            "activites.csv~",
            "activites.csv.bak",
            "activites.bak.csv",
            "activites-ancien.csv",
            "indicateurs_old.xlsx",
        ] {
            assert!(raison(nom).contains("sauvegarde"), "{nom}");
        }
        assert!(raison("activites.xls").contains("« .xls », que rapport ne lit pas"));
        assert!(raison("journal.csv").contains("un journal est un classeur"));
        assert!(raison("activites-2013-v2.csv").contains("règle des noms"));
        assert!(raison("activites-13.csv").contains("règle des noms"));
        assert!(raison("activites-2013-13.csv").contains("règle des noms"));
        assert!(raison("activites2013.csv").contains("règle des noms"));
    }

    #[test]
    fn the_correction_names_the_file_to_rename_with_the_year_the_name_gives() {
        let Nature::Refuse { correction, .. } = nature("activites 2013 (1).csv") else {
            panic!()
        };
        assert!(
            correction.starts_with("supprimez ou déplacez ce fichier hors de donnees/ ; s'il complète l'export, renommez-le activites-2013.csv"),
            "{correction}"
        );
        let Nature::Refuse { correction, .. } = nature("activites - Copie.xlsx") else {
            panic!()
        };
        assert!(
            correction.contains("renommez-le activites-2014.xlsx"),
            "{correction}"
        );
    }

    #[test]
    fn locks_are_told_apart_and_other_files_are_left_alone() {
        assert_eq!(
            nature(".~lock.activites.csv#"),
            Nature::Verrou {
                logiciel: "LibreOffice",
                fichier: "activites.csv".into()
            }
        );
        assert!(matches!(
            nature("~$activites.xlsx"),
            Nature::Verrou {
                logiciel: "Excel",
                ..
            }
        ));
        for nom in [
            "notes.txt",
            "logo.png",
            ".DS_Store",
            "activites.pdf",
            "activites.md",
            "activitesbis.txt",
        ] {
            assert_eq!(nature(nom), Nature::Autre { tableur: false }, "{nom}");
        }
        assert_eq!(
            nature(".~lock.notes.odt#"),
            Nature::Autre { tableur: false }
        );
        assert_eq!(nature("~$lettre.docx"), Nature::Autre { tableur: false });
        assert_eq!(nature("benevoles.csv"), Nature::Autre { tableur: true });
        assert_eq!(nature("activitesbis.csv"), Nature::Autre { tableur: true });
    }

    #[test]
    fn periods_are_disjoint_when_they_share_no_month() {
        let p = |t| Periode::lire(t).unwrap();
        assert!(p("2013-s1").disjointe(&p("2013-s2")));
        assert!(p("2013-01").disjointe(&p("2013-02")));
        assert!(p("2012").disjointe(&p("2013")));
        assert!(!p("2013").disjointe(&p("2013-t4")));
        assert!(!p("2012-2013").disjointe(&p("2013-06")));
        assert_eq!(Periode::lire("2013-2012"), None);
        assert_eq!(Periode::lire("2013-s3"), None);
        assert_eq!(Periode::lire("2013-00"), None);
        assert_eq!(Periode::lire("1899"), None);
    }
}
