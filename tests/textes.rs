//! The narrative texts: a glossary that knows what the report shows, French
//! typography, figures typed by hand, footnotes. Read back from the PDF
//! (text, words' positions, links), from the document handed to Typst, and
//! from the messages of `rapport check`.

mod commun;

use std::path::Path;

use commun::*;
use serde_json::{Value, json};

const FINE: char = '\u{202F}';
const INSECABLE: char = '\u{A0}';

/// `rapport check 2013` on `projet`: its exit code and standard output.
fn check(projet: &Path) -> (Option<i32>, String) {
    let r = rapport(&["check", "2013", "--projet", projet.to_str().unwrap()]);
    (r.status.code(), String::from_utf8(r.stdout).unwrap())
}

/// The blocks of the first text of the first section (`textes/introduction.md` in the sample).
fn introduction(document: &Value) -> &Value {
    &document["sections"][0]["elements"][0]["blocs"]
}

/// A copy of the sample whose glossary defines TDS and OFPRA (and AAH,
/// which no text uses), and whose introduction uses TDS, CAARUD and OFPRA.
fn projet_sigles() -> tempfile::TempDir {
    let projet = copie_echantillon();
    let p = projet.path();
    std::fs::write(
        p.join("glossaire.csv"),
        "sigle;definition\n\
         TDS;Travailleur-se-s du sexe\n\
         AAH;Allocation adulte handicapé\n\
         OFPRA;Office français de protection des réfugiés et apatrides\n",
    )
    .unwrap();
    std::fs::write(
        p.join("textes/introduction.md"),
        "Les TDS rencontrées en {{ annee }}.\n\n\
         Nous orientons vers le CAARUD et l'OFPRA ; les TDS le savent.\n",
    )
    .unwrap();
    projet
}

#[test]
fn the_glossary_holds_exactly_the_defined_sigles_the_report_uses() {
    let projet = projet_sigles();
    let sortie = projet.path().join("sortie");
    construire(projet.path(), &sortie, 2013);
    let texte = texte_pdf(&sortie.join("rapport-2013.pdf"));
    let debut = texte.rfind("Glossaire").unwrap();
    let fin = texte.rfind("Note sur les données").unwrap();
    // The glossary and the note share a page: a footer between them only if not.
    let glossaire = texte[debut..fin]
        .split(" Les Amarres — ")
        .next()
        .unwrap()
        .trim_end();
    assert_eq!(
        glossaire,
        "Glossaire OFPRA Office français de protection des réfugiés et apatrides TDS Travailleur-se-s du sexe"
    );

    // With glossaire_complet, every entry, in French order.
    remplacer(
        projet.path(),
        "rapport.toml",
        "glossaire = \"glossaire.csv\"\n",
        "glossaire = \"glossaire.csv\"\nglossaire_complet = true\n",
    );
    let tout = projet.path().join("tout");
    construire(projet.path(), &tout, 2013);
    let texte = texte_pdf(&tout.join("rapport-2013.pdf"));
    let debut = texte.rfind("Glossaire").unwrap();
    assert!(
        texte[debut..].starts_with("Glossaire AAH Allocation adulte handicapé OFPRA Office"),
        "{}",
        &texte[debut..]
    );
    // Listing them all is a choice: check no longer warns about the unused.
    let (code, dit) = check(projet.path());
    assert!(!dit.contains("du glossaire ne figure"), "{dit}");
    assert_eq!(code, Some(1), "{dit}");
}

#[test]
fn check_reports_the_undefined_sigle_with_its_file_and_line_and_the_unused_entries() {
    let projet = projet_sigles();
    let (code, dit) = check(projet.path());
    assert_eq!(code, Some(1), "{dit}");
    assert!(
        dit.contains(
            "avertissement : textes/introduction.md, ligne 3 : « CAARUD » ressemble à un sigle, mais le glossaire ne le définit pas\n  correction : ajoutez à glossaire.csv la ligne « CAARUD;sa définition », ou écrivez-le en toutes lettres"
        ),
        "{dit}"
    );
    assert!(!dit.contains("« TDS » ressemble"), "{dit}");
    assert!(!dit.contains("« OFPRA » ressemble"), "{dit}");
    assert!(
        dit.contains(
            "glossaire.csv : 1 sigle du glossaire ne figure nulle part dans le rapport 2013 : AAH"
        ),
        "{dit}"
    );
    // The other texts of the sample use sigles this glossary lacks: each is told once per text.
    assert_eq!(
        dit.matches("textes/rue.md, ligne 1 : « VIH » ressemble à un sigle")
            .count(),
        1,
        "{dit}"
    );
}

#[test]
fn a_misspelt_sigle_is_told_with_the_glossary_entry_it_resembles() {
    let projet = projet_sigles();
    remplacer(
        projet.path(),
        "textes/introduction.md",
        "l'OFPRA",
        "l'OFRPA",
    );
    let (_, dit) = check(projet.path());
    assert!(
        dit.contains("« OFRPA » ressemble à un sigle, mais le glossaire ne le définit pas\n  correction : vouliez-vous dire « OFPRA » ? sinon, ajoutez"),
        "{dit}"
    );
}

#[test]
fn the_first_tds_of_the_body_links_to_its_glossary_entry_and_the_next_does_not() {
    let projet = projet_sigles();
    // In the document handed to Typst: the first occurrence only is linked.
    let doc = document_2013(projet.path());
    let sigle = |lien: bool| json!({"t": "sigle", "v": "TDS", "lien": lien, "c": ["TDS"]});
    assert_eq!(
        introduction(&doc)[0]["c"],
        json!(["Les ", sigle(true), " rencontrées en 2013."])
    );
    assert_eq!(introduction(&doc)[1]["c"][3], sigle(false));

    // In the PDF: a link from that word to the glossary's TDS row.
    let sortie = projet.path().join("sortie");
    construire(projet.path(), &sortie, 2013);
    let pdf = sortie.join("rapport-2013.pdf");
    let mots = mots_pdf(&pdf);
    let page_glossaire = mots
        .iter()
        .find(|m| m.texte == "Travailleur-se-s")
        .unwrap()
        .page;
    let entree = mots
        .iter()
        .find(|m| m.page == page_glossaire && m.texte == "TDS")
        .unwrap();
    let sommaire: Vec<usize> = mots
        .iter()
        .filter(|m| m.texte == "Sommaire")
        .map(|m| m.page)
        .collect();
    let dans_le_corps: Vec<&Mot> = mots
        .iter()
        .filter(|m| {
            m.texte.starts_with("TDS") && !sommaire.contains(&m.page) && m.page < page_glossaire
        })
        .collect();
    let liens = liens_internes(&pdf);
    let (premier, second) = (dans_le_corps[0], dans_le_corps[1]);
    let lien = liens
        .iter()
        .find(|l| l.page == premier.page && l.contient(premier.centre_pdf()))
        .expect("le premier TDS du corps est un lien");
    assert_eq!(lien.cible, page_glossaire);
    // To its entry, not to the glossary's heading or another row: the view
    // starts a little above the place it leads to, and the first row below
    // that point is TDS's.
    let premiere_en_dessous = mots
        .iter()
        .filter(|m| {
            m.page == page_glossaire && ["Glossaire", "OFPRA", "TDS"].contains(&m.texte.as_str())
        })
        .filter(|m| m.hauteur_page - m.y.0 <= lien.cible_y)
        .min_by(|a, b| a.y.0.total_cmp(&b.y.0))
        .unwrap();
    assert_eq!(premiere_en_dessous.texte, "TDS");
    assert_eq!(premiere_en_dessous.y, entree.y);
    assert!(
        !liens
            .iter()
            .any(|l| l.page == second.page && l.contient(second.centre_pdf())),
        "le second TDS n'est pas un lien"
    );
}

#[test]
fn a_sigle_defined_twice_has_both_entries_and_its_first_occurrence_still_links() {
    let projet = projet_sigles();
    let chemin = projet.path().join("glossaire.csv");
    let glossaire = std::fs::read_to_string(&chemin).unwrap() + "TDS;Troubles du sommeil\n";
    std::fs::write(&chemin, glossaire).unwrap();
    let sortie = projet.path().join("sortie");
    construire(projet.path(), &sortie, 2013);
    let pdf = sortie.join("rapport-2013.pdf");
    let texte = texte_pdf(&pdf);
    assert!(
        texte.contains("TDS Travailleur-se-s du sexe TDS Troubles du sommeil"),
        "{texte}"
    );
    let mots = mots_pdf(&pdf);
    let page_glossaire = mots.iter().find(|m| m.texte == "Troubles").unwrap().page;
    let premier = mots
        .iter()
        .find(|m| m.texte == "TDS" && m.page > 3)
        .unwrap();
    assert!(liens_internes(&pdf).iter().any(|l| l.page == premier.page
        && l.contient(premier.centre_pdf())
        && l.cible == page_glossaire));
}

#[test]
fn french_punctuation_is_applied_to_the_rendered_text_but_not_to_urls_or_addresses() {
    let projet = copie_echantillon();
    let p = projet.path();
    std::fs::write(
        p.join("textes/introduction.md"),
        "Attention : il faut ; « bonjour » ! 62,5 % et 1 667 personnes. \
         Voir https://exemple.org/a?b=1;c:d'e et l'adresse contact@exemple.org !\n\n\
         Du \"texte\" : `a ; b` et {{ ind.contacts_net.total | nombre }} contacts.\n",
    )
    .unwrap();
    let doc = document_2013(p);
    assert_eq!(
        introduction(&doc)[0]["c"],
        json!([format!(
            "Attention{INSECABLE}: il faut{FINE}; «{FINE}bonjour{FINE}»{FINE}! 62,5{FINE}% et 1{FINE}667{INSECABLE}personnes. \
             Voir https://exemple.org/a?b=1;c:d'e et l’adresse contact@exemple.org{FINE}!"
        )])
    );
    // Code is left alone; a placeholder's figure keeps the filter's spaces and stays with its word.
    assert_eq!(
        introduction(&doc)[1]["c"],
        json!([
            format!("Du «{FINE}texte{FINE}»{INSECABLE}: "),
            {"t": "code", "v": "a ; b"},
            format!(" et 1{FINE}667{INSECABLE}contacts.")
        ])
    );
    // The source file is unchanged.
    assert!(
        std::fs::read_to_string(p.join("textes/introduction.md"))
            .unwrap()
            .starts_with("Attention : il faut ;")
    );
    // And the PDF shows it.
    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    let texte = texte_pdf(&sortie.join("rapport-2013.pdf"));
    assert!(
        texte.contains("Voir https://exemple.org/a?b=1;c:d'e et l'adresse contact@exemple.org !"),
        "{texte}"
    );
}

#[test]
fn a_hand_typed_figure_is_told_with_the_placeholder_to_use() {
    let projet = copie_echantillon();
    remplacer(
        projet.path(),
        "textes/net.md",
        "{{ ind.contacts_net.total | nombre }} travailleuses",
        "1 667 travailleuses",
    );
    remplacer(
        projet.path(),
        "textes/net.md",
        "({{ ind.theme_vih.groupes.hommes | pourcent }} des entretiens)",
        "(96 % des entretiens)",
    );
    let (code, dit) = check(projet.path());
    assert_eq!(code, Some(1), "{dit}");
    assert!(
        dit.contains(
            "avertissement : textes/net.md, ligne 3 : « 1 667 » est écrit à la main, mais c'est un chiffre que le modèle calcule : « Contacts » en 2013\n  correction : remplacez-le par {{ ind.contacts_net.total | nombre }} : le texte suivra toujours les exports"
        ),
        "{dit}"
    );
    assert!(
        dit.contains("textes/net.md, ligne 5 : « 96 » est écrit à la main")
            && dit.contains("{{ ind.theme_vih.groupes.hommes | pourcent }}"),
        "{dit}"
    );
    // The sample's own numbers are measures, not figures: nothing else is told.
    assert_eq!(dit.matches("est écrit à la main").count(), 2, "{dit}");
}

#[test]
fn unknown_placeholders_are_errors_naming_the_closest_indicators_all_at_once() {
    let projet = copie_echantillon();
    remplacer(
        projet.path(),
        "textes/rue.md",
        "ind.contacts_rue.total",
        "ind.contacts_ru.total",
    );
    remplacer(
        projet.path(),
        "textes/rue.md",
        "ind.contacts_rue.groupes.femmes",
        "ind.contacts_rue.groupes.femme",
    );
    let (code, dit) = check(projet.path());
    assert_eq!(code, Some(65), "{dit}");
    assert!(
        dit.contains(
            "erreur : textes/rue.md, ligne 3 : la variable « ind.contacts_ru.total » n'existe pas"
        ) && dit.contains(
            "correction : les indicateurs les plus proches s'appellent « contacts_rue » et « contacts_net »"
        ),
        "{dit}"
    );
    assert!(
        dit.contains("la variable « ind.contacts_rue.groupes.femme » n'existe pas")
            && dit.contains(
                "correction : les groupes de « contacts_rue » s'écrivent « femmes », « trans » et « hommes » ; le plus proche est « femmes »"
            ),
        "{dit}"
    );
    assert_eq!(dit.matches("erreur : ").count(), 2, "{dit}");
}

#[test]
fn a_markdown_footnote_is_a_footnote_at_the_foot_of_its_page() {
    let sortie = tempfile::tempdir().unwrap();
    construire(&echantillon(), sortie.path(), 2013);
    let pdf = sortie.path().join("rapport-2013.pdf");
    let mots = mots_pdf(&pdf);
    // The call: « HSH » followed by the note's number, in the body.
    let appel = mots.iter().find(|m| m.texte == "HSH1.").unwrap();
    let note = "Hommes ayant des relations sexuelles avec des hommes : la catégorie décrit des pratiques, non une identité.";
    let page = texte_pdf_page(&pdf, appel.page);
    let (corps, pied) = page
        .split_once(&format!("1{note}"))
        .unwrap_or_else(|| panic!("{page}"));
    // The sentence goes on after the call; the note is below everything but the page's footer.
    assert!(
        corps.contains("ni comme HSH1. Nous avons proposé"),
        "{page}"
    );
    assert!(
        pied.trim()
            .starts_with("Les Amarres — Rapport d'activité 2013"),
        "{page}"
    );
}

/// The text of page `page` of `pdf`, spaces folded.
fn texte_pdf_page(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    plier(&pdftotext(pdf, &["-layout", "-f", &n, "-l", &n]))
}

/// The embedded template `nom`, as shipped in `templates/`.
fn integre(nom: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(nom),
    )
    .unwrap()
}

#[test]
fn project_templates_written_before_sigles_and_glossary_labels_still_build() {
    // A commun.typ that knows no `sigle` nor `codebloc` node, beside the
    // embedded rapport.typ; then a rapport.typ whose glossary has no labels,
    // beside the embedded commun.typ.
    let ancien_commun: String = integre("commun.typ")
        .lines()
        .filter(|l| !l.contains("n.t == \"sigle\"") && !l.contains("n.t == \"codebloc\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let ancien_rapport = integre("rapport.typ").replace(
        "[#strong(e.sigle)#label(\"glossaire-\" + e.sigle)]",
        "strong(e.sigle)",
    );
    assert_ne!(ancien_commun, integre("commun.typ"));
    assert_ne!(ancien_rapport, integre("rapport.typ"));
    for (nom, texte) in [
        ("commun.typ", ancien_commun),
        ("rapport.typ", ancien_rapport),
    ] {
        let projet = projet_sigles();
        remplacer(
            projet.path(),
            "rapport.toml",
            "glossaire = \"glossaire.csv\"\n",
            "glossaire = \"glossaire.csv\"\ngabarits = \"gabarits\"\n",
        );
        std::fs::create_dir(projet.path().join("gabarits")).unwrap();
        std::fs::write(projet.path().join("gabarits").join(nom), texte).unwrap();
        std::fs::write(
            projet.path().join("textes/projets.md"),
            "Les TDS et du code :\n\n```\nx ; y\n```\n",
        )
        .unwrap();
        let sortie = projet.path().join("sortie");
        construire(projet.path(), &sortie, 2013);
        let pdf = sortie.join("rapport-2013.pdf");
        let texte = texte_pdf(&pdf);
        assert!(
            texte.contains("Les TDS rencontrées en 2013."),
            "{nom} : {texte}"
        );
        assert!(texte.contains("Les TDS et du code :"), "{nom} : {texte}");
        assert!(texte.contains("TDS Travailleur-se-s du sexe"), "{nom}");
        if nom == "rapport.typ" {
            // No entry to link to: the sigles are plain text.
            let mots = mots_pdf(&pdf);
            let page_glossaire = mots
                .iter()
                .find(|m| m.texte == "Travailleur-se-s")
                .unwrap()
                .page;
            assert!(
                !liens_internes(&pdf)
                    .iter()
                    .any(|l| l.cible == page_glossaire && l.page > 3)
            );
        }
    }
}
