//! Deterministic generator of large synthetic projects, to measure and test `rapport` on
//! exports of any size (a million rows, ten million, hundreds of indicators).
//!
//! It writes into the output folder a complete project that `rapport build` accepts:
//!
//! * `rapport.toml`, `glossaire.csv`, `textes/`, `images/` and `photos/`, copied from the sample project
//!   (`data-samples/`, found from `CARGO_MANIFEST_DIR`), with two adjustments to the
//!   model so that `rapport check` finds the generated dates plausible: the year of
//!   `[rapport] date` becomes the year after the last generated one, and
//!   `[association] creation` moves back to the first generated year if it was later;
//!   with `--indicateurs N`, N generated indicators are appended to it;
//! * `donnees/activites.csv`: exactly `--lignes` data rows. Each row is a copy of a row of
//!   the sample's `activites.csv` drawn at random (action, programme, public, themes,
//!   quantity, category, amount: the sample's distributions), with a date drawn uniformly
//!   in the chosen years and, when the sample row has a `personne` code, a code drawn
//!   from a pool of pseudonymous persons (`TLS-000123`) whose size grows with the number
//!   of rows. Each person has one public, the public of the sample row it is drawn for,
//!   and appears at most once a day, so that `rapport check` sees neither a person with
//!   two publics nor a double entry. A column `origine`, if the sample has one, is the
//!   person's: drawn once per person (a hash of the seed and the code number) with the
//!   weights of the sample's rows. Rows are written day by day, in date order;
//! * `donnees/suivis.csv`: about as many cases per activity row as the sample has, each a
//!   copy of a sample case (public, programme, type) opened on a day of the chosen years,
//!   for a person of the pool, and closed after a duration drawn from the sample's closed
//!   cases (left open when that falls after the last year); a share of cases stays open,
//!   the share of the sample's cases opened before its last year that are still open;
//! * `donnees/indicateurs.csv`: one row per year for each indicator of the sample's
//!   `indicateurs.csv`: the sample's value for a year the sample covers, else the nearest
//!   sample value followed back or forward at the sample's yearly growth (kept between
//!   −10 % and +15 % a year), give or take 5 %.
//!
//! Format: the export contract of the README, as in the sample (UTF-8, `;`, dates
//! `JJ/MM/AAAA`, decimal comma, `\n`). The activity file is streamed through a buffer,
//! so ten million rows (about 440 Mo) need little memory; cases are sorted in memory by
//! opening date (they are about 5 % of the rows).
//!
//! # Usage
//!
//! ```text
//! cargo run --example generer -- --lignes 1000000 --annees 2004..2013 --sortie /tmp/projet \
//!     [--graine 2013] [--indicateurs 200]
//! cargo run -- build 2013 --projet /tmp/projet
//! ```
//!
//! The same arguments give byte-identical files. As in `generer_echantillon`, randomness
//! comes only from the raw `ChaCha8Rng` stream (`seed_from_u64`, then `next_u64`): ranges
//! and samples are computed in this file, so the output does not depend on the sampling
//! algorithms of a particular `rand` version. The sample files are read at run time: a
//! change to the sample changes the generated projects.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rapport::fr;
use rapport::output::taille;

const GRAINE_PAR_DEFAUT: u64 = 2013;

const USAGE: &str = "\
Usage : cargo run --example generer -- --lignes N --annees DÉBUT..FIN --sortie RÉPERTOIRE
                                       [--graine N] [--indicateurs N]

Écrit dans RÉPERTOIRE un projet complet et synthétique (rapport.toml, textes/,
glossaire.csv de l'échantillon, et donnees/ : activites.csv, suivis.csv,
indicateurs.csv), tiré des distributions de l'échantillon data-samples/, pour
essayer rapport sur de gros exports : rapport build FIN --projet RÉPERTOIRE

Options :
  --lignes N           nombre de lignes de données de activites.csv (au moins 1)
  --annees DÉBUT..FIN  années couvertes, bornes comprises (par exemple 2004..2013,
                       ou 2013 pour une seule année)
  --sortie RÉPERTOIRE  répertoire du projet (créé s'il n'existe pas)
  --graine N           graine du générateur pseudo-aléatoire (défaut : 2013) ;
                       les mêmes arguments produisent des fichiers identiques
                       octet pour octet
  --indicateurs N      ajoute N indicateurs générés à rapport.toml (comptes de
                       lignes, sommes, personnes, thèmes, parts, certains par
                       public), pour essayer un modèle à nombreux indicateurs
  --aide               affiche ce message";

/// Exit codes, as `rapport` itself (BSD's `sysexits.h`).
const EX_USAGE: u8 = 64;
const EX_DATAERR: u8 = 65;
const EX_NOINPUT: u8 = 66;
const EX_CANTCREAT: u8 = 73;

/// Files larger than this are refused by `rapport` (see the README's limits).
const LIMITE_EXPORT: u64 = 2 * 1024 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

struct Options {
    lignes: u64,
    premiere: i32,
    derniere: i32,
    sortie: PathBuf,
    graine: u64,
    indicateurs: usize,
}

/// `2004..2013` (bounds included) or `2013`.
fn lire_annees(valeur: &str) -> Result<(i32, i32), String> {
    let annee = |s: &str| -> Result<i32, String> {
        let s = s.trim();
        match s.parse::<i32>() {
            Ok(a) if s.len() == 4 && (1000..=9998).contains(&a) => Ok(a),
            _ => Err(format!(
                "années invalides « {valeur} » : « {s} » n'est pas une année à quatre chiffres \
                 (attendu : DÉBUT..FIN, par exemple 2004..2013)"
            )),
        }
    };
    let (premiere, derniere) = match valeur.split_once("..") {
        Some((a, b)) => (annee(a)?, annee(b)?),
        None => {
            let a = annee(valeur)?;
            (a, a)
        }
    };
    if premiere > derniere {
        return Err(format!(
            "années invalides « {valeur} » : {premiere} est après {derniere} \
             (attendu : DÉBUT..FIN, par exemple {derniere}..{premiere})"
        ));
    }
    Ok((premiere, derniere))
}

fn lire_entier(nom: &str, valeur: &str, exemple: &str) -> Result<u64, String> {
    valeur.parse::<u64>().map_err(|_| {
        format!("valeur invalide « {valeur} » pour {nom} (entier positif attendu, par exemple {exemple})")
    })
}

/// Parses the arguments by hand. `Ok(None)` means "help was asked for".
fn lire_arguments(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut valeurs: BTreeMap<&'static str, String> = BTreeMap::new();
    while let Some(arg) = args.next() {
        let (nom, valeur_jointe) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let nom: &'static str = match nom.as_str() {
            "-h" | "--help" | "--aide" => return Ok(None),
            "--lignes" => "--lignes",
            "--annees" | "--années" => "--annees",
            "--sortie" => "--sortie",
            "--graine" => "--graine",
            "--indicateurs" => "--indicateurs",
            _ => return Err(format!("argument inconnu « {arg} »")),
        };
        let valeur = match valeur_jointe.or_else(|| args.next()) {
            Some(v) if !v.is_empty() => v,
            _ => return Err(format!("l'option {nom} attend une valeur")),
        };
        if valeurs.insert(nom, valeur).is_some() {
            return Err(format!("l'option {nom} est donnée deux fois"));
        }
    }
    let mut obligatoire = |nom: &str| {
        valeurs
            .remove(nom)
            .ok_or_else(|| format!("l'option {nom} est obligatoire"))
    };
    let lignes = lire_entier("--lignes", &obligatoire("--lignes")?, "1000000")?;
    if lignes == 0 {
        return Err("--lignes 0 : il faut au moins une ligne d'activité".into());
    }
    let (premiere, derniere) = lire_annees(&obligatoire("--annees")?)?;
    let sortie = PathBuf::from(obligatoire("--sortie")?);
    let graine = match valeurs.remove("--graine") {
        Some(v) => lire_entier("--graine", &v, "2013")?,
        None => GRAINE_PAR_DEFAUT,
    };
    let indicateurs = match valeurs.remove("--indicateurs") {
        Some(v) => usize::try_from(lire_entier("--indicateurs", &v, "200")?)
            .map_err(|_| format!("--indicateurs {v} : trop d'indicateurs"))?,
        None => 0,
    };
    Ok(Some(Options {
        lignes,
        premiere,
        derniere,
        sortie,
        graine,
        indicateurs,
    }))
}

/// A failure, with its French message and exit code.
struct Echec {
    code: u8,
    message: String,
}

fn echec(code: u8, message: impl Into<String>) -> Echec {
    Echec {
        code,
        message: message.into(),
    }
}

fn main() -> ExitCode {
    let options = match lire_arguments(std::env::args().skip(1)) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("erreur : {message}\n\n{USAGE}");
            return ExitCode::from(EX_USAGE);
        }
    };
    match generer(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {}", e.message);
            ExitCode::from(e.code)
        }
    }
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// A calendar date stored as a day number (days since 1970-01-01).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
struct Date(i64);

impl Date {
    /// Howard Hinnant's `days_from_civil`.
    fn new(annee: i32, mois: u32, jour: u32) -> Date {
        let y = i64::from(annee) - i64::from(mois <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(mois);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(jour) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    /// Howard Hinnant's `civil_from_days`: (year, month, day).
    fn civil(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let jour = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let mois = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let annee = yoe + era * 400 + i64::from(mois <= 2);
        (annee as i32, mois, jour)
    }

    /// `JJ/MM/AAAA`.
    fn texte(self) -> String {
        let (a, m, j) = self.civil();
        format!("{j:02}/{m:02}/{a:04}")
    }

    /// `JJ/MM/AAAA`, `J/M/AAAA` or `AAAA-MM-JJ`, as the README accepts them.
    fn analyser(s: &str) -> Option<Date> {
        let (a, m, j) = if let Some((a, reste)) = s.split_once('-') {
            let (m, j) = reste.split_once('-')?;
            (a, m, j)
        } else {
            let mut parties = s.split('/');
            let (j, m, a) = (parties.next()?, parties.next()?, parties.next()?);
            if parties.next().is_some() {
                return None;
            }
            (a, m, j)
        };
        let (a, m, j): (i32, u32, u32) = (a.parse().ok()?, m.parse().ok()?, j.parse().ok()?);
        let date = Date::new(a, m, j);
        (date.civil() == (a, m, j)).then_some(date)
    }
}

// ---------------------------------------------------------------------------
// Randomness (only the raw ChaCha8 stream is used)
// ---------------------------------------------------------------------------

struct Alea(ChaCha8Rng);

impl Alea {
    fn new(graine: u64) -> Alea {
        Alea(ChaCha8Rng::seed_from_u64(graine))
    }

    /// Uniform integer in `0..n` (n > 0), by rejection so there is no modulo bias.
    fn indice(&mut self, n: usize) -> usize {
        assert!(n > 0, "indice: intervalle vide");
        let n = n as u64;
        let seuil = n.wrapping_neg() % n; // 2^64 mod n
        loop {
            let x = self.0.next_u64();
            if x >= seuil {
                return (x % n) as usize;
            }
        }
    }

    /// Uniform float in `[0, 1)`.
    fn reel(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn proba(&mut self, p: f64) -> bool {
        self.reel() < p
    }

    fn choisir<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.indice(v.len())]
    }
}

// ---------------------------------------------------------------------------
// The sample, read at run time
// ---------------------------------------------------------------------------

/// A CSV file of the sample: header and rows, split on `;` (the sample is never quoted).
struct Csv {
    chemin: PathBuf,
    entetes: Vec<String>,
    lignes: Vec<Vec<String>>,
}

impl Csv {
    fn lire(chemin: PathBuf) -> Result<Csv, Echec> {
        let texte = fs::read_to_string(&chemin).map_err(|e| {
            echec(
                EX_NOINPUT,
                format!(
                    "impossible de lire l'échantillon {} : {e}",
                    chemin.display()
                ),
            )
        })?;
        let texte = texte.strip_prefix('\u{FEFF}').unwrap_or(&texte);
        if texte.contains('"') {
            return Err(echec(
                EX_DATAERR,
                format!(
                    "{} contient des guillemets : ce générateur ne lit que des lignes simples, \
                     séparées par « ; » et sans guillemets, comme celles de generer_echantillon",
                    chemin.display()
                ),
            ));
        }
        let mut lignes = texte
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, entete)) = lignes.next() else {
            return Err(echec(EX_DATAERR, format!("{} est vide", chemin.display())));
        };
        let entetes: Vec<String> = entete.split(';').map(|c| c.trim().to_string()).collect();
        let mut rangees = Vec::new();
        for (numero, ligne) in lignes {
            let cellules: Vec<String> = ligne.split(';').map(str::to_string).collect();
            if cellules.len() != entetes.len() {
                return Err(echec(
                    EX_DATAERR,
                    format!(
                        "{}, ligne {numero} : {} colonnes au lieu des {} de l'en-tête",
                        chemin.display(),
                        cellules.len(),
                        entetes.len()
                    ),
                ));
            }
            rangees.push(cellules);
        }
        if rangees.is_empty() {
            return Err(echec(
                EX_DATAERR,
                format!("{} n'a aucune ligne de données", chemin.display()),
            ));
        }
        Ok(Csv {
            chemin,
            entetes,
            lignes: rangees,
        })
    }

    fn colonne(&self, nom: &str) -> Option<usize> {
        self.entetes.iter().position(|e| e == nom)
    }

    fn colonne_requise(&self, nom: &str) -> Result<usize, Echec> {
        self.colonne(nom).ok_or_else(|| {
            echec(
                EX_DATAERR,
                format!("{} n'a pas de colonne « {nom} »", self.chemin.display()),
            )
        })
    }

    fn date(&self, numero: usize, colonne: usize) -> Result<Option<Date>, Echec> {
        let cellule = self.lignes[numero][colonne].trim();
        if cellule.is_empty() {
            return Ok(None);
        }
        Date::analyser(cellule).map(Some).ok_or_else(|| {
            echec(
                EX_DATAERR,
                format!(
                    "{}, ligne {} : date illisible « {cellule} » dans la colonne « {} »",
                    self.chemin.display(),
                    numero + 2,
                    self.entetes[colonne]
                ),
            )
        })
    }
}

/// What a template writes: its own text, or a value drawn for the generated row.
#[derive(Clone)]
enum Morceau {
    Texte(String),
    Date,
    Personne,
    /// The origin of the row's person (column `origine`), fixed per person.
    Origine,
    Ouverture,
    Cloture,
}

/// The values of the sample's column `origine` on rows with a person, and
/// how many such rows each has: the weights a person's origin is drawn with.
fn origines_de(csv: &Csv, io: usize, ip: usize) -> Vec<(String, u64)> {
    let mut n: BTreeMap<String, u64> = BTreeMap::new();
    for ligne in &csv.lignes {
        if !ligne[ip].trim().is_empty() && !ligne[io].trim().is_empty() {
            *n.entry(ligne[io].clone()).or_default() += 1;
        }
    }
    n.into_iter().collect()
}

/// The origin of person `numero`: a weighted draw from a hash of the seed and
/// the number (no draw from the main stream, so the other cells do not change).
fn origine_de(origines: &[(String, u64)], graine: u64, numero: u32) -> &str {
    let total: u64 = origines.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return "";
    }
    // splitmix64
    let mut z = graine ^ (u64::from(numero) << 1) ^ 0x9e37_79b9_7f4a_7c15;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let mut x = (z ^ (z >> 31)) % total;
    for (o, n) in origines {
        if x < *n {
            return o;
        }
        x -= n;
    }
    ""
}

/// A sample row turned into a template: the cells to copy, with holes for the drawn values.
struct Modele {
    morceaux: Vec<Morceau>,
    /// The public's pool, for a row with a `personne` code.
    vivier: Option<usize>,
    /// The cells, by column name, to build generated indicators from.
    cellules: BTreeMap<String, String>,
}

impl Modele {
    /// `trous` gives, for some columns, the value drawn instead of the cell.
    fn new(entetes: &[String], cellules: &[String], trous: &[(usize, Morceau)]) -> Modele {
        let mut morceaux: Vec<Morceau> = Vec::new();
        let mut texte = String::new();
        for (i, cellule) in cellules.iter().enumerate() {
            if i > 0 {
                texte.push(';');
            }
            match trous.iter().find(|(c, _)| *c == i) {
                Some((_, trou)) => {
                    morceaux.push(Morceau::Texte(std::mem::take(&mut texte)));
                    morceaux.push(trou.clone());
                }
                None => texte.push_str(cellule),
            }
        }
        texte.push('\n');
        morceaux.push(Morceau::Texte(texte));
        morceaux.retain(|m| !matches!(m, Morceau::Texte(t) if t.is_empty()));
        Modele {
            morceaux,
            vivier: None,
            cellules: entetes
                .iter()
                .cloned()
                .zip(cellules.iter().cloned())
                .collect(),
        }
    }
}

/// The persons of one public: their code numbers.
struct Vivier {
    public: String,
    membres: Vec<u32>,
}

/// Persons' pools, one per public, sized on the sample's distinct codes per row.
struct Population {
    viviers: Vec<Vivier>,
    /// Digits of a code number (at least 6).
    largeur: usize,
}

impl Population {
    /// `codes` gives, for each public, the distinct codes of the sample; `echelle`, the
    /// number of generated rows per sample row.
    fn new(alea: &mut Alea, codes: &BTreeMap<String, HashSet<String>>, echelle: f64) -> Population {
        let tailles: Vec<(String, usize)> = codes
            .iter()
            .map(|(public, c)| {
                let n = (c.len() as f64 * echelle).round().max(1.0);
                (public.clone(), n.min(90_000_000.0) as usize)
            })
            .collect();
        let total: usize = tailles.iter().map(|(_, n)| n).sum();
        // Code numbers 1..=total, shuffled so that a number says nothing of the public.
        let mut numeros: Vec<u32> = (1..=total as u32).collect();
        for i in (1..numeros.len()).rev() {
            let j = alea.indice(i + 1);
            numeros.swap(i, j);
        }
        let mut reste = numeros.into_iter();
        let viviers = tailles
            .into_iter()
            .map(|(public, n)| Vivier {
                public,
                membres: reste.by_ref().take(n).collect(),
            })
            .collect();
        Population {
            viviers,
            largeur: total.to_string().len().max(6),
        }
    }

    fn vivier(&self, public: &str) -> Option<usize> {
        self.viviers.iter().position(|v| v.public == public)
    }

    /// A person of pool `v`, if possible one not in `deja` (drawn again a few times).
    fn tirer(&self, alea: &mut Alea, v: usize, deja: &HashSet<u32>) -> u32 {
        let membres = &self.viviers[v].membres;
        let mut p = *alea.choisir(membres);
        for _ in 0..32 {
            if !deja.contains(&p) {
                break;
            }
            p = *alea.choisir(membres);
        }
        p
    }

    /// `TLS-000123`.
    fn code(&self, numero: u32, sortie: &mut impl Write) -> std::io::Result<()> {
        write!(sortie, "TLS-{numero:0width$}", width = self.largeur)
    }
}

/// The public of a row, normalised as the sample writes it (lower case, trimmed).
fn public_de(csv: &Csv, ligne: &[String]) -> String {
    csv.colonne("public")
        .map_or(String::new(), |i| ligne[i].trim().to_lowercase())
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

/// Sizes and counts of what was written, for the summary.
struct Bilan {
    octets_activites: u64,
    octets_suivis: u64,
    suivis: usize,
    lignes_indicateurs: usize,
    textes: usize,
}

fn generer(o: &Options) -> Result<(), Echec> {
    let debut = Instant::now();
    let echantillon = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    let donnees = echantillon.join("donnees");
    verifier_sortie(&o.sortie, &echantillon)?;

    let activites = Csv::lire(donnees.join("activites.csv"))?;
    let suivis = Csv::lire(donnees.join("suivis.csv"))?;
    let indicateurs = Csv::lire(donnees.join("indicateurs.csv"))?;
    let modele = fs::read_to_string(echantillon.join("rapport.toml")).map_err(|e| {
        echec(
            EX_NOINPUT,
            format!(
                "impossible de lire {} : {e}",
                echantillon.join("rapport.toml").display()
            ),
        )
    })?;

    let mut alea = Alea::new(o.graine);
    let alea = &mut alea;

    // Distinct codes per public, over both files (a person keeps one public everywhere).
    let mut codes: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for csv in [&activites, &suivis] {
        let ip = csv.colonne_requise("personne")?;
        for ligne in &csv.lignes {
            if !ligne[ip].trim().is_empty() {
                codes
                    .entry(public_de(csv, ligne))
                    .or_default()
                    .insert(ligne[ip].trim().to_string());
            }
        }
    }
    let echelle = o.lignes as f64 / activites.lignes.len() as f64;
    let population = Population::new(alea, &codes, echelle);

    let dossier_donnees = o.sortie.join("donnees");
    creer_dossier(&dossier_donnees)?;
    let (octets_activites, utilises) = ecrire_activites(
        alea,
        o,
        &activites,
        &population,
        &dossier_donnees.join("activites.csv"),
    )?;
    let (octets_suivis, n_suivis) = ecrire_suivis(
        alea,
        o,
        &suivis,
        activites.lignes.len(),
        &population,
        &dossier_donnees.join("suivis.csv"),
    )?;
    let lignes_indicateurs = ecrire_indicateurs(
        alea,
        o,
        &indicateurs,
        &dossier_donnees.join("indicateurs.csv"),
    )?;

    let mut toml = adapter_modele(&modele, o.premiere, o.derniere);
    if o.indicateurs > 0 {
        let modeles: Vec<&Modele> = utilises.iter().collect();
        let ventilation = modele.contains("[ventilations.public]");
        toml.push_str(&indicateurs_generes(alea, o, &modeles, ventilation));
    }
    ecrire(&o.sortie.join("rapport.toml"), toml.as_bytes())?;
    copier(
        &echantillon.join("glossaire.csv"),
        &o.sortie.join("glossaire.csv"),
    )?;
    let textes = copier_dossier(&echantillon.join("textes"), &o.sortie.join("textes"))?;
    // The logo, the cover and the texts' photos the model and texts name.
    for dossier in ["images", "photos"] {
        if echantillon.join(dossier).is_dir() {
            copier_dossier(&echantillon.join(dossier), &o.sortie.join(dossier))?;
        }
    }

    let bilan = Bilan {
        octets_activites,
        octets_suivis,
        suivis: n_suivis,
        lignes_indicateurs,
        textes,
    };
    resumer(o, &bilan, debut.elapsed().as_secs_f64());
    Ok(())
}

/// Refuses to write into the sample itself, or beside other exports that `rapport` would
/// read with the generated ones (`donnees/activites-2012.csv`…), before writing anything.
fn verifier_sortie(sortie: &Path, echantillon: &Path) -> Result<(), Echec> {
    if let (Ok(a), Ok(b)) = (fs::canonicalize(sortie), fs::canonicalize(echantillon))
        && a == b
    {
        return Err(echec(
            EX_CANTCREAT,
            format!(
                "{} est le projet d'exemple lui-même : choisissez un autre répertoire de sortie",
                sortie.display()
            ),
        ));
    }
    let donnees = sortie.join("donnees");
    if let Ok(entrees) = fs::read_dir(&donnees) {
        let mut autres: Vec<String> = entrees
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !["activites.csv", "suivis.csv", "indicateurs.csv"].contains(&n.as_str()))
            .collect();
        if !autres.is_empty() {
            autres.sort();
            return Err(echec(
                EX_CANTCREAT,
                format!(
                    "{} contient déjà d'autres fichiers ({}), que rapport lirait avec les exports \
                     générés : choisissez un répertoire de sortie vide ou retirez-les",
                    donnees.display(),
                    autres.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn creer_dossier(chemin: &Path) -> Result<(), Echec> {
    fs::create_dir_all(chemin).map_err(|e| {
        echec(
            EX_CANTCREAT,
            format!(
                "impossible de créer le répertoire {} : {e}",
                chemin.display()
            ),
        )
    })
}

fn creer(chemin: &Path) -> Result<BufWriter<File>, Echec> {
    File::create(chemin)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| erreur_ecriture(chemin, e))
}

fn erreur_ecriture(chemin: &Path, e: std::io::Error) -> Echec {
    echec(
        EX_CANTCREAT,
        format!("impossible d'écrire {} : {e}", chemin.display()),
    )
}

fn ecrire(chemin: &Path, contenu: &[u8]) -> Result<(), Echec> {
    fs::write(chemin, contenu).map_err(|e| erreur_ecriture(chemin, e))
}

fn copier(de: &Path, vers: &Path) -> Result<(), Echec> {
    let contenu = fs::read(de).map_err(|e| {
        echec(
            EX_NOINPUT,
            format!("impossible de lire {} : {e}", de.display()),
        )
    })?;
    ecrire(vers, &contenu)
}

/// Copies the files of a folder (and its subfolders); returns how many.
fn copier_dossier(de: &Path, vers: &Path) -> Result<usize, Echec> {
    creer_dossier(vers)?;
    let mut entrees: Vec<_> = fs::read_dir(de)
        .map_err(|e| {
            echec(
                EX_NOINPUT,
                format!("impossible de lire {} : {e}", de.display()),
            )
        })?
        .filter_map(Result::ok)
        .collect();
    entrees.sort_by_key(|e| e.file_name());
    let mut n = 0;
    for entree in entrees {
        let cible = vers.join(entree.file_name());
        if entree.path().is_dir() {
            n += copier_dossier(&entree.path(), &cible)?;
        } else {
            copier(&entree.path(), &cible)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Writes `activites.csv` day by day; returns its size and the templates it used.
fn ecrire_activites(
    alea: &mut Alea,
    o: &Options,
    csv: &Csv,
    population: &Population,
    chemin: &Path,
) -> Result<(u64, Vec<Modele>), Echec> {
    let id = csv.colonne_requise("date")?;
    let ip = csv.colonne_requise("personne")?;
    let io = csv.colonne("origine");
    let origines = io.map(|io| origines_de(csv, io, ip)).unwrap_or_default();
    let mut trous = vec![(id, Morceau::Date), (ip, Morceau::Personne)];
    trous.extend(io.map(|io| (io, Morceau::Origine)));
    let modeles: Vec<Modele> = csv
        .lignes
        .iter()
        .map(|ligne| {
            let mut m = Modele::new(&csv.entetes, ligne, &trous);
            if !ligne[ip].trim().is_empty() {
                m.vivier = population.vivier(&public_de(csv, ligne));
            }
            m
        })
        .collect();

    // Rows per day: each row's day drawn uniformly among the days of the chosen years.
    let premier = Date::new(o.premiere, 1, 1);
    let jours = (Date::new(o.derniere, 12, 31).0 - premier.0 + 1) as usize;
    let mut par_jour = vec![0u32; jours];
    for _ in 0..o.lignes {
        par_jour[alea.indice(jours)] += 1;
    }

    let mut utilise = vec![false; modeles.len()];
    let mut sortie = creer(chemin)?;
    let io = |e: std::io::Error| erreur_ecriture(chemin, e);
    writeln!(sortie, "{}", csv.entetes.join(";")).map_err(io)?;
    // Persons already seen today: nobody gets two rows on one day.
    let mut vus: HashSet<u32> = HashSet::new();
    for (jour, &n) in par_jour.iter().enumerate() {
        let date = Date(premier.0 + jour as i64).texte();
        vus.clear();
        for _ in 0..n {
            let i = alea.indice(modeles.len());
            utilise[i] = true;
            let modele = &modeles[i];
            let personne = modele.vivier.map(|v| {
                let p = population.tirer(alea, v, &vus);
                vus.insert(p);
                p
            });
            for morceau in &modele.morceaux {
                match morceau {
                    Morceau::Texte(t) => sortie.write_all(t.as_bytes()),
                    Morceau::Date => sortie.write_all(date.as_bytes()),
                    Morceau::Personne => match personne {
                        Some(p) => population.code(p, &mut sortie),
                        None => Ok(()),
                    },
                    Morceau::Origine => match personne {
                        Some(p) => sortie.write_all(origine_de(&origines, o.graine, p).as_bytes()),
                        None => Ok(()),
                    },
                    Morceau::Ouverture | Morceau::Cloture => unreachable!(),
                }
                .map_err(io)?;
            }
        }
    }
    sortie.flush().map_err(io)?;
    let octets = sortie.get_ref().metadata().map_err(io)?.len();
    let utilises = modeles
        .into_iter()
        .zip(utilise)
        .filter_map(|(m, u)| u.then_some(m))
        .collect();
    Ok((octets, utilises))
}

/// Writes `suivis.csv`, sorted by opening date; returns its size and its number of cases.
fn ecrire_suivis(
    alea: &mut Alea,
    o: &Options,
    csv: &Csv,
    lignes_echantillon: usize,
    population: &Population,
    chemin: &Path,
) -> Result<(u64, usize), Echec> {
    let ip = csv.colonne_requise("personne")?;
    let iouv = csv.colonne_requise("ouverture")?;
    let iclo = csv.colonne_requise("cloture")?;

    // Durations of the sample's closed cases, and the share of its cases, among those
    // opened before its last year, still open at its end.
    let mut durees = Vec::new();
    let (mut anciens, mut anciens_ouverts) = (0usize, 0usize);
    let mut ouvertures = Vec::new();
    for numero in 0..csv.lignes.len() {
        let ouverture = csv.date(numero, iouv)?.ok_or_else(|| {
            echec(
                EX_DATAERR,
                format!(
                    "{}, ligne {} : ouverture vide",
                    csv.chemin.display(),
                    numero + 2
                ),
            )
        })?;
        let cloture = csv.date(numero, iclo)?;
        if let Some(c) = cloture {
            durees.push((c.0 - ouverture.0).max(1));
        }
        ouvertures.push((ouverture, cloture.is_none()));
    }
    let derniere_annee = ouvertures
        .iter()
        .map(|(d, _)| d.civil().0)
        .max()
        .unwrap_or(0);
    for (ouverture, ouvert) in &ouvertures {
        if ouverture.civil().0 < derniere_annee {
            anciens += 1;
            anciens_ouverts += usize::from(*ouvert);
        }
    }
    let p_ouvert = if anciens == 0 {
        0.0
    } else {
        anciens_ouverts as f64 / anciens as f64
    };
    if durees.is_empty() {
        durees.push(365);
    }

    let modeles: Vec<Modele> = csv
        .lignes
        .iter()
        .map(|ligne| {
            let mut m = Modele::new(
                &csv.entetes,
                ligne,
                &[
                    (ip, Morceau::Personne),
                    (iouv, Morceau::Ouverture),
                    (iclo, Morceau::Cloture),
                ],
            );
            m.vivier = population.vivier(&public_de(csv, ligne));
            m
        })
        .collect();

    let n = ((o.lignes as f64 * csv.lignes.len() as f64 / lignes_echantillon as f64).round()
        as usize)
        .max(1);
    let premier = Date::new(o.premiere, 1, 1);
    let dernier = Date::new(o.derniere, 12, 31);
    let jours = (dernier.0 - premier.0 + 1) as usize;
    // One case per person and opening day: no two identical rows.
    let mut pris: HashSet<(u32, Date)> = HashSet::new();
    let mut lignes: Vec<(Date, String)> = Vec::with_capacity(n);
    let aucun = HashSet::new();
    for _ in 0..n {
        let modele = alea.choisir(&modeles);
        let mut ouverture = Date(premier.0 + alea.indice(jours) as i64);
        let personne = modele.vivier.map(|v| {
            let mut p = population.tirer(alea, v, &aucun);
            for _ in 0..32 {
                if pris.insert((p, ouverture)) {
                    break;
                }
                p = population.tirer(alea, v, &aucun);
                ouverture = Date(premier.0 + alea.indice(jours) as i64);
            }
            p
        });
        let cloture = if alea.proba(p_ouvert) {
            None
        } else {
            let c = Date(ouverture.0 + *alea.choisir(&durees));
            (c <= dernier).then_some(c)
        };
        let mut ligne = Vec::new();
        for morceau in &modele.morceaux {
            match morceau {
                Morceau::Texte(t) => ligne.extend_from_slice(t.as_bytes()),
                Morceau::Personne => {
                    if let Some(p) = personne {
                        population.code(p, &mut ligne).expect("écriture en mémoire");
                    }
                }
                Morceau::Ouverture => ligne.extend_from_slice(ouverture.texte().as_bytes()),
                Morceau::Cloture => {
                    if let Some(c) = cloture {
                        ligne.extend_from_slice(c.texte().as_bytes());
                    }
                }
                Morceau::Date | Morceau::Origine => unreachable!(),
            }
        }
        lignes.push((ouverture, String::from_utf8(ligne).expect("UTF-8")));
    }
    lignes.sort();

    let mut sortie = creer(chemin)?;
    let io = |e: std::io::Error| erreur_ecriture(chemin, e);
    writeln!(sortie, "{}", csv.entetes.join(";")).map_err(io)?;
    for (_, ligne) in &lignes {
        sortie.write_all(ligne.as_bytes()).map_err(io)?;
    }
    sortie.flush().map_err(io)?;
    let octets = sortie.get_ref().metadata().map_err(io)?.len();
    Ok((octets, lignes.len()))
}

/// Writes `indicateurs.csv`: each of the sample's indicators, every chosen year.
fn ecrire_indicateurs(
    alea: &mut Alea,
    o: &Options,
    csv: &Csv,
    chemin: &Path,
) -> Result<usize, Echec> {
    let ia = csv.colonne_requise("annee")?;
    let ii = csv.colonne_requise("indicateur")?;
    let iv = csv.colonne_requise("valeur")?;
    // Each indicator's values by year, in the order the sample first names them.
    let mut series: Vec<(String, BTreeMap<i32, f64>)> = Vec::new();
    let mut decimales = 0;
    for (numero, ligne) in csv.lignes.iter().enumerate() {
        let illisible = |colonne: usize| {
            echec(
                EX_DATAERR,
                format!(
                    "{}, ligne {} : « {} » illisible dans la colonne « {} »",
                    csv.chemin.display(),
                    numero + 2,
                    ligne[colonne],
                    csv.entetes[colonne]
                ),
            )
        };
        let annee: i32 = ligne[ia].trim().parse().map_err(|_| illisible(ia))?;
        let texte = ligne[iv].trim().replace([' ', '\u{A0}', '\u{202F}'], "");
        let valeur: f64 = texte.replace(',', ".").parse().map_err(|_| illisible(iv))?;
        if texte.contains([',', '.']) {
            decimales = 2;
        }
        let nom = ligne[ii].trim();
        match series.iter_mut().find(|(n, _)| n == nom) {
            Some((_, s)) => {
                s.insert(annee, valeur);
            }
            None => series.push((nom.to_string(), BTreeMap::from([(annee, valeur)]))),
        }
    }

    let mut texte = format!("{}\n", csv.entetes.join(";"));
    let mut n = 0;
    for annee in o.premiere..=o.derniere {
        for (nom, serie) in &series {
            let valeur = valeur_plausible(alea, serie, annee, decimales);
            let mut cellules = vec![String::new(); csv.entetes.len()];
            cellules[ia] = annee.to_string();
            cellules[ii] = nom.clone();
            cellules[iv] = fr::decimal(valeur, decimales);
            texte.push_str(&cellules.join(";"));
            texte.push('\n');
            n += 1;
        }
    }
    ecrire(chemin, texte.as_bytes())?;
    Ok(n)
}

/// The sample's value for a year it covers; else the nearest one, followed at the
/// sample's mean yearly growth (kept within −10 %…+15 %), give or take 5 %.
fn valeur_plausible(
    alea: &mut Alea,
    serie: &BTreeMap<i32, f64>,
    annee: i32,
    decimales: usize,
) -> f64 {
    // A draw for every value, used or not, so each year's value depends only on the seed.
    let bruit = 0.95 + 0.1 * alea.reel();
    if let Some(v) = serie.get(&annee) {
        return *v;
    }
    let (&a0, &v0) = serie.first_key_value().expect("série non vide");
    let (&a1, &v1) = serie.last_key_value().expect("série non vide");
    let croissance = if a1 > a0 && v0 > 0.0 && v1 > 0.0 {
        (v1 / v0).powf(1.0 / f64::from(a1 - a0)).clamp(0.9, 1.15)
    } else {
        1.0
    };
    let (depart, valeur) = if annee < a0 { (a0, v0) } else { (a1, v1) };
    let v = valeur * croissance.powi(annee - depart) * bruit;
    let echelle = 10f64.powi(decimales as i32);
    ((v * echelle).round() / echelle).max(1.0)
}

/// The sample's model, with the document's date in the year after the last generated
/// one and the association founded no later than the first: otherwise `rapport check`
/// would warn about every generated date outside the years the project covers.
fn adapter_modele(modele: &str, premiere: i32, derniere: i32) -> String {
    let mut table = String::new();
    let mut sortie = String::with_capacity(modele.len());
    for ligne in modele.split_inclusive('\n') {
        let t = ligne.trim_start();
        if t.starts_with('[') {
            table = t
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[')
                .trim()
                .to_string();
        }
        let cle = t.split('=').next().unwrap_or("").trim();
        let nouvelle = match (table.as_str(), cle) {
            ("rapport", "date") => remplacer_valeur(ligne, |v| {
                // `2014-04-15`: the year changes, the day stays.
                let (annee, reste) = v.split_once('-')?;
                annee.parse::<i32>().ok()?;
                Some(format!("{:04}-{reste}", derniere + 1))
            }),
            ("association", "creation") => remplacer_valeur(ligne, |v| {
                let creation: i32 = v.parse().ok()?;
                Some(creation.min(premiere).to_string())
            }),
            _ => None,
        };
        sortie.push_str(nouvelle.as_deref().unwrap_or(ligne));
    }
    sortie
}

/// `cle = valeur  # commentaire` with `valeur` replaced, the rest of the line kept.
fn remplacer_valeur(ligne: &str, f: impl Fn(&str) -> Option<String>) -> Option<String> {
    let egal = ligne.find('=')?;
    let apres = &ligne[egal + 1..];
    let debut = egal + 1 + (apres.len() - apres.trim_start().len());
    let fin = debut
        + ligne[debut..]
            .find(|c: char| c.is_whitespace() || c == '#')
            .unwrap_or(ligne.len() - debut);
    let nouvelle = f(&ligne[debut..fin])?;
    Some(format!("{}{nouvelle}{}", &ligne[..debut], &ligne[fin..]))
}

/// TOML basic string.
fn chaine(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `n` indicators built from rows actually generated (so none keeps no row): counts,
/// sums, persons, rows about a theme, shares of a theme, filtered on the action and
/// programme of a generated row, and sometimes its public or category, or broken down by
/// public (`ventilation = "public"`, when the model declares it).
fn indicateurs_generes(
    alea: &mut Alea,
    o: &Options,
    modeles: &[&Modele],
    ventilation: bool,
) -> String {
    let largeur = o.indicateurs.to_string().len().max(3);
    let mut texte = format!(
        "\n# ---------------------------------------------------------------- indicateurs générés\n\
         # {} indicateurs ajoutés par examples/generer.rs (graine {}), pour essayer un modèle\n\
         # à nombreux indicateurs ; aucun tableau ne les montre.\n",
        o.indicateurs, o.graine
    );
    let mut deja: HashSet<String> = HashSet::new();
    for k in 1..=o.indicateurs {
        let mut definition = String::new();
        let mut libelle = String::new();
        // A few draws to avoid repeating a definition; a repeat is harmless.
        for _ in 0..50 {
            let modele = *alea.choisir(modeles);
            (libelle, definition) = definir(alea, modele, ventilation);
            if deja.insert(definition.clone()) {
                break;
            }
        }
        let _ = write!(
            texte,
            "\n[indicateurs.genere_{k:0largeur$}]\nlibelle = {}\n{definition}",
            chaine(&format!("Indicateur généré n° {k} : {libelle}"))
        );
    }
    texte
}

/// One generated indicator from a row template: its label and its TOML body.
fn definir(alea: &mut Alea, modele: &Modele, ventilation: bool) -> (String, String) {
    let cellule = |nom: &str| {
        modele
            .cellules
            .get(nom)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut filtres: Vec<(String, String)> = Vec::new();
    let mut mots: Vec<String> = Vec::new();
    for nom in ["action", "programme"] {
        if let Some(v) = cellule(nom) {
            filtres.push((nom.to_string(), chaine(&v)));
            mots.push(v);
        }
    }
    let public = cellule("public");
    let themes: Vec<String> = cellule("themes")
        .map(|t| t.split('|').map(str::to_string).collect())
        .unwrap_or_default();
    let personnes = modele.vivier.is_some();

    let mut sorte = alea.indice(5);
    if (sorte == 2 && !personnes) || (sorte >= 3 && themes.is_empty()) {
        sorte = alea.indice(2);
    }
    let mut condition = None;
    let (mesure, quoi) = match sorte {
        0 => ("lignes", "lignes".to_string()),
        1 => ("somme", "somme des quantités".to_string()),
        2 => ("personnes", "personnes".to_string()),
        3 => {
            let theme = alea.choisir(&themes).clone();
            filtres.push((
                "themes".into(),
                format!("{{ contient = {} }}", chaine(&theme)),
            ));
            ("lignes", format!("lignes sur le thème {theme}"))
        }
        _ => {
            let theme = alea.choisir(&themes).clone();
            condition = Some(format!(
                "{{ themes = {{ contient = {} }} }}",
                chaine(&theme)
            ));
            ("part", format!("part sur le thème {theme}"))
        }
    };
    if let Some(c) = cellule("categorie")
        && alea.proba(0.5)
    {
        filtres.push(("categorie".into(), chaine(&c)));
        mots.push(c);
    }
    // Filtered on the public, or broken down by it, or neither.
    let mut par_public = false;
    if let Some(p) = public {
        match alea.indice(3) {
            0 => {
                filtres.push(("public".into(), chaine(&p)));
                mots.push(p);
            }
            1 if ventilation => par_public = true,
            _ => {}
        }
    }
    let filtres: Vec<String> = filtres.iter().map(|(c, v)| format!("{c} = {v}")).collect();
    let mut corps = String::new();
    let _ = writeln!(corps, "source = \"activites\"");
    let _ = writeln!(corps, "filtres = {{ {} }}", filtres.join(", "));
    let _ = writeln!(corps, "mesure = \"{mesure}\"");
    if let Some(c) = condition {
        let _ = writeln!(corps, "condition = {c}");
    }
    if par_public {
        let _ = writeln!(corps, "ventilation = \"public\"");
        mots.push("par public".into());
    }
    if mesure == "personnes" {
        let _ = writeln!(corps, "confidentiel = true");
    }
    (format!("{quoi} ({})", mots.join(", ")), corps)
}

/// One line on stderr: rows, files, sizes, time.
fn resumer(o: &Options, b: &Bilan, secondes: f64) {
    // `1 ligne`, `0 ligne`, `2 lignes`: singular up to 1 in French.
    let n = |x: usize, nom: &str| {
        let s = if x > 1 { "s" } else { "" };
        format!("{} {nom}{s}", fr::nombre(x as f64, 0))
    };
    let annees = if o.premiere == o.derniere {
        format!("{}", o.premiere)
    } else {
        format!("{}–{}", o.premiere, o.derniere)
    };
    let mut ajouts = String::new();
    if o.indicateurs > 0 {
        let _ = write!(
            ajouts,
            " avec {}",
            n(o.indicateurs, "indicateur") + " généré"
        );
        if o.indicateurs > 1 {
            ajouts.push('s');
        }
    }
    eprintln!(
        "{} pour {annees} dans {} en {} s (graine {}) : \
         donnees/activites.csv ({}), donnees/suivis.csv ({}, {}), \
         donnees/indicateurs.csv ({}), rapport.toml{ajouts}, glossaire.csv, textes/ ({})",
        n(o.lignes as usize, "ligne") + " d'activité générée" + if o.lignes > 1 { "s" } else { "" },
        o.sortie.display(),
        fr::nombre(secondes, 1),
        o.graine,
        taille(b.octets_activites as usize),
        n(b.suivis, "suivi"),
        taille(b.octets_suivis as usize),
        n(b.lignes_indicateurs, "ligne"),
        n(b.textes, "fichier"),
    );
    if b.octets_activites > LIMITE_EXPORT {
        eprintln!(
            "attention : donnees/activites.csv dépasse 2 Gio, la limite d'un export : \
             rapport le refusera ; découpez-le par année (activites-2012.csv…) ou générez moins de lignes"
        );
    }
}
