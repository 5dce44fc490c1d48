//! French typography in every output a reader sees: no straight apostrophe
//! in the text of the report, the extracts and the comparison (titles,
//! labels, captions, footers, covers, charts), nor in the web page.

mod commun;

use commun::*;

#[test]
fn no_straight_apostrophe_appears_in_any_document_a_reader_sees() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    lancer_sur(
        &echantillon(),
        d,
        &["build", "2013", "--format", "pdf,html"],
    );
    lancer_sur(&echantillon(), d, &["extract", "--tous", "2013"]);
    lancer_sur(&echantillon(), d, &["compare", "2012", "2013"]);
    let mut pdfs = vec![
        d.join("rapport-2013.pdf"),
        d.join("comparaison-2012-2013.pdf"),
    ];
    for e in std::fs::read_dir(d.join("extraits")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pdf") {
            pdfs.push(p);
        }
    }
    assert_eq!(pdfs.len(), 5);
    for pdf in &pdfs {
        let texte = pdftotext(pdf, &[]);
        // The sample's labels and texts hold many (« Rapport d'activité »…).
        assert!(texte.contains('’'), "{}", pdf.display());
        let droites: Vec<&str> = texte.lines().filter(|l| l.contains('\'')).collect();
        assert!(droites.is_empty(), "{} : {droites:?}", pdf.display());
    }
    // The web page's visible text: outside tags, the style sheet and attributes.
    let html = std::fs::read_to_string(d.join("rapport-2013.html")).unwrap();
    let corps = &html[html.find("<body").unwrap()..];
    let mut visible = String::new();
    let mut dans_balise = false;
    for c in corps.chars() {
        match c {
            '<' => dans_balise = true,
            '>' => dans_balise = false,
            _ if !dans_balise => visible.push(c),
            _ => {}
        }
    }
    let visible = visible.replace("&#39;", "'").replace("&apos;", "'");
    let droites: Vec<&str> = visible.lines().filter(|l| l.contains('\'')).collect();
    assert!(droites.is_empty(), "page web : {droites:?}");
}
