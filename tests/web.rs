//! The web version (`rapport build --format html`), opened in headless
//! Chromium (Debian's `chromium` package): it loads without a console
//! message, its tables and charts are there and show the figures of the
//! CSV tables, and at phone width nothing scrolls sideways.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use commun::*;
use serde_json::Value;

/// Builds the sample's 2013 report as HTML (and PDF) into `sortie`.
fn page_html(sortie: &Path) -> PathBuf {
    lancer_sur(
        &echantillon(),
        sortie,
        &["build", "2013", "--format", "html,pdf"],
    );
    sortie.join("rapport-2013.html")
}

/// Runs headless Chromium on `page` in a window of `(largeur, hauteur)`
/// pixels, with `args`; gives its standard output and standard error.
fn chromium(page: &Path, (largeur, hauteur): (u32, u32), args: &[&str]) -> (String, String) {
    let profil = tempfile::tempdir().unwrap();
    let sortie = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profil.path().display()))
        .arg(format!("--window-size={largeur},{hauteur}"))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium est installé (paquet Debian chromium)");
    assert!(
        sortie.status.success(),
        "chromium : {}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    (
        String::from_utf8_lossy(&sortie.stdout).into_owned(),
        String::from_utf8_lossy(&sortie.stderr).into_owned(),
    )
}

/// What the page looks like once laid out `largeur` pixels wide, measured
/// by a script added to a copy of the page (the page itself runs no script:
/// its Content-Security-Policy forbids it, so the copy relaxes that).
///
/// Headless Chromium's window is at least 500 pixels wide, so the copy is
/// shown in a frame of `largeur` pixels: the frame is the page's viewport,
/// as a phone's screen would be. The copy sends its measures to the frame's
/// parent, which writes them into its own document for `--dump-dom`.
fn mesurer(page: &Path, largeur: u32) -> Value {
    let html = std::fs::read_to_string(page).unwrap();
    let script = r##"<script>
const t = [...document.querySelectorAll('table')].map(t => ({
  titre: t.caption ? t.caption.textContent : '',
  entete: [...t.querySelectorAll('thead th')].map(c => c.textContent),
  lignes: [...t.querySelectorAll('tbody tr')].map(r => [...r.children].map(c => c.textContent)),
}));
// The charts shown (each is drawn twice, wide and narrow, one hidden by the
// style sheet), and the smallest text of each as shown on the screen.
const g = [...document.querySelectorAll('figure.graphique svg')]
  .filter(s => s.getBoundingClientRect().width > 0)
  .map(s => {
    const echelle = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
    const tailles = [...s.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * echelle);
    return {
      largeur: s.getBoundingClientRect().width,
      nom: s.getAttribute('aria-labelledby') ? document.getElementById(s.getAttribute('aria-labelledby')).textContent : '',
      police_min: Math.min(...tailles),
    };
  });
const d = [...document.querySelectorAll('.defile')]
  .filter(b => b.scrollWidth > b.clientWidth)
  .map(b => b.querySelector('caption').textContent + ' : ' + b.scrollWidth + ' > ' + b.clientWidth);
const liens = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'));
parent.postMessage(JSON.stringify({
  elements: {
    script: document.querySelectorAll('script').length,
    img: document.querySelectorAll('img:not(.logo)').length,
    i: document.querySelectorAll('i').length,
    javascript: document.querySelectorAll('a[href^="javascript"]').length,
  },
  texte: document.body.innerText,
  liens_morts: liens.filter(h => !document.getElementById(decodeURIComponent(h.slice(1)))),
  liens: liens,
  sigles: [...document.querySelectorAll('a.sigle')].map(a => a.textContent),
  debordements: d,
  largeur_fenetre: window.innerWidth,
  largeur_page: document.documentElement.scrollWidth,
  tableaux: t,
  graphiques: g,
}), '*');
</script>"##;
    let copie = html
        .replace(
            "default-src 'none';",
            "default-src 'none'; script-src 'unsafe-inline';",
        )
        .replace("</body>", &format!("{script}</body>"));
    let dossier = tempfile::tempdir().unwrap();
    std::fs::write(dossier.path().join("copie.html"), copie).unwrap();
    let cadre = dossier.path().join("cadre.html");
    std::fs::write(&cadre, cadre_de(largeur, "<pre id=\"mesure\"></pre><script>addEventListener('message', e => { document.getElementById('mesure').textContent = e.data; });</script>")).unwrap();
    let (dom, erreurs) = chromium(
        &cadre,
        (1200, 1700),
        &["--virtual-time-budget=10000", "--dump-dom"],
    );
    let json = dom
        .split_once("<pre id=\"mesure\">")
        .and_then(|(_, r)| r.split_once("</pre>"))
        .map(|(j, _)| {
            j.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .filter(|j| !j.is_empty())
        .unwrap_or_else(|| panic!("pas de mesure dans le DOM : {dom}\n{erreurs}"));
    serde_json::from_str(&json).unwrap()
}

/// A page showing `copie.html` (beside it) in a frame `largeur` pixels
/// wide and 1 600 high, followed by `suite`.
fn cadre_de(largeur: u32, suite: &str) -> String {
    format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe src=\"copie.html\" style=\"width:{largeur}px;height:1600px;border:1px solid #888\"></iframe>{suite}</body></html>"
    )
}

/// Chromium's console lines (`INFO:CONSOLE…`) for `page`.
fn console(page: &Path) -> Vec<String> {
    let (_, erreurs) = chromium(page, (1200, 900), &["--dump-dom"]);
    erreurs
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(String::from)
        .collect()
}

#[test]
fn the_web_report_loads_in_chromium_without_any_console_message() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    assert_eq!(console(&page), Vec::<String>::new());
}

#[test]
fn a_page_that_tries_to_run_a_script_is_reported_by_the_console_check() {
    // The check above can fail: the page's policy blocks a script, and says so.
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        html.replace("</body>", "<script>document.title = 'x'</script></body>"),
    )
    .unwrap();
    let lignes = console(&page);
    assert_eq!(lignes.len(), 1, "{lignes:?}");
    assert!(lignes[0].contains("Content Security Policy"), "{lignes:?}");
}

#[test]
fn the_web_report_has_every_table_and_chart_with_the_figures_of_the_csv_tables() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    let m = mesurer(&page, 1200);

    let tableaux = m["tableaux"].as_array().unwrap();
    let csv = std::fs::read_dir(dir.path().join("tableaux"))
        .unwrap()
        .count();
    assert_eq!(tableaux.len(), csv);
    let graphiques = m["graphiques"].as_array().unwrap();
    let svg = std::fs::read_dir(dir.path().join("graphiques"))
        .unwrap()
        .count();
    assert_eq!(graphiques.len(), svg);
    for g in graphiques {
        assert!(g["largeur"].as_f64().unwrap() > 200.0, "{g}");
        // The accessible name describes the figures.
        assert!(
            g["nom"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| c.is_ascii_digit()),
            "{g}"
        );
    }

    // Key figures: each cell of the HTML table is the CSV's value, in French.
    let cles = tableaux
        .iter()
        .find(|t| t["titre"].as_str().unwrap().starts_with("Chiffres clés"))
        .expect("le tableau des chiffres clés");
    let entete: Vec<&str> = cles["entete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let lignes = lire_csv(&dir.path().join("tableaux/chiffres_cles.csv"));
    assert!(!lignes.is_empty());
    for l in &lignes {
        let rangee = cles["lignes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[0].as_str() == Some(l["ligne"].as_str()))
            .unwrap_or_else(|| panic!("pas de ligne « {} » dans la page", l["ligne"]));
        let colonne = entete.iter().position(|e| *e == l["colonne"]).unwrap();
        let cellule: String = rangee[colonne + 1]
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        assert_eq!(cellule, l["valeur"], "{} / {}", l["ligne"], l["colonne"]);
    }
}

#[test]
fn every_link_inside_the_web_report_leads_to_its_target_and_acronyms_link_to_the_glossary() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    let m = mesurer(&page, 1200);
    assert_eq!(m["liens_morts"], serde_json::json!([]));
    let liens: Vec<&str> = m["liens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // The contents, the footnotes and their way back, the acronyms.
    for attendu in [
        "#section-1",
        "#glossaire",
        "#note-1",
        "#renvoi-1",
        "#sigle-tds",
    ] {
        assert!(liens.contains(&attendu), "{attendu} : {liens:?}");
    }
    // Each acronym linked once, at its first occurrence.
    let sigles: Vec<&str> = m["sigles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut uniques = sigles.clone();
    uniques.sort();
    uniques.dedup();
    assert_eq!(sigles.len(), uniques.len(), "{sigles:?}");
    assert!(sigles.contains(&"TDS"), "{sigles:?}");
}

#[test]
fn at_phone_width_the_web_report_does_not_scroll_sideways() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    let m = mesurer(&page, 360);
    assert_eq!(m["largeur_fenetre"], 360);
    assert!(
        m["largeur_page"].as_u64().unwrap() <= 360,
        "la page fait {} pixels de large",
        m["largeur_page"]
    );
    for g in m["graphiques"].as_array().unwrap() {
        assert!(g["largeur"].as_f64().unwrap() <= 360.0, "{g}");
    }
    // Nor does any table of the sample, inside its own box.
    assert_eq!(m["debordements"], serde_json::json!([]));
    // The screenshot a reviewer can look at, beside the test binaries: the
    // page in a phone-wide frame, a sideways scroll bar would show.
    let dossier = tempfile::tempdir().unwrap();
    std::fs::copy(&page, dossier.path().join("copie.html")).unwrap();
    let cadre = dossier.path().join("cadre.html");
    std::fs::write(&cadre, cadre_de(360, "")).unwrap();
    let capture = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rapport-2013-telephone.png");
    let _ = std::fs::remove_file(&capture);
    chromium(
        &cadre,
        (500, 1620),
        &[&format!("--screenshot={}", capture.display())],
    );
    let png = std::fs::read(&capture).unwrap();
    // PNG header: width then height, big-endian, at bytes 16..24.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 500);
}

#[test]
fn markup_in_the_model_the_glossary_and_a_text_is_shown_in_the_web_page_never_run() {
    let projet = copie_echantillon();
    let p = projet.path();
    let piege = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    remplacer(
        p,
        "rapport.toml",
        "libelle = \"Tournées virtuelles et téléphoniques\"",
        &format!("libelle = \"Tournées {piege}\""),
    );
    remplacer(
        p,
        "rapport.toml",
        "nom = \"Les Amarres\"",
        "nom = \"Les Amarres <b>&amp;</b>\"",
    );
    let mut glossaire = std::fs::read_to_string(p.join("glossaire.csv")).unwrap();
    glossaire.push_str(&format!("ZZA;Définition {piege}\n"));
    std::fs::write(p.join("glossaire.csv"), glossaire).unwrap();
    std::fs::write(
        p.join("textes/projets.md"),
        format!(
            "Texte {piege} et ZZA, un [lien](javascript:alert(3)) et du <i>HTML</i>.\n\n<script>alert(4)</script>\n"
        ),
    )
    .unwrap();
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(p, sortie.path(), &["build", "2013", "--format", "html"]);
    let page = sortie.path().join("rapport-2013.html");

    assert_eq!(console(&page), Vec::<String>::new());
    let m = mesurer(&page, 1200);
    // Only the measuring script, no image but the sample's two pictures, no javascript: link.
    assert_eq!(m["elements"]["script"], 1, "{}", m["elements"]);
    assert_eq!(m["elements"]["img"], 2);
    assert_eq!(m["elements"]["i"], 0);
    assert_eq!(m["elements"]["javascript"], 0);
    // The characters are all there, as text.
    let texte = m["texte"].as_str().unwrap();
    assert!(
        texte.contains("Tournées <script>alert(1)</script><img src=x onerror=alert(2)>"),
        "libellé"
    );
    // The name is shown as text, in French typography (a fine space before `;`).
    assert!(plier(texte).contains("Les Amarres <b>&amp ;</b>"), "nom");
    assert!(texte.contains("<i>HTML</i>"), "texte");
    assert!(texte.contains("ZZA"), "glossaire");
}

#[test]
fn at_phone_width_no_text_of_a_chart_is_shown_under_twelve_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    for largeur in [360, 1000] {
        let m = mesurer(&page, largeur);
        let graphiques = m["graphiques"].as_array().unwrap();
        assert_eq!(
            graphiques.len(),
            6,
            "un dessin visible par graphique à {largeur} px"
        );
        for g in graphiques {
            let police = g["police_min"].as_f64().unwrap();
            assert!(
                police >= 12.0,
                "à {largeur} px, « {} » a un texte de {police:.1} px",
                g["nom"]
            );
        }
    }
}
