//! The statistical secret attacked from outside: generated projects (linked
//! breakdowns, nested indicators, overlapping funder groupings, shares, rows
//! in no group, small cells side by side, k from 3 to 10) are built with the
//! real binary (`build`, `extract --tous`, `compare`); every number the CSV
//! and XLSX outputs publish is read back; an attacker written here, knowing
//! only those numbers, the marks and the rules (zeros are shown, `< k` is 1
//! to k−1, `s` is not small), searches whole non-negative row counts that
//! agree with all of them. For every small count of people, each value from
//! 1 to k−1 must stay possible.

mod commun;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use commun::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ANNEES: [i32; 2] = [2012, 2013];
const ACTIONS: [&str; 2] = ["entretien", "depistage"];
const PUBLICS: [Option<&str>; 4] = [Some("femme"), Some("trans"), Some("homme"), None];

/// The breakdowns the scenarios draw from: group labels are unique across
/// them, so that a label read in an output names its rows.
/// A breakdown: its name, and its groups (label, values of `public`).
type Ventilation = (&'static str, Vec<(&'static str, Vec<&'static str>)>);

fn ventilations() -> Vec<Ventilation> {
    vec![
        (
            "public",
            vec![
                ("Femmes", vec!["femme"]),
                ("Trans", vec!["trans"]),
                ("Hommes", vec!["homme"]),
            ],
        ),
        (
            "ft_h",
            vec![
                ("Femmes et trans", vec!["femme", "trans"]),
                ("Hommes seuls", vec!["homme"]),
            ],
        ),
        ("seule", vec![("Femmes seules", vec!["femme"])]),
        (
            "partiel",
            vec![("Femmes ou hommes", vec!["femme", "homme"])],
        ),
        (
            "dont",
            vec![
                ("Femmes (dont trans)", vec!["femme", "trans"]),
                ("dont trans", vec!["trans"]),
            ],
        ),
    ]
}

/// A kind of row: what every predicate of the scenarios looks at. The
/// attacker's unknowns are the number of rows of each kind, per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Genre {
    action: usize,
    public: usize,
    sante: bool,
}

fn genres() -> Vec<Genre> {
    let mut g = Vec::new();
    for action in 0..ACTIONS.len() {
        for public in 0..PUBLICS.len() {
            for sante in [false, true] {
                g.push(Genre {
                    action,
                    public,
                    sante,
                });
            }
        }
    }
    g
}

#[derive(Debug, Clone)]
struct Indicateur {
    id: String,
    action: usize,
    /// Filter `themes contient sante` (a subset of the same action's rows).
    sante: bool,
    /// `lignes`, `personnes` or `part` (condition: `themes contient sante`).
    mesure: &'static str,
    ventilation: Option<&'static str>,
}

impl Indicateur {
    fn garde(&self, g: &Genre) -> bool {
        g.action == self.action && (!self.sante || g.sante)
    }
}

struct Scenario {
    k: u32,
    /// A funder's stricter threshold, if any.
    seuil_financeur: Option<u32>,
    indicateurs: Vec<Indicateur>,
    /// Funder lines: indicator, label, breakdown.
    financeur: Vec<(String, String, Option<&'static str>)>,
    /// Rows: year, kind.
    lignes: Vec<(i32, Genre)>,
}

fn scenario(graine: u64) -> Scenario {
    let mut alea = ChaCha8Rng::seed_from_u64(graine);
    let k = alea.random_range(3..=10);
    let ventils: Vec<&'static str> = ventilations().iter().map(|v| v.0).collect();
    let choisir = |alea: &mut ChaCha8Rng| -> Option<&'static str> {
        if alea.random_bool(0.15) {
            None
        } else {
            Some(ventils[alea.random_range(0..ventils.len())])
        }
    };
    let mut indicateurs = vec![
        Indicateur {
            id: "entretiens".into(),
            action: 0,
            sante: false,
            mesure: "lignes",
            ventilation: Some("public"),
        },
        Indicateur {
            id: "entretiens_sante".into(),
            action: 0,
            sante: true,
            mesure: "lignes",
            ventilation: choisir(&mut alea),
        },
        Indicateur {
            id: "part_sante".into(),
            action: 0,
            sante: false,
            mesure: "part",
            ventilation: choisir(&mut alea),
        },
        Indicateur {
            id: "depistages".into(),
            action: 1,
            sante: false,
            mesure: "lignes",
            ventilation: choisir(&mut alea),
        },
        Indicateur {
            id: "personnes_depistees".into(),
            action: 1,
            sante: false,
            mesure: "personnes",
            ventilation: choisir(&mut alea),
        },
    ];
    // A second breakdown of the same rows, now and then.
    if alea.random_bool(0.5) {
        indicateurs.push(Indicateur {
            id: "entretiens_bis".into(),
            action: 0,
            sante: false,
            mesure: "lignes",
            ventilation: choisir(&mut alea),
        });
    }
    let mut financeur = Vec::new();
    for (n, i) in indicateurs.iter().enumerate() {
        if alea.random_bool(0.6) {
            financeur.push((
                i.id.clone(),
                format!("Ligne {n} du financeur"),
                choisir(&mut alea),
            ));
        }
    }
    let seuil_financeur = alea.random_bool(0.25).then(|| k + alea.random_range(1..=3));
    // Rows: some publics rare, some rows without a public.
    let mut lignes = Vec::new();
    for &annee in &ANNEES {
        let n = alea.random_range(12..45);
        let poids: Vec<f64> = (0..PUBLICS.len())
            .map(|p| {
                if p == 3 {
                    alea.random_range(0.0..0.15)
                } else {
                    alea.random_range(0.02..1.0)
                }
            })
            .collect();
        let somme: f64 = poids.iter().sum();
        let p_sante = alea.random_range(0.1..0.7);
        for _ in 0..n {
            let mut x = alea.random_range(0.0..somme);
            let mut public = 0;
            while public < 3 && x >= poids[public] {
                x -= poids[public];
                public += 1;
            }
            lignes.push((
                annee,
                Genre {
                    action: usize::from(alea.random_bool(0.4)),
                    public,
                    sante: alea.random_bool(p_sante),
                },
            ));
        }
    }
    Scenario {
        k,
        seuil_financeur,
        indicateurs,
        financeur,
        lignes,
    }
}

/// The project files of a scenario.
fn ecrire(s: &Scenario, dossier: &Path) {
    let mut t = String::from(
        "[association]\nnom = \"Essai\"\nville = \"Toulouse\"\n\n[rapport]\ntitre = \"Rapport d'activité\"\n\n",
    );
    for (id, groupes) in ventilations() {
        t.push_str(&format!(
            "[ventilations.{id}]\ncolonne = \"public\"\ngroupes = [\n"
        ));
        for (l, v) in groupes {
            let v: Vec<String> = v.iter().map(|x| format!("\"{x}\"")).collect();
            t.push_str(&format!(
                "  {{ libelle = \"{l}\", valeurs = [{}] }},\n",
                v.join(", ")
            ));
        }
        t.push_str("]\n\n");
    }
    for i in &s.indicateurs {
        let filtre = if i.sante {
            format!(
                "{{ action = \"{}\", themes = {{ contient = \"sante\" }} }}",
                ACTIONS[i.action]
            )
        } else {
            format!("{{ action = \"{}\" }}", ACTIONS[i.action])
        };
        t.push_str(&format!(
            "[indicateurs.{}]\nlibelle = \"{}\"\nsource = \"activites\"\nfiltres = {filtre}\nmesure = \"{}\"\n",
            i.id, i.id, i.mesure
        ));
        if i.mesure == "part" {
            t.push_str("condition = { themes = { contient = \"sante\" } }\n");
        }
        if i.mesure != "personnes" {
            t.push_str("confidentiel = true\n");
        }
        if let Some(v) = i.ventilation {
            t.push_str(&format!("ventilation = \"{v}\"\n"));
        }
        t.push('\n');
    }
    let tous: Vec<String> = s
        .indicateurs
        .iter()
        .map(|i| format!("\"{}\"", i.id))
        .collect();
    // An annual table: the report's year and, by default, the one before.
    t.push_str(&format!(
        "[tableaux.annees]\ntitre = \"Par année\"\nlignes = [{}]\n\n",
        tous.join(", ")
    ));
    let mut elements = vec!["{ tableau = \"annees\" }".to_string()];
    // Overlapping groups cannot be a table's columns: those show in the
    // comparison and the extracts only.
    for (v, _) in ventilations().into_iter().filter(|(v, _)| *v != "dont") {
        let lignes: Vec<String> = s
            .indicateurs
            .iter()
            .filter(|i| i.ventilation == Some(v))
            .map(|i| format!("\"{}\"", i.id))
            .collect();
        if lignes.is_empty() {
            continue;
        }
        t.push_str(&format!(
            "[tableaux.par_{v}]\ntitre = \"Par {v}\"\ncolonnes = \"{v}\"\ntotal = true\nlignes = [{}]\n\n",
            lignes.join(", ")
        ));
        elements.push(format!("{{ tableau = \"par_{v}\" }}"));
    }
    t.push_str(&format!(
        "[[sections]]\ntitre = \"Chiffres\"\nelements = [{}]\n\n[confidentialite]\nseuil = {}\n\n",
        elements.join(", "),
        s.k
    ));
    t.push_str("[financeurs.fondation]\nnom = \"Fondation\"\nformats = [\"csv\", \"xlsx\"]\n");
    if let Some(f) = s.seuil_financeur {
        t.push_str(&format!("seuil = {f}\n"));
    }
    if !s.financeur.is_empty() {
        t.push_str(
            "\n[[financeurs.fondation.tableaux]]\ntitre = \"Chiffres du financeur\"\nlignes = [\n",
        );
        for (id, libelle, v) in &s.financeur {
            match v {
                Some(v) => t.push_str(&format!(
                    "  {{ indicateur = \"{id}\", libelle = \"{libelle}\", ventilation = \"{v}\" }},\n"
                )),
                None => t.push_str(&format!(
                    "  {{ indicateur = \"{id}\", libelle = \"{libelle}\" }},\n"
                )),
            }
        }
        t.push_str("]\n");
    }
    std::fs::create_dir_all(dossier.join("donnees")).unwrap();
    std::fs::write(dossier.join("rapport.toml"), t).unwrap();
    let mut csv =
        String::from("date;action;programme;public;personne;themes;quantite;categorie;montant\n");
    for (n, (annee, g)) in s.lignes.iter().enumerate() {
        csv.push_str(&format!(
            "{:02}/{:02}/{annee};{};net;{};TLS-{};{};;;\n",
            n % 28 + 1,
            n % 12 + 1,
            ACTIONS[g.action],
            PUBLICS[g.public].unwrap_or(""),
            1000 + n,
            if g.sante { "sante" } else { "" }
        ));
    }
    std::fs::write(dossier.join("donnees/activites.csv"), csv).unwrap();
}

/// What an output shows of a cell.
#[derive(Debug, Clone, PartialEq)]
enum Vu {
    Nombre(f64),
    /// A share: its percentage, and its numerator and denominator when printed.
    Part {
        pct: f64,
        num: Option<f64>,
        den: Option<f64>,
    },
    /// `< k`.
    Petit,
    /// `s`.
    Protege,
}

/// A cell: indicator, group label (`Total` for the total), year.
type Cle = (String, String, i32);

fn nombre(t: &str) -> Option<f64> {
    let t: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\u{A0}')
        .collect();
    t.replace(',', ".").parse().ok()
}

fn marque(t: &str) -> Option<Vu> {
    let t = t.trim();
    if t.starts_with('<') {
        Some(Vu::Petit)
    } else if t == "s" {
        Some(Vu::Protege)
    } else {
        None
    }
}

/// Every cell published by the outputs of `sortie`, with where it was read.
fn publies(s: &Scenario, sortie: &Path) -> Vec<(Cle, Vu, String)> {
    let parts: BTreeSet<&str> = s
        .indicateurs
        .iter()
        .filter(|i| i.mesure == "part")
        .map(|i| i.id.as_str())
        .collect();
    let mut vus = Vec::new();
    for entree in std::fs::read_dir(sortie.join("tableaux")).unwrap() {
        let chemin = entree.unwrap().path();
        for l in lire_csv(&chemin) {
            let annee: i32 = l["annee"].parse().unwrap();
            let groupe = if l["colonne"].parse::<i32>().is_ok() {
                "Total".to_string()
            } else {
                l["colonne"].clone()
            };
            let vu = if l["valeur"].is_empty() && l["denominateur"] == "0" {
                // A share of no rows: 0 of 0, printed « — ».
                Vu::Part {
                    pct: 0.0,
                    num: Some(0.0),
                    den: Some(0.0),
                }
            } else if l["valeur"].is_empty() {
                assert!(
                    l["numerateur"].is_empty() && l["denominateur"].is_empty(),
                    "{l:?}"
                );
                if l["note"].contains("protéger") {
                    Vu::Protege
                } else if l["note"].contains("petit effectif") {
                    Vu::Petit
                } else {
                    continue;
                }
            } else if parts.contains(l["indicateur"].as_str()) {
                Vu::Part {
                    pct: nombre(&l["valeur"]).unwrap(),
                    num: nombre(&l["numerateur"]),
                    den: nombre(&l["denominateur"]),
                }
            } else {
                Vu::Nombre(nombre(&l["valeur"]).unwrap())
            };
            vus.push((
                (l["indicateur"].clone(), groupe, annee),
                vu,
                chemin.display().to_string(),
            ));
        }
    }
    let par_annees = |chemin: &Path, vus: &mut Vec<(Cle, Vu, String)>| {
        for l in lire_csv(chemin) {
            let groupe = if l["groupe"].is_empty() {
                "Total".to_string()
            } else {
                l["groupe"].clone()
            };
            for a in ANNEES {
                let t = &l[&format!("valeur_{a}")];
                let vu = match marque(t) {
                    Some(m) => m,
                    None => match nombre(t) {
                        Some(x) if parts.contains(l["indicateur"].as_str()) => Vu::Part {
                            pct: x,
                            num: None,
                            den: None,
                        },
                        Some(x) => Vu::Nombre(x),
                        None => continue,
                    },
                };
                vus.push((
                    (l["indicateur"].clone(), groupe.clone(), a),
                    vu,
                    chemin.display().to_string(),
                ));
            }
        }
    };
    par_annees(&sortie.join("comparaison-2012-2013.csv"), &mut vus);
    let extrait = sortie.join("extraits/fondation-2013.csv");
    if extrait.exists() {
        par_annees(&extrait, &mut vus);
        // The workbook: the same cells, read with calamine.
        let libelles: HashMap<&str, &str> = s
            .financeur
            .iter()
            .map(|(id, l, _)| (l.as_str(), id.as_str()))
            .collect();
        let mut classeur: Xlsx<_> =
            open_workbook(sortie.join("extraits/fondation-2013.xlsx")).unwrap();
        for feuille in classeur.sheet_names() {
            if feuille == "Notes" {
                continue;
            }
            let plage = classeur.worksheet_range(&feuille).unwrap();
            for r in plage.rows().skip(1) {
                let id = libelles[r[0].to_string().as_str()];
                let groupe = r[1].to_string();
                for (j, a) in ANNEES.iter().enumerate() {
                    let vu = match &r[2 + j] {
                        Data::Float(x) if parts.contains(id) => Vu::Part {
                            pct: *x,
                            num: None,
                            den: None,
                        },
                        Data::Float(x) => Vu::Nombre(*x),
                        Data::Int(x) => Vu::Nombre(*x as f64),
                        Data::String(t) => match marque(t) {
                            Some(m) => m,
                            None => continue,
                        },
                        _ => continue,
                    };
                    vus.push(((id.to_string(), groupe.clone(), *a), vu, "classeur".into()));
                }
            }
        }
    }
    vus
}

/// The kinds of rows a cell adds up.
fn genres_de(s: &Scenario, ind: &Indicateur, groupe: &str) -> Vec<Genre> {
    let valeurs: Option<Vec<&str>> = (groupe != "Total").then(|| {
        ventilations()
            .into_iter()
            .flat_map(|(_, g)| g)
            .find(|(l, _)| *l == groupe)
            .unwrap_or_else(|| panic!("groupe inconnu « {groupe} »"))
            .1
    });
    let _ = s;
    genres()
        .into_iter()
        .filter(|g| ind.garde(g))
        .filter(|g| match &valeurs {
            None => true,
            Some(v) => PUBLICS[g.public].is_some_and(|p| v.contains(&p)),
        })
        .collect()
}

/// A linear constraint on the row counts of some kinds.
#[derive(Debug, Clone)]
struct Contrainte {
    genres: Vec<usize>,
    bas: i64,
    haut: i64,
}

/// A share printed without its numerator and denominator.
#[derive(Debug, Clone)]
struct Pourcentage {
    num: Vec<usize>,
    den: Vec<usize>,
    pct: f64,
}

/// The attacker of one year: the constraints the published cells give.
struct Attaquant {
    n: usize,
    contraintes: Vec<Contrainte>,
    pourcentages: Vec<Pourcentage>,
}

impl Attaquant {
    /// Whether whole non-negative counts satisfy everything, with the extra
    /// constraint `en_plus`: an integer programme (a share printed as a
    /// percentage rounded to 0.1 is two linear inequalities), its answer
    /// checked exactly.
    fn possible(&self, en_plus: &Contrainte) -> bool {
        use microlp::{ComparisonOp, OptimizationDirection, Problem};
        let mut c = self.contraintes.clone();
        c.push(en_plus.clone());
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let x: Vec<_> = (0..self.n)
            .map(|_| p.add_integer_var(0.0, (0, 10_000)))
            .collect();
        let somme = |g: &[usize], f: f64| -> Vec<(microlp::Variable, f64)> {
            g.iter().map(|&i| (x[i], f)).collect()
        };
        for k in &c {
            p.add_constraint(
                somme(&k.genres, 1.0).as_slice(),
                ComparisonOp::Ge,
                k.bas as f64,
            );
            if k.haut < 1_000_000 {
                p.add_constraint(
                    somme(&k.genres, 1.0).as_slice(),
                    ComparisonOp::Le,
                    k.haut as f64,
                );
            }
        }
        for q in &self.pourcentages {
            // 1000·num ≥ (10·pct − 0.5)·den and 1000·num ≤ (10·pct + 0.5)·den, den ≥ 1.
            // The numerator's rows are among the denominator's: one coefficient a variable.
            let melange = |f: f64| -> Vec<(microlp::Variable, f64)> {
                let mut c: BTreeMap<usize, f64> = BTreeMap::new();
                for &i in &q.num {
                    *c.entry(i).or_default() += 1000.0;
                }
                for &i in &q.den {
                    *c.entry(i).or_default() -= f;
                }
                c.into_iter()
                    .filter(|(_, a)| *a != 0.0)
                    .map(|(i, a)| (x[i], a))
                    .collect()
            };
            p.add_constraint(
                melange(10.0 * q.pct - 0.5).as_slice(),
                ComparisonOp::Ge,
                0.0,
            );
            p.add_constraint(
                melange(10.0 * q.pct + 0.5).as_slice(),
                ComparisonOp::Le,
                0.0,
            );
            p.add_constraint(somme(&q.den, 1.0).as_slice(), ComparisonOp::Ge, 1.0);
        }
        let issue = match p.solve() {
            Ok(issue) => issue,
            Err(microlp::Error::Infeasible) => return false,
            Err(e) => panic!("le solveur de l'attaquant échoue : {e:?}"),
        };
        let Some(solution) = issue.solution() else {
            panic!("le solveur de l'attaquant n'a pas conclu");
        };
        let v: Vec<i64> = x
            .iter()
            .map(|&i| solution.var_value(i).round() as i64)
            .collect();
        let total = |g: &[usize]| g.iter().map(|&i| v[i]).sum::<i64>();
        let juste = c
            .iter()
            .all(|k| (k.bas..=k.haut).contains(&total(&k.genres)))
            && self.pourcentages.iter().all(|q| {
                let (n, d) = (total(&q.num), total(&q.den));
                d > 0 && ((1000.0 * n as f64 / d as f64).round() / 10.0 - q.pct).abs() < 1e-6
            });
        assert!(
            juste,
            "la solution du solveur de l'attaquant ne vérifie pas ses contraintes"
        );
        true
    }
}

fn attaquer(graine: u64) {
    let s = scenario(graine);
    let dir = tempfile::tempdir().unwrap();
    // RAPPORT_GARDER=1 keeps the scenario's project and outputs, to look at a failure.
    let dir_path = if std::env::var_os("RAPPORT_GARDER").is_some() {
        dir.keep()
    } else {
        dir.path().to_path_buf()
    };
    let (projet, sortie) = (dir_path.join("projet"), dir_path.join("sortie"));
    ecrire(&s, &projet);
    eprintln!("scénario {graine} : {}", dir_path.display());
    let p = projet.to_str().unwrap();
    let o = sortie.to_str().unwrap();
    for args in [
        vec!["build", "2013", "--format", "html"],
        vec!["extract", "--tous", "2013"],
        vec!["compare", "2012", "2013"],
    ] {
        if args[0] == "extract" && s.financeur.is_empty() {
            continue;
        }
        let mut a = args.clone();
        a.extend(["--projet", p, "--sortie", o, "--quiet"]);
        let sortie_cmd = rapport(&a);
        assert!(
            sortie_cmd.status.success(),
            "scénario {graine}, {args:?} : {}",
            String::from_utf8_lossy(&sortie_cmd.stderr)
        );
    }
    let vus = publies(&s, &sortie);
    assert!(!vus.is_empty());
    let ind = |id: &str| s.indicateurs.iter().find(|i| i.id == id).unwrap();
    // A funder's threshold holds for every count of people sharing rows
    // with its figures: same export, people or rows.
    let personnes = |id: &str| ind(id).mesure == "personnes";
    let k_de = |id: &str| -> u32 {
        let financeur = s
            .financeur
            .iter()
            .any(|(i, _, _)| personnes(i) == personnes(id));
        match (financeur, s.seuil_financeur) {
            (true, Some(f)) => f.max(s.k),
            _ => s.k,
        }
    };
    // One cell, one pattern: every output shows it the same way.
    let mut par_cle: BTreeMap<Cle, (Vu, String)> = BTreeMap::new();
    for (cle, vu, ou) in &vus {
        match par_cle.get(cle) {
            Some((autre, ou2)) => {
                let caché = |v: &Vu| matches!(v, Vu::Petit | Vu::Protege);
                assert_eq!(
                    caché(autre),
                    caché(vu),
                    "scénario {graine} : {cle:?} est {autre:?} dans {ou2} et {vu:?} dans {ou}"
                );
            }
            None => {
                par_cle.insert(cle.clone(), (vu.clone(), ou.clone()));
            }
        }
        // Shares printed with their parts: keep the richest reading.
        if let Vu::Part { num: Some(_), .. } = vu {
            par_cle.insert(cle.clone(), (vu.clone(), ou.clone()));
        }
    }
    let tous = genres();
    // Distinct people are counted apart from rows: the attacker does not
    // know that each person here has one row. Their unknowns are a second
    // block, one per kind of row.
    let bloc = |i: &Indicateur| {
        if i.mesure == "personnes" {
            tous.len()
        } else {
            0
        }
    };
    let indice_de = |g: &Genre, i: &Indicateur| tous.iter().position(|x| x == g).unwrap() + bloc(i);
    for &annee in &ANNEES {
        let vrai = |gs: &[Genre], sante: bool| -> i64 {
            s.lignes
                .iter()
                .filter(|(a, g)| *a == annee && gs.contains(g) && (!sante || g.sante))
                .count() as i64
        };
        let mut att = Attaquant {
            n: 2 * tous.len(),
            contraintes: Vec::new(),
            pourcentages: Vec::new(),
        };
        // The widest protection any pattern could give: every non-zero
        // figure hidden (a figure of people then reads `s`, at least k; a
        // share says nothing), only the zeros and the small counts' marks
        // left. No pattern leaves a small count more values than this one.
        let mut att_large = Attaquant {
            n: 2 * tous.len(),
            contraintes: Vec::new(),
            pourcentages: Vec::new(),
        };
        // The widest protection is measured as the rule measures it: granted
        // which kinds of rows occur at all, which is more than is published
        // (see the README). The attacker of what is published is not.
        for (n, g) in tous.iter().enumerate() {
            if vrai(&[*g], false) == 0 {
                for x in [n, n + tous.len()] {
                    att_large.contraintes.push(Contrainte {
                        genres: vec![x],
                        bas: 0,
                        haut: 0,
                    });
                }
            }
        }
        for ((id, groupe, a), (vu, _)) in &par_cle {
            if *a != annee {
                continue;
            }
            let i = ind(id);
            let gs = genres_de(&s, i, groupe);
            let den: Vec<usize> = gs.iter().map(|g| indice_de(g, i)).collect();
            let num: Vec<usize> = gs
                .iter()
                .filter(|g| g.sante)
                .map(|g| indice_de(g, i))
                .collect();
            let k = k_de(id) as i64;
            let mut egal = |genres: Vec<usize>, v: f64| {
                att.contraintes.push(Contrainte {
                    genres,
                    bas: v as i64,
                    haut: v as i64,
                })
            };
            let large = match (vu, i.mesure) {
                (Vu::Nombre(v), _) if *v == 0.0 => Some((den.clone(), 0, 0)),
                (Vu::Part { .. }, _) if vrai(&gs, true) == 0 => Some((num.clone(), 0, 0)),
                (Vu::Part { .. }, _) | (_, "part") => None,
                (Vu::Petit, _) => Some((den.clone(), 1, k - 1)),
                (Vu::Protege, _) if vrai(&gs, false) < k => Some((den.clone(), 1, i64::MAX / 4)),
                _ => Some((den.clone(), k, i64::MAX / 4)),
            };
            if let Some((genres, bas, haut)) = large {
                att_large.contraintes.push(Contrainte { genres, bas, haut });
            }
            match (vu, i.mesure) {
                (Vu::Nombre(v), _) => egal(den, *v),
                (
                    Vu::Part {
                        num: Some(n),
                        den: Some(d),
                        ..
                    },
                    _,
                ) => {
                    egal(num, *n);
                    egal(den, *d);
                }
                (Vu::Part { pct, .. }, _) => att.pourcentages.push(Pourcentage {
                    num,
                    den,
                    pct: *pct,
                }),
                (Vu::Petit, m) if m != "part" => att.contraintes.push(Contrainte {
                    genres: den,
                    bas: 1,
                    haut: k - 1,
                }),
                // `s` is not small, but for a small total freed of its
                // mark: this attacker is told which ones.
                (Vu::Protege, m) if m != "part" => att.contraintes.push(Contrainte {
                    bas: if vrai(&gs, false) >= k { k } else { 1 },
                    genres: den,
                    haut: i64::MAX / 4,
                }),
                _ => {}
            }
        }
        // The small counts of people, as the rule defines them, computed
        // here from the rows: every cell any output shows, the numerator and
        // the rest of a share, the rows of a total in no group.
        let mut cibles: Vec<(String, Vec<usize>, i64, u32, bool)> = Vec::new();
        for i in &s.indicateurs {
            let mut groupes: Vec<String> = vec!["Total".into()];
            let mut ventils: Vec<&str> = i.ventilation.into_iter().collect();
            ventils.extend(
                s.financeur
                    .iter()
                    .filter(|(id, _, _)| *id == i.id)
                    .filter_map(|(_, _, v)| *v),
            );
            for (v, gs) in ventilations() {
                if ventils.contains(&v) {
                    groupes.extend(gs.iter().map(|(l, _)| l.to_string()));
                    // The rows in no group of this breakdown.
                    let dans: BTreeSet<Genre> =
                        gs.iter().flat_map(|(l, _)| genres_de(&s, i, l)).collect();
                    let hors: Vec<Genre> = genres_de(&s, i, "Total")
                        .into_iter()
                        .filter(|g| !dans.contains(g))
                        .collect();
                    if i.mesure != "part" {
                        cibles.push((
                            format!("{} hors de {v}", i.id),
                            hors.iter().map(|g| indice_de(g, i)).collect(),
                            vrai(&hors, false),
                            k_de(&i.id),
                            false,
                        ));
                    }
                }
            }
            for g in groupes {
                let gs = genres_de(&s, i, &g);
                let cle = (i.id.clone(), g.clone(), annee);
                let den = vrai(&gs, false);
                let mut comptes = vec![(
                    format!("{cle:?}"),
                    gs.iter().map(|g| indice_de(g, i)).collect::<Vec<_>>(),
                    den,
                )];
                if i.mesure == "part" {
                    let num: Vec<Genre> = gs.iter().copied().filter(|g| g.sante).collect();
                    let reste: Vec<Genre> = gs.iter().copied().filter(|g| !g.sante).collect();
                    comptes.push((
                        format!("numérateur de {cle:?}"),
                        num.iter().map(|g| indice_de(g, i)).collect(),
                        vrai(&num, false),
                    ));
                    comptes.push((
                        format!("reste de {cle:?}"),
                        reste.iter().map(|g| indice_de(g, i)).collect(),
                        vrai(&reste, false),
                    ));
                }
                let cellule = i.mesure != "part";
                for (nom, genres, v) in comptes {
                    cibles.push((nom, genres, v, k_de(&i.id), cellule));
                }
                if let Some((Vu::Nombre(x), ou)) = par_cle.get(&cle) {
                    let k = k_de(&i.id) as f64;
                    assert!(
                        *x == 0.0 || *x >= k,
                        "scénario {graine} : {cle:?} = {x} publié dans {ou} (k = {k})"
                    );
                }
            }
        }
        // A cell read `s` is not computable either: hiding it must not be
        // in vain (its value would be read all the same).
        for ((id, groupe, a), (vu, ou)) in &par_cle {
            let i = ind(id);
            if *a != annee || *vu != Vu::Protege || i.mesure == "part" {
                continue;
            }
            let gs = genres_de(&s, i, groupe);
            let v = vrai(&gs, false);
            let genres: Vec<usize> = gs.iter().map(|g| indice_de(g, i)).collect();
            let autre = |bas: i64, haut: i64| {
                att.possible(&Contrainte {
                    genres: genres.clone(),
                    bas,
                    haut,
                })
            };
            assert!(
                autre(v + 1, i64::MAX / 4) || (v > 0 && autre(0, v - 1)),
                "scénario {graine}, {annee} : {id} « {groupe} » = {v}, lu « s » dans {ou}, se déduit des chiffres publiés"
            );
        }
        for (nom, genres, v, k, cellule) in cibles {
            if v < 1 || v >= k as i64 {
                continue;
            }
            let possible = |w: i64| {
                att.possible(&Contrainte {
                    genres: genres.clone(),
                    bas: w,
                    haut: w,
                })
            };
            let detail = || {
                format!(
                    "{:?} ; {genres:?}",
                    att.contraintes
                        .iter()
                        .filter(|c| c.genres.iter().any(|g| genres.contains(g)))
                        .collect::<Vec<_>>()
                )
            };
            if cellule {
                // A cell printed `< k`: every value from 1 to k−1 that any
                // choice of hidden cells and marks could leave possible stays
                // possible.
                let large = |w: i64| {
                    att_large.possible(&Contrainte {
                        genres: genres.clone(),
                        bas: w,
                        haut: w,
                    })
                };
                let exclues: Vec<i64> = (1..k as i64).filter(|&w| !possible(w)).collect();
                let perdues: Vec<i64> = exclues.iter().copied().filter(|&w| large(w)).collect();
                assert!(
                    perdues.is_empty(),
                    "scénario {graine} (k = {k}), {annee} : {nom} = {v} ne peut plus valoir {perdues:?}, \
                     qu'un autre choix de cases masquées laisserait possible ({})",
                    detail()
                );
                // What no pattern can give: a cell holding n non-empty small
                // groups is at least n. Only values at the bottom are missing.
                assert!(
                    exclues.iter().zip(1..).all(|(&w, i)| w == i),
                    "scénario {graine} (k = {k}), {annee} : {nom} = {v} ne peut valoir {exclues:?}"
                );
                if std::env::var_os("RAPPORT_INTERVALLES").is_some() {
                    // RAPPORT_INTERVALLES=1 cargo test --test secret -- --nocapture
                    eprintln!(
                        "plage {} : {nom} (k = {k}) {}",
                        if exclues.is_empty() {
                            "entière"
                        } else {
                            "réduite"
                        },
                        if exclues.is_empty() {
                            String::new()
                        } else {
                            format!("sans {exclues:?}")
                        }
                    );
                }
            }
            // Any small count, a cell or derived from cells: never pinned.
            assert!(
                (0..=k as i64).any(|w| w != v && possible(w)),
                "scénario {graine} (k = {k}), {annee} : {nom} = {v} se déduit des chiffres publiés ({})",
                detail()
            );
        }
    }
}

#[test]
fn no_small_count_of_people_can_be_recomputed_from_everything_published() {
    // RAPPORT_GRAINES=N runs N scenarios instead (2 000 take about 5 minutes).
    let n: u64 = std::env::var("RAPPORT_GRAINES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(240);
    for graine in 0..n {
        attaquer(graine);
    }
}

#[test]
fn the_attacker_finds_the_small_count_that_a_lone_mask_beside_its_total_gives_away() {
    // The attacker's own control: the old rule (one small cell and the
    // smallest other masked, per breakdown) is broken by a second breakdown.
    let mut att = Attaquant {
        n: 3,
        contraintes: vec![
            // Total 47 published; femmes 3 (< 5), trans 4 masked too; hommes 40.
            Contrainte {
                genres: vec![0, 1, 2],
                bas: 47,
                haut: 47,
            },
            Contrainte {
                genres: vec![2],
                bas: 40,
                haut: 40,
            },
            Contrainte {
                genres: vec![0],
                bas: 1,
                haut: 4,
            },
            Contrainte {
                genres: vec![1],
                bas: 1,
                haut: 4,
            },
        ],
        pourcentages: Vec::new(),
    };
    // Femmes + trans = 7: femmes can be 3 or 4 or… all of 3..=6 minus bounds.
    assert!(att.possible(&Contrainte {
        genres: vec![0],
        bas: 3,
        haut: 3
    }));
    // A second breakdown publishes « femmes et trans » = 7 and trans alone.
    att.contraintes.push(Contrainte {
        genres: vec![1],
        bas: 4,
        haut: 4,
    });
    for w in 1..5 {
        assert_eq!(
            att.possible(&Contrainte {
                genres: vec![0],
                bas: w,
                haut: w
            }),
            w == 3
        );
    }
}

#[test]
fn the_sample_share_of_four_men_out_of_126_is_hidden_with_its_numerator_and_denominator() {
    let dir = tempfile::tempdir().unwrap();
    lancer_sur(
        &echantillon(),
        dir.path(),
        &["build", "2013", "--format", "html"],
    );
    let net = lire_csv(&dir.path().join("tableaux/net.csv"));
    let cellule = net
        .iter()
        .find(|l| l["indicateur"] == "theme_sante" && l["colonne"] == "Hommes")
        .unwrap();
    assert_eq!(
        (
            cellule["valeur"].as_str(),
            cellule["numerateur"].as_str(),
            cellule["denominateur"].as_str()
        ),
        ("", "", "")
    );
    assert!(cellule["note"].contains("petit effectif"), "{cellule:?}");
    // No published share of people has a small numerator or complement.
    for l in &net {
        if let (Some(n), Some(d)) = (nombre(&l["numerateur"]), nombre(&l["denominateur"])) {
            for c in [n, d - n, d] {
                assert!(c == 0.0 || c >= 5.0, "{l:?}");
            }
        }
    }
}

#[test]
fn a_cell_hidden_to_protect_another_is_marked_s_with_its_own_note_not_as_a_small_count() {
    let dir = tempfile::tempdir().unwrap();
    lancer_sur(
        &echantillon(),
        dir.path(),
        &["build", "2013", "--format", "html"],
    );
    let mut protegees = 0;
    for entree in std::fs::read_dir(dir.path().join("tableaux")).unwrap() {
        for l in lire_csv(&entree.unwrap().path()) {
            if l["note"].contains("protéger") {
                protegees += 1;
                assert_eq!(l["valeur"], "");
                assert!(!l["note"].contains("petit effectif masqué"));
            }
        }
    }
    assert!(protegees > 0, "l'échantillon a des cases protégées");
    let page = std::fs::read_to_string(dir.path().join("rapport-2013.html")).unwrap();
    assert!(
        page.contains("pas forcément petite"),
        "la note de « s » est sur la page"
    );
}

/// A project with one count of people under `reglage` (lines added to the
/// model), built with `build`, `extract` and `compare`.
fn projet_reglable(reglage: &str, financeur: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("donnees")).unwrap();
    std::fs::write(
        p.join("rapport.toml"),
        format!(
            r#"[association]
nom = "Essai"
ville = "Toulouse"

[ventilations.public]
colonne = "public"
groupes = [{{ libelle = "Femmes", valeurs = ["femme"] }}, {{ libelle = "Hommes", valeurs = ["homme"] }}]

[indicateurs.entretiens]
libelle = "Entretiens"
source = "activites"
filtres = {{ action = "entretien" }}
mesure = "personnes"
ventilation = "public"

[tableaux.t]
titre = "Entretiens"
colonnes = "public"
total = true
lignes = ["entretiens"]

[graphiques.g]
titre = "Entretiens"
type = "barres"
indicateurs = ["entretiens"]

[[sections]]
titre = "Chiffres"
elements = [{{ tableau = "t" }}, {{ graphique = "g" }}]

{reglage}

[financeurs.f]
nom = "Fondation"
formats = ["csv", "xlsx"]
{financeur}

[[financeurs.f.tableaux]]
titre = "Entretiens"
lignes = ["entretiens"]
"#
        ),
    )
    .unwrap();
    let mut csv =
        String::from("date;action;programme;public;personne;themes;quantite;categorie;montant\n");
    for n in 0..40 {
        let public = if n < 2 { "homme" } else { "femme" };
        csv.push_str(&format!(
            "0{}/03/2013;entretien;net;{public};TLS-{};;;;\n",
            n % 9 + 1,
            2000 + n
        ));
        csv.push_str(&format!(
            "0{}/03/2012;entretien;net;{public};TLS-{};;;;\n",
            n % 9 + 1,
            3000 + n
        ));
    }
    std::fs::write(p.join("donnees/activites.csv"), csv).unwrap();
    dir
}

#[test]
fn confidentiel_false_on_a_count_of_people_is_refused_with_the_way_to_turn_the_secret_off() {
    let dir = projet_reglable("", "");
    remplacer(
        dir.path(),
        "rapport.toml",
        "mesure = \"personnes\"",
        "mesure = \"personnes\"\nconfidentiel = false",
    );
    let r = rapport(&["build", "2013", "--projet", dir.path().to_str().unwrap()]);
    assert!(!r.status.success());
    let erreur = String::from_utf8_lossy(&r.stderr);
    assert!(erreur.contains("confidentiel = false"), "{erreur}");
    assert!(erreur.contains("desactivee = true"), "{erreur}");
    assert!(!dir.path().join("sortie/rapport-2013.pdf").exists());
}

#[test]
fn a_disabled_secret_is_said_in_every_csv_row_every_chart_and_a_notice_beside_them() {
    let dir = projet_reglable("[confidentialite]\ndesactivee = true", "");
    let sortie = dir.path().join("sortie");
    for args in [
        vec!["build", "2013", "--format", "html"],
        vec!["extract", "--tous", "2013"],
        vec!["compare", "2012", "2013"],
    ] {
        lancer_sur(dir.path(), &sortie, &args);
    }
    assert!(sortie.join("SECRET-STATISTIQUE-DESACTIVE.txt").is_file());
    let t = lire_csv(&sortie.join("tableaux/t.csv"));
    assert!(
        t.iter()
            .all(|l| l["note"].contains("secret statistique désactivé")),
        "{t:?}"
    );
    // The small count is published, as asked, and said to be.
    assert_eq!(valeur(&t, "entretiens", "Hommes", 2013), "2");
    let svg = std::fs::read_to_string(sortie.join("graphiques/g.svg")).unwrap();
    assert!(svg.contains("<desc>secret statistique désactivé"));
    for f in ["comparaison-2012-2013.csv", "extraits/f-2013.csv"] {
        let c = lire_csv(&sortie.join(f));
        assert!(
            c[0]["notes"]
                .to_lowercase()
                .contains("secret statistique désactivé"),
            "{f} : {c:?}"
        );
    }
}

#[test]
fn a_funders_threshold_applies_everywhere_even_when_the_project_disables_the_secret() {
    let dir = projet_reglable("[confidentialite]\ndesactivee = true", "seuil = 5");
    let sortie = dir.path().join("sortie");
    lancer_sur(dir.path(), &sortie, &["build", "2013", "--format", "html"]);
    lancer_sur(dir.path(), &sortie, &["extract", "--tous", "2013"]);
    let t = lire_csv(&sortie.join("tableaux/t.csv"));
    assert_eq!(valeur(&t, "entretiens", "Hommes", 2013), "");
    let e = lire_csv(&sortie.join("extraits/f-2013.csv"));
    let hommes = e.iter().find(|l| l["groupe"] == "Hommes").unwrap();
    assert!(hommes["valeur_2013"].starts_with('<'), "{hommes:?}");
    // The funder's reconciliation does not word the hidden count.
    let mut classeur: Xlsx<_> = open_workbook(sortie.join("extraits/f-2013.xlsx")).unwrap();
    let notes = classeur.worksheet_range("Notes").unwrap();
    let texte: String = notes
        .rows()
        .map(|r| r[0].to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !texte.contains(" 2 ") && !texte.contains("totalisent 38"),
        "{texte}"
    );
}

#[test]
fn check_warns_about_a_small_count_typed_in_a_text_and_a_placeholder_that_prints_a_hidden_cell() {
    let dir = projet_reglable("", "");
    std::fs::create_dir_all(dir.path().join("textes")).unwrap();
    std::fs::write(
        dir.path().join("textes/t.md"),
        "Nous avons reçu 2 hommes.\n\nHommes : {{ ind.entretiens.groupes.hommes }}.\n",
    )
    .unwrap();
    remplacer(
        dir.path(),
        "rapport.toml",
        "elements = [{ tableau = \"t\" }",
        "elements = [{ texte = \"textes/t.md\" }, { tableau = \"t\" }",
    );
    let r = rapport(&["check", "2013", "--projet", dir.path().to_str().unwrap()]);
    let dit = String::from_utf8_lossy(&r.stderr).to_string() + &String::from_utf8_lossy(&r.stdout);
    assert!(
        dit.contains("« 2 » est écrit à la main et vaut une case que le secret statistique masque"),
        "{dit}"
    );
    assert!(
        dit.contains("ind.entretiens.groupes.hommes }} imprime une case masquée"),
        "{dit}"
    );
}

#[test]
fn a_later_build_keeps_hidden_every_cell_an_earlier_report_hid() {
    let dir = tempfile::tempdir().unwrap();
    let sortie = dir.path();
    lancer_sur(
        &echantillon(),
        sortie,
        &["build", "2012", "--format", "html"],
    );
    lancer_sur(
        &echantillon(),
        sortie,
        &["build", "2013", "--format", "html"],
    );
    let motif = |a: i32| -> BTreeSet<(String, i64, Option<String>)> {
        let r: serde_json::Value = serde_json::from_slice(
            &std::fs::read(sortie.join(format!("definitions-{a}.json"))).unwrap(),
        )
        .unwrap();
        r["secret"]["masquees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["figure"].as_str().unwrap().to_string(),
                    m["annee"].as_i64().unwrap(),
                    m["groupe"].as_str().map(String::from),
                )
            })
            .collect()
    };
    let (avant, apres) = (motif(2012), motif(2013));
    let communs: Vec<_> = avant.iter().filter(|m| m.1 >= 2011).collect();
    assert!(!communs.is_empty());
    for m in communs {
        assert!(apres.contains(m), "{m:?} masqué en 2012 et plus en 2013");
    }
}

#[test]
fn a_model_with_more_masks_than_a_word_holds_is_linked_and_protected() {
    // 70 indicators, each its own filter: more masks than one 64-bit word.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("donnees")).unwrap();
    let mut t = String::from("[association]\nnom = \"Essai\"\nville = \"Toulouse\"\n\n");
    let mut lignes = Vec::new();
    for n in 0..70 {
        t.push_str(&format!(
            "[indicateurs.i{n}]\nlibelle = \"I{n}\"\nsource = \"activites\"\nfiltres = {{ categorie = \"c{n}\" }}\nmesure = \"lignes\"\nconfidentiel = true\n\n"
        ));
        lignes.push(format!("\"i{n}\""));
    }
    t.push_str(&format!(
        "[tableaux.t]\ntitre = \"Tout\"\ncolonnes = \"annees\"\nannees = 2\nlignes = [{}]\n\n[[sections]]\ntitre = \"Chiffres\"\nelements = [{{ tableau = \"t\" }}]\n",
        lignes.join(", ")
    ));
    std::fs::write(p.join("rapport.toml"), t).unwrap();
    let mut csv =
        String::from("date;action;programme;public;personne;themes;quantite;categorie;montant\n");
    for n in 0..70 {
        for r in 0..(if n == 69 { 2 } else { 6 }) {
            csv.push_str(&format!(
                "0{}/03/2013;entretien;net;femme;;;;c{n};\n",
                r % 9 + 1
            ));
        }
    }
    std::fs::write(p.join("donnees/activites.csv"), csv).unwrap();
    lancer_sur(p, &p.join("sortie"), &["build", "2013", "--format", "html"]);
    let t = lire_csv(&p.join("sortie/tableaux/t.csv"));
    assert_eq!(valeur(&t, "i69", "2013", 2013), "");
    assert_eq!(valeur(&t, "i0", "2013", 2013), "6");
}
