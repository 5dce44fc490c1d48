//! The file active (distinct people met), the new people among them and the
//! profile of the public by a column of the export that is not in the
//! contract (`origine`), checked against the sample's CSV exports read here
//! by a code of their own; the secret attacked on the published profile; the
//! personal data guard on a breakdown's column.

mod commun;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use commun::*;

/// The rows of the sample's `activites.csv`: (year, person code, origin), for rows with a person.
fn rencontres(projet: &Path) -> Vec<(i32, String, String)> {
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(projet.join("donnees/activites.csv"))
        .unwrap();
    let entetes = lecteur.headers().unwrap().clone();
    let i = |nom: &str| entetes.iter().position(|e| e == nom).unwrap();
    let (date, personne) = (i("date"), i("personne"));
    let origine = entetes.iter().position(|e| e == "origine");
    lecteur
        .records()
        .map(Result::unwrap)
        .filter(|r| !r[personne].is_empty())
        .map(|r| {
            let annee: i32 = r[date][6..10].parse().unwrap();
            let o = origine.map(|o| r[o].to_string()).unwrap_or_default();
            (annee, r[personne].to_string(), o)
        })
        .collect()
}

/// The codes met in `annee`.
fn codes_de(lignes: &[(i32, String, String)], annee: i32) -> BTreeSet<String> {
    lignes
        .iter()
        .filter(|(a, _, _)| *a == annee)
        .map(|(_, p, _)| p.clone())
        .collect()
}

/// The codes met in `annee` and in no earlier year.
fn nouveaux_de(lignes: &[(i32, String, String)], annee: i32) -> BTreeSet<String> {
    let avant: BTreeSet<&String> = lignes
        .iter()
        .filter(|(a, _, _)| *a < annee)
        .map(|(_, p, _)| p)
        .collect();
    codes_de(lignes, annee)
        .into_iter()
        .filter(|p| !avant.contains(p))
        .collect()
}

/// A build of the sample's 2013 report.
fn construit() -> &'static (tempfile::TempDir, PathBuf) {
    static CONSTRUIT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    CONSTRUIT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let sortie = dir.path().join("sortie");
        construire(&echantillon(), &sortie, 2013);
        (dir, sortie)
    })
}

/// The number of a table cell as published (`None`: hidden or not available).
fn nombre(t: &[HashMap<String, String>], id: &str, colonne: &str, annee: i32) -> Option<u32> {
    let v = valeur(t, id, colonne, annee);
    (!v.is_empty()).then(|| v.replace(['\u{202F}', '\u{A0}', ' '], "").parse().unwrap())
}

/// The origins of the export and the labels of their columns in the sample's model.
const ORIGINES: [(&str, &str); 7] = [
    ("France", "France"),
    ("Europe de l'Est", "Europe de l'Est"),
    ("Afrique subsaharienne", "Afrique (sud du Sahara)"),
    ("Amérique latine", "Amérique latine"),
    ("Maghreb", "Maghreb"),
    ("Asie", "Asie"),
    ("Non renseignée", "Inconnue"),
];

#[test]
fn la_file_active_de_2013_est_le_nombre_de_codes_personne_distincts_de_2013_de_l_export() {
    let lignes = rencontres(&echantillon());
    let attendu = codes_de(&lignes, 2013).len() as u32;
    assert!(attendu > 100, "{attendu}");
    let t = lire_csv(&construit().1.join("tableaux/chiffres_cles.csv"));
    assert_eq!(nombre(&t, "file_active", "2013", 2013), Some(attendu));
    assert_eq!(
        nombre(&t, "file_active", "2012", 2012),
        Some(codes_de(&lignes, 2012).len() as u32)
    );
}

#[test]
fn les_nouvelles_personnes_de_2013_sont_les_codes_de_2013_absents_des_annees_anterieures() {
    let lignes = rencontres(&echantillon());
    let nouveaux = nouveaux_de(&lignes, 2013);
    assert!(
        !nouveaux.is_empty() && nouveaux.len() < codes_de(&lignes, 2013).len(),
        "l'exemple a des nouvelles personnes et des personnes déjà rencontrées"
    );
    let t = lire_csv(&construit().1.join("tableaux/chiffres_cles.csv"));
    assert_eq!(
        nombre(&t, "nouvelles_personnes", "2013", 2013),
        Some(nouveaux.len() as u32)
    );
    assert_eq!(
        nombre(&t, "nouvelles_personnes", "2012", 2012),
        Some(nouveaux_de(&lignes, 2012).len() as u32)
    );
    // The method note says what « new » means.
    let pdf = texte_pdf(&construit().1.join("rapport-2013.pdf"));
    assert!(pdf.contains("rencontrées pour la première fois"), "{pdf}");
    assert!(pdf.contains("première année des exports"), "{pdf}");
}

#[test]
fn les_nouvelles_personnes_tiennent_compte_des_annees_que_le_rapport_ne_montre_pas() {
    // The rows of 2011 of half the people moved to 2008, before the years the
    // 2013 report shows (2011 to 2013): they are seen before 2012 all the same.
    let projet = copie_echantillon();
    let chemin = projet.path().join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let entete: Vec<&str> = texte.lines().next().unwrap().split(';').collect();
    let (date, personne) = (
        entete.iter().position(|e| *e == "date").unwrap(),
        entete.iter().position(|e| *e == "personne").unwrap(),
    );
    let mut deplacees = 0;
    let lignes: Vec<String> = texte
        .lines()
        .map(|l| {
            let mut champs: Vec<String> = l.split(';').map(str::to_string).collect();
            let pair = champs[personne].ends_with(['0', '2', '4', '6', '8']);
            if champs[date].ends_with("/2011") && pair {
                champs[date] = champs[date].replace("/2011", "/2008");
                deplacees += 1;
            }
            champs.join(";")
        })
        .collect();
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();
    assert!(deplacees > 100, "{deplacees}");
    let lignes = rencontres(projet.path());
    let sans_2008: Vec<_> = lignes.iter().filter(|l| l.0 != 2008).cloned().collect();
    for annee in [2012, 2013] {
        assert!(
            nouveaux_de(&sans_2008, annee).len() > nouveaux_de(&lignes, annee).len(),
            "sans les lignes de 2008, plus de personnes de {annee} paraîtraient nouvelles"
        );
    }
    let sortie = projet.path().join("sortie");
    construire(projet.path(), &sortie, 2013);
    let t = lire_csv(&sortie.join("tableaux/chiffres_cles.csv"));
    for annee in [2012, 2013] {
        assert_eq!(
            nombre(&t, "nouvelles_personnes", &annee.to_string(), annee),
            Some(nouveaux_de(&lignes, annee).len() as u32),
            "{annee}"
        );
        assert_eq!(
            nombre(&t, "file_active", &annee.to_string(), annee),
            Some(codes_de(&lignes, annee).len() as u32),
            "{annee}"
        );
    }
}

#[test]
fn la_premiere_annee_des_exports_les_nouvelles_personnes_ne_sont_pas_donnees() {
    let dir = tempfile::tempdir().unwrap();
    let sortie = dir.path().join("sortie");
    let r = commande()
        .args(["build", "2011", "--projet"])
        .arg(echantillon())
        .arg("--sortie")
        .arg(&sortie)
        .args(["--date", "2026-11-28"])
        .output()
        .unwrap();
    let erreur = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{erreur}");
    let t = lire_csv(&sortie.join("tableaux/chiffres_cles.csv"));
    assert_eq!(nombre(&t, "nouvelles_personnes", "2011", 2011), None);
    assert!(nombre(&t, "file_active", "2011", 2011).is_some());
    assert!(
        erreur.contains("nouvelles personnes") && erreur.contains("2010"),
        "{erreur}"
    );
}

#[test]
fn le_profil_par_origine_donne_les_valeurs_de_l_export_et_additionne_a_la_file_active_sans_secret()
{
    let projet = copie_echantillon();
    remplacer(
        projet.path(),
        "rapport.toml",
        "[confidentialite]\nseuil = 5",
        "[confidentialite]\ndesactivee = true",
    );
    let sortie = projet.path().join("sortie");
    construire(projet.path(), &sortie, 2013);
    let t = lire_csv(&sortie.join("tableaux/profil.csv"));
    let lignes = rencontres(projet.path());
    let nouveaux = nouveaux_de(&lignes, 2013);
    for (id, codes) in [
        ("file_active", codes_de(&lignes, 2013)),
        ("nouvelles_personnes", nouveaux),
    ] {
        let mut par_origine: BTreeMap<String, BTreeSet<&String>> = BTreeMap::new();
        for (a, p, o) in &lignes {
            if *a == 2013 && codes.contains(p) {
                par_origine.entry(o.clone()).or_default().insert(p);
            }
        }
        let mut somme = 0;
        for (o, libelle) in ORIGINES {
            let publie = nombre(&t, id, libelle, 2013).unwrap();
            let attendu = par_origine.get(o).map_or(0, BTreeSet::len);
            assert_eq!(publie as usize, attendu, "{id} / {o}");
            somme += publie;
        }
        assert_eq!(Some(somme), nombre(&t, id, "Total", 2013), "{id}");
        assert_eq!(somme as usize, codes.len(), "{id}");
    }
}

/// The published cells of the profile: (row, column) → value, `None` if hidden.
type Profil = BTreeMap<(String, String), Option<u32>>;

/// Whether each hidden small count of `profil` can still be any value from 1
/// to k−1 for someone who knows every published number, that a row adds up
/// (an origin per person), that the known people (file active − new) of a
/// column are 0 or at least k when both are published, and that a mark
/// `s` is at least k.
fn attaquer(profil: &Profil, marques: &BTreeMap<(String, String), String>, k: u32) {
    let colonnes: Vec<&str> = ORIGINES.iter().map(|(_, l)| *l).collect();
    for id in ["file_active", "nouvelles_personnes"] {
        let total = profil[&(id.to_string(), "Total".to_string())];
        let Some(total) = total else { continue };
        let cases: Vec<(&str, Option<u32>)> = colonnes
            .iter()
            .map(|c| (*c, profil[&(id.to_string(), c.to_string())]))
            .collect();
        let visibles: u32 = cases.iter().filter_map(|(_, v)| *v).sum();
        let cachees: Vec<&str> = cases
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(c, _)| *c)
            .collect();
        assert!(
            cachees.len() != 1,
            "{id} : une seule case cachée, donnée par le total moins les autres : {cachees:?} {profil:?} {marques:?}"
        );
        let reste = total - visibles;
        for c in &cachees {
            if marques[&(id.to_string(), c.to_string())] != format!("< {k}") {
                continue;
            }
            // The others: `< k` is 1..k−1, `s` is k or more.
            let (mut bas, mut haut) = (0u32, Some(0u32));
            for o in cachees.iter().filter(|o| *o != c) {
                if marques[&(id.to_string(), o.to_string())] == format!("< {k}") {
                    bas += 1;
                    haut = haut.map(|h| h + k - 1);
                } else {
                    bas += k;
                    haut = None;
                }
            }
            let plus_petite = haut.map_or(0, |h| reste.saturating_sub(h));
            let plus_grande = reste.saturating_sub(bas);
            assert!(
                plus_petite <= 1 && plus_grande >= k - 1,
                "{id} / {c} : seules les valeurs {plus_petite} à {plus_grande} restent possibles"
            );
        }
    }
    for c in colonnes.iter().chain(["Total"].iter()) {
        let fa = profil[&("file_active".to_string(), c.to_string())];
        let nv = profil[&("nouvelles_personnes".to_string(), c.to_string())];
        if let (Some(fa), Some(nv)) = (fa, nv) {
            let connues = fa - nv;
            assert!(
                connues == 0 || connues >= k,
                "{c} : file active − nouvelles = {connues}, un petit effectif publié par différence"
            );
        }
    }
}

fn profil_publie(sortie: &Path) -> (Profil, BTreeMap<(String, String), String>) {
    let t = lire_csv(&sortie.join("tableaux/profil.csv"));
    let mut profil = Profil::new();
    let mut marques = BTreeMap::new();
    for l in t.iter().filter(|l| l["annee"] == "2013") {
        let cle = (l["indicateur"].clone(), l["colonne"].clone());
        profil.insert(cle.clone(), nombre(&t, &cle.0, &cle.1, 2013));
        marques.insert(cle, l["note"].clone());
    }
    (profil, marques)
}

/// The profile published under threshold `k` resists the attacker; gives how many cells are hidden.
fn profil_attaque(k: u32) -> usize {
    let mut masquees = 0;
    {
        let projet = copie_echantillon();
        remplacer(
            projet.path(),
            "rapport.toml",
            "[confidentialite]\nseuil = 5",
            &format!("[confidentialite]\nseuil = {k}"),
        );
        let sortie = projet.path().join("sortie");
        lancer_sur(
            projet.path(),
            &sortie,
            &["build", "2013", "--format", "html"],
        );
        let (profil, marques) = profil_publie(&sortie);
        masquees += profil.values().filter(|v| v.is_none()).count();
        attaquer(&profil, &marques, k);
    }
    masquees
}

#[test]
fn le_profil_publie_ne_trahit_aucun_petit_effectif_ni_par_les_totaux_ni_par_la_difference_des_nouvelles()
 {
    let masquees = profil_attaque(5);
    assert!(masquees >= 3, "le secret a masqué des cases ({masquees})");
}

#[test]
fn au_seuil_11_le_profil_publie_ne_trahit_aucun_petit_effectif() {
    assert!(profil_attaque(11) >= 4);
}

#[test]
fn une_colonne_de_donnees_personnelles_declaree_comme_ventilation_est_refusee_sans_ses_valeurs() {
    let projet = copie_echantillon();
    let chemin = projet.path().join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    // The origin replaced by a phone number on every row with a person.
    let mut n = 0;
    let texte: Vec<String> = texte
        .lines()
        .enumerate()
        .map(|(i, l)| match l.rsplit_once(';') {
            Some((debut, o)) if i > 0 && !o.is_empty() => {
                n += 1;
                format!("{debut};06 12 {:02} {:02} 78", n % 100, (n / 100) % 100)
            }
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(&chemin, texte.join("\n") + "\n").unwrap();
    let sortie = projet.path().join("sortie");
    let r = commande()
        .args(["build", "2013", "--projet"])
        .arg(projet.path())
        .arg("--sortie")
        .arg(&sortie)
        .output()
        .unwrap();
    let erreur = String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success());
    assert!(erreur.contains("numéro de téléphone"), "{erreur}");
    assert!(erreur.contains("aucune donnée personnelle"), "{erreur}");
    assert!(erreur.contains("origine"), "{erreur}");
    assert!(!erreur.contains("06 12"), "{erreur}");
    assert!(!sortie.join("rapport-2013.pdf").exists());
}

/// Exports where, in 2013, each origin has `(déjà vues, nouvelles)` people:
/// those already seen have a row in 2012 too; 2011 has one row, so that
/// 2012 has a year before it.
fn exports_construits(projet: &Path, par_origine: &[(&str, u32, u32)]) {
    let mut texte = String::from(
        "date;action;programme;public;personne;themes;quantite;categorie;montant;origine\n",
    );
    let mut n = 0;
    let ligne = |texte: &mut String, date: &str, n: u32, origine: &str| {
        texte.push_str(&format!(
            "{date};entretien;droits;femme;TLS-{n:04};;;;;{origine}\n"
        ));
    };
    ligne(&mut texte, "03/03/2011", 9999, "France");
    for (origine, vues, nouvelles) in par_origine {
        for _ in 0..*vues {
            n += 1;
            ligne(&mut texte, "04/04/2012", n, origine);
            ligne(&mut texte, "05/05/2013", n, origine);
        }
        for _ in 0..*nouvelles {
            n += 1;
            ligne(&mut texte, "06/06/2013", n, origine);
        }
    }
    std::fs::write(projet.join("donnees/activites.csv"), texte).unwrap();
}

#[test]
fn une_seule_personne_deja_vue_n_est_pas_publiee_par_la_difference_entre_la_file_active_et_les_nouvelles()
 {
    let projet = copie_echantillon();
    // France: 11 people met, 10 of them new: publishing both would tell
    // that one person was already known.
    exports_construits(
        projet.path(),
        &[
            ("France", 1, 10),
            ("Europe de l'Est", 6, 6),
            ("Afrique subsaharienne", 8, 7),
            ("Amérique latine", 8, 7),
            ("Maghreb", 8, 7),
            ("Asie", 8, 7),
            ("Non renseignée", 8, 7),
        ],
    );
    let sortie = projet.path().join("sortie");
    lancer_sur(
        projet.path(),
        &sortie,
        &["build", "2013", "--format", "html"],
    );
    let (profil, marques) = profil_publie(&sortie);
    let cle = |id: &str| (id.to_string(), "France".to_string());
    assert!(
        profil[&cle("file_active")].is_none() || profil[&cle("nouvelles_personnes")].is_none(),
        "{profil:?}"
    );
    attaquer(&profil, &marques, 5);
}

/// The sample's activities in two files: 2011 and 2012 without the column
/// `origine` (written before it was added), 2013 with it.
fn origine_depuis_2013(projet: &Path) {
    let chemin = projet.join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let mut lignes = texte.lines();
    let entete = lignes.next().unwrap();
    let sans_origine = |l: &str| l.rsplit_once(';').unwrap().0.to_string();
    let (mut avant, mut apres) = (vec![sans_origine(entete)], vec![entete.to_string()]);
    for l in lignes {
        if l[6..10] == *"2013" {
            apres.push(l.to_string());
        } else {
            avant.push(sans_origine(l));
        }
    }
    std::fs::remove_file(&chemin).unwrap();
    let donnees = projet.join("donnees");
    std::fs::write(
        donnees.join("activites-2011-2012.csv"),
        avant.join("\n") + "\n",
    )
    .unwrap();
    std::fs::write(donnees.join("activites-2013.csv"), apres.join("\n") + "\n").unwrap();
}

#[test]
fn une_ventilation_absente_des_exports_anterieurs_ne_rend_indisponibles_que_leurs_groupes() {
    let lignes = rencontres(&echantillon());
    let file_2012 = codes_de(&lignes, 2012).len() as u32;
    let projet = copie_echantillon();
    origine_depuis_2013(projet.path());
    let p = projet.path().to_str().unwrap();

    // The 2013 report: the file active of 2012 is given (its total needs no
    // origin), and the profile of 2013 is whole.
    let sortie = projet.path().join("sortie-2013");
    construire(projet.path(), &sortie, 2013);
    let cles = lire_csv(&sortie.join("tableaux/chiffres_cles.csv"));
    assert_eq!(nombre(&cles, "file_active", "2012", 2012), Some(file_2012));
    let profil = lire_csv(&sortie.join("tableaux/profil.csv"));
    assert!(nombre(&profil, "file_active", "France", 2013).is_some());
    // `check 2013` warns: no group of 2011 or 2012 is in its report.
    let check = rapport(&["check", "2013", "--projet", p]);
    let dit = String::from_utf8_lossy(&check.stderr).to_string()
        + &String::from_utf8_lossy(&check.stdout);
    assert!(matches!(check.status.code(), Some(0 | 1)), "{dit}");
    assert!(
        dit.contains("avertissement : donnees/activites-2011-2012.csv, colonne « origine » : les groupes de 2 indicateurs (non leurs totaux) sont « n.d. » (2011, 2012)"),
        "{dit}"
    );

    // The 2012 report: its profile gives the totals and says why its groups are « n.d. ».
    let sortie = projet.path().join("sortie-2012");
    construire(projet.path(), &sortie, 2012);
    let profil = lire_csv(&sortie.join("tableaux/profil.csv"));
    assert_eq!(
        nombre(&profil, "file_active", "Total", 2012),
        Some(file_2012)
    );
    for (_, libelle) in ORIGINES {
        assert_eq!(
            nombre(&profil, "file_active", libelle, 2012),
            None,
            "{libelle}"
        );
        let note = profil
            .iter()
            .find(|r| r["indicateur"] == "file_active" && r["colonne"] == libelle)
            .map(|r| r["note"].clone())
            .unwrap();
        assert_eq!(
            note,
            "non disponible : la colonne « origine » manque dans donnees/activites-2011-2012.csv"
        );
    }
    // `check 2012` refuses: its own profile would be « n.d. ».
    let check = rapport(&["check", "2012", "--projet", p]);
    assert_eq!(check.status.code(), Some(65));

    // The comparison gives the file active of both years, and says why the
    // groups of 2012 are « n.d. ».
    let sortie = projet.path().join("comparaison");
    lancer_sur(projet.path(), &sortie, &["compare", "2012", "2013"]);
    let lignes = lire_csv(&sortie.join("comparaison-2012-2013.csv"));
    let ligne = |groupe: &str| {
        lignes
            .iter()
            .find(|r| r["indicateur"] == "file_active" && r["groupe"] == groupe)
            .unwrap()
    };
    assert_eq!(ligne("")["valeur_2012"], file_2012.to_string());
    assert_eq!(ligne("France")["valeur_2012"], "");
    assert!(
        ligne("France")["notes"]
            .contains("2012 : non disponible, la colonne « origine » manque dans donnees/activites-2011-2012.csv"),
        "{:?}",
        ligne("France")
    );
}
