//! Reading `rapport.toml`: its syntax by `toml`'s parser, then the model's
//! shape by a deserializer of our own over `toml`'s spanned values, whose
//! errors are data (what was found, what the key expects, where) and are
//! told in French from those parts.
//!
//! No message of `toml` or serde is read to be translated: a syntax error
//! is told from the line it points at, with the parser's own words beside
//! it, so a new wording of the crate changes nothing here.

use std::fmt;
use std::ops::Range;

use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, Visitor,
};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// Why the model could not be read, and where.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Illisible {
    pub message: String,
    /// 1-based line of `rapport.toml`.
    pub ligne: Option<usize>,
    pub correction: String,
}

/// What to do after any mistake of shape (a key, a kind of value).
const CORRECTION: &str = "corrigez le modèle (voir le format dans le README)";

/// Reads `texte` as a `T`, or says in French why it cannot be.
pub(super) fn lire<T: DeserializeOwned>(texte: &str) -> Result<T, Illisible> {
    // Every syntax error found, the first in the file told: the parser
    // does not report them in the order of the lines.
    let (document, erreurs) = DeTable::parse_recoverable(texte);
    if let Some(e) = erreurs
        .iter()
        .min_by_key(|e| e.span().map_or(usize::MAX, |s| s.start))
    {
        return Err(syntaxe(texte, e));
    }
    let lieu = document.span();
    let racine = Spanned::new(lieu, DeValue::Table(document.into_inner()));
    T::deserialize(Lecteur { valeur: &racine }).map_err(|e| Illisible {
        message: e.sorte.to_string(),
        ligne: e.lieu.map(|l| ligne(texte, l.start)),
        correction: CORRECTION.into(),
    })
}

/// The 1-based line of byte `position` of `texte`.
fn ligne(texte: &str, position: usize) -> usize {
    texte[..position.min(texte.len())].matches('\n').count() + 1
}

/// A syntax error: what the line it points at shows, then the parser's own words.
fn syntaxe(texte: &str, e: &toml::de::Error) -> Illisible {
    let debut = e.span().map_or(0, |s| s.start.min(texte.len()));
    let numero = ligne(texte, debut);
    let precedentes: Vec<&str> = texte.lines().take(numero - 1).collect();
    let courante = texte.lines().nth(numero - 1).unwrap_or("").trim();
    let lecteur = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ; ");
    let extrait: String = courante.chars().take(60).collect();
    let coupe = if courante.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    let quoi = diagnostic(courante, &precedentes)
        .unwrap_or_else(|| "écriture incorrecte pour un modèle TOML".into());
    Illisible {
        message: format!("{quoi}, dans « {extrait}{coupe} » (lecteur TOML : {lecteur})"),
        ligne: Some(numero),
        correction: "un texte s'écrit entre guillemets droits (titre = \"Rapport d'activité\"), une section seule sur sa ligne entre crochets ([rapport]), une liste entre crochets avec des virgules ([\"rue\", \"net\"]), une clé une seule fois par section ; voir le format dans le README".into(),
    }
}

/// What is wrong with the line `ligne`, told from its own text (the lines
/// before it for keys and sections written twice), when that is clear.
fn diagnostic(ligne: &str, precedentes: &[&str]) -> Option<String> {
    let en_tete = |l: &str| l.trim_start().starts_with('[') && !l.contains('=');
    if en_tete(ligne) {
        if !ligne.contains(']') {
            return Some("en-tête de section mal écrit : il s'écrit seul sur sa ligne, entre crochets, par exemple [rapport] ou [indicateurs.contacts_rue]".into());
        }
        let nom = ligne.split('#').next().unwrap_or(ligne).trim();
        if precedentes
            .iter()
            .any(|l| l.split('#').next().unwrap_or(l).trim() == nom)
        {
            return Some(format!(
                "section {nom} écrite deux fois : réunissez ses clés sous un seul en-tête"
            ));
        }
        return None;
    }
    let Some((cle, valeur)) = ligne.split_once('=') else {
        return ligne
            .starts_with(|c: char| c.is_alphabetic())
            .then(|| "ligne sans signe = : une ligne du modèle est un en-tête [section], une clé = valeur, ou un commentaire qui commence par #".into());
    };
    let (cle, valeur) = (cle.trim(), valeur.trim());
    let cle_correcte = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.\"' ".contains(c))
    };
    if !cle_correcte(cle) {
        return Some("nom de clé incorrect : des lettres sans accents, des chiffres, - et _, par exemple mots_cles".into());
    }
    if valeur.is_empty() || valeur.starts_with('#') {
        return Some("clé sans valeur : écrivez sa valeur après le signe =".into());
    }
    let premier = valeur.chars().next().unwrap_or(' ');
    if premier == '"' || premier == '\'' {
        let fermee = valeur[1..].contains(premier);
        return (!fermee)
            .then(|| "texte mal fermé : il manque le guillemet de fin, sur la même ligne".into());
    }
    if premier == '[' {
        return Some("liste mal écrite : entre crochets, valeurs séparées par des virgules, par exemple [\"rue\", \"net\"]".into());
    }
    if premier == '{' {
        return Some("table en ligne mal écrite : entre accolades, sur une ligne, par exemple filtres = { programme = \"rue\", action = \"contact\" }".into());
    }
    let mot = valeur
        .split(|c: char| c.is_whitespace() || c == '#')
        .next()
        .unwrap_or("");
    if premier.is_alphabetic() && !["true", "false", "inf", "nan"].contains(&mot) {
        return Some("valeur sans guillemets : un texte s'écrit entre guillemets droits, par exemple titre = \"Rapport d'activité\" (un nombre, une date, true ou false s'écrivent sans guillemets)".into());
    }
    // A key written twice: the same key earlier in the same section.
    let section = precedentes
        .iter()
        .rev()
        .take_while(|l| !en_tete(l))
        .filter_map(|l| l.split_once('='))
        .any(|(c, _)| c.trim() == cle);
    section.then(|| {
        format!("clé « {cle} » écrite deux fois dans la même section : gardez-en une seule")
    })
}

/// What a key of the model expects.
#[derive(Debug, Clone, PartialEq)]
enum Attendu {
    Entier,
    EntierPositif,
    Nombre,
    Booleen,
    Texte,
    Liste,
    Table,
    Date,
    /// One of these words.
    UnDe(&'static [&'static str]),
    /// A form told by the reader of that value (in French: our own readers).
    Forme(String),
}

impl fmt::Display for Attendu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attendu::Entier => f.write_str("un nombre entier, sans guillemets"),
            Attendu::EntierPositif => f.write_str("un nombre entier positif, sans guillemets"),
            Attendu::Nombre => {
                f.write_str("un nombre, sans guillemets (virgule décimale : un point, 2.5)")
            }
            Attendu::Booleen => f.write_str("true ou false, sans guillemets"),
            Attendu::Texte => f.write_str("un texte entre guillemets"),
            Attendu::Liste => f.write_str("une liste entre crochets, [\"a\", \"b\"]"),
            Attendu::Table => {
                f.write_str("une table : une section [nom], ou des accolades { clé = valeur }")
            }
            Attendu::Date => f.write_str("une date sans guillemets, par exemple 2014-04-15"),
            Attendu::UnDe(mots) => write!(f, "un texte parmi : {}", mots.join(", ")),
            Attendu::Forme(forme) => f.write_str(forme),
        }
    }
}

/// What is wrong with the model's shape.
#[derive(Debug, Clone, PartialEq)]
enum Sorte {
    /// A value of another kind than the key's.
    Type {
        trouve: String,
        attendu: Attendu,
    },
    /// A value of the right kind that does not fit (a negative count).
    Valeur {
        trouve: String,
        attendu: Attendu,
    },
    ValeurInconnue {
        valeur: String,
        possibles: &'static [&'static str],
    },
    CleInconnue {
        cle: String,
        possibles: &'static [&'static str],
    },
    CleManquante(&'static str),
    CleEnDouble(&'static str),
    /// Said by one of our own readers, in French.
    Autre(String),
}

impl fmt::Display for Sorte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sorte::Type {
                attendu: Attendu::Date,
                ..
            } => f.write_str("une date s'écrit sans guillemets, par exemple date = 2014-04-15"),
            Sorte::Type { trouve, attendu } => {
                write!(f, "{trouve} écrit ici, alors que la clé attend {attendu}")
            }
            Sorte::Valeur { trouve, attendu } => {
                write!(f, "{trouve} ne convient pas ici : la clé attend {attendu}")
            }
            Sorte::ValeurInconnue { valeur, possibles } => write!(
                f,
                "valeur « {valeur} » inconnue ; valeurs possibles : {}",
                possibles.join(", ")
            ),
            Sorte::CleInconnue { cle, possibles } => match possibles {
                [] => write!(f, "clé « {cle} » inconnue ici"),
                [une] => write!(f, "clé « {cle} » inconnue ; clé possible : {une}"),
                _ => write!(
                    f,
                    "clé « {cle} » inconnue ; clés possibles : {}",
                    possibles.join(", ")
                ),
            },
            Sorte::CleManquante(cle) => write!(f, "la clé « {cle} » est obligatoire ici"),
            Sorte::CleEnDouble(cle) => {
                write!(
                    f,
                    "la clé « {cle} » est écrite deux fois : gardez-en une seule"
                )
            }
            Sorte::Autre(texte) => f.write_str(texte),
        }
    }
}

/// An error of the model's shape: its kind, and the span of the value or
/// key it is about once a reader has placed it.
#[derive(Debug, Clone, PartialEq)]
struct Erreur {
    sorte: Sorte,
    lieu: Option<Range<usize>>,
}

impl Erreur {
    fn new(sorte: Sorte) -> Erreur {
        Erreur { sorte, lieu: None }
    }

    /// Places an error raised by the reader of a value at `lieu`, with what
    /// the key asked for instead of the reader's own words; an error placed
    /// deeper keeps its place.
    fn situer(mut self, lieu: Range<usize>, demande: Option<&Attendu>) -> Erreur {
        if self.lieu.is_none() {
            self.lieu = Some(lieu);
            if let (Sorte::Type { attendu, .. } | Sorte::Valeur { attendu, .. }, Some(d)) =
                (&mut self.sorte, demande)
            {
                *attendu = d.clone();
            }
        }
        self
    }
}

impl fmt::Display for Erreur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.sorte.fmt(f)
    }
}

impl std::error::Error for Erreur {}

impl de::Error for Erreur {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Erreur::new(Sorte::Autre(message.to_string()))
    }

    fn invalid_type(trouve: Unexpected<'_>, attendu: &dyn Expected) -> Self {
        Erreur::new(Sorte::Type {
            trouve: decrire(&trouve),
            attendu: Attendu::Forme(attendu.to_string()),
        })
    }

    fn invalid_value(trouve: Unexpected<'_>, attendu: &dyn Expected) -> Self {
        Erreur::new(Sorte::Valeur {
            trouve: decrire(&trouve),
            attendu: Attendu::Forme(attendu.to_string()),
        })
    }

    fn unknown_variant(valeur: &str, possibles: &'static [&'static str]) -> Self {
        Erreur::new(Sorte::ValeurInconnue {
            valeur: valeur.into(),
            possibles,
        })
    }

    fn unknown_field(cle: &str, possibles: &'static [&'static str]) -> Self {
        Erreur::new(Sorte::CleInconnue {
            cle: cle.into(),
            possibles,
        })
    }

    fn missing_field(cle: &'static str) -> Self {
        Erreur::new(Sorte::CleManquante(cle))
    }

    fn duplicate_field(cle: &'static str) -> Self {
        Erreur::new(Sorte::CleEnDouble(cle))
    }
}

/// A value as found, in French.
fn decrire(trouve: &Unexpected<'_>) -> String {
    match trouve {
        Unexpected::Bool(b) => format!("la valeur {b}"),
        Unexpected::Unsigned(n) => format!("le nombre entier {n}"),
        Unexpected::Signed(n) => format!("le nombre entier {n}"),
        Unexpected::Float(x) => format!("le nombre {x}"),
        Unexpected::Char(c) => format!("le texte « {c} »"),
        Unexpected::Str(s) => format!("le texte « {s} »"),
        Unexpected::Seq => "une liste".into(),
        Unexpected::Map => "une table".into(),
        Unexpected::Other(quoi) => (*quoi).into(),
        _ => "une valeur".into(),
    }
}

/// A TOML value as found, in French.
fn decrire_valeur(valeur: &DeValue<'_>) -> String {
    match valeur {
        DeValue::String(s) => format!("le texte « {s} »"),
        DeValue::Integer(n) => format!("le nombre entier {n}"),
        DeValue::Float(x) => format!("le nombre {x}"),
        DeValue::Boolean(b) => format!("la valeur {b}"),
        DeValue::Datetime(d) => format!("la date {d}"),
        DeValue::Array(_) => "une liste".into(),
        DeValue::Table(_) => "une table".into(),
    }
}

/// Reads one spanned TOML value into whatever the model declares there.
struct Lecteur<'a, 'i> {
    valeur: &'a Spanned<DeValue<'i>>,
}

impl<'a, 'i> Lecteur<'a, 'i> {
    /// The error of a value of the wrong kind for `attendu`.
    fn mauvais_type(&self, attendu: Attendu) -> Erreur {
        Erreur::new(Sorte::Type {
            trouve: decrire_valeur(self.valeur.get_ref()),
            attendu,
        })
        .situer(self.valeur.span(), None)
    }

    /// Hands the value to `visitor` as what it is; errors placed at the
    /// value, told as expecting `demande` when the key asked for it.
    fn donner<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        demande: Option<Attendu>,
    ) -> Result<V::Value, Erreur> {
        let lieu = self.valeur.span();
        let resultat = match self.valeur.get_ref() {
            DeValue::String(s) => visitor.visit_str(s),
            DeValue::Integer(n) => {
                if let Ok(n) = i64::from_str_radix(n.as_str(), n.radix()) {
                    visitor.visit_i64(n)
                } else if let Ok(n) = u64::from_str_radix(n.as_str(), n.radix()) {
                    visitor.visit_u64(n)
                } else {
                    Err(Erreur::new(Sorte::Valeur {
                        trouve: format!("le nombre entier {n}, trop grand,"),
                        attendu: Attendu::Entier,
                    }))
                }
            }
            DeValue::Float(x) => match x.as_str().parse::<f64>() {
                Ok(x) => visitor.visit_f64(x),
                Err(_) => Err(Erreur::new(Sorte::Valeur {
                    trouve: format!("le nombre {x}"),
                    attendu: Attendu::Nombre,
                })),
            },
            DeValue::Boolean(b) => visitor.visit_bool(*b),
            DeValue::Datetime(d) => {
                visitor.visit_map(toml_datetime::de::DatetimeDeserializer::<Erreur>::new(*d))
            }
            DeValue::Array(liste) => visitor.visit_seq(Liste {
                elements: liste.iter(),
            }),
            DeValue::Table(table) => visitor.visit_map(Table {
                entrees: table.iter(),
                valeur: None,
            }),
        };
        resultat.map_err(|e| e.situer(lieu, demande.as_ref()))
    }
}

macro_rules! demander {
    ($($methode:ident => $attendu:expr),* $(,)?) => {
        $(
            fn $methode<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Erreur> {
                self.donner(visitor, Some($attendu))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Lecteur<'_, '_> {
    type Error = Erreur;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Erreur> {
        self.donner(visitor, None)
    }

    demander! {
        deserialize_bool => Attendu::Booleen,
        deserialize_i8 => Attendu::Entier,
        deserialize_i16 => Attendu::Entier,
        deserialize_i32 => Attendu::Entier,
        deserialize_i64 => Attendu::Entier,
        deserialize_i128 => Attendu::Entier,
        deserialize_u8 => Attendu::EntierPositif,
        deserialize_u16 => Attendu::EntierPositif,
        deserialize_u32 => Attendu::EntierPositif,
        deserialize_u64 => Attendu::EntierPositif,
        deserialize_u128 => Attendu::EntierPositif,
        deserialize_f32 => Attendu::Nombre,
        deserialize_f64 => Attendu::Nombre,
        deserialize_char => Attendu::Texte,
        deserialize_str => Attendu::Texte,
        deserialize_string => Attendu::Texte,
        deserialize_bytes => Attendu::Texte,
        deserialize_byte_buf => Attendu::Texte,
        deserialize_identifier => Attendu::Texte,
        deserialize_unit => Attendu::Table,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Erreur> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _nom: &'static str,
        visitor: V,
    ) -> Result<V::Value, Erreur> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _nom: &'static str,
        visitor: V,
    ) -> Result<V::Value, Erreur> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Erreur> {
        match self.valeur.get_ref() {
            DeValue::Array(_) => self.donner(visitor, Some(Attendu::Liste)),
            _ => Err(self.mauvais_type(Attendu::Liste)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _longueur: usize,
        visitor: V,
    ) -> Result<V::Value, Erreur> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _nom: &'static str,
        _longueur: usize,
        visitor: V,
    ) -> Result<V::Value, Erreur> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Erreur> {
        match self.valeur.get_ref() {
            DeValue::Table(_) => self.donner(visitor, Some(Attendu::Table)),
            _ => Err(self.mauvais_type(Attendu::Table)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        nom: &'static str,
        _cles: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Erreur> {
        if toml_datetime::de::is_datetime(nom) {
            return match self.valeur.get_ref() {
                DeValue::Datetime(_) => self.donner(visitor, Some(Attendu::Date)),
                _ => Err(self.mauvais_type(Attendu::Date)),
            };
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _nom: &'static str,
        variantes: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Erreur> {
        match self.valeur.get_ref() {
            DeValue::String(s) => {
                let mot: StrDeserializer<'_, Erreur> = s.as_ref().into_deserializer();
                visitor
                    .visit_enum(mot)
                    .map_err(|e| e.situer(self.valeur.span(), None))
            }
            _ => Err(self.mauvais_type(Attendu::UnDe(variantes))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Erreur> {
        visitor.visit_unit()
    }
}

/// The elements of a TOML array, one by one.
struct Liste<'a, 'i> {
    elements: std::slice::Iter<'a, Spanned<DeValue<'i>>>,
}

impl<'de> SeqAccess<'de> for Liste<'_, '_> {
    type Error = Erreur;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Erreur> {
        self.elements
            .next()
            .map(|valeur| seed.deserialize(Lecteur { valeur }))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.elements.len())
    }
}

/// The entries of a TOML table: keys (placed at their own span), then values.
struct Table<'a, 'i, I: Iterator<Item = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>)>>
where
    'i: 'a,
{
    entrees: I,
    valeur: Option<&'a Spanned<DeValue<'i>>>,
}

impl<'de, 'a, 'i: 'a, I> MapAccess<'de> for Table<'a, 'i, I>
where
    I: Iterator<Item = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>)>,
{
    type Error = Erreur;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Erreur> {
        let Some((cle, valeur)) = self.entrees.next() else {
            return Ok(None);
        };
        self.valeur = Some(valeur);
        let mot: StrDeserializer<'_, Erreur> = cle.get_ref().as_ref().into_deserializer();
        seed.deserialize(mot)
            .map(Some)
            .map_err(|e| e.situer(cle.span(), Some(&Attendu::Texte)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Erreur> {
        match self.valeur.take() {
            Some(valeur) => seed.deserialize(Lecteur { valeur }),
            None => Err(de::Error::custom("valeur lue avant sa clé")),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Association {
        creation: i32,
        #[serde(default)]
        seuil: Option<u32>,
        #[serde(default)]
        mesure: Option<crate::model::Mesure>,
        #[serde(default)]
        date: Option<toml::value::Datetime>,
    }

    /// The French message and line of the error of reading `texte` as `T`.
    fn erreur<T: DeserializeOwned + fmt::Debug>(texte: &str) -> (String, Option<usize>) {
        let e = lire::<T>(texte).unwrap_err();
        (e.message, e.ligne)
    }

    fn syntaxe(texte: &str) -> String {
        erreur::<toml::Table>(texte).0
    }

    #[test]
    fn syntax_mistakes_are_told_from_the_line_with_the_parsers_own_words() {
        let m = syntaxe("titre = Rapport");
        assert!(m.starts_with("valeur sans guillemets"), "{m}");
        assert!(m.contains("« titre = Rapport »"), "{m}");
        assert!(m.contains("(lecteur TOML : "), "{m}");
        assert!(syntaxe("titre = \"Rapport").starts_with("texte mal fermé"));
        assert!(syntaxe("titre =").starts_with("clé sans valeur"));
        assert!(syntaxe("a = 1\nb = 2\na = 3").starts_with("clé « a » écrite deux fois"));
        assert!(syntaxe("[a]\nx = 1\n[a]\ny = 2").starts_with("section [a] écrite deux fois"));
        assert!(syntaxe("[rapport\ntitre = \"x\"").starts_with("en-tête de section mal écrit"));
        assert!(syntaxe("m = [\"a\" \"b\"]").starts_with("liste mal écrite"));
        assert!(syntaxe("f = { a = \"b\" c = \"d\" }").starts_with("table en ligne mal écrite"));
        assert!(syntaxe("titre \"x\"").starts_with("ligne sans signe ="));
        assert!(syntaxe("création = 2001").starts_with("nom de clé incorrect"));
        assert_eq!(erreur::<toml::Table>("a = 1\n\ntitre = Rapport").1, Some(3));
        // The first mistake of the file is told, whatever order the parser finds them in.
        let deux = erreur::<toml::Table>(
            "a = 1\ntitre = Rapport d'activité\n[b]\nc = Chiffres clés {{ annee }}",
        );
        assert_eq!(deux.1, Some(2), "{}", deux.0);
    }

    #[test]
    fn a_syntax_error_the_line_does_not_explain_keeps_the_parsers_words() {
        let m = syntaxe("a = 1979-13-45");
        assert!(
            m.starts_with("écriture incorrecte pour un modèle TOML"),
            "{m}"
        );
        assert!(m.contains("(lecteur TOML : "), "{m}");
    }

    #[test]
    fn values_of_the_wrong_kind_say_what_was_found_and_what_the_key_expects() {
        assert_eq!(
            erreur::<Association>("creation = \"2000\""),
            (
                "le texte « 2000 » écrit ici, alors que la clé attend un nombre entier, sans guillemets".into(),
                Some(1)
            )
        );
        assert_eq!(
            erreur::<Association>("creation = 2000\nseuil = -3").0,
            "le nombre entier -3 ne convient pas ici : la clé attend un nombre entier positif, sans guillemets"
        );
        assert_eq!(
            erreur::<Association>("creation = 2000\nmesure = 3").0,
            "le nombre entier 3 écrit ici, alors que la clé attend un texte parmi : lignes, somme, personnes, nouvelles_personnes, part"
        );
        assert_eq!(
            erreur::<Association>("creation = 2000\ndate = \"2014-04-15\""),
            (
                "une date s'écrit sans guillemets, par exemple date = 2014-04-15".into(),
                Some(2)
            )
        );
        assert_eq!(
            erreur::<BTreeMap<String, Vec<String>>>("a = \"x\"").0,
            "le texte « x » écrit ici, alors que la clé attend une liste entre crochets, [\"a\", \"b\"]"
        );
    }

    #[test]
    fn unknown_and_missing_keys_are_placed_at_their_line() {
        assert_eq!(
            erreur::<Association>("creation = 2000\n\ncreations = 2001"),
            (
                "clé « creations » inconnue ; clés possibles : creation, seuil, mesure, date"
                    .into(),
                Some(3)
            )
        );
        assert_eq!(
            erreur::<Association>("seuil = 5").0,
            "la clé « creation » est obligatoire ici"
        );
        assert_eq!(
            erreur::<Association>("creation = 2000\nmesure = \"compte\""),
            (
                "valeur « compte » inconnue ; valeurs possibles : lignes, somme, personnes, nouvelles_personnes, part"
                    .into(),
                Some(2)
            )
        );
    }

    #[test]
    fn a_good_model_reads_as_toml_itself_reads_it() {
        let texte = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/rapport.toml"),
        )
        .unwrap();
        let nous: toml::Table = lire(&texte).unwrap();
        let eux: toml::Table = toml::from_str(&texte).unwrap();
        assert_eq!(nous, eux);
        let a: Association = lire("creation = 0x7D0\ndate = 2014-04-15").unwrap();
        assert_eq!(a.creation, 2000);
        assert_eq!(a.date.unwrap().to_string(), "2014-04-15");
    }
}
