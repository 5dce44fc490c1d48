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
// The year in figures, the captions, the identity's colours as computed.
const chiffres = [...document.querySelectorAll('ul.chiffres li')].map(li => ({
  indicateur: li.dataset.indicateur,
  valeur: li.querySelector('.valeur').textContent,
  libelle: li.querySelector('.libelle').textContent,
  evolution: li.querySelector('.evolution') ? li.querySelector('.evolution').textContent : null,
  masque: li.classList.contains('masque'),
}));
const style = (sel, prop) => { const e = document.querySelector(sel); return e ? getComputedStyle(e)[prop] : null; };
// Every piece of text shown outside the charts whose size is under 12 px.
const petits = [];
const marcheur = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = marcheur.nextNode(); n; n = marcheur.nextNode()) {
  const e = n.parentElement;
  if (!n.textContent.trim() || e.closest('svg')) continue;
  const r = document.createRange(); r.selectNodeContents(n);
  if (r.getBoundingClientRect().width === 0) continue;
  const taille = parseFloat(getComputedStyle(e).fontSize);
  if (taille < 12) petits.push(e.tagName + ' ' + taille + ' px : ' + n.textContent.trim().slice(0, 40));
}
parent.postMessage(JSON.stringify({
  elements: {
    script: document.querySelectorAll('script').length,
    img: document.querySelectorAll('img:not(.logo):not(.couverture)').length,
    i: document.querySelectorAll('i').length,
    javascript: document.querySelectorAll('a[href^="javascript"]').length,
  },
  texte: document.body.innerText,
  liens_morts: liens.filter(h => !document.getElementById(decodeURIComponent(h.slice(1)))),
  liens: liens,
  chiffres: chiffres,
  legendes_tableaux: [...document.querySelectorAll('table caption')].map(c => c.textContent),
  legendes_graphiques: [...document.querySelectorAll('figure.graphique > figcaption')].map(c => c.textContent),
  couverture: [...document.querySelectorAll('img.couverture')].map(i => ({alt: i.alt, largeur: i.naturalWidth})),
  logos: [...document.querySelectorAll('img.logo')].map(i => ({alt: i.alt, largeur: i.naturalWidth})),
  coordonnees: document.querySelector('address.coordonnees') ? document.querySelector('address.coordonnees').innerText : '',
  liens_externes: [...document.querySelectorAll('address a')].map(a => a.getAttribute('href')),
  soutiens: [...document.querySelectorAll('ul.soutiens li')].map(li => li.textContent),
  couleurs: {
    titre: style('h1', 'color'),
    section: style('main h2', 'color'),
    filet: style('main h2', 'borderBottomColor'),
    chiffre: style('ul.chiffres .valeur', 'color'),
    carte: style('ul.chiffres li', 'borderTopColor'),
    coordonnees: style('address.coordonnees', 'backgroundColor'),
  },
  petits_textes: petits,
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
            // (the DOM's serialisation writes a no-break space as `&nbsp;`)
            j.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&nbsp;", "\u{a0}")
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
        .find(|t| t["titre"].as_str().unwrap().contains("Chiffres clés"))
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

/// The texts of `m[cle]`, a list of strings, folded (see `plier`).
fn textes(m: &Value, cle: &str) -> Vec<String> {
    m[cle]
        .as_array()
        .unwrap_or_else(|| panic!("pas de {cle} : {m}"))
        .iter()
        .map(|v| plier(v.as_str().unwrap()))
        .collect()
}

/// `#rrggbb` as the browser computes it, `rgb(r, g, b)`.
fn rgb(hex: &str) -> String {
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    format!("rgb({}, {}, {})", c(1), c(3), c(5))
}

/// The value of `indicateur` in `annee` in the tables' CSV of `sortie`:
/// its Total, or its column of that year.
fn valeur_csv(sortie: &Path, indicateur: &str, annee: i32) -> Option<f64> {
    let annee = annee.to_string();
    std::fs::read_dir(sortie.join("tableaux"))
        .unwrap()
        .flat_map(|f| lire_csv(&f.unwrap().path()))
        .find(|l| {
            l["indicateur"] == indicateur
                && l["annee"] == annee
                && (l["colonne"] == "Total" || l["colonne"] == annee)
        })
        .map(|l| l["valeur"].replace(',', ".").parse().unwrap())
}

#[test]
fn the_web_report_shows_the_key_figures_of_the_pdf_with_the_values_and_changes_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    let m = mesurer(&page, 1200);
    let chiffres = m["chiffres"].as_array().unwrap();
    let document = document_2013(&echantillon());
    let attendus = document["chiffres_cles"].as_array().unwrap();
    assert_eq!(chiffres.len(), attendus.len());
    assert!(chiffres.len() >= 6);
    // The PDF's page « L'année 2013 en chiffres », as text.
    let pdf = plier(&pdftotext(
        &dir.path().join("rapport-2013.pdf"),
        &["-f", "2", "-l", "2"],
    ));
    assert!(pdf.starts_with("L'année 2013 en chiffres"), "{pdf}");
    let mut verifies = 0;
    for (c, a) in chiffres.iter().zip(attendus) {
        assert_eq!(c["indicateur"], a["indicateur"]);
        let valeur = plier(c["valeur"].as_str().unwrap());
        assert_eq!(valeur, plier(a["valeur"].as_str().unwrap()));
        assert_eq!(c["masque"], false, "{c}");
        let evolution = plier(c["evolution"].as_str().unwrap());
        assert_eq!(
            evolution,
            format!(
                "{} par rapport à 2012",
                plier(a["evolution"].as_str().unwrap())
            )
        );
        // The same value, label and change on the PDF's page.
        for t in [&valeur, &plier(c["libelle"].as_str().unwrap()), &evolution] {
            assert!(pdf.contains(t.as_str()), "« {t} » absent du PDF : {pdf}");
        }
        // And the values of the tables' CSV, the change computed from them.
        let id = c["indicateur"].as_str().unwrap();
        if let (Some(avant), Some(apres)) = (
            valeur_csv(dir.path(), id, 2012),
            valeur_csv(dir.path(), id, 2013),
        ) && evolution.contains('%')
        {
            let nombre: String = valeur
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == ',')
                .collect();
            assert_eq!(
                nombre.replace(',', ".").parse::<f64>().unwrap(),
                apres,
                "{id}"
            );
            let calcule = format!("{:+.1} %", (apres / avant - 1.0) * 100.0).replace('.', ",");
            assert!(
                evolution.starts_with(&calcule),
                "{id} : {evolution} / {calcule}"
            );
            verifies += 1;
        }
    }
    assert!(verifies >= 4, "{verifies} chiffres comparés au CSV");
    // The contents lead to the page.
    assert!(textes(&m, "liens").contains(&"#en-chiffres".to_string()));
}

#[test]
fn a_key_figure_hidden_by_the_secret_shows_its_mark_and_no_change_in_the_web_page_as_in_the_pdf() {
    let projet = copie_echantillon();
    remplacer(projet.path(), "rapport.toml", "seuil = 5\n", "seuil = 40\n");
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(
        projet.path(),
        sortie.path(),
        &["build", "2013", "--format", "html,pdf"],
    );
    let m = mesurer(&sortie.path().join("rapport-2013.html"), 1200);
    let logement = m["chiffres"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicateur"] == "suivis_logement")
        .unwrap();
    // 36 people, under the threshold of 40: its mark, never its value or change.
    assert_eq!(logement["masque"], true);
    assert_eq!(plier(logement["valeur"].as_str().unwrap()), "< 40");
    assert_eq!(logement["evolution"], "secret statistique");
    let texte = plier(m["texte"].as_str().unwrap());
    assert!(texte.contains("Les petits effectifs sont masqués (secret statistique)"));
    assert!(
        !texte.contains("+38,5 %"),
        "l'évolution de 26 à 36 est masquée"
    );
    let pdf = plier(&pdftotext(
        &sortie.path().join("rapport-2013.pdf"),
        &["-f", "2", "-l", "2"],
    ));
    // The PDF's page says the same: a mark and « secret statistique » for
    // each hidden figure, and not that change either.
    let masques = m["chiffres"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["masque"] == true)
        .count();
    assert!(masques >= 1);
    assert_eq!(
        pdf.matches("secret statistique").count(),
        masques + 1,
        "{pdf}"
    );
    assert_eq!(pdf.matches("< 40").count(), masques, "{pdf}");
    assert!(!pdf.contains("+38,5 %"), "{pdf}");
}

#[test]
fn tables_and_charts_of_the_web_report_are_numbered_as_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    let m = mesurer(&page, 1200);
    let pdf = pdftotext(&dir.path().join("rapport-2013.pdf"), &[]);
    let legendes_pdf = |prefixe: &str| -> Vec<String> {
        pdf.lines()
            .map(plier)
            .filter(|l| {
                l.strip_prefix(prefixe)
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            })
            .collect()
    };
    for (cle, prefixe, n) in [
        ("legendes_tableaux", "Tableau ", 9),
        ("legendes_graphiques", "Fig. ", 6),
    ] {
        let web = textes(&m, cle);
        let pdf = legendes_pdf(prefixe);
        assert_eq!(web.len(), n, "{web:?}");
        assert_eq!(pdf.len(), n, "{pdf:?}");
        for (k, (w, p)) in web.iter().zip(&pdf).enumerate() {
            assert!(w.starts_with(&format!("{prefixe}{} – ", k + 1)), "{w}");
            // A long caption wraps in the PDF's text: its first line.
            assert!(w.starts_with(p.as_str()), "web « {w} », PDF « {p} »");
        }
    }
    // French punctuation: no full stop before the dash.
    assert!(!pdf.contains("Fig. 1. –"));
}

#[test]
fn the_web_report_has_the_identity_of_the_model_cover_picture_colours_and_contact_details() {
    let projet = copie_echantillon();
    let p = projet.path();
    let mut modele = std::fs::read_to_string(p.join("rapport.toml")).unwrap();
    modele.push_str(
        "\n[identite.couleurs]\nprincipale = \"#6b1d4a\"\naccent = \"#2e7d32\"\nclaire = \"#f3d9e6\"\n",
    );
    std::fs::write(p.join("rapport.toml"), modele).unwrap();
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(p, sortie.path(), &["build", "2013", "--format", "html"]);
    let m = mesurer(&sortie.path().join("rapport-2013.html"), 1200);

    let c = &m["couleurs"];
    for cle in ["titre", "section", "chiffre", "coordonnees"] {
        assert_eq!(c[cle], rgb("#6b1d4a"), "{cle} : {c}");
    }
    for cle in ["filet", "carte"] {
        assert_eq!(c[cle], rgb("#2e7d32"), "{cle} : {c}");
    }
    // The cover's picture, with the model's alternative text, no wider
    // than the page needs.
    let couverture = m["couverture"].as_array().unwrap();
    assert_eq!(couverture.len(), 1);
    assert_eq!(
        plier(couverture[0]["alt"].as_str().unwrap()),
        "Composition abstraite : des vagues claires et un cordage orange sur un fond bleu nuit."
    );
    let largeur = couverture[0]["largeur"].as_u64().unwrap();
    assert!(largeur > 0 && largeur <= 1200, "{largeur}");
    // The logo, named.
    assert!(
        m["logos"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["alt"] == "Logo de l’association Les Amarres"
                && l["largeur"].as_u64() > Some(0)),
        "{}",
        m["logos"]
    );
    // The back cover's details and funders.
    let coordonnees = plier(m["coordonnees"].as_str().unwrap());
    for attendu in [
        "Les Amarres",
        "Association loi 1901",
        "12, quai de l'Exemple",
        "31000 Toulouse",
        "Téléphone : 05 36 49 12 34",
        "Courriel : contact@les-amarres.example",
        "Site : www.les-amarres.example",
        "SIRET 123 456 789 00015 — RNA W313012345",
    ] {
        assert!(
            coordonnees.contains(attendu),
            "« {attendu} » : {coordonnees}"
        );
    }
    assert_eq!(
        textes(&m, "liens_externes"),
        [
            "tel:0536491234",
            "mailto:contact@les-amarres.example",
            "https://www.les-amarres.example"
        ]
    );
    let soutiens = textes(&m, "soutiens");
    assert_eq!(soutiens.len(), 6, "{soutiens:?}");
    assert!(soutiens.contains(&"Agence régionale de santé Midi-Pyrénées (ARS)".to_string()));
}

#[test]
fn no_text_of_the_web_report_is_shown_under_twelve_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let page = page_html(dir.path());
    for largeur in [360, 1000] {
        let m = mesurer(&page, largeur);
        assert!(
            m["texte"].as_str().unwrap().len() > 10_000,
            "la page est mesurée"
        );
        assert_eq!(m["petits_textes"], serde_json::json!([]), "à {largeur} px");
    }
}

#[test]
fn a_funders_logo_is_printed_on_the_pdfs_back_cover_and_shown_in_the_web_page() {
    let projet = copie_echantillon();
    let p = projet.path();
    // A PNG logo for the ARS, an SVG one for Sidaction, made here.
    let png = image::RgbImage::from_fn(90, 45, |x, _| {
        if x < 45 {
            image::Rgb([20, 80, 110])
        } else {
            image::Rgb([211, 122, 31])
        }
    });
    png.save(p.join("images/ars.png")).unwrap();
    std::fs::write(
        p.join("images/sidaction.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#c0143c"/><circle cx="20" cy="20" r="12" fill="#fff"/></svg>"##,
    )
    .unwrap();
    remplacer(
        p,
        "rapport.toml",
        "sigle = \"ARS\"\n",
        "sigle = \"ARS\"\nlogo = \"images/ars.png\"\n",
    );
    remplacer(
        p,
        "rapport.toml",
        "nom = \"Sidaction\"\n",
        "nom = \"Sidaction\"\nlogo = \"images/sidaction.svg\"\n",
    );
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(p, sortie.path(), &["build", "2013", "--format", "html,pdf"]);

    // The PDF: the PNG among its images, on the last page (the back cover),
    // and both logos named in the tagged structure.
    let pdf = sortie.path().join("rapport-2013.pdf");
    let pages: usize = pdftotext(&pdf, &[]).matches('\u{c}').count();
    let liste = Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .expect("pdfimages est installé (paquet poppler-utils)");
    let liste = String::from_utf8(liste.stdout).unwrap();
    let logo: Vec<&str> = liste
        .lines()
        .filter(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            c.len() > 4 && c[3] == "90" && c[4] == "45"
        })
        .collect();
    assert_eq!(logo.len(), 1, "{liste}");
    assert_eq!(
        logo[0].split_whitespace().next(),
        Some(pages.to_string().as_str()),
        "sur la dernière page : {liste}"
    );
    let structure = serde_json::to_string(&qpdf_json(&pdf, &["--json-key=qpdf"])).unwrap();
    for alt in [
        "Logo : Agence régionale de santé Midi-Pyrénées",
        "Logo : Sidaction",
    ] {
        assert!(
            structure.contains(alt),
            "« {alt} » absent de la structure du PDF"
        );
    }

    // The web page: both logos, named, shown, and only the others by name.
    let m = mesurer(&sortie.path().join("rapport-2013.html"), 1200);
    let logos: Vec<(String, u64)> = m["logos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["alt"].as_str().unwrap().to_string(),
                l["largeur"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        logos.contains(&("Logo : Agence régionale de santé Midi-Pyrénées".into(), 90)),
        "{logos:?}"
    );
    assert!(
        logos.iter().any(|(a, l)| a == "Logo : Sidaction" && *l > 0),
        "{logos:?}"
    );
    let soutiens = textes(&m, "soutiens");
    assert_eq!(soutiens.len(), 6);
    assert!(
        !soutiens
            .iter()
            .any(|s| s.contains("Sidaction") || s.contains("ARS")),
        "{soutiens:?}"
    );
    assert!(soutiens.contains(&"Ville de Toulouse".to_string()));
}
