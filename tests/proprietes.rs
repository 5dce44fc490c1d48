//! Properties of the figures over random activity journals (proptest): the
//! groups of a breakdown add up to the total, and every row is counted in
//! exactly one year. Figures go through the real stages (model, exports,
//! polars queries) and are checked against a plain recount of the rows.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::sample::{Index, select};

use rapport::figures::{self, Figures, Valeur};

/// Masking is off: the properties hold on the figures as computed.
const MODELE: &str = r#"
[association]
nom = "Propriétés"

[confidentialite]
desactivee = true

[ventilations.public]
colonne = "public"
groupes = [
  { libelle = "Femmes", valeurs = ["femme"] },
  { libelle = "Trans", valeurs = ["trans"] },
  { libelle = "Hommes", valeurs = ["homme"] },
]

[ventilations.programme]
colonne = "programme"
groupes = [
  { libelle = "Rue", valeurs = ["rue"] },
  { libelle = "Internet", valeurs = ["net"] },
  { libelle = "Local", valeurs = ["local"] },
]

[indicateurs.lignes]
libelle = "Actions"
source = "activites"
mesure = "lignes"
ventilation = "public"

[indicateurs.quantites]
libelle = "Quantités"
source = "activites"
mesure = "somme"
ventilation = "public"

[indicateurs.personnes]
libelle = "Personnes"
source = "activites"
mesure = "personnes"
ventilation = "public"

[indicateurs.par_programme]
libelle = "Quantités par programme"
source = "activites"
mesure = "somme"
ventilation = "programme"

[[sections]]
titre = "Tout"
"#;

/// The years the rows are dated in.
const ANNEES_DES_LIGNES: std::ops::RangeInclusive<i32> = 2011..=2014;
/// The years computed: one more on each side, which no row is dated in.
const ANNEES: [i32; 6] = [2010, 2011, 2012, 2013, 2014, 2015];
/// The groups of the `public` breakdown, in order.
const PUBLICS: [&str; 3] = ["femme", "trans", "homme"];
/// The groups of the `programme` breakdown, in order.
const PROGRAMMES: [&str; 3] = ["rue", "net", "local"];

/// One row of a generated journal.
#[derive(Debug, Clone)]
struct Ligne {
    annee: i32,
    mois: u32,
    jour: u32,
    /// `AAAA-MM-JJ` rather than `JJ/MM/AAAA`.
    iso: bool,
    /// As written in the file (case varies); empty: not tied to a person.
    public: &'static str,
    programme: &'static str,
    personne: Option<u8>,
    /// Empty means 1.
    quantite: Option<u32>,
}

impl Ligne {
    fn public(&self) -> Option<String> {
        Some(self.public.to_lowercase()).filter(|p| !p.is_empty())
    }

    fn programme(&self) -> String {
        self.programme.to_lowercase()
    }

    fn quantite(&self) -> f64 {
        self.quantite.unwrap_or(1) as f64
    }

    fn csv(&self) -> String {
        let date = if self.iso {
            format!("{}-{:02}-{:02}", self.annee, self.mois, self.jour)
        } else {
            format!("{:02}/{:02}/{}", self.jour, self.mois, self.annee)
        };
        let personne = self.personne.map(|p| format!("P{p}")).unwrap_or_default();
        let quantite = self.quantite.map(|q| q.to_string()).unwrap_or_default();
        format!(
            "{date};entretien;{};{};{personne};{quantite}\n",
            self.programme, self.public
        )
    }
}

/// A date in the journal's years, often on the first or last day of a year.
fn date() -> impl Strategy<Value = (i32, u32, u32)> {
    ANNEES_DES_LIGNES.prop_flat_map(|a| {
        let fin_fevrier = if a % 4 == 0 { 29 } else { 28 };
        prop_oneof![
            Just((a, 1, 1)),
            Just((a, 12, 31)),
            Just((a, 2, fin_fevrier)),
            (1..=12u32, 1..=28u32).prop_map(move |(m, j)| (a, m, j)),
        ]
    })
}

fn ligne() -> impl Strategy<Value = Ligne> {
    (
        date(),
        any::<bool>(),
        select(&["femme", "trans", "homme", "", "Femme", "HOMME"][..]),
        select(&["rue", "net", "local", "Rue"][..]),
        // A few codes only, so that people come back.
        proptest::option::of(0..6u8),
        proptest::option::of(1..=20u32),
    )
        .prop_map(
            |((annee, mois, jour), iso, public, programme, personne, quantite)| Ligne {
                annee,
                mois,
                jour,
                iso,
                public,
                programme,
                personne,
                quantite,
            },
        )
}

/// A journal, and where it is cut in two export files (the second may be empty).
fn journal() -> impl Strategy<Value = (Vec<Ligne>, Index)> {
    (proptest::collection::vec(ligne(), 1..60), any::<Index>())
}

/// The figures of every year of `ANNEES`, the journal written as `activites.csv`
/// and `activites-ANNEE.csv`, cut by year at `coupure`.
fn calculer(lignes: &[Ligne], coupure: &Index) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("donnees")).unwrap();
    std::fs::write(p.join("rapport.toml"), MODELE).unwrap();
    let (debut, fin, annee) = en_deux(lignes, coupure);
    let suite = format!("activites-{annee}.csv");
    for (nom, partie) in [("activites.csv", debut), (suite.as_str(), fin)] {
        let mut texte = String::from("date;action;programme;public;personne;quantite\n");
        texte.extend(partie.iter().map(|l| l.csv()));
        std::fs::write(p.join("donnees").join(nom), texte).unwrap();
    }
    let (modele, exports) =
        rapport::projet::lire_projet(p, &rapport::suivi::Suivi::default()).unwrap();
    figures::calculer(
        &modele,
        &exports,
        &ANNEES,
        &rapport::suivi::Suivi::default(),
    )
    .unwrap()
}

/// The journal cut in two by year, as two files of one export must be (they
/// may share no year): the rows before the year of the row at `coupure`, the
/// rows from that year on (none when `coupure` falls past the end), and that year.
fn en_deux<'a>(lignes: &'a [Ligne], coupure: &Index) -> (Vec<&'a Ligne>, Vec<&'a Ligne>, i32) {
    let annee = lignes
        .get(coupure.index(lignes.len() + 1))
        .map_or(*ANNEES_DES_LIGNES.end() + 1, |l| l.annee);
    let (debut, fin) = lignes.iter().partition(|l| l.annee < annee);
    (debut, fin, annee)
}

/// The value as a number; `None` when not available.
fn nombre(v: &Valeur) -> Option<f64> {
    match v {
        Valeur::Nombre(x) => Some(*x),
        Valeur::Nd => None,
        autre => panic!("valeur inattendue sans secret statistique : {autre:?}"),
    }
}

/// The recount, by hand, of one year: rows, quantities and distinct people,
/// in total and for the rows matching `dans_groupe`.
fn recompter(
    lignes: &[Ligne],
    annee: i32,
    dans_groupe: impl Fn(&Ligne) -> bool,
) -> (f64, f64, f64) {
    let de_l_annee: Vec<&Ligne> = lignes
        .iter()
        .filter(|l| l.annee == annee && dans_groupe(l))
        .collect();
    let personnes: BTreeSet<u8> = de_l_annee.iter().filter_map(|l| l.personne).collect();
    (
        de_l_annee.len() as f64,
        de_l_annee.iter().map(|l| l.quantite()).sum(),
        personnes.len() as f64,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_groups_of_a_breakdown_add_up_to_the_total_in_random_journals(
        (lignes, coupure) in journal()
    ) {
        let f = calculer(&lignes, &coupure);
        for annee in ANNEES {
            // Rows without a public are in no group of the breakdown by public.
            let (sans_public, q_sans_public, _) = recompter(&lignes, annee, |l| l.public().is_none());
            for (id, hors_groupes) in [("lignes", sans_public), ("quantites", q_sans_public)] {
                let c = f.chiffre(id, annee);
                let Some(total) = nombre(&c.total) else { continue };
                let groupes: Vec<f64> = c.groupes.iter().map(|g| nombre(g).unwrap()).collect();
                prop_assert_eq!(groupes.len(), PUBLICS.len());
                prop_assert_eq!(groupes.iter().sum::<f64>() + hors_groupes, total, "{} {}", id, annee);
            }
            // The programmes' groups cover every row.
            let c = f.chiffre("par_programme", annee);
            if let Some(total) = nombre(&c.total) {
                let groupes: Vec<f64> = c.groupes.iter().map(|g| nombre(g).unwrap()).collect();
                prop_assert_eq!(groupes.iter().sum::<f64>(), total, "par_programme {}", annee);
                prop_assert_eq!(total, f.chiffre("quantites", annee).total.nombre().unwrap());
            }
            // A person may appear under several publics: the groups are each at
            // most the total, and together at least the people with a public.
            let c = f.chiffre("personnes", annee);
            if let Some(total) = nombre(&c.total) {
                let groupes: Vec<f64> = c.groupes.iter().map(|g| nombre(g).unwrap()).collect();
                let (_, _, avec_public) = recompter(&lignes, annee, |l| l.public().is_some());
                for g in &groupes {
                    prop_assert!(*g <= total);
                }
                prop_assert!(groupes.iter().sum::<f64>() >= avec_public);
            }
        }
    }

    #[test]
    fn every_row_of_a_random_journal_is_counted_in_exactly_one_year(
        (lignes, coupure) in journal()
    ) {
        let f = calculer(&lignes, &coupure);
        let mut lignes_comptees = 0.0;
        let mut quantites_comptees = 0.0;
        for annee in ANNEES {
            let (n, q, personnes) = recompter(&lignes, annee, |_| true);
            if n == 0.0 {
                // No row dated that year: not available, never 0.
                for id in ["lignes", "quantites", "personnes", "par_programme"] {
                    prop_assert_eq!(&f.chiffre(id, annee).total, &Valeur::Nd, "{} {}", id, annee);
                }
                continue;
            }
            prop_assert_eq!(nombre(&f.chiffre("lignes", annee).total), Some(n), "{}", annee);
            prop_assert_eq!(nombre(&f.chiffre("quantites", annee).total), Some(q), "{}", annee);
            prop_assert_eq!(nombre(&f.chiffre("personnes", annee).total), Some(personnes), "{}", annee);
            for (i, public) in PUBLICS.iter().enumerate() {
                let dans = |l: &Ligne| l.public().as_deref() == Some(*public);
                let (n, q, personnes) = recompter(&lignes, annee, dans);
                prop_assert_eq!(nombre(&f.chiffre("lignes", annee).groupes[i]), Some(n));
                prop_assert_eq!(nombre(&f.chiffre("quantites", annee).groupes[i]), Some(q));
                prop_assert_eq!(nombre(&f.chiffre("personnes", annee).groupes[i]), Some(personnes));
            }
            for (i, programme) in PROGRAMMES.iter().enumerate() {
                let (_, q, _) = recompter(&lignes, annee, |l| l.programme() == *programme);
                prop_assert_eq!(nombre(&f.chiffre("par_programme", annee).groupes[i]), Some(q));
            }
            lignes_comptees += n;
            quantites_comptees += q;
        }
        prop_assert_eq!(lignes_comptees, lignes.len() as f64);
        prop_assert_eq!(quantites_comptees, lignes.iter().map(Ligne::quantite).sum::<f64>());
    }
}
