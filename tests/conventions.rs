//! The conventions of a command-line tool: a closed pipe is not an error.

mod commun;

use std::process::Stdio;

use commun::*;

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_usual_exit_code() {
    for args in [
        vec!["--help"],
        vec!["check", "--projet", echantillon().to_str().unwrap()],
    ] {
        // A pipe whose reader has gone before the command writes anything:
        // every write fails as under `| head -1` once head has exited.
        let (lecteur, ecrivain) = std::io::pipe().unwrap();
        drop(lecteur);
        let r = commande()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(ecrivain)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let erreur = String::from_utf8(r.stderr).unwrap();
        assert!(!erreur.contains("panicked"), "{args:?} : {erreur}");
        assert_eq!(erreur, "", "{args:?}");
        assert_eq!(r.status.code(), Some(0), "{args:?}");
    }
}
