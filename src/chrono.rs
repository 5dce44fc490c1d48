//! Stage timings, for `--timings`: each stage of the pipeline adds the time
//! it took; the command prints them, with the peak memory, on standard error.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::fr;

/// Time spent per stage, in the order the stages first ran.
static ETAPES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Runs `f`, adding its duration to `etape`.
pub fn mesurer<T>(etape: &'static str, f: impl FnOnce() -> T) -> T {
    let debut = Instant::now();
    let resultat = f();
    ajouter(etape, debut.elapsed());
    resultat
}

/// Adds `duree` to `etape`.
pub fn ajouter(etape: &'static str, duree: Duration) {
    let mut etapes = ETAPES.lock().unwrap_or_else(|e| e.into_inner());
    match etapes.iter_mut().find(|(nom, _)| *nom == etape) {
        Some((_, d)) => *d += duree,
        None => etapes.push((etape, duree)),
    }
}

/// The stages measured so far, and their durations.
pub fn etapes() -> Vec<(&'static str, Duration)> {
    ETAPES.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Forgets the stages measured so far: `build --watch` times each build.
pub fn vider() {
    ETAPES.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// The peak resident memory of the process, in bytes (Linux: `VmHWM`).
pub fn memoire_maximale() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let ligne = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let ko: u64 = ligne.split_whitespace().nth(1)?.parse().ok()?;
    Some(ko * 1024)
}

/// The timings as printed: one line per stage, the total since `debut`, the peak memory.
pub fn resume(debut: Instant) -> String {
    let secondes = |d: Duration| format!("{} s", fr::decimal(d.as_secs_f64(), 3));
    let mut texte = String::from("Durées par étape :\n");
    let etapes = etapes();
    let largeur = etapes
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (nom, duree) in &etapes {
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

/// A stage being timed: its duration is added when it is dropped.
pub struct Etape {
    nom: &'static str,
    debut: Instant,
}

/// Starts timing `nom` until the returned guard is dropped.
pub fn etape(nom: &'static str) -> Etape {
    Etape {
        nom,
        debut: Instant::now(),
    }
}

impl Drop for Etape {
    fn drop(&mut self) {
        ajouter(self.nom, self.debut.elapsed());
    }
}
