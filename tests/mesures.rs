//! Each measure and each period rule of the model, on tiny hand-made exports,
//! through the real stages (exports → model → polars queries → figures).

use rapport::figures::{self, Valeur};

const MODELE: &str = r#"
[association]
nom = "Test"

[ventilations.public]
colonne = "public"
groupes = [
  { libelle = "Femmes et trans", valeurs = ["femme", "trans"] },
  { libelle = "Hommes", valeurs = ["homme"] },
]

[indicateurs.lignes]
libelle = "Entretiens"
source = "activites"
filtres = { action = "entretien" }
mesure = "lignes"
ventilation = "public"

[indicateurs.somme]
libelle = "Contacts"
source = "activites"
filtres = { action = "contact" }
mesure = "somme"

[indicateurs.personnes]
libelle = "Personnes"
source = "activites"
filtres = { action = ["entretien", "contact"] }
mesure = "personnes"

[indicateurs.part_violence]
libelle = "Violence"
source = "activites"
filtres = { action = "entretien" }
mesure = "part"
condition = { themes = { contient = "violence" } }
ventilation = "public"

[indicateurs.montant]
libelle = "Montant"
source = "activites"
filtres = { action = "aide" }
mesure = "somme"
colonne = "montant"

[indicateurs.actifs]
libelle = "Suivis actifs"
source = "suivis"
mesure = "lignes"
periode = "actif"

[indicateurs.ouverts]
libelle = "Suivis ouverts"
source = "suivis"
mesure = "lignes"
periode = "ouverture"

[indicateurs.visites]
libelle = "Visites"
source = "indicateurs"
filtres = { indicateur = "visites_site" }
mesure = "somme"

[[sections]]
titre = "Tout"
"#;

const ACTIVITES: &str = "\u{FEFF}Date;Action;Programme;Public;Personne;Thèmes;Quantité;Montant
31/12/2012;entretien;net;femme;A;violence;;
01/01/2013;entretien;net;femme;A;violence|sante;;
2013-06-15;entretien;net;trans;B;sante;;
15/06/2013;entretien;net;homme;C;vih_ist_drogues|violence;;
31/12/2013;entretien;net;homme;C;;;
01/01/2014;entretien;net;homme;D;violence;;
10/03/2013;contact;net;homme;;;5;
11/03/2013;contact;net;femme;;;;
12/03/2013;contact;net;trans;E;;2;
12/03/2013;aide;avq;femme;A;;;\"1 234,50\"
13/03/2013;aide;avq;femme;A;;;10
";

const SUIVIS: &str = "personne;public;programme;type;ouverture;cloture
P1;femme;droits;asile;15/05/2012;01/01/2013
P2;femme;droits;asile;31/12/2012;
P3;homme;droits;recours;01/01/2013;31/12/2013
P4;trans;droits;asile;31/12/2013;
P5;homme;droits;asile;01/06/2011;31/12/2012
P6;femme;droits;asile;01/01/2014;
";

const INDICATEURS: &str = "annee,indicateur,valeur
2012,visites_site,8225
2013,visites_site,16119
2013,autre,3
";

fn figures(annee: i32) -> figures::Figures {
    figures_de(annee, &[("activites.csv", ACTIVITES.as_bytes().to_vec())])
}

/// The figures of `annee` with these activity files, and the fixed cases and indicators.
fn figures_de(annee: i32, activites: &[(&str, Vec<u8>)]) -> figures::Figures {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("donnees")).unwrap();
    std::fs::write(p.join("rapport.toml"), MODELE).unwrap();
    for (nom, texte) in activites {
        std::fs::write(p.join("donnees").join(nom), texte).unwrap();
    }
    std::fs::write(p.join("donnees/suivis.csv"), SUIVIS).unwrap();
    std::fs::write(p.join("donnees/indicateurs.csv"), INDICATEURS).unwrap();
    let (modele, exports) =
        rapport::projet::lire_projet(p, &rapport::suivi::Suivi::default()).unwrap();
    figures::calculer(
        &modele,
        &exports,
        &figures::annees_du_rapport(&modele, annee),
        &rapport::suivi::Suivi::default(),
    )
    .unwrap()
}

fn nombre(f: &figures::Figures, id: &str, annee: i32) -> f64 {
    match f.chiffre(id, annee).total {
        Valeur::Nombre(v) => v,
        autre => panic!("{id} : {autre:?}"),
    }
}

#[test]
fn counting_rows_keeps_events_dated_on_the_first_and_last_day_of_the_year() {
    let f = figures(2013);
    assert_eq!(nombre(&f, "lignes", 2013), 4.0);
    assert_eq!(nombre(&f, "lignes", 2012), 1.0);
    assert_eq!(
        f.chiffre("lignes", 2013).groupes,
        vec![Valeur::Nombre(2.0), Valeur::Nombre(2.0)]
    );
}

#[test]
fn an_empty_quantity_counts_as_one_in_a_sum() {
    assert_eq!(nombre(&figures(2013), "somme", 2013), 8.0);
}

#[test]
fn distinct_people_ignore_rows_without_a_code() {
    // A, B, C from interviews, E from a contact; two contacts have no code.
    assert_eq!(nombre(&figures(2013), "personnes", 2013), 4.0);
}

#[test]
fn a_share_counts_multi_valued_themes_and_keeps_its_base() {
    let f = figures(2013);
    let c = f.chiffre("part_violence", 2013);
    assert_eq!(c.total, Valeur::Part { num: 2.0, den: 4.0 });
    assert_eq!(c.groupes[0], Valeur::Part { num: 1.0, den: 2.0 });
    assert_eq!(c.groupes[1], Valeur::Part { num: 1.0, den: 2.0 });
    assert_eq!(c.groupes[0].texte(None), "50,0\u{202F}%");
}

#[test]
fn a_share_of_nothing_is_shown_as_not_computable_not_zero() {
    // 2012 has one interview, with a woman: the men's share has no base.
    let f = figures(2013);
    let c = f.chiffre("part_violence", 2012);
    assert_eq!(c.groupes[1], Valeur::Part { num: 0.0, den: 0.0 });
    assert_eq!(c.groupes[1].texte(None), "n.c.");
}

#[test]
fn a_year_the_exports_do_not_cover_is_not_available_rather_than_zero() {
    let f = figures(2011);
    assert_eq!(f.chiffre("lignes", 2011).total, Valeur::Nd);
    assert_eq!(f.chiffre("lignes", 2011).total.texte(None), "n.d.");
    assert_eq!(
        f.raison("lignes", 2011).map(ToString::to_string).as_deref(),
        Some("aucune ligne d'activites.csv n'est datée de 2011")
    );
    // A figure of indicateurs.csv, whose rows start in 2012.
    assert_eq!(f.chiffre("visites", 2011).total, Valeur::Nd);
    assert_eq!(
        f.raison("visites", 2011)
            .map(ToString::to_string)
            .as_deref(),
        Some("aucune ligne d'indicateurs.csv n'est datée de 2011")
    );
    // Cases: P5 was opened in 2011, so 2011 is covered.
    assert_eq!(f.chiffre("actifs", 2011).total, Valeur::Nombre(1.0));
}

#[test]
fn a_figure_of_indicateurs_is_missing_when_its_own_row_is_in_a_year_the_file_covers() {
    let f = figures_de(
        2014,
        &[
            ("activites.csv", ACTIVITES.as_bytes().to_vec()),
            (
                "indicateurs-2014.csv",
                b"annee,indicateur,valeur\n2014,autre,1\n".to_vec(),
            ),
        ],
    );
    assert_eq!(f.chiffre("visites", 2014).total, Valeur::Nd);
    assert_eq!(
        f.raison("visites", 2014)
            .map(ToString::to_string)
            .as_deref(),
        Some("indicateurs.csv ne donne pas « Visites » pour 2014")
    );
    assert_eq!(nombre(&f, "visites", 2013), 16119.0);
}

#[test]
fn a_column_missing_from_one_yearly_file_makes_only_that_year_unavailable() {
    let mut lignes = ACTIVITES.lines();
    let entete = lignes.next().unwrap().trim_start_matches('\u{FEFF}');
    let sans_montant = entete.rsplit_once(';').unwrap().0;
    let (mut a2012, mut a2013) = (format!("{sans_montant}\n"), format!("{entete}\n"));
    for l in lignes {
        if l.contains("/2012;") {
            a2012.push_str(l.rsplit_once(';').unwrap().0);
            a2012.push('\n');
        } else {
            a2013.push_str(l);
            a2013.push('\n');
        }
    }
    let f = figures_de(
        2013,
        &[
            ("activites-2012.csv", a2012.into_bytes()),
            ("activites-2013.csv", a2013.into_bytes()),
        ],
    );
    assert_eq!(f.chiffre("montant", 2012).total, Valeur::Nd);
    assert_eq!(
        f.raison("montant", 2012)
            .map(ToString::to_string)
            .as_deref(),
        Some("la colonne « montant » manque dans donnees/activites-2012.csv")
    );
    assert_eq!(f.chiffre("montant", 2013).total, Valeur::Nombre(1244.5));
    assert_eq!(f.chiffre("lignes", 2012).total, Valeur::Nombre(1.0));
}

#[test]
fn extra_columns_are_summed_as_french_numbers() {
    assert_eq!(nombre(&figures(2013), "montant", 2013), 1244.5);
}

#[test]
fn a_case_closed_on_the_first_of_january_is_active_that_year() {
    // 2013: P1 (closed 01/01/2013), P2 (open), P3, P4 (opened 31/12/2013).
    assert_eq!(nombre(&figures(2013), "actifs", 2013), 4.0);
    // 2012: P1, P2 (opened 31/12/2012), P5 (closed 31/12/2012).
    assert_eq!(nombre(&figures(2013), "actifs", 2012), 3.0);
}

#[test]
fn a_case_opened_on_the_thirty_first_of_december_counts_as_opened_that_year() {
    let f = figures(2013);
    assert_eq!(nombre(&f, "ouverts", 2013), 2.0);
    assert_eq!(nombre(&f, "ouverts", 2012), 2.0);
}

#[test]
fn figures_from_the_indicators_file_are_read_by_year() {
    let f = figures(2013);
    assert_eq!(nombre(&f, "visites", 2013), 16119.0);
    assert_eq!(nombre(&f, "visites", 2012), 8225.0);
}

#[test]
fn exports_split_into_yearly_files_give_the_same_figures() {
    let mut lignes = ACTIVITES.lines();
    let entete = lignes.next().unwrap().trim_start_matches('\u{FEFF}');
    let (mut a2012, mut autres) = (format!("{entete}\n"), format!("{entete}\n"));
    for l in lignes {
        let cible = if l.starts_with("31/12/2012") {
            &mut a2012
        } else {
            &mut autres
        };
        cible.push_str(l);
        cible.push('\n');
    }
    let separes = figures_de(
        2013,
        &[
            ("activites-2012.csv", a2012.into_bytes()),
            ("Activites_2013-2014.csv", autres.into_bytes()),
        ],
    );
    let ensemble = figures(2013);
    for id in ["lignes", "somme", "personnes", "part_violence", "montant"] {
        for annee in [2012, 2013] {
            assert_eq!(
                separes.chiffre(id, annee),
                ensemble.chiffre(id, annee),
                "{id} {annee}"
            );
        }
    }
}

#[test]
fn an_export_saved_by_french_excel_in_windows_1252_gives_the_same_figures() {
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(ACTIVITES.trim_start_matches('\u{FEFF}'));
    assert!(
        std::str::from_utf8(&cp1252).is_err(),
        "l'export n'est plus de l'UTF-8"
    );
    let separes = figures_de(2013, &[("activites.csv", cp1252.into_owned())]);
    let ensemble = figures(2013);
    for id in ["lignes", "somme", "personnes", "part_violence", "montant"] {
        assert_eq!(
            separes.chiffre(id, 2013),
            ensemble.chiffre(id, 2013),
            "{id}"
        );
    }
}
