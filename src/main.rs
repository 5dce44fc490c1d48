use std::process::ExitCode;

use clap::Parser;
use rapport::cli::{Cli, Commande};
use rapport::error::CodeDeSortie;
use rapport::signaler;
use rapport::suivi::Suivi;

fn main() -> ExitCode {
    let debut = std::time::Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version: a closed pipe is not an error (see `rapport::console`).
            return match e.print() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    signaler!(
                        "erreur : impossible d'écrire sur la sortie standard ({})",
                        rapport::error::cause(&e)
                    );
                    ExitCode::from(CodeDeSortie::Ecriture as u8)
                }
                _ => ExitCode::SUCCESS,
            };
        }
        Err(e) => {
            signaler!("erreur : {}", rapport::cli::message_francais(&e));
            signaler!("Pour l'aide : rapport --help");
            return ExitCode::from(CodeDeSortie::Usage as u8);
        }
    };
    let document = cli.commande.document();
    // No progress bar with --quiet, nor while watching (a line per build says it).
    let surveille = matches!(&cli.commande, Commande::Build(a) if a.watch);
    let suivi = Suivi::new(surveille || document.is_some_and(|d| d.quiet));
    let timings = document.is_some_and(|d| d.timings);
    let resultat = match &cli.commande {
        Commande::Init(args) => rapport::cmd::init::executer(args),
        Commande::Check(args) => match rapport::cmd::check::executer(args, &suivi) {
            Ok(None) => Ok(()),
            Ok(Some(code)) => return fin(ExitCode::from(code as u8)),
            Err(e) => Err(e),
        },
        Commande::Build(args) if args.watch => rapport::cmd::surveiller::executer(args, &suivi),
        Commande::Build(args) => rapport::cmd::build::executer(args, &suivi),
        Commande::Compare(args) => rapport::cmd::compare::executer(args, &suivi),
        Commande::Extract(args) => rapport::cmd::extract::executer(args, &suivi),
        Commande::Journal(args) => rapport::cmd::journal::executer(args, &suivi),
        Commande::Completions(args) => rapport::cmd::completions::executer(args.interpreteur),
        Commande::Man => rapport::cmd::man::executer(),
    };
    if timings {
        rapport::console::ecrire(rapport::console::Flux::Erreur, suivi.resume(debut));
    }
    match resultat {
        Ok(()) => fin(ExitCode::SUCCESS),
        Err(e) => {
            signaler!("{}", e.texte());
            ExitCode::from(e.sortie() as u8)
        }
    }
}

/// `code`, unless standard output failed for another reason than a closed
/// pipe (see `rapport::console`): then an error, as for any output.
fn fin(code: ExitCode) -> ExitCode {
    match rapport::console::echec_sortie() {
        None => code,
        Some(cause) => {
            signaler!("erreur : impossible d'écrire sur la sortie standard ({cause})");
            ExitCode::from(CodeDeSortie::Ecriture as u8)
        }
    }
}
