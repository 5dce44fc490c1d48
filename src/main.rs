use std::process::ExitCode;

use clap::Parser;
use rapport::cli::{Cli, Commande};
use rapport::error::Sortie;

fn main() -> ExitCode {
    let debut = std::time::Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("erreur : {}", rapport::cli::message_francais(&e));
            eprintln!("Pour l'aide : rapport --help");
            return ExitCode::from(Sortie::Usage as u8);
        }
    };
    let quiet = match &cli.commande {
        Commande::Build(a) => a.document.quiet,
        Commande::Compare(a) => a.document.quiet,
        Commande::Extract(a) => a.document.quiet,
        Commande::Check(_) => false,
    };
    if quiet {
        rapport::progression::silence();
    }
    let timings = match &cli.commande {
        Commande::Build(a) => a.document.timings,
        Commande::Compare(a) => a.document.timings,
        Commande::Extract(a) => a.document.timings,
        Commande::Check(_) => false,
    };
    let resultat = match &cli.commande {
        Commande::Check(args) => match rapport::cmd::check::executer(args) {
            Ok(None) => Ok(()),
            Ok(Some(code)) => return ExitCode::from(code as u8),
            Err(e) => Err(e),
        },
        Commande::Build(args) => rapport::cmd::build::executer(args),
        Commande::Compare(args) => rapport::cmd::compare::executer(args),
        Commande::Extract(args) => rapport::cmd::extract::executer(args),
    };
    if timings {
        eprint!("{}", rapport::chrono::resume(debut));
    }
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                // Each finding carries its own "erreur :" or "avertissement :".
                rapport::error::Erreur::Constats(c) => eprintln!("{c}"),
                _ => eprintln!("erreur : {e}"),
            }
            ExitCode::from(e.sortie() as u8)
        }
    }
}
