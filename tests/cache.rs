//! The cache of checked exports (`SORTIE/.cache`): an unchanged export is
//! served by it, the same figures and messages as reading it; a change of a
//! byte, of a setting, a damaged entry, `--sans-cache`, a file in error: the
//! file is read again, and the figures stay those of the exports.

mod commun;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use commun::*;

/// `rapport build 2013` of `projet` into `sortie`, with `--timings` and
/// `autres`: its output, which must be a success.
fn construire_mesure(projet: &Path, sortie: &Path, autres: &[&str]) -> Output {
    let mut args = vec!["build", "2013", "--timings", "--quiet"];
    args.extend(autres);
    let args = sur(projet, sortie, &args);
    let r = rapport(&args);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    r
}

/// Whether the build whose output is `r` read at least one export (rather
/// than loading them all from the cache): `--timings` gives a « lecture ».
fn a_lu(r: &Output) -> bool {
    let timings = String::from_utf8_lossy(&r.stderr);
    timings
        .lines()
        .any(|l| l.trim_start().starts_with("lecture "))
}

/// Whether `--timings` shows the cache at work.
fn cache_employe(r: &Output) -> bool {
    let timings = String::from_utf8_lossy(&r.stderr);
    timings
        .lines()
        .any(|l| l.trim_start().starts_with("cache des exports "))
}

/// What a reader of the build in `sortie` gets: the PDF's text and every table (CSV).
fn chiffres(sortie: &Path) -> (String, BTreeMap<PathBuf, Vec<u8>>) {
    (
        texte_pdf(&sortie.join("rapport-2013.pdf")),
        fichiers_sous(&sortie.join("tableaux")),
    )
}

/// Asserts that the builds in `a` and `b` give the same figures, naming what differs.
fn memes_chiffres(a: &Path, b: &Path) {
    let ((ta, ca), (tb, cb)) = (chiffres(a), chiffres(b));
    assert!(ta == tb, "les deux PDF n'ont pas le même texte");
    assert_eq!(ca.keys().collect::<Vec<_>>(), cb.keys().collect::<Vec<_>>());
    for (nom, octets) in &ca {
        assert!(cb[nom] == *octets, "{} diffère", nom.display());
    }
}

/// The entries of the cache in `sortie`, by name, with their bytes.
fn entrees(sortie: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let dossier = sortie.join(".cache");
    if !dossier.exists() {
        return BTreeMap::new();
    }
    fichiers_sous(&dossier)
}

/// The figures of the sample's exports, built without the cache.
fn reference() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    construire_mesure(&echantillon(), dir.path(), &["--sans-cache"]);
    let c = chiffres(dir.path());
    assert!(c.1.len() >= 5, "{:?}", c.1.keys());
    dir
}

#[test]
fn une_deuxieme_construction_est_servie_par_le_cache_et_donne_le_meme_rapport() {
    let attendu = reference();
    let projet = copie_echantillon();
    let sortie = projet.path().join("sortie");
    let premiere = construire_mesure(projet.path(), &sortie, &[]);
    assert!(a_lu(&premiere));
    memes_chiffres(&sortie, attendu.path());
    let gardees = entrees(&sortie);
    assert_eq!(gardees.len(), 3, "{:?}", gardees.keys());

    let seconde = construire_mesure(projet.path(), &sortie, &[]);
    assert!(
        !a_lu(&seconde) && cache_employe(&seconde),
        "la seconde construction a relu un export :\n{}",
        String::from_utf8_lossy(&seconde.stderr)
    );
    memes_chiffres(&sortie, attendu.path());
    // Served, not written again.
    assert_eq!(entrees(&sortie), gardees);
}

#[test]
fn un_export_modifie_d_un_octet_a_la_meme_taille_et_a_la_meme_date_est_relu() {
    let avant = reference();
    let projet = copie_echantillon();
    let sortie = projet.path().join("sortie");
    construire_mesure(projet.path(), &sortie, &[]);

    // 15 contacts in the street become 16: same size, and the same modification time put back.
    let chemin = projet.path().join("donnees/activites.csv");
    let date = std::fs::metadata(&chemin).unwrap().modified().unwrap();
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let ligne = "01/01/2013;contact;rue;femme;;;15;;";
    assert!(texte.contains(ligne));
    let change = texte.replacen(ligne, "01/01/2013;contact;rue;femme;;;16;;", 1);
    assert_eq!(change.len(), texte.len());
    std::fs::write(&chemin, change).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&chemin)
        .unwrap()
        .set_modified(date)
        .unwrap();
    assert_eq!(
        std::fs::metadata(&chemin).unwrap().modified().unwrap(),
        date
    );

    let r = construire_mesure(projet.path(), &sortie, &[]);
    assert!(a_lu(&r), "l'export modifié n'a pas été relu");
    let apres = chiffres(&sortie);
    assert!(
        apres.1 != chiffres(avant.path()).1,
        "le contact de plus n'est pas compté"
    );
    let sans = tempfile::tempdir().unwrap();
    construire_mesure(projet.path(), sans.path(), &["--sans-cache"]);
    memes_chiffres(&sortie, sans.path());
}

#[test]
fn un_reglage_de_l_export_change_fait_relire_les_exports() {
    let projet = copie_echantillon();
    let sortie = projet.path().join("sortie");
    construire_mesure(projet.path(), &sortie, &[]);
    assert!(!a_lu(&construire_mesure(projet.path(), &sortie, &[])));

    let modele = projet.path().join("rapport.toml");
    let mut texte = std::fs::read_to_string(&modele).unwrap();
    texte.push_str("\n[exports]\ndates_courtes = true\n");
    std::fs::write(&modele, texte).unwrap();
    let r = construire_mesure(projet.path(), &sortie, &[]);
    assert!(
        a_lu(&r),
        "un réglage de lecture a changé, les exports n'ont pas été relus"
    );
    // Served again under the new setting.
    assert!(!a_lu(&construire_mesure(projet.path(), &sortie, &[])));
}

#[test]
fn sans_cache_le_cache_n_est_ni_lu_ni_ecrit() {
    let attendu = reference();
    let projet = copie_echantillon();
    let sortie = projet.path().join("sortie");
    let r = construire_mesure(projet.path(), &sortie, &["--sans-cache"]);
    assert!(a_lu(&r) && !cache_employe(&r));
    assert!(!sortie.join(".cache").exists());

    construire_mesure(projet.path(), &sortie, &[]);
    let gardees = entrees(&sortie);
    assert_eq!(gardees.len(), 3);
    let r = construire_mesure(projet.path(), &sortie, &["--sans-cache"]);
    assert!(a_lu(&r), "--sans-cache a servi le cache");
    assert_eq!(entrees(&sortie), gardees);
    memes_chiffres(&sortie, attendu.path());
}

#[test]
fn un_cache_tronque_corrompu_ou_d_un_autre_fichier_est_ignore_sans_bruit_et_reecrit() {
    let attendu = reference();
    let projet = copie_echantillon();
    let sortie = projet.path().join("sortie");
    construire_mesure(projet.path(), &sortie, &[]);
    let dossier = sortie.join(".cache");
    let activites = dossier.join("build-activites-activites.csv.cache");
    let suivis = dossier.join("build-suivis-suivis.csv.cache");
    let bon = std::fs::read(&activites).unwrap();
    let abimes: Vec<(&str, Vec<u8>)> = vec![
        ("tronqué de moitié", bon[..bon.len() / 2].to_vec()),
        ("tronqué du dernier octet", bon[..bon.len() - 1].to_vec()),
        ("vide", Vec::new()),
        ("un octet changé au milieu", {
            let mut b = bon.clone();
            let i = b.len() / 2;
            b[i] ^= 0x01;
            b
        }),
        ("celui d'un autre export", std::fs::read(&suivis).unwrap()),
        ("d'un autre format", {
            let mut b = bon.clone();
            b[8] = b[8].wrapping_add(1);
            b
        }),
    ];
    for (quoi, octets) in abimes {
        std::fs::write(&activites, &octets).unwrap();
        let r = construire_mesure(projet.path(), &sortie, &[]);
        assert!(a_lu(&r), "cache {quoi} : l'export n'a pas été relu");
        assert!(
            String::from_utf8_lossy(&r.stderr)
                .lines()
                .all(|l| !l.contains("cache") || l.trim_start().starts_with("cache des exports")),
            "cache {quoi} : un message en parle\n{}",
            String::from_utf8_lossy(&r.stderr)
        );
        memes_chiffres(&sortie, attendu.path());
        assert_eq!(
            std::fs::read(&activites).unwrap(),
            bon,
            "cache {quoi} : non réécrit"
        );
    }
    assert!(!a_lu(&construire_mesure(projet.path(), &sortie, &[])));
}

/// `rapport check 2013` of `projet`, with `autres`: its exit code and standard output.
fn verifier(projet: &Path, autres: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "2013", "--projet", projet.to_str().unwrap()];
    args.extend(autres);
    let r = rapport(&args);
    (r.status.code(), String::from_utf8(r.stdout).unwrap())
}

/// The sample, its activities in one file a year, with a row repeated in
/// its file and a person given another public in another file: warnings of
/// `check` that compare rows with rows read before, in other files too.
fn projet_a_avertissements() -> tempfile::TempDir {
    let projet = copie_echantillon();
    let donnees = projet.path().join("donnees");
    let texte = std::fs::read_to_string(donnees.join("activites.csv")).unwrap();
    let mut lignes = texte.lines();
    let entete = lignes.next().unwrap();
    let mut par_annee: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for l in lignes {
        let annee = l[6..10].to_string();
        par_annee.entry(annee).or_default().push(l);
    }
    assert_eq!(par_annee.len(), 3);
    let premiere_2011 = par_annee["2011"][0];
    // A row of 2011 repeated in another file would be an error; in its own file, a warning.
    par_annee.get_mut("2011").unwrap().push(premiere_2011);
    par_annee
        .get_mut("2013")
        .unwrap()
        .push("31/12/2013;contact;rue;femme;TLS-1331;;;;;France");
    for (annee, lignes) in &par_annee {
        let mut t = format!("{entete}\n");
        for l in lignes {
            t.push_str(l);
            t.push('\n');
        }
        std::fs::write(donnees.join(format!("activites-{annee}.csv")), t).unwrap();
    }
    std::fs::remove_file(donnees.join("activites.csv")).unwrap();
    std::fs::create_dir_all(projet.path().join("sortie")).unwrap();
    projet
}

#[test]
fn check_donne_les_memes_messages_avec_ou_sans_cache() {
    let projet = projet_a_avertissements();
    let p = projet.path();
    let sans = verifier(p, &["--sans-cache"]);
    assert_eq!(sans.0, Some(1), "{}", sans.1);
    assert!(sans.1.contains("ligne identique"), "{}", sans.1);
    assert!(!p.join("sortie/.cache").exists());

    let premier = verifier(p, &[]);
    assert_eq!(premier, sans);
    let gardees = entrees(&p.join("sortie"));
    assert_eq!(gardees.len(), 5, "{:?}", gardees.keys());
    let second = verifier(p, &[]);
    assert_eq!(second, sans);
    // Served: no entry written again.
    assert_eq!(entrees(&p.join("sortie")), gardees);

    // One file changed among others served: still the same messages as reading them all.
    remplacer(p, "donnees/activites-2012.csv", ";femme;", ";homme;");
    let change = verifier(p, &[]);
    assert_eq!(change, verifier(p, &["--sans-cache"]));
    assert_ne!(entrees(&p.join("sortie")), gardees);
    assert_eq!(verifier(p, &[]), change);
}

#[test]
fn check_sans_dossier_de_sortie_n_en_cree_pas() {
    let projet = copie_echantillon();
    let (code, _) = verifier(projet.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(!projet.path().join("sortie").exists());
}

#[test]
fn un_export_par_annee_modifie_est_seul_relu_et_ses_codes_restent_justes() {
    let projet = projet_a_avertissements();
    let p = projet.path();
    let sortie = p.join("sortie");
    construire_mesure(p, &sortie, &[]);
    // A value no other file has, in the first file: the codes of the later ones, served, move.
    remplacer(
        p,
        "donnees/activites-2011.csv",
        ";rue;",
        ";maraude_de_nuit;",
    );
    let r = construire_mesure(p, &sortie, &[]);
    assert!(a_lu(&r));
    let sans = tempfile::tempdir().unwrap();
    construire_mesure(p, sans.path(), &["--sans-cache"]);
    memes_chiffres(&sortie, sans.path());
    let compare = |s: &Path, autres: &[&str]| {
        let mut args = vec!["compare", "2011..2013", "--quiet"];
        args.extend(autres);
        lancer_sur(p, s, &args);
        std::fs::read(s.join("comparaison-2011-2013.csv")).unwrap()
    };
    assert!(compare(&sortie, &[]) == compare(sans.path(), &["--sans-cache"]));
}

#[test]
fn une_ligne_d_un_export_servi_par_le_cache_copiee_dans_un_autre_est_refusee_comme_sans_cache() {
    let projet = projet_a_avertissements();
    let p = projet.path();
    let sortie = p.join("sortie");
    construire_mesure(p, &sortie, &[]);
    // Two rows of 2013 pasted into 2011: 2011 is read again, 2013 served.
    let texte_2013 = std::fs::read_to_string(p.join("donnees/activites-2013.csv")).unwrap();
    let collees: Vec<&str> = texte_2013.lines().skip(100).take(2).collect();
    let chemin_2011 = p.join("donnees/activites-2011.csv");
    let mut texte_2011 = std::fs::read_to_string(&chemin_2011).unwrap();
    for l in &collees {
        texte_2011.push_str(l);
        texte_2011.push('\n');
    }
    std::fs::write(&chemin_2011, texte_2011).unwrap();
    let construire = |autres: &[&str]| {
        let mut args = vec![
            "build",
            "2013",
            "--projet",
            p.to_str().unwrap(),
            "--sortie",
            sortie.to_str().unwrap(),
        ];
        args.extend(autres);
        let r = rapport(&args);
        (r.status.code(), String::from_utf8(r.stderr).unwrap())
    };
    let avec = construire(&[]);
    assert_eq!(avec.0, Some(65));
    assert!(avec.1.contains("2 lignes identiques"), "{}", avec.1);
    assert_eq!(avec, construire(&["--sans-cache"]));
}

#[test]
fn un_export_en_erreur_n_est_pas_mis_en_cache() {
    let projet = copie_echantillon();
    let p = projet.path();
    let sortie = p.join("sortie");
    remplacer(
        p,
        "donnees/activites.csv",
        "01/01/2013;contact;rue",
        "31/02/2013;contact;rue",
    );
    let r = rapport(&[
        "build",
        "2013",
        "--projet",
        p.to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&r.stderr).contains("31/02/2013"));
    assert!(entrees(&sortie).is_empty(), "{:?}", entrees(&sortie).keys());
    std::fs::create_dir_all(&sortie).unwrap();
    let (code, dit) = verifier(p, &[]);
    assert_eq!(code, Some(65), "{dit}");
    assert!(entrees(&sortie).is_empty(), "{:?}", entrees(&sortie).keys());
    // Twice the same error: read again, never served.
    assert_eq!(verifier(p, &[]), (code, dit));
}
