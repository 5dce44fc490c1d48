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

/// A running `rapport build 2013 --watch --timings`, killed when dropped.
struct Surveillance {
    enfant: Child,
    lignes: mpsc::Receiver<(bool, String)>,
    /// Every line read so far; `true` for standard error.
    lues: std::cell::RefCell<Vec<(bool, String)>>,
}

impl Surveillance {
    fn lancer(projet: &Path, sortie: &Path) -> Surveillance {
        let mut enfant = commande()
            .args([
                "build",
                "2013",
                "--watch",
                "--timings",
                "--date",
                "2026-11-28",
            ])
            .arg("--projet")
            .arg(projet)
            .arg("--sortie")
            .arg(sortie)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (envoi, lignes) = mpsc::channel();
        for (erreur, flux) in [
            (
                false,
                Box::new(enfant.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            ),
            (true, Box::new(enfant.stderr.take().unwrap())),
        ] {
            let envoi = envoi.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(flux).lines() {
                    let Ok(l) = l else { break };
                    if envoi.send((erreur, l)).is_err() {
                        break;
                    }
                }
            });
        }
        Surveillance {
            enfant,
            lignes,
            lues: Default::default(),
        }
    }

    /// Reads lines until `trouve` says one is there; gives the lines read
    /// by this call.
    fn lire_jusqua(&self, quoi: &str, trouve: impl Fn(&[(bool, String)]) -> bool) -> Vec<String> {
        let fin = Instant::now() + PATIENCE;
        let debut = self.lues.borrow().len();
        while !trouve(&self.lues.borrow()) {
            let reste = fin.saturating_duration_since(Instant::now());
            match self.lignes.recv_timeout(reste) {
                Ok(l) => self.lues.borrow_mut().push(l),
                Err(_) => panic!("{quoi} n'est jamais venu ; lu : {:#?}", self.lues.borrow()),
            }
        }
        self.lues.borrow()[debut..]
            .iter()
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// Reads lines until one contains `motif`; gives the lines read.
    fn attendre(&self, motif: &str) -> Vec<String> {
        let deja = self.lues.borrow().len();
        self.lire_jusqua(&format!("« {motif} »"), |l| {
            l[deja..].iter().any(|(_, l)| l.contains(motif))
        })
    }

    /// The stages timed by build `n` (1 for the first), from `--timings`.
    fn etapes(&self, n: usize) -> Vec<String> {
        let blocs = |l: &[(bool, String)]| {
            l.iter()
                .filter(|(e, l)| *e && l.trim_start().starts_with("total"))
                .count()
        };
        self.lire_jusqua(&format!("le bloc de durées n° {n}"), |l| blocs(l) >= n);
        let lues = self.lues.borrow();
        let erreur: Vec<&String> = lues.iter().filter(|(e, _)| *e).map(|(_, l)| l).collect();
        let mut bloc = 0;
        let mut etapes = Vec::new();
        for l in erreur {
            if l.starts_with("Durées par étape") {
                bloc += 1;
            } else if bloc == n && l.starts_with("  ") && !l.trim_start().starts_with("total") {
                let nom: Vec<&str> = l.split_whitespace().collect();
                etapes.push(nom[..nom.len() - 2].join(" "));
            }
        }
        etapes
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

    // The first build read the model and the exports and computed the
    // figures; the rebuild typeset again, and reused them.
    let premiere = s.etapes(1);
    for etape in [
        "modèle",
        "validation",
        "agrégation",
        "textes",
        "mise en page",
    ] {
        assert!(
            premiere.iter().any(|e| e == etape),
            "{etape} : {premiere:?}"
        );
    }
    let seconde = s.etapes(2);
    assert!(seconde.iter().any(|e| e == "mise en page"), "{seconde:?}");
    for etape in ["modèle", "validation", "agrégation"] {
        assert!(
            !seconde.iter().any(|e| e == etape),
            "{etape} refait : {seconde:?}"
        );
    }
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
        format!("{}\n30/12/2013;repas;local;;;;17;;;\n", texte.trim_end()),
    )
    .unwrap();

    s.attendre("Rapport 2013 écrit");
    let apres = valeur(&lire_csv(&csv), "repas", "2013", 2013);
    assert_eq!(
        apres.parse::<u32>().unwrap(),
        avant.parse::<u32>().unwrap() + 1
    );
}

#[test]
fn a_text_removed_while_watching_is_told_missing_and_its_return_rebuilds() {
    let projet = copie_echantillon();
    let sortie = tempfile::tempdir().unwrap();
    let mut s = Surveillance::lancer(projet.path(), sortie.path());
    s.attendre("[1] Rapport 2013 écrit");
    let texte = projet.path().join("textes/rue.md");
    let contenu = std::fs::read(&texte).unwrap();

    std::fs::remove_file(&texte).unwrap();
    let lues = s.attendre("Échec").join("\n");
    assert!(lues.contains("textes/rue.md : texte introuvable"), "{lues}");
    assert!(
        lues.contains("corrigez son chemin dans rapport.toml"),
        "{lues}"
    );
    assert!(s.vivant());

    std::fs::write(&texte, contenu).unwrap();
    s.attendre("Rapport 2013 écrit");
}

#[test]
fn a_long_watch_keeps_its_memory_from_growing_with_each_rebuild() {
    // Each rebuild after a sentence added lays out new paragraphs; what
    // Typst memoized for the older ones must be let go. Kept, it grew by
    // about 16 MiB a rebuild (1,4 Gio after 80 rebuilds of the sample).
    let projet = copie_echantillon();
    let sortie = tempfile::tempdir().unwrap();
    let s = Surveillance::lancer(projet.path(), sortie.path());
    s.attendre("[1] Rapport 2013 écrit");
    let n = 16;
    for i in 2..=n {
        ajouter(
            projet.path(),
            "textes/rue.md",
            &format!("Phrase numéro {i} ajoutée pendant la surveillance."),
        );
        s.attendre("Rapport 2013 écrit");
    }
    // The peak memory each build's `--timings` gives, in Mio, in order.
    let est_memoire = |(e, l): &(bool, String)| *e && l.starts_with("Mémoire maximale");
    s.lire_jusqua(&format!("la mémoire de la construction n° {n}"), |l| {
        l.iter().filter(|x| est_memoire(x)).count() >= n
    });
    let memoires: Vec<u64> = s
        .lues
        .borrow()
        .iter()
        .filter(|x| est_memoire(x))
        .map(|(_, l)| {
            let chiffres: String = l.chars().filter(char::is_ascii_digit).collect();
            chiffres.parse().unwrap()
        })
        .collect();
    assert!(memoires.len() >= n, "{memoires:?}");
    let (quatrieme, derniere) = (memoires[3], memoires[memoires.len() - 1]);
    assert!(
        derniere < quatrieme + 60,
        "mémoire maximale de {quatrieme} Mio après 4 constructions, {derniere} Mio après {} : {memoires:?}",
        memoires.len()
    );
}
