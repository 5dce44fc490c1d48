//! Errors a coordinator can act on, and the process exit codes they map to.

use std::fmt;
use std::path::PathBuf;

/// Exit codes, in the spirit of BSD's sysexits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeDeSortie {
    /// `rapport check` found warnings but no error (1).
    Avertissements = 1,
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

impl CodeDeSortie {
    /// Every code but 0, in order.
    pub const TOUTES: [CodeDeSortie; 6] = [
        CodeDeSortie::Avertissements,
        CodeDeSortie::Usage,
        CodeDeSortie::Donnees,
        CodeDeSortie::Absent,
        CodeDeSortie::Interne,
        CodeDeSortie::Ecriture,
    ];

    /// What the code means, as `rapport man` and the README say it.
    pub fn sens(self) -> &'static str {
        match self {
            CodeDeSortie::Avertissements => {
                "check seulement : des avertissements, mais aucune erreur ; le rapport peut être produit"
            }
            CodeDeSortie::Usage => {
                "ligne de commande incorrecte (option inconnue, année qui n'en est pas une…), ou dossier non vide pour init"
            }
            CodeDeSortie::Donnees => {
                "données incorrectes : un export, le modèle, un texte ou un gabarit du projet contient une valeur fausse"
            }
            CodeDeSortie::Absent => "un fichier ou un dossier nécessaire est absent",
            CodeDeSortie::Interne => "erreur interne (un défaut de rapport : merci de le signaler)",
            CodeDeSortie::Ecriture => {
                "un résultat ne peut pas être écrit (les résultats précédents restent tels quels)"
            }
        }
    }
}

/// A problem located in one of the project's files.
#[derive(Debug, Clone, PartialEq)]
pub struct Probleme {
    /// The file, as the user knows it (relative to the project when possible).
    pub fichier: PathBuf,
    /// 1-based line, when known.
    pub ligne: Option<usize>,
    /// The sheet of a workbook (`.xlsx`, `.ods`), when known.
    pub feuille: Option<String>,
    /// The cell of a workbook's sheet (`B12`), when known: said instead of the line.
    pub cellule: Option<String>,
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
            feuille: None,
            cellule: None,
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

    /// The sheet of a workbook the problem is in.
    pub fn feuille(mut self, feuille: impl Into<String>) -> Self {
        self.feuille = Some(feuille.into());
        self
    }

    /// The cell of the sheet (`B12`): said instead of the line.
    pub fn cellule(mut self, cellule: impl Into<String>) -> Self {
        self.cellule = Some(cellule.into());
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
        if let Some(feuille) = &self.feuille {
            write!(f, ", feuille « {feuille} »")?;
        }
        if let Some(c) = &self.cellule {
            write!(f, ", cellule {c}")?;
        } else if let Some(l) = self.ligne {
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

/// How serious a finding of `rapport check` (or of reading) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gravite {
    /// Something to look at; the report can still be built.
    Avertissement,
    /// The report cannot be built until it is fixed.
    Erreur,
}

/// One finding: a located problem and how serious it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Constat {
    pub gravite: Gravite,
    /// A missing input rather than a wrong value (exit code 66 rather than 65).
    pub absent: bool,
    pub probleme: Probleme,
    /// How many findings it stands for: 1, or for « et 70 autres
    /// avertissements, non détaillés », the 70 it sums up.
    pub nombre: usize,
}

/// Every finding of a reading or a check, in the order found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constats {
    pub liste: Vec<Constat>,
}

impl Constats {
    pub fn erreur(&mut self, p: impl Into<Probleme>) {
        self.liste.push(Constat {
            gravite: Gravite::Erreur,
            absent: false,
            probleme: p.into(),
            nombre: 1,
        });
    }

    pub fn absent(&mut self, p: Probleme) {
        self.liste.push(Constat {
            gravite: Gravite::Erreur,
            absent: true,
            probleme: p,
            nombre: 1,
        });
    }

    pub fn avertissement(&mut self, p: Probleme) {
        self.liste.push(Constat {
            gravite: Gravite::Avertissement,
            absent: false,
            probleme: p,
            nombre: 1,
        });
    }

    /// One line for `nombre` findings not shown in detail, counted as many.
    pub fn resume(&mut self, gravite: Gravite, p: Probleme, nombre: usize) {
        self.liste.push(Constat {
            gravite,
            absent: false,
            probleme: p,
            nombre,
        });
    }

    /// Adds the finding an error stands for (for errors raised by a stage that stops at the first).
    pub fn depuis(&mut self, e: Erreur) {
        match e {
            Erreur::Donnees(p) => self.erreur(*p),
            Erreur::Absent(p) => self.absent(*p),
            Erreur::Constats(c) => self.liste.extend(c.liste),
            autre => self.erreur(Probleme::new("", autre.to_string())),
        }
    }

    pub fn etendre(&mut self, autres: Constats) {
        self.liste.extend(autres.liste);
    }

    /// The errors found, those summed up in one line included.
    pub fn erreurs(&self) -> usize {
        self.compter(Gravite::Erreur)
    }

    /// The warnings found, those summed up in one line included.
    pub fn avertissements(&self) -> usize {
        self.compter(Gravite::Avertissement)
    }

    fn compter(&self, gravite: Gravite) -> usize {
        self.liste
            .iter()
            .filter(|c| c.gravite == gravite)
            .map(|c| c.nombre)
            .sum()
    }

    /// The warnings only (what a successful build still shows).
    pub fn seulement_avertissements(&self) -> impl Iterator<Item = &Constat> {
        self.liste
            .iter()
            .filter(|c| c.gravite == Gravite::Avertissement)
    }

    /// `Err` with every finding when there is at least one error.
    pub fn resultat(self) -> Resultat<Constats> {
        if self.erreurs() > 0 {
            Err(Erreur::Constats(Box::new(self)))
        } else {
            Ok(self)
        }
    }
}

impl fmt::Display for Constat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let etiquette = match self.gravite {
            Gravite::Erreur => "erreur",
            Gravite::Avertissement => "avertissement",
        };
        write!(f, "{etiquette} : {}", self.probleme)
    }
}

impl fmt::Display for Constats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Errors first: they are what stops the build.
        let mut tries: Vec<&Constat> = self.liste.iter().collect();
        tries.sort_by_key(|c| std::cmp::Reverse(c.gravite));
        for (i, c) in tries.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{c}")?;
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
    /// Several findings, at least one of them an error (what reading or `check` found).
    #[error("{0}")]
    Constats(Box<Constats>),
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
    /// The error as printed on standard error: each finding of a
    /// [`Constats`] carries its own « erreur : » or « avertissement : ».
    pub fn texte(&self) -> String {
        match self {
            Erreur::Constats(c) => c.to_string(),
            _ => format!("erreur : {self}"),
        }
    }

    /// A missing input, located by `p`.
    pub fn absent(p: Probleme) -> Erreur {
        Erreur::Absent(Box::new(p))
    }

    /// The exit code for this error.
    pub fn sortie(&self) -> CodeDeSortie {
        match self {
            Erreur::Donnees(_) => CodeDeSortie::Donnees,
            Erreur::Absent(_) => CodeDeSortie::Absent,
            Erreur::Constats(c) => {
                let erreurs = || c.liste.iter().filter(|c| c.gravite == Gravite::Erreur);
                if erreurs().all(|c| c.absent) {
                    CodeDeSortie::Absent
                } else {
                    CodeDeSortie::Donnees
                }
            }
            Erreur::Ecriture { .. } => CodeDeSortie::Ecriture,
            Erreur::Usage(_) => CodeDeSortie::Usage,
            Erreur::Interne(_) => CodeDeSortie::Interne,
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

/// Why a file could not be written, in French for the usual causes.
pub fn cause(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission refusée".into(),
        K::NotFound => "dossier introuvable".into(),
        K::AlreadyExists => "un fichier porte déjà ce nom ; déplacez-le, ou choisissez une autre sortie avec --sortie".into(),
        K::IsADirectory => "un dossier porte ce nom ; déplacez-le, ou choisissez une autre sortie avec --sortie".into(),
        K::NotADirectory => "un fichier porte le nom d'un dossier du chemin ; déplacez-le, ou choisissez une autre sortie avec --sortie".into(),
        K::StorageFull => "disque plein".into(),
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule".into(),
        _ => e.to_string(),
    }
}
