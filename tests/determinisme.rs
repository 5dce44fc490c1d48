//! Reproducible builds: the same inputs and date give the same bytes, in
//! every output, whatever the time zone, the locale, the working folder or
//! the clock; the date comes from `--date`, else the model, else
//! `SOURCE_DATE_EPOCH`, else today.

mod commun;

use std::path::Path;
use std::process::Command;

use commun::*;

#[test]
fn builds_repeated_in_one_process_give_identical_pdfs() {
    let date = time::Date::from_calendar_date(2026, time::Month::November, 28).unwrap();
    let projet = echantillon();
    let dir = tempfile::tempdir().unwrap();
    let mut pdfs = Vec::new();
    for i in 0..3 {
        let sortie = dir.path().join(i.to_string());
        rapport::assemblage::construire(
            &projet,
            &sortie,
            2013,
            Some(date),
            &rapport::suivi::Suivi::default(),
        )
        .unwrap();
        pdfs.push(std::fs::read(sortie.join("rapport-2013.pdf")).unwrap());
    }
    // The charts, whose SVG text is typeset with the document's fonts, are in the PDF.
    assert!(pdfs[0].len() > 50_000);
    assert!(
        pdfs.iter().all(|p| *p == pdfs[0]),
        "les PDF diffèrent d'une construction à l'autre"
    );
}

#[test]
fn the_printed_date_changes_the_pdf_only_through_the_date() {
    let projet = echantillon();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let jour = |j| time::Date::from_calendar_date(2026, time::Month::November, j).unwrap();
    rapport::assemblage::construire(
        &projet,
        &a,
        2013,
        Some(jour(28)),
        &rapport::suivi::Suivi::default(),
    )
    .unwrap();
    rapport::assemblage::construire(
        &projet,
        &b,
        2013,
        Some(jour(29)),
        &rapport::suivi::Suivi::default(),
    )
    .unwrap();
    let (a, b) = (
        std::fs::read(a.join("rapport-2013.pdf")).unwrap(),
        std::fs::read(b.join("rapport-2013.pdf")).unwrap(),
    );
    assert_ne!(a, b, "la date imprimée doit figurer dans le PDF");
}

/// `rapport ARGS` run from `dossier` with the time zone `tz` and the locale
/// `langue`, without `SOURCE_DATE_EPOCH`; must succeed.
fn lancer_dans(dossier: &Path, tz: &str, langue: &str, args: &[&str]) {
    let r = commande()
        .args(args)
        .arg("--quiet")
        .current_dir(dossier)
        .env("TZ", tz)
        .env("LANG", langue)
        .env("LC_ALL", langue)
        .output()
        .unwrap();
    assert!(
        r.status.success(),
        "{args:?} : {}",
        String::from_utf8_lossy(&r.stderr)
    );
}

#[test]
fn every_output_is_identical_whatever_the_time_zone_the_locale_and_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    // Two copies of the sample at different places, each reached by a
    // relative --projet from a different working folder.
    let premier = dir.path().join("un");
    let second = dir.path().join("deux/plus/loin/projet");
    copier_echantillon(&premier.join("projet"));
    copier_echantillon(&second);
    let essais = [
        (premier.clone(), "projet", "Pacific/Kiritimati", "C"),
        (
            second.join("textes"),
            "..",
            "America/Los_Angeles",
            "fr_FR.UTF-8",
        ),
    ];
    for (dossier, projet, tz, langue) in &essais {
        for args in [
            &["build", "2013"][..],
            &["compare", "2011..2013"],
            &["extract", "--tous", "2013"],
        ] {
            let mut tout = args.to_vec();
            tout.extend(["--projet", projet]);
            lancer_dans(dossier, tz, langue, &tout);
        }
    }

    // The cache of checked exports is no output: its keys hold the exports' modification times.
    let sorties = |d: &Path| {
        let mut f = fichiers_sous(d);
        f.retain(|c, _| !c.starts_with(".cache"));
        f
    };
    let a = sorties(&premier.join("projet/sortie"));
    let b = sorties(&second.join("sortie"));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "les deux constructions n'ont pas écrit les mêmes fichiers"
    );
    for (chemin, octets) in &a {
        assert!(b[chemin] == *octets, "{} diffère", chemin.display());
    }
    for ext in ["pdf", "xlsx", "csv", "svg", "json"] {
        assert!(
            a.keys().any(|c| c.extension().is_some_and(|e| e == ext)),
            "aucun fichier .{ext} écrit"
        );
    }
    // The model's date applied.
    let releve = String::from_utf8(a[Path::new("definitions-2013.json")].clone()).unwrap();
    assert!(releve.contains("\"date\": \"2014-04-15\""), "{releve}");
}

/// The date a build of the 2013 report was dated with, as its record of definitions keeps it.
fn date_de_la_construction(
    projet: &Path,
    source_date_epoch: Option<&str>,
    args: &[&str],
) -> String {
    let sortie = tempfile::tempdir().unwrap();
    let mut c = commande();
    c.args(["build", "2013", "--quiet", "--projet"])
        .arg(projet)
        .arg("--sortie")
        .arg(sortie.path())
        .args(args);
    if let Some(s) = source_date_epoch {
        c.env("SOURCE_DATE_EPOCH", s);
    }
    let r = c.output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let releve: serde_json::Value = serde_json::from_slice(
        &std::fs::read(sortie.path().join("definitions-2013.json")).unwrap(),
    )
    .unwrap();
    releve["date"].as_str().unwrap().to_string()
}

#[test]
fn the_date_flag_wins_over_the_model_date_which_wins_over_source_date_epoch() {
    // 1 400 112 000 s: 15 May 2014, 00:00 UTC.
    let epoque = Some("1400112000");
    let projet = echantillon();
    assert_eq!(
        date_de_la_construction(&projet, epoque, &["--date", "2026-11-28"]),
        "2026-11-28"
    );
    assert_eq!(date_de_la_construction(&projet, epoque, &[]), "2014-04-15");

    let sans_date = copie_echantillon();
    let modele = std::fs::read_to_string(sans_date.path().join("rapport.toml")).unwrap();
    let modele: String = modele
        .lines()
        .filter(|l| !l.starts_with("date = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(sans_date.path().join("rapport.toml"), modele).unwrap();
    assert_eq!(
        date_de_la_construction(sans_date.path(), epoque, &[]),
        "2014-05-15"
    );
}

#[test]
fn the_model_date_is_printed_on_the_report() {
    let sortie = tempfile::tempdir().unwrap();
    lancer(&[
        "build",
        "2013",
        "--projet",
        echantillon().to_str().unwrap(),
        "--sortie",
        sortie.path().to_str().unwrap(),
    ]);
    let texte = texte_pdf(&sortie.path().join("rapport-2013.pdf"));
    assert!(texte.contains("Document établi le 15 avril 2014"));
}

#[test]
fn a_model_date_with_a_time_or_quotes_is_refused() {
    let modele = std::fs::read_to_string(echantillon().join("rapport.toml")).unwrap();
    let numero = modele
        .lines()
        .position(|l| l.starts_with("date = "))
        .unwrap()
        + 1;
    let guillemets = format!(
        "rapport.toml, ligne {numero} : une date s'écrit sans guillemets, par exemple date = 2014-04-15"
    );
    let cas = [
        (
            "date = 2014-04-15T10:00:00",
            "rapport.toml, [rapport.date] : « 2014-04-15T10:00:00 » n'est pas une date seule",
        ),
        ("date = \"2014-04-15\"", guillemets.as_str()),
    ];
    for (ligne, attendu) in cas {
        let projet = copie_echantillon();
        remplacer(projet.path(), "rapport.toml", "date = 2014-04-15", ligne);
        let r = rapport(&["build", "2013", "--projet", projet.path().to_str().unwrap()]);
        assert_eq!(r.status.code(), Some(65));
        let message = String::from_utf8(r.stderr).unwrap();
        assert!(message.contains(attendu), "{message}");
    }
}

#[test]
fn the_workbook_is_dated_with_the_document_date_not_the_clock() {
    let sortie = tempfile::tempdir().unwrap();
    lancer(&[
        "extract",
        "--financeur",
        "ars",
        "2013",
        "--projet",
        echantillon().to_str().unwrap(),
        "--sortie",
        sortie.path().to_str().unwrap(),
    ]);
    let core = Command::new("unzip")
        .arg("-p")
        .arg(sortie.path().join("extraits/ars-2013.xlsx"))
        .arg("docProps/core.xml")
        .output()
        .expect("unzip est installé");
    assert!(core.status.success());
    let core = String::from_utf8(core.stdout).unwrap();
    for balise in ["created", "modified"] {
        assert!(
            core.contains(&format!(
                "<dcterms:{balise} xsi:type=\"dcterms:W3CDTF\">2014-04-15T00:00:00Z</dcterms:{balise}>"
            )),
            "{core}"
        );
    }
}
