//! `rapport build --watch`: a change to a text is in the PDF a moment
//! later; an error is printed and the watch goes on.

mod commun;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use commun::*;

/// Generous: the first build of a debug binary on a busy machine.
const PATIENCE: Duration = Duration::from_secs(300);

/// A running `rapport build 2013 --watch`, killed when dropped.
struct Surveillance {
    enfant: Child,
    lignes: mpsc::Receiver<String>,
}

impl Surveillance {
    fn lancer(projet: &Path, sortie: &Path) -> Surveillance {
        let mut enfant = commande()
            .args([
                "build",
                "2013",
                "--watch",
                "--date",
                "2026-11-28",
                "--projet",
            ])
            .arg(projet)
            .arg("--sortie")
            .arg(sortie)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (envoi, lignes) = mpsc::channel();
        for flux in [
            Box::new(enfant.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(enfant.stderr.take().unwrap()),
        ] {
            let envoi = envoi.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(flux).lines() {
                    let Ok(l) = l else { break };
                    if envoi.send(l).is_err() {
                        break;
                    }
                }
            });
        }
        Surveillance { enfant, lignes }
    }

    /// Reads lines until one contains `motif`; gives the lines read.
    fn attendre(&self, motif: &str) -> Vec<String> {
        let fin = Instant::now() + PATIENCE;
        let mut lues = Vec::new();
        loop {
            let reste = fin.saturating_duration_since(Instant::now());
            match self.lignes.recv_timeout(reste) {
                Ok(l) => {
                    let trouve = l.contains(motif);
                    lues.push(l);
                    if trouve {
                        return lues;
                    }
                }
                Err(_) => panic!("« {motif} » n'est jamais venu ; lu : {lues:#?}"),
            }
        }
    }

    fn vivant(&mut self) -> bool {
        self.enfant.try_wait().unwrap().is_none()
    }
}

impl Drop for Surveillance {
    fn drop(&mut self) {
        let _ = self.enfant.kill();
        let _ = self.enfant.wait();
    }
}

/// Appends `phrase` as a new paragraph to the text `fichier` of `projet`.
fn ajouter(projet: &Path, fichier: &str, phrase: &str) {
    let chemin = projet.join(fichier);
    let mut texte = std::fs::read_to_string(&chemin).unwrap();
    texte.push_str(&format!("\n\n{phrase}\n"));
    std::fs::write(&chemin, texte).unwrap();
}

#[test]
fn editing_a_text_while_watching_rebuilds_the_pdf_with_the_new_sentence() {
    let projet = copie_echantillon();
    let sortie = tempfile::tempdir().unwrap();
    let mut s = Surveillance::lancer(projet.path(), sortie.path());
    s.attendre("[1] Rapport 2013 écrit");
    let pdf = sortie.path().join("rapport-2013.pdf");
    assert!(!texte_pdf(&pdf).contains("Phrase ajoutée pendant la surveillance"));

    ajouter(
        projet.path(),
        "textes/rue.md",
        "Phrase ajoutée pendant la surveillance.",
    );
    let lues = s.attendre("Rapport 2013 écrit");
    assert!(
        lues.last().unwrap().starts_with("[2]"),
        "une seule reconstruction pour une modification : {lues:?}"
    );
    assert!(texte_pdf(&pdf).contains("Phrase ajoutée pendant la surveillance."));
    assert!(s.vivant());
}

#[test]
fn an_error_while_watching_is_printed_and_the_next_fix_rebuilds() {
    let projet = copie_echantillon();
    let sortie = tempfile::tempdir().unwrap();
    let mut s = Surveillance::lancer(projet.path(), sortie.path());
    s.attendre("[1] Rapport 2013 écrit");
    let pdf = sortie.path().join("rapport-2013.pdf");
    let avant = std::fs::read(&pdf).unwrap();

    ajouter(
        projet.path(),
        "textes/rue.md",
        "Il y a eu {{ ind.contact_rue.total }} contacts.",
    );
    let lues = s.attendre("Échec");
    let tout = lues.join("\n");
    assert!(tout.contains("textes/rue.md"), "{tout}");
    assert!(
        tout.contains("contacts_rue"),
        "le nom le plus proche : {tout}"
    );
    assert!(s.vivant(), "la surveillance continue après une erreur");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        avant,
        "le PDF précédent reste en place"
    );

    remplacer(
        projet.path(),
        "textes/rue.md",
        "{{ ind.contact_rue.total }}",
        "{{ ind.contacts_rue.total | nombre }}",
    );
    s.attendre("Rapport 2013 écrit");
    assert!(texte_pdf(&pdf).contains("Il y a eu 3 516 contacts."));
}

#[test]
fn an_export_changed_while_watching_is_read_again() {
    let projet = copie_echantillon();
    let sortie = tempfile::tempdir().unwrap();
    let s = Surveillance::lancer(projet.path(), sortie.path());
    s.attendre("[1] Rapport 2013 écrit");
    let csv = sortie.path().join("tableaux/chiffres_cles.csv");
    let avant = valeur(&lire_csv(&csv), "repas", "2013", 2013);

    // One more community meal in 2013, appended to the activity journal.
    let export = projet.path().join("donnees/activites.csv");
    let texte = std::fs::read_to_string(&export).unwrap();
    std::fs::write(
        &export,
        format!("{}\n30/12/2013;repas;local;;;;17;;\n", texte.trim_end()),
    )
    .unwrap();

    s.attendre("Rapport 2013 écrit");
    let apres = valeur(&lire_csv(&csv), "repas", "2013", 2013);
    assert_eq!(
        apres.parse::<u32>().unwrap(),
        avant.parse::<u32>().unwrap() + 1
    );
}
