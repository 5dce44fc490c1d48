//! Pictures, testimonies and the foreword of the texts, and French
//! typography everywhere a document shows text: read back from the PDF
//! (text, words' boxes, images and their alternative text), from the web
//! page, and from the messages of `rapport check` and `rapport build`.

mod commun;

use std::path::Path;

use base64::Engine;
use commun::*;

/// The text of a PDF, its spaces of every kind folded to one, its
/// apostrophes as they are.
fn texte_tel_quel(pdf: &Path) -> String {
    pdftotext(pdf, &["-layout"])
        .split(|c: char| c.is_whitespace() || c == '\u{202F}' || c == '\u{A0}')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `rapport ARGS --projet P` (and `--sortie S` for a build): exit code and
/// both outputs together.
fn essayer(projet: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut tout = args.to_vec();
    tout.extend(["--projet", projet.to_str().unwrap()]);
    let sortie = projet.join("sortie-essai");
    if args[0] == "build" {
        tout.extend(["--sortie", sortie.to_str().unwrap()]);
    }
    let r = rapport(&tout);
    let dit = format!(
        "{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
    (r.status.code(), dit)
}

/// A copy of the sample whose text on the street work has `ligne` as its
/// third line.
fn projet_avec(ligne: &str) -> tempfile::TempDir {
    let projet = copie_echantillon();
    let rue = projet.path().join("textes/rue.md");
    let texte = std::fs::read_to_string(&rue).unwrap();
    let (premiere, reste) = texte.split_once('\n').unwrap();
    std::fs::write(&rue, format!("{premiere}\n\n{ligne}\n{reste}")).unwrap();
    projet
}

#[test]
fn a_picture_without_alternative_text_is_refused_by_check_and_build_with_its_file_and_line() {
    let projet = projet_avec("![](photos/bus.jpg)");
    for args in [&["check", "2013"][..], &["build", "2013"]] {
        let (code, dit) = essayer(projet.path(), args);
        assert_eq!(code, Some(65), "{args:?} : {dit}");
        assert!(
            dit.contains("textes/rue.md") && dit.contains("ligne 3"),
            "{args:?} : {dit}"
        );
        assert!(
            dit.contains("n’a pas de texte alternatif") && dit.contains("décrivez l’image"),
            "{args:?} : {dit}"
        );
        assert!(!projet.path().join("sortie-essai/rapport-2013.pdf").exists());
    }
}

#[test]
fn a_picture_outside_the_project_or_from_the_web_is_refused() {
    let dehors = tempfile::tempdir().unwrap();
    std::fs::copy(
        echantillon().join("photos/bus.jpg"),
        dehors.path().join("bus.jpg"),
    )
    .unwrap();
    let absolu = format!("![Un bus]({})", dehors.path().join("bus.jpg").display());
    for (image, attendu) in [
        ("![Un bus](../bus.jpg)", "hors du dossier du projet"),
        (absolu.as_str(), "hors du dossier du projet"),
        ("![Un bus](https://exemple.org/bus.jpg)", "est une adresse"),
        ("![Un bus](textes/rue.md)", "ni PNG, ni JPEG, ni SVG"),
    ] {
        let projet = projet_avec(image);
        let (code, dit) = essayer(projet.path(), &["build", "2013"]);
        assert_eq!(code, Some(65), "{image} : {dit}");
        assert!(
            dit.contains(attendu) && dit.contains("ligne 3"),
            "{image} : {dit}"
        );
    }
}

#[test]
fn the_sample_s_pictures_are_in_the_pdf_with_their_alternative_text() {
    let sortie = tempfile::tempdir().unwrap();
    construire(&echantillon(), sortie.path(), 2013);
    let pdf = sortie.path().join("rapport-2013.pdf");
    let liste = std::process::Command::new("pdfimages")
        .args(["-list", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let liste = String::from_utf8(liste.stdout).unwrap();
    // The JPEG of the bus, at its own size: the PDF keeps the original.
    assert!(
        liste
            .lines()
            .any(|l| l.split_whitespace().skip(3).take(2).eq(["1600", "900"])),
        "{liste}"
    );
    let json = qpdf_json(&pdf, &[]).to_string();
    for alt in [
        "Le bus de prévention, garé en bord de trottoir, portes ouvertes",
        "Le local de l’association\u{a0}: une maison basse, sa porte bleue et deux fenêtres",
    ] {
        assert!(json.contains(&format!("u:{alt}")), "{alt}");
    }
    let texte = texte_tel_quel(&pdf);
    assert!(texte.contains("Illustration : Les Amarres"), "{texte}");
}

#[test]
fn a_picture_of_the_web_page_is_scaled_down_to_1200_pixels_and_an_svg_kept_as_it_is() {
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(
        &echantillon(),
        sortie.path(),
        &["build", "2013", "--format", "html"],
    );
    let page = std::fs::read_to_string(sortie.path().join("rapport-2013.html")).unwrap();
    let debut = page
        .find("<figure class=\"image\"><img src=\"data:image/jpeg;base64,")
        .unwrap();
    let img = &page[debut + page[debut..].find("<img").unwrap()..];
    let img = &img[..img.find('>').unwrap()];
    assert!(img.contains("width=\"1200\" height=\"675\""));
    assert!(
        img.contains("alt=\"Le bus de prévention, garé en bord de trottoir, portes ouvertes\"")
    );
    let base64 = img
        .split_once("base64,")
        .unwrap()
        .1
        .split_once('"')
        .unwrap()
        .0;
    let octets = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    let image = image::load_from_memory(&octets).unwrap();
    assert_eq!((image.width(), image.height()), (1200, 675));
    let svg = std::fs::read(echantillon().join("photos/local.svg")).unwrap();
    assert!(page.contains(&format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )));
    // Responsive: never wider than its column.
    assert!(page.contains("figure.image img { display: block; max-width: 100%; height: auto;"));
}

#[test]
fn a_testimony_is_set_apart_with_its_signature_in_the_pdf_and_the_web_page() {
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(
        &echantillon(),
        sortie.path(),
        &["build", "2013", "--format", "pdf,html"],
    );
    let document = document_2013(&echantillon());
    let texte = serde_json::to_string(&document["sections"][1]).unwrap();
    assert!(
        texte.contains(r#"{"c":["Une personne rencontrée en tournée"],"t":"signature"}"#),
        "{texte}"
    );
    let pdf = texte_tel_quel(&sortie.path().join("rapport-2013.pdf"));
    assert!(
        pdf.contains("Dans le bus, on m’a écoutée sans me juger. C’est là que j’ai fait mon premier dépistage. — Une personne rencontrée en tournée"),
        "{pdf}"
    );
    // In italics, indented from the paragraph before.
    let mots = mots_pdf(&sortie.path().join("rapport-2013.pdf"));
    let i_dans = mots
        .windows(3)
        .position(|w| w[0].texte == "Dans" && w[1].texte == "le" && w[2].texte == "bus,")
        .unwrap();
    let dans = &mots[i_dans];
    // On the page of the picture it follows: the bus and its credit.
    let credit = mots[..i_dans]
        .iter()
        .rev()
        .find(|m| m.texte == "Illustration")
        .unwrap();
    assert_eq!(
        credit.page, dans.page,
        "le témoignage est séparé de sa photo"
    );
    // The left margin of its page: where its footer and paragraphs begin.
    let marge = mots
        .iter()
        .filter(|m| m.page == dans.page)
        .map(|m| m.x.0)
        .fold(f64::INFINITY, f64::min);
    assert!(dans.x.0 > marge + 10.0, "{dans:?} {marge}");
    let page = std::fs::read_to_string(sortie.path().join("rapport-2013.html")).unwrap();
    assert!(page.contains("<figure class=\"citation\"><blockquote><p>Dans le bus, on m’a écoutée"));
    assert!(page.contains(
        "<figcaption class=\"signature\">— Une personne rencontrée en tournée</figcaption></figure>"
    ));
}

#[test]
fn the_signed_foreword_comes_before_the_first_section_in_the_pdf_and_the_web_page() {
    let sortie = tempfile::tempdir().unwrap();
    lancer_sur(
        &echantillon(),
        sortie.path(),
        &["build", "2013", "--format", "pdf,html"],
    );
    let pdf = texte_tel_quel(&sortie.path().join("rapport-2013.pdf"));
    let sommaire = pdf.find("Sommaire").unwrap();
    let avant_propos = sommaire
        + pdf[sommaire..]
            .find("Avant-propos En 2013, notre équipe a poursuivi")
            .unwrap();
    let signature = pdf.find("Claire Martin, coordinatrice").unwrap();
    let section_1 = pdf
        .find("1 L’association en 2013 Fondée")
        .unwrap_or_else(|| panic!("{pdf}"));
    assert!(avant_propos < signature && signature < section_1);
    let mots = mots_pdf(&sortie.path().join("rapport-2013.pdf"));
    let claire = mots.iter().find(|m| m.texte == "Claire").unwrap();
    assert!(claire.x.0 > 250.0, "la signature est à droite : {claire:?}");
    let page = std::fs::read_to_string(sortie.path().join("rapport-2013.html")).unwrap();
    let web_avant_propos = page
        .find("<h2 id=\"avant-propos-titre\">Avant-propos</h2>")
        .unwrap();
    let web_section_1 = page.find("<h2 id=\"section-1-titre\">").unwrap();
    assert!(web_avant_propos < web_section_1);
    assert!(
        page[web_avant_propos..web_section_1]
            .contains("<p class=\"signature\">Claire Martin, coordinatrice</p>")
    );
}

/// The visible text of a web page: its body, charts and tags left out.
fn texte_visible(page: &str) -> String {
    let mut corps = &page[page.find("<body").unwrap()..];
    let mut texte = String::new();
    while let Some(debut) = corps.find('<') {
        texte.push_str(&corps[..debut]);
        let fin = if corps[debut..].starts_with("<svg") {
            debut + corps[debut..].find("</svg>").unwrap()
        } else {
            debut
        };
        corps = &corps[fin + corps[fin..].find('>').unwrap() + 1..];
    }
    texte
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

#[test]
fn no_straight_apostrophe_in_the_report_an_extract_the_comparison_nor_the_web_page() {
    let projet = copie_echantillon();
    let p = projet.path();
    // Apostrophes in a title, a section, a table's title and labels, the glossary.
    remplacer(
        p,
        "rapport.toml",
        "[association]\nnom = \"Les Amarres\"",
        "[association]\nnom = \"L'Amarre\"",
    );
    remplacer(
        p,
        "glossaire.csv",
        "AAH;Allocation adulte handicapé",
        "AAH;Allocation d'adulte handicapé",
    );
    let sortie = p.join("sortie");
    lancer_sur(p, &sortie, &["build", "2013", "--format", "pdf,html"]);
    lancer_sur(p, &sortie, &["compare", "2012", "2013"]);
    lancer_sur(p, &sortie, &["extract", "--financeur", "ars", "2013"]);
    let mut pdfs: Vec<std::path::PathBuf> = std::fs::read_dir(&sortie)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    let tous = pdfs
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    assert!(
        tous.iter().any(|f| f.starts_with("comparaison")),
        "{tous:?}"
    );
    for pdf in &pdfs {
        let texte = pdftotext(pdf, &[]);
        assert!(texte.contains("L’Amarre"), "{}", pdf.display());
        let droites: Vec<&str> = texte.lines().filter(|l| l.contains('\'')).collect();
        assert!(droites.is_empty(), "{} : {droites:?}", pdf.display());
    }
    let page = std::fs::read_to_string(sortie.join("rapport-2013.html")).unwrap();
    let visible = texte_visible(&page);
    assert!(visible.contains("L’Amarre"));
    let droites: Vec<&str> = visible.lines().filter(|l| l.contains('\'')).collect();
    assert!(droites.is_empty(), "{droites:?}");
}

#[test]
fn an_ordinal_is_set_in_superscript_in_the_pdf_and_the_web_page() {
    let projet = projet_avec("Le 1er mardi du mois, la 2e tournée part à 20 h.");
    let sortie = projet.path().join("sortie");
    lancer_sur(
        projet.path(),
        &sortie,
        &["build", "2013", "--format", "pdf,html"],
    );
    let page = std::fs::read_to_string(sortie.join("rapport-2013.html")).unwrap();
    assert!(
        page.contains("Le 1<sup>er</sup> mardi du mois, la 2<sup>e</sup> tournée"),
        "{}",
        &page[page.find("Le 1").unwrap()..][..80]
    );
    // In the PDF, « er » is smaller than « 1 » and raised.
    let mots = mots_pdf(&sortie.join("rapport-2013.pdf"));
    let k = mots
        .windows(2)
        .position(|w| w[0].texte == "Le" && w[1].texte.starts_with('1'))
        .unwrap();
    let (un, er) = if mots[k + 1].texte == "1" {
        (&mots[k + 1], &mots[k + 2])
    } else {
        panic!("« 1 » et « er » dans le même mot : {:?}", &mots[k..k + 3]);
    };
    assert!(er.texte.starts_with("er"), "{er:?}");
    let hauteur = |m: &Mot| m.y.1 - m.y.0;
    assert!(hauteur(er) < hauteur(un) * 0.8, "{un:?} {er:?}");
    assert!(er.y.1 < un.y.1 - 2.0, "{un:?} {er:?}");
}
