//! The headings of the texts: a level skipped in Markdown (`###` right
//! under a section) is brought back to the next level allowed, so that
//! PDF/UA, which refuses a skipped level, accepts the report; numbered in
//! the PDF and the web page alike, and not at all outside the sections.

mod commun;

use commun::*;

#[test]
fn a_third_level_heading_right_under_a_section_is_set_as_its_first_sub_heading_and_the_pdf_is_written()
 {
    let projet = copie_echantillon();
    let p = projet.path();
    let rue = std::fs::read_to_string(p.join("textes/rue.md")).unwrap();
    std::fs::write(
        p.join("textes/rue.md"),
        format!("### Les tournées\n\n{rue}\n\n##### Le bus\n\nIl roule.\n"),
    )
    .unwrap();
    // The foreword and the thanks belong to no section: their headings
    // have no number (not « 0.1 »).
    for (fichier, titre) in [
        ("textes/avant-propos.md", "Une année de terrain"),
        ("textes/remerciements.md", "Nos partenaires"),
    ] {
        let texte = std::fs::read_to_string(p.join(fichier)).unwrap();
        std::fs::write(
            p.join(fichier),
            format!("{texte}\n\n## {titre}\n\nMerci.\n"),
        )
        .unwrap();
    }
    let sortie = tempfile::tempdir().unwrap();
    let r = rapport(&[
        "build",
        "2013",
        "--format",
        "pdf,html",
        "--projet",
        p.to_str().unwrap(),
        "--sortie",
        sortie.path().to_str().unwrap(),
    ]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let pdf = sortie.path().join("rapport-2013.pdf");
    assert!(pdf_sain(&pdf));
    // In the PDF's contents, under « 2 Le travail de rue »: 2.1; in its
    // text, 2.1.1 (the contents stop at the second level).
    let sommaire = plier(&pdftotext(&pdf, &["-f", "3", "-l", "3"]));
    assert!(sommaire.contains("2 Le travail de rue"), "{sommaire}");
    assert!(sommaire.contains("2.1 Les tournées"), "{sommaire}");
    assert!(plier(&pdftotext(&pdf, &[])).contains("2.1.1 Le bus"));
    // The web page: the section is h2, its sub-headings h3 and h4,
    // numbered as in the PDF.
    let html = std::fs::read_to_string(sortie.path().join("rapport-2013.html")).unwrap();
    assert!(
        html.contains("<h3><span class=\"numero\">2.1</span> Les tournées</h3>"),
        "h3"
    );
    assert!(
        html.contains("<h4><span class=\"numero\">2.1.1</span> Le bus</h4>"),
        "h4"
    );
    let texte = plier(&pdftotext(&pdf, &[]));
    // In the text (after the contents, where each follows a page number).
    for titre in ["Une année de terrain", "Nos partenaires"] {
        let ici = texte
            .rfind(titre)
            .unwrap_or_else(|| panic!("« {titre} » absent du PDF"));
        let avant = texte[..ici].trim_end();
        assert!(
            !avant.ends_with(|c: char| c.is_ascii_digit()),
            "« {titre} » numéroté : « …{} »",
            &avant[avant.len().saturating_sub(12)..]
        );
        assert!(
            html.contains(&format!("<h3>{titre}</h3>")),
            "{titre} en h3 sans numéro"
        );
    }
    // A section's title is numbered in the web page as in the PDF: « 2 Le
    // travail de rue », without a full stop, in the contents too.
    assert!(
        html.contains(
            "<h2 id=\"section-2-titre\"><span class=\"numero\">2</span> Le travail de rue</h2>"
        ),
        "titre de section"
    );
    assert!(
        html.contains(
            "<a href=\"#section-2\"><span class=\"numero\">2</span> Le travail de rue</a>"
        ),
        "sommaire"
    );
    // And the sample's own sub-headings keep the PDF's numbers.
    for (numero, titre) in [
        ("5.1", "Le repas communautaire"),
        ("7.2", "Nouveaux projets"),
    ] {
        assert!(sommaire.contains(&format!("{numero} {titre}")));
        assert!(
            html.contains(&format!(
                "<h3><span class=\"numero\">{numero}</span> {titre}</h3>"
            )),
            "{numero} {titre}"
        );
    }
}
