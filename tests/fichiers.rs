//! Which files of `donnees/` make an export: copies and backups refused by
//! name, files of one source that overlap refused, the limits of a CSV
//! header, a title line above the header. Each case is a copy of the sample
//! project, run through the real binary.

mod commun;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use commun::*;

fn messages(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The tables of a build, by file: their rows as sorted (column, value) pairs.
type Tableaux = BTreeMap<String, Vec<Vec<(String, String)>>>;

/// A copy of the sample, and an output folder holding last year's outputs.
struct Projet {
    _dir: tempfile::TempDir,
    projet: PathBuf,
    sortie: PathBuf,
}

impl Projet {
    fn new() -> Projet {
        let dir = tempfile::tempdir().unwrap();
        let projet = dir.path().join("projet");
        copier(&echantillon(), &projet);
        let sortie = dir.path().join("sortie");
        std::fs::create_dir_all(sortie.join("tableaux")).unwrap();
        std::fs::write(
            sortie.join("rapport-2013.pdf"),
            b"le rapport de l'an dernier",
        )
        .unwrap();
        Projet {
            _dir: dir,
            projet,
            sortie,
        }
    }

    fn donnees(&self, nom: &str) -> PathBuf {
        self.projet.join("donnees").join(nom)
    }

    fn build(&self) -> Output {
        rapport(&[
            "build",
            "2013",
            "--projet",
            self.projet.to_str().unwrap(),
            "--sortie",
            self.sortie.to_str().unwrap(),
            "--date",
            "2014-04-15",
        ])
    }

    fn check(&self) -> Output {
        rapport(&["check", "--projet", self.projet.to_str().unwrap()])
    }

    /// `build` fails with exit code 65, says every one of `mots`, and writes nothing.
    fn refuse(&self, mots: &[&str]) -> String {
        let avant = fichiers_sous(&self.sortie);
        let build = self.build();
        let dit = messages(&build);
        assert_eq!(build.status.code(), Some(65), "{dit}");
        for mot in mots {
            assert!(dit.contains(mot), "« {mot} » absent :\n{dit}");
        }
        assert_eq!(
            fichiers_sous(&self.sortie),
            avant,
            "une sortie a changé :\n{dit}"
        );
        dit
    }

    /// `build` succeeds; the tables it wrote, as data.
    fn tableaux(&self) -> (Tableaux, String) {
        let build = self.build();
        let dit = messages(&build);
        assert!(build.status.success(), "{dit}");
        let mut tableaux = BTreeMap::new();
        for entree in std::fs::read_dir(self.sortie.join("tableaux")).unwrap() {
            let chemin = entree.unwrap().path();
            let mut lignes: Vec<Vec<(String, String)>> = lire_csv(&chemin)
                .into_iter()
                .map(|l| {
                    let mut l: Vec<(String, String)> = l.into_iter().collect();
                    l.sort();
                    l
                })
                .collect();
            lignes.sort();
            tableaux.insert(
                chemin.file_name().unwrap().to_string_lossy().into_owned(),
                lignes,
            );
        }
        assert!(tableaux.len() >= 8, "{tableaux:?}");
        (tableaux, dit)
    }
}

/// The sample's activity export: its header line and its data lines.
fn activites() -> (String, Vec<String>) {
    let texte = std::fs::read_to_string(echantillon().join("donnees/activites.csv")).unwrap();
    let mut lignes = texte.lines().map(str::to_string);
    let entete = lignes.next().unwrap();
    (entete, lignes.collect())
}

/// The year of a data line of the activity export (`JJ/MM/AAAA;…`).
fn annee(ligne: &str) -> &str {
    &ligne[6..10]
}

fn ecrire(chemin: &Path, entete: &str, lignes: &[&String]) {
    let mut texte = format!("{entete}\n");
    for l in lignes {
        texte.push_str(l);
        texte.push('\n');
    }
    std::fs::write(chemin, texte).unwrap();
}

#[test]
fn each_copy_of_an_export_is_refused_naming_the_file_and_what_to_do_and_nothing_is_written() {
    let copies = [
        (
            "activites - Copie.csv",
            "ressemble à une copie de l'export « activites »",
        ),
        ("activites - Copie (2).csv", "ressemble à une copie"),
        ("Copie de activites.csv", "ressemble à une copie"),
        ("Copy of activites.csv", "ressemble à une copie"),
        ("activites - copy.csv", "ressemble à une copie"),
        ("activites (1).csv", "ressemble à un second téléchargement"),
        ("activites.csv~", "ressemble à une sauvegarde"),
        ("activites.csv.bak", "ressemble à une sauvegarde"),
        ("activites.bak.csv", "ressemble à une sauvegarde"),
        (
            "activites-ancien.csv",
            "ressemble à une sauvegarde ou à une ancienne version",
        ),
    ];
    for (nom, raison) in copies {
        let p = Projet::new();
        std::fs::copy(p.donnees("activites.csv"), p.donnees(nom)).unwrap();
        let dit = p.refuse(&[
            &format!("erreur : donnees/{nom} : "),
            raison,
            "supprimez ou déplacez ce fichier hors de donnees/ ; s'il complète l'export, renommez-le activites-",
        ]);
        // Refused by its name, never read: no overlap is told.
        assert!(!dit.contains("tous deux"), "{nom} :\n{dit}");
    }
}

#[test]
fn the_lock_of_a_spreadsheet_is_a_warning_saying_the_file_is_open() {
    for (nom, logiciel) in [
        (".~lock.activites.csv#", "LibreOffice"),
        ("~$activites.xlsx", "Excel"),
    ] {
        let p = Projet::new();
        std::fs::write(p.donnees(nom), b"verrou").unwrap();
        let check = p.check();
        let dit = messages(&check);
        assert_eq!(check.status.code(), Some(1), "{nom} :\n{dit}");
        assert!(
            dit.contains(&format!(
                "avertissement : donnees/{nom} : le fichier « activites."
            )) && dit.contains(&format!("est ouvert dans {logiciel}")),
            "{dit}"
        );
    }
}

#[test]
fn other_files_are_left_alone_and_check_warns_about_a_spreadsheet_read_as_no_export() {
    let p = Projet::new();
    std::fs::write(p.donnees("notes.txt"), "à faire : relancer la mairie").unwrap();
    std::fs::write(p.donnees("logo.png"), b"\x89PNG").unwrap();
    let check = p.check();
    assert_eq!(check.status.code(), Some(0), "{}", messages(&check));
    std::fs::write(p.donnees("benevoles.csv"), "nom;heures\n").unwrap();
    let check = p.check();
    let dit = messages(&check);
    assert_eq!(check.status.code(), Some(1), "{dit}");
    assert!(
        dit.contains("donnees/benevoles.csv : ce fichier n'est lu comme aucun export"),
        "{dit}"
    );
}

#[test]
fn files_of_distinct_years_give_the_same_figures_as_the_single_file() {
    let (unique, _) = Projet::new().tableaux();
    let p = Projet::new();
    let (entete, lignes) = activites();
    std::fs::remove_file(p.donnees("activites.csv")).unwrap();
    for a in ["2011", "2012", "2013"] {
        let de: Vec<&String> = lignes.iter().filter(|l| annee(l) == a).collect();
        assert!(de.len() > 1000, "{a}");
        ecrire(&p.donnees(&format!("activites-{a}.csv")), &entete, &de);
    }
    let (par_annee, dit) = p.tableaux();
    assert!(!dit.contains("erreur"), "{dit}");
    assert_eq!(par_annee, unique);
}

#[test]
fn two_files_covering_2013_are_refused_naming_both_the_year_and_the_first_common_row() {
    let p = Projet::new();
    let (entete, lignes) = activites();
    let de_2013: Vec<&String> = lignes.iter().filter(|l| annee(l) == "2013").collect();
    ecrire(&p.donnees("activites-2013.csv"), &entete, &de_2013);
    // The first 2013 row of the whole export: its line (the header is line 1).
    let premiere = lignes.iter().position(|l| annee(l) == "2013").unwrap() + 2;
    p.refuse(&[
        "donnees/activites-2013.csv et donnees/activites.csv ont tous deux des actions datées de 2013",
        &format!("la première à la ligne 2 de donnees/activites-2013.csv et à la ligne {premiere} de donnees/activites.csv"),
        "leurs lignes seraient comptées deux fois",
        "supprimez-le ou déplacez-le hors de donnees/",
    ]);
}

#[test]
fn halves_of_one_year_are_accepted_but_a_row_in_both_is_refused_anonymous_or_not() {
    let p = Projet::new();
    let (entete, lignes) = activites();
    std::fs::remove_file(p.donnees("activites.csv")).unwrap();
    let mois = |l: &str| l[3..5].parse::<u32>().unwrap();
    let avant: Vec<&String> = lignes.iter().filter(|l| annee(l) != "2013").collect();
    let s1: Vec<&String> = lignes
        .iter()
        .filter(|l| annee(l) == "2013" && mois(l) <= 6)
        .collect();
    let mut s2: Vec<&String> = lignes
        .iter()
        .filter(|l| annee(l) == "2013" && mois(l) > 6)
        .collect();
    ecrire(&p.donnees("activites-2011-2012.csv"), &entete, &avant);
    ecrire(&p.donnees("activites-2013-s1.csv"), &entete, &s1);
    ecrire(&p.donnees("activites-2013-s2.csv"), &entete, &s2);
    let check = p.check();
    assert_eq!(check.status.code(), Some(0), "{}", messages(&check));

    // An anonymous row of the first half, pasted into the second.
    let anonyme = s1
        .iter()
        .position(|l| l.split(';').nth(4) == Some("") && s1.iter().filter(|m| *m == l).count() == 1)
        .unwrap();
    s2.push(s1[anonyme]);
    ecrire(&p.donnees("activites-2013-s2.csv"), &entete, &s2);
    p.refuse(&[
        "donnees/activites-2013-s1.csv et donnees/activites-2013-s2.csv ont des lignes identiques : une ligne identique",
        &format!(
            "à la ligne {} de donnees/activites-2013-s1.csv et à la ligne {} de donnees/activites-2013-s2.csv",
            anonyme + 2,
            s2.len() + 1
        ),
    ]);
}

#[test]
fn anonymous_rows_pasted_twice_in_one_file_are_told_and_the_summary_counts_every_warning() {
    let p = Projet::new();
    let (entete, lignes) = activites();
    let deux_fois: Vec<&String> = lignes.iter().chain(&lignes).collect();
    ecrire(&p.donnees("activites.csv"), &entete, &deux_fois);
    let check = p.check();
    let dit = messages(&check);
    assert_eq!(check.status.code(), Some(1), "{dit}");
    let n = lignes.len();
    assert!(
        dit.contains(&format!(
            "les lignes {} à {} répètent à l'identique et dans le même ordre les lignes 2 à {} ({n} lignes)",
            n + 2,
            2 * n + 1,
            n + 1
        )),
        "{dit}"
    );
    // One warning per repeated row with a person's code, the block's, and
    // no other: the summary counts those not detailed too.
    let nominatives = lignes
        .iter()
        .filter(|l| l.split(';').nth(4) != Some(""))
        .count();
    assert!(nominatives > 30 && nominatives < n, "{nominatives}");
    assert!(
        dit.contains(&format!(
            "et {} autres avertissements dans ce fichier, non détaillés",
            nominatives - 30
        )),
        "{dit}"
    );
    assert!(
        dit.contains(&format!("0 erreur, {} avertissements", nominatives + 1)),
        "{dit}"
    );
}

#[test]
fn a_header_line_over_a_mebibyte_is_refused_at_line_1_before_being_read_whole() {
    let p = Projet::new();
    let mut entete = String::from("date;action;programme;public");
    while entete.len() < 50 * 1024 * 1024 {
        entete.push_str(";colonne sans fin");
    }
    std::fs::write(p.donnees("activites.csv"), entete + "\n").unwrap();
    p.refuse(&[
        "donnees/activites.csv, ligne 1 : la ligne dépasse 1 Mio",
        "les fins de ligne ont été perdues",
    ]);
}

#[test]
fn a_header_with_too_many_columns_or_a_name_too_long_is_refused() {
    let (entete, lignes) = activites();
    let p = Projet::new();
    let larges: String = (1..=600).map(|i| format!(";c{i}")).collect();
    let ligne = format!("{}{}", lignes[0], ";".repeat(600));
    ecrire(
        &p.donnees("activites.csv"),
        &(entete.clone() + &larges),
        &[&ligne],
    );
    p.refuse(&[
        "donnees/activites.csv, ligne 1 : l'en-tête a 610 colonnes",
        "au plus 500 colonnes",
    ]);
    let long = format!(";{}", "n".repeat(300));
    ecrire(
        &p.donnees("activites.csv"),
        &(entete + &long),
        &[&format!("{};", lignes[0])],
    );
    p.refuse(&[
        "donnees/activites.csv, ligne 1 : le nom de la colonne 11 fait 300 caractères",
        "au plus 200 caractères",
    ]);
}

#[test]
fn a_title_line_above_the_header_is_skipped_with_a_warning_and_the_figures_are_the_samples() {
    let (echantillon, _) = Projet::new().tableaux();
    let p = Projet::new();
    let texte = std::fs::read_to_string(p.donnees("activites.csv")).unwrap();
    std::fs::write(
        p.donnees("activites.csv"),
        format!("Export du 12/01/2014;;;\n\n{texte}"),
    )
    .unwrap();
    let (tableaux, dit) = p.tableaux();
    assert!(
        dit.contains("avertissement : donnees/activites.csv, ligne 3 : l'en-tête est sur cette ligne : la ligne 1, au-dessus, a été sautée (un titre ?)"),
        "{dit}"
    );
    assert_eq!(tableaux, echantillon);
}

#[test]
fn the_errors_of_a_file_come_in_the_order_of_its_lines_and_columns_the_first_thirty_in_detail_whether_building_or_checking()
 {
    let dir = copie_echantillon();
    let projet = dir.path();
    let (entete, mut lignes) = activites();
    let colonnes: Vec<&str> = entete.split(';').collect();
    // 45 wrong cells spread over four columns, some lines with two of them,
    // not planted in column order.
    let fautes = [
        ("montant", "beaucoup"),
        ("date", "32/13/2013"),
        ("quantite", "deux"),
        ("public", "martien"),
    ];
    let mut plantees = Vec::new();
    for k in 0..45 {
        let i = 10 + k * 7;
        let mut cellules: Vec<String> = lignes[i].split(';').map(str::to_string).collect();
        let mut poser = |(colonne, texte): (&str, &str)| {
            let j = colonnes.iter().position(|c| *c == colonne).unwrap();
            cellules[j] = texte.to_string();
            // Line 1 is the header.
            plantees.push((i + 2, j));
        };
        poser(fautes[k % 4]);
        if k % 5 == 0 {
            poser(fautes[(k + 1) % 4]);
        }
        lignes[i] = cellules.join(";");
    }
    plantees.sort();
    let total = plantees.len();
    ecrire(
        &projet.join("donnees/activites.csv"),
        &entete,
        &lignes.iter().collect::<Vec<_>>(),
    );
    let sortie = dir.path().join("sortie");
    for commande in [&["build", "2013"][..], &["check"][..]] {
        let mut args = commande.to_vec();
        args.extend(["--projet", projet.to_str().unwrap()]);
        if commande[0] == "build" {
            args.extend(["--sortie", sortie.to_str().unwrap()]);
        }
        let o = rapport(&args);
        assert!(!o.status.success(), "{commande:?}");
        let dit = messages(&o);
        let vues: Vec<(usize, usize)> = dit
            .lines()
            .filter_map(|l| l.strip_prefix("erreur : donnees/activites.csv, ligne "))
            .map(|l| {
                let (ligne, reste) = l.split_once(", colonne « ").unwrap();
                let colonne = reste.split_once(" »").unwrap().0;
                (
                    ligne.parse().unwrap(),
                    colonnes.iter().position(|c| *c == colonne).unwrap(),
                )
            })
            .collect();
        assert_eq!(vues, plantees[..30], "{commande:?}\n{dit}");
        assert!(
            dit.contains(&format!(
                "donnees/activites.csv : et {} autres erreurs dans ce fichier, non détaillées",
                total - 30
            )),
            "{commande:?}\n{dit}"
        );
    }
    assert!(!sortie.join("rapport-2013.pdf").exists());
}
