//! Errors a coordinator can act on, and the process exit codes they map to.

use std::fmt;
use std::path::PathBuf;

/// Exit codes, in the spirit of BSD's sysexits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sortie {
    /// The command line is wrong (64).
    Usage = 64,
    /// An export, the model or a text holds a wrong value (65).
    Donnees = 65,
    /// An input file or folder is missing (66).
    Absent = 66,
    /// Something went wrong inside `rapport` (70).
    Interne = 70,
    /// An output could not be written (73).
    Ecriture = 73,
}

/// A problem located in one of the project's files.
#[derive(Debug, Clone, PartialEq)]
pub struct Probleme {
    /// The file, as the user knows it (relative to the project when possible).
    pub fichier: PathBuf,
    /// 1-based line, when known.
    pub ligne: Option<usize>,
    /// The column (header name), when known.
    pub colonne: Option<String>,
    /// The key of the model (`indicateurs.contacts_net`), when known.
    pub cle: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What was expected.
    pub attendu: Option<String>,
    /// How to fix it.
    pub correction: Option<String>,
}

impl Probleme {
    /// A problem in `fichier`, to be located further with the builder methods.
    pub fn new(fichier: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            fichier: fichier.into(),
            ligne: None,
            colonne: None,
            cle: None,
            message: message.into(),
            attendu: None,
            correction: None,
        }
    }

    pub fn ligne(mut self, ligne: usize) -> Self {
        self.ligne = Some(ligne);
        self
    }

    pub fn colonne(mut self, colonne: impl Into<String>) -> Self {
        self.colonne = Some(colonne.into());
        self
    }

    pub fn cle(mut self, cle: impl Into<String>) -> Self {
        self.cle = Some(cle.into());
        self
    }

    pub fn attendu(mut self, attendu: impl Into<String>) -> Self {
        self.attendu = Some(attendu.into());
        self
    }

    pub fn correction(mut self, correction: impl Into<String>) -> Self {
        self.correction = Some(correction.into());
        self
    }
}

impl fmt::Display for Probleme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fichier.display())?;
        if let Some(l) = self.ligne {
            write!(f, ", ligne {l}")?;
        }
        if let Some(c) = &self.colonne {
            write!(f, ", colonne « {c} »")?;
        }
        if let Some(c) = &self.cle {
            write!(f, ", [{c}]")?;
        }
        write!(f, " : {}", self.message)?;
        if let Some(a) = &self.attendu {
            write!(f, "\n  attendu : {a}")?;
        }
        if let Some(c) = &self.correction {
            write!(f, "\n  correction : {c}")?;
        }
        Ok(())
    }
}

/// The error type of the pipeline's stages.
#[derive(Debug, thiserror::Error)]
pub enum Erreur {
    /// Wrong data in an export, the model or a text.
    #[error("{0}")]
    Donnees(Box<Probleme>),
    /// A file or folder the build needs does not exist.
    #[error("{0}")]
    Absent(Box<Probleme>),
    /// The command line is wrong.
    #[error("{0}")]
    Usage(String),
    /// An output could not be written.
    #[error("impossible d'écrire {chemin} ({cause})")]
    Ecriture { chemin: PathBuf, cause: String },
    /// A bug or an unexpected condition.
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl Erreur {
    /// A missing input, located by `p`.
    pub fn absent(p: Probleme) -> Erreur {
        Erreur::Absent(Box::new(p))
    }

    /// The exit code for this error.
    pub fn sortie(&self) -> Sortie {
        match self {
            Erreur::Donnees(_) => Sortie::Donnees,
            Erreur::Absent(_) => Sortie::Absent,
            Erreur::Ecriture { .. } => Sortie::Ecriture,
            Erreur::Usage(_) => Sortie::Usage,
            Erreur::Interne(_) => Sortie::Interne,
        }
    }
}

impl From<Probleme> for Erreur {
    fn from(p: Probleme) -> Self {
        Erreur::Donnees(Box::new(p))
    }
}

impl From<polars::error::PolarsError> for Erreur {
    fn from(e: polars::error::PolarsError) -> Self {
        Erreur::Interne(format!("calcul des indicateurs : {e}"))
    }
}

pub type Resultat<T> = Result<T, Erreur>;
