//! The columns of one export being typed: each built straight into polars'
//! layout, the cells of category columns turned into codes of their
//! dictionary (each spelling worked out once), and the "contains" tests on
//! list columns.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::contrat::{COLONNE_PUBLIC, Genre};
use super::controles::Controles;
use super::lecture::{Lecteur, Rapporteur};
use super::lots::Enregistrement;
use super::par_texte::ParTexte;
use super::personnel::{self, Garde};
use super::{Dictionnaire, EtatSource, Vocabulaire, nom_contient, valeurs, vocabulaire};
use crate::error::Probleme;
use crate::fr::normalise;

/// A date cell as read: its day number, if any.
pub(super) type Jour = Option<i32>;

/// What typing the cells of one file needs besides their columns, and what
/// it gathers for the whole file.
pub(super) struct Typage<'a> {
    /// The file, as shown in messages.
    pub affiche: &'a Path,
    /// `JJ/MM/AA` dates are accepted.
    pub courtes: bool,
    /// The spellings of category values.
    pub vocabulaire: &'a Vocabulaire,
    /// Years in which at least one row has a date or an `annee`.
    pub annees: BTreeSet<i32>,
    /// The personal data guard of the file.
    pub garde: Garde,
    /// The controls of `rapport check`, when asked.
    pub controles: Option<Controles<'a>>,
}

impl Typage<'_> {
    /// Notes the year of a date or of an `annee`, read in `cellule`.
    fn annee(&mut self, annee: i32, cellule: &Cellule) {
        self.annees.insert(annee);
        if let Some(c) = &mut self.controles {
            c.annee(annee, cellule.ligne, cellule.colonne, cellule.texte);
        }
    }

    /// The date formats accepted, as messages say them.
    fn formats_de_date(&self) -> &'static str {
        if self.courtes {
            "une date JJ/MM/AAAA, J/M/AAAA, JJ/MM/AA ou AAAA-MM-JJ"
        } else {
            "une date JJ/MM/AAAA, J/M/AAAA ou AAAA-MM-JJ"
        }
    }
}

/// A cell being typed: its text and where it is.
struct Cellule<'c> {
    texte: &'c str,
    ligne: usize,
    /// The header of its column, as written in the file.
    colonne: &'c str,
    affiche: &'c Path,
}

impl Cellule<'_> {
    /// An error about this cell.
    fn erreur(&self, message: String, attendu: &str, correction: &str) -> Probleme {
        Probleme::new(self.affiche, message)
            .ligne(self.ligne)
            .colonne(self.colonne)
            .attendu(attendu)
            .correction(correction)
    }
}

/// A column being read: where it is, and its values so far.
pub(super) struct ColonneLue {
    /// Its name in the contract or the model.
    pub nom: String,
    /// Its position in the file, if the file has it.
    pub index: Option<usize>,
    en_tete: String,
    tampon: Tampon,
}

/// The values of a column so far, by what it holds.
enum Tampon {
    Date {
        requise: bool,
        valeurs: Valeurs<Int32Type>,
        /// What each spelling gave, worked out once: a few thousand
        /// distinct dates in millions of cells.
        memos: ParTexte<Result<time::Date, valeurs::PasUneDate>>,
    },
    /// Pseudonymous codes: the codes that look like personal data are kept
    /// (there are as many spellings as people, so no memo).
    Code {
        codes: Valeurs<UInt32Type>,
        dictionnaire: Dictionnaire,
        personnels: FxHashMap<u32, personnel::Soupcon>,
        /// The codes of the current batch's cells looked up ahead, by row:
        /// see [`ColonneLue::preparer`].
        trouves: Vec<Option<u32>>,
    },
    Categorie {
        genre: Genre,
        codes: Valeurs<UInt32Type>,
        dictionnaire: Dictionnaire,
        memos: ParTexte<Memo>,
    },
    Quantite(Valeurs<Int64Type>),
    Annee(Valeurs<Int32Type>),
    Nombre {
        requis: bool,
        valeurs: Valeurs<Float64Type>,
    },
}

/// A column being built straight into polars' layout (values and a validity
/// bitmap), reserved for the rows the file can hold: no copy, no regrowth.
/// `copie` keeps the values for the warnings of `check` that compare columns.
struct Valeurs<T: PolarsNumericType> {
    constructeur: PrimitiveChunkedBuilder<T>,
    copie: Option<Vec<Option<T::Native>>>,
}

impl<T: PolarsNumericType> Valeurs<T> {
    fn new(nom: &str, capacite: usize, copie: bool) -> Self {
        Valeurs {
            constructeur: PrimitiveChunkedBuilder::new(nom.into(), capacite),
            copie: copie.then(Vec::new),
        }
    }

    fn push(&mut self, v: Option<T::Native>) {
        self.constructeur.append_option(v);
        if let Some(c) = &mut self.copie {
            c.push(v);
        }
    }

    fn colonne(self) -> Column {
        self.constructeur.finish().into_column()
    }
}

/// What one spelling of a category cell gives, worked out once.
#[derive(Debug, Clone)]
pub(super) struct Memo {
    traduction: Traduction,
    /// Looks like personal data (e-mail, phone number…): what it looks like.
    personnel: Option<personnel::Soupcon>,
}

/// What the vocabulary and the dictionary make of a category cell.
#[derive(Debug, Clone)]
enum Traduction {
    Vide,
    Code(u32),
    /// A `public` no vocabulary knows: the accepted values, the closest one.
    Inconnue(vocabulaire::Inconnue),
}

impl ColonneLue {
    /// The column `nom` of kind `genre`, at `index` in the file, with room
    /// for `capacite` rows; a category column starts with an empty
    /// dictionary, joined to the source's by [`ColonneLue::joindre`].
    pub(super) fn new(
        (nom, genre, index): (String, Genre, Option<usize>),
        entetes_bruts: &[String],
        capacite: usize,
        copie: bool,
    ) -> Self {
        let tampon = match genre {
            Genre::Date { requise } => Tampon::Date {
                requise,
                valeurs: Valeurs::new(&nom, capacite, copie),
                memos: ParTexte::default(),
            },
            Genre::Quantite => Tampon::Quantite(Valeurs::new(&nom, capacite, false)),
            Genre::Annee => Tampon::Annee(Valeurs::new(&nom, capacite, false)),
            Genre::Nombre { requis } => Tampon::Nombre {
                requis,
                valeurs: Valeurs::new(&nom, capacite, false),
            },
            Genre::Code => Tampon::Code {
                codes: Valeurs::new(&nom, capacite, false),
                dictionnaire: Dictionnaire::default(),
                personnels: FxHashMap::default(),
                trouves: Vec::new(),
            },
            Genre::Texte { .. } | Genre::Public | Genre::Themes => Tampon::Categorie {
                genre,
                codes: Valeurs::new(&nom, capacite, false),
                dictionnaire: Dictionnaire::default(),
                memos: ParTexte::default(),
            },
        };
        ColonneLue {
            en_tete: index.map_or(nom.clone(), |i| entetes_bruts[i].clone()),
            nom,
            index,
            tampon,
        }
    }

    /// Looks up ahead the codes of a code column's cells in `lot`, the
    /// batch [`ColonneLue::lire`] is about to be given row by row: in a
    /// loop that does nothing else, the processor has many lookups in the
    /// dictionary under way at once, where one per row, among the row's
    /// other cells, waits on memory alone (at 818 000 people the
    /// dictionary no longer fits its caches). A cell whose value is not
    /// there yet is looked up again when its row is read, as an earlier
    /// row of the batch may have brought it.
    pub(super) fn preparer(&mut self, lot: &[Enregistrement]) {
        if let Tampon::Code {
            dictionnaire,
            trouves,
            ..
        } = &mut self.tampon
        {
            trouves.clear();
            trouves.extend(lot.iter().map(|e| {
                let t = e.cellule(self.index);
                if t.is_empty() {
                    None
                } else {
                    dictionnaire.chercher(t)
                }
            }));
        }
    }

    /// Checks and types the cell of this column in `e`, the row `rang` of
    /// the batch last given to [`ColonneLue::preparer`], reporting its
    /// problems to `f`.
    pub(super) fn lire(
        &mut self,
        e: &Enregistrement,
        rang: usize,
        typage: &mut Typage,
        f: &mut dyn Rapporteur,
    ) {
        let c = Cellule {
            texte: e.cellule(self.index),
            ligne: e.ligne,
            colonne: &self.en_tete,
            affiche: typage.affiche,
        };
        match &mut self.tampon {
            Tampon::Date {
                requise,
                valeurs,
                memos,
            } => lire_date(*requise, valeurs, memos, &c, typage, f),
            Tampon::Code {
                codes,
                dictionnaire,
                personnels,
                trouves,
            } => {
                if c.texte.is_empty() {
                    codes.push(None);
                    return;
                }
                let trouve = trouves.get(rang).copied().flatten();
                let code = match trouve.or_else(|| dictionnaire.chercher(c.texte)) {
                    Some(k) => k,
                    None => {
                        let k = dictionnaire.code(c.texte.to_string());
                        if let Some(quoi) = personnel::code_personnel(c.texte) {
                            personnels.insert(k, quoi);
                        }
                        k
                    }
                };
                let quoi = personnels.get(&code).copied();
                typage.garde.noter(self.index, c.ligne, quoi);
                codes.push(Some(code));
            }
            Tampon::Categorie {
                genre,
                codes,
                dictionnaire,
                memos,
            } => {
                let memo = memos.ou_faire(c.texte, || {
                    memoriser(&self.nom, *genre, c.texte, typage.vocabulaire, dictionnaire)
                });
                typage.garde.noter(self.index, c.ligne, memo.personnel);
                let requis = matches!(genre, Genre::Texte { requis: true });
                codes.push(code_de(&memo.traduction, requis, &c, f));
            }
            Tampon::Quantite(valeurs) => valeurs.push(quantite(&c, f)),
            Tampon::Annee(valeurs) => match c.texte.parse::<i32>() {
                Ok(a) if crate::model::ANNEES_POSSIBLES.contains(&a) => {
                    typage.annee(a, &c);
                    valeurs.push(Some(a))
                }
                _ => {
                    f.erreur(c.erreur(
                        format!("« {} » n'est pas une année", c.texte),
                        "une année sur quatre chiffres, par exemple 2013",
                        "corrigez l'année de cette ligne",
                    ));
                    valeurs.push(Some(0));
                }
            },
            Tampon::Nombre { requis, valeurs } => valeurs.push(nombre(*requis, &c, f)),
        }
    }

    /// The dates read, if this is a date column whose values are kept for `check`.
    pub(super) fn dates(&self) -> Option<&[Jour]> {
        match &self.tampon {
            Tampon::Date { valeurs, .. } => valeurs.copie.as_deref(),
            _ => None,
        }
    }

    /// The column read by one reader or more, `parts` in the file's order.
    /// A category column's values are coded in the dictionary of the
    /// source's earlier files, in `etat`, extended with those new here.
    pub(super) fn joindre(parts: Vec<ColonneLue>, etat: &mut EtatSource) -> PolarsResult<Column> {
        let Some(nom) = parts.first().map(|p| p.nom.clone()) else {
            polars_bail!(ComputeError: "aucune part de colonne");
        };
        let mut dictionnaire = etat.dictionnaires.remove(&nom);
        let mut memos = etat.memos.remove(&nom);
        let mut colonnes = Vec::with_capacity(parts.len());
        for (i, part) in parts.into_iter().enumerate() {
            let Finie {
                colonne,
                dictionnaire: ici,
                memos: memos_ici,
            } = part.en_parties();
            let Some(ici) = ici else {
                colonnes.push(colonne);
                continue;
            };
            let carte = match dictionnaire.as_mut() {
                Some(d) if !d.valeurs.is_empty() => d.etendre(ici.valeurs),
                // The first values of the source: their codes stay, and the
                // memos that give them hold.
                _ => {
                    dictionnaire = Some(ici);
                    if i == 0 {
                        memos = memos_ici;
                    }
                    None
                }
            };
            colonnes.push(match carte {
                Some(carte) => {
                    let codes = colonne.as_materialized_series().u32()?;
                    codes.apply_values(|k| carte[k as usize]).into_column()
                }
                None => colonne,
            });
        }
        if let Some(d) = dictionnaire {
            etat.dictionnaires.insert(nom.clone(), d);
        }
        if let Some(m) = memos {
            etat.memos.insert(nom, m);
        }
        bout_a_bout(&colonnes)
    }

    /// The column built, and the dictionary and memos of a category column.
    fn en_parties(self) -> Finie {
        let (colonne, dictionnaire, memos) = match self.tampon {
            Tampon::Date { valeurs, .. } => (valeurs.colonne(), None, None),
            Tampon::Code {
                codes,
                dictionnaire,
                ..
            } => (codes.colonne(), Some(dictionnaire), None),
            Tampon::Categorie {
                codes,
                dictionnaire,
                memos,
                ..
            } => (codes.colonne(), Some(dictionnaire), Some(memos)),
            Tampon::Quantite(v) => (v.colonne(), None, None),
            Tampon::Annee(v) => (v.colonne(), None, None),
            Tampon::Nombre { valeurs, .. } => (valeurs.colonne(), None, None),
        };
        Finie {
            colonne,
            dictionnaire,
            memos,
        }
    }
}

/// A column once read: its values, and a category column's dictionary and memos.
struct Finie {
    colonne: Column,
    dictionnaire: Option<Dictionnaire>,
    memos: Option<ParTexte<Memo>>,
}

/// One column from the parts of a file, `colonnes` in the file's order.
pub(super) fn bout_a_bout(colonnes: &[Column]) -> PolarsResult<Column> {
    let Some((premiere, autres)) = colonnes.split_first() else {
        polars_bail!(ComputeError: "aucune part de colonne");
    };
    if autres.is_empty() {
        return Ok(premiere.clone());
    }
    let mut sortie = premiere.as_materialized_series().clone();
    for autre in autres {
        sortie.append(autre.as_materialized_series())?;
    }
    Ok(sortie.rechunk().into_column())
}

/// A date cell: its day, or its error.
fn lire_date(
    requise: bool,
    valeurs: &mut Valeurs<Int32Type>,
    memos: &mut ParTexte<Result<time::Date, valeurs::PasUneDate>>,
    c: &Cellule,
    typage: &mut Typage,
    f: &mut dyn Rapporteur,
) {
    let (t, formats) = (c.texte, typage.formats_de_date());
    if t.is_empty() {
        if requise {
            f.erreur(c.erreur(
                "la date est vide".into(),
                formats,
                "renseignez la date de cette ligne",
            ));
        }
        valeurs.push(None);
        return;
    }
    match *memos.ou_faire(t, || valeurs::date(t, typage.courtes)) {
        Ok(d) => {
            typage.annee(d.year(), c);
            valeurs.push(Some(valeurs::jour(d)))
        }
        Err(valeurs::PasUneDate::AnneeCourte) => {
            f.erreur(c.erreur(
                format!("« {t} » a une année sur deux chiffres"),
                "une année sur quatre chiffres, par exemple 07/03/2013",
                "corrigez le format de la colonne dans le tableur (JJ/MM/AAAA), ou acceptez les années courtes dans rapport.toml : [exports] dates_courtes = true",
            ));
            valeurs.push(None);
        }
        Err(valeurs::PasUneDate::NumeroDeSerie(d)) => {
            f.erreur(c.erreur(
                format!(
                    "« {t} » est un numéro de jour de tableur (le {}), pas une date écrite",
                    crate::fr::date_longue(d)
                ),
                &format!("{formats}, par exemple 07/03/2013"),
                "dans le tableur, mettez la colonne au format Date (JJ/MM/AAAA) puis exportez de nouveau",
            ));
            valeurs.push(None);
        }
        Err(valeurs::PasUneDate::Invalide) => {
            f.erreur(c.erreur(
                format!("« {t} » n'est pas une date valide"),
                &format!("{formats}, par exemple 07/03/2013"),
                "corrigez la date dans le tableur puis exportez de nouveau",
            ));
            valeurs.push(None);
        }
    }
}

/// The code of a category cell as `traduction` says it, or its error.
fn code_de(
    traduction: &Traduction,
    requis: bool,
    c: &Cellule,
    f: &mut dyn Rapporteur,
) -> Option<u32> {
    match traduction {
        Traduction::Code(k) => Some(*k),
        Traduction::Vide => {
            if requis {
                f.erreur(c.erreur(
                    "la valeur est vide".into(),
                    "une valeur",
                    "renseignez cette cellule",
                ));
            }
            None
        }
        Traduction::Inconnue(inconnue) => {
            let t = c.texte;
            let proche = inconnue
                .proche
                .as_ref()
                .map(|p| format!("remplacez-la par « {p} » (la valeur connue la plus proche), ou"))
                .unwrap_or_else(|| "corrigez-la, ou".into());
            f.erreur(c.erreur(
                format!("« {t} » n'est pas un public connu"),
                &format!(
                    "{} (ou une variante comme F, Femme, femme cis, H, T), ou vide pour une action sans personne",
                    inconnue.valeurs.join(", ")
                ),
                &format!(
                    "{proche} si c'est une autre façon d'écrire un public connu, déclarez-la dans rapport.toml : [vocabulaire.public] femme = [\"{}\"]",
                    t.replace('"', "\\\"")
                ),
            ));
            None
        }
    }
}

/// A `quantite` cell: an integer from 1, empty for 1; 1 after its error.
fn quantite(c: &Cellule, f: &mut dyn Rapporteur) -> Option<i64> {
    let t = c.texte;
    if t.is_empty() {
        return Some(1);
    }
    let q = match t.parse::<i64>() {
        Ok(q) => Some(q as f64),
        Err(_) => valeurs::nombre(t),
    };
    match q {
        Some(q) if q >= 1.0 && q.fract() == 0.0 && q < 1e12 => Some(q as i64),
        _ => {
            f.erreur(c.erreur(
                format!("« {t} » n'est pas une quantité valide"),
                "un nombre entier supérieur ou égal à 1 (vide vaut 1)",
                "corrigez la quantité de cette ligne",
            ));
            Some(1)
        }
    }
}

/// A number cell, or its error.
fn nombre(requis: bool, c: &Cellule, f: &mut dyn Rapporteur) -> Option<f64> {
    let t = c.texte;
    if t.is_empty() {
        if requis {
            f.erreur(c.erreur(
                "la valeur est vide".into(),
                "un nombre",
                "renseignez cette cellule",
            ));
        }
        return None;
    }
    let n = valeurs::nombre(t);
    if n.is_none() {
        f.erreur(c.erreur(
            format!("« {t} » n'est pas un nombre"),
            "un nombre, par exemple 1234 ou 1 234,50",
            "corrigez la valeur de cette cellule (sans unité ni texte)",
        ));
    }
    n
}

/// What the spelling `t` of a cell of column `nom` gives: its code (the
/// vocabulary applied), emptiness, or an unknown `public`; and whether it
/// looks like personal data.
fn memoriser(
    nom: &str,
    genre: Genre,
    t: &str,
    vocabulaire: &Vocabulaire,
    dictionnaire: &mut Dictionnaire,
) -> Memo {
    let personnel = personnel::valeur_personnelle(t);
    let traduction = match genre {
        Genre::Themes => {
            let themes: Vec<String> = t
                .split('|')
                .map(normalise)
                .filter(|x| !x.is_empty())
                .collect();
            if themes.is_empty() {
                Traduction::Vide
            } else {
                // Stored as `|a|b|`.
                Traduction::Code(dictionnaire.code(format!("|{}|", themes.join("|"))))
            }
        }
        _ => {
            let n = normalise(t);
            if n.is_empty() {
                Traduction::Vide
            } else {
                let colonne = if matches!(genre, Genre::Public) {
                    COLONNE_PUBLIC
                } else {
                    nom
                };
                match vocabulaire.traduire(colonne, &n) {
                    Ok(v) => Traduction::Code(dictionnaire.code(v)),
                    Err(inconnue) => Traduction::Inconnue(inconnue),
                }
            }
        }
    };
    Memo {
        traduction,
        personnel,
    }
}

/// "Contains" tests on one list column: the column, the values tested, the
/// answers per spelling (one bit per value) and per row.
pub(super) struct Contient {
    index: Option<usize>,
    valeurs: Vec<String>,
    memos: ParTexte<u64>,
    lignes: Vec<BooleanChunkedBuilder>,
}

impl Contient {
    /// The tests `contient` (column, value) on the file `lecteur` reads, by column.
    pub(super) fn pour(
        contient: &BTreeSet<(String, String)>,
        lecteur: &Lecteur,
        capacite: usize,
    ) -> BTreeMap<String, Contient> {
        let mut tests: BTreeMap<String, Contient> = BTreeMap::new();
        for (nom, valeur) in contient {
            let t = tests.entry(nom.clone()).or_insert_with(|| Contient {
                index: lecteur.colonne(nom),
                valeurs: Vec::new(),
                memos: ParTexte::default(),
                lignes: Vec::new(),
            });
            t.lignes.push(BooleanChunkedBuilder::new(
                nom_contient(nom, valeur).as_str().into(),
                capacite,
            ));
            t.valeurs.push(valeur.clone());
        }
        tests
    }

    /// Answers the tests for the row `e`.
    pub(super) fn lire(&mut self, e: &Enregistrement) {
        let t = e.cellule(self.index);
        let bits = match self.memos.get(t) {
            Some(b) => *b,
            None => {
                let mut b = 0u64;
                for (k, v) in self.valeurs.iter().enumerate() {
                    if t.split('|').any(|x| normalise(x) == *v) {
                        b |= 1 << k;
                    }
                }
                self.memos.insert(t, b);
                b
            }
        };
        for (k, l) in self.lignes.iter_mut().enumerate() {
            l.append_value(bits & (1 << k) != 0);
        }
    }

    /// The boolean columns, one per value tested.
    pub(super) fn finir(self) -> impl Iterator<Item = Column> {
        self.lignes.into_iter().map(|l| l.finish().into_column())
    }
}
