//! The layout rules of ARCHITECTURE.md, checked on the sources: a command
//! never imports another command, the library never imports a command,
//! rendering never reads an export, and only `output` writes files.

use std::path::{Path, PathBuf};

/// The Rust files under `dossier`, with their code: comment lines and the
/// `#[cfg(test)]` module at the end left out.
fn sources(dossier: &str) -> Vec<(PathBuf, String)> {
    fn parcourir(d: &Path, v: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                parcourir(&p, v);
            } else if p.extension().is_some_and(|x| x == "rs") {
                v.push(p);
            }
        }
    }
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    parcourir(&racine.join(dossier), &mut v);
    v.sort();
    v.into_iter()
        .map(|p| {
            let texte = std::fs::read_to_string(&p).unwrap();
            let code = texte.split("#[cfg(test)]").next().unwrap_or("");
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("{l}\n"))
                .collect();
            (p.strip_prefix(racine).unwrap().to_path_buf(), code)
        })
        .collect()
}

/// Fails if a file of `fichiers` holds one of `motifs`, saying `pourquoi`.
fn refuser(fichiers: &[(PathBuf, String)], motifs: &[&str], pourquoi: &str) {
    for (chemin, code) in fichiers {
        for motif in motifs {
            assert!(
                !code.contains(motif),
                "{} emploie « {motif} »{pourquoi}",
                chemin.display()
            );
        }
    }
}

const COMMANDES: [&str; 9] = [
    "build",
    "check",
    "compare",
    "completions",
    "extract",
    "init",
    "journal",
    "man",
    "surveiller",
];

#[test]
fn no_command_imports_another_command() {
    let mut fichiers = sources("src/cmd");
    fichiers.retain(|(p, _)| !p.ends_with("mod.rs"));
    let motifs: Vec<String> = COMMANDES
        .iter()
        .flat_map(|c| [format!("super::{c}"), format!("crate::cmd::{c}")])
        .collect();
    let motifs: Vec<&str> = motifs.iter().map(String::as_str).collect();
    refuser(
        &fichiers,
        &motifs,
        " : ce qu'une commande partage avec une autre est une étape de la bibliothèque",
    );
}

#[test]
fn the_library_tests_and_benches_never_reach_the_pipeline_through_a_command() {
    let mut fichiers = sources("src");
    fichiers.retain(|(p, _)| !p.starts_with("src/cmd") && !p.ends_with("main.rs"));
    fichiers.extend(sources("benches"));
    fichiers.extend(
        sources("tests")
            .into_iter()
            .filter(|(p, _)| !p.ends_with("architecture.rs")),
    );
    assert!(fichiers.len() > 30);
    refuser(&fichiers, &["crate::cmd", "rapport::cmd"], "");
}

#[test]
fn rendering_never_reads_an_export() {
    for dossier in ["src/charts", "src/document", "src/web", "src/texts"] {
        refuser(
            &sources(dossier),
            &["crate::exports", "polars"],
            " : le rendu lit les chiffres publiés, pas les exports",
        );
    }
}

#[test]
fn only_the_output_stage_writes_files() {
    let mut fichiers = sources("src");
    fichiers.retain(|(p, _)| !p.starts_with("src/output"));
    assert!(fichiers.len() > 30);
    refuser(
        &fichiers,
        &[
            "fs::write",
            "File::create",
            "fs::rename",
            "create_dir",
            "OpenOptions",
            ".persist(",
        ],
        " : seul src/output écrit des fichiers",
    );
}
