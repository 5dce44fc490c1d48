//! Deterministic generator of the synthetic sample exports in `data-samples/donnees/`.
//!
//! The association behind `rapport` cannot publish its real exports, so this example
//! writes three *entirely synthetic, pseudonymous* CSV exports covering 2011–2013 for a
//! Toulouse association working with sex workers: street outreach (`rue`), internet
//! outreach (`net`), foreigners' rights (`droits`), health (`sante`), housing
//! (`logement`), emergency aid (`avq`) and a weekly shared meal (`local`). Person codes
//! such as `TLS-0412` are drawn at random and refer to nobody.
//!
//! * `activites.csv`: `date;action;programme;public;personne;themes;quantite;categorie;montant`,
//!   one row per action (a few thousand rows), and a last column `origine` (omitted with
//!   `--sans-origine`),
//!   the broad region a person comes from ([`ORIGINES`]), fixed per person and drawn from a
//!   stream of its own (seeded from the seed), so that it changes no other cell and not the
//!   order of the rows; empty on a row without a person;
//! * `suivis.csv`: `personne;public;programme;type;ouverture;cloture`, one row per follow-up case;
//! * `indicateurs.csv`: `annee;indicateur;valeur`, figures that do not come from rows.
//!
//! Format: UTF-8 without BOM, `;` separator, header line first, `\n` line endings, no
//! quoting, dates `JJ/MM/AAAA`, amounts in euros with a decimal comma (`45,00`), an empty
//! `quantite` meaning 1, `themes` separated by `|`. Rows are sorted by date (activities) or
//! opening date (cases), then by the text of the row.
//!
//! # Golden figures
//!
//! Whatever the seed, the files reproduce exactly the figures below. A row's year is the
//! year of its date; a case is *open during year Y* when `ouverture <= 31/12/Y` and
//! (`cloture` is empty or `cloture >= 01/01/Y`).
//!
//! Internet outreach (`programme = net`), 2013:
//! * `tournee`: 34 rows;
//! * `contact`: sum of `quantite` = 716 femme, 128 trans, 823 homme (1 667 in all);
//! * `entretien`: 32 femme+trans rows (21 femme, 11 trans) and 126 homme rows; rows whose
//!   `themes` contain `vih_ist_drogues` / `sante` / `violence` / `droits_sociaux`:
//!   10 / 20 / 21 / 15 among femme+trans, 121 / 4 / 12 / 20 among homme;
//! * `kit`: sum of `quantite` = 16 femme+trans, 19 homme;
//! * `suivis.csv`: 12 distinct persons with a `net` case open during 2013, from 13 case rows
//!   (one person has two cases; a case closed on 01/01/2013 counts, one closed on
//!   31/12/2012 does not, one opened on 31/12/2013 counts).
//!
//! Foreigners' rights (`programme = droits`), 2011 / 2012 / 2013:
//! * `entretien`: 87 / 119 / 223 rows;
//! * case rows of type `regularisation_travail`, `vie_privee_familiale` or `l316_1` open
//!   during the year: 31 / 38 / 36 (edge cases: one closed on 01/01/2012, one opened on
//!   31/12/2012);
//! * case rows of type `asile` or `recours` opened in the year: 4 / 5 / 11.
//!
//! `indicateurs.csv`: `visites_site` 6512 / 8225 / 16119, `rencontres_reelles_net`
//! 6 / 8 / 11, `associations_reseau` 4 / 5 / 6.
//!
//! Everything else (street outreach, health, housing, emergency aid, shared meals,
//! internet outreach in 2011–2012) is plausible, grows smoothly from 2011 to 2013, and is
//! not golden. The meal has exactly one row per Thursday.
//!
//! Before writing anything, the program re-reads the CSV text it produced, recomputes every
//! golden figure from the rows (independently of how they were built), checks the format
//! contract, and panics if anything differs.
//!
//! # Usage
//!
//! ```text
//! cargo run --example generer_echantillon -- --sortie data-samples/donnees [--graine 2013] [--sans-origine]
//! ```
//!
//! The same seed (default 2013, used for the committed files) gives byte-identical files.
//! Randomness comes only from the raw `ChaCha8Rng` stream (`seed_from_u64`, then
//! `next_u64`): ranges, shuffles and samples are computed in this file, so the output does
//! not depend on the sampling algorithms of a particular `rand` version.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

const GRAINE_PAR_DEFAUT: u64 = 2013;

const USAGE: &str = "\
Usage : cargo run --example generer_echantillon -- --sortie RÉPERTOIRE [--graine N] [--sans-origine]

Écrit dans RÉPERTOIRE trois exports CSV synthétiques et pseudonymes (activites.csv,
suivis.csv, indicateurs.csv) pour les années 2011 à 2013.

Options :
  --sortie RÉPERTOIRE  répertoire où écrire les fichiers (créé s'il n'existe pas)
  --graine N           graine du générateur pseudo-aléatoire (défaut : 2013) ;
                       la même graine produit des fichiers identiques octet pour octet
  --sans-origine       n'écrit pas la colonne origine des activités (grande région
                       d'origine de la personne) : les autres cellules sont les mêmes
  --aide               affiche ce message";

const ENTETE_ACTIVITES: &str =
    "date;action;programme;public;personne;themes;quantite;categorie;montant";

/// The broad regions of origin, and how often each is drawn (per person).
const ORIGINES: [(&str, u32); 7] = [
    ("France", 22),
    ("Europe de l'Est", 18),
    ("Afrique subsaharienne", 27),
    ("Amérique latine", 14),
    ("Maghreb", 11),
    ("Asie", 2),
    ("Non renseignée", 6),
];

/// Added to the seed for the stream of origins: the main stream is untouched.
const GRAINE_ORIGINES: u64 = 0x6f72_6967_696e_6573;
const ENTETE_SUIVIS: &str = "personne;public;programme;type;ouverture;cloture";
const ENTETE_INDICATEURS: &str = "annee;indicateur;valeur";

/// Figures of `indicateurs.csv`, written as is (they are not derived from rows).
const INDICATEURS: [(i32, &str, u32); 9] = [
    (2011, "visites_site", 6512),
    (2011, "rencontres_reelles_net", 6),
    (2011, "associations_reseau", 4),
    (2012, "visites_site", 8225),
    (2012, "rencontres_reelles_net", 8),
    (2012, "associations_reseau", 5),
    (2013, "visites_site", 16119),
    (2013, "rencontres_reelles_net", 11),
    (2013, "associations_reseau", 6),
];

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

struct Options {
    sortie: PathBuf,
    graine: u64,
    origine: bool,
}

/// Parses the arguments by hand. `Ok(None)` means "help was asked for".
fn lire_arguments(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut sortie: Option<PathBuf> = None;
    let mut graine: Option<u64> = None;
    let mut origine = true;
    while let Some(arg) = args.next() {
        let (nom, valeur_jointe) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match nom.as_str() {
            "-h" | "--help" | "--aide" => return Ok(None),
            "--sans-origine" => origine = false,
            "--sortie" | "--graine" => {
                let valeur = match valeur_jointe.or_else(|| args.next()) {
                    Some(v) if !v.is_empty() => v,
                    _ => return Err(format!("l'option {nom} attend une valeur")),
                };
                if nom == "--sortie" {
                    if sortie.is_some() {
                        return Err("l'option --sortie est donnée deux fois".into());
                    }
                    sortie = Some(PathBuf::from(valeur));
                } else {
                    if graine.is_some() {
                        return Err("l'option --graine est donnée deux fois".into());
                    }
                    let n = valeur.parse::<u64>().map_err(|_| {
                        format!("graine invalide « {valeur} » (entier positif attendu)")
                    })?;
                    graine = Some(n);
                }
            }
            _ => return Err(format!("argument inconnu « {arg} »")),
        }
    }
    let sortie = sortie.ok_or("l'option --sortie est obligatoire")?;
    Ok(Some(Options {
        sortie,
        graine: graine.unwrap_or(GRAINE_PAR_DEFAUT),
        origine,
    }))
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
            return ExitCode::from(2);
        }
    };

    let fichiers = generer(options.graine, options.origine);
    // Self-check on the exact text about to be written; panics on any discrepancy.
    verifier(
        &fichiers.activites,
        &fichiers.suivis,
        &fichiers.indicateurs,
        options.origine,
    );

    if let Err(e) = fs::create_dir_all(&options.sortie) {
        eprintln!(
            "erreur : impossible de créer le répertoire {} : {e}",
            options.sortie.display()
        );
        return ExitCode::FAILURE;
    }
    for (nom, contenu) in [
        ("activites.csv", &fichiers.activites),
        ("suivis.csv", &fichiers.suivis),
        ("indicateurs.csv", &fichiers.indicateurs),
    ] {
        let chemin = options.sortie.join(nom);
        // The whole file is built in memory first, then written in one call.
        if let Err(e) = fs::write(&chemin, contenu) {
            eprintln!("erreur : impossible d'écrire {} : {e}", chemin.display());
            return ExitCode::FAILURE;
        }
        println!(
            "{} : {} lignes (hors en-tête)",
            chemin.display(),
            contenu.lines().count() - 1
        );
    }
    println!(
        "Échantillon généré avec la graine {} ; chiffres de référence vérifiés.",
        options.graine
    );
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// A calendar date stored as a day number (days since 1970-01-01), so that ordering and
/// arithmetic are trivial.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Date(i64);

fn d(annee: i32, mois: u32, jour: u32) -> Date {
    Date::new(annee, mois, jour)
}

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

    fn annee(self) -> i32 {
        self.civil().0
    }

    fn plus(self, jours: i64) -> Date {
        Date(self.0 + jours)
    }

    /// 1970-01-01 was a Thursday.
    fn est_jeudi(self) -> bool {
        self.0.rem_euclid(7) == 0
    }

    /// `JJ/MM/AAAA`.
    fn texte(self) -> String {
        let (a, m, j) = self.civil();
        format!("{j:02}/{m:02}/{a:04}")
    }

    /// Strict parser for `JJ/MM/AAAA`; rejects impossible dates such as 30/02.
    fn analyser(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let forme = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 2 || i == 5 {
                    *c == b'/'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !forme {
            return None;
        }
        let j: u32 = s[0..2].parse().ok()?;
        let m: u32 = s[3..5].parse().ok()?;
        let a: i32 = s[6..10].parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&j) {
            return None;
        }
        let date = Date::new(a, m, j);
        (date.civil() == (a, m, j)).then_some(date)
    }
}

fn debut_annee(annee: i32) -> Date {
    d(annee, 1, 1)
}

fn fin_annee(annee: i32) -> Date {
    d(annee, 12, 31)
}

/// Last day covered by the sample: no case may open or close after it.
fn fin_donnees() -> Date {
    d(2013, 12, 31)
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

    /// Uniform integer in `lo..=hi`.
    fn entre(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "entre: {lo} > {hi}");
        lo + self.indice((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`.
    fn proba(&mut self, p: f64) -> bool {
        let x = (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        x < p
    }

    fn choisir<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.indice(v.len())]
    }

    /// Fisher–Yates shuffle.
    fn melanger<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.indice(i + 1);
            v.swap(i, j);
        }
    }

    /// `k` distinct indices of `0..n`, in random order (partial Fisher–Yates).
    fn echantillon(&mut self, n: usize, k: usize) -> Vec<usize> {
        assert!(k <= n, "echantillon: {k} > {n}");
        let mut v: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + self.indice(n - i);
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }

    /// Index drawn with the given integer weights.
    fn pondere(&mut self, poids: &[u32]) -> usize {
        let total: u32 = poids.iter().sum();
        let mut x = self.indice(total as usize) as u32;
        for (i, &p) in poids.iter().enumerate() {
            if x < p {
                return i;
            }
            x -= p;
        }
        unreachable!()
    }

    fn date_entre(&mut self, debut: Date, fin: Date) -> Date {
        Date(self.entre(debut.0, fin.0))
    }

    fn date_dans(&mut self, annee: i32) -> Date {
        self.date_entre(debut_annee(annee), fin_annee(annee))
    }

    /// `k` distinct days of `annee`, chronologically sorted.
    fn jours_distincts(&mut self, annee: i32, k: usize) -> Vec<Date> {
        let debut = debut_annee(annee);
        let n = (fin_annee(annee).0 - debut.0 + 1) as usize;
        let mut jours: Vec<Date> = self
            .echantillon(n, k)
            .into_iter()
            .map(|i| debut.plus(i as i64))
            .collect();
        jours.sort();
        jours
    }
}

/// Splits `total` into `n` integers in `1..=max`, of irregular sizes.
fn repartir(alea: &mut Alea, total: u32, n: usize, max: u32) -> Vec<u32> {
    let n32 = n as u32;
    assert!(
        n32 >= 1 && n32 <= total && total <= n32 * max,
        "repartir: {total} en {n} × ≤{max}"
    );
    let haut = (2 * total / n32).clamp(1, max);
    let mut parts: Vec<u32> = (0..n)
        .map(|_| alea.entre(1, i64::from(haut)) as u32)
        .collect();
    let mut somme: u32 = parts.iter().sum();
    while somme > total {
        let i = alea.indice(n);
        if parts[i] > 1 {
            parts[i] -= 1;
            somme -= 1;
        }
    }
    while somme < total {
        let i = alea.indice(n);
        if parts[i] < max {
            parts[i] += 1;
            somme += 1;
        }
    }
    parts
}

// ---------------------------------------------------------------------------
// Persons
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Public {
    Femme,
    Trans,
    Homme,
}

use Public::{Femme, Homme, Trans};

impl Public {
    const TOUS: [Public; 3] = [Femme, Trans, Homme];

    fn code(self) -> &'static str {
        match self {
            Femme => "femme",
            Trans => "trans",
            Homme => "homme",
        }
    }

    fn rang(self) -> usize {
        self as usize
    }
}

struct Personne {
    code: String,
    public: Public,
    /// One of [`ORIGINES`].
    origine: &'static str,
}

/// All pseudonymous persons; each has one fixed public.
struct Population {
    personnes: Vec<Personne>,
    par_public: [Vec<usize>; 3],
}

impl Population {
    const TAILLES: [usize; 3] = [260, 70, 120];

    fn new(alea: &mut Alea) -> Population {
        let total: usize = Self::TAILLES.iter().sum();
        let numeros = alea.echantillon(9999, total); // code number = index + 1
        let mut personnes = Vec::with_capacity(total);
        let mut par_public: [Vec<usize>; 3] = Default::default();
        let mut numeros = numeros.into_iter();
        for public in Public::TOUS {
            for _ in 0..Self::TAILLES[public.rang()] {
                par_public[public.rang()].push(personnes.len());
                let numero = numeros.next().unwrap() + 1;
                personnes.push(Personne {
                    code: format!("TLS-{numero:04}"),
                    public,
                    origine: "",
                });
            }
        }
        Population {
            personnes,
            par_public,
        }
    }
}

/// The persons a programme works with: one slice of each public's list, and weights
/// telling how often each public is met.
struct Vivier {
    membres: [Vec<usize>; 3],
    poids: [u32; 3],
}

impl Vivier {
    fn new(pop: &Population, plages: [Range<usize>; 3], poids: [u32; 3]) -> Vivier {
        let membres = [0, 1, 2].map(|r| pop.par_public[r][plages[r].clone()].to_vec());
        Vivier { membres, poids }
    }

    fn tirer(&self, alea: &mut Alea) -> usize {
        let rang = alea.pondere(&self.poids);
        self.tirer_public(alea, Public::TOUS[rang])
    }

    fn tirer_public(&self, alea: &mut Alea, public: Public) -> usize {
        *alea.choisir(&self.membres[public.rang()])
    }

    /// `k` distinct persons, drawn with the vivier's weights.
    fn tirer_distincts(&self, alea: &mut Alea, k: usize) -> Vec<usize> {
        assert!(
            k * 2 <= self.membres.iter().map(Vec::len).sum::<usize>(),
            "vivier trop petit"
        );
        let mut vus = BTreeSet::new();
        let mut choisis = Vec::with_capacity(k);
        while choisis.len() < k {
            let p = self.tirer(alea);
            if vus.insert(p) {
                choisis.push(p);
            }
        }
        choisis
    }
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

struct Activite {
    date: Date,
    action: &'static str,
    programme: &'static str,
    public: Option<Public>,
    personne: Option<usize>,
    themes: Vec<&'static str>,
    quantite: Option<u32>,
    categorie: Option<&'static str>,
    /// Euro cents.
    montant: Option<u32>,
}

impl Activite {
    fn new(date: Date, action: &'static str, programme: &'static str) -> Activite {
        Activite {
            date,
            action,
            programme,
            public: None,
            personne: None,
            themes: Vec::new(),
            quantite: None,
            categorie: None,
            montant: None,
        }
    }

    fn personne(mut self, pop: &Population, p: usize) -> Activite {
        self.public = Some(pop.personnes[p].public);
        self.personne = Some(p);
        self
    }

    fn public(mut self, public: Public) -> Activite {
        self.public = Some(public);
        self
    }

    fn quantite(mut self, q: u32) -> Activite {
        self.quantite = Some(q);
        self
    }

    fn themes(mut self, themes: Vec<&'static str>) -> Activite {
        self.themes = themes;
        self
    }

    fn categorie(mut self, c: &'static str) -> Activite {
        self.categorie = Some(c);
        self
    }

    fn montant(mut self, centimes: u32) -> Activite {
        self.montant = Some(centimes);
        self
    }

    fn ligne(&self, pop: &Population) -> String {
        format!(
            "{};{};{};{};{};{};{};{};{}",
            self.date.texte(),
            self.action,
            self.programme,
            self.public.map_or("", Public::code),
            self.personne.map_or("", |p| pop.personnes[p].code.as_str()),
            self.themes.join("|"),
            self.quantite.map_or(String::new(), |q| q.to_string()),
            self.categorie.unwrap_or(""),
            self.montant
                .map_or(String::new(), |c| format!("{},{:02}", c / 100, c % 100)),
        )
    }
}

struct Suivi {
    personne: usize,
    programme: &'static str,
    type_: &'static str,
    ouverture: Date,
    cloture: Option<Date>,
}

impl Suivi {
    fn ouvert_le(&self, date: Date) -> bool {
        self.ouverture <= date && self.cloture.is_none_or(|c| c >= date)
    }

    fn ligne(&self, pop: &Population) -> String {
        let p = &pop.personnes[self.personne];
        format!(
            "{};{};{};{};{};{}",
            p.code,
            p.public.code(),
            self.programme,
            self.type_,
            self.ouverture.texte(),
            self.cloture.map_or(String::new(), Date::texte),
        )
    }
}

/// How a generated case ends.
enum Fin {
    /// Still open at the end of the data.
    Ouverte,
    /// Closed on a day drawn in `[max(lo, opening + 1), hi]`.
    Entre(Date, Date),
    /// Open with probability `p`, else closed as with `Entre` (open if that range is empty).
    OuverteOuEntre(f64, Date, Date),
    /// Open with probability `p`, else closed after a duration drawn in `min..=max` days
    /// (open if that falls after the end of the data).
    Duree(f64, i64, i64),
}

fn tirer_cloture(alea: &mut Alea, ouverture: Date, fin: &Fin) -> Option<Date> {
    match *fin {
        Fin::Ouverte => None,
        Fin::Entre(lo, hi) => {
            let lo = lo.max(ouverture.plus(1));
            assert!(
                lo <= hi,
                "clôture impossible après le {}",
                ouverture.texte()
            );
            Some(alea.date_entre(lo, hi))
        }
        Fin::OuverteOuEntre(p, lo, hi) => {
            let lo = lo.max(ouverture.plus(1));
            if lo > hi || alea.proba(p) {
                None
            } else {
                Some(alea.date_entre(lo, hi))
            }
        }
        Fin::Duree(p, min, max) => {
            if alea.proba(p) {
                return None;
            }
            let cloture = ouverture.plus(alea.entre(min, max));
            (cloture <= fin_donnees()).then_some(cloture)
        }
    }
}

/// A person with a case of `programme` open on `date`, if any.
fn personne_suivie(
    alea: &mut Alea,
    suivis: &[Suivi],
    programme: &str,
    date: Date,
) -> Option<usize> {
    let candidats: Vec<usize> = suivis
        .iter()
        .filter(|s| s.programme == programme && s.ouvert_le(date))
        .map(|s| s.personne)
        .collect();
    (!candidats.is_empty()).then(|| *alea.choisir(&candidats))
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

struct Fichiers {
    activites: String,
    suivis: String,
    indicateurs: String,
}

struct Viviers {
    rue: Vivier,
    net: Vivier,
    droits: Vivier,
    sante: Vivier,
    logement: Vivier,
    avq: Vivier,
}

fn generer(graine: u64, avec_origine: bool) -> Fichiers {
    let mut alea = Alea::new(graine);
    let alea = &mut alea;
    let mut pop = Population::new(alea);
    let mut alea_origines = Alea::new(graine.wrapping_add(GRAINE_ORIGINES));
    let poids: Vec<u32> = ORIGINES.iter().map(|(_, p)| *p).collect();
    for p in &mut pop.personnes {
        p.origine = ORIGINES[alea_origines.pondere(&poids)].0;
    }
    let pop = pop;
    // Slices of the femme (260), trans (70) and homme (120) lists.
    let v = Viviers {
        rue: Vivier::new(&pop, [0..200, 0..55, 0..25], [70, 22, 8]),
        net: Vivier::new(&pop, [170..260, 35..70, 10..120], [30, 15, 55]),
        droits: Vivier::new(&pop, [0..130, 0..40, 100..120], [65, 25, 10]),
        sante: Vivier::new(&pop, [0..260, 0..70, 0..120], [60, 25, 15]),
        logement: Vivier::new(&pop, [40..220, 10..60, 0..60], [55, 30, 15]),
        avq: Vivier::new(&pop, [0..240, 0..65, 0..80], [60, 25, 15]),
    };

    let mut suivis = Vec::new();
    suivis_net(alea, &v.net, &mut suivis);
    suivis_droits(alea, &v.droits, &mut suivis);
    suivis_simples(
        alea,
        &v.sante,
        "sante",
        "sante",
        [8, 18, 23, 29],
        Fin::Duree(0.1, 30, 420),
        &mut suivis,
    );
    suivis_simples(
        alea,
        &v.logement,
        "logement",
        "logement",
        [5, 12, 16, 21],
        Fin::Duree(0.1, 60, 540),
        &mut suivis,
    );

    let mut activites = Vec::new();
    activites_rue(alea, &pop, &v.rue, &mut activites);
    activites_net(alea, &pop, &v.net, &mut activites);
    activites_droits(alea, &pop, &v.droits, &suivis, &mut activites);
    activites_sante(alea, &pop, &v.sante, &suivis, &mut activites);
    activites_logement(alea, &pop, &v.logement, &suivis, &mut activites);
    activites_avq(alea, &pop, &v.avq, &mut activites);
    activites_repas(alea, &mut activites);

    sans_doublons(&pop, &mut activites);
    Fichiers {
        activites: ecrire_activites(&pop, &activites, avec_origine),
        suivis: ecrire_suivis(&pop, &suivis),
        indicateurs: ecrire_indicateurs(),
    }
}

/// Two identical rows for one person on one day read as a double entry
/// (`rapport check` warns about them): the second one moves to the nearest
/// free day of the same year. No random draw, so nothing else changes.
fn sans_doublons(pop: &Population, activites: &mut [Activite]) {
    let mut vues = std::collections::HashSet::new();
    for a in activites.iter_mut() {
        if a.personne.is_none() {
            continue;
        }
        let (origine, annee) = (a.date, a.date.annee());
        let mut ecart = 0i64;
        while !vues.insert(a.ligne(pop)) {
            // 1, -1, 2, -2…: the nearest day of the same year.
            ecart = if ecart > 0 { -ecart } else { 1 - ecart };
            let jour = origine.plus(ecart);
            if jour.annee() == annee {
                a.date = jour;
            }
        }
    }
}

fn ecrire_activites(pop: &Population, activites: &[Activite], avec_origine: bool) -> String {
    // Sorted without the origin, which comes last: the order of the rows
    // is the one they had before it was added.
    let mut lignes: Vec<(Date, String, &str)> = activites
        .iter()
        .map(|a| {
            let origine = a.personne.map_or("", |p| pop.personnes[p].origine);
            (a.date, a.ligne(pop), origine)
        })
        .collect();
    lignes.sort();
    let mut texte = entete_activites(avec_origine);
    texte.push('\n');
    for (_, ligne, origine) in lignes {
        texte.push_str(&ligne);
        if avec_origine {
            texte.push(';');
            texte.push_str(origine);
        }
        texte.push('\n');
    }
    texte
}

fn ecrire_suivis(pop: &Population, suivis: &[Suivi]) -> String {
    let mut lignes: Vec<(Date, String)> =
        suivis.iter().map(|s| (s.ouverture, s.ligne(pop))).collect();
    lignes.sort();
    let mut texte = String::from(ENTETE_SUIVIS);
    texte.push('\n');
    for (_, ligne) in lignes {
        texte.push_str(&ligne);
        texte.push('\n');
    }
    texte
}

fn ecrire_indicateurs() -> String {
    let mut texte = String::from(ENTETE_INDICATEURS);
    texte.push('\n');
    for (annee, indicateur, valeur) in INDICATEURS {
        texte.push_str(&format!("{annee};{indicateur};{valeur}\n"));
    }
    texte
}

// --- Follow-up cases --------------------------------------------------------

/// Internet outreach cases. The 13 first rows are open during 2013 (persons 0–11,
/// person 0 twice); the others are not, and add edge cases around 01/01/2013.
fn suivis_net(alea: &mut Alea, vivier: &Vivier, suivis: &mut Vec<Suivi>) {
    use Fin::{Entre, Ouverte};
    let personnes = vivier.tirer_distincts(alea, 15);
    let cas: [(usize, (Date, Date), Fin); 17] = [
        // Open during 2013.
        (
            0,
            (d(2012, 1, 15), d(2012, 9, 30)),
            Entre(d(2013, 1, 1), d(2013, 1, 1)),
        ),
        (0, (d(2013, 3, 1), d(2013, 10, 31)), Ouverte),
        (1, (d(2013, 12, 31), d(2013, 12, 31)), Ouverte),
        (2, (d(2010, 9, 1), d(2011, 6, 30)), Ouverte),
        (
            3,
            (d(2012, 6, 1), d(2012, 12, 15)),
            Entre(d(2013, 2, 1), d(2013, 9, 30)),
        ),
        (4, (d(2012, 1, 2), d(2012, 12, 20)), Ouverte),
        (
            5,
            (d(2013, 1, 2), d(2013, 6, 30)),
            Entre(d(2013, 7, 1), d(2013, 12, 20)),
        ),
        (6, (d(2013, 1, 10), d(2013, 11, 30)), Ouverte),
        (7, (d(2013, 1, 2), d(2013, 12, 15)), Ouverte),
        (
            8,
            (d(2011, 3, 1), d(2011, 12, 31)),
            Entre(d(2013, 1, 2), d(2013, 12, 31)),
        ),
        (
            9,
            (d(2013, 1, 1), d(2013, 8, 31)),
            Entre(d(2013, 9, 1), d(2013, 12, 31)),
        ),
        (10, (d(2012, 2, 1), d(2012, 11, 30)), Ouverte),
        (11, (d(2013, 2, 1), d(2013, 12, 1)), Ouverte),
        // Not open during 2013.
        (
            12,
            (d(2012, 1, 10), d(2012, 10, 31)),
            Entre(d(2012, 12, 31), d(2012, 12, 31)),
        ),
        (
            13,
            (d(2011, 2, 1), d(2011, 6, 30)),
            Entre(d(2011, 7, 1), d(2011, 12, 20)),
        ),
        (
            14,
            (d(2010, 3, 1), d(2010, 12, 31)),
            Entre(d(2011, 6, 1), d(2012, 10, 31)),
        ),
        (
            4,
            (d(2011, 1, 10), d(2011, 5, 31)),
            Entre(d(2011, 6, 1), d(2011, 12, 15)),
        ),
    ];
    for (i, (debut, fin_ouverture), fin) in cas {
        let ouverture = alea.date_entre(debut, fin_ouverture);
        let cloture = tirer_cloture(alea, ouverture, &fin);
        suivis.push(Suivi {
            personne: personnes[i],
            programme: "net",
            type_: "accompagnement_net",
            ouverture,
            cloture,
        });
    }
}

/// Foreigners' rights cases.
///
/// Residence-permit cases are built by "activity span" within 2011–2013 so that the rows
/// open during each year are 31 / 38 / 36:
/// 13 (2011 only) + 10 (2011–2012) + 8 (2011–2013) = 31;
/// 10 + 8 + 8 (2012 only) + 12 (2012–2013) = 38; 8 + 12 + 16 (2013 only) = 36;
/// plus 5 cases closed before 2011, counted nowhere.
/// Asylum cases (`asile`, `recours`) are opened 1 / 2 / 4 / 5 / 11 times in 2009–2013.
fn suivis_droits(alea: &mut Alea, vivier: &Vivier, suivis: &mut Vec<Suivi>) {
    use Fin::{Entre, OuverteOuEntre};
    let tranches: [(usize, (Date, Date), Fin); 7] = [
        (
            5,
            (d(2009, 1, 5), d(2010, 6, 30)),
            Entre(d(2009, 1, 6), d(2010, 12, 31)),
        ),
        (
            13,
            (d(2009, 3, 1), d(2011, 11, 30)),
            Entre(d(2011, 1, 1), d(2011, 12, 31)),
        ),
        (
            10,
            (d(2009, 3, 1), d(2011, 12, 31)),
            Entre(d(2012, 1, 1), d(2012, 12, 31)),
        ),
        (
            8,
            (d(2009, 1, 15), d(2011, 12, 31)),
            OuverteOuEntre(0.5, d(2013, 1, 1), d(2013, 12, 31)),
        ),
        (
            8,
            (d(2012, 1, 1), d(2012, 11, 30)),
            Entre(d(2012, 1, 2), d(2012, 12, 31)),
        ),
        (
            12,
            (d(2012, 1, 1), d(2012, 12, 31)),
            OuverteOuEntre(0.5, d(2013, 1, 1), d(2013, 12, 31)),
        ),
        (
            16,
            (d(2013, 1, 1), d(2013, 12, 31)),
            OuverteOuEntre(0.6, d(2013, 1, 2), d(2013, 12, 31)),
        ),
    ];
    let asile_par_annee = [(2009, 1), (2010, 2), (2011, 4), (2012, 5), (2013, 11)];
    let total = tranches.iter().map(|t| t.0).sum::<usize>()
        + asile_par_annee.iter().map(|a| a.1).sum::<usize>();
    let mut personnes = vivier.tirer_distincts(alea, total).into_iter();

    const TYPES_SEJOUR: [&str; 3] = ["regularisation_travail", "vie_privee_familiale", "l316_1"];
    for (t, (nombre, (debut, fin_ouverture), fin)) in tranches.iter().enumerate() {
        for i in 0..*nombre {
            let mut ouverture = alea.date_entre(*debut, *fin_ouverture);
            // Edge case: opened on the last day of 2012 (open in 2012 and in 2013).
            if t == 5 && i == 0 {
                ouverture = d(2012, 12, 31);
            }
            let mut cloture = tirer_cloture(alea, ouverture, fin);
            // Edge cases: closed on the last day of 2010 (not open in 2011) and on the
            // first day of 2012 (open in 2011 and in 2012).
            if t == 0 && i == 0 {
                cloture = Some(d(2010, 12, 31));
            }
            if t == 2 && i == 0 {
                cloture = Some(d(2012, 1, 1));
            }
            let type_ = TYPES_SEJOUR[alea.pondere(&[35, 45, 20])];
            suivis.push(Suivi {
                personne: personnes.next().unwrap(),
                programme: "droits",
                type_,
                ouverture,
                cloture,
            });
        }
    }
    for (annee, nombre) in asile_par_annee {
        for _ in 0..nombre {
            let ouverture = alea.date_dans(annee);
            let type_ = if alea.proba(0.65) { "asile" } else { "recours" };
            let cloture = tirer_cloture(alea, ouverture, &Fin::Duree(0.3, 90, 600));
            suivis.push(Suivi {
                personne: personnes.next().unwrap(),
                programme: "droits",
                type_,
                ouverture,
                cloture,
            });
        }
    }
}

/// Cases opened `ouvertures[k]` times in 2010 + k, for distinct persons.
fn suivis_simples(
    alea: &mut Alea,
    vivier: &Vivier,
    programme: &'static str,
    type_: &'static str,
    ouvertures: [usize; 4],
    fin: Fin,
    suivis: &mut Vec<Suivi>,
) {
    let mut personnes = vivier
        .tirer_distincts(alea, ouvertures.iter().sum())
        .into_iter();
    for (k, nombre) in ouvertures.into_iter().enumerate() {
        for _ in 0..nombre {
            let ouverture = alea.date_dans(2010 + k as i32);
            let cloture = tirer_cloture(alea, ouverture, &fin);
            suivis.push(Suivi {
                personne: personnes.next().unwrap(),
                programme,
                type_,
                ouverture,
                cloture,
            });
        }
    }
}

// --- Activities -------------------------------------------------------------

/// Street outreach: rounds, with the contacts and kits of each round, and screenings.
fn activites_rue(alea: &mut Alea, pop: &Population, vivier: &Vivier, acts: &mut Vec<Activite>) {
    for (k, (annee, tournees, depistages)) in [(2011, 156, 46), (2012, 171, 57), (2013, 184, 68)]
        .into_iter()
        .enumerate()
    {
        let k = k as i64;
        for jour in alea.jours_distincts(annee, tournees) {
            acts.push(Activite::new(jour, "tournee", "rue"));
            let femmes = alea.entre(6 + k, 20 + k) as u32;
            acts.push(
                Activite::new(jour, "contact", "rue")
                    .public(Femme)
                    .quantite(femmes),
            );
            let trans = alea.entre(0, 6) as u32;
            if trans > 0 {
                acts.push(
                    Activite::new(jour, "contact", "rue")
                        .public(Trans)
                        .quantite(trans),
                );
            }
            if alea.proba(0.35) {
                let hommes = alea.entre(1, 3) as u32;
                acts.push(
                    Activite::new(jour, "contact", "rue")
                        .public(Homme)
                        .quantite(hommes),
                );
            }
            for _ in 0..alea.entre(0, 2) {
                let p = vivier.tirer(alea);
                let q = alea.entre(1, 8) as u32;
                acts.push(
                    Activite::new(jour, "kit", "rue")
                        .personne(pop, p)
                        .quantite(q),
                );
            }
        }
        for _ in 0..depistages {
            let jour = alea.date_dans(annee);
            let p = vivier.tirer(alea);
            acts.push(Activite::new(jour, "depistage", "rue").personne(pop, p));
        }
    }
}

struct NetAnnee {
    annee: i32,
    tournees: usize,
    /// Persons contacted (sum of `quantite`), by public.
    contacts: [u32; 3],
    /// Range of the number of `contact` rows per public.
    lignes_contacts: (i64, i64),
    /// Interview rows, by public.
    entretiens: [usize; 3],
    kits_femme_trans: u32,
    kits_homme: u32,
    /// Exact theme quotas (femme+trans, homme); `None`: themes drawn with probabilities.
    quotas: Option<(Quotas, Quotas)>,
}

/// Number of interview rows carrying each of the four main themes.
type Quotas = [(&'static str, usize); 4];

const NET: [NetAnnee; 3] = [
    NetAnnee {
        annee: 2011,
        tournees: 21,
        contacts: [468, 83, 547],
        lignes_contacts: (24, 45),
        entretiens: [13, 6, 79],
        kits_femme_trans: 9,
        kits_homme: 11,
        quotas: None,
    },
    NetAnnee {
        annee: 2012,
        tournees: 26,
        contacts: [571, 101, 664],
        lignes_contacts: (26, 50),
        entretiens: [16, 8, 98],
        kits_femme_trans: 12,
        kits_homme: 14,
        quotas: None,
    },
    NetAnnee {
        annee: 2013,
        tournees: 34,
        contacts: [716, 128, 823],
        lignes_contacts: (30, 60),
        entretiens: [21, 11, 126],
        kits_femme_trans: 16,
        kits_homme: 19,
        quotas: Some((
            [
                ("vih_ist_drogues", 10),
                ("sante", 20),
                ("violence", 21),
                ("droits_sociaux", 15),
            ],
            [
                ("vih_ist_drogues", 121),
                ("sante", 4),
                ("violence", 12),
                ("droits_sociaux", 20),
            ],
        )),
    },
];

/// Theme probabilities for internet interviews when no exact quota is set.
const PROBAS_NET_FEMME_TRANS: [(&str, f64); 4] = [
    ("vih_ist_drogues", 0.3),
    ("sante", 0.6),
    ("violence", 0.65),
    ("droits_sociaux", 0.45),
];
const PROBAS_NET_HOMME: [(&str, f64); 4] = [
    ("vih_ist_drogues", 0.95),
    ("sante", 0.05),
    ("violence", 0.1),
    ("droits_sociaux", 0.15),
];

/// Themes of `n` interviews: each `(theme, k)` goes to an independent random subset of
/// exactly `k` rows.
fn themes_exacts(
    alea: &mut Alea,
    n: usize,
    quotas: &[(&'static str, usize)],
) -> Vec<Vec<&'static str>> {
    let mut cellules = vec![Vec::new(); n];
    for &(theme, k) in quotas {
        for i in alea.echantillon(n, k) {
            cellules[i].push(theme);
        }
    }
    cellules
}

/// Themes of `n` interviews, each theme present with its own probability.
fn themes_probables(
    alea: &mut Alea,
    n: usize,
    probas: &[(&'static str, f64)],
) -> Vec<Vec<&'static str>> {
    (0..n)
        .map(|_| {
            probas
                .iter()
                .filter_map(|&(theme, p)| alea.proba(p).then_some(theme))
                .collect()
        })
        .collect()
}

/// Adds the secondary themes now and then and shuffles each cell.
fn finir_themes(alea: &mut Alea, cellules: &mut [Vec<&'static str>]) {
    for cellule in cellules {
        for theme in ["logement", "travail"] {
            if alea.proba(0.08) {
                cellule.push(theme);
            }
        }
        alea.melanger(cellule);
    }
}

fn activites_net(alea: &mut Alea, pop: &Population, vivier: &Vivier, acts: &mut Vec<Activite>) {
    for p in &NET {
        for jour in alea.jours_distincts(p.annee, p.tournees) {
            acts.push(Activite::new(jour, "tournee", "net"));
        }
        for public in Public::TOUS {
            let n = alea.entre(p.lignes_contacts.0, p.lignes_contacts.1) as usize;
            for q in repartir(alea, p.contacts[public.rang()], n, 60) {
                let jour = alea.date_dans(p.annee);
                acts.push(
                    Activite::new(jour, "contact", "net")
                        .public(public)
                        .quantite(q),
                );
            }
        }

        let n_ft = p.entretiens[0] + p.entretiens[1];
        let n_h = p.entretiens[2];
        let (mut themes_ft, mut themes_h) = match &p.quotas {
            Some((ft, h)) => (themes_exacts(alea, n_ft, ft), themes_exacts(alea, n_h, h)),
            None => (
                themes_probables(alea, n_ft, &PROBAS_NET_FEMME_TRANS),
                themes_probables(alea, n_h, &PROBAS_NET_HOMME),
            ),
        };
        finir_themes(alea, &mut themes_ft);
        finir_themes(alea, &mut themes_h);
        let mut publics: Vec<Public> = [Femme].repeat(p.entretiens[0]);
        publics.extend([Trans].repeat(p.entretiens[1]));
        alea.melanger(&mut publics);
        publics.extend([Homme].repeat(n_h));
        for (public, themes) in publics
            .into_iter()
            .zip(themes_ft.into_iter().chain(themes_h))
        {
            let jour = alea.date_dans(p.annee);
            let personne = vivier.tirer_public(alea, public);
            acts.push(
                Activite::new(jour, "entretien", "net")
                    .personne(pop, personne)
                    .themes(themes),
            );
        }

        for (total, femme_trans) in [(p.kits_femme_trans, true), (p.kits_homme, false)] {
            let n = alea.entre(i64::from(total) / 4 + 1, i64::from(total) / 3 + 2) as usize;
            for q in repartir(alea, total, n, 6) {
                let public = match femme_trans {
                    true if alea.proba(0.6) => Femme,
                    true => Trans,
                    false => Homme,
                };
                let jour = alea.date_dans(p.annee);
                let personne = vivier.tirer_public(alea, public);
                acts.push(
                    Activite::new(jour, "kit", "net")
                        .personne(pop, personne)
                        .quantite(q),
                );
            }
        }
    }
}

/// Foreigners' rights interviews, mostly with persons whose case is open that day.
fn activites_droits(
    alea: &mut Alea,
    pop: &Population,
    vivier: &Vivier,
    suivis: &[Suivi],
    acts: &mut Vec<Activite>,
) {
    const PROBAS: [(&str, f64); 5] = [
        ("droits_sociaux", 0.45),
        ("travail", 0.2),
        ("logement", 0.2),
        ("violence", 0.1),
        ("sante", 0.1),
    ];
    for (annee, nombre) in [(2011, 87), (2012, 119), (2013, 223)] {
        let mut themes = themes_probables(alea, nombre, &PROBAS);
        for cellule in &mut themes {
            alea.melanger(cellule);
        }
        for cellule in themes {
            let jour = alea.date_dans(annee);
            let suivie = if alea.proba(0.8) {
                personne_suivie(alea, suivis, "droits", jour)
            } else {
                None
            };
            let personne = suivie.unwrap_or_else(|| vivier.tirer(alea));
            acts.push(
                Activite::new(jour, "entretien", "droits")
                    .personne(pop, personne)
                    .themes(cellule),
            );
        }
    }
}

/// Health: accompaniments to care (hospital, screening centre, GP...).
fn activites_sante(
    alea: &mut Alea,
    pop: &Population,
    vivier: &Vivier,
    suivis: &[Suivi],
    acts: &mut Vec<Activite>,
) {
    for (annee, nombre) in [(2011, 208), (2012, 261), (2013, 314)] {
        for _ in 0..nombre {
            let jour = alea.date_dans(annee);
            let suivie = if alea.proba(0.6) {
                personne_suivie(alea, suivis, "sante", jour)
            } else {
                None
            };
            let personne = suivie.unwrap_or_else(|| vivier.tirer(alea));
            acts.push(Activite::new(jour, "accompagnement", "sante").personne(pop, personne));
        }
    }
}

/// Housing: accompaniments, each towards one kind of housing or shelter.
fn activites_logement(
    alea: &mut Alea,
    pop: &Population,
    vivier: &Vivier,
    suivis: &[Suivi],
    acts: &mut Vec<Activite>,
) {
    const CATEGORIES: [&str; 5] = ["urgence_115", "siao", "chrs", "act", "halte_sante"];
    for (annee, nombre) in [(2011, 66), (2012, 91), (2013, 117)] {
        for _ in 0..nombre {
            let jour = alea.date_dans(annee);
            let suivie = if alea.proba(0.75) {
                personne_suivie(alea, suivis, "logement", jour)
            } else {
                None
            };
            let personne = suivie.unwrap_or_else(|| vivier.tirer(alea));
            let categorie = CATEGORIES[alea.pondere(&[30, 25, 15, 10, 20])];
            acts.push(
                Activite::new(jour, "accompagnement", "logement")
                    .personne(pop, personne)
                    .categorie(categorie),
            );
        }
    }
}

/// Emergency aid ("AVQ"): hotel nights, direct financial aid, service vouchers.
fn activites_avq(alea: &mut Alea, pop: &Population, vivier: &Vivier, acts: &mut Vec<Activite>) {
    for (annee, nombre) in [(2011, 162), (2012, 201), (2013, 246)] {
        for _ in 0..nombre {
            let jour = alea.date_dans(annee);
            let personne = vivier.tirer(alea);
            let (categorie, centimes) = match alea.pondere(&[30, 45, 25]) {
                0 => {
                    let nuit = *alea.choisir(&[3800u32, 4250, 4500, 4950]);
                    ("hebergement", nuit * alea.entre(1, 6) as u32)
                }
                1 => ("aide_directe", 50 * alea.entre(20, 300) as u32),
                _ => ("tickets_service", 750 * alea.entre(2, 10) as u32),
            };
            acts.push(
                Activite::new(jour, "aide", "avq")
                    .personne(pop, personne)
                    .categorie(categorie)
                    .montant(centimes),
            );
        }
    }
}

/// The shared meal, every Thursday at the association's premises.
fn activites_repas(alea: &mut Alea, acts: &mut Vec<Activite>) {
    for (k, annee) in [2011, 2012, 2013].into_iter().enumerate() {
        let k = k as i64;
        let mut jour = debut_annee(annee);
        while jour <= fin_annee(annee) {
            if jour.est_jeudi() {
                let convives = alea.entre(8 + k, 18 + 2 * k) as u32;
                acts.push(Activite::new(jour, "repas", "local").quantite(convives));
            }
            jour = jour.plus(1);
        }
    }
}

// ---------------------------------------------------------------------------
// Self-check: re-reads the CSV text and recomputes every golden figure
// ---------------------------------------------------------------------------

fn controle<T: PartialEq + std::fmt::Debug>(quoi: &str, obtenu: T, attendu: T) {
    if obtenu != attendu {
        panic!("auto-contrôle échoué : {quoi} : obtenu {obtenu:?}, attendu {attendu:?}");
    }
}

fn exiger(condition: bool, quoi: &str) {
    if !condition {
        panic!("auto-contrôle échoué : {quoi}");
    }
}

/// Splits a CSV text into rows of fields after checking the header and the line format.
fn decouper<'a>(texte: &'a str, fichier: &str, entete: &str) -> Vec<Vec<&'a str>> {
    exiger(
        !texte.starts_with('\u{feff}'),
        &format!("{fichier} commence par un BOM"),
    );
    exiger(
        !texte.contains('\r'),
        &format!("{fichier} contient un retour chariot"),
    );
    exiger(
        !texte.contains('"'),
        &format!("{fichier} contient un guillemet"),
    );
    exiger(
        texte.ends_with('\n'),
        &format!("{fichier} ne finit pas par un saut de ligne"),
    );
    let mut lignes = texte[..texte.len() - 1].split('\n');
    controle(&format!("{fichier} : en-tête"), lignes.next(), Some(entete));
    let colonnes = entete.split(';').count();
    lignes
        .enumerate()
        .map(|(i, ligne)| {
            let champs: Vec<&str> = ligne.split(';').collect();
            exiger(
                champs.len() == colonnes,
                &format!(
                    "{fichier}, ligne {} : {} champs au lieu de {colonnes}",
                    i + 2,
                    champs.len()
                ),
            );
            champs
        })
        .collect()
}

fn lire_date(texte: &str, ou: &str) -> Date {
    Date::analyser(texte)
        .unwrap_or_else(|| panic!("auto-contrôle échoué : {ou} : date invalide « {texte} »"))
}

fn code_personne_valide(code: &str) -> bool {
    code.len() == 8 && code.starts_with("TLS-") && code[4..].bytes().all(|c| c.is_ascii_digit())
}

fn montant_valide(texte: &str) -> bool {
    match texte.split_once(',') {
        Some((euros, cents)) => {
            !euros.is_empty()
                && euros.bytes().all(|c| c.is_ascii_digit())
                && cents.len() == 2
                && cents.bytes().all(|c| c.is_ascii_digit())
                && (10..=300).contains(&euros.parse::<u32>().unwrap_or(0))
        }
        None => false,
    }
}

/// One row of `activites.csv`, as read back.
struct Lue<'a> {
    date: Date,
    action: &'a str,
    programme: &'a str,
    public: &'a str,
    themes: Vec<&'a str>,
    quantite: u32,
}

/// The header of `activites.csv`, with `origine` last if asked for.
fn entete_activites(avec_origine: bool) -> String {
    if avec_origine {
        format!("{ENTETE_ACTIVITES};origine")
    } else {
        ENTETE_ACTIVITES.to_string()
    }
}

fn verifier(activites: &str, suivis: &str, indicateurs: &str, avec_origine: bool) {
    const ACTIONS: [&str; 8] = [
        "tournee",
        "contact",
        "entretien",
        "kit",
        "accompagnement",
        "aide",
        "repas",
        "depistage",
    ];
    const PROGRAMMES: [&str; 7] = ["rue", "net", "local", "droits", "logement", "sante", "avq"];
    const PUBLICS: [&str; 3] = ["femme", "trans", "homme"];
    const THEMES: [&str; 6] = [
        "vih_ist_drogues",
        "sante",
        "violence",
        "droits_sociaux",
        "logement",
        "travail",
    ];
    const CAT_AIDE: [&str; 3] = ["hebergement", "aide_directe", "tickets_service"];
    const CAT_LOGEMENT: [&str; 5] = ["urgence_115", "siao", "chrs", "act", "halte_sante"];

    // Each person's public, which must never change across rows and files.
    let mut publics: BTreeMap<&str, &str> = BTreeMap::new();
    fn noter_public<'a>(
        publics: &mut BTreeMap<&'a str, &'a str>,
        personne: &'a str,
        public: &'a str,
        ou: &str,
    ) {
        let connu = *publics.entry(personne).or_insert(public);
        exiger(
            connu == public,
            &format!("{ou} : {personne} est « {public} » mais ailleurs « {connu} »"),
        );
    }

    // --- activites.csv: format contract --------------------------------------
    let mut lues: Vec<Lue> = Vec::new();
    let mut precedente = Date(i64::MIN);
    let mut origines: BTreeMap<&str, &str> = BTreeMap::new();
    let entete = entete_activites(avec_origine);
    for (i, c) in decouper(activites, "activites.csv", &entete)
        .into_iter()
        .enumerate()
    {
        let ou = format!("activites.csv, ligne {}", i + 2);
        let date = lire_date(c[0], &ou);
        exiger(
            date >= precedente,
            &format!("{ou} : lignes non triées par date"),
        );
        precedente = date;
        let (action, programme, public, personne) = (c[1], c[2], c[3], c[4]);
        let origine = c.get(9).copied().unwrap_or_default();
        exiger(
            if !avec_origine || personne.is_empty() {
                origine.is_empty()
            } else {
                ORIGINES.iter().any(|(o, _)| *o == origine)
                    && *origines.entry(personne).or_insert(origine) == origine
            },
            &format!("{ou} : origine « {origine} » de « {personne} »"),
        );
        exiger(
            ACTIONS.contains(&action),
            &format!("{ou} : action « {action} »"),
        );
        exiger(
            PROGRAMMES.contains(&programme),
            &format!("{ou} : programme « {programme} »"),
        );
        let anonyme = matches!(action, "tournee" | "repas");
        exiger(
            if anonyme {
                public.is_empty()
            } else {
                PUBLICS.contains(&public)
            },
            &format!("{ou} : public « {public} »"),
        );
        let sans_personne = matches!(action, "tournee" | "repas" | "contact");
        exiger(
            if sans_personne {
                personne.is_empty()
            } else {
                code_personne_valide(personne)
            },
            &format!("{ou} : personne « {personne} »"),
        );
        if !personne.is_empty() {
            noter_public(&mut publics, personne, public, &ou);
        }
        let themes: Vec<&str> = if c[5].is_empty() {
            Vec::new()
        } else {
            c[5].split('|').collect()
        };
        exiger(
            action == "entretien" || themes.is_empty(),
            &format!("{ou} : thèmes hors entretien"),
        );
        exiger(
            themes.iter().all(|t| THEMES.contains(t)),
            &format!("{ou} : thèmes « {} »", c[5]),
        );
        exiger(
            themes.iter().collect::<BTreeSet<_>>().len() == themes.len(),
            &format!("{ou} : thème répété"),
        );
        let quantite = if matches!(action, "contact" | "kit" | "repas") {
            let q: u32 = c[6].parse().unwrap_or(0);
            exiger(
                q >= 1 && c[6] == q.to_string(),
                &format!("{ou} : quantité « {} »", c[6]),
            );
            q
        } else {
            exiger(
                c[6].is_empty(),
                &format!("{ou} : quantité inattendue « {} »", c[6]),
            );
            1
        };
        let categorie_ok = match (action, programme) {
            ("aide", _) => CAT_AIDE.contains(&c[7]),
            ("accompagnement", "logement") => CAT_LOGEMENT.contains(&c[7]),
            _ => c[7].is_empty(),
        };
        exiger(categorie_ok, &format!("{ou} : catégorie « {} »", c[7]));
        exiger(
            if action == "aide" {
                montant_valide(c[8])
            } else {
                c[8].is_empty()
            },
            &format!("{ou} : montant « {} »", c[8]),
        );
        if action == "repas" {
            exiger(
                programme == "local" && date.est_jeudi(),
                &format!("{ou} : repas hors jeudi ou hors local"),
            );
        }
        lues.push(Lue {
            date,
            action,
            programme,
            public,
            themes,
            quantite,
        });
    }
    for annee in [2011, 2012, 2013] {
        let repas = lues
            .iter()
            .filter(|l| l.action == "repas" && l.date.annee() == annee);
        let jours: BTreeSet<i64> = repas.clone().map(|l| l.date.0).collect();
        let jeudis = (debut_annee(annee).0..=fin_annee(annee).0)
            .filter(|&j| Date(j).est_jeudi())
            .count();
        controle(
            &format!("repas {annee} : un par jeudi"),
            (repas.count(), jours.len()),
            (jeudis, jeudis),
        );
    }

    // --- activites.csv: golden figures ----------------------------------------
    let net13 = |l: &&Lue| l.programme == "net" && l.date.annee() == 2013;
    controle(
        "net 2013, lignes tournee",
        lues.iter()
            .filter(net13)
            .filter(|l| l.action == "tournee")
            .count(),
        34,
    );
    for (public, attendu) in [("femme", 716), ("trans", 128), ("homme", 823)] {
        let somme: u32 = lues
            .iter()
            .filter(net13)
            .filter(|l| l.action == "contact" && l.public == public)
            .map(|l| l.quantite)
            .sum();
        controle(&format!("net 2013, contacts {public}"), somme, attendu);
    }
    let entretiens_ft: Vec<&Lue> = lues
        .iter()
        .filter(net13)
        .filter(|l| l.action == "entretien" && (l.public == "femme" || l.public == "trans"))
        .collect();
    let entretiens_h: Vec<&Lue> = lues
        .iter()
        .filter(net13)
        .filter(|l| l.action == "entretien" && l.public == "homme")
        .collect();
    controle("net 2013, entretiens femme+trans", entretiens_ft.len(), 32);
    controle("net 2013, entretiens homme", entretiens_h.len(), 126);
    let themes_attendus = [
        (
            &entretiens_ft,
            "femme+trans",
            [
                ("vih_ist_drogues", 10),
                ("sante", 20),
                ("violence", 21),
                ("droits_sociaux", 15),
            ],
        ),
        (
            &entretiens_h,
            "homme",
            [
                ("vih_ist_drogues", 121),
                ("sante", 4),
                ("violence", 12),
                ("droits_sociaux", 20),
            ],
        ),
    ];
    for (lignes, nom, quotas) in themes_attendus {
        for (theme, attendu) in quotas {
            let n = lignes.iter().filter(|l| l.themes.contains(&theme)).count();
            controle(
                &format!("net 2013, entretiens {nom} avec le thème {theme}"),
                n,
                attendu,
            );
        }
    }
    let kits = |publics: &[&str]| -> u32 {
        lues.iter()
            .filter(net13)
            .filter(|l| l.action == "kit" && publics.contains(&l.public))
            .map(|l| l.quantite)
            .sum()
    };
    controle("net 2013, kits femme+trans", kits(&["femme", "trans"]), 16);
    controle("net 2013, kits homme", kits(&["homme"]), 19);
    for (annee, attendu) in [(2011, 87), (2012, 119), (2013, 223)] {
        let n = lues
            .iter()
            .filter(|l| {
                l.programme == "droits" && l.action == "entretien" && l.date.annee() == annee
            })
            .count();
        controle(&format!("droits {annee}, lignes entretien"), n, attendu);
    }

    // --- suivis.csv -----------------------------------------------------------
    struct Cas<'a> {
        personne: &'a str,
        programme: &'a str,
        type_: &'a str,
        ouverture: Date,
        cloture: Option<Date>,
    }
    let mut cas: Vec<Cas> = Vec::new();
    let mut precedente = Date(i64::MIN);
    for (i, c) in decouper(suivis, "suivis.csv", ENTETE_SUIVIS)
        .into_iter()
        .enumerate()
    {
        let ou = format!("suivis.csv, ligne {}", i + 2);
        exiger(
            code_personne_valide(c[0]),
            &format!("{ou} : personne « {} »", c[0]),
        );
        exiger(
            PUBLICS.contains(&c[1]),
            &format!("{ou} : public « {} »", c[1]),
        );
        noter_public(&mut publics, c[0], c[1], &ou);
        let programme_attendu = match c[3] {
            "regularisation_travail" | "vie_privee_familiale" | "l316_1" | "asile" | "recours" => {
                "droits"
            }
            "logement" => "logement",
            "accompagnement_net" => "net",
            "sante" => "sante",
            autre => panic!("auto-contrôle échoué : {ou} : type « {autre} »"),
        };
        controle(
            &format!("{ou} : programme du type {}", c[3]),
            c[2],
            programme_attendu,
        );
        let ouverture = lire_date(c[4], &ou);
        let cloture = (!c[5].is_empty()).then(|| lire_date(c[5], &ou));
        exiger(
            ouverture >= d(2009, 1, 1) && ouverture <= d(2013, 12, 31),
            &format!("{ou} : ouverture hors 2009–2013"),
        );
        exiger(
            cloture.is_none_or(|f| f >= ouverture && f <= d(2013, 12, 31)),
            &format!("{ou} : clôture incohérente"),
        );
        exiger(
            ouverture >= precedente,
            &format!("{ou} : lignes non triées par ouverture"),
        );
        precedente = ouverture;
        cas.push(Cas {
            personne: c[0],
            programme: c[2],
            type_: c[3],
            ouverture,
            cloture,
        });
    }
    let ouvert_en = |c: &Cas, annee: i32| {
        c.ouverture <= d(annee, 12, 31) && c.cloture.is_none_or(|f| f >= d(annee, 1, 1))
    };

    let net: Vec<&Cas> = cas.iter().filter(|c| c.programme == "net").collect();
    let net_2013: Vec<&&Cas> = net.iter().filter(|c| ouvert_en(c, 2013)).collect();
    let personnes_net: BTreeSet<&str> = net_2013.iter().map(|c| c.personne).collect();
    controle(
        "suivis net ouverts en 2013, personnes distinctes",
        personnes_net.len(),
        12,
    );
    // Shape guarantees that make the figure above non-trivial.
    controle("suivis net ouverts en 2013, lignes", net_2013.len(), 13);
    exiger(
        net.iter().any(|c| c.cloture == Some(d(2013, 1, 1))),
        "aucun suivi net clos le 01/01/2013",
    );
    exiger(
        net.iter().any(|c| c.cloture == Some(d(2012, 12, 31))),
        "aucun suivi net clos le 31/12/2012",
    );
    exiger(
        net.iter().any(|c| c.ouverture == d(2013, 12, 31)),
        "aucun suivi net ouvert le 31/12/2013",
    );

    let sejour: Vec<&Cas> = cas
        .iter()
        .filter(|c| {
            matches!(
                c.type_,
                "regularisation_travail" | "vie_privee_familiale" | "l316_1"
            )
        })
        .collect();
    for (annee, attendu) in [(2011, 31), (2012, 38), (2013, 36)] {
        controle(
            &format!("suivis de séjour ouverts en {annee}"),
            sejour.iter().filter(|c| ouvert_en(c, annee)).count(),
            attendu,
        );
    }
    exiger(
        sejour.iter().any(|c| c.ouverture == d(2012, 12, 31)),
        "aucun suivi de séjour ouvert le 31/12/2012",
    );
    exiger(
        sejour.iter().any(|c| c.cloture == Some(d(2012, 1, 1))),
        "aucun suivi de séjour clos le 01/01/2012",
    );
    for (annee, attendu) in [(2011, 4), (2012, 5), (2013, 11)] {
        let n = cas
            .iter()
            .filter(|c| matches!(c.type_, "asile" | "recours") && c.ouverture.annee() == annee)
            .count();
        controle(
            &format!("suivis asile/recours ouverts en {annee}"),
            n,
            attendu,
        );
    }

    // --- indicateurs.csv ------------------------------------------------------
    let mut valeurs: BTreeMap<(i32, &str), u32> = BTreeMap::new();
    for (i, c) in decouper(indicateurs, "indicateurs.csv", ENTETE_INDICATEURS)
        .into_iter()
        .enumerate()
    {
        let ou = format!("indicateurs.csv, ligne {}", i + 2);
        let annee: i32 = c[0]
            .parse()
            .unwrap_or_else(|_| panic!("auto-contrôle échoué : {ou} : année « {} »", c[0]));
        let valeur: u32 = c[2]
            .parse()
            .unwrap_or_else(|_| panic!("auto-contrôle échoué : {ou} : valeur « {} »", c[2]));
        exiger(
            valeurs.insert((annee, c[1]), valeur).is_none(),
            &format!("{ou} : indicateur en double"),
        );
    }
    let attendus: BTreeMap<(i32, &str), u32> = [
        ((2011, "visites_site"), 6512),
        ((2012, "visites_site"), 8225),
        ((2013, "visites_site"), 16119),
        ((2011, "rencontres_reelles_net"), 6),
        ((2012, "rencontres_reelles_net"), 8),
        ((2013, "rencontres_reelles_net"), 11),
        ((2011, "associations_reseau"), 4),
        ((2012, "associations_reseau"), 5),
        ((2013, "associations_reseau"), 6),
    ]
    .into_iter()
    .collect();
    controle("indicateurs.csv", valeurs, attendus);
}
