//! One export file checked and typed in one pass: the columns to read (the
//! contract's, then the model's), the personal data guard, the records by
//! batches (a large file in two halves, one per core), the controls of
//! `rapport check`, and the typed table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use super::chevauchements;
use super::colonnes::{self, ColonneLue, Contient, Typage};
use super::contrat::{self, Genre};
use super::controles::{Controles, Personnes};
use super::lecture::{Coupe, Lecteur, Rapporteur};
use super::lots::{self, Enregistrement};
use super::personnel::Garde;
use super::signaleur::{Erreurs, Signaleur};
use super::{EtatSource, Fichier, Options, Source};
use crate::error::Probleme;

/// A column to read: its name, its kind, its position in the file if there.
type Spec = (String, Genre, Option<usize>);

/// How the rows of one file are read: by one reader (which parses on one
/// thread while the rows are checked on another), or in two halves, each
/// read and checked on a core of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Partage {
    Seul,
    EnDeux,
}

/// Files from this size on are read in two halves: below, the second
/// thread and the joining of the columns cost more than they save.
const EN_DEUX_DES: u64 = 1 << 20;

impl Partage {
    /// In two halves a file of at least [`EN_DEUX_DES`] bytes, on two cores
    /// or more, when building: the controls of `rapport check` follow the
    /// rows in order.
    pub(super) fn pour(lecteur: &Lecteur, options: &Options) -> Partage {
        let coeurs = std::thread::available_parallelism().map_or(1, |n| n.get());
        if options.controles.is_none() && coeurs >= 2 && lecteur.taille >= EN_DEUX_DES {
            Partage::EnDeux
        } else {
            Partage::Seul
        }
    }
}

/// What every reader of one file starts from.
struct Gabarit<'a> {
    specs: Vec<Spec>,
    contient: &'a BTreeSet<(String, String)>,
    /// Rows reserved per column.
    capacite: usize,
    /// Dates kept for the controls of `check`.
    copie: bool,
    affiche: &'a Path,
    options: &'a Options<'a>,
}

impl<'a> Gabarit<'a> {
    /// A reader's share of the work on the file `lecteur` reads: its
    /// columns empty, their dictionaries too, the guard `garde` as set.
    fn fil<'r>(
        &self,
        lecteur: &Lecteur,
        garde: &Garde,
        recoupement: Option<&'r chevauchements::Recoupement>,
    ) -> Fil<'a, 'r> {
        Fil {
            colonnes: self
                .specs
                .iter()
                .cloned()
                .map(|s| ColonneLue::new(s, &lecteur.entetes_bruts, self.capacite, self.copie))
                .collect(),
            tests: Contient::pour(self.contient, lecteur, self.capacite),
            typage: Typage {
                affiche: self.affiche,
                courtes: self.options.reglages.dates_courtes,
                vocabulaire: self.options.vocabulaire,
                annees: BTreeSet::new(),
                garde: garde.part(),
                controles: None,
            },
            recoupement: recoupement.map(|r| r.part()),
            erreurs: Erreurs::default(),
        }
    }
}

/// One reader's share of the work on a file: its columns, its tests, its
/// typing, its rows for the overlaps between files, its errors (kept apart
/// when the file is read in two halves).
struct Fil<'a, 'r> {
    colonnes: Vec<ColonneLue>,
    tests: BTreeMap<String, Contient>,
    typage: Typage<'a>,
    recoupement: Option<chevauchements::Part<'r>>,
    erreurs: Erreurs,
}

impl Fil<'_, '_> {
    /// Makes ready to check the rows `lot`, given next one by one to
    /// [`Fil::lire`].
    fn preparer(&mut self, lot: &[Enregistrement]) {
        for c in self.colonnes.iter_mut() {
            c.preparer(lot);
        }
    }

    /// Checks and types the row `e`, the row `rang` of the batch last made
    /// ready, reporting its problems to `f`.
    fn lire(&mut self, e: &Enregistrement, rang: usize, f: &mut dyn Rapporteur) {
        for c in self.colonnes.iter_mut() {
            c.lire(e, rang, &mut self.typage, f);
        }
        for test in self.tests.values_mut() {
            test.lire(e);
        }
        self.typage.garde.lire(e);
        if let Some(r) = &mut self.recoupement {
            r.lire(e);
        }
    }

    /// Checks and types the rows `lot`, keeping their problems.
    fn lire_en_tampon(&mut self, lot: &[Enregistrement]) {
        let mut erreurs = std::mem::take(&mut self.erreurs);
        self.preparer(lot);
        for (rang, e) in lot.iter().enumerate() {
            self.lire(e, rang, &mut erreurs);
        }
        self.erreurs = erreurs;
    }
}

/// A file read: the readers' shares in the file's order, its rows, what
/// the reading itself stopped at or skipped.
struct Lu<'a, 'r> {
    parts: Vec<Fil<'a, 'r>>,
    lignes: usize,
    erreurs_lecture: Vec<Probleme>,
}

/// The file `lecteur` reads, by one reader: parsed on one thread, checked
/// on this one, its problems straight to `f` in order with those of the
/// controls of `check`.
fn lire_seul<'a, 'r>(
    lecteur: &mut Lecteur,
    mut fil: Fil<'a, 'r>,
    barre: Option<(&indicatif::ProgressBar, u64)>,
    options: &Options,
    f: &mut Signaleur,
) -> Lu<'a, 'r> {
    let mut erreurs_lecture = Vec::new();
    let n = lots::par_lots(lecteur, barre, options.suivi, &mut erreurs_lecture, |lot| {
        fil.preparer(lot);
        for (rang, e) in lot.iter().enumerate() {
            fil.lire(e, rang, f);
            if let Some(c) = &mut fil.typage.controles {
                c.controler_ligne(e, f);
            }
        }
    });
    Lu {
        parts: vec![fil],
        lignes: n,
        erreurs_lecture,
    }
}

/// The file `lecteur` reads, in two halves if it can be cut (see
/// [`Coupe::suite`]): the first read and checked here by `lecteur` and
/// `premier`, the second on another thread by a reader of its own and
/// `second`, each keeping its problems. When the file cannot be cut,
/// `lecteur` reads it whole. `Err` when the halves would not give what one
/// reader gives: the first half ended inside quotes or on another line
/// than the cut's (quotes inside unquoted cells fool their count), or a
/// cell was too long (the message about them counts the whole file). The
/// file must then be read again by one reader.
fn lire_en_deux<'a, 'r>(
    lecteur: &mut Lecteur,
    coupe: Coupe,
    [mut premier, mut second]: [Fil<'a, 'r>; 2],
    barre: Option<&indicatif::ProgressBar>,
    options: &Options,
) -> Result<Lu<'a, 'r>, ()> {
    let suivi = options.suivi;
    let (mut erreurs, mut erreurs_second) = (Vec::new(), Vec::new());
    let (n, suite) = std::thread::scope(|portee| {
        let (fil, erreurs_second) = (&mut second, &mut erreurs_second);
        let suite = portee.spawn(move || {
            let (mut lecteur, lignes) = coupe.suite()?;
            let n = lots::ici(&mut lecteur, barre, suivi, erreurs_second, |lot| {
                fil.lire_en_tampon(lot)
            });
            Some((n, lignes, lecteur.fin()))
        });
        let n = lots::ici(lecteur, barre, suivi, &mut erreurs, |lot| {
            premier.lire_en_tampon(lot)
        });
        let suite = suite
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (n, suite)
    });
    let fin = lecteur.fin();
    let Some((n_second, lignes, fin_second)) = suite.filter(|_| !fin.arrete) else {
        // Not cut, or the first half stopped on an error, as one reader
        // would: nothing of the second.
        return Ok(Lu {
            parts: vec![premier],
            lignes: n,
            erreurs_lecture: erreurs,
        });
    };
    if fin.ouverte || fin.lignes != lignes || fin.trop_longues > 0 || fin_second.trop_longues > 0 {
        return Err(());
    }
    erreurs.extend(erreurs_second);
    Ok(Lu {
        parts: vec![premier, second],
        lignes: n + n_second,
        erreurs_lecture: erreurs,
    })
}

/// The typed columns from the readers' shares, in the file's order, then
/// the tests' columns; the dictionaries and memos go to `etat` for the
/// source's next file.
fn joindre_colonnes(
    colonnes: Vec<Vec<ColonneLue>>,
    tests: Vec<BTreeMap<String, Contient>>,
    etat: &mut EtatSource,
) -> PolarsResult<Vec<Column>> {
    let mut typees = Vec::new();
    // Column by column: only one column's shares and its join at a time.
    let mut parts: Vec<_> = colonnes.into_iter().map(Vec::into_iter).collect();
    while let Some(une) = parts
        .iter_mut()
        .map(Iterator::next)
        .collect::<Option<Vec<_>>>()
    {
        typees.push(ColonneLue::joindre(une, etat)?);
    }
    let mut tests: Vec<_> = tests
        .into_iter()
        .map(|t| t.into_values().flat_map(Contient::finir))
        .collect();
    while let Some(une) = tests
        .iter_mut()
        .map(Iterator::next)
        .collect::<Option<Vec<_>>>()
    {
        typees.push(colonnes::bout_a_bout(&une)?);
    }
    Ok(typees)
}

/// Checks and converts the records of one export to a typed table, in one
/// pass, reporting every problem to `f`; read as `partage` says (by default
/// as [`Partage::pour`] says). `None` when the file lacks a required column.
// What one file's reading needs and where its findings go: grouping them
// would only name the group.
#[allow(clippy::too_many_arguments)]
pub(super) fn typer(
    source: Source,
    mut lecteur: Lecteur,
    options: &Options,
    f: &mut Signaleur,
    personnes: &mut Personnes,
    etat: &mut EtatSource,
    barre: Option<(&indicatif::ProgressBar, u64)>,
    partage: Option<Partage>,
) -> Option<(DataFrame, Fichier)> {
    let sans_contient = BTreeSet::new();
    let contient = options
        .besoins
        .contient
        .get(&source)
        .unwrap_or(&sans_contient);
    let affiche = lecteur.affiche.clone();
    let mut garde = Garde::new(source, &lecteur, f);
    let specs = a_lire(source, &lecteur, options, f)?;
    // Columns the file lacks: their cells read as empty, and the figures that
    // need them are "not available" for the years this file covers.
    let manquantes: BTreeSet<String> = specs
        .iter()
        .filter(|s| s.2.is_none())
        .map(|s| s.0.clone())
        .chain(
            contient
                .iter()
                .filter(|(c, _)| lecteur.colonne(c).is_none())
                .map(|(c, _)| c.clone()),
        )
        .collect();
    // Headers that name nothing read: where a missing column may be.
    let inconnues: Vec<String> = lecteur
        .entetes
        .iter()
        .zip(&lecteur.entetes_bruts)
        .zip(&lecteur.ignorees)
        .filter(|((nom, brut), ignoree)| {
            !**ignoree
                && !brut.trim().is_empty()
                && !specs.iter().any(|s| &s.0 == *nom)
                && !contient.iter().any(|(c, _)| c == *nom)
        })
        .map(|((_, brut), _)| brut.trim().to_string())
        .collect();
    let lues: BTreeSet<usize> = specs.iter().filter_map(|s| s.2).collect();
    garde.garder_aussi(&lecteur, &lues);
    let partage = partage.unwrap_or_else(|| Partage::pour(&lecteur, options));
    let gabarit = Gabarit {
        specs,
        contient,
        // Room for as many rows as the file can hold (at least 16 bytes a
        // row): reserved, not touched, so it costs no memory until filled.
        capacite: (lecteur.taille / 16).clamp(1024, 200_000_000) as usize,
        copie: options.controles.is_some() && source == Source::Suivis,
        affiche: &affiche,
        options,
    };
    if let Some(r) = &mut etat.recoupement {
        r.commencer(&lecteur);
    }

    let coupe = (partage == Partage::EnDeux && options.controles.is_none())
        .then(|| lecteur.coupe())
        .flatten();
    let en_deux = coupe.map(|coupe| {
        let fils = [(); 2].map(|_| gabarit.fil(&lecteur, &garde, etat.recoupement.as_ref()));
        lire_en_deux(&mut lecteur, coupe, fils, barre.map(|b| b.0), options)
    });
    let lu = match en_deux {
        Some(Ok(lu)) => lu,
        en_deux => {
            if en_deux.is_some() {
                // Read again whole, by one reader: a new one from the start.
                let chemin = lecteur.chemin()?.to_path_buf();
                let mut deja_dits = crate::error::Constats::default();
                lecteur = super::lecture::ouvrir(
                    &chemin,
                    &affiche,
                    source,
                    options.reglages.source(source),
                    &mut deja_dits,
                )?;
            }
            let mut fil = gabarit.fil(&lecteur, &garde, etat.recoupement.as_ref());
            fil.typage.controles = options.controles.as_ref().map(|bornes| {
                Controles::new(
                    source,
                    bornes,
                    &lecteur,
                    options.vocabulaire,
                    personnes,
                    &mut etat.vues,
                    etat.journal_facultatif && super::classeur::est_journal(&lecteur.affiche),
                )
            });
            lire_seul(&mut lecteur, fil, barre, options, f)
        }
    };

    // The readers' findings, joined in the file's order.
    let Lu {
        parts,
        lignes: n,
        erreurs_lecture,
    } = lu;
    let mut annees = BTreeSet::new();
    let mut erreurs = Vec::with_capacity(parts.len());
    let mut recoupements = Vec::new();
    let mut controles = None;
    let mut colonnes: Vec<Vec<ColonneLue>> = Vec::with_capacity(parts.len());
    let mut tests = Vec::with_capacity(parts.len());
    for part in parts {
        annees.extend(part.typage.annees);
        garde.joindre(part.typage.garde);
        erreurs.push(part.erreurs);
        recoupements.extend(part.recoupement.map(|r| r.lue()));
        if part.typage.controles.is_some() {
            controles = part.typage.controles;
        }
        colonnes.push(part.colonnes);
        tests.push(part.tests);
    }
    f.joindre(erreurs);
    for p in erreurs_lecture {
        f.erreur(p);
    }
    garde.signaler(&annees, f);
    if let Some(r) = &mut etat.recoupement {
        r.joindre(recoupements);
        r.finir(affiche.clone());
    }
    if let Some(controles) = controles {
        let dates = |nom: &str| colonnes.first()?.iter().find(|c| c.nom == nom)?.dates();
        controles.controler_fichier(&lecteur, (dates("ouverture"), dates("cloture")), f);
    }

    // The typed columns, and the dictionaries handed on to the next file.
    let typees = match joindre_colonnes(colonnes, tests, etat) {
        Ok(t) => t,
        Err(e) => {
            f.erreur(Probleme::new(&affiche, format!("erreur interne : {e}")));
            return None;
        }
    };
    let fichier = Fichier {
        nom: affiche.clone(),
        annees,
        manquantes,
        inconnues,
    };
    if f.a_des_erreurs() {
        return Some((DataFrame::empty(), fichier));
    }
    match DataFrame::new(n, typees) {
        Ok(t) => Some((t, fichier)),
        Err(e) => {
            f.erreur(Probleme::new(&affiche, format!("erreur interne : {e}")));
            None
        }
    }
}

/// The columns to read: the contract's, then the model's. `None`, with an
/// error for each, when the file lacks a column the contract requires.
fn a_lire(
    source: Source,
    lecteur: &Lecteur,
    options: &Options,
    f: &mut Signaleur,
) -> Option<Vec<Spec>> {
    let mut specs: Vec<Spec> = Vec::new();
    let mut complet = true;
    for &contrat::ColonneDuContrat {
        nom,
        genre,
        obligatoire,
        ..
    } in source.colonnes()
    {
        let index = lecteur.colonne(nom);
        if index.is_none() && obligatoire {
            complet = false;
            f.erreur(
                Probleme::new(&lecteur.affiche, format!("la colonne « {nom} » manque"))
                    .ligne(lecteur.ligne_entete)
                    .attendu(format!(
                        "les colonnes {}",
                        source
                            .colonnes()
                            .iter()
                            .filter(|c| c.obligatoire)
                            .map(|c| format!("« {} »", c.nom))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .correction(format!(
                        "ajoutez la colonne « {nom} » dans la ligne d'en-tête, ou, si elle porte un autre nom, déclarez-le : [exports.{}] colonnes = {{ \"Nom dans le fichier\" = \"{nom}\" }} (colonnes trouvées : {})",
                        source.nom(),
                        lecteur.entetes_bruts.join(", ")
                    )),
            );
        }
        specs.push((nom.to_string(), genre, index));
    }
    if !complet {
        return None;
    }
    let vides = BTreeSet::new();
    let colonnes = options.besoins.colonnes.get(&source).unwrap_or(&vides);
    let numeriques = options.besoins.numeriques.get(&source).unwrap_or(&vides);
    for nom in colonnes.iter().chain(numeriques) {
        if specs.iter().any(|s| &s.0 == nom) {
            continue;
        }
        let genre = if numeriques.contains(nom) {
            Genre::Nombre { requis: false }
        } else {
            Genre::Texte { requis: false }
        };
        specs.push((nom.clone(), genre, lecteur.colonne(nom)));
    }
    Some(specs)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::error::Constats;
    use crate::exports::{Exports, lire_partage};

    /// The sample project with its activities split into one file a year
    /// (the dictionaries then go from file to file, and each file's rows
    /// are compared with the earlier files'), each year's rows five times,
    /// a remark column only the personal data guard reads, and `changer`
    /// applied to each line of activities (its number in the sample's file,
    /// its text).
    fn projet(changer: impl Fn(usize, &str) -> String) -> tempfile::TempDir {
        let echantillon = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
        let dir = tempfile::tempdir().unwrap();
        copier(&echantillon, dir.path());
        let donnees = dir.path().join("donnees");
        std::fs::remove_file(donnees.join("activites.csv")).unwrap();
        let activites = std::fs::read_to_string(echantillon.join("donnees/activites.csv")).unwrap();
        let mut lignes = activites.lines().enumerate();
        let (_, entete) = lignes.next().unwrap();
        let mut par_annee: BTreeMap<String, String> = BTreeMap::new();
        for (i, ligne) in lignes {
            let annee = ligne.split(';').next().unwrap()[6..].to_string();
            let remarque = if i % 3 == 0 { "RAS" } else { "" };
            let texte = par_annee
                .entry(annee)
                .or_insert_with(|| format!("{entete};remarque\n"));
            texte.push_str(&changer(i + 1, &format!("{ligne};{remarque}")));
            texte.push('\n');
        }
        assert_eq!(par_annee.len(), 3);
        // Each year's rows five times: files large enough to be cut past
        // what opening them reads (the first 64 Kio, and the reader's buffer).
        for (annee, texte) in par_annee {
            let (entete, lignes) = texte.split_once('\n').unwrap();
            let texte = format!("{entete}\n{}", lignes.repeat(5));
            std::fs::write(donnees.join(format!("activites-{annee}.csv")), texte).unwrap();
        }
        dir
    }

    /// Copies the folder `de` into `vers`, whole.
    fn copier(de: &Path, vers: &Path) {
        for entree in std::fs::read_dir(de).unwrap() {
            let entree = entree.unwrap();
            let cible = vers.join(entree.file_name());
            if entree.file_type().unwrap().is_dir() {
                std::fs::create_dir(&cible).unwrap();
                copier(&entree.path(), &cible);
            } else {
                std::fs::copy(entree.path(), cible).unwrap();
            }
        }
    }

    /// The exports of `projet` and every problem found, each file read as
    /// `partage` says.
    fn lire(projet: &Path, partage: Partage) -> (Exports, Constats) {
        avec_options(projet, |_, options| {
            let mut constats = Constats::default();
            let exports = lire_partage(
                &projet.join("donnees"),
                Path::new("donnees"),
                options,
                &mut constats,
                Some(partage),
            );
            (exports, constats)
        })
    }

    /// What `f` gives with the model of `projet` and the options of a build.
    fn avec_options<T>(projet: &Path, f: impl FnOnce(&crate::model::Modele, &Options) -> T) -> T {
        let suivi = crate::suivi::Suivi::new(true);
        let modele = crate::model::Modele::lire(projet, &suivi).unwrap();
        let besoins = modele.besoins();
        let vocabulaire = crate::exports::Vocabulaire::new(&modele.vocabulaire);
        let options = crate::exports::Options {
            besoins: &besoins,
            reglages: &modele.exports,
            vocabulaire: &vocabulaire,
            controles: None,
            suivi: &suivi,
            cache: None,
        };
        f(&modele, &options)
    }

    /// Each table with its codes replaced by the values they stand for, and
    /// the files read: what reading gives, whatever the codes.
    fn en_clair(exports: &Exports) -> Vec<(Source, DataFrame, String)> {
        exports
            .tables
            .iter()
            .map(|(source, table)| {
                let colonnes = table
                    .columns()
                    .iter()
                    .map(|c| match exports.valeurs(*source, c.name()) {
                        Some(valeurs) => c
                            .u32()
                            .unwrap()
                            .iter()
                            .map(|k| k.map(|k| valeurs[k as usize].clone()))
                            .collect::<StringChunked>()
                            .with_name(c.name().clone())
                            .into_column(),
                        None => c.clone(),
                    })
                    .collect();
                let fichiers = format!("{:?}", exports.fichiers[source]);
                (
                    *source,
                    DataFrame::new(table.height(), colonnes).unwrap(),
                    fichiers,
                )
            })
            .collect()
    }

    /// Reading `projet` in two halves gives what one reader gives: the
    /// same problems, and the same tables, values and years.
    fn comme_un_seul(projet: &Path) -> Constats {
        let (seul, constats) = lire(projet, Partage::Seul);
        let (en_deux, constats_en_deux) = lire(projet, Partage::EnDeux);
        assert_eq!(constats_en_deux, constats);
        let (attendu, obtenu) = (en_clair(&seul), en_clair(&en_deux));
        assert_eq!(attendu.len(), obtenu.len());
        for ((s, a, fa), (t, b, fb)) in attendu.iter().zip(&obtenu) {
            assert_eq!((s, fa), (t, fb));
            assert!(a.equals_missing(b), "{s:?}:\n{a}\n{b}");
        }
        for (source, dictionnaires) in &seul.dictionnaires {
            for (colonne, d) in dictionnaires {
                let mut a = d.valeurs.clone();
                let mut b = en_deux.valeurs(*source, colonne).unwrap().to_vec();
                a.sort();
                b.sort();
                assert_eq!(a, b, "{source:?} {colonne}");
            }
        }
        constats
    }

    #[test]
    fn a_build_reads_an_export_of_a_mebibyte_in_two_halves_and_one_a_byte_smaller_with_one_reader()
    {
        let echantillon = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
        avec_options(&echantillon, |modele, options| {
            let dir = tempfile::tempdir().unwrap();
            // The sample's header and first row, the row repeated to each size.
            let texte = std::fs::read_to_string(echantillon.join("donnees/activites.csv")).unwrap();
            let mut lignes = texte.lines();
            let (entete, ligne) = (lignes.next().unwrap(), lignes.next().unwrap());
            let partage = |taille: u64| {
                let mut octets = format!("{entete}\n").into_bytes();
                while (octets.len() as u64) < taille {
                    octets.extend_from_slice(ligne.as_bytes());
                    octets.push(b'\n');
                }
                octets.truncate(taille as usize - 1);
                octets.push(b'\n');
                let chemin = dir.path().join("activites.csv");
                std::fs::write(&chemin, &octets).unwrap();
                let mut constats = Constats::default();
                let lecteur = super::super::lecture::ouvrir(
                    &chemin,
                    Path::new("donnees/activites.csv"),
                    Source::Activites,
                    modele.exports.source(Source::Activites),
                    &mut constats,
                )
                .unwrap();
                assert_eq!(lecteur.taille, taille);
                Partage::pour(&lecteur, options)
            };
            let deux_coeurs = std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2;
            let attendu = if deux_coeurs {
                Partage::EnDeux
            } else {
                Partage::Seul
            };
            assert_eq!(partage(1 << 20), attendu);
            assert_eq!(partage(8 << 20), attendu);
            assert_eq!(partage((1 << 20) - 1), Partage::Seul);
        });
    }

    #[test]
    fn files_read_in_two_halves_give_the_tables_values_and_years_one_reader_gives() {
        let dir = projet(|_, ligne| ligne.to_string());
        let constats = comme_un_seul(dir.path());
        assert_eq!(constats.erreurs(), 0, "{constats:?}");
        let (exports, _) = lire(dir.path(), Partage::EnDeux);
        let lignes: usize = exports.tables.values().map(DataFrame::height).sum();
        assert_eq!(lignes, 5 * 5385 + 244 + 9);
    }

    #[test]
    fn errors_found_in_two_halves_are_told_in_the_files_order_and_counted_as_by_one_reader() {
        let echantillon = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/donnees/activites.csv"),
        )
        .unwrap();
        let echantillon: Vec<&str> = echantillon.lines().collect();
        let dir = projet(|n, ligne| {
            // Two rows of 2012, one of them anonymous, again in the file of 2013.
            if n == 4500 || n == 4600 {
                let i = n - 1500 - 1;
                let remarque = if i % 3 == 0 { "RAS" } else { "" };
                return format!("{ligne}\n{};{remarque}", echantillon[i]);
            }
            let mut cellules: Vec<String> = ligne.split(';').map(String::from).collect();
            match n {
                // In the last file, far more errors than are told in detail.
                _ if n > 3700 && n % 41 == 0 => cellules[0] = "31/02/2013".into(),
                _ if n % 1000 == 7 => cellules[3] = "martien".into(),
                2222 => cellules[6] = "-2".into(),
                // A code that looks like an e-mail address, in every file;
                // a remark that is a phone number.
                _ if n % 1200 == 5 => cellules[4] = "marie.dupont@example.org".into(),
                _ if n % 700 == 11 => cellules[10] = "06 12 34 56 78".into(),
                // A row with one field too many.
                1234 | 4321 => cellules.push("x".into()),
                _ => {}
            }
            cellules.join(";")
        });
        let attendu = comme_un_seul(dir.path());
        let texte = format!("{attendu:?}");
        for quoi in [
            "31/02/2013",
            "martien",
            "n'est pas une quantité valide",
            "une adresse e-mail",
            "un numéro de téléphone",
            "champs alors que",
            "autres erreurs dans ce fichier, non détaillées",
            "ont des lignes identiques : 10 lignes identiques, la première à la ligne",
        ] {
            assert!(texte.contains(quoi), "{quoi} : {attendu:#?}");
        }
        // The code is in each file, the earlier files' dictionaries too.
        for annee in [2011, 2012] {
            let fichier = Path::new("donnees").join(format!("activites-{annee}.csv"));
            assert!(
                attendu.liste.iter().any(|c| c.probleme.fichier == fichier
                    && c.probleme
                        .message
                        .contains("ressemble à une adresse e-mail")),
                "{annee}"
            );
        }
    }

    /// The sample project with one file of activities written by `ecrire`
    /// from the sample's rows, each five times.
    fn projet_d_un_fichier(ecrire: impl Fn(&[&str]) -> Vec<u8>) -> tempfile::TempDir {
        let echantillon = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
        let dir = tempfile::tempdir().unwrap();
        copier(&echantillon, dir.path());
        let activites = std::fs::read_to_string(echantillon.join("donnees/activites.csv")).unwrap();
        let lignes: Vec<&str> = activites.lines().collect();
        let (entete, lignes) = lignes.split_first().unwrap();
        let mut toutes = vec![*entete];
        for _ in 0..5 {
            toutes.extend(lignes);
        }
        std::fs::write(dir.path().join("donnees/activites.csv"), ecrire(&toutes)).unwrap();
        dir
    }

    #[test]
    fn quotes_that_fool_their_count_windows_line_ends_and_a_bad_byte_late_give_what_one_reader_gives()
     {
        let n = |lignes: &[&str]| lignes.len();
        // A quote inside an unquoted cell early on (the count of quotes is
        // then wrong), and a quoted cell over several lines across the middle.
        let guillemets = projet_d_un_fichier(|lignes| {
            let mut texte = String::new();
            for (i, l) in lignes.iter().enumerate() {
                texte.push_str(&if i == 10 {
                    l.replace(";France", ";France 5\"")
                } else {
                    l.to_string()
                });
                texte.push('\n');
            }
            // The line holding the middle of the file: a quoted action of a
            // thousand line breaks, from a few bytes into it.
            let ligne = texte[..texte.len() / 2].rfind('\n').unwrap() + 1;
            let action = ligne + texte[ligne..].find(';').unwrap() + 1;
            let fin = action + texte[action..].find(';').unwrap();
            texte.replace_range(action..fin, &format!("\"rue{}\"", "\n".repeat(1000)));
            texte.into_bytes()
        });
        comme_un_seul(guillemets.path());
        // Windows-1252 with CRLF line ends.
        let windows = projet_d_un_fichier(|lignes| {
            let texte = lignes.join("\r\n") + "\r\n";
            encoding_rs::WINDOWS_1252.encode(&texte).0.into_owned()
        });
        let constats = comme_un_seul(windows.path());
        assert_eq!(constats.erreurs(), 0, "{constats:?}");
        // A control character in the second half: reading stops there.
        let binaire = projet_d_un_fichier(|lignes| {
            let mut texte = lignes.join("\n") + "\n";
            let i = texte.len() * 3 / 4;
            let i = i + texte[i..].find('\n').unwrap();
            texte.insert(i, '\u{1}');
            texte.into_bytes()
        });
        let constats = comme_un_seul(binaire.path());
        assert!(
            format!("{constats:?}").contains("caractères de contrôle"),
            "{constats:?}"
        );
        // A cell too long, in the second half.
        let longue = projet_d_un_fichier(|lignes| {
            let mut texte = String::new();
            for (i, l) in lignes.iter().enumerate() {
                texte.push_str(l);
                if i == n(lignes) * 3 / 4 {
                    texte.push_str(&"x".repeat(crate::exports::CELLULE_MAX + 1));
                }
                texte.push('\n');
            }
            texte.into_bytes()
        });
        comme_un_seul(longue.path());
    }
}
