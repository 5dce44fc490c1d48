//! The conventions of a command-line tool: help with examples, version,
//! shell completions, a manual page, no colour off a terminal, and a closed
//! pipe that is not an error.

mod commun;

use std::process::Stdio;

use clap::CommandFactory;
use commun::*;

/// The name of every command, as the command line declares them.
fn commandes() -> Vec<String> {
    rapport::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn the_help_of_rapport_and_of_every_command_shows_an_example() {
    let aide = lancer(&["--help"]);
    assert!(aide.contains("Exemple"), "{aide}");
    assert!(aide.contains("rapport init"), "{aide}");
    for commande in commandes() {
        let aide = lancer(&[&commande, "--help"]);
        assert!(
            aide.contains("Exemple"),
            "rapport {commande} --help : {aide}"
        );
    }
}

#[test]
fn the_version_is_the_crate_version() {
    assert_eq!(
        lancer(&["--version"]),
        format!("rapport {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_bash_completions_name_rapport_and_every_command() {
    let script = lancer(&["completions", "bash"]);
    assert!(script.contains("complete -F _rapport") || script.contains("-F _rapport"));
    for commande in commandes() {
        assert!(
            script.contains(&format!("rapport,{commande})")),
            "« {commande} » absente des complétions"
        );
    }
    // Options of the commands too.
    assert!(script.contains("--association"));
    assert!(script.contains("--projet"));
}

#[test]
fn every_shell_gets_a_completion_script() {
    for interpreteur in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = lancer(&["completions", interpreteur]);
        assert!(script.contains("rapport"), "{interpreteur}");
        assert!(script.contains("completions"), "{interpreteur}");
    }
    let r = rapport(&["completions", "csh"]);
    assert_eq!(r.status.code(), Some(64));
    let erreur = String::from_utf8(r.stderr).unwrap();
    assert!(
        erreur.contains("valeurs possibles : bash, elvish, fish, powershell, zsh"),
        "{erreur}"
    );
}

#[test]
fn the_man_page_has_its_title_line_the_french_description_and_every_command() {
    let page = lancer(&["man"]);
    assert!(
        page.contains(&format!(
            ".TH RAPPORT 1 \"\" \"rapport {}\" \"Manuel de rapport\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{page}"
    );
    assert_eq!(page.matches(".TH ").count(), 1);
    for attendu in [
        ".SH NOM",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        // roff writes an apostrophe as \*(Aq.
        "Rapport d\\*(Aqactivité annuel d\\*(Aqune association, à partir de ses exports CSV",
        ".SH \"CODES DE SORTIE\"",
    ] {
        assert!(page.contains(attendu), "« {attendu} » absent de la page");
    }
    for commande in commandes() {
        let titre = format!(".SH \"RAPPORT {}\"", commande.to_uppercase());
        assert!(page.contains(&titre), "« {titre} » absent de la page");
    }
}

#[test]
fn nothing_is_coloured_off_a_terminal() {
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["check", "--projet", echantillon().to_str().unwrap()],
    ] {
        let r = rapport(&args);
        assert!(
            !r.stdout.contains(&0x1b),
            "{args:?} : séquence d'échappement"
        );
        assert!(
            !r.stderr.contains(&0x1b),
            "{args:?} : séquence d'échappement"
        );
    }
    let r = rapport(&["inconnue"]);
    assert_eq!(r.status.code(), Some(64));
    assert!(!r.stderr.contains(&0x1b));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_usual_exit_code() {
    for args in [
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
        vec!["check", "--projet", echantillon().to_str().unwrap()],
    ] {
        // A pipe whose reader has gone before the command writes anything:
        // every write fails as under `| head -1` once head has exited.
        let (lecteur, ecrivain) = std::io::pipe().unwrap();
        drop(lecteur);
        let r = commande()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(ecrivain)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let erreur = String::from_utf8(r.stderr).unwrap();
        assert!(!erreur.contains("panicked"), "{args:?} : {erreur}");
        assert_eq!(erreur, "", "{args:?}");
        assert_eq!(r.status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn piped_into_head_the_first_line_comes_out_and_nothing_else() {
    let commande = format!(
        "'{}' completions bash | head -1",
        env!("CARGO_BIN_EXE_rapport")
    );
    let r = std::process::Command::new("sh")
        .args(["-c", &commande])
        .output()
        .unwrap();
    assert!(r.status.success());
    let sortie = String::from_utf8(r.stdout).unwrap();
    assert_eq!(sortie, "_rapport() {\n");
    assert_eq!(String::from_utf8(r.stderr).unwrap(), "");
}
