//! `rapport completions SHELL`: the completion script of a shell, generated
//! from the command line's definition (clap_complete).

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::console::{Flux, ecrire};
use crate::error::Resultat;

/// Runs `rapport completions`: the script on standard output.
pub fn executer(interpreteur: Shell) -> Resultat<()> {
    ecrire(Flux::Standard, script(interpreteur));
    Ok(())
}

/// The completion script for `interpreteur`, for the command `rapport`.
pub fn script(interpreteur: Shell) -> Vec<u8> {
    // Generated in memory: clap_complete panics when its writer fails, and
    // standard output may be a closed pipe (see `crate::console`).
    let mut script = Vec::new();
    clap_complete::generate(interpreteur, &mut Cli::command(), "rapport", &mut script);
    script
}
