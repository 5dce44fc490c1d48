//! The controls only `rapport check` runs on the exports: warnings, never
//! errors, so a build does not look for them. Personal codes are never
//! shown, only positions.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::colonnes::Jour;
use super::contrat::COLONNE_PUBLIC;
use super::lecture::{Entete, Lecteur};
use super::lots::Enregistrement;
use super::signaleur::Signaleur;
use super::{Bornes, Source, Vocabulaire};
use crate::error::Probleme;
use crate::fr::normalise;

/// The `public` seen for each `personne` code, across exports.
#[derive(Default)]
pub(super) struct Personnes {
    vus: HashMap<String, (String, PathBuf, usize)>,
    signales: HashSet<String>,
}

/// Where a row was first seen: the file (shared by its rows) and its line,
/// by the hash of its cells.
pub(super) type Vues = HashMap<u64, (Arc<Path>, usize)>;

/// Consecutive rows that repeat, in the same order, consecutive rows seen
/// before in the file, from this many: a block pasted twice. Two identical
/// anonymous contacts are two rows, but ten in a row repeating ten earlier
/// ones in the same order are a copy.
const BLOC_MIN: usize = 10;

/// A run of rows repeating earlier ones: the data index of the first
/// earlier row and of the first repeating one, and how many.
#[derive(Debug, Clone, Copy)]
struct Bloc {
    origine: usize,
    copie: usize,
    longueur: usize,
}

/// The controls of one file while it is read, and what they gather for the
/// warnings about the whole file.
pub(super) struct Controles<'a> {
    source: Source,
    bornes: &'a Bornes,
    entete: Entete,
    i_personne: Option<usize>,
    i_public: Option<usize>,
    vocabulaire: &'a Vocabulaire,
    personnes: &'a mut Personnes,
    vues: &'a mut Vues,
    /// The file, as the rows seen note it.
    fichier: Arc<Path>,
    /// The line of each data row.
    lignes: Vec<usize>,
    /// Dates and years outside the project's years: line, column, cell.
    hors_periode: Vec<(usize, String, String)>,
    /// No data row is no warning (the sheet of a journal beside other files).
    vide_permis: bool,
    /// The hash of each data row, for the runs of repeated rows.
    hachages: Vec<u64>,
    /// The run of repeated rows going on, and those long enough to tell.
    bloc: Option<Bloc>,
    blocs: Vec<Bloc>,
}

impl<'a> Controles<'a> {
    /// The controls of the file `lecteur` reads, against the project's years `bornes`.
    pub(super) fn new(
        source: Source,
        bornes: &'a Bornes,
        lecteur: &Lecteur,
        vocabulaire: &'a Vocabulaire,
        personnes: &'a mut Personnes,
        vues: &'a mut Vues,
        vide_permis: bool,
    ) -> Self {
        Controles {
            vide_permis,
            source,
            bornes,
            entete: lecteur.entete(),
            i_personne: lecteur.colonne("personne"),
            i_public: lecteur.colonne(COLONNE_PUBLIC),
            vocabulaire,
            personnes,
            vues,
            fichier: Arc::from(lecteur.affiche.as_path()),
            lignes: Vec::new(),
            hors_periode: Vec::new(),
            hachages: Vec::new(),
            bloc: None,
            blocs: Vec::new(),
        }
    }

    /// Notes the year of a date or of an `annee` cell, if outside the project's years.
    pub(super) fn annee(&mut self, annee: i32, ligne: usize, colonne: &str, cellule: &str) {
        let b = self.bornes;
        if annee > b.fin || b.debut.is_some_and(|debut| annee < debut) {
            self.hors_periode
                .push((ligne, colonne.to_string(), cellule.to_string()));
        }
    }

    /// The per-row warnings: exact duplicate rows, a person seen with two publics.
    pub(super) fn controler_ligne(&mut self, e: &Enregistrement, f: &mut Signaleur) {
        self.lignes.push(e.ligne);
        let cellule = |i: usize| e.cellule(Some(i));
        // Anonymous actions (no `personne` code) legitimately repeat: two
        // anonymous contacts of the same kind on the same day are two rows.
        let anonyme = self.i_personne.is_none_or(|i| cellule(i).is_empty());
        let (h, vue) = self.vue(e);
        self.hachages.push(h);
        if let Some((fichier, premiere)) = &vue
            && !(self.source == Source::Activites && anonyme)
        {
            self.doublon(e, fichier, *premiere, f);
        }
        let ici = vue.filter(|(fichier, _)| **fichier == *self.entete.affiche);
        self.suivre_bloc(ici.map(|(_, premiere)| premiere));
        if let (Some(ip), Some(ipub)) = (self.i_personne, self.i_public) {
            let (code, ecrit) = (cellule(ip), cellule(ipub));
            self.public_de(code, ecrit, e.ligne, (ip, ipub), f);
        }
    }

    /// The hash of the row, and where it was first seen, in this file or
    /// another of the source; `None` for a row not seen before, noted.
    fn vue(&mut self, e: &Enregistrement) -> (u64, Option<(Arc<Path>, usize)>) {
        let lecteur = &self.entete;
        let mut h = DefaultHasher::new();
        for i in 0..e.largeur() {
            if !lecteur.ignorees[i] {
                e.cellule(Some(i)).hash(&mut h);
            }
        }
        let h = h.finish();
        match self.vues.get(&h) {
            Some(vue) => (h, Some(vue.clone())),
            None => {
                // A row of a workbook is noted at its sheet.
                let (chemin, ligne) = lecteur.ou(e.ligne);
                let fichier = if *chemin == *self.fichier {
                    self.fichier.clone()
                } else {
                    Arc::from(chemin)
                };
                self.vues.insert(h, (fichier, ligne));
                (h, None)
            }
        }
    }

    /// Warns that the row repeats the one at line `premiere` of `fichier`.
    fn doublon(&self, e: &Enregistrement, fichier: &Path, premiere: usize, f: &mut Signaleur) {
        let lecteur = &self.entete;
        let ou = if *fichier == lecteur.affiche {
            format!("ligne {premiere}")
        } else {
            format!("ligne {premiere} de {}", fichier.display())
        };
        f.avertissement(
            Probleme::new(&lecteur.affiche, format!("ligne identique à la {ou}"))
                .ligne(e.ligne)
                .correction("supprimez le doublon s'il s'agit d'une double saisie ; sinon, ajoutez une quantité (colonne « quantite »)"),
        );
    }

    /// Follows the runs of repeated rows with the row just read, which
    /// repeats the one at line `premiere` of this file, if any: a run goes on
    /// while each row repeats the row after the last one it repeated.
    fn suivre_bloc(&mut self, premiere: Option<usize>) {
        let copie = self.hachages.len() - 1;
        // The block repeated ends before its copy starts: a row repeated
        // many times over (ten identical contacts) is no block.
        if let Some(b) = &mut self.bloc
            && b.copie + b.longueur == copie
            && b.origine + b.longueur < b.copie
            && self.hachages[b.origine + b.longueur] == self.hachages[copie]
        {
            b.longueur += 1;
            return;
        }
        self.couper_bloc();
        if let Some(Ok(origine)) = premiere.map(|l| self.lignes.binary_search(&l)) {
            self.bloc = Some(Bloc {
                origine,
                copie,
                longueur: 1,
            });
        }
    }

    /// Ends the run of repeated rows, kept if long enough.
    fn couper_bloc(&mut self) {
        if let Some(b) = self.bloc.take()
            && b.longueur >= BLOC_MIN
        {
            self.blocs.push(b);
        }
    }

    /// One warning for each block of rows that repeats an earlier one.
    fn blocs(&mut self, f: &mut Signaleur) {
        self.couper_bloc();
        let lignes = &self.lignes;
        for b in &self.blocs {
            let de = |i: usize| (lignes[i], lignes[i + b.longueur - 1]);
            let ((a, z), (c, d)) = (de(b.copie), de(b.origine));
            f.avertissement_du_fichier(
                Probleme::new(
                    &self.entete.affiche,
                    format!(
                        "les lignes {a} à {z} répètent à l'identique et dans le même ordre les lignes {c} à {d} ({} lignes) : un bloc collé deux fois ?",
                        b.longueur
                    ),
                )
                .ligne(a)
                .correction(format!(
                    "si c'est un copier-coller en double, supprimez les lignes {a} à {z} : leurs actions, anonymes comprises, sont sinon comptées deux fois"
                )),
            );
        }
    }

    /// Warns when the person of `code` had another public, in any export.
    fn public_de(
        &mut self,
        code: &str,
        ecrit: &str,
        ligne: usize,
        (ip, ipub): (usize, usize),
        f: &mut Signaleur,
    ) {
        let lecteur = &self.entete;
        let public = normalise(ecrit);
        if code.is_empty() || public.is_empty() {
            return;
        }
        let public = self
            .vocabulaire
            .traduire(COLONNE_PUBLIC, &public)
            .unwrap_or(public);
        let personnes = &mut *self.personnes;
        match personnes.vus.get(code) {
            Some((avant, fichier, l)) if *avant != public => {
                if personnes.signales.insert(code.to_string()) {
                    f.avertissement(
                        Probleme::new(
                            &lecteur.affiche,
                            format!(
                                "le code de la colonne « {} » a ici un autre public (« {ecrit} ») qu'à la ligne {l} de {} (« {avant} ») ; le code n'est pas affiché",
                                lecteur.entetes_bruts[ip],
                                fichier.display()
                            ),
                        )
                        .ligne(ligne)
                        .colonne(&lecteur.entetes_bruts[ipub])
                        .correction("une même personne doit avoir le même public partout : corrigez l'une des deux lignes"),
                    );
                }
            }
            Some(_) => {}
            None => {
                let (fichier, ligne) = lecteur.ou(ligne);
                personnes
                    .vus
                    .insert(code.to_string(), (public, fichier, ligne));
            }
        }
    }

    /// The per-file warnings: no data row, dates outside the project's
    /// years, cases closed before they opened.
    pub(super) fn controler_fichier(
        mut self,
        lecteur: &Lecteur,
        (ouvertures, clotures): (Option<&[Jour]>, Option<&[Jour]>),
        f: &mut Signaleur,
    ) {
        self.blocs(f);
        let affiche: &Path = &self.entete.affiche;
        let lignes = &self.lignes;
        if lignes.is_empty() && !self.vide_permis {
            f.avertissement(
                Probleme::new(affiche, "le fichier n'a aucune ligne de données")
                    .ligne(1)
                    .correction("vérifiez que vous avez exporté la bonne feuille du tableur"),
            );
        }
        self.hors_periode(f);
        if self.source == Source::Suivis
            && let (Some(ouv), Some(clo)) = (ouvertures, clotures)
        {
            let colonne = lecteur
                .colonne("cloture")
                .map_or("cloture".to_string(), |i| lecteur.entetes_bruts[i].clone());
            for (ligne, (o, c)) in lignes.iter().zip(ouv.iter().zip(clo)) {
                if let (Some(o), Some(c)) = (o, c)
                    && c < o
                {
                    f.avertissement(
                        Probleme::new(affiche, "le suivi est clos avant d'avoir été ouvert")
                            .ligne(*ligne)
                            .colonne(&colonne)
                            .attendu(
                                "une date de clôture postérieure ou égale à la date d'ouverture",
                            )
                            .correction("vérifiez les deux dates de ce suivi (inversées ?)"),
                    );
                }
            }
        }
    }

    /// One warning for the dates outside the project's years: the first, and the lines of the others.
    fn hors_periode(&self, f: &mut Signaleur) {
        let (bornes, hors_periode) = (self.bornes, &self.hors_periode);
        let Some((ligne, colonne, valeur)) = hors_periode.first() else {
            return;
        };
        let periode = match bornes.debut {
            Some(d) => format!("de {d} à {}", bornes.fin),
            None => format!("jusqu'à {}", bornes.fin),
        };
        let autres = match hors_periode.len() - 1 {
            0 => String::new(),
            n => format!(
                " (et {n} autres lignes : {}{})",
                hors_periode[1..]
                    .iter()
                    .take(5)
                    .map(|h| self.entete.lieu(h.0))
                    .collect::<Vec<_>>()
                    .join(", "),
                if n > 5 { "…" } else { "" }
            ),
        };
        f.avertissement(
            Probleme::new(
                &self.entete.affiche,
                format!("« {valeur} » est en dehors des années du projet{autres}"),
            )
            .ligne(*ligne)
            .colonne(colonne)
            .attendu(format!("une date {periode} ({})", bornes.raison_fin))
            .correction("vérifiez l'année saisie (faute de frappe ?)"),
        );
    }
}
