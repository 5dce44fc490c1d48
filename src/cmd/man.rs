//! `rapport man`: the manual page, generated from the command line's
//! definition (clap_mangen), with French section titles, one section per
//! command with its options and examples, and the exit codes.

use clap::CommandFactory;
use clap_mangen::Man;
use roff::{Roff, bold, roman};

use crate::cli::Cli;
use crate::console::{Flux, ecrire};
use crate::error::Resultat;

/// Runs `rapport man`: the page on standard output.
pub fn executer() -> Resultat<()> {
    ecrire(Flux::Standard, page());
    Ok(())
}

/// The exit codes, as the README's table gives them.
fn codes_de_sortie() -> Vec<(String, &'static str)> {
    let mut v = vec![("0".to_string(), "succès (check : rien à signaler)")];
    v.extend(
        crate::error::CodeDeSortie::TOUTES
            .iter()
            .map(|s| ((*s as i32).to_string(), s.sens())),
    );
    v
}

/// The whole page, in roff.
pub fn page() -> String {
    let mut cmd = Cli::command();
    // Gives each command its full name (« rapport build ») for its synopsis.
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let man = Man::new(cmd.clone());

    // roff's preamble (the only one of the page), then the title line,
    // written here: clap_mangen leaves out the empty date (no clock, for
    // the same page every time), shifting the fields after it.
    let mut page = Roff::new().render();
    page += &format!(".TH RAPPORT 1 \"\" \"rapport {version}\" \"Manuel de rapport\"\n");
    page += &section("NOM", corps(|w| man.render_name_section(w)));
    page += &section("SYNOPSIS", corps(|w| man.render_synopsis_section(w)));
    page += &section(
        "DESCRIPTION",
        texte([
            "rapport calcule les chiffres de l'année à partir des exports CSV d'une association (journal d'activité, suivis, indicateurs), selon les définitions de son modèle rapport.toml, et produit son rapport d'activité en PDF, avec chaque graphique en SVG et chaque tableau en CSV.",
            "Pour commencer : rapport init mon-association, puis lisez mon-association/LISEZMOI.md.",
        ]),
    );
    page += &section("OPTIONS", corps(|w| man.render_options_section(w)));
    for sous in cmd.get_subcommands() {
        let m = Man::new(sous.clone());
        let mut s = corps(|w| m.render_synopsis_section(w));
        s += ".PP\n";
        s += &corps(|w| m.render_description_section(w));
        if sous.get_arguments().any(|a| !a.is_hide_set()) {
            s += &corps(|w| m.render_options_section(w));
        }
        if let Some(apres) = sous.get_after_help() {
            s += &exemples(&apres.to_string());
        }
        let titre = format!("RAPPORT {}", sous.get_name().to_uppercase());
        page += &section(&titre, s);
    }
    let mut codes = Roff::new();
    for (code, sens) in codes_de_sortie() {
        codes
            .control("TP", [])
            .text([bold(code)])
            .text([roman(sens)]);
    }
    page += &section("CODES DE SORTIE", sans_preambule(&codes.render()));
    page += &section("VERSION", texte([format!("rapport {version}").as_str()]));
    page
}

/// A section titled `titre` holding `corps`.
fn section(titre: &str, corps: String) -> String {
    let mut r = Roff::new();
    r.control("SH", [titre]);
    sans_preambule(&r.render()) + &corps
}

/// What clap_mangen renders, without its section title (the page gives its
/// own, in French) nor the preamble each rendering repeats.
fn corps(rendre: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut octets = Vec::new();
    // Writing into memory cannot fail.
    let _ = rendre(&mut octets);
    let rendu = sans_preambule(&String::from_utf8_lossy(&octets));
    let mut lignes: Vec<&str> = rendu.lines().collect();
    if lignes.first().is_some_and(|l| l.starts_with(".SH")) {
        lignes.remove(0);
    }
    lignes.iter().map(|l| format!("{l}\n")).collect()
}

/// `rendu` without roff's apostrophe preamble, which the page's first lines
/// (before its `.TH`) already hold.
fn sans_preambule(rendu: &str) -> String {
    rendu
        .lines()
        .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Paragraphs of plain text.
fn texte<'a>(paragraphes: impl IntoIterator<Item = &'a str>) -> String {
    let mut r = Roff::new();
    for p in paragraphes {
        r.control("PP", []).text([roman(p)]);
    }
    sans_preambule(&r.render())
}

/// A command's text after its options (its examples), line for line.
fn exemples(apres: &str) -> String {
    let mut r = Roff::new();
    r.control("PP", []).control("nf", []);
    for ligne in apres.lines() {
        r.text([roman(ligne)]);
    }
    r.control("fi", []);
    sans_preambule(&r.render())
}
