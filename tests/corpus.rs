//! The corpus of malformed and awkward exports (tests/corpus/, written by
//! tests/corpus/generer.py): each one replaces an export of the sample
//! project, then `rapport check` and `rapport build` are run on it.
//! Refused files: the exit code, the French message locating the problem,
//! and no output created or changed. Accepted files: the build succeeds.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Output;

use commun::*;

/// What a corpus file must give.
enum Attendu {
    /// Refused by `check` and `build` with this exit code.
    Refuse(i32),
    /// Accepted by `build`; `check` finds no error (it may warn).
    Accepte,
}

struct Cas<'a> {
    /// File of tests/corpus/, or `None` to remove the export.
    corpus: Option<&'a str>,
    /// The export it replaces in donnees/.
    export: &'a str,
    /// Added at the end of rapport.toml.
    modele: &'a str,
    attendu: Attendu,
    /// Words the messages of check (and of build, when refused) must contain.
    mots: &'a [&'a str],
    /// Values that must appear in no message (personal data).
    jamais: &'a [&'a str],
}

impl Default for Cas<'_> {
    fn default() -> Self {
        Cas {
            corpus: None,
            export: "activites.csv",
            modele: "",
            attendu: Attendu::Refuse(65),
            mots: &[],
            jamais: &[],
        }
    }
}

fn corpus(nom: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(nom)
}

fn messages(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn verifier(cas: Cas) {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("projet");
    copier(&echantillon(), &projet);
    // The corpus's activities have the contract's columns only.
    if cas.export == "activites.csv" {
        sans_profil_par_origine(&projet);
    }
    let cible = projet.join("donnees").join(cas.export);
    match cas.corpus {
        Some(nom) => {
            std::fs::copy(corpus(nom), &cible).unwrap();
        }
        None => std::fs::remove_file(&cible).unwrap(),
    }
    if !cas.modele.is_empty() {
        let mut m = std::fs::read_to_string(projet.join("rapport.toml")).unwrap();
        m.push('\n');
        m.push_str(cas.modele);
        std::fs::write(projet.join("rapport.toml"), m).unwrap();
    }
    let sortie = dir.path().join("sortie");
    std::fs::create_dir_all(sortie.join("tableaux")).unwrap();
    std::fs::write(
        sortie.join("rapport-2013.pdf"),
        b"le rapport de l'an dernier",
    )
    .unwrap();
    std::fs::write(sortie.join("tableaux/rue.csv"), b"ancien tableau").unwrap();
    let avant_projet = fichiers_sous(&projet);
    let avant_sortie = fichiers_sous(&sortie);
    let nom = cas.corpus.unwrap_or(cas.export);

    let p = projet.to_str().unwrap();
    let check = rapport(&["check", "2013", "--projet", p]);
    let dit = messages(&check);
    let build = rapport(&[
        "build",
        "2013",
        "--projet",
        p,
        "--sortie",
        sortie.to_str().unwrap(),
        "--date",
        "2014-04-15",
    ]);
    let dit_build = messages(&build);
    assert_eq!(
        fichiers_sous(&projet),
        avant_projet,
        "{nom} : le projet a changé"
    );
    match cas.attendu {
        Attendu::Refuse(code) => {
            assert_eq!(check.status.code(), Some(code), "{nom} : check\n{dit}");
            assert_eq!(
                build.status.code(),
                Some(code),
                "{nom} : build\n{dit_build}"
            );
            for mot in cas.mots {
                assert!(
                    dit.contains(mot),
                    "{nom} : « {mot} » absent de check :\n{dit}"
                );
                assert!(
                    dit_build.contains(mot),
                    "{nom} : « {mot} » absent de build :\n{dit_build}"
                );
            }
            assert_eq!(
                fichiers_sous(&sortie),
                avant_sortie,
                "{nom} : une sortie a été créée ou modifiée"
            );
        }
        Attendu::Accepte => {
            assert!(
                matches!(check.status.code(), Some(0 | 1)) && !dit.contains("erreur :"),
                "{nom} : check\n{dit}"
            );
            assert!(build.status.success(), "{nom} : build\n{dit_build}");
            for mot in cas.mots {
                assert!(
                    dit.contains(mot),
                    "{nom} : « {mot} » absent de check :\n{dit}"
                );
            }
            let pdf = std::fs::read(sortie.join("rapport-2013.pdf")).unwrap();
            assert!(pdf.starts_with(b"%PDF"), "{nom} : pas de nouveau PDF");
        }
    }
    for valeur in cas.jamais {
        assert!(
            !dit.contains(valeur) && !dit_build.contains(valeur),
            "{nom} : la donnée personnelle « {valeur} » est affichée"
        );
        // Not the cache of checked exports: it holds what the exports hold, and is no output.
        for (chemin, octets) in fichiers_sous(&sortie)
            .into_iter()
            .filter(|(c, _)| !c.starts_with(".cache"))
        {
            assert!(
                !String::from_utf8_lossy(&octets).contains(valeur),
                "{nom} : « {valeur} » dans {}",
                chemin.display()
            );
        }
    }
}

const FICHIER: &str = "donnees/activites.csv";

// --- Refused: encodings and structure -------------------------------------

#[test]
fn an_empty_file_is_refused_at_line_1() {
    verifier(Cas {
        corpus: Some("vide.csv"),
        mots: &[FICHIER, "ligne 1", "en-tête"],
        ..Cas::default()
    });
}

#[test]
fn a_binary_file_is_refused_as_not_text() {
    verifier(Cas {
        corpus: Some("binaire.csv"),
        mots: &[FICHIER, "ligne", "caractères de contrôle"],
        ..Cas::default()
    });
}

#[test]
fn utf16_without_a_byte_order_mark_is_refused() {
    verifier(Cas {
        corpus: Some("utf16-sans-bom.csv"),
        mots: &[FICHIER, "ligne 1", "UTF-16 sans BOM"],
        ..Cas::default()
    });
}

#[test]
fn a_byte_undefined_in_every_supported_encoding_is_refused_not_replaced() {
    verifier(Cas {
        corpus: Some("octet-indefini.csv"),
        mots: &[FICHIER, "ligne 3", "0x81", "CSV UTF-8"],
        ..Cas::default()
    });
}

#[test]
fn a_file_mixing_utf8_and_windows_1252_is_refused_at_the_first_bad_line() {
    verifier(Cas {
        corpus: Some("melange-encodages.csv"),
        mots: &[FICHIER, "ligne 3", "mélange deux encodages"],
        ..Cas::default()
    });
}

#[test]
fn a_header_of_separators_only_is_refused() {
    verifier(Cas {
        corpus: Some("en-tete-seul-vide.csv"),
        mots: &[FICHIER, "ligne 1", "ligne d'en-tête"],
        ..Cas::default()
    });
}

#[test]
fn a_missing_required_column_is_named_with_the_columns_found() {
    verifier(Cas {
        corpus: Some("colonne-date-manquante.csv"),
        mots: &[
            FICHIER,
            "ligne 1",
            "la colonne « date » manque",
            "colonnes trouvées : action",
        ],
        ..Cas::default()
    });
}

#[test]
fn two_columns_meaning_the_same_contract_column_are_refused() {
    verifier(Cas {
        corpus: Some("en-tete-double.csv"),
        mots: &[
            FICHIER,
            "ligne 1",
            "colonne « Date de l'action »",
            "désignent toutes deux « date »",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_row_with_more_fields_than_the_header_is_refused() {
    verifier(Cas {
        corpus: Some("champs-en-trop.csv"),
        mots: &[FICHIER, "ligne 3", "10 champs", "9 colonnes"],
        ..Cas::default()
    });
}

#[test]
fn an_unclosed_quote_is_reported_at_its_line_with_a_hint() {
    verifier(Cas {
        corpus: Some("guillemet-non-ferme.csv"),
        mots: &[FICHIER, "ligne 3", "guillemet"],
        ..Cas::default()
    });
}

// --- Refused: values -----------------------------------------------------

#[test]
fn a_day_that_does_not_exist_is_refused_with_its_value() {
    verifier(Cas {
        corpus: Some("date-impossible.csv"),
        mots: &[
            FICHIER,
            "ligne 3",
            "colonne « date »",
            "« 31/02/2013 »",
            "JJ/MM/AAAA",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_date_in_words_is_refused() {
    verifier(Cas {
        corpus: Some("date-en-lettres.csv"),
        mots: &[FICHIER, "ligne 4", "colonne « date »", "« hier »"],
        ..Cas::default()
    });
}

#[test]
fn a_two_digit_year_is_refused_unless_the_model_allows_it() {
    verifier(Cas {
        corpus: Some("date-annee-courte.csv"),
        mots: &[
            FICHIER,
            "ligne 2",
            "colonne « date »",
            "deux chiffres",
            "dates_courtes = true",
        ],
        ..Cas::default()
    });
}

#[test]
fn an_empty_required_date_is_refused() {
    verifier(Cas {
        corpus: Some("date-vide.csv"),
        mots: &[FICHIER, "ligne 3", "colonne « date »", "la date est vide"],
        ..Cas::default()
    });
}

#[test]
fn a_year_month_day_date_with_slashes_is_refused() {
    verifier(Cas {
        corpus: Some("date-americaine.csv"),
        mots: &[FICHIER, "ligne 2", "« 2013/03/07 »", "AAAA-MM-JJ"],
        ..Cas::default()
    });
}

#[test]
fn a_quantity_in_words_is_refused() {
    verifier(Cas {
        corpus: Some("quantite-en-lettres.csv"),
        mots: &[
            FICHIER,
            "ligne 2",
            "colonne « quantite »",
            "« deux »",
            "entier",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_zero_quantity_is_refused() {
    verifier(Cas {
        corpus: Some("quantite-nulle.csv"),
        mots: &[FICHIER, "ligne 2", "colonne « quantite »", "« 0 »"],
        ..Cas::default()
    });
}

#[test]
fn a_fractional_quantity_is_refused() {
    verifier(Cas {
        corpus: Some("quantite-decimale.csv"),
        mots: &[FICHIER, "ligne 2", "colonne « quantite »", "« 1,5 »"],
        ..Cas::default()
    });
}

#[test]
fn an_amount_with_a_unit_is_refused_as_not_a_number() {
    verifier(Cas {
        corpus: Some("montant-invalide.csv"),
        mots: &[
            FICHIER,
            "ligne 2",
            "colonne « montant »",
            "« 45 euros »",
            "1 234,50",
        ],
        ..Cas::default()
    });
}

#[test]
fn an_unknown_public_lists_the_accepted_values_and_suggests_the_closest() {
    verifier(Cas {
        corpus: Some("public-inconnu.csv"),
        mots: &[
            FICHIER,
            "ligne 3",
            "colonne « public »",
            "« Femmme »",
            "femme, trans, homme",
            "remplacez-la par « femme »",
            "[vocabulaire.public]",
        ],
        ..Cas::default()
    });
}

#[test]
fn an_empty_action_is_refused() {
    verifier(Cas {
        corpus: Some("action-vide.csv"),
        mots: &[
            FICHIER,
            "ligne 2",
            "colonne « action »",
            "la valeur est vide",
        ],
        ..Cas::default()
    });
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    verifier(Cas {
        corpus: Some("plusieurs-erreurs.csv"),
        mots: &[
            "ligne 2",
            "« 31/02/2013 »",
            "ligne 3",
            "« dame »",
            "ligne 4",
            "« zéro »",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_cell_longer_than_the_limit_is_refused_without_being_printed() {
    verifier(Cas {
        corpus: Some("cellule-trop-longue.csv"),
        mots: &[
            FICHIER,
            "ligne 2",
            "colonne « themes »",
            "12\u{202F}000 caractères",
        ],
        jamais: &["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
        ..Cas::default()
    });
}

// --- Refused: personal data ----------------------------------------------

#[test]
fn name_columns_are_refused_and_their_values_never_printed() {
    verifier(Cas {
        corpus: Some("colonne-nom.csv"),
        mots: &[
            FICHIER,
            "ligne 1",
            "colonne « Nom »",
            "colonne « Prénom »",
            "données personnelles",
            "ignorer = [\"Nom\"]",
        ],
        jamais: &["Duval", "Marie"],
        ..Cas::default()
    });
}

#[test]
fn a_phone_column_is_refused_and_its_values_never_printed() {
    verifier(Cas {
        corpus: Some("colonne-telephone.csv"),
        mots: &[
            FICHIER,
            "ligne 1",
            "colonne « Téléphone »",
            "données personnelles",
        ],
        jamais: &["06 11 22 33 44"],
        ..Cas::default()
    });
}

#[test]
fn a_phone_number_inside_a_comment_is_refused_by_position_only() {
    verifier(Cas {
        corpus: Some("telephone-dans-commentaire.csv"),
        mots: &[
            FICHIER,
            "ligne 3",
            "colonne « commentaire »",
            "numéro de téléphone",
        ],
        jamais: &["06.11.22.33.44", "rappeler"],
        ..Cas::default()
    });
}

#[test]
fn an_email_address_in_the_person_code_is_refused_by_position_only() {
    verifier(Cas {
        corpus: Some("email-dans-code.csv"),
        mots: &[FICHIER, "ligne 2", "colonne « personne »", "adresse e-mail"],
        jamais: &["marie.duval", "example.org"],
        ..Cas::default()
    });
}

#[test]
fn a_birth_date_column_in_the_cases_is_refused() {
    verifier(Cas {
        corpus: Some("suivis-date-de-naissance.csv"),
        export: "suivis.csv",
        mots: &[
            "donnees/suivis.csv",
            "ligne 1",
            "colonne « Date de naissance »",
            "données personnelles",
        ],
        jamais: &["12/05/1980"],
        ..Cas::default()
    });
}

// --- Refused: the other exports --------------------------------------------

#[test]
fn a_case_export_without_its_opening_date_column_is_refused() {
    verifier(Cas {
        corpus: Some("suivis-ouverture-manquante.csv"),
        export: "suivis.csv",
        mots: &["donnees/suivis.csv", "ligne 1", "« ouverture » manque"],
        ..Cas::default()
    });
}

#[test]
fn a_closing_date_in_words_is_refused() {
    verifier(Cas {
        corpus: Some("suivis-cloture-invalide.csv"),
        export: "suivis.csv",
        mots: &[
            "donnees/suivis.csv",
            "ligne 2",
            "colonne « cloture »",
            "« bientôt »",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_year_typed_with_a_letter_o_is_refused() {
    verifier(Cas {
        corpus: Some("indicateurs-annee-invalide.csv"),
        export: "indicateurs.csv",
        mots: &[
            "donnees/indicateurs.csv",
            "ligne 2",
            "colonne « annee »",
            "« 2O13 »",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_value_with_words_in_it_is_refused() {
    verifier(Cas {
        corpus: Some("indicateurs-valeur-texte.csv"),
        export: "indicateurs.csv",
        mots: &[
            "donnees/indicateurs.csv",
            "ligne 2",
            "colonne « valeur »",
            "« 16 119 visites »",
        ],
        ..Cas::default()
    });
}

#[test]
fn an_empty_value_is_refused() {
    verifier(Cas {
        corpus: Some("indicateurs-valeur-vide.csv"),
        export: "indicateurs.csv",
        mots: &[
            "donnees/indicateurs.csv",
            "ligne 2",
            "colonne « valeur »",
            "vide",
        ],
        ..Cas::default()
    });
}

#[test]
fn an_indicator_export_without_its_value_column_is_refused() {
    verifier(Cas {
        corpus: Some("indicateurs-sans-valeur.csv"),
        export: "indicateurs.csv",
        mots: &["donnees/indicateurs.csv", "ligne 1", "« valeur » manque"],
        ..Cas::default()
    });
}

#[test]
fn a_missing_export_is_a_missing_input() {
    verifier(Cas {
        corpus: None,
        export: "suivis.csv",
        attendu: Attendu::Refuse(66),
        mots: &["donnees/suivis.csv", "introuvable"],
        ..Cas::default()
    });
}

// --- Accepted: awkward but valid ------------------------------------------

#[test]
fn a_french_excel_export_is_read_with_a_warning_naming_windows_1252() {
    verifier(Cas {
        corpus: Some("excel-cp1252.csv"),
        attendu: Attendu::Accepte,
        mots: &[FICHIER, "Windows-1252"],
        ..Cas::default()
    });
}

#[test]
fn an_excel_for_mac_export_is_read_as_mac_roman_with_a_warning_naming_it() {
    verifier(Cas {
        corpus: Some("mac-roman.csv"),
        attendu: Attendu::Accepte,
        mots: &[FICHIER, "Mac Roman", "CSV (Macintosh)"],
        ..Cas::default()
    });
}

#[test]
fn an_encoding_only_a_guess_could_tell_is_refused_with_how_to_declare_it() {
    verifier(Cas {
        corpus: Some("encodage-incertain.csv"),
        mots: &[
            FICHIER,
            "ligne 2",
            "avec certitude",
            "encodage = \"windows-1252\"",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_declared_encoding_reads_what_could_only_be_guessed() {
    verifier(Cas {
        corpus: Some("encodage-incertain.csv"),
        modele: "[exports.activites]\nencodage = \"windows-1252\"\n",
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn an_unknown_declared_encoding_is_an_error_of_the_model() {
    verifier(Cas {
        corpus: Some("excel-cp1252.csv"),
        modele: "[exports.activites]\nencodage = \"klingon\"\n",
        mots: &["rapport.toml", "encodage « klingon » inconnu", "mac-roman"],
        ..Cas::default()
    });
}

#[test]
fn dates_with_a_time_of_day_are_read_as_their_day() {
    verifier(Cas {
        corpus: Some("dates-avec-heure.csv"),
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn amounts_in_calcs_currency_format_are_read() {
    verifier(Cas {
        corpus: Some("montant-monetaire.csv"),
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn a_spreadsheet_day_number_in_a_date_column_is_refused_with_the_date_it_means() {
    verifier(Cas {
        corpus: Some("date-numero-de-serie.csv"),
        mots: &[
            FICHIER,
            "ligne 3",
            "colonne « date »",
            "« 41340 » est un numéro de jour de tableur (le 7 mars 2013)",
            "format Date",
        ],
        ..Cas::default()
    });
}

#[test]
fn utf8_with_a_byte_order_mark_and_commas_is_read() {
    verifier(Cas {
        corpus: Some("utf8-bom-virgules.csv"),
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn utf16_with_a_byte_order_mark_is_read_with_a_warning() {
    verifier(Cas {
        corpus: Some("utf16-bom.csv"),
        attendu: Attendu::Accepte,
        mots: &["UTF-16"],
        ..Cas::default()
    });
}

#[test]
fn tab_separated_exports_are_read() {
    verifier(Cas {
        corpus: Some("tabulations.csv"),
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn quoted_fields_with_line_breaks_are_read() {
    verifier(Cas {
        corpus: Some("guillemets-et-retour-a-la-ligne.csv"),
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn blank_lines_and_trailing_separators_are_tolerated() {
    verifier(Cas {
        corpus: Some("lignes-vides-et-separateurs-en-fin.csv"),
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn short_dates_are_read_when_the_model_allows_them() {
    verifier(Cas {
        corpus: Some("dates-courtes-permises.csv"),
        modele: "[exports]\ndates_courtes = true\n",
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn personal_columns_the_model_ignores_are_never_read() {
    verifier(Cas {
        corpus: Some("colonne-ignoree.csv"),
        modele: "[exports.activites]\nignorer = [\"Nom\", \"Téléphone\"]\n",
        attendu: Attendu::Accepte,
        jamais: &["Duval", "06 11 22 33 44"],
        ..Cas::default()
    });
}

#[test]
fn headers_mapped_by_the_model_and_spellings_added_to_the_vocabulary_are_read() {
    verifier(Cas {
        corpus: Some("colonnes-renommees.csv"),
        modele: "[exports.activites]\ncolonnes = { \"Lieu d'intervention\" = \"programme\" }\n\n[vocabulaire.public]\nfemme = [\"Fille\"]\n",
        attendu: Attendu::Accepte,
        ..Cas::default()
    });
}

#[test]
fn a_header_only_export_builds_and_check_warns_it_is_empty() {
    verifier(Cas {
        corpus: Some("en-tete-seul.csv"),
        attendu: Attendu::Accepte,
        mots: &[FICHIER, "aucune ligne de données"],
        ..Cas::default()
    });
}

#[test]
fn a_header_only_export_is_one_warning_not_one_per_indicator_reading_it() {
    let projet = copie_echantillon();
    std::fs::copy(corpus("en-tete-seul.csv"), projet.path().join(FICHIER)).unwrap();
    let r = rapport(&["check", "--projet", projet.path().to_str().unwrap()]);
    let dit = String::from_utf8(r.stdout).unwrap();
    assert_eq!(r.status.code(), Some(1), "{dit}");
    assert_eq!(dit.matches("aucune ligne de données").count(), 1, "{dit}");
    assert!(!dit.contains("ne retient aucune ligne"), "{dit}");
    assert!(dit.contains("0 erreur, 1 avertissement "), "{dit}");
}

// --- Accepted with warnings from check ------------------------------------

#[test]
fn an_exact_duplicate_row_is_a_warning_naming_both_lines() {
    verifier(Cas {
        corpus: Some("doublons.csv"),
        attendu: Attendu::Accepte,
        mots: &[FICHIER, "ligne 4", "ligne identique à la ligne 2"],
        jamais: &["TLS-0001"],
        ..Cas::default()
    });
}

#[test]
fn a_date_after_the_checked_year_is_a_warning() {
    verifier(Cas {
        corpus: Some("date-hors-periode.csv"),
        attendu: Attendu::Accepte,
        mots: &[
            FICHIER,
            "ligne 3",
            "« 07/03/2031 »",
            "années du projet",
            "2000 à 2013",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_person_seen_with_two_publics_is_a_warning_that_hides_the_code() {
    verifier(Cas {
        corpus: Some("personne-deux-publics.csv"),
        attendu: Attendu::Accepte,
        mots: &[FICHIER, "ligne 3", "autre public", "ligne 2"],
        jamais: &["TLS-0001"],
        ..Cas::default()
    });
}

#[test]
fn a_case_closed_before_it_opened_is_a_warning() {
    verifier(Cas {
        corpus: Some("suivis-clos-avant-ouverture.csv"),
        export: "suivis.csv",
        attendu: Attendu::Accepte,
        mots: &[
            "donnees/suivis.csv",
            "ligne 2",
            "colonne « cloture »",
            "clos avant",
        ],
        ..Cas::default()
    });
}

// --- The whole sample, exported the awkward way ----------------------------

/// The sample's exports as French Excel would write them: Windows-1252, CRLF,
/// aliased headers, publics and dates spelt in every accepted way, thousands
/// separated by a no-break space.
fn a_la_main(texte: &str, entetes: &str) -> Vec<u8> {
    let texte = maladroit(texte, entetes);
    let (octets, _, pertes) = encoding_rs::WINDOWS_1252.encode(&texte);
    assert!(!pertes);
    octets.into_owned()
}

/// The sample's exports as Excel for Mac's « CSV (Macintosh) » would write
/// them after a database export: Mac Roman, CR line ends, a time after
/// some dates, amounts in a currency format.
fn sur_mac(texte: &str, entetes: &str) -> Vec<u8> {
    let mut sortie = String::new();
    for (n, ligne) in maladroit(texte, entetes).lines().enumerate() {
        let cellules: Vec<String> = ligne
            .split(';')
            .map(|c| {
                let b = c.as_bytes();
                let date = (c.len() == 10 && b[2] == b'/' && b[5] == b'/')
                    || (c.len() == 10 && b[4] == b'-' && b[7] == b'-');
                if date && n % 2 == 0 {
                    format!("{c} 00:00:00")
                } else if date {
                    format!("{c} 14:30")
                } else {
                    c.to_string()
                }
            })
            .enumerate()
            .map(|(i, c)| {
                // montant, the last column of activites.csv
                if n > 0 && i == 8 && !c.is_empty() {
                    format!("{c} €")
                } else {
                    c
                }
            })
            .collect();
        sortie.push_str(&cellules.join(";"));
        sortie.push('\r');
    }
    let (octets, _, pertes) = encoding_rs::MACINTOSH.encode(&sortie);
    assert!(!pertes);
    octets.into_owned()
}

/// The sample's text with awkward headers, publics, dates and numbers.
fn maladroit(texte: &str, entetes: &str) -> String {
    let mut sortie = String::new();
    for (n, ligne) in texte.lines().enumerate() {
        if n == 0 {
            sortie.push_str(entetes);
            sortie.push_str("\r\n");
            continue;
        }
        let cellules: Vec<String> = ligne
            .split(';')
            .enumerate()
            .map(|(i, c)| {
                let variantes: &[&str] = match c {
                    "femme" => &["F", "Femme", "femme cis", "FEMME"],
                    "trans" => &["T", "Trans", "femme trans"],
                    "homme" => &["H", "Homme", "M", "homme cis"],
                    _ => &[],
                };
                if !variantes.is_empty() {
                    return variantes[(n + i) % variantes.len()].to_string();
                }
                // 07/03/2013 → 7/3/2013 or 2013-03-07.
                let b = c.as_bytes();
                if c.len() == 10 && b[2] == b'/' && b[5] == b'/' {
                    let (j, m, a) = (&c[0..2], &c[3..5], &c[6..10]);
                    return match n % 3 {
                        0 => format!("{a}-{m}-{j}"),
                        1 => format!(
                            "{}/{}/{a}",
                            j.trim_start_matches('0'),
                            m.trim_start_matches('0')
                        ),
                        _ => c.to_string(),
                    };
                }
                // 16119 → 16 119 (no-break space, as Excel writes).
                if c.len() > 3
                    && c.bytes().all(|b| b.is_ascii_digit())
                    && !c.starts_with('0')
                    && i > 0
                {
                    let (tete, queue) = c.split_at(c.len() - 3);
                    return format!("{tete}\u{A0}{queue}");
                }
                // Capitalised categories: Rue, Depistage.
                let mut lettres = c.chars();
                match lettres.next() {
                    Some(p) if c.chars().all(|x| x.is_ascii_lowercase() || x == '_') => {
                        p.to_uppercase().chain(lettres).collect()
                    }
                    _ => c.to_string(),
                }
            })
            .collect();
        sortie.push_str(&cellules.join(";"));
        sortie.push_str("\r\n");
    }
    sortie
}

#[test]
fn awkward_but_valid_exports_of_the_sample_give_exactly_the_same_tables() {
    meme_rapport(a_la_main, "Windows-1252");
}

#[test]
fn the_sample_saved_by_excel_for_mac_with_times_and_euros_gives_exactly_the_same_tables() {
    meme_rapport(sur_mac, "Mac Roman");
}

/// The sample and the sample written by `ecrire` give the same tables,
/// charts and PDF text; `check` names `encodage`.
fn meme_rapport(ecrire: fn(&str, &str) -> Vec<u8>, encodage: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (propre, maladroit) = (dir.path().join("propre"), dir.path().join("maladroit"));
    copier(&echantillon(), &propre);
    copier(&echantillon(), &maladroit);
    let donnees = maladroit.join("donnees");
    for (fichier, entetes) in [
        (
            "activites.csv",
            "Date de l'action;Type d'action;Pôle;Sexe;Code personne;Thématiques;Quantité;Catégorie;Montant;Origine",
        ),
        (
            "suivis.csv",
            "Code personne;Genre;Pôle;Type de suivi;Date d'ouverture;Date de clôture",
        ),
        ("indicateurs.csv", "Année;Indicateur;Valeur"),
    ] {
        let texte = std::fs::read_to_string(donnees.join(fichier)).unwrap();
        std::fs::write(donnees.join(fichier), ecrire(&texte, entetes)).unwrap();
    }
    let check = rapport(&["check", "2013", "--projet", maladroit.to_str().unwrap()]);
    let dit = messages(&check);
    assert!(!dit.contains("erreur :"), "{dit}");
    assert!(dit.contains(encodage), "{dit}");

    let (a, b) = (
        dir.path().join("sortie-propre"),
        dir.path().join("sortie-maladroite"),
    );
    construire(&propre, &a, 2013);
    construire(&maladroit, &b, 2013);
    memes_tableaux(&a, &b, 8);
    assert_eq!(
        fichiers_sous(&a.join("graphiques")),
        fichiers_sous(&b.join("graphiques"))
    );
    assert_eq!(
        texte_pdf(&a.join("rapport-2013.pdf")),
        texte_pdf(&b.join("rapport-2013.pdf"))
    );
}

// --- The model ----------------------------------------------------------------

#[test]
fn every_problem_of_the_model_is_reported_at_once_with_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("projet");
    copier(&echantillon(), &projet);
    let chemin = projet.join("rapport.toml");
    let modele = std::fs::read_to_string(&chemin)
        .unwrap()
        .replacen("\"contacts_rue\"", "\"contacts_ru\"", 1)
        .replacen("seuil = 5", "seuil = 2", 1)
        + "\n[tableaux.vide]\ntitre = \"Vide\"\nannees = 0\nlignes = []\n";
    std::fs::write(&chemin, modele).unwrap();
    let check = rapport(&["check", "--projet", projet.to_str().unwrap()]);
    let dit = messages(&check);
    assert_eq!(check.status.code(), Some(65), "{dit}");
    for mot in [
        "rapport.toml",
        "indicateur « contacts_ru » inconnu",
        "vouliez-vous dire « contacts_rue »",
        "[tableaux.vide]",
        "au moins 1",
    ] {
        assert!(dit.contains(mot), "« {mot} » absent :\n{dit}");
    }
    assert!(dit.matches("erreur :").count() >= 2, "{dit}");
}

#[test]
fn groups_as_rows_are_refused_without_a_breakdown_with_a_heading_row_or_with_a_row_of_other_groups()
{
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("projet");
    copier(&echantillon(), &projet);
    let chemin = projet.join("rapport.toml");
    let modele = std::fs::read_to_string(&chemin).unwrap()
        + "\n[tableaux.sans_ventilation]\ntitre = \"Annuel\"\ngroupes_en_lignes = true\nlignes = [\"repas\"]\n\
           \n[tableaux.intertitre]\ntitre = \"Profil\"\ncolonnes = \"origine\"\ngroupes_en_lignes = true\n\
           lignes = [{ intertitre = \"Personnes\" }, \"file_active\"]\n\
           \n[tableaux.autres_groupes]\ntitre = \"Rue\"\ncolonnes = \"public\"\ngroupes_en_lignes = true\n\
           lignes = [\"contacts_rue\", \"tournees_rue\"]\n";
    std::fs::write(&chemin, modele).unwrap();
    let check = rapport(&["check", "--projet", projet.to_str().unwrap()]);
    let dit = messages(&check);
    assert_eq!(check.status.code(), Some(65), "{dit}");
    for mot in [
        "[tableaux.sans_ventilation]",
        "n'a pas de colonnes par ventilation",
        "[tableaux.intertitre]",
        "un intertitre ne peut pas figurer",
        "[tableaux.autres_groupes]",
        "l'indicateur « tournees_rue » n'est pas ventilé par chacun des groupes",
    ] {
        assert!(dit.contains(mot), "« {mot} » absent :\n{dit}");
    }
    // The sample's profile, by origin in rows, and the street table, each
    // of its rows by public, are not refused.
    assert!(!dit.contains("« contacts_rue » n'est pas"), "{dit}");
    assert!(!dit.contains("[tableaux.profil]"), "{dit}");
}

#[test]
fn the_sample_project_has_no_error_and_a_clean_project_exits_zero() {
    let sortie = rapport(&["check", "2013", "--projet", echantillon().to_str().unwrap()]);
    let dit = messages(&sortie);
    assert!(!dit.contains("erreur :"), "{dit}");
    assert!(matches!(sortie.status.code(), Some(0 | 1)), "{dit}");

    // A project whose exports hold nothing to warn about exits 0. The
    // sample's glossary is the reference's, of which the report uses a
    // third: listing it whole is what leaves nothing to warn about.
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("projet");
    copier(&echantillon(), &projet);
    remplacer(
        &projet,
        "rapport.toml",
        "glossaire = \"glossaire.csv\"\n",
        "glossaire = \"glossaire.csv\"\nglossaire_complet = true\n",
    );
    let activites = projet.join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&activites).unwrap();
    let mut vues = std::collections::HashSet::new();
    let sans_doublons: Vec<&str> = texte
        .lines()
        .filter(|l| l.split(';').nth(4) == Some("") || vues.insert(*l))
        .collect();
    std::fs::write(&activites, sans_doublons.join("\n") + "\n").unwrap();
    let sortie = rapport(&["check", "2013", "--projet", projet.to_str().unwrap()]);
    let dit = messages(&sortie);
    assert_eq!(sortie.status.code(), Some(0), "{dit}");
    assert!(dit.contains("Tout est en ordre"), "{dit}");
}

#[test]
fn an_export_larger_than_the_limit_is_refused_before_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("projet");
    copier(&echantillon(), &projet);
    // A sparse file: 3 Gio on paper, nothing on disk, never read.
    let f = std::fs::File::create(projet.join("donnees/activites-2014.csv")).unwrap();
    f.set_len(3 * 1024 * 1024 * 1024).unwrap();
    let check = rapport(&["check", "--projet", projet.to_str().unwrap()]);
    let dit = messages(&check);
    assert_eq!(check.status.code(), Some(65), "{dit}");
    for mot in [
        "donnees/activites-2014.csv",
        "trop gros",
        "3\u{202F}072 Mio",
        "découpez",
    ] {
        assert!(dit.contains(mot), "« {mot} » absent :\n{dit}");
    }
}

// --- Written by the real tools ----------------------------------------------

/// The sample with its three exports replaced by those of `dossier` (of tests/corpus/).
fn echantillon_avec(dossier: &str, vers: &Path) {
    copier(&echantillon(), vers);
    for f in ["activites.csv", "suivis.csv", "indicateurs.csv"] {
        std::fs::copy(corpus(dossier).join(f), vers.join("donnees").join(f)).unwrap();
    }
}

#[test]
fn exports_saved_by_a_french_libreoffice_calc_are_refused_for_their_short_years_then_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("projet");
    echantillon_avec("libreoffice", &projet);
    let p = projet.to_str().unwrap();
    // Calc saves dates as shown, JJ/MM/AA: refused until the model says so.
    let sortie = dir.path().join("refus");
    let r = rapport(&[
        "build",
        "2013",
        "--projet",
        p,
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    let dit = messages(&r);
    assert_eq!(r.status.code(), Some(65), "{dit}");
    for mot in [
        "donnees/activites.csv, ligne 2, colonne « date »",
        "deux chiffres",
        "dates_courtes = true",
    ] {
        assert!(dit.contains(mot), "« {mot} » absent :\n{dit}");
    }
    assert!(!sortie.exists() || fichiers_sous(&sortie).is_empty());
    let mut modele = std::fs::read_to_string(projet.join("rapport.toml")).unwrap();
    modele.push_str("\n[exports]\ndates_courtes = true\n");
    std::fs::write(projet.join("rapport.toml"), modele).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    construire(&echantillon(), &a, 2013);
    construire(&projet, &b, 2013);
    memes_tableaux(&a, &b, 8);
    assert_eq!(
        texte_pdf(&a.join("rapport-2013.pdf")),
        texte_pdf(&b.join("rapport-2013.pdf"))
    );
}

#[test]
fn the_csv_spectrum_file_with_a_phone_number_column_is_refused_without_showing_it() {
    verifier(Cas {
        corpus: Some("csv-spectrum/csvs/location_coordinates.csv"),
        mots: &[FICHIER, "Contact Phone Number"],
        jamais: &["2095257564"],
        ..Cas::default()
    });
}

// --- Workbooks (tests/corpus/classeurs/, see tests/classeurs.rs) ------------

#[test]
fn a_workbook_renamed_csv_is_refused_with_the_extension_to_give_it() {
    verifier(Cas {
        corpus: Some("classeurs/activites.xlsx"),
        mots: &[
            FICHIER,
            "ce fichier est un classeur (xlsx/ods), pas un CSV",
            "renommez-le avec l'extension .xlsx (ou .ods)",
        ],
        ..Cas::default()
    });
}

// --- The header: a title line above it, its limits --------------------------

#[test]
fn a_title_line_above_the_header_is_skipped_with_a_warning_naming_it() {
    verifier(Cas {
        corpus: Some("titre-au-dessus-de-l-en-tete.csv"),
        attendu: Attendu::Accepte,
        mots: &[
            "donnees/activites.csv, ligne 2 : l'en-tête est sur cette ligne",
            "la ligne 1, au-dessus, a été sautée",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_title_line_without_separator_does_not_hide_the_commas_of_the_header() {
    verifier(Cas {
        corpus: Some("titre-et-virgules.csv"),
        attendu: Attendu::Accepte,
        mots: &["donnees/activites.csv, ligne 2 : l'en-tête est sur cette ligne"],
        ..Cas::default()
    });
}

#[test]
fn a_header_of_more_than_500_columns_is_refused() {
    verifier(Cas {
        corpus: Some("en-tete-trop-de-colonnes.csv"),
        mots: &[
            "donnees/activites.csv, ligne 1 : l'en-tête a 609 colonnes",
            "au plus 500 colonnes",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_column_name_of_more_than_200_characters_is_refused_without_showing_it() {
    verifier(Cas {
        corpus: Some("en-tete-nom-trop-long.csv"),
        mots: &[
            "donnees/activites.csv, ligne 1 : le nom de la colonne 10 fait 300 caractères",
            "au plus 200 caractères",
        ],
        jamais: &["nnnnnnnnnnnnnnnnnnnn"],
        ..Cas::default()
    });
}

#[test]
fn anonymous_rows_pasted_twice_are_a_warning_naming_both_blocks() {
    verifier(Cas {
        corpus: Some("anonymes-colles-deux-fois.csv"),
        attendu: Attendu::Accepte,
        mots: &[
            "donnees/activites.csv, ligne 26 : les lignes 26 à 49 répètent à l'identique et dans le même ordre les lignes 2 à 25 (24 lignes)",
        ],
        ..Cas::default()
    });
}

#[test]
fn a_line_is_named_by_its_number_in_an_editor_whatever_the_line_ends_blank_lines_and_quoted_breaks()
{
    for fin in ["\r\n", "\r", "\n"] {
        let projet = copie_echantillon();
        let lignes = [
            "date;action;programme;public;personne;themes;quantite;categorie;montant",
            "07/03/2013;contact;rue;femme;;;3;;",
            "31/02/2013;contact;rue;femme;;;1;;",
            "",
            "hier;contact;rue;femme;;;1;;",
            &format!("\"09/03/2013\";contact;\"rue\";femme;;\"a{fin}b\";1;;"),
            "10/03/2013;contact;rue;dame;;;1;;",
        ];
        // The last line without a line end, as some tools write it.
        std::fs::write(projet.path().join(FICHIER), lignes.join(fin)).unwrap();
        let r = rapport(&["check", "2013", "--projet", projet.path().to_str().unwrap()]);
        let dit = messages(&r);
        for attendu in [
            "donnees/activites.csv, ligne 3, colonne « date » : « 31/02/2013 »",
            "donnees/activites.csv, ligne 5, colonne « date » : « hier »",
            "donnees/activites.csv, ligne 8, colonne « public » : « dame »",
        ] {
            assert!(
                dit.contains(attendu),
                "{fin:?} : « {attendu} » absent :\n{dit}"
            );
        }
    }
}
