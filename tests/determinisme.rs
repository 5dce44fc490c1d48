//! Reproducible builds: the same inputs and date give the same PDF bytes,
//! also when one process builds several times (as a live rebuild does).

#[test]
fn builds_repeated_in_one_process_give_identical_pdfs() {
    let date = time::Date::from_calendar_date(2026, time::Month::November, 28).unwrap();
    let projet = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    let dir = tempfile::tempdir().unwrap();
    let mut pdfs = Vec::new();
    for i in 0..3 {
        let sortie = dir.path().join(i.to_string());
        rapport::cmd::build::construire(&projet, &sortie, 2013, date).unwrap();
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
    let projet = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let jour = |j| time::Date::from_calendar_date(2026, time::Month::November, j).unwrap();
    rapport::cmd::build::construire(&projet, &a, 2013, jour(28)).unwrap();
    rapport::cmd::build::construire(&projet, &b, 2013, jour(29)).unwrap();
    let (a, b) = (
        std::fs::read(a.join("rapport-2013.pdf")).unwrap(),
        std::fs::read(b.join("rapport-2013.pdf")).unwrap(),
    );
    assert_ne!(a, b, "la date imprimée doit figurer dans le PDF");
}
