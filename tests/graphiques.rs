//! The report's charts: the association's colours, and a chart that only
//! repeats a table of its section.

mod commun;

use commun::*;

/// Declares `principale` as the main colour of the project `p`.
fn colorier(p: &std::path::Path, principale: &str) {
    remplacer(
        p,
        "rapport.toml",
        "[rapport]\n",
        &format!("[identite.couleurs]\nprincipale = \"{principale}\"\n\n[rapport]\n"),
    );
}

#[test]
fn the_colours_declared_in_the_model_colour_the_charts() {
    let projet = copie_echantillon();
    let p = projet.path();
    colorier(p, "#7a1f3d");
    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    let svg = std::fs::read_to_string(sortie.join("graphiques/contacts_rue.svg")).unwrap();
    assert!(
        svg.contains("#7A1F3D"),
        "la couleur déclarée n'est pas dans le graphique"
    );
    assert!(!svg.contains("#14506E"), "la couleur par défaut est restée");
}

#[test]
fn a_main_colour_too_light_for_text_is_refused_with_its_key() {
    let projet = copie_echantillon();
    let p = projet.path();
    colorier(p, "#f0c040");
    let r = rapport(&["check", "--projet", p.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(65));
    let err = plier(&format!(
        "{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    ));
    assert!(err.contains("identite.couleurs.principale"), "{err}");
    assert!(err.contains("trop claire"), "{err}");
}

#[test]
fn a_chart_that_only_repeats_three_figures_of_its_section_s_table_is_warned_about() {
    let projet = copie_echantillon();
    let p = projet.path();
    // Contacts in the street in 2013 by public: the table « rue » gives them.
    remplacer(
        p,
        "rapport.toml",
        "titre = \"Contacts lors du travail de rue, {{ annee - 2 }} à {{ annee }}\"\ntype = \"annees\"\nannees = 3",
        "titre = \"Contacts lors du travail de rue en {{ annee }}, par public\"\ntype = \"barres\"",
    );
    let r = rapport(&["check", "2013", "--projet", p.to_str().unwrap()]);
    let err = plier(&format!(
        "{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    ));
    assert!(err.contains("[graphiques.contacts_rue]"), "{err}");
    assert!(err.contains("ne montre que 3 chiffres"), "{err}");
    assert!(err.contains("repete_tableau = true"), "{err}");

    // Asked for, it is kept without a word.
    remplacer(
        p,
        "rapport.toml",
        "[graphiques.contacts_rue]\n",
        "[graphiques.contacts_rue]\nrepete_tableau = true\n",
    );
    let r = rapport(&["check", "2013", "--projet", p.to_str().unwrap()]);
    let err = plier(&format!(
        "{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    ));
    assert!(!err.contains("[graphiques.contacts_rue]"), "{err}");
}
