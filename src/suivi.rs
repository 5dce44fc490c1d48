//! What a command measures and shows while it runs: the time each stage of
//! the pipeline took (for `--timings`, printed with the peak memory on
//! standard error) and progress bars for the stages that can take more than
//! a second. One [`Suivi`] per command, passed to the stages: the library
//! keeps no state of its own between two calls.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fr;

/// The stages whose time is measured, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Etape {
    Modele,
    /// The cache of checked exports: condensing the files, loading and writing entries.
    Cache,
    Lecture,
    Validation,
    Agregation,
    Secret,
    Graphiques,
    Textes,
    PageHtml,
    MiseEnPage,
    ExportPdf,
    Ecriture,
}

impl Etape {
    /// Its name, as `--timings` prints it.
    pub fn nom(self) -> &'static str {
        match self {
            Etape::Modele => "modèle",
            Etape::Cache => "cache des exports",
            Etape::Lecture => "lecture",
            Etape::Validation => "validation",
            Etape::Agregation => "agrégation",
            Etape::Secret => "secret",
            Etape::Graphiques => "graphiques",
            Etape::Textes => "textes",
            Etape::PageHtml => "page HTML",
            Etape::MiseEnPage => "mise en page",
            Etape::ExportPdf => "export PDF",
            Etape::Ecriture => "écriture",
        }
    }
}

/// The timings and progress bars of one command.
#[derive(Debug, Default)]
pub struct Suivi {
    /// Time spent per stage, in the order the stages first ran.
    durees: Mutex<Vec<(Etape, Duration)>>,
    /// No progress bar (`--quiet`, `--watch`).
    silence: bool,
}

impl Suivi {
    /// A command's tracking; `silence`: no progress bar.
    pub fn new(silence: bool) -> Suivi {
        Suivi {
            durees: Mutex::new(Vec::new()),
            silence,
        }
    }

    /// Runs `f`, adding its duration to `etape`.
    pub fn mesurer<T>(&self, etape: Etape, f: impl FnOnce() -> T) -> T {
        let debut = Instant::now();
        let resultat = f();
        self.ajouter(etape, debut.elapsed());
        resultat
    }

    /// Adds `duree` to `etape`.
    pub fn ajouter(&self, etape: Etape, duree: Duration) {
        let mut durees = self.durees.lock().unwrap_or_else(|e| e.into_inner());
        match durees.iter_mut().find(|(e, _)| *e == etape) {
            Some((_, d)) => *d += duree,
            None => durees.push((etape, duree)),
        }
    }

    /// Starts timing `etape` until the returned guard is dropped.
    pub fn etape(&self, etape: Etape) -> Chrono<'_> {
        Chrono {
            suivi: self,
            etape,
            debut: Instant::now(),
        }
    }

    /// The stages measured so far, and their durations.
    pub fn etapes(&self) -> Vec<(Etape, Duration)> {
        self.durees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forgets the stages measured so far: `build --watch` times each build.
    pub fn vider(&self) {
        self.durees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The timings as printed: one line per stage, the total since `debut`,
    /// the peak memory.
    pub fn resume(&self, debut: Instant) -> String {
        let secondes = |d: Duration| format!("{} s", fr::decimal(d.as_secs_f64(), 3));
        let mut texte = String::from("Durées par étape :\n");
        let etapes = self.etapes();
        let largeur = etapes
            .iter()
            .map(|(e, _)| e.nom().chars().count())
            .max()
            .unwrap_or(0);
        for (etape, duree) in &etapes {
            let nom = etape.nom();
            let espaces = largeur - nom.chars().count();
            texte.push_str(&format!(
                "  {nom}{} {:>9}\n",
                " ".repeat(espaces),
                secondes(*duree)
            ));
        }
        texte.push_str(&format!(
            "  {:largeur$} {:>9}\n",
            "total",
            secondes(debut.elapsed())
        ));
        if let Some(octets) = memoire_maximale() {
            texte.push_str(&format!(
                "Mémoire maximale : {} Mio\n",
                fr::nombre(octets as f64 / (1024.0 * 1024.0), 0)
            ));
        }
        texte
    }

    fn cible(&self) -> ProgressDrawTarget {
        if self.silence {
            ProgressDrawTarget::hidden()
        } else {
            // Hidden by indicatif itself when standard error is not a terminal.
            ProgressDrawTarget::stderr()
        }
    }

    /// A bar over `total` bytes, titled `message`.
    pub fn octets(&self, total: u64, message: &str) -> ProgressBar {
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {percent} % ({eta} restantes)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        ProgressBar::with_draw_target(Some(total), self.cible())
            .with_style(style)
            .with_message(message.to_string())
    }

    /// A spinner for a stage whose length is not known, titled `message`.
    pub fn attente(&self, message: &str) -> ProgressBar {
        let p = ProgressBar::with_draw_target(None, self.cible())
            .with_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            )
            .with_message(message.to_string());
        p.enable_steady_tick(Duration::from_millis(120));
        p
    }
}

/// A stage being timed: its duration is added when it is dropped.
pub struct Chrono<'s> {
    suivi: &'s Suivi,
    etape: Etape,
    debut: Instant,
}

impl Drop for Chrono<'_> {
    fn drop(&mut self) {
        self.suivi.ajouter(self.etape, self.debut.elapsed());
    }
}

/// The peak resident memory of the process, in bytes (Linux: `VmHWM`).
pub fn memoire_maximale() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let ligne = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let ko: u64 = ligne.split_whitespace().nth(1)?.parse().ok()?;
    Some(ko * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_commands_keep_their_own_timings() {
        let (a, b) = (Suivi::new(true), Suivi::new(true));
        a.ajouter(Etape::Lecture, Duration::from_millis(5));
        a.ajouter(Etape::Lecture, Duration::from_millis(5));
        drop(b.etape(Etape::Secret));
        assert_eq!(a.etapes(), [(Etape::Lecture, Duration::from_millis(10))]);
        assert_eq!(b.etapes().len(), 1);
        assert_eq!(b.etapes()[0].0, Etape::Secret);
        a.vider();
        assert!(a.etapes().is_empty());
    }
}
