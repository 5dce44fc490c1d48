//! French typography of the narrative texts, applied when they are rendered
//! (never to the project's files): the spaces French puts before `;`, `!`,
//! `?`, `:` and inside « », the spaces that must not break (inside a number,
//! between a number and its unit or the word it counts), typographic
//! apostrophes and quotes.
//!
//! It works on the texts of the tree made by [`super::markdown::arbre`]:
//! code, link targets and the placeholders' syntax are not texts of the
//! tree, so they are never touched; within a text, URLs and e-mail addresses
//! are copied as they are.

use super::arbre::{Balise, Noeud};

use crate::fr::{FINE, INSECABLE};

/// What surrounds a piece of text in its paragraph, for the rules that look
/// across the pieces of a paragraph (`**gras** :`, `"*mot*"`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Contexte {
    /// The last character of the paragraph before the piece, if any.
    pub avant: Option<char>,
    /// The first character of the paragraph after the piece, if any.
    pub apres: Option<char>,
    /// Whether the paragraph so far ended with a number (`1 667`), not a word (`COVID19`).
    pub apres_un_nombre: bool,
    /// Whether a straight double quote `"` has been opened and not closed.
    pub guillemet_ouvert: bool,
}

/// `texte` in French typography, as a paragraph of its own.
///
/// `Attention : il faut ; « bonjour » ! 62,5 % et 1 667 personnes` gets a
/// no-break space before `:`, narrow no-break spaces before `;` and `!` and
/// inside « », a narrow no-break space before `%` and between thousands (as
/// the `nombre` and `pourcent` filters print them), and a no-break space
/// between `1 667` and `personnes`. Straight apostrophes become `’`, straight
/// double quotes « ». Missing spaces are added (`Attention: oui` →
/// `Attention : oui`), except where the punctuation is glued to what follows
/// (`10:30`, `index.php?id=3`). Applying it twice changes nothing more.
pub fn typographier(texte: &str) -> String {
    typographier_dans(texte, &mut Contexte::default())
}

/// [`typographier`] for a piece of a paragraph, in its `contexte`, which is
/// updated to what follows the piece (its `apres` is left to the caller).
pub fn typographier_dans(texte: &str, contexte: &mut Contexte) -> String {
    let chars: Vec<char> = texte.chars().collect();
    let protege = proteges(&chars);
    let n = chars.len();
    let mut out = String::with_capacity(texte.len() + 8);
    // The last character written (or the one before the piece).
    let mut prec = contexte.avant;
    // Whether the last thing written is a standalone number.
    let mut nombre = contexte.apres_un_nombre;
    // Whether that number is a year (`en 2013 contre`), which stays apart from the next word.
    let mut annee = false;
    let apres_piece = contexte.apres;
    let lettres = &chars;
    let suivant = move |j: usize| if j < n { Some(lettres[j]) } else { apres_piece };
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if protege[i] {
            out.push(c);
            prec = Some(c);
            nombre = false;
            i += 1;
            continue;
        }
        if est_espace(c) {
            let debut = i;
            while i < n && est_espace(chars[i]) && !protege[i] {
                i += 1;
            }
            let apres = suivant(i);
            let mot: String = chars[i..]
                .iter()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let mot = (!annee).then_some(mot.as_str());
            match espace_entre(prec, nombre, apres, mot, contexte.guillemet_ouvert) {
                Some(e) => {
                    out.push(e);
                    prec = Some(e);
                }
                None => {
                    out.extend(&chars[debut..i]);
                    prec = Some(chars[i - 1]);
                }
            }
            nombre = false;
            continue;
        }
        if c.is_ascii_digit() && !prec.is_some_and(char::is_alphanumeric) {
            let (chiffres, fin) = nombre_typographie(&chars, i, &protege);
            out.push_str(&chiffres);
            prec = chiffres.chars().last();
            nombre = true;
            annee = chiffres.len() == 4
                && chiffres
                    .parse::<u32>()
                    .is_ok_and(|a| (1900..=2100).contains(&a));
            i = fin;
            continue;
        }
        let apres = suivant(i + 1);
        let colle = prec.is_some_and(|p| !est_espace(p));
        match c {
            ';' | '!' | '?' | ':' => {
                // A space is added only between a word and its punctuation
                // mark ending a clause: not in 10:30 or index.php?id=3, nor
                // between two marks (?!).
                let fin_de_mot = prec.is_some_and(|p| p.is_alphanumeric() || ")]»’\"…".contains(p));
                let finit = apres.is_none_or(|a| !a.is_alphanumeric());
                if fin_de_mot && finit && !(c == ':' && apres.is_some_and(|a| a == '/')) {
                    out.push(if c == ':' { INSECABLE } else { FINE });
                }
                out.push(c);
            }
            '«' => {
                out.push('«');
                if apres.is_some_and(|a| !est_espace(a)) {
                    out.push(FINE);
                }
            }
            '»' => {
                if colle {
                    out.push(FINE);
                }
                out.push('»');
            }
            '"' if !contexte.guillemet_ouvert => {
                contexte.guillemet_ouvert = true;
                out.push('«');
                if apres.is_some_and(|a| !est_espace(a)) {
                    out.push(FINE);
                }
            }
            '"' => {
                contexte.guillemet_ouvert = false;
                if colle {
                    out.push(FINE);
                }
                out.push('»');
            }
            '\'' => {
                let ouvrant = prec.is_none_or(|p| est_espace(p) || "([«—–-".contains(p));
                out.push(if ouvrant { '‘' } else { '’' });
            }
            '%' | '‰' if nombre => {
                out.push(FINE);
                out.push(c);
            }
            '€' if nombre => {
                out.push(INSECABLE);
                out.push(c);
            }
            _ => out.push(c),
        }
        prec = out.chars().next_back();
        nombre = false;
        i += 1;
    }
    if prec.is_some() {
        contexte.avant = prec;
    }
    contexte.apres_un_nombre = nombre;
    out
}

/// Short words that follow a number without being what it counts or
/// measures (`2012 et 2013`, `119 l’année précédente`, `du 115 au`).
const MOTS_OUTILS: [&str; 30] = [
    "à", "au", "aux", "avec", "contre", "d", "dans", "de", "des", "dont", "du", "en", "entre",
    "et", "l", "la", "le", "les", "mais", "ni", "ou", "par", "pour", "puis", "que", "qui", "sans",
    "soit", "sur", "vers",
];

/// What a run of spaces becomes between `prec` and `apres` (`None`: left as
/// written). `nombre`: `prec` ends a standalone number; `mot`: the word
/// that starts at `apres` (empty when it is in the next piece), `None` when
/// the number is a year, which is not glued to the next word.
fn espace_entre(
    prec: Option<char>,
    nombre: bool,
    apres: Option<char>,
    mot: Option<&str>,
    guillemet_ouvert: bool,
) -> Option<char> {
    let prec = prec?;
    let apres = apres?;
    if prec == '«' {
        return Some(FINE);
    }
    match apres {
        ';' | '!' | '?' | '»' => return Some(FINE),
        ':' => return Some(INSECABLE),
        '"' if guillemet_ouvert => return Some(FINE),
        _ => {}
    }
    if nombre {
        return match apres {
            '%' | '‰' => Some(FINE),
            '€' | '$' | '£' | '°' => Some(INSECABLE),
            a if a.is_alphabetic() => match mot {
                Some(m) if !MOTS_OUTILS.contains(&m.to_lowercase().as_str()) => Some(INSECABLE),
                _ => None,
            },
            _ => None,
        };
    }
    None
}

/// A space of any kind within a line (not a line break).
fn est_espace(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// A number as written in French prose: its integer part in groups (one
/// group, or thousands separated by spaces) and its decimals.
#[derive(Debug, PartialEq)]
pub struct NombreEcrit {
    /// The groups of the integer part, as written (`["1", "667"]` for `1 667`).
    pub groupes: Vec<String>,
    /// The digits after the decimal comma (`"5"` in `62,5`), empty if none.
    pub decimales: String,
    /// The index just after the number.
    pub fin: usize,
}

/// The number of `chars` starting at `debut`, where `chiffre(j)` says
/// whether `chars[j]` is a digit to read (false past the end) and
/// `espace(j)` whether it is a space that may separate thousands. A group
/// of three digits after a space is a thousands group only after a first
/// group of one to three digits (`2012 2013` stays two numbers), and when no
/// fourth digit follows it.
pub fn lire_nombre(
    chars: &[char],
    debut: usize,
    chiffre: impl Fn(usize) -> bool,
    espace: impl Fn(usize) -> bool,
) -> NombreEcrit {
    let n = chars.len();
    let mut j = debut;
    while chiffre(j) {
        j += 1;
    }
    let mut groupes = vec![chars[debut..j].iter().collect::<String>()];
    if j - debut <= 3 {
        while j < n && espace(j) && (1..=3).all(|k| chiffre(j + k)) && !chiffre(j + 4) {
            groupes.push(chars[j + 1..j + 4].iter().collect());
            j += 4;
        }
    }
    let mut decimales = String::new();
    if j + 1 < n && chars[j] == ',' && chiffre(j + 1) {
        j += 1;
        while chiffre(j) {
            decimales.push(chars[j]);
            j += 1;
        }
    }
    NombreEcrit {
        groupes,
        decimales,
        fin: j,
    }
}

/// The number starting at `debut`, in French typography: its thousands
/// grouped by narrow no-break spaces (`1 667`, `1 667`, `1 667` alike),
/// and its decimal part (`62,5`); and the index after it.
fn nombre_typographie(chars: &[char], debut: usize, protege: &[bool]) -> (String, usize) {
    let n = chars.len();
    let lu = lire_nombre(
        chars,
        debut,
        |j| j < n && chars[j].is_ascii_digit() && !protege[j],
        |j| est_espace(chars[j]) && !protege[j],
    );
    let mut out = lu.groupes.join(&FINE.to_string());
    if !lu.decimales.is_empty() {
        out.push(',');
        out.push_str(&lu.decimales);
    }
    (out, lu.fin)
}

/// Which characters belong to a URL or an e-mail address, left as written.
fn proteges(chars: &[char]) -> Vec<bool> {
    let mut protege = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let debut = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let mot: String = chars[debut..i].iter().collect();
        if est_adresse(&mot) {
            protege[debut..i].fill(true);
        }
    }
    protege
}

/// Whether a word (text between spaces) is or holds a URL or an e-mail
/// address: `https://…`, `www.…`, `nom@domaine.fr`.
pub fn est_adresse(mot: &str) -> bool {
    if mot.contains("://") {
        return true;
    }
    let nu = mot.trim_start_matches(|c: char| !c.is_alphanumeric());
    if nu.len() > 4 && nu.get(..4).is_some_and(|d| d.eq_ignore_ascii_case("www.")) {
        return true;
    }
    match mot.split_once('@') {
        Some((nom, domaine)) => {
            nom.chars().next_back().is_some_and(char::is_alphanumeric)
                && domaine
                    .split_once('.')
                    .is_some_and(|(d, tld)| !d.is_empty() && tld.starts_with(char::is_alphanumeric))
        }
        None => false,
    }
}

/// One piece of a paragraph: a text to set, or something to read around
/// (code, a line break) whose first and last characters matter.
enum Morceau<'a> {
    Texte(&'a mut String),
    Opaque(Option<char>, Option<char>),
}

/// Applies the typography to every text of a tree made by
/// [`super::markdown::arbre`], paragraph by paragraph: the pieces of a
/// paragraph (`Du `, `*gras*`, ` :`) are set as one text. Code and code
/// blocks are left as they are; a footnote is a paragraph of its own.
pub fn typographier_arbre(blocs: &mut [Noeud]) {
    let mut paragraphes: Vec<Vec<Morceau>> = Vec::new();
    let mut courant = Vec::new();
    for b in blocs.iter_mut() {
        collecter(b, &mut courant, &mut paragraphes);
    }
    paragraphes.push(courant);
    for morceaux in &mut paragraphes {
        let premiers: Vec<Option<char>> = morceaux
            .iter()
            .map(|m| match m {
                Morceau::Texte(s) => s.chars().next(),
                Morceau::Opaque(p, _) => *p,
            })
            .collect();
        let mut contexte = Contexte::default();
        for (k, m) in morceaux.iter_mut().enumerate() {
            match m {
                Morceau::Texte(s) => {
                    contexte.apres = premiers[k + 1..].iter().flatten().next().copied();
                    **s = typographier_dans(s, &mut contexte);
                }
                Morceau::Opaque(_, dernier) => {
                    if dernier.is_some() {
                        contexte.avant = *dernier;
                    }
                    contexte.apres_un_nombre = false;
                }
            }
        }
    }
}

fn collecter<'a>(
    noeud: &'a mut Noeud,
    courant: &mut Vec<Morceau<'a>>,
    paragraphes: &mut Vec<Vec<Morceau<'a>>>,
) {
    let element = match noeud {
        Noeud::Texte(s) => return courant.push(Morceau::Texte(s)),
        Noeud::Balise(e) => e,
    };
    match element {
        Balise::Code { v } => {
            courant.push(Morceau::Opaque(v.chars().next(), v.chars().next_back()));
        }
        Balise::Saut => courant.push(Morceau::Opaque(Some('\n'), Some('\n'))),
        Balise::BlocDeCode { .. } | Balise::Filet => paragraphes.push(std::mem::take(courant)),
        Balise::Image { alt, credit, .. } => {
            // Its alt text and credit, each a paragraph of its own.
            paragraphes.push(std::mem::take(courant));
            paragraphes.push(vec![Morceau::Texte(alt)]);
            paragraphes.extend(credit.as_mut().map(|c| vec![Morceau::Texte(c)]));
        }
        Balise::Note { enfants } => {
            // Set apart: the paragraph goes on after its call.
            let mut note = Vec::new();
            for e in enfants {
                collecter(e, &mut note, paragraphes);
            }
            paragraphes.push(note);
        }
        element => {
            let bloc = element.est_un_bloc();
            if bloc {
                paragraphes.push(std::mem::take(courant));
            }
            for e in element.enfants_mut().into_iter().flatten() {
                collecter(e, courant, paragraphes);
            }
            if bloc {
                paragraphes.push(std::mem::take(courant));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const F: char = FINE;
    const I: char = INSECABLE;

    #[test]
    fn the_issue_sentence_gets_every_french_space() {
        assert_eq!(
            typographier("Attention : il faut ; « bonjour » ! 62,5 % et 1 667 personnes"),
            format!(
                "Attention{I}: il faut{F}; «{F}bonjour{F}»{F}! 62,5{F}% et 1{F}667{I}personnes"
            )
        );
    }

    #[test]
    fn missing_spaces_are_added_and_glued_punctuation_is_left_alone() {
        assert_eq!(
            typographier("Attention: oui; non! «non»"),
            format!("Attention{I}: oui{F}; non{F}! «{F}non{F}»")
        );
        assert_eq!(
            typographier("à 10:30, quoi ?!"),
            format!("à 10:30, quoi{F}?!")
        );
        assert_eq!(typographier("62,5% et 30€"), format!("62,5{F}% et 30{I}€"));
    }

    #[test]
    fn numbers_are_grouped_like_the_nombre_filter_and_stay_with_their_word() {
        assert_eq!(
            typographier("16119 visites, 16 119 visites"),
            format!("16119{I}visites, 16{F}119{I}visites")
        );
        assert_eq!(crate::fr::nombre(1667.0, 0), typographier("1 667"));
        assert_eq!(typographier("en 2012 2013"), "en 2012 2013");
        // Not a year, nor a number before a short word that is not what it counts.
        assert_eq!(
            typographier("2012 et 2013, 16 119 visites en 2013 contre 119 l'année d'avant"),
            format!("2012 et 2013, 16{F}119{I}visites en 2013 contre 119 l’année d’avant")
        );
        assert_eq!(typographier("24 h sur 24"), format!("24{I}h sur 24"));
        assert_eq!(typographier("100 m²"), format!("100{I}m²"));
        // A word ending with digits is not a number.
        assert_eq!(typographier("COVID19 vaccin"), "COVID19 vaccin");
    }

    #[test]
    fn apostrophes_and_straight_quotes_become_typographic() {
        assert_eq!(
            typographier("l'association dit \"bonjour\" et 'salut'"),
            format!("l’association dit «{F}bonjour{F}» et ‘salut’")
        );
        assert_eq!(typographier("\" espacé \""), format!("«{F}espacé{F}»"));
    }

    #[test]
    fn urls_and_email_addresses_are_untouched() {
        for adresse in [
            "https://exemple.org/page?id=3&x=l'a:b",
            "http://x.fr/a;b!",
            "www.amarres.org/l'aide?oui",
            "contact@amarres.org",
            "(https://exemple.org/a?b:c)",
        ] {
            let texte = format!("Voir {adresse} : merci");
            assert_eq!(
                typographier(&texte),
                format!("Voir {adresse}{I}: merci"),
                "{adresse}"
            );
        }
    }

    #[test]
    fn typography_applied_twice_changes_nothing_more() {
        for t in [
            "Attention : il faut ; « bonjour » ! 62,5 % et 1 667 personnes",
            "l'association dit \"bonjour\" : 30€, 1667 TDS ?!",
            "Voir https://x.org/?a=1 ou a@b.fr ; « cité »",
        ] {
            let une = typographier(t);
            assert_eq!(typographier(&une), une, "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn typography_changes_only_spaces_and_marks_and_a_second_pass_nothing(
            t in "[a-zé0-9 '\":;!?%€«»,.()/@-]{0,40}|(www|https://)[a-z./?:;']{0,12}"
        ) {
            let une = typographier(&t);
            proptest::prop_assert_eq!(&typographier(&une), &une);
            let lettres = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
            proptest::prop_assert_eq!(lettres(&une), lettres(&t));
        }
    }

    #[test]
    fn rules_see_across_the_pieces_of_a_paragraph_but_not_into_code() {
        let mut arbre = super::super::markdown::arbre(
            "**Note**: \"*mot*\" et `a ; b` ; 1 667 *personnes*\n\n```\nx ; y 'z'\n```\n",
        );
        typographier_arbre(&mut arbre);
        let arbre = serde_json::to_value(&arbre).unwrap();
        assert_eq!(
            arbre[0],
            json!({"t": "p", "c": [
                {"t": "strong", "c": ["Note"]},
                format!("{I}: «{F}"),
                {"t": "em", "c": ["mot"]},
                format!("{F}» et "),
                {"t": "code", "v": "a ; b"},
                format!("{F}; 1{F}667{I}"),
                {"t": "em", "c": ["personnes"]},
            ]})
        );
        assert_eq!(arbre[1], json!({"t": "codebloc", "c": ["x ; y 'z'\n"]}));
    }

    #[test]
    fn a_footnote_does_not_break_its_paragraph() {
        let mut arbre =
            super::super::markdown::arbre("Les HSH[^1] : discrets.\n\n[^1]: Voir l'avis.\n");
        typographier_arbre(&mut arbre);
        let arbre = serde_json::to_value(&arbre).unwrap();
        assert_eq!(arbre[0]["c"][0], json!("Les HSH"));
        assert_eq!(arbre[0]["c"][1]["c"][0]["c"][0], json!("Voir l’avis."));
        assert_eq!(arbre[0]["c"][2], json!(format!("{I}: discrets.")));
    }
}
