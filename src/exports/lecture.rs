//! Reading one CSV export into header names and raw cells, with positions:
//! the encoding (told and decoded by `decodage`), separator, quoting, header
//! names, size limits.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::classeur::{self, Positions};
use super::decodage::{Decodeur, ErreurDecodage};
use super::{ReglagesSource, Source};
use crate::error::{Constats, Probleme};
use crate::fr::normalise;

/// The largest export file read (2 Gio): the file is held in memory while read.
pub const TAILLE_MAX: u64 = 2 * 1024 * 1024 * 1024;
/// The longest cell accepted, in characters.
pub const CELLULE_MAX: usize = 10_000;
/// The longest header cell accepted, in characters.
pub const ENTETE_MAX: usize = 200;
/// The most columns a header may have.
pub const COLONNES_MAX: usize = 500;
/// How many lines (rows of a sheet) may stand above the header (a title, a
/// date, a blank line).
pub(super) const LIGNES_AVANT_ENTETE: usize = 10;

/// What the rows of an export are read against: its header, and where it is.
#[derive(Debug, Clone)]
pub struct Entete {
    pub affiche: PathBuf,
    pub entetes_bruts: Vec<String>,
    pub ignorees: Vec<bool>,
    /// Where the rows of a workbook are (sheet, row), `None` for a CSV.
    pub positions: Option<Arc<Positions>>,
}

impl Entete {
    /// The file and the line of the row numbered `ligne`, as messages
    /// naming another row say them (a workbook's file with its sheet).
    pub fn ou(&self, ligne: usize) -> (PathBuf, usize) {
        match &self.positions {
            Some(p) => p.ou_montre(&self.affiche, ligne),
            None => (self.affiche.clone(), ligne),
        }
    }

    /// The row numbered `ligne` as a list of lines says it: `12`, or `12 (feuille « Janvier »)`.
    pub fn lieu(&self, ligne: usize) -> String {
        match &self.positions {
            Some(p) => p.lieu(ligne),
            None => ligne.to_string(),
        }
    }
}

impl Rapporteur for Vec<Probleme> {
    fn erreur(&mut self, p: Probleme) {
        self.push(p);
    }
}

/// Where reading problems go.
pub trait Rapporteur {
    fn erreur(&mut self, p: Probleme);
}

impl Rapporteur for Constats {
    fn erreur(&mut self, p: Probleme) {
        Constats::erreur(self, p);
    }
}

/// An export opened for reading: its header, then its records one by one,
/// decoded on the fly (the file is never held in memory whole).
pub struct Lecteur {
    /// The file, as shown in messages.
    pub affiche: PathBuf,
    /// Column names as the contract knows them: normalised, aliases and the
    /// model's mapping applied. Empty for a column without a name.
    pub entetes: Vec<String>,
    /// Header names as written in the file.
    pub entetes_bruts: Vec<String>,
    /// Columns the model says to ignore: never read, never checked.
    pub ignorees: Vec<bool>,
    /// The size of the file in bytes (what the tables reserve room for).
    pub taille: u64,
    /// The line of the header (2 or 3 below a title line).
    pub ligne_entete: usize,
    flux: Flux,
    trop_longues: usize,
    /// The file, when read from disk: a second reader can take its second half.
    chemin: Option<PathBuf>,
    /// Where reading the file stops, when a second reader takes the rest.
    borne: Option<Partagee>,
    /// Lines before the text read: this reader reads the rest of a file.
    decalage: usize,
    /// The last record read ends with a line break inside quotes: the text
    /// ended inside a quoted cell.
    fin_ouverte: bool,
    /// Reading stopped on an error, before the end of the text.
    arrete: bool,
}

/// How far the reader of a file may read it: its bytes read (or being
/// read), and where it must stop; until `decidee`, it waits there for a
/// second reader to tell where the first half ends.
#[derive(Debug)]
struct Borne {
    lus: u64,
    limite: u64,
    decidee: bool,
}

/// A [`Borne`] shared by the two readers of a file.
type Partagee = Arc<(Mutex<Borne>, std::sync::Condvar)>;

/// A file read up to a limit that another thread sets while it is read.
struct FichierBorne {
    fichier: std::fs::File,
    borne: Partagee,
}

impl Read for FichierBorne {
    fn read(&mut self, tampon: &mut [u8]) -> std::io::Result<usize> {
        // The bytes asked for are counted before they are read.
        let permis = {
            let (borne, signal) = &*self.borne;
            let mut b = borne.lock().unwrap_or_else(|e| e.into_inner());
            while b.lus >= b.limite && !b.decidee {
                b = signal.wait(b).unwrap_or_else(|e| e.into_inner());
            }
            let permis = (tampon.len() as u64).min(b.limite.saturating_sub(b.lus)) as usize;
            b.lus += permis as u64;
            permis
        };
        let lu = self.fichier.read(&mut tampon[..permis]);
        let n = *lu.as_ref().unwrap_or(&0);
        if n < permis {
            let mut b = self.borne.0.lock().unwrap_or_else(|e| e.into_inner());
            b.lus -= (permis - n) as u64;
        }
        lu
    }
}

/// Tells the first reader of a file where to stop: `limite`, or, if never
/// told (no place to cut, a failure), the end of the file.
struct Decision {
    borne: Partagee,
    limite: u64,
}

impl Drop for Decision {
    fn drop(&mut self) {
        let (borne, signal) = &*self.borne;
        let mut b = borne.lock().unwrap_or_else(|e| e.into_inner());
        b.limite = self.limite;
        b.decidee = true;
        signal.notify_all();
    }
}

/// Where the records of an export come from. (One per file read: the size
/// of the CSV reader beside a boxed workbook costs nothing.)
#[allow(clippy::large_enum_variant)]
enum Flux {
    /// A CSV decoded on the fly, with its separator; the records read while
    /// looking for its header, with their lines, are given out first.
    Csv {
        csv: csv::Reader<Decodeur>,
        separateur: u8,
        a_relire: std::collections::VecDeque<(csv::StringRecord, usize)>,
    },
    /// The rows of a workbook's sheets.
    Classeur(Box<classeur::Lignes>),
}

/// What a second reader needs to read the second half of a file the first
/// one reads: the file, where the first stops, how the file is written.
pub(super) struct Coupe {
    chemin: PathBuf,
    borne: Partagee,
    /// The middle of the file, where the first reader waits.
    milieu: u64,
    encodage: &'static encoding_rs::Encoding,
    separateur: u8,
    affiche: PathBuf,
    entetes: Vec<String>,
    entetes_bruts: Vec<String>,
    ignorees: Vec<bool>,
    taille: u64,
    ligne_entete: usize,
}

/// How a reader ended: the line ends before where it stopped, whether it
/// stopped inside quotes or on an error, how many cells were too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fin {
    pub lignes: usize,
    pub ouverte: bool,
    pub arrete: bool,
    pub trop_longues: usize,
}

impl Coupe {
    /// A reader of the rest of the file, from the first line break past its
    /// middle outside quotes as their count tells, and the line ends before
    /// it (`\r\n` and a lone `\r` count one each, as the decoder gives
    /// them); the first reader then stops there. `None` when there is no
    /// such line break, or the first reader has read past it. Whether the
    /// quotes told right is for the first reader's [`Fin`] to say.
    pub(super) fn suite(self) -> Option<(Lecteur, usize)> {
        use memchr::memchr3_iter;
        // Whatever happens here, the first reader is told where to stop.
        let mut decision = Decision {
            borne: Arc::clone(&self.borne),
            limite: u64::MAX,
        };
        let mut fichier = std::fs::File::open(&self.chemin).ok()?;
        let milieu = self.milieu;
        let mut tampon = vec![0u8; 1 << 20];
        let (mut debut, mut guillemets, mut lignes, mut cr_avant) = (0u64, 0usize, 0usize, false);
        let coupure = 'lecture: loop {
            let n = match fichier.read(&mut tampon) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            let morceau = &tampon[..n];
            for i in memchr3_iter(b'"', b'\n', b'\r', morceau) {
                match morceau[i] {
                    b'"' => guillemets += 1,
                    b'\r' => lignes += 1,
                    _ => {
                        let apres_cr = if i == 0 {
                            cr_avant
                        } else {
                            morceau[i - 1] == b'\r'
                        };
                        if !apres_cr {
                            lignes += 1;
                        }
                        let p = debut + i as u64 + 1;
                        if p > milieu && guillemets % 2 == 0 {
                            break 'lecture p;
                        }
                    }
                }
            }
            cr_avant = morceau[n - 1] == b'\r';
            debut += n as u64;
        };
        use std::io::Seek;
        fichier.seek(std::io::SeekFrom::Start(coupure)).ok()?;
        decision.limite = coupure;
        drop(decision);
        let decodeur = Decodeur::a_partir(Box::new(fichier), self.encodage, lignes);
        let mut lecteur = Lecteur::nouveau(
            self.affiche,
            self.entetes,
            self.entetes_bruts,
            self.ignorees,
            self.taille,
            self.ligne_entete,
            Flux::Csv {
                csv: analyseur(decodeur, self.separateur),
                separateur: self.separateur,
                a_relire: Default::default(),
            },
        );
        lecteur.decalage = lignes;
        Some((lecteur, lignes))
    }
}

impl Lecteur {
    /// A reader of `flux`, whose header is read: nothing read after it yet,
    /// no line before its text, no second reader.
    fn nouveau(
        affiche: PathBuf,
        entetes: Vec<String>,
        entetes_bruts: Vec<String>,
        ignorees: Vec<bool>,
        taille: u64,
        ligne_entete: usize,
        flux: Flux,
    ) -> Lecteur {
        Lecteur {
            affiche,
            entetes,
            entetes_bruts,
            ignorees,
            taille,
            ligne_entete,
            flux,
            trop_longues: 0,
            chemin: None,
            borne: None,
            decalage: 0,
            fin_ouverte: false,
            arrete: false,
        }
    }

    /// What a second reader needs to read the second half of this file, if
    /// it can: a CSV file on disk, in UTF-8 or an 8-bit encoding (where a
    /// byte `\n` or `"` is always that character), this reader not yet past
    /// its middle. This reader then waits at the middle until the second
    /// one, by [`Coupe::suite`] (which must run), tells it where to stop.
    pub(super) fn coupe(&self) -> Option<Coupe> {
        let (Some(chemin), Some(borne)) = (&self.chemin, &self.borne) else {
            return None;
        };
        let Flux::Csv {
            csv, separateur, ..
        } = &self.flux
        else {
            return None;
        };
        let encodage = csv.get_ref().encodage;
        if encodage != encoding_rs::UTF_8 && !encodage.is_single_byte() {
            return None;
        }
        let milieu = self.taille / 2;
        {
            let mut b = borne.0.lock().unwrap_or_else(|e| e.into_inner());
            if b.lus > milieu || b.decidee {
                return None;
            }
            b.limite = milieu;
        }
        Some(Coupe {
            chemin: chemin.clone(),
            borne: Arc::clone(borne),
            milieu,
            encodage,
            separateur: *separateur,
            affiche: self.affiche.clone(),
            entetes: self.entetes.clone(),
            entetes_bruts: self.entetes_bruts.clone(),
            ignorees: self.ignorees.clone(),
            taille: self.taille,
            ligne_entete: self.ligne_entete,
        })
    }

    /// How reading ended, once [`Lecteur::suivant`] gave `None`.
    pub(super) fn fin(&self) -> Fin {
        let lignes = match &self.flux {
            Flux::Csv { csv, .. } => csv.get_ref().lignes(),
            Flux::Classeur(_) => 0,
        };
        Fin {
            lignes,
            ouverte: self.fin_ouverte,
            arrete: self.arrete,
            trop_longues: self.trop_longues,
        }
    }

    /// The file, when read from disk.
    pub(super) fn chemin(&self) -> Option<&Path> {
        self.chemin.as_deref()
    }

    /// The header, for the checks that run beside the reading.
    pub fn entete(&self) -> Entete {
        Entete {
            affiche: self.affiche.clone(),
            entetes_bruts: self.entetes_bruts.clone(),
            ignorees: self.ignorees.clone(),
            positions: self.positions(),
        }
    }

    /// Where the rows of a workbook are, to tell problems at their sheet and cell.
    pub fn positions(&self) -> Option<Arc<Positions>> {
        match &self.flux {
            Flux::Classeur(c) => Some(c.positions.clone()),
            Flux::Csv { .. } => None,
        }
    }

    /// Bytes of the file read so far.
    pub fn octets_lus(&self) -> u64 {
        match &self.flux {
            Flux::Classeur(c) => c.octets_lus(),
            Flux::Csv { csv, .. } => csv.get_ref().octets_lus,
        }
    }

    /// Index of the column named `nom` (a contract or model name), unless ignored.
    pub fn colonne(&self, nom: &str) -> Option<usize> {
        self.entetes
            .iter()
            .zip(&self.ignorees)
            .position(|(e, ignoree)| e == nom && !ignoree)
    }

    /// Reads the next data record into `enregistrement` and gives its line;
    /// `None` at the end of the file, or after an error that stops reading.
    /// Blank records are skipped; a record with the wrong number of fields is
    /// reported and skipped; an over-long cell is reported and emptied.
    pub fn suivant(
        &mut self,
        enregistrement: &mut csv::StringRecord,
        cellules: &mut Vec<std::ops::Range<usize>>,
        constats: &mut dyn Rapporteur,
    ) -> Option<usize> {
        let (csv, separateur, a_relire) = match &mut self.flux {
            Flux::Classeur(c) => {
                return c.suivant(
                    enregistrement,
                    cellules,
                    (&self.affiche, &self.ignorees),
                    constats,
                );
            }
            Flux::Csv {
                csv,
                separateur,
                a_relire,
            } => (csv, *separateur, a_relire),
        };
        loop {
            let (lu, relue) = match a_relire.pop_front() {
                Some((r, ligne)) => {
                    *enregistrement = r;
                    (Ok(true), Some(ligne))
                }
                None => (csv.read_record(enregistrement), None),
            };
            match lu {
                Ok(true) => {
                    self.fin_ouverte = enregistrement
                        .len()
                        .checked_sub(1)
                        .and_then(|i| enregistrement.get(i))
                        .is_some_and(|c| c.ends_with('\n'));
                }
                Ok(false) => {
                    if self.trop_longues > 3 {
                        constats.erreur(Probleme::new(
                            &self.affiche,
                            format!(
                                "{} autres cellules dépassent {} caractères",
                                self.trop_longues - 3,
                                crate::fr::nombre(CELLULE_MAX as f64, 0)
                            ),
                        ));
                    }
                    return None;
                }
                Err(e) => {
                    self.arrete = true;
                    constats.erreur(erreur_csv(&self.affiche, e, self.decalage));
                    return None;
                }
            }
            let ligne = relue.unwrap_or_else(|| ligne_lue(csv, enregistrement) + self.decalage);
            // Cells as trimmed ranges of the record's text.
            cellules.clear();
            let texte = enregistrement.as_slice();
            let mut debut = 0;
            for i in 0..enregistrement.len() {
                let fin = enregistrement.range(i).map_or(debut, |r| r.end);
                let (gauche, droite) = bornes(&texte[debut..fin]);
                cellules.push(debut + gauche..debut + droite);
                debut = fin;
            }
            if cellules.iter().all(|r| r.is_empty()) {
                continue;
            }
            // Trailing empty cells (a separator at the end of the line) are harmless.
            while cellules.len() > self.entetes.len()
                && cellules.last().is_some_and(|r| r.is_empty())
            {
                cellules.pop();
            }
            if cellules.len() != self.entetes.len() {
                let guillemets = if texte.contains('\n') {
                    " ; un guillemet ouvert et jamais fermé peut avoir réuni plusieurs lignes"
                } else {
                    ""
                };
                constats.erreur(
                    Probleme::new(
                        &self.affiche,
                        format!(
                            "la ligne a {} champs alors que l'en-tête a {} colonnes",
                            cellules.len(),
                            self.entetes.len()
                        ),
                    )
                    .ligne(ligne)
                    .attendu(format!(
                        "{} valeurs séparées par « {} »",
                        self.entetes.len(),
                        nom_separateur(separateur)
                    ))
                    .correction(format!(
                        "vérifiez les séparateurs et les guillemets de cette ligne{guillemets}"
                    )),
                );
                continue;
            }
            for (i, r) in cellules.iter_mut().enumerate() {
                if r.len() > CELLULE_MAX
                    && !self.ignorees[i]
                    && texte[r.clone()].chars().count() > CELLULE_MAX
                {
                    self.trop_longues += 1;
                    if self.trop_longues <= 3 {
                        constats.erreur(
                            Probleme::new(
                                &self.affiche,
                                format!(
                                    "la cellule fait {} caractères",
                                    crate::fr::nombre(texte[r.clone()].chars().count() as f64, 0)
                                ),
                            )
                            .ligne(ligne)
                            .colonne(&self.entetes_bruts[i])
                            .attendu(format!(
                                "au plus {} caractères par cellule",
                                crate::fr::nombre(CELLULE_MAX as f64, 0)
                            ))
                            .correction("raccourcissez cette cellule, ou ignorez la colonne dans le modèle si elle ne sert pas au rapport"),
                        );
                    }
                    *r = r.start..r.start;
                }
            }
            return Some(ligne);
        }
    }
}

/// The contract name of a header: the model's mapping first, then the contract's aliases.
pub fn nom_de_colonne(source: Source, entete: &str, reglages: &ReglagesSource) -> String {
    let n = normalise(entete);
    if let Some(cible) = reglages
        .colonnes
        .iter()
        .find(|(de, _)| normalise(de) == n)
        .map(|(_, vers)| normalise(vers))
    {
        return cible;
    }
    match source.alias(&n) {
        Some(contrat) => contrat.to_string(),
        None => n,
    }
}

/// Opens `chemin`, shown to the user as `affiche`, and reads its header;
/// every problem goes to `constats`. `None` when it cannot be read as a table.
pub fn ouvrir(
    chemin: &Path,
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<Lecteur> {
    if let Some(format) = classeur::Format::de(chemin) {
        return ouvrir_classeur(chemin, affiche, format, source, reglages, constats);
    }
    let probleme = |message: String| Probleme::new(affiche, message);
    match std::fs::metadata(chemin) {
        Ok(m) if m.len() > TAILLE_MAX => {
            constats.erreur(
                probleme(format!(
                    "le fichier est trop gros ({} Mio) pour être lu",
                    crate::fr::nombre((m.len() / (1024 * 1024)) as f64, 0)
                ))
                .attendu(format!(
                    "un export d'au plus {} Mio",
                    crate::fr::nombre((TAILLE_MAX / (1024 * 1024)) as f64, 0)
                ))
                .correction(
                    "découpez l'export par année (activites-2012.csv, activites-2013.csv…)",
                ),
            );
            return None;
        }
        _ => {}
    }
    let fichier = match std::fs::File::open(chemin) {
        Ok(f) => f,
        Err(e) => {
            constats.absent(
                probleme(format!("lecture impossible ({e})"))
                    .correction("vérifiez que le fichier existe et qu'il est lisible"),
            );
            return None;
        }
    };
    let taille = fichier.metadata().map_or(0, |m| m.len());
    let borne = Arc::new((
        Mutex::new(Borne {
            lus: 0,
            limite: u64::MAX,
            decidee: false,
        }),
        std::sync::Condvar::new(),
    ));
    let fichier = FichierBorne {
        fichier,
        borne: Arc::clone(&borne),
    };
    let mut lecteur = ouvrir_flux(
        Box::new(fichier),
        taille,
        affiche,
        source,
        reglages,
        constats,
    )?;
    lecteur.chemin = Some(chemin.to_path_buf());
    lecteur.borne = Some(borne);
    Some(lecteur)
}

/// Like [`ouvrir`], for bytes from any reader.
pub fn ouvrir_flux(
    flux: Box<dyn Read + Send>,
    taille: u64,
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<Lecteur> {
    let probleme = |message: String| Probleme::new(affiche, message);
    let flux = match classeur_renomme(flux, affiche) {
        Ok(f) => f,
        Err(p) => {
            constats.erreur(*p);
            return None;
        }
    };
    let mut decodeur = match Decodeur::new(flux, reglages.encodage.map(|e| e.0)) {
        Ok(d) => d,
        Err(e) => {
            constats.erreur(e.probleme(affiche));
            return None;
        }
    };
    if decodeur.encodage != encoding_rs::UTF_8 && reglages.encodage.is_none() {
        constats.avertissement(
            probleme(format!(
                "le fichier n'est pas en UTF-8 ; lu comme {}",
                super::decodage::nom_clair(decodeur.encodage)
            ))
            .correction("rien à faire si les accents s'affichent bien dans le rapport ; sinon enregistrez-le en « CSV UTF-8 », ou déclarez son encodage dans le modèle : [exports.activites] encodage = \"mac-roman\""),
        );
    }
    let separateur = match decodeur.debut() {
        Ok(debut) => separateur(debut),
        Err(e) => {
            constats.erreur(e.probleme(affiche));
            return None;
        }
    };
    let mut csv = analyseur(decodeur, separateur);
    let (mut entetes_bruts, ligne_entete, a_relire) = match trouver_entete(
        &mut csv, source, reglages,
    ) {
        Ok(Entree {
            entetes,
            ligne,
            sautees,
            relues,
        }) => {
            if let (Some(premiere), Some(derniere)) = (sautees.first(), sautees.last()) {
                let lignes = if premiere == derniere {
                    format!("la ligne {premiere}, au-dessus, a été sautée")
                } else {
                    format!("les lignes {premiere} à {derniere}, au-dessus, ont été sautées")
                };
                constats.avertissement(
                    probleme(format!("l'en-tête est sur cette ligne : {lignes} (un titre ?)"))
                        .ligne(ligne)
                        .correction("rien à faire si ces lignes ne sont qu'un titre ; sinon, remettez l'en-tête en première ligne"),
                );
            }
            (entetes, ligne, relues.into())
        }
        Err(e) => {
            constats.erreur(erreur_csv(affiche, e, 0));
            return None;
        }
    };
    // A separator at the end of the header line adds no column.
    while entetes_bruts.len() > 1 && entetes_bruts.last().is_some_and(|e| e.is_empty()) {
        entetes_bruts.pop();
    }
    if !entete_bornee(&entetes_bruts, ligne_entete, affiche, constats) {
        return None;
    }
    if entetes_bruts.iter().all(|e| e.is_empty()) {
        constats.erreur(
            probleme("le fichier est vide ou n'a pas de ligne d'en-tête".into())
                .ligne(1)
                .attendu(format!(
                    "une première ligne avec les noms des colonnes, par exemple : {}",
                    source.entetes_exemple()
                ))
                .correction("exportez de nouveau le fichier avec sa ligne d'en-tête"),
        );
        return None;
    }
    let (entetes, ignorees) = entetes(
        &entetes_bruts,
        ligne_entete,
        affiche,
        source,
        reglages,
        constats,
    )?;
    Some(Lecteur::nouveau(
        affiche.to_path_buf(),
        entetes,
        entetes_bruts,
        ignorees,
        taille,
        ligne_entete,
        Flux::Csv {
            csv,
            separateur,
            a_relire,
        },
    ))
}

/// A workbook renamed `.csv` (a zip or an OLE file, by its first bytes) is
/// refused before decoding; otherwise the bytes read are handed back in front of the rest.
fn classeur_renomme(
    mut flux: Box<dyn Read + Send>,
    affiche: &Path,
) -> Result<Box<dyn Read + Send>, Box<Probleme>> {
    let mut debut = Vec::with_capacity(8);
    (&mut flux).take(8).read_to_end(&mut debut).map_err(|e| {
        Box::new(
            Probleme::new(affiche, format!("lecture impossible ({e})"))
                .correction("vérifiez que le fichier existe et qu'il est lisible"),
        )
    })?;
    if let Some(quoi) = classeur::signature(&debut) {
        let ext = if quoi == "xls" {
            ".xls"
        } else {
            ".xlsx (ou .ods)"
        };
        return Err(Box::new(
            Probleme::new(
                affiche,
                format!("ce fichier est un classeur ({quoi}), pas un CSV"),
            )
            .attendu("un fichier CSV (du texte), ou un classeur avec l'extension de son format")
            .correction(format!(
                "renommez-le avec l'extension {ext}, ou ouvrez-le dans le tableur et enregistrez-le en « CSV UTF-8 »"
            )),
        ));
    }
    Ok(Box::new(std::io::Cursor::new(debut).chain(flux)))
}

/// Opens a workbook export: its sheets' rows, read as the records of a CSV.
fn ouvrir_classeur(
    chemin: &Path,
    affiche: &Path,
    format: classeur::Format,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<Lecteur> {
    let ouvert = classeur::ouvrir(chemin, affiche, format, source, reglages, constats)?;
    let mut ici = Constats::default();
    let lu = entetes(
        &ouvert.entetes_bruts,
        1,
        affiche,
        source,
        reglages,
        &mut ici,
    );
    for c in ici.liste {
        let p = ouvert.lignes.positions.situer(c.probleme);
        constats.erreur(p);
    }
    let (entetes, ignorees) = lu?;
    Some(Lecteur::nouveau(
        affiche.to_path_buf(),
        entetes,
        ouvert.entetes_bruts,
        ignorees,
        std::fs::metadata(chemin).map_or(0, |m| m.len()),
        1,
        Flux::Classeur(Box::new(ouvert.lignes)),
    ))
}

/// The contract names of the header `entetes_bruts` and the columns the
/// model ignores; `None`, with an error for each, when two columns mean the same name.
fn entetes(
    entetes_bruts: &[String],
    ligne_entete: usize,
    affiche: &Path,
    source: Source,
    reglages: &ReglagesSource,
    constats: &mut Constats,
) -> Option<(Vec<String>, Vec<bool>)> {
    let probleme = |message: String| Probleme::new(affiche, message);
    let ignorer: Vec<String> = reglages.ignorer.iter().map(|i| normalise(i)).collect();
    let ignorees: Vec<bool> = entetes_bruts
        .iter()
        .map(|e| ignorer.contains(&normalise(e)))
        .collect();
    let entetes: Vec<String> = entetes_bruts
        .iter()
        .map(|e| nom_de_colonne(source, e, reglages))
        .collect();
    let mut doublon = false;
    for (i, e) in entetes.iter().enumerate() {
        if e.is_empty() || ignorees[i] {
            continue;
        }
        if let Some(j) = (0..i).find(|&j| !ignorees[j] && entetes[j] == *e) {
            doublon = true;
            constats.erreur(
                probleme(format!(
                    "les colonnes {} (« {} ») et {} (« {} ») désignent toutes deux « {e} »",
                    j + 1,
                    entetes_bruts[j],
                    i + 1,
                    entetes_bruts[i]
                ))
                .ligne(ligne_entete)
                .colonne(&entetes_bruts[i])
                .attendu("une seule colonne par nom")
                .correction(format!(
                    "supprimez ou renommez l'une des deux colonnes, ou ignorez-en une dans rapport.toml : [exports.{}] ignorer = [\"{}\"]",
                    source.nom(),
                    entetes_bruts[i].replace('"', "\\\"")
                )),
            );
        }
    }
    if doublon {
        return None;
    }
    Some((entetes, ignorees))
}

/// Whether the cells `cellules` name every column the contract requires of
/// `source`, the model's mapping and the aliases applied: a header (of a
/// CSV, or of a sheet).
pub(super) fn est_un_entete<'a>(
    source: Source,
    cellules: impl IntoIterator<Item = &'a str>,
    reglages: &ReglagesSource,
) -> bool {
    let noms: Vec<String> = cellules
        .into_iter()
        .map(|c| nom_de_colonne(source, c, reglages))
        .collect();
    let mut requises = source
        .colonnes()
        .iter()
        .filter(|c| c.obligatoire)
        .peekable();
    requises.peek().is_some() && requises.all(|r| noms.iter().any(|n| n == r.nom))
}

/// The line a record just read starts on. The decoder gives every line
/// end as `\n` and ends the text with one, so the reader, having taken the
/// record's `\n`, is on the line after it; the line breaks inside quoted
/// cells are counted back. The record's own position, where the reader
/// started looking (before the blank lines above it), is a floor: a quote
/// never closed ends the record at the end of the file, inside the quote.
fn ligne_lue<R: Read>(csv: &csv::Reader<R>, enregistrement: &csv::StringRecord) -> usize {
    let debut = enregistrement.position().map_or(1, |p| p.line() as usize);
    let apres = csv.position().line() as usize;
    // The usual record, on one line, right below the one before.
    if apres <= debut + 1 {
        return debut;
    }
    let dedans = enregistrement.as_slice().matches('\n').count();
    debut.max(apres.saturating_sub(1 + dedans))
}

/// The header found by [`trouver_entete`]: its cells, its line, and the
/// lines above it that were skipped.
struct Entree {
    entetes: Vec<String>,
    ligne: usize,
    sautees: Vec<usize>,
    /// The records read past the header while looking for it, with their
    /// lines, to be read again.
    relues: Vec<(csv::StringRecord, usize)>,
}

/// The header: the first of the first lines whose cells name every column
/// the contract requires of `source` (a title line may stand above it);
/// the first line when none does, so that the missing columns are told.
fn trouver_entete<R: Read>(
    csv: &mut csv::Reader<R>,
    source: Source,
    reglages: &ReglagesSource,
) -> Result<Entree, csv::Error> {
    let mut premiere: Option<Entree> = None;
    let mut sautees = Vec::new();
    let mut enregistrement = csv::StringRecord::new();
    for _ in 0..LIGNES_AVANT_ENTETE {
        if !csv.read_record(&mut enregistrement)? {
            break;
        }
        let ligne = ligne_lue(csv, &enregistrement);
        if let Some(p) = &mut premiere {
            p.relues.push((enregistrement.clone(), ligne));
        }
        let cellules: Vec<String> = enregistrement
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        let courtes = cellules
            .iter()
            .map(String::as_str)
            .filter(|c| c.chars().count() <= ENTETE_MAX);
        if est_un_entete(source, courtes, reglages) {
            return Ok(Entree {
                entetes: cellules,
                ligne,
                sautees,
                relues: Vec::new(),
            });
        }
        sautees.push(ligne);
        if premiere.is_none() {
            premiere = Some(Entree {
                entetes: cellules,
                ligne,
                sautees: Vec::new(),
                relues: Vec::new(),
            });
        }
        // A line longer than a header may not start the file: no title there.
        if premiere
            .as_ref()
            .is_some_and(|p| p.entetes.len() > COLONNES_MAX)
        {
            break;
        }
    }
    Ok(premiere.unwrap_or(Entree {
        entetes: Vec::new(),
        ligne: 1,
        sautees: Vec::new(),
        relues: Vec::new(),
    }))
}

/// Whether the header `entetes` (at line `ligne`) is within the limits: at
/// most [`COLONNES_MAX`] columns, each name at most [`ENTETE_MAX`]
/// characters. Otherwise an error: the line read as the header is not one.
fn entete_bornee(
    entetes: &[String],
    ligne: usize,
    affiche: &Path,
    constats: &mut Constats,
) -> bool {
    let nombre = |n: usize| crate::fr::nombre(n as f64, 0);
    if entetes.len() > COLONNES_MAX {
        constats.erreur(
            Probleme::new(
                affiche,
                format!("l'en-tête a {} colonnes", nombre(entetes.len())),
            )
            .ligne(ligne)
            .attendu(format!(
                "au plus {} colonnes (un export en a une dizaine)",
                nombre(COLONNES_MAX)
            ))
            .correction("vérifiez que la première ligne est bien la ligne des noms de colonnes, et le séparateur (« ; », « , » ou tabulation) ; retirez de l'export les colonnes inutiles"),
        );
        return false;
    }
    // The name is not shown: a line taken for the header may hold data.
    if let Some((i, e)) = entetes
        .iter()
        .enumerate()
        .find(|(_, e)| e.chars().count() > ENTETE_MAX)
    {
        constats.erreur(
            Probleme::new(
                affiche,
                format!(
                    "le nom de la colonne {} fait {} caractères : ce n'est pas un nom de colonne",
                    i + 1,
                    nombre(e.chars().count())
                ),
            )
            .ligne(ligne)
            .attendu(format!(
                "des noms de colonnes d'au plus {} caractères, par exemple « date », « action »",
                nombre(ENTETE_MAX)
            ))
            .correction("vérifiez que la première ligne est bien la ligne des noms de colonnes ; raccourcissez ce nom, ou déclarez la colonne sous un nom court"),
        );
        return false;
    }
    true
}

/// The separator of the header line: `;`, tab or `,`, whichever is most
/// frequent outside quotes (`;` on a tie, as French Excel writes), in the
/// first line that has one: a title line above the header may have none.
fn separateur(texte: &str) -> u8 {
    let meilleur = |comptes: &[(u8, usize); 3]| {
        let max = comptes.iter().map(|c| c.1).max().unwrap_or(0);
        comptes
            .iter()
            .find(|c| c.1 == max)
            .map_or((b';', 0), |c| *c)
    };
    let mut comptes = [(b';', 0usize), (b'\t', 0), (b',', 0)];
    let mut entre_guillemets = false;
    let mut lignes = 0;
    for b in texte.bytes() {
        match b {
            b'"' => entre_guillemets = !entre_guillemets,
            b'\n' if !entre_guillemets => {
                let ligne = meilleur(&comptes);
                if ligne.1 > 0 {
                    return ligne.0;
                }
                comptes = [(b';', 0usize), (b'\t', 0), (b',', 0)];
                lignes += 1;
                if lignes == LIGNES_AVANT_ENTETE {
                    return b';';
                }
            }
            _ if !entre_guillemets => {
                for (s, n) in comptes.iter_mut() {
                    if *s == b {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    meilleur(&comptes).0
}

fn nom_separateur(s: u8) -> &'static str {
    match s {
        b'\t' => "tabulation",
        b',' => ",",
        _ => ";",
    }
}

/// Where `brut` is once trimmed of white space at both ends (Unicode's, as
/// `str::trim` does): from `gauche` to `droite`. Most cells begin and end
/// with a character that is ASCII and not white space, and are then kept
/// whole without the Unicode tables being read.
fn bornes(brut: &str) -> (usize, usize) {
    let net = |b: &u8| b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0B;
    let octets = brut.as_bytes();
    if octets.first().is_none_or(net) && octets.last().is_none_or(net) {
        return (0, brut.len());
    }
    let gauche = brut.len() - brut.trim_start().len();
    (gauche, brut.trim_end().len().max(gauche))
}

/// The CSV parser of an export's text, fields split by `separateur`: the
/// same for a whole file and for the second half of one, so that both
/// halves are parsed alike.
fn analyseur(decodeur: Decodeur, separateur: u8) -> csv::Reader<Decodeur> {
    csv::ReaderBuilder::new()
        .delimiter(separateur)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(decodeur)
}

/// The problem of a CSV error; `decalage` lines come before the text read.
fn erreur_csv(affiche: &Path, e: csv::Error, decalage: usize) -> Probleme {
    // A decoding error surfaces through the CSV reader: tell it as such.
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(d) = io
            .get_ref()
            .and_then(|i| i.downcast_ref::<ErreurDecodage>())
    {
        return d.probleme(affiche);
    }
    let mut p = Probleme::new(affiche, format!("fichier CSV illisible ({e})"))
        .correction("ouvrez le fichier dans un tableur et enregistrez-le de nouveau en CSV");
    if let Some(pos) = e.position() {
        p = p.ligne(pos.line() as usize + decalage);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_most_frequent_of_semicolon_tab_and_comma_outside_quotes() {
        assert_eq!(separateur("date;action;\"a,b,c\"\n"), b';');
        assert_eq!(separateur("date,action,programme\n"), b',');
        assert_eq!(separateur("date\taction\tprogramme\n"), b'\t');
        assert_eq!(separateur("\"date;x\",action,programme\n"), b',');
        assert_eq!(
            separateur("Export du 12/01/2014\n\ndate,action,programme\n"),
            b','
        );
        assert_eq!(separateur("date\taction\n1,5\t2\n"), b'\t');
    }

    fn ouvrir_texte(texte: &str, constats: &mut Constats) -> Option<Lecteur> {
        ouvrir_flux(
            Box::new(std::io::Cursor::new(texte.as_bytes().to_vec())),
            texte.len() as u64,
            Path::new("donnees/activites.csv"),
            Source::Activites,
            &ReglagesSource::default(),
            constats,
        )
    }

    #[test]
    fn the_header_below_a_title_line_is_found_and_the_lines_above_are_told() {
        let mut constats = Constats::default();
        let mut l = ouvrir_texte(
            "Export du 12/01/2014\nlogiciel;version 2\n\nDate;Action;Programme\n07/03/2013;contact;rue\n",
            &mut constats,
        )
        .unwrap();
        assert_eq!(l.ligne_entete, 4);
        assert_eq!(l.entetes, ["date", "action", "programme"]);
        assert_eq!(constats.avertissements(), 1);
        assert!(
            constats.liste[0]
                .probleme
                .message
                .contains("les lignes 1 à 2, au-dessus, ont été sautées")
        );
        let (mut e, mut cellules) = (csv::StringRecord::new(), Vec::new());
        assert_eq!(l.suivant(&mut e, &mut cellules, &mut constats), Some(5));
        assert_eq!(&e[0], "07/03/2013");
        assert_eq!(l.suivant(&mut e, &mut cellules, &mut constats), None);
    }

    #[test]
    fn without_a_line_naming_the_required_columns_the_first_line_is_the_header() {
        let mut constats = Constats::default();
        let l = ouvrir_texte("action;programme\ncontact;rue\n", &mut constats).unwrap();
        assert_eq!(l.ligne_entete, 1);
        assert_eq!(l.entetes, ["action", "programme"]);
        assert!(constats.liste.is_empty());
    }

    #[test]
    fn a_header_beyond_the_limits_is_refused_without_showing_its_names() {
        let mut constats = Constats::default();
        let large: String = (0..501).map(|i| format!("c{i};")).collect();
        assert!(ouvrir_texte(&format!("date;action;programme;{large}\n"), &mut constats).is_none());
        assert!(constats.liste[0].probleme.message.contains("504 colonnes"));
        let mut constats = Constats::default();
        let long = "Nom_".repeat(60);
        assert!(ouvrir_texte(&format!("date;action;programme;{long}\n"), &mut constats).is_none());
        let message = &constats.liste[0].probleme.message;
        assert!(message.contains("colonne 4 fait 240 caractères") && !message.contains("Nom"));
    }

    #[test]
    fn aliases_and_the_models_mapping_name_the_contract_columns() {
        let mut r = ReglagesSource::default();
        assert_eq!(
            nom_de_colonne(Source::Activites, " Date de l’Action ", &r),
            "date"
        );
        assert_eq!(nom_de_colonne(Source::Activites, "Thèmes", &r), "themes");
        r.colonnes
            .insert("Lieu d'intervention".into(), "programme".into());
        assert_eq!(
            nom_de_colonne(Source::Activites, "LIEU D'INTERVENTION", &r),
            "programme"
        );
    }

    #[test]
    fn cells_are_trimmed_as_unicode_trims_them_whatever_their_first_and_last_characters() {
        let attendu = |brut: &str| {
            let gauche = brut.len() - brut.trim_start().len();
            (gauche, brut.trim_end().len().max(gauche))
        };
        let mut textes = vec![
            String::new(),
            " ".into(),
            "\u{a0}".into(),
            " \u{3000} ".into(),
        ];
        for c in (0..0x3100).filter_map(char::from_u32) {
            for milieu in ["", "x", " ", "TLS-1331", "é \u{a0}x"] {
                textes.push(format!("{c}{milieu}"));
                textes.push(format!("{milieu}{c}"));
                textes.push(format!("{c}{milieu}{c}"));
            }
        }
        for t in &textes {
            assert_eq!(bornes(t), attendu(t), "{t:?}");
        }
    }
}
