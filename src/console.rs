//! Standard output and standard error, written without ever panicking.
//!
//! `println!` panics when the reader of a pipe has gone (`rapport check |
//! head -1`): Rust ignores SIGPIPE, so the write fails with `BrokenPipe`.
//! Restoring SIGPIPE's default at start (the C tools' behaviour) would need
//! `unsafe` and the libc crate, would kill the process with a signal (exit
//! status 141, an error for `set -o pipefail`), and does nothing on Windows,
//! where the same write fails the same way. Writing through these functions
//! instead is std-only and portable: when nobody reads any more, the rest of
//! what the command says is dropped, the command finishes its work (a build
//! still writes its files) and exits with its usual code. Any other failure
//! to write standard output (a full disk under `> fichier`) is remembered,
//! and `main` exits with code 73.

use std::io::Write;
use std::sync::Mutex;

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flux {
    /// Standard output: what the command produces.
    Standard,
    /// Standard error: warnings, errors, timings.
    Erreur,
}

/// What became of each stream: whether its reader has gone, and the first
/// failure of standard output other than that.
struct Etat {
    sortie_fermee: bool,
    erreur_fermee: bool,
    echec_sortie: Option<String>,
}

static ETAT: Mutex<Etat> = Mutex::new(Etat {
    sortie_fermee: false,
    erreur_fermee: false,
    echec_sortie: None,
});

/// Writes `texte` (text, or bytes such as a generated script) to `flux` as
/// is, and flushes it.
pub fn ecrire(flux: Flux, texte: impl AsRef<[u8]>) {
    let texte = texte.as_ref();
    let mut etat = ETAT.lock().unwrap_or_else(|e| e.into_inner());
    let fermee = match flux {
        Flux::Standard => etat.sortie_fermee || etat.echec_sortie.is_some(),
        Flux::Erreur => etat.erreur_fermee,
    };
    if fermee {
        return;
    }
    let resultat = match flux {
        Flux::Standard => {
            let mut s = std::io::stdout().lock();
            s.write_all(texte).and_then(|()| s.flush())
        }
        Flux::Erreur => {
            let mut s = std::io::stderr().lock();
            s.write_all(texte).and_then(|()| s.flush())
        }
    };
    let Err(e) = resultat else { return };
    match (flux, e.kind()) {
        (Flux::Standard, std::io::ErrorKind::BrokenPipe) => etat.sortie_fermee = true,
        (Flux::Standard, _) => etat.echec_sortie = Some(crate::error::cause(&e)),
        // Nowhere to report a failure of standard error: it is dropped.
        (Flux::Erreur, _) => etat.erreur_fermee = true,
    }
}

/// Why standard output could not be written, when it failed for another
/// reason than its reader going away.
pub fn echec_sortie() -> Option<String> {
    ETAT.lock()
        .unwrap_or_else(|e| e.into_inner())
        .echec_sortie
        .clone()
}

/// `println!` that never panics: see the module's documentation.
#[macro_export]
macro_rules! afficher {
    () => {
        $crate::console::ecrire($crate::console::Flux::Standard, "\n")
    };
    ($($arg:tt)*) => {
        $crate::console::ecrire($crate::console::Flux::Standard, &format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics: see the module's documentation.
#[macro_export]
macro_rules! signaler {
    ($($arg:tt)*) => {
        $crate::console::ecrire($crate::console::Flux::Erreur, &format!("{}\n", format_args!($($arg)*)))
    };
}
