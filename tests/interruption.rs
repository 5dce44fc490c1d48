//! Interrupted builds: a build that fails or is killed leaves the previous
//! report, or a complete new one; never a partial file.

mod commun;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use commun::*;

/// The sentence added to a narrative text after the first build.
const NOUVELLE: &str = "Cette phrase n'existait pas lors de la première construction.";

fn ajouter_phrase(projet: &Path) {
    let chemin = projet.join("textes/net.md");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    std::fs::write(&chemin, format!("{texte}\n{NOUVELLE}\n")).unwrap();
}

/// The temporary files left under `dossier`.
fn temporaires(dossier: &Path) -> Vec<std::path::PathBuf> {
    fichiers_sous(dossier)
        .into_keys()
        .filter(|c| {
            c.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".rapport-"))
        })
        .collect()
}

#[test]
fn an_output_that_cannot_be_written_leaves_the_previous_outputs_and_no_temporary_file() {
    // (what is put in the way, the path the message must name)
    let cas = [
        // A folder where a file must go: only its rename would fail.
        ("tableaux/net.csv", "tableaux/net.csv"),
        // A file where a folder must go: fails after other temporary files were written.
        ("graphiques", "graphiques"),
    ];
    for (obstacle, nomme) in cas {
        let projet = copie_echantillon();
        let p = projet.path();
        let sortie = p.join("sortie");
        construire(p, &sortie, 2013);
        let avant = fichiers_sous(&sortie);
        ajouter_phrase(p);

        let chemin = sortie.join(obstacle);
        if chemin.is_dir() {
            std::fs::remove_dir_all(&chemin).unwrap();
            std::fs::write(&chemin, "un fichier à la place du dossier").unwrap();
        } else {
            std::fs::remove_file(&chemin).unwrap();
            std::fs::create_dir(&chemin).unwrap();
            std::fs::write(chemin.join("occupe"), "un dossier à la place du fichier").unwrap();
        }
        let r = rapport(&[
            "build",
            "2013",
            "--projet",
            p.to_str().unwrap(),
            "--sortie",
            sortie.to_str().unwrap(),
            // Another date too: the record of definitions, written first, would change.
            "--date",
            "2026-11-29",
        ]);
        let message = String::from_utf8(r.stderr).unwrap();
        assert_eq!(r.status.code(), Some(73), "{message}");
        assert!(
            message.contains(&format!(
                "impossible d'écrire {}",
                sortie.join(nomme).display()
            )),
            "{message}"
        );
        assert!(message.contains("porte"), "{message}");
        // Every previous output that was not in the way is untouched.
        for (relatif, octets) in &avant {
            if relatif.starts_with(obstacle) {
                continue;
            }
            assert!(
                std::fs::read(sortie.join(relatif)).unwrap() == *octets,
                "{} a changé",
                relatif.display()
            );
        }
        assert!(
            std::fs::read(sortie.join("rapport-2013.pdf")).unwrap()
                == avant[Path::new("rapport-2013.pdf")]
        );
        assert_eq!(temporaires(&sortie), Vec::<std::path::PathBuf>::new());
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_pdf_or_a_complete_new_one() {
    let projet = copie_echantillon();
    let p = projet.path();
    let sortie = p.join("sortie");
    construire(p, &sortie, 2013);
    let pdf = sortie.join("rapport-2013.pdf");
    let ancien = std::fs::read(&pdf).unwrap();
    ajouter_phrase(p);

    // The new report, built elsewhere: builds are reproducible, so a complete
    // new PDF is this one. Its duration is used only to spread the kills
    // over a whole build.
    let reference = tempfile::tempdir().unwrap();
    let debut = Instant::now();
    construire(p, reference.path(), 2013);
    let duree = debut.elapsed();
    let nouveau = std::fs::read(reference.path().join("rapport-2013.pdf")).unwrap();
    assert_ne!(ancien, nouveau);

    let (mut anciens, mut nouveaux) = (0, 0);
    for i in 0..12 {
        // The previous report in place, then a rebuild killed after i/10 of a build.
        std::fs::write(&pdf, &ancien).unwrap();
        let delai = duree.mul_f64(i as f64 / 10.0) + Duration::from_millis(3 * i);
        let mut enfant = commande()
            .args([
                "build",
                "2013",
                "--quiet",
                "--date",
                "2026-11-28",
                "--projet",
            ])
            .arg(p)
            .arg("--sortie")
            .arg(&sortie)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delai);
        // SIGKILL: no chance to clean up. It may also come after the end.
        let _ = enfant.kill();
        enfant.wait().unwrap();

        let lu = std::fs::read(&pdf).unwrap();
        if lu == ancien {
            anciens += 1;
            continue;
        }
        nouveaux += 1;
        assert!(pdf_sain(&pdf), "essai {i} : PDF abîmé");
        assert!(
            texte_pdf(&pdf).contains(NOUVELLE),
            "essai {i} : ni l'ancien PDF ni le nouveau"
        );
        assert!(lu == nouveau, "essai {i} : PDF ni ancien ni complet");
    }
    eprintln!("{anciens} fois l'ancien PDF, {nouveaux} fois le nouveau");
}
