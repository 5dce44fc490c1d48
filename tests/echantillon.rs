//! The sample project through the real binary: golden figures of the 2013
//! reference report, read back from the CSV tables and from the PDF text.

mod commun;

use std::path::PathBuf;
use std::sync::OnceLock;

use commun::*;

/// One build of the sample's 2013 report, shared by the tests of this file.
fn construit() -> &'static (tempfile::TempDir, PathBuf) {
    static CONSTRUIT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    CONSTRUIT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let sortie = dir.path().join("sortie");
        construire(&echantillon(), &sortie, 2013);
        (dir, sortie)
    })
}

#[test]
fn the_internet_table_csv_holds_the_reference_figures() {
    let t = lire_csv(&construit().1.join("tableaux/net.csv"));
    assert_eq!(valeur(&t, "tournees_net", "Total", 2013), "34");
    assert_eq!(valeur(&t, "contacts_net", "Femmes", 2013), "716");
    assert_eq!(valeur(&t, "contacts_net", "Trans", 2013), "128");
    assert_eq!(valeur(&t, "contacts_net", "Hommes", 2013), "823");
    assert_eq!(valeur(&t, "entretiens_net", "Femmes et trans", 2013), "32");
    assert_eq!(valeur(&t, "entretiens_net", "Hommes", 2013), "126");
    assert_eq!(valeur(&t, "suivis_net", "Total", 2013), "12");
    assert_eq!(valeur(&t, "kits_net", "Femmes et trans", 2013), "16");
    assert_eq!(valeur(&t, "kits_net", "Hommes", 2013), "19");
    let themes = [
        ("theme_vih", "31,3", "96,0"),
        ("theme_violence", "65,6", "9,5"),
        ("theme_droits", "46,9", "15,9"),
    ];
    for (id, ft, h) in themes {
        assert_eq!(valeur(&t, id, "Femmes et trans", 2013), ft, "{id}");
        assert_eq!(valeur(&t, id, "Hommes", 2013), h, "{id}");
    }
    // The reference printed « Santé 62,5 % 3,2 % »: 3,2 % of 126 men is 4
    // men, a small count of people. It is hidden (`< 5`), and so is the
    // share of women and trans, which the total share would give away.
    assert_eq!(valeur(&t, "theme_sante", "Hommes", 2013), "");
    assert_eq!(valeur(&t, "theme_sante", "Femmes et trans", 2013), "");
    // The shares carry their exact counts.
    let vih = t
        .iter()
        .find(|l| l["indicateur"] == "theme_vih" && l["colonne"] == "Femmes et trans")
        .unwrap();
    assert_eq!(
        (vih["numerateur"].as_str(), vih["denominateur"].as_str()),
        ("10", "32")
    );
}

#[test]
fn the_rights_table_csv_holds_2012_and_2013() {
    let t = lire_csv(&construit().1.join("tableaux/droits.csv"));
    assert_eq!(valeur(&t, "entretiens_droits", "2012", 2012), "119");
    assert_eq!(valeur(&t, "entretiens_droits", "2013", 2013), "223");
    assert_eq!(valeur(&t, "suivis_regularisation", "2012", 2012), "38");
    assert_eq!(valeur(&t, "suivis_regularisation", "2013", 2013), "36");
    assert_eq!(valeur(&t, "asile_recours", "2012", 2012), "5");
    assert_eq!(valeur(&t, "asile_recours", "2013", 2013), "11");
    let site = lire_csv(&construit().1.join("tableaux/site.csv"));
    assert_eq!(valeur(&site, "visites_site", "2012", 2012), "8225");
    assert_eq!(valeur(&site, "visites_site", "2013", 2013), "16119");
}

#[test]
fn the_pdf_text_shows_the_reference_figures_in_french_typography() {
    let texte = texte_pdf(&construit().1.join("rapport-2013.pdf"));
    for attendu in [
        "Tournées virtuelles et téléphoniques 34",
        "Contacts 716 128 823",
        "Entretiens 32 126",
        "Suivis 12",
        "VIH, IST et usage de drogues 31,3 % 96,0 %",
        "Santé s <5",
        "Violence 65,6 % 9,5 %",
        "Droits sociaux 46,9 % 15,9 %",
        "Kits de prévention envoyés 16 19",
        "Nombre d'entretiens régularisation / droit au travail 119 223",
        "Suivis régularisation / droit au travail 38 36",
        "Demandes d'asile et recours 5 11",
        "Visites du site internet 8 225 16 119",
        // A live figure cited by the narrative text.
        "nous avons contacté 1 667 travailleuses et travailleurs du sexe",
        "Document établi le 28 novembre 2026",
    ] {
        assert!(
            texte.contains(attendu),
            "le PDF ne contient pas « {attendu} »"
        );
    }
}

#[test]
fn the_report_has_its_glossary_and_funders_and_every_chart() {
    let (_, sortie) = construit();
    let texte = texte_pdf(&sortie.join("rapport-2013.pdf"));
    assert!(texte.contains("Glossaire"));
    // The glossary is set in two columns: its entry and definition on one line.
    assert!(
        texte.contains("OFPRA Office français de protection des"),
        "{texte}"
    );
    assert!(texte.contains("Agence régionale de santé Midi-Pyrénées (ARS)"));
    for g in [
        "contacts_rue",
        "droits",
        "avq",
        "contacts_net",
        "themes_net",
        "visites",
    ] {
        let svg = std::fs::read_to_string(sortie.join(format!("graphiques/{g}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{g}");
    }
    // The chart of contacts on the internet shows their growth: 1 336 in
    // 2012, 1 667 in 2013 (the table of its section gives 2013 by public).
    let svg = std::fs::read_to_string(sortie.join("graphiques/contacts_net.svg")).unwrap();
    for v in ["1\u{202F}336", "1\u{202F}667"] {
        assert!(
            svg.contains(&format!(">{v}<")) || svg.contains(&format!(">\n{v}\n<")),
            "{v}"
        );
    }
}

#[test]
fn two_builds_of_the_same_inputs_are_byte_identical() {
    let premier = std::fs::read(construit().1.join("rapport-2013.pdf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    construire(&echantillon(), dir.path(), 2013);
    let second = std::fs::read(dir.path().join("rapport-2013.pdf")).unwrap();
    assert!(premier == second, "les deux PDF diffèrent");
}

#[test]
fn the_note_on_method_defines_every_row_of_every_table_and_names_no_file_nor_software() {
    let (_, sortie) = construit();
    // Words hyphenated at the end of a line are joined back.
    let texte = plier(&pdftotext(&sortie.join("rapport-2013.pdf"), &[]).replace("\u{AD}\n", ""));
    let debut = texte
        .rfind("Note sur les données")
        .expect("la note sur les données");
    let fin = texte[debut..]
        .find("Remerciements")
        .map_or(texte.len(), |i| debut + i);
    let note = &texte[debut..fin];
    for interdit in [
        ".csv",
        ".toml",
        "logiciel",
        "rapport.toml",
        "Typst",
        "polars",
        "donnees/",
    ] {
        assert!(
            !note.contains(interdit),
            "la note nomme « {interdit} » : {note}"
        );
    }
    // Each row of each table, under the label the table shows, with what it counts.
    for t in [
        "rue",
        "droits",
        "logement",
        "avq",
        "net",
        "site",
        "chiffres_cles",
    ] {
        for l in lire_csv(&sortie.join(format!("tableaux/{t}.csv"))) {
            let libelle = plier(&l["ligne"]);
            assert!(
                note.contains(&format!("{libelle} : ")),
                "« {libelle} » ({t}) n'est pas défini dans la note"
            );
        }
    }
    for mot in [
        "nombre de personnes distinctes",
        "ouverts dans l'année",
        "ouverts à un moment de l'année",
        "« < 5 »",
        "« n.c. »",
    ] {
        assert!(note.contains(mot), "la note ne dit pas « {mot} »");
    }
    assert!(!note.contains("{{"), "{note}");
}
