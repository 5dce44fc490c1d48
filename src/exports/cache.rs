//! The cache of checked exports: what reading one export file keeps (its
//! typed table, the values of its category columns, its [`Fichier`], its
//! warnings, and the rows the overlap check compares when its source has
//! several files), stored under the output folder (`SORTIE/.cache/`), so
//! that the next command reading the same file the same way loads it in
//! milliseconds instead of reading and checking it again.
//!
//! **When an entry is used.** Its key is a condensed form (blake3) of
//! everything the reading of the file depends on: the format of the entry
//! and the version of the reader ([`VERSION_LECTEUR`], plus the package's),
//! the file's size, modification time and the condensed form of its bytes
//! (xxh3, 128 bits: an accidental change, not a forgery, is what it must
//! catch; whoever can write the output folder could write an entry with a
//! valid key and seal whatever the function),
//! its name as shown and its source, the export's settings (`colonnes`,
//! `ignorer`, `encodage`, `dates_courtes`), the vocabulary, what the model
//! reads of the source (extra columns, numbers, "contains" tests), whether
//! the source has several files (the overlap check), and for `rapport
//! check` the project's years and, since its controls compare a file with
//! the files read before it (a row repeated, a person with two publics), the
//! keys of those files. An entry whose key differs is not read.
//!
//! **What is kept from the other files.** A build reads each file by itself
//! but for two things, both replayed from the entry: the codes of category
//! columns (an entry keeps its own values in the order the file first gives
//! them, and they are turned back into the codes of the source's
//! dictionary, which gives every value the code reading would have given
//! it), and the rows compared by the overlap check (kept sorted, compared
//! with the files read before as reading compares them). `rapport check`
//! also keeps, from file to file, the rows seen and the public of each
//! person, which an entry does not hold: there, an entry is used only while
//! every file before it was served by the cache too; a file that is not,
//! after some that were, makes the reading start again without the cache.
//!
//! **Safe under a kill, never a wrong figure.** Entries are written only
//! once the whole reading found no error (a file in error is never kept,
//! and a failed command writes nothing), each one atomically through
//! `output::Sorties`, and only if the file did not change while it was read.
//! An entry ends with the condensed form of all its bytes, checked when it
//! is loaded: a truncated, damaged, half-written entry, or one of another
//! version, is ignored without a word (the file is read, and the entry
//! written again).
//!
//! # Format of an entry (`.cache/MODE-SOURCE-FICHIER.cache`)
//!
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | `RAPCACHE` |
//! | 4 | the format, [`FORMAT`] (u32) |
//! | 32 | the key |
//! | 8 | the length M of the metadata (u64) |
//! | M | the metadata, JSON: rows, `Fichier`, warnings, columns (name, kind, nulls, and for integers their base and width), the number of values of each category column's dictionary, rows of the overlap check |
//! | … | each column in turn: if it has nulls, its validity (one bit a row, the first row in the lowest bit, 1 for a value, the bits after the last row 0), then the values of the rows that have one, in order |
//! | … | each category column's dictionary, in the metadata's order (by name): the length in bytes of each value (u32) by the file's own codes, then the values' bytes (UTF-8) one after the other |
//! | 12 × R | the R rows of the overlap check, if kept: hash (u64), line (u32), sorted |
//! | 16 | the seal: the condensed form (xxh3, 128 bits) of every byte before |
//!
//! An integer column (u32, i32, i64) is stored narrowed: each value as its
//! difference from the column's base (its smallest value), unsigned, in as
//! few bytes as the largest difference needs (1, 2, 4 or 8): a category
//! code, a date or a quantity mostly takes one or two bytes. An `f64`
//! takes 8 bytes. A null takes no byte but its validity bit: a column
//! mostly empty (an amount given only for direct aid) costs little more
//! than its values. A boolean column is stored as bits, one a row (a
//! null's 0). The entry of a large export is about a quarter of its bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use polars_arrow::bitmap::{Bitmap, MutableBitmap};
use xxhash_rust::xxh3::Xxh3;

use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{EtatSource, Fichier, Options, Source};
use crate::error::{Constat, Constats, Gravite, Probleme};
use crate::suivi::{Etape, Suivi};

/// The folder of the cache, under the output folder.
pub const DOSSIER: &str = ".cache";

/// The version of the reader: to be incremented whenever reading an export
/// can give another table, other codes, other messages or another
/// `Fichier` for the same file, so that no entry written before is used.
pub const VERSION_LECTEUR: u32 = 2;

/// The version of the format of an entry.
pub const FORMAT: u32 = 5;

const MAGIQUE: &[u8; 8] = b"RAPCACHE";
/// Magic, format, key, length of the metadata.
const ENTETE: usize = 8 + 4 + 32 + 8;
const SCEAU: usize = 16;
/// Above this size, a condensed form is computed in two halves, one per core.
const MOITIES: u64 = 8 * 1024 * 1024;
/// From this many rows, an entry's columns are widened by tasks beside
/// the reading (see `lire_colonnes`).
const EN_TACHES: usize = 1 << 16;
/// The size of each read of an export being condensed.
const TAMPON: usize = 256 * 1024;

/// A condensed form of bytes (xxh3, 128 bits, little-endian): of an
/// export's bytes, and an entry's seal.
type Condense = [u8; 16];

/// The condensed form of a file's bytes, and the key of its reading.
#[derive(Clone, Copy)]
struct Cle {
    octets: Condense,
    cle: [u8; 32],
}

/// An entry to write once the whole reading is known to be without error.
struct Attente {
    nom: String,
    cle: [u8; 32],
    source: Source,
    /// Its rows in the source's stacked table.
    debut: usize,
    lignes: usize,
    fichier: Fichier,
    constats: Constats,
    recoupement: Option<Vec<(u64, u32)>>,
}

/// The cache during one reading of the exports.
pub(super) struct Cache<'a> {
    dossier: Option<PathBuf>,
    suivi: &'a Suivi,
    /// `rapport check`: an entry is used only while every file before was served.
    controles: bool,
    /// The keys of the files met so far (for `rapport check`).
    chaine: blake3::Hasher,
    servis: usize,
    lus: usize,
    recommencer: bool,
    /// The source being read, and the rows of its table so far.
    source: Option<Source>,
    hauteur: usize,
    attentes: Vec<Attente>,
}

impl<'a> Cache<'a> {
    /// The cache `options` name, if any.
    pub(super) fn new(options: &Options<'a>) -> Cache<'a> {
        Cache {
            dossier: options.cache.map(Path::to_path_buf),
            suivi: options.suivi,
            controles: options.controles.is_some(),
            chaine: blake3::Hasher::new(),
            servis: 0,
            lus: 0,
            recommencer: false,
            source: None,
            hauteur: 0,
            attentes: Vec::new(),
        }
    }

    /// Whether the reading must start again without reading the cache (`rapport
    /// check`: a file not served after some that were); the cache is then
    /// ready for that second reading, which it will not read from.
    pub(super) fn a_recommencer(&mut self) -> bool {
        if !self.recommencer {
            return false;
        }
        self.recommencer = false;
        self.chaine = blake3::Hasher::new();
        self.servis = 0;
        // Reading all over again: nothing may be served.
        self.lus = 1;
        self.source = None;
        self.hauteur = 0;
        self.attentes.clear();
        true
    }

    /// The reading of the file `chemin` (shown as `montre`) of `source`: from
    /// its entry if it has a valid one, else by `lire`, its warnings to `ici`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lire_fichier(
        &mut self,
        chemin: &Path,
        montre: &Path,
        source: Source,
        options: &Options,
        etat: &mut EtatSource,
        ici: &mut Constats,
        lire: impl FnOnce(&mut EtatSource, &mut Constats) -> Option<(DataFrame, Fichier)>,
    ) -> Option<(DataFrame, Fichier)> {
        if self.recommencer {
            return None;
        }
        if self.source != Some(source) {
            self.source = Some(source);
            self.hauteur = 0;
        }
        let Some(dossier) = self.dossier.clone() else {
            return lire(etat, ici);
        };
        let debut = Instant::now();
        let nom = nom_d_entree(self.controles, source, chemin);
        let permis = !self.controles || self.lus == 0;
        let a_lire = nom.as_ref().filter(|_| permis).map(|n| dossier.join(n));
        // A large file's entry read while the file is condensed for its key
        // (both about as long): it is used only if its key is that one.
        let calculer = || cle(chemin, montre, source, options, etat);
        let charger = || a_lire.as_deref().and_then(lire_entree);
        let grand = std::fs::metadata(chemin).is_ok_and(|m| m.len() >= MOITIES);
        let (cle, lue) = if grand {
            rayon::join(calculer, charger)
        } else {
            (calculer(), charger())
        };
        let cle = cle.map(|mut c| {
            if self.controles {
                self.chaine.update(&c.cle);
                c.cle = *self.chaine.clone().finalize().as_bytes();
            }
            c
        });
        if let (Some(c), Some((entree, sa_cle))) = (&cle, lue)
            && sa_cle == c.cle
            && let Some((table, fichier)) = entree.reprendre(etat, ici)
        {
            self.servis += 1;
            self.hauteur += table.height();
            self.suivi.ajouter(Etape::Cache, debut.elapsed());
            return Some((table, fichier));
        }
        if self.controles {
            self.chaine.update(&[u8::from(cle.is_some())]);
            if self.servis > 0 {
                self.recommencer = true;
                return None;
            }
        }
        self.lus += 1;
        self.suivi.ajouter(Etape::Cache, debut.elapsed());
        let lu = lire(etat, ici);
        if let Some((table, fichier)) = &lu
            && ici.erreurs() == 0
        {
            let debut = Instant::now();
            // Kept only if the file did not change while it was read.
            if let (Some(c), Some(nom)) = (cle, nom)
                && condense_fichier(chemin) == Some(c.octets)
            {
                self.attentes.push(Attente {
                    nom,
                    cle: c.cle,
                    source,
                    debut: self.hauteur,
                    lignes: table.height(),
                    fichier: fichier.clone(),
                    constats: ici.clone(),
                    recoupement: etat
                        .recoupement
                        .as_ref()
                        .and_then(|r| r.dernier())
                        .map(<[_]>::to_vec),
                });
            }
            self.hauteur += table.height();
            self.suivi.ajouter(Etape::Cache, debut.elapsed());
        }
        lu
    }

    /// Writes the entries of the files read, if the whole reading found no
    /// error (`sans_erreur`) and gave `exports`; a failure to write is
    /// silent (the next command reads the file again).
    pub(super) fn ecrire(self, exports: &super::Exports, sans_erreur: bool) {
        let Some(dossier) = &self.dossier else { return };
        if !sans_erreur || self.attentes.is_empty() {
            return;
        }
        let debut = Instant::now();
        for a in self.attentes {
            let (Some(table), Some(dictionnaires)) = (
                exports.tables.get(&a.source),
                exports.dictionnaires.get(&a.source),
            ) else {
                continue;
            };
            if a.debut + a.lignes > table.height() {
                continue;
            }
            let table = table.slice(a.debut as i64, a.lignes);
            let Some(octets) = serialiser(&a, &table, dictionnaires) else {
                continue;
            };
            let mut sorties = crate::output::Sorties::default();
            sorties.ajouter(a.nom, octets);
            let _ = sorties.ecrire(dossier, self.suivi);
        }
        self.suivi.ajouter(Etape::Cache, debut.elapsed());
    }
}

/// The name of the entry of a file: by mode, source and file name, so that
/// a file changed replaces its entry rather than adding one.
fn nom_d_entree(controles: bool, source: Source, chemin: &Path) -> Option<String> {
    let fichier = chemin.file_name()?.to_str()?;
    let mode = if controles { "check" } else { "build" };
    Some(format!("{mode}-{}-{fichier}.cache", source.nom()))
}

/// The key of the reading of `chemin`, `None` if the file cannot be read.
fn cle(
    chemin: &Path,
    montre: &Path,
    source: Source,
    options: &Options,
    etat: &EtatSource,
) -> Option<Cle> {
    let m = std::fs::metadata(chemin).ok()?;
    let modifie = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let octets = condense_fichier(chemin)?;
    let b = options.besoins;
    let controles = options
        .controles
        .as_ref()
        .map(|c| format!("{c:?} journal facultatif {}", etat.journal_facultatif));
    let texte = format!(
        "format {FORMAT}\nlecteur {VERSION_LECTEUR}\npaquet {}\nsource {}\nfichier {:?}\ntaille {}\nmodifie {modifie}\noctets {}\nreglages {:?}\ndates courtes {}\ncolonnes {:?}\nnumeriques {:?}\ncontient {:?}\nvocabulaire {}\nrecoupement {}\ncontroles {controles:?}\n",
        env!("CARGO_PKG_VERSION"),
        source.nom(),
        montre,
        m.len(),
        hex(&octets),
        options.reglages.source(source),
        options.reglages.dates_courtes,
        b.colonnes.get(&source),
        b.numeriques.get(&source),
        b.contient.get(&source),
        options.vocabulaire.empreinte(),
        etat.recoupement.is_some(),
    );
    Some(Cle {
        octets,
        cle: *blake3::hash(texte.as_bytes()).as_bytes(),
    })
}

fn hex(octets: &[u8]) -> String {
    octets.iter().map(|o| format!("{o:02x}")).collect()
}

/// The condensed form of `longueur` bytes given by `lire(debut, longueur)`
/// as two halves condensed side by side when large: xxh3 of the length and
/// of the two halves' xxh3.
fn en_deux<L>(longueur: u64, lire: L) -> Option<Condense>
where
    L: Fn(u64, u64) -> Option<Condense> + Sync,
{
    if longueur < MOITIES {
        return lire(0, longueur);
    }
    let moitie = longueur / 2;
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| lire(0, moitie));
        let b = lire(moitie, longueur - moitie);
        (a.join().ok().flatten(), b)
    });
    let mut h = Xxh3::new();
    h.update(&longueur.to_le_bytes());
    h.update(&a?);
    h.update(&b?);
    Some(h.digest128().to_le_bytes())
}

/// The condensed form of the bytes of the file `chemin`.
fn condense_fichier(chemin: &Path) -> Option<Condense> {
    let longueur = std::fs::metadata(chemin).ok()?.len();
    en_deux(longueur, |debut, n| {
        let mut f = std::fs::File::open(chemin).ok()?;
        f.seek(SeekFrom::Start(debut)).ok()?;
        let mut f = f.take(n);
        let mut h = Xxh3::new();
        let mut tampon = vec![0u8; TAMPON];
        let mut lu = 0u64;
        loop {
            let k = match f.read(&mut tampon) {
                Ok(0) => break,
                Ok(k) => k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            h.update(&tampon[..k]);
            lu += k as u64;
        }
        (lu == n).then(|| h.digest128().to_le_bytes())
    })
}

// The metadata of an entry, in JSON: the types of the reading, mirrored for serde.

#[derive(Serialize, Deserialize)]
#[serde(remote = "Probleme")]
struct ProblemeGarde {
    fichier: PathBuf,
    ligne: Option<usize>,
    feuille: Option<String>,
    cellule: Option<String>,
    colonne: Option<String>,
    cle: Option<String>,
    message: String,
    attendu: Option<String>,
    correction: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Gravite")]
enum GraviteGardee {
    Avertissement,
    Erreur,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Constat")]
struct ConstatGarde {
    #[serde(with = "GraviteGardee")]
    gravite: Gravite,
    absent: bool,
    #[serde(with = "ProblemeGarde")]
    probleme: Probleme,
    nombre: usize,
}

#[derive(Serialize, Deserialize)]
struct ConstatEnJson(#[serde(with = "ConstatGarde")] Constat);

#[derive(Serialize, Deserialize)]
#[serde(remote = "Fichier")]
struct FichierGarde {
    nom: PathBuf,
    annees: BTreeSet<i32>,
    manquantes: BTreeSet<String>,
    inconnues: Vec<String>,
}

/// The kind of a typed column, as its values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Genre {
    U32,
    I32,
    I64,
    F64,
    Bool,
}

impl Genre {
    fn de(dtype: &DataType) -> Option<Genre> {
        Some(match dtype {
            DataType::UInt32 => Genre::U32,
            DataType::Int32 => Genre::I32,
            DataType::Int64 => Genre::I64,
            DataType::Float64 => Genre::F64,
            DataType::Boolean => Genre::Bool,
            _ => return None,
        })
    }

    fn taille(self) -> usize {
        match self {
            Genre::U32 | Genre::I32 => 4,
            Genre::I64 | Genre::F64 => 8,
            Genre::Bool => 1,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ColonneGardee {
    nom: String,
    genre: Genre,
    nulls: bool,
    /// An integer column's smallest value, and the bytes of each value's
    /// difference from it (1, 2, 4 or 8); 0 and the kind's own size for
    /// the others.
    base: i64,
    largeur: usize,
}

/// The base and the width of the integers `valeurs` (nulls left out), as
/// an entry stores them.
fn etroit(valeurs: impl Iterator<Item = i64>) -> (i64, usize) {
    let (bas, haut) = valeurs.fold((i64::MAX, i64::MIN), |(bas, haut), v| {
        (bas.min(v), haut.max(v))
    });
    if bas > haut {
        return (0, 1);
    }
    let ecart = haut.abs_diff(bas);
    let largeur = match ecart {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFFFF_FFFF => 4,
        _ => 8,
    };
    (bas, largeur)
}

/// The values of the rows of `ca` that have one, in order.
fn presentes<T: PolarsNumericType>(ca: &ChunkedArray<T>) -> impl Iterator<Item = T::Native> + '_ {
    ca.downcast_iter()
        .flat_map(super::presentes::valeurs_presentes)
}

/// What the first pass of [`serialiser`] finds of a column.
struct Decrite {
    gardee: ColonneGardee,
    /// A category column's: the file's own code of each code of the
    /// source's dictionary (`u32::MAX` for one it does not use), and the
    /// source's code of each of its own codes (its values, in the order the
    /// file first gives them).
    recodage: Option<(Vec<u32>, Vec<u32>)>,
    /// Its bytes in the entry.
    taille: usize,
}

/// The first pass of [`serialiser`] over the column `s`, whose category
/// values, if any, are those of `dictionnaires`; `None` for a column of a
/// kind reading does not give.
fn decrire(s: &Series, dictionnaires: &BTreeMap<String, super::Dictionnaire>) -> Option<Decrite> {
    let genre = Genre::de(s.dtype())?;
    let nom = s.name().to_string();
    let absentes = s.null_count();
    let n = s.len();
    let recodage = match (genre, dictionnaires.get(&nom)) {
        (Genre::U32, Some(d)) => {
            let mut local = vec![u32::MAX; d.valeurs.len()];
            let mut sources = Vec::new();
            for g in presentes(s.u32().ok()?) {
                let l = local.get_mut(g as usize)?;
                if *l == u32::MAX {
                    *l = sources.len() as u32;
                    sources.push(g);
                }
            }
            Some((local, sources))
        }
        _ => None,
    };
    let (base, largeur) = match genre {
        Genre::U32 => match &recodage {
            // The file's own codes: from 0 to its last value's.
            Some((_, sources)) => etroit([0, sources.len().saturating_sub(1) as i64].into_iter()),
            None => etroit(presentes(s.u32().ok()?).map(i64::from)),
        },
        Genre::I32 => etroit(presentes(s.i32().ok()?).map(i64::from)),
        Genre::I64 => etroit(presentes(s.i64().ok()?)),
        Genre::F64 | Genre::Bool => (0, genre.taille()),
    };
    // Values of the rows that have one (see the module's format), bits for
    // a boolean; the validity before them if there are nulls.
    let taille = match genre {
        Genre::Bool => n.div_ceil(8),
        _ => (n - absentes) * largeur,
    } + if absentes > 0 { n.div_ceil(8) } else { 0 };
    Some(Decrite {
        gardee: ColonneGardee {
            nom,
            genre,
            nulls: absentes > 0,
            base,
            largeur,
        },
        recodage,
        taille,
    })
}

/// Writes the column `s` as an entry stores it (see the module's format)
/// into `place`, which has exactly its size; `recodage`: the file's own
/// codes of a category column's codes. `None` if the column does not fit
/// what the first pass found.
fn ecrire_colonne(
    place: &mut [u8],
    s: &Series,
    recodage: Option<&[u32]>,
    gardee: &ColonneGardee,
) -> Option<()> {
    let (base, largeur) = (gardee.base, gardee.largeur);
    let place = if gardee.nulls {
        let mut validite = MutableBitmap::with_capacity(s.len());
        for v in s.chunks() {
            match v.validity() {
                Some(b) => validite.extend_from_bitmap(b),
                None => validite.extend_constant(v.len(), true),
            }
        }
        let validite = octets_de(&validite.into());
        let (debut, suite) = place.split_at_mut_checked(validite.len())?;
        debut.copy_from_slice(&validite);
        suite
    } else {
        place
    };
    match gardee.genre {
        Genre::U32 => {
            let codes = presentes(s.u32().ok()?);
            match recodage {
                Some(local) => ecrire_etroits(
                    place,
                    codes.map(|g| local.get(g as usize).map(|l| i64::from(*l))),
                    base,
                    largeur,
                ),
                None => ecrire_etroits(place, codes.map(|g| Some(i64::from(g))), base, largeur),
            }
        }
        Genre::I32 => ecrire_etroits(
            place,
            presentes(s.i32().ok()?).map(|v| Some(i64::from(v))),
            base,
            largeur,
        ),
        Genre::I64 => ecrire_etroits(place, presentes(s.i64().ok()?).map(Some), base, largeur),
        Genre::F64 => {
            let mut morceaux = place.chunks_exact_mut(8);
            for v in presentes(s.f64().ok()?) {
                morceaux.next()?.copy_from_slice(&v.to_le_bytes());
            }
            morceaux.next().is_none().then_some(())
        }
        Genre::Bool => {
            // A null's bit is 0.
            let mut bits = MutableBitmap::with_capacity(s.len());
            for arr in s.bool().ok()?.downcast_iter() {
                match arr.validity() {
                    Some(v) => bits.extend_from_bitmap(&(arr.values() & v)),
                    None => bits.extend_from_bitmap(arr.values()),
                }
            }
            let bits = octets_de(&bits.into());
            (bits.len() == place.len()).then(|| place.copy_from_slice(&bits))
        }
    }
}

/// Writes each of `valeurs` as its difference from `base` in `largeur`
/// bytes, little-endian, filling `place` exactly; `None` for a value that
/// is `None`, or a count of values that does not fill it.
fn ecrire_etroits(
    place: &mut [u8],
    valeurs: impl Iterator<Item = Option<i64>>,
    base: i64,
    largeur: usize,
) -> Option<()> {
    match largeur {
        1 => ecrire_en::<1>(place, valeurs, base),
        2 => ecrire_en::<2>(place, valeurs, base),
        4 => ecrire_en::<4>(place, valeurs, base),
        8 => ecrire_en::<8>(place, valeurs, base),
        _ => None,
    }
}

/// [`ecrire_etroits`] for a width `W` known when compiled.
fn ecrire_en<const W: usize>(
    place: &mut [u8],
    valeurs: impl Iterator<Item = Option<i64>>,
    base: i64,
) -> Option<()> {
    let mut morceaux = place.chunks_exact_mut(W);
    for v in valeurs {
        let ecart = v?.wrapping_sub(base) as u64;
        morceaux.next()?.copy_from_slice(&ecart.to_le_bytes()[..W]);
    }
    morceaux.next().is_none().then_some(())
}

/// The bytes of `bits` as an entry stores them: one bit a row, the first
/// row in the lowest bit, the bits after the last row 0.
fn octets_de(bits: &Bitmap) -> Vec<u8> {
    let (octets, decalage, n) = bits.as_slice();
    let mut sortie: Vec<u8> = if decalage == 0 {
        octets[..n.div_ceil(8)].to_vec()
    } else {
        let mut m = MutableBitmap::with_capacity(n);
        m.extend_from_bitmap(bits);
        m.as_slice().to_vec()
    };
    if !n.is_multiple_of(8)
        && let Some(dernier) = sortie.last_mut()
    {
        *dernier &= (1u8 << (n % 8)) - 1;
    }
    sortie
}

#[derive(Serialize, Deserialize)]
struct Meta {
    lignes: usize,
    #[serde(with = "FichierGarde")]
    fichier: Fichier,
    constats: Vec<ConstatEnJson>,
    colonnes: Vec<ColonneGardee>,
    /// The number of values of each category column's dictionary, by the
    /// file's own codes; the values themselves follow the columns.
    dictionnaires: BTreeMap<String, usize>,
    /// The rows of the overlap check, if kept.
    recoupement: Option<usize>,
}

/// The bytes of the entry `a`, its rows being `table`, its codes those of
/// `dictionnaires`; `None` for a table of another kind than reading gives.
fn serialiser(
    a: &Attente,
    table: &DataFrame,
    dictionnaires: &BTreeMap<String, super::Dictionnaire>,
) -> Option<Vec<u8>> {
    // First pass: the columns' kinds and the file's own codes of each
    // category column (by first appearance), so that the metadata, which
    // comes first, is known before any value is written; the entry is then
    // written once, in a buffer of its final size (no second copy of the
    // table's bytes in memory). Both passes take the columns side by side
    // on the cores.
    let decrites = table
        .columns()
        .par_iter()
        .map(|c| decrire(c.as_materialized_series(), dictionnaires))
        .collect::<Option<Vec<_>>>()?;
    let mut colonnes = Vec::with_capacity(decrites.len());
    let mut locaux: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut recodages = Vec::with_capacity(decrites.len());
    let mut tailles = Vec::with_capacity(decrites.len());
    for d in decrites {
        if let Some((local, sources)) = d.recodage {
            locaux.insert(d.gardee.nom.clone(), sources);
            recodages.push(Some(local));
        } else {
            recodages.push(None);
        }
        tailles.push(d.taille);
        colonnes.push(d.gardee);
    }
    // A dictionary of the source without a column in this file: kept empty.
    for nom in dictionnaires.keys() {
        if !locaux.contains_key(nom) && colonnes.iter().any(|c| &c.nom == nom) {
            locaux.insert(nom.clone(), Vec::new());
        }
    }
    let meta = Meta {
        lignes: table.height(),
        fichier: a.fichier.clone(),
        constats: a
            .constats
            .liste
            .iter()
            .cloned()
            .map(ConstatEnJson)
            .collect(),
        colonnes,
        dictionnaires: locaux
            .iter()
            .map(|(nom, v)| (nom.clone(), v.len()))
            .collect(),
        recoupement: a.recoupement.as_ref().map(Vec::len),
    };
    // The values of each dictionary, by the file's own codes.
    let valeurs_locales = locaux
        .iter()
        .map(|(nom, sources)| {
            let d = dictionnaires.get(nom);
            sources
                .iter()
                .map(|g| Some(d?.valeurs.get(*g as usize)?.as_str()))
                .collect::<Option<Vec<&str>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    let json = serde_json::to_vec(&meta).ok()?;
    let paires = a.recoupement.as_ref().map_or(0, Vec::len);
    let taille_blocs: usize = tailles.iter().sum();
    let taille_dictionnaires: usize = valeurs_locales.iter().flatten().map(|v| 4 + v.len()).sum();
    let mut octets = Vec::with_capacity(
        ENTETE + json.len() + taille_blocs + taille_dictionnaires + paires * 12 + SCEAU,
    );
    octets.extend_from_slice(MAGIQUE);
    octets.extend_from_slice(&FORMAT.to_le_bytes());
    octets.extend_from_slice(&a.cle);
    octets.extend_from_slice(&(json.len() as u64).to_le_bytes());
    octets.extend_from_slice(&json);
    drop(json);
    // Second pass: each column written in its own bytes, whose size the
    // first pass gave.
    let debut = octets.len();
    octets.resize(debut + taille_blocs, 0);
    let mut places = Vec::with_capacity(tailles.len());
    let mut reste = &mut octets[debut..];
    for t in &tailles {
        let (place, suite) = reste.split_at_mut(*t);
        places.push(place);
        reste = suite;
    }
    let colonnes = table.columns();
    let ecrites = places
        .into_par_iter()
        .zip(colonnes.par_iter())
        .zip(recodages.par_iter())
        .zip(meta.colonnes.par_iter())
        .map(|(((place, c), recodage), gardee)| {
            ecrire_colonne(
                place,
                c.as_materialized_series(),
                recodage.as_deref(),
                gardee,
            )
        })
        .collect::<Option<Vec<()>>>();
    ecrites?;
    for valeurs in &valeurs_locales {
        ecrire_dictionnaire(&mut octets, valeurs)?;
    }
    for (h, l) in a.recoupement.iter().flatten() {
        octets.extend_from_slice(&h.to_le_bytes());
        octets.extend_from_slice(&l.to_le_bytes());
    }
    let mut sceau = Xxh3::new();
    sceau.update(&octets);
    octets.extend_from_slice(&sceau.digest128().to_le_bytes());
    Some(octets)
}

/// Appends the values of a dictionary as an entry stores them: the length
/// of each in bytes (u32), then their bytes one after the other; `None` for
/// a value longer than a u32 counts.
fn ecrire_dictionnaire(octets: &mut Vec<u8>, valeurs: &[&str]) -> Option<()> {
    for v in valeurs {
        octets.extend_from_slice(&u32::try_from(v.len()).ok()?.to_le_bytes());
    }
    for v in valeurs {
        octets.extend_from_slice(v.as_bytes());
    }
    Some(())
}

/// The `n` values of a dictionary read from `l` (see [`ecrire_dictionnaire`]);
/// `None` if their lengths go past the entry's bytes, or if their bytes are
/// not text or a length cuts a character.
fn lire_dictionnaire(l: &mut Lecture, n: usize) -> Option<Vec<String>> {
    let longueurs = le(l.prendre_valeurs::<u32>(n)?, u32::from_le);
    let total = longueurs
        .iter()
        .try_fold(0usize, |t, &k| t.checked_add(k as usize))?;
    // Checked as text once, for all of them: each then starts and ends on a
    // character (`get` says whether it does).
    let texte = String::from_utf8(l.prendre(total)?).ok()?;
    let mut debut = 0;
    longueurs
        .iter()
        .map(|&k| {
            let fin = debut + k as usize;
            let v = texte.get(debut..fin)?.to_owned();
            debut = fin;
            Some(v)
        })
        .collect()
}

/// The values of one column of an entry.
enum Valeurs {
    U32(Vec<u32>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F64(Vec<f64>),
    Bool(Bitmap),
}

/// A column of an entry loaded: its values, its validity if it has nulls.
type ColonneChargee = (Valeurs, Option<Vec<u8>>);

/// An entry loaded and checked: what reading the file kept.
struct Entree {
    meta: Meta,
    colonnes: Vec<ColonneChargee>,
    /// The values of each category column, by the file's own codes.
    dictionnaires: BTreeMap<String, Vec<String>>,
    recoupement: Option<Vec<(u64, u32)>>,
}

/// An entry being read: its bytes condensed as they are read, before the seal.
struct Lecture {
    fichier: std::io::BufReader<std::fs::File>,
    condense: Xxh3,
    /// Bytes left before the seal.
    reste: usize,
}

impl Lecture {
    /// The next `n` bytes, if the entry has them before its seal.
    fn prendre(&mut self, n: usize) -> Option<Vec<u8>> {
        self.prendre_valeurs::<u8>(n)
    }

    /// The next `n` values of `T`, read straight into their vector (their
    /// bytes as stored: little-endian, see [`le`]), if the entry has them
    /// before its seal.
    fn prendre_valeurs<T: bytemuck::Pod>(&mut self, n: usize) -> Option<Vec<T>> {
        let taille = n.checked_mul(std::mem::size_of::<T>())?;
        if taille > self.reste {
            return None;
        }
        let mut valeurs = vec![T::zeroed(); n];
        let octets: &mut [u8] = bytemuck::cast_slice_mut(&mut valeurs);
        self.fichier.read_exact(octets).ok()?;
        self.condense.update(octets);
        self.reste -= taille;
        Some(valeurs)
    }

    /// The next `n` values of a column of kind `genre` stored `largeur`
    /// bytes each, as they are stored (see [`Brut`]).
    fn prendre_brut(&mut self, n: usize, genre: Genre, largeur: usize) -> Option<Brut> {
        Some(match (genre, largeur) {
            (Genre::F64, _) => Brut::F64(self.prendre_valeurs(n)?),
            (Genre::Bool, _) => Brut::Bool(self.prendre(n.div_ceil(8))?),
            (_, 1) => Brut::U8(self.prendre_valeurs(n)?),
            (_, 2) => Brut::U16(self.prendre_valeurs(n)?),
            (_, 4) => Brut::U32(self.prendre_valeurs(n)?),
            (_, 8) => Brut::U64(self.prendre_valeurs(n)?),
            _ => return None,
        })
    }
}

/// A column's values as an entry stores them: integers as differences of
/// 1, 2, 4 or 8 bytes, little-endian, booleans as bits; made [`Valeurs`]
/// by [`Brut::entiers`] or [`finir`].
enum Brut {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    F64(Vec<f64>),
    Bool(Vec<u8>),
}

impl Brut {
    /// The integers `base + e` of the stored differences, as `T`: by `tel`
    /// when every value the width can hold fits `T` (`vers` says whether
    /// one does), else one by one by `vers`; `None` if a value does not
    /// fit `T` or the values are not integers.
    fn entiers<T>(
        self,
        base: i64,
        vers: impl Fn(i64) -> Option<T>,
        tel: impl Fn(i64) -> T,
    ) -> Option<Vec<T>> {
        match self {
            Brut::U8(v) => elargir(v, base, vers, tel),
            Brut::U16(v) => elargir(le(v, u16::from_le), base, vers, tel),
            Brut::U32(v) => elargir(le(v, u32::from_le), base, vers, tel),
            Brut::U64(v) => elargir(le(v, u64::from_le), base, vers, tel),
            Brut::F64(_) | Brut::Bool(_) => None,
        }
    }
}

/// The values of the column `c` from its stored values `brut` and its
/// validity; `None` if they do not fit its kind, or if a category code is
/// beyond the `borne` values of its dictionary (not an entry this writes).
fn finir(
    c: &ColonneGardee,
    n: usize,
    brut: Brut,
    validite: Option<Vec<u8>>,
    borne: Option<usize>,
) -> Option<(Valeurs, Option<Vec<u8>>)> {
    let valeurs = match (c.genre, brut) {
        (Genre::U32, b) => {
            Valeurs::U32(b.entiers(c.base, |v| u32::try_from(v).ok(), |v| v as u32)?)
        }
        (Genre::I32, b) => {
            Valeurs::I32(b.entiers(c.base, |v| i32::try_from(v).ok(), |v| v as i32)?)
        }
        (Genre::I64, b) => Valeurs::I64(b.entiers(c.base, Some, |v| v)?),
        (Genre::F64, Brut::F64(v)) => {
            Valeurs::F64(le(v, |x: f64| f64::from_bits(u64::from_le(x.to_bits()))))
        }
        (Genre::Bool, Brut::Bool(v)) => Valeurs::Bool(Bitmap::from_u8_vec(v, n)),
        _ => return None,
    };
    if let (Valeurs::U32(v), Some(d)) = (&valeurs, borne)
        && v.iter().any(|k| *k as usize >= d)
    {
        return None;
    }
    // The values of the rows that have one, put back at their rows.
    let valeurs = match (valeurs, &validite) {
        (Valeurs::Bool(b), _) => Valeurs::Bool(b),
        (v, None) => v,
        (Valeurs::U32(v), Some(b)) => Valeurs::U32(etaler(v, b, n)),
        (Valeurs::I32(v), Some(b)) => Valeurs::I32(etaler(v, b, n)),
        (Valeurs::I64(v), Some(b)) => Valeurs::I64(etaler(v, b, n)),
        (Valeurs::F64(v), Some(b)) => Valeurs::F64(etaler(v, b, n)),
    };
    Some((valeurs, validite))
}

/// How many of the `n` rows of the validity `validite` have a value; `None`
/// if it has not their bytes, or a bit set after the last row (not an
/// entry this writes).
fn presents(validite: &[u8], n: usize) -> Option<usize> {
    if validite.len() != n.div_ceil(8) {
        return None;
    }
    if !n.is_multiple_of(8) && validite.last().is_some_and(|d| d >> (n % 8) != 0) {
        return None;
    }
    Some(validite.iter().map(|o| o.count_ones() as usize).sum())
}

/// The values `presentes` of the rows that have one by `validite`, at
/// their rows among `n`, the others 0.
fn etaler<T: Copy + Default>(mut presentes: Vec<T>, validite: &[u8], n: usize) -> Vec<T> {
    let mut toutes = vec![T::default(); n];
    // A slot past the last value: each row reads the next value, and takes
    // it if it has one (no branch to mispredict on rows mixed at random).
    presentes.push(T::default());
    let mut j = 0;
    for (&octet, sorties) in validite.iter().zip(toutes.chunks_mut(8)) {
        match octet {
            0 => {}
            0xFF if sorties.len() == 8 && j + 8 <= presentes.len() => {
                sorties.copy_from_slice(&presentes[j..j + 8]);
                j += 8;
            }
            _ => {
                for (k, sortie) in sorties.iter_mut().enumerate() {
                    let present = (octet >> k) & 1;
                    let v = presentes.get(j).copied().unwrap_or_default();
                    *sortie = if present != 0 { v } else { T::default() };
                    j += usize::from(present);
                }
            }
        }
    }
    toutes
}

/// The values `base + e` of the differences `ecarts`, as `T` (see
/// [`Brut::entiers`]).
fn elargir<E: Copy + Into<u64>, T>(
    ecarts: Vec<E>,
    base: i64,
    vers: impl Fn(i64) -> Option<T>,
    tel: impl Fn(i64) -> T,
) -> Option<Vec<T>> {
    // The largest difference `E` holds: if both ends fit `T`, all do.
    let haut = u64::MAX >> (64 - 8 * std::mem::size_of::<E>());
    let sur = vers(base).is_some()
        && i64::try_from(haut)
            .ok()
            .and_then(|h| base.checked_add(h))
            .and_then(&vers)
            .is_some();
    if sur {
        Some(
            ecarts
                .into_iter()
                .map(|e| tel(base.wrapping_add(e.into() as i64)))
                .collect(),
        )
    } else {
        ecarts
            .into_iter()
            .map(|e| vers(base.wrapping_add(e.into() as i64)))
            .collect()
    }
}

/// Values stored little-endian, read as they were stored, made native (on
/// a little-endian processor, the same vector untouched).
fn le<T>(valeurs: Vec<T>, de: fn(T) -> T) -> Vec<T> {
    if cfg!(target_endian = "little") {
        valeurs
    } else {
        valeurs.into_iter().map(de).collect()
    }
}

/// The entry at `chemin` if it is whole, of this format and of key `cle`.
#[cfg(test)]
fn charger(chemin: &Path, cle: &[u8; 32]) -> Option<Entree> {
    lire_entree(chemin).and_then(|(entree, sa_cle)| (sa_cle == *cle).then_some(entree))
}

/// The entry at `chemin` and its key, if it is whole and of this format.
fn lire_entree(chemin: &Path) -> Option<(Entree, [u8; 32])> {
    lire_entree_avec(chemin, EN_TACHES)
}

/// [`lire_entree`], its columns widened by tasks from `en_taches` rows
/// (see [`lire_colonnes`]). Read a column at a time (the memory of the
/// table, and of a few columns' bytes), its seal checked at the end.
fn lire_entree_avec(chemin: &Path, en_taches: usize) -> Option<(Entree, [u8; 32])> {
    let fichier = std::fs::File::open(chemin).ok()?;
    let longueur = usize::try_from(fichier.metadata().ok()?.len()).ok()?;
    let mut l = Lecture {
        fichier: std::io::BufReader::with_capacity(1 << 20, fichier),
        condense: Xxh3::new(),
        reste: longueur.checked_sub(SCEAU)?,
    };
    // What is cheap first: an entry of another version is not read further
    // (its key is compared by the caller, once the file is condensed).
    let entete = l.prendre(ENTETE)?;
    if &entete[..8] != MAGIQUE || entete[8..12] != FORMAT.to_le_bytes() {
        return None;
    }
    let cle: [u8; 32] = entete[12..44].try_into().ok()?;
    let m = usize::try_from(u64::from_le_bytes(entete[44..52].try_into().ok()?)).ok()?;
    let meta: Meta = serde_json::from_slice(&l.prendre(m)?).ok()?;
    let n = meta.lignes;
    let (colonnes, dictionnaires) = lire_colonnes(&mut l, &meta, n >= en_taches, |l| {
        meta.dictionnaires
            .iter()
            .map(|(nom, k)| Some((nom.clone(), lire_dictionnaire(l, *k)?)))
            .collect::<Option<BTreeMap<_, _>>>()
    })?;
    let recoupement = match meta.recoupement {
        Some(r) => Some(
            l.prendre(r.checked_mul(12)?)?
                .chunks_exact(12)
                .map(|b| {
                    let (h, ligne) = b.split_at(8);
                    (
                        u64::from_le_bytes(h.try_into().unwrap_or_default()),
                        u32::from_le_bytes(ligne.try_into().unwrap_or_default()),
                    )
                })
                .collect(),
        ),
        None => None,
    };
    if l.reste != 0 {
        return None;
    }
    let mut sceau = [0u8; SCEAU];
    l.fichier.read_exact(&mut sceau).ok()?;
    if l.condense.digest128().to_le_bytes() != sceau {
        return None;
    }
    Some((
        Entree {
            meta,
            colonnes,
            dictionnaires,
            recoupement,
        },
        cle,
    ))
}

/// How many columns read may wait for their task (see [`lire_colonnes`]).
const EN_VOL: usize = 4;

/// The columns of the entry `meta` describes, read from `l` in their order.
/// `en_taches`: each column, once read and condensed, is widened and checked
/// by a task beside the reading of the next one; at most `EN_VOL` columns
/// read wait for their task (the memory of a few columns' bytes, not of the
/// entry's): beyond, the reader runs waiting tasks itself. Four rather than
/// two: while the export is condensed on the other core, the reader keeps
/// reading instead of widening, and the tasks left are widened on both
/// cores once it is done. Otherwise (a
/// small entry, where starting the threads would cost more) one after the
/// other. Then `ensuite` reads what follows the columns, while the last
/// ones are widened.
fn lire_colonnes<R: Send>(
    l: &mut Lecture,
    meta: &Meta,
    en_taches: bool,
    ensuite: impl FnOnce(&mut Lecture) -> Option<R> + Send,
) -> Option<(Vec<ColonneChargee>, R)> {
    let n = meta.lignes;
    let lire = |l: &mut Lecture, c: &ColonneGardee| {
        let validite = if c.nulls {
            Some(l.prendre(n.div_ceil(8))?)
        } else {
            None
        };
        // The values of the rows that have one (a boolean: of every row).
        let gardees = match (&validite, c.genre) {
            (Some(v), g) if g != Genre::Bool => presents(v, n)?,
            _ => n,
        };
        let brut = l.prendre_brut(gardees, c.genre, c.largeur)?;
        Some((brut, validite, meta.dictionnaires.get(&c.nom).copied()))
    };
    if !en_taches {
        let colonnes = meta
            .colonnes
            .iter()
            .map(|c| {
                let (brut, validite, borne) = lire(l, c)?;
                finir(c, n, brut, validite, borne)
            })
            .collect::<Option<Vec<_>>>()?;
        return Some((colonnes, ensuite(l)?));
    }
    let en_vol = std::sync::atomic::AtomicUsize::new(0);
    let (envoi, recu) = std::sync::mpsc::channel();
    let lues = rayon::scope(|s| {
        for (i, c) in meta.colonnes.iter().enumerate() {
            while en_vol.load(Ordering::Acquire) >= EN_VOL {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
            let (brut, validite, borne) = lire(l, c)?;
            let envoi = envoi.clone();
            let en_vol = &en_vol;
            en_vol.fetch_add(1, Ordering::AcqRel);
            s.spawn(move |_| {
                let _ = envoi.send((i, finir(c, n, brut, validite, borne)));
                en_vol.fetch_sub(1, Ordering::AcqRel);
            });
        }
        ensuite(l)
    });
    drop(envoi);
    let mut finies: Vec<_> = recu.into_iter().collect();
    let suite = lues?;
    finies.sort_unstable_by_key(|(i, _)| *i);
    let colonnes = finies
        .into_iter()
        .map(|(_, c)| c)
        .collect::<Option<Vec<_>>>()?;
    (colonnes.len() == meta.colonnes.len()).then_some((colonnes, suite))
}

/// Whether row `i` has a value, by the validity `validite` (none: all have).
fn present(validite: &Option<Vec<u8>>, i: usize) -> bool {
    validite
        .as_ref()
        .is_none_or(|v| v[i / 8] & (1 << (i % 8)) != 0)
}

/// A polars column from stored values and their validity (one bit a row,
/// the first row in the lowest bit: arrow's own layout, taken as it is).
fn colonne<T: PolarsNumericType>(
    nom: &str,
    valeurs: Vec<T::Native>,
    validite: Option<Vec<u8>>,
) -> Column {
    let n = valeurs.len();
    let validite = validite.map(|v| Bitmap::from_u8_vec(v, n));
    ChunkedArray::<T>::from_vec_validity(nom.into(), valeurs, validite).into_column()
}

impl Entree {
    /// The table and the `Fichier` the entry keeps, its codes made those of
    /// the source's dictionaries in `etat` (values new to them added as
    /// reading adds them), its rows handed to the overlap check, its warnings
    /// to `ici`. `None` if the entry does not fit what this reading needs.
    fn reprendre(self, etat: &mut EtatSource, ici: &mut Constats) -> Option<(DataFrame, Fichier)> {
        let Entree {
            meta,
            colonnes,
            mut dictionnaires,
            recoupement,
        } = self;
        if etat.recoupement.is_some() != recoupement.is_some() {
            return None;
        }
        let mut typees = Vec::with_capacity(colonnes.len());
        for (c, (valeurs, validite)) in meta.colonnes.iter().zip(colonnes) {
            let nom = c.nom.as_str();
            typees.push(match valeurs {
                Valeurs::U32(mut v) => {
                    if let Some(locales) = dictionnaires.remove(nom) {
                        let d = etat.dictionnaires.entry(c.nom.clone()).or_default();
                        let carte = d.etendre(locales);
                        if let Some(carte) = carte {
                            for (i, k) in v.iter_mut().enumerate() {
                                if present(&validite, i) {
                                    *k = carte[*k as usize];
                                }
                            }
                        }
                    }
                    colonne::<UInt32Type>(nom, v, validite)
                }
                Valeurs::I32(v) => colonne::<Int32Type>(nom, v, validite),
                Valeurs::I64(v) => colonne::<Int64Type>(nom, v, validite),
                Valeurs::F64(v) => colonne::<Float64Type>(nom, v, validite),
                Valeurs::Bool(bits) => {
                    let n = bits.len();
                    let validite = validite.map(|v| Bitmap::from_u8_vec(v, n));
                    let arr = polars_arrow::array::BooleanArray::new(
                        ArrowDataType::Boolean,
                        bits,
                        validite,
                    );
                    BooleanChunked::with_chunk(nom.into(), arr).into_column()
                }
            });
        }
        let table = DataFrame::new(meta.lignes, typees).ok()?;
        if let (Some(r), Some(lignes)) = (&mut etat.recoupement, recoupement) {
            r.reprendre(meta.fichier.nom.clone(), lignes);
        }
        ici.liste.extend(meta.constats.into_iter().map(|c| c.0));
        Some((table, meta.fichier))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of every kind of column reading gives, with nulls, and its
    /// `personne` dictionary of three codes.
    fn table() -> (DataFrame, BTreeMap<String, super::super::Dictionnaire>) {
        let mut d = super::super::Dictionnaire::default();
        for v in ["TLS-1", "TLS-2", "TLS-3"] {
            d.code(v.to_string());
        }
        let colonnes = vec![
            Column::new("date".into(), [Some(15706i32), None, Some(15800)]),
            Column::new("personne".into(), [Some(2u32), Some(0), None]),
            Column::new("quantite".into(), [1i64, 3, 1]),
            Column::new("montant".into(), [Some(26.5f64), None, Some(-0.0)]),
            Column::new("themes|vih".into(), [true, false, true]),
        ];
        let t = DataFrame::new(3, colonnes).unwrap();
        (t, BTreeMap::from([("personne".to_string(), d)]))
    }

    /// Asserts that the column `x` read back is `y`: the same name, kind
    /// and values, nulls included.
    fn meme_colonne(x: &Column, y: &Column, contexte: &str) {
        assert_eq!(x.name(), y.name(), "{contexte}");
        assert_eq!(x.dtype(), y.dtype(), "{contexte} {}", x.name());
        assert!(
            x.as_materialized_series()
                .equals_missing(y.as_materialized_series()),
            "{contexte} {} : {x:?} au lieu de {y:?}",
            x.name()
        );
    }

    fn attente() -> Attente {
        let mut constats = Constats::default();
        constats.avertissement(
            Probleme::new("donnees/activites.csv", "ligne identique à la ligne 2")
                .ligne(3)
                .correction("supprimez le doublon"),
        );
        Attente {
            nom: "build-activites-activites.csv.cache".into(),
            cle: [7; 32],
            source: Source::Activites,
            debut: 0,
            lignes: 3,
            fichier: Fichier {
                nom: "donnees/activites.csv".into(),
                annees: BTreeSet::from([2013]),
                manquantes: BTreeSet::from(["themes".to_string()]),
                inconnues: vec!["Remarque".into()],
            },
            constats,
            recoupement: Some(vec![(1, 2), (5, 3), (9, 4)]),
        }
    }

    #[test]
    fn an_entry_gives_back_the_table_the_values_the_file_and_the_warnings_it_was_made_of() {
        let (t, dictionnaires) = table();
        let a = attente();
        let octets = serialiser(&a, &t, &dictionnaires).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("entree");
        std::fs::write(&chemin, &octets).unwrap();
        assert!(charger(&chemin, &[8; 32]).is_none(), "une autre clé");
        let entree = charger(&chemin, &a.cle).unwrap();
        // A source whose dictionary already knows « TLS-3 »: codes made its own.
        let mut etat = EtatSource {
            recoupement: Some(super::super::chevauchements::Recoupement::default()),
            ..EtatSource::default()
        };
        etat.dictionnaires
            .entry("personne".into())
            .or_default()
            .code("TLS-3".into());
        let mut ici = Constats::default();
        let (lue, fichier) = entree.reprendre(&mut etat, &mut ici).unwrap();
        assert_eq!(ici, a.constats);
        assert_eq!(fichier.annees, a.fichier.annees);
        assert_eq!(fichier.inconnues, a.fichier.inconnues);
        let d = &etat.dictionnaires["personne"];
        let valeurs: Vec<Option<&str>> = lue
            .column("personne")
            .unwrap()
            .u32()
            .unwrap()
            .iter()
            .map(|c| c.map(|c| d.valeurs[c as usize].as_str()))
            .collect();
        assert_eq!(valeurs, [Some("TLS-3"), Some("TLS-1"), None]);
        for nom in ["date", "quantite", "montant", "themes|vih"] {
            meme_colonne(lue.column(nom).unwrap(), t.column(nom).unwrap(), "");
        }
        assert_eq!(
            etat.recoupement.unwrap().dernier().unwrap(),
            [(1, 2), (5, 3), (9, 4)]
        );
    }

    #[test]
    fn an_entry_is_read_back_column_for_column_by_tasks_on_one_thread_as_on_several_and_without() {
        // More columns than may wait for their task: with one thread, the
        // reader must run the waiting tasks itself.
        let (t, dictionnaires) = table();
        let a = attente();
        let octets = serialiser(&a, &t, &dictionnaires).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("entree");
        std::fs::write(&chemin, &octets).unwrap();
        assert!(t.width() > EN_VOL);
        for (fils, en_taches) in [(1, 0), (2, 0), (4, 0), (2, usize::MAX)] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(fils)
                .build()
                .unwrap();
            let (entree, cle) = pool
                .install(|| lire_entree_avec(&chemin, en_taches))
                .unwrap();
            assert_eq!(cle, a.cle);
            let mut etat = EtatSource {
                recoupement: Some(super::super::chevauchements::Recoupement::default()),
                ..EtatSource::default()
            };
            let (lue, _) = entree
                .reprendre(&mut etat, &mut Constats::default())
                .unwrap();
            assert_eq!(lue.get_column_names(), t.get_column_names(), "{fils} fils");
            // The entry's codes are its own: compared by their values.
            let valeurs = |c: &Column, d: &super::super::Dictionnaire| -> Vec<Option<String>> {
                let codes = c.u32().unwrap();
                codes
                    .iter()
                    .map(|k| k.map(|k| d.valeurs[k as usize].clone()))
                    .collect()
            };
            assert_eq!(
                valeurs(
                    lue.column("personne").unwrap(),
                    &etat.dictionnaires["personne"]
                ),
                valeurs(t.column("personne").unwrap(), &dictionnaires["personne"]),
                "{fils} fils"
            );
            for (x, y) in lue.columns().iter().zip(t.columns()) {
                if y.name() != "personne" {
                    meme_colonne(x, y, &format!("{fils} fils"));
                }
            }
        }
    }

    #[test]
    fn an_entry_cut_anywhere_or_with_any_byte_changed_is_not_loaded() {
        let (t, dictionnaires) = table();
        let a = attente();
        let octets = serialiser(&a, &t, &dictionnaires).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("entree");
        for n in 0..octets.len() {
            std::fs::write(&chemin, &octets[..n]).unwrap();
            assert!(charger(&chemin, &a.cle).is_none(), "coupée à {n} octets");
        }
        for i in 0..octets.len() {
            let mut b = octets.clone();
            b[i] ^= 0x10;
            std::fs::write(&chemin, &b).unwrap();
            assert!(charger(&chemin, &a.cle).is_none(), "octet {i} changé");
        }
        std::fs::write(&chemin, &octets).unwrap();
        assert!(charger(&chemin, &a.cle).is_some());
    }

    #[test]
    fn integers_at_the_edges_of_each_width_come_back_as_they_were_and_take_fewer_bytes() {
        // Per column: values whose spread needs 1, 2, 4 or 8 bytes, negative
        // ones, the extremes of the kind, nulls.
        let colonnes = vec![
            Column::new("a".into(), [Some(-3i32), None, Some(252), Some(-3)]),
            Column::new("b".into(), [Some(-40_000i32), Some(25_535), None, Some(0)]),
            Column::new("c".into(), [i32::MIN, i32::MAX, 0, -1]),
            Column::new("d".into(), [Some(u32::MAX), Some(0u32), None, Some(70_000)]),
            Column::new("e".into(), [Some(7u32), Some(7), Some(7), None]),
            Column::new("f".into(), [i64::MIN, i64::MAX, 1, -1]),
            Column::new("g".into(), [Some(1i64), None, Some(1 << 40), Some(-5)]),
            Column::new("h".into(), [None::<i64>, None, None, None]),
        ];
        let t = DataFrame::new(4, colonnes).unwrap();
        let mut a = attente();
        a.recoupement = None;
        a.lignes = 4;
        let octets = serialiser(&a, &t, &BTreeMap::new()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("entree");
        std::fs::write(&chemin, &octets).unwrap();
        let entree = charger(&chemin, &a.cle).unwrap();
        let largeurs: Vec<usize> = entree.meta.colonnes.iter().map(|c| c.largeur).collect();
        assert_eq!(largeurs, [1, 2, 4, 4, 1, 8, 8, 1]);
        let mut etat = EtatSource::default();
        let (lue, _) = entree
            .reprendre(&mut etat, &mut Constats::default())
            .unwrap();
        for (x, y) in lue.columns().iter().zip(t.columns()) {
            meme_colonne(x, y, "");
        }
    }

    /// The bytes of the entry of `t` (no dictionary, no overlap rows).
    fn octets_de_table(t: &DataFrame) -> Vec<u8> {
        let mut a = attente();
        a.recoupement = None;
        a.lignes = t.height();
        serialiser(&a, t, &BTreeMap::new()).unwrap()
    }

    #[test]
    fn a_table_cut_from_several_chunks_with_nulls_in_every_kind_comes_back_as_it_was() {
        // Two chunks, cut at rows that are not on a byte of the validity:
        // the entry is made of a slice, as a file's rows in its source's table.
        let morceau = |graine: u64, n: usize| {
            let x = |i: usize, m: u64| (graine.wrapping_mul(31).wrapping_add(i as u64 * 7919)) % m;
            // Runs of values and of nulls a byte long, and bytes of both.
            let vide = |i: usize| i % 24 >= 16 || i % 24 == 11 || x(i, 9) == 0;
            let colonnes = vec![
                Column::new(
                    "u".into(),
                    (0..n)
                        .map(|i| (!vide(i)).then(|| x(i, 70_000) as u32))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "d".into(),
                    (0..n)
                        .map(|i| (!vide(i)).then(|| 15_000 + x(i, 300) as i32))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "q".into(),
                    (0..n)
                        .map(|i| (x(i, 3) != 0).then(|| x(i, 9) as i64 - 4))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "m".into(),
                    (0..n)
                        .map(|i| (x(i, 7) == 0).then(|| x(i, 1000) as f64 / 4.0))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "b".into(),
                    (0..n)
                        .map(|i| (!vide(i)).then(|| x(i, 2) == 0))
                        .collect::<Vec<_>>(),
                ),
                Column::new("c".into(), (0..n).map(|i| x(i, 3) == 1).collect::<Vec<_>>()),
                Column::new("rien".into(), vec![None::<f64>; n]),
            ];
            DataFrame::new(n, colonnes).unwrap()
        };
        let mut t = morceau(1, 53);
        t.vstack_mut(&morceau(2, 70)).unwrap();
        assert_eq!(t.first_col_n_chunks(), 2);
        for (debut, n) in [(0, 123), (5, 77), (3, 1), (53, 70), (9, 0), (48, 16)] {
            let partie = t.slice(debut, n);
            let dir = tempfile::tempdir().unwrap();
            let chemin = dir.path().join("entree");
            std::fs::write(&chemin, octets_de_table(&partie)).unwrap();
            let entree = charger(&chemin, &attente().cle).unwrap();
            let (lue, _) = entree
                .reprendre(&mut EtatSource::default(), &mut Constats::default())
                .unwrap();
            assert_eq!(lue.height(), n);
            for (x, y) in lue.columns().iter().zip(partie.columns()) {
                meme_colonne(x, y, &format!("({debut}, {n})"));
            }
        }
    }

    #[test]
    fn a_value_takes_its_bytes_a_null_only_its_bit_and_a_boolean_one_bit() {
        let montants = |presents: usize| {
            let v: Vec<Option<f64>> = (0..10_000)
                .map(|i| (i % 50 == 0 && i / 50 < presents).then_some(i as f64 + 0.5))
                .collect();
            let t = DataFrame::new(10_000, vec![Column::new("montant".into(), v)]).unwrap();
            octets_de_table(&t).len()
        };
        let aucun = montants(0);
        assert_eq!(montants(100), aucun + 100 * 8);
        assert_eq!(montants(200), aucun + 200 * 8);
        // Its validity: one bit a row, beside the metadata.
        assert!(aucun < 10_000 / 8 + 1_000, "{aucun} octets");
        let booleens = |n: usize| {
            let t = DataFrame::new(n, vec![Column::new("b".into(), vec![true; n])]).unwrap();
            octets_de_table(&t).len()
        };
        assert_eq!(booleens(10_008), booleens(10_000) + 1);
        assert_eq!(booleens(10_009), booleens(10_000) + 2);
    }

    /// A reading of `octets` as the bytes of an entry before its seal.
    fn lecture_de(octets: &[u8]) -> (tempfile::TempDir, Lecture) {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("octets");
        std::fs::write(&chemin, octets).unwrap();
        let l = Lecture {
            fichier: std::io::BufReader::new(std::fs::File::open(&chemin).unwrap()),
            condense: Xxh3::new(),
            reste: octets.len(),
        };
        (dir, l)
    }

    #[test]
    fn a_dictionary_comes_back_value_for_value_whatever_its_characters_and_lengths() {
        let long = "Ω-".repeat(300);
        let valeurs = ["TLS-1331", "", "Zoé", "日本-7", "😀", long.as_str(), "a"];
        let mut octets = Vec::new();
        ecrire_dictionnaire(&mut octets, &valeurs).unwrap();
        let taille: usize = valeurs.iter().map(|v| 4 + v.len()).sum();
        assert_eq!(
            octets.len(),
            taille,
            "une longueur et les octets de chaque valeur"
        );
        // Followed by other bytes: it takes its own and no more.
        octets.extend_from_slice(b"suite");
        let (_dir, mut l) = lecture_de(&octets);
        let lues = lire_dictionnaire(&mut l, valeurs.len()).unwrap();
        assert_eq!(lues, valeurs);
        assert_eq!(l.reste, 5);
        let (_dir, mut l) = lecture_de(&[]);
        assert_eq!(lire_dictionnaire(&mut l, 0).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_dictionary_whose_lengths_cut_a_character_or_pass_its_bytes_or_whose_bytes_are_not_text_is_refused()
     {
        let brut = |longueurs: &[u32], octets: &[u8]| {
            let mut b: Vec<u8> = longueurs.iter().flat_map(|k| k.to_le_bytes()).collect();
            b.extend_from_slice(octets);
            b
        };
        let lire = |b: &[u8], n: usize| {
            let (_dir, mut l) = lecture_de(b);
            lire_dictionnaire(&mut l, n)
        };
        // The same bytes, cut where they should be: read.
        assert_eq!(
            lire(&brut(&[2, 1], "éa".as_bytes()), 2).unwrap(),
            ["é", "a"]
        );
        // « é » cut in two.
        assert!(lire(&brut(&[1, 2], "éa".as_bytes()), 2).is_none());
        // Lengths past the bytes, up to a sum that overflows.
        assert!(lire(&brut(&[2, 2], "éa".as_bytes()), 2).is_none());
        assert!(lire(&brut(&[u32::MAX, u32::MAX], b"ab"), 2).is_none());
        // More lengths than the entry has.
        assert!(lire(&brut(&[1], b"a"), 3).is_none());
        // Not UTF-8.
        assert!(lire(&brut(&[1], &[0xFF]), 1).is_none());
    }

    #[test]
    fn a_large_file_s_condensed_form_changes_with_any_byte_of_either_half_and_with_its_length() {
        // Large enough to be condensed in two halves, one per core, with
        // several reads in each (and a last one shorter).
        let n = MOITIES as usize + 3 * TAMPON + 17;
        let octets: Vec<u8> = (0..n).map(|i| (i * 7 + i / 251) as u8).collect();
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("activites.csv");
        std::fs::write(&chemin, &octets).unwrap();
        let tel = condense_fichier(&chemin).unwrap();
        assert_eq!(condense_fichier(&chemin), Some(tel), "le même fichier");
        let copie = dir.path().join("copie.csv");
        std::fs::write(&copie, &octets).unwrap();
        assert_eq!(
            condense_fichier(&copie),
            Some(tel),
            "les mêmes octets ailleurs"
        );
        let moitie = n / 2;
        for i in [
            0,
            TAMPON - 1,
            TAMPON,
            moitie - 1,
            moitie,
            moitie + 1,
            n - TAMPON,
            n - 1,
        ] {
            let mut b = octets.clone();
            b[i] ^= 0x01;
            std::fs::write(&chemin, &b).unwrap();
            assert_ne!(condense_fichier(&chemin), Some(tel), "octet {i} changé");
        }
        // The halves' bytes swapped around the middle: the same bytes, not in the same place.
        let mut b = octets.clone();
        b.swap(moitie - 1, moitie);
        if b != octets {
            std::fs::write(&chemin, &b).unwrap();
            assert_ne!(condense_fichier(&chemin), Some(tel), "deux octets échangés");
        }
        // One byte more, one less.
        for longueur in [n - 1, n + 1] {
            let mut b = octets.clone();
            b.resize(longueur, 0);
            std::fs::write(&chemin, &b).unwrap();
            assert_ne!(condense_fichier(&chemin), Some(tel), "{longueur} octets");
        }
        // A small file is condensed whole, and differs from its bytes cut in two.
        std::fs::write(&chemin, &octets[..1000]).unwrap();
        let petit = condense_fichier(&chemin).unwrap();
        std::fs::write(&chemin, &octets[..999]).unwrap();
        assert_ne!(condense_fichier(&chemin), Some(petit));
        assert_eq!(condense_fichier(&dir.path().join("absent.csv")), None);
    }
}
