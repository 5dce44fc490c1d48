//! The fast path (streaming reader, category codes, shared masks, one polars
//! pass per export) against a straightforward computation: every indicator
//! of the model, every year, every group, recounted row by row in plain Rust
//! from the CSV text. On the seeded sample in CI; on any project with
//! `RAPPORT_PROJET=DIR cargo test --test chemin_rapide -- --ignored`
//! (for instance one made by `examples/generer.rs` with a million rows).

mod commun;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rapport::figures::{self, Valeur};
use rapport::fr::normalise;
use rapport::model::{Filtre, Indicateur, Mesure, Modele, Periode};

/// One export, as plain rows of normalised header → cell.
struct Table {
    lignes: Vec<HashMap<String, String>>,
}

fn lire(projet: &Path, fichier: &str) -> Table {
    let mut lignes = Vec::new();
    let donnees = projet.join("donnees");
    let radical = fichier.trim_end_matches(".csv");
    let mut chemins: Vec<_> = std::fs::read_dir(&donnees)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let nom = p.file_name().unwrap().to_str().unwrap();
            nom == fichier || (nom.starts_with(&format!("{radical}-")) && nom.ends_with(".csv"))
        })
        .collect();
    chemins.sort();
    for chemin in chemins {
        let mut lecteur = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_path(&chemin)
            .unwrap();
        let entetes: Vec<String> = lecteur.headers().unwrap().iter().map(normalise).collect();
        for r in lecteur.records() {
            let r = r.unwrap();
            lignes.push(
                entetes
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.clone(), v.trim().to_string()))
                    .collect(),
            );
        }
    }
    Table { lignes }
}

/// `JJ/MM/AAAA` → (year, day number) comparable within the sample's range.
fn date(t: &str) -> Option<(i32, i32)> {
    let mut it = t.split('/');
    let (j, m, a): (i32, i32, i32) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    Some((a, a * 10_000 + m * 100 + j))
}

fn garde(ligne: &HashMap<String, String>, colonne: &str, f: &Filtre) -> bool {
    let cellule = ligne
        .get(&normalise(colonne))
        .map(|c| normalise(c))
        .unwrap_or_default();
    match f {
        Filtre::Egal(v) => cellule == normalise(v),
        Filtre::UnDe(vs) => vs.iter().any(|v| cellule == normalise(v)),
        Filtre::Contient { contient } => ligne
            .get(&normalise(colonne))
            .is_some_and(|c| c.split('|').any(|x| normalise(x) == normalise(contient))),
    }
}

fn dans_l_annee(ligne: &HashMap<String, String>, p: Periode, an: i32) -> bool {
    let jour = |c: &str| ligne.get(c).and_then(|t| date(t));
    match p {
        Periode::Evenement => jour("date").is_some_and(|(a, _)| a == an),
        Periode::Ouverture => jour("ouverture").is_some_and(|(a, _)| a == an),
        Periode::Actif => {
            jour("ouverture").is_some_and(|(_, d)| d <= an * 10_000 + 1231)
                && jour("cloture").is_none_or(|(_, d)| d >= an * 10_000 + 101)
        }
        Periode::Annee => ligne.get("annee").is_some_and(|a| a == &an.to_string()),
    }
}

fn nombre(t: &str) -> f64 {
    t.replace([' ', '\u{A0}'], "")
        .replace(',', ".")
        .parse()
        .unwrap_or(0.0)
}

/// Whether the row is dated before year `an` by its period's date.
fn avant_l_annee(ligne: &HashMap<String, String>, p: Periode, an: i32) -> bool {
    let c = match p {
        Periode::Evenement => "date",
        _ => "ouverture",
    };
    ligne
        .get(c)
        .and_then(|t| date(t))
        .is_some_and(|(a, _)| a < an)
}

/// The figure of `ind` over the rows kept by `garder`, as the README defines
/// it; `deja_vues`: the people of the rows its filters keep before the year.
fn recompter(
    ind: &Indicateur,
    lignes: &[&HashMap<String, String>],
    deja_vues: &BTreeSet<&String>,
) -> Valeur {
    match ind.mesure {
        Mesure::Lignes => Valeur::Nombre(lignes.len() as f64),
        Mesure::Somme => {
            let c = normalise(ind.colonne_somme());
            Valeur::Nombre(
                lignes
                    .iter()
                    .map(|l| match l.get(&c).map(String::as_str) {
                        Some("") | None if c == "quantite" => 1.0,
                        Some(t) => nombre(t),
                        None => 0.0,
                    })
                    .sum(),
            )
        }
        Mesure::Personnes => Valeur::Nombre(
            lignes
                .iter()
                .filter_map(|l| l.get("personne").filter(|p| !p.is_empty()))
                .collect::<BTreeSet<_>>()
                .len() as f64,
        ),
        Mesure::NouvellesPersonnes => Valeur::Nombre(
            lignes
                .iter()
                .filter_map(|l| l.get("personne").filter(|p| !p.is_empty()))
                .filter(|p| !deja_vues.contains(p))
                .collect::<BTreeSet<_>>()
                .len() as f64,
        ),
        Mesure::Part => Valeur::Part {
            num: lignes
                .iter()
                .filter(|l| ind.condition.iter().all(|(c, f)| garde(l, c, f)))
                .count() as f64,
            den: lignes.len() as f64,
        },
    }
}

fn comparer(projet: &Path, annees: &[i32]) {
    let (modele, exports) =
        rapport::projet::lire_projet(projet, &rapport::suivi::Suivi::default()).unwrap();
    let figures =
        figures::calculer(&modele, &exports, annees, &rapport::suivi::Suivi::default()).unwrap();
    let tables: HashMap<&str, Table> = ["activites.csv", "suivis.csv", "indicateurs.csv"]
        .into_iter()
        .map(|f| (f, lire(projet, f)))
        .collect();
    let mut verifiees = 0;
    for (id, ind, ventilation) in modele.figures_demandees() {
        let table = &tables[ind.source.fichier()];
        for &an in annees {
            let chiffre = figures.chiffre(&id, an);
            if chiffre.total == Valeur::Nd {
                continue;
            }
            let gardees: Vec<&HashMap<String, String>> = table
                .lignes
                .iter()
                .filter(|l| ind.filtres.iter().all(|(c, f)| garde(l, c, f)))
                .filter(|l| dans_l_annee(l, ind.periode(), an))
                .collect();
            let deja_vues: BTreeSet<&String> = table
                .lignes
                .iter()
                .filter(|l| ind.filtres.iter().all(|(c, f)| garde(l, c, f)))
                .filter(|l| avant_l_annee(l, ind.periode(), an))
                .filter_map(|l| l.get("personne").filter(|p| !p.is_empty()))
                .collect();
            assert_eq!(
                chiffre.total,
                recompter(ind, &gardees, &deja_vues),
                "{id} en {an}"
            );
            verifiees += 1;
            if let Some(v) = ventilation.map(|v| &modele.ventilations[v]) {
                for (g, valeur) in v.groupes.iter().zip(&chiffre.groupes) {
                    let f = Filtre::UnDe(g.valeurs.clone());
                    let du_groupe: Vec<_> = gardees
                        .iter()
                        .copied()
                        .filter(|l| garde(l, &v.colonne, &f))
                        .collect();
                    assert_eq!(
                        *valeur,
                        recompter(ind, &du_groupe, &deja_vues),
                        "{id} en {an}, groupe {}",
                        g.libelle
                    );
                    verifiees += 1;
                }
            }
        }
    }
    assert!(verifiees > 100, "{verifiees} chiffres seulement");
    let _: &Modele = &modele;
}

#[test]
fn every_figure_of_the_sample_equals_a_row_by_row_recount() {
    comparer(&commun::echantillon(), &[2011, 2012, 2013]);
}

#[test]
#[ignore = "long : donner RAPPORT_PROJET=DOSSIER (un projet de examples/generer.rs)"]
fn every_figure_of_a_large_generated_project_equals_a_row_by_row_recount() {
    let projet = std::env::var("RAPPORT_PROJET").expect("RAPPORT_PROJET=DOSSIER");
    let annees: Vec<i32> = std::env::var("RAPPORT_ANNEES")
        .unwrap_or_else(|_| "2011..2013".into())
        .split_once("..")
        .map(|(a, b)| (a.parse().unwrap()..=b.parse().unwrap()).collect())
        .unwrap();
    comparer(Path::new(&projet), &annees);
}
