//! Cells that look like personal data: an e-mail address, a phone number,
//! a social security number (NIR, its key checked), an IBAN (its ISO 13616
//! check checked), a postal address (`12 rue des Lilas`), a person's name
//! (`Marie DUPONT`, `DUPONT Marie`, `Mme Dupont`, `Marie D.`), a birth date
//! (`née le 12/05/1980`, or a date long before the file's own). Each test
//! runs only when the cell has what it needs (an `@`, enough digits, a
//! capital letter), so that a cell of plain words costs one pass over its
//! bytes.

use super::prenoms::prenom_connu;

/// What a cell looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soupcon {
    /// `marie.d@example.org`.
    Email,
    /// `06 12 34 56 78`, `+40 721 234 567`.
    Telephone,
    /// A social security number whose key is right.
    Nir,
    /// An IBAN whose check digits are right.
    Iban,
    /// `12 rue des Lilas`.
    Adresse,
    /// `Marie DUPONT`, `Mme Dupont`.
    Nom,
    /// A date or a year after a word of birth (`né le`, `DDN`, `naissance`).
    Naissance,
    /// A full date with no word of birth near it, and its year: a birth
    /// date if it is long before the file's own dates, which only the end
    /// of the file tells ([`super::Garde::signaler`]).
    Date(i32),
}

impl Soupcon {
    /// What the cell looks like, as messages say it.
    pub fn quoi(self) -> &'static str {
        match self {
            Soupcon::Email => "une adresse e-mail",
            Soupcon::Telephone => "un numéro de téléphone",
            Soupcon::Nir => "un numéro de sécurité sociale",
            Soupcon::Iban => "un IBAN (coordonnées bancaires)",
            Soupcon::Adresse => "une adresse postale",
            Soupcon::Nom => "un nom de personne",
            Soupcon::Naissance | Soupcon::Date(_) => "une date de naissance",
        }
    }

    /// Whether the cell is personal data whatever the rest of the file.
    pub fn certain(self) -> bool {
        !matches!(self, Soupcon::Date(_))
    }
}

/// What a cell looks like, if it looks like personal data.
pub fn valeur_personnelle(cellule: &str) -> Option<Soupcon> {
    if cellule.len() < 4 {
        return None;
    }
    let (mut chiffres, mut arobase, mut capitale, mut ascii) = (0usize, false, false, true);
    for b in cellule.bytes() {
        chiffres += usize::from(b.is_ascii_digit());
        arobase |= b == b'@';
        capitale |= b.is_ascii_uppercase();
        ascii &= b.is_ascii();
    }
    capitale = capitale || (!ascii && cellule.chars().any(char::is_uppercase));
    if arobase && contient_email(cellule) {
        return Some(Soupcon::Email);
    }
    if chiffres >= 13 && contient_nir(cellule) {
        return Some(Soupcon::Nir);
    }
    if chiffres >= 10 && contient_iban(cellule) {
        return Some(Soupcon::Iban);
    }
    if chiffres >= 9 && contient_telephone(cellule) {
        return Some(Soupcon::Telephone);
    }
    let date = if chiffres >= 2 && (chiffres >= 6 || indice_de_naissance(cellule)) {
        match dates(cellule) {
            Some(Dates::Naissance) => return Some(Soupcon::Naissance),
            Some(Dates::Annee(a)) => Some(Soupcon::Date(a)),
            None => None,
        }
    } else {
        None
    };
    if chiffres >= 1 && contient_adresse(cellule) {
        return Some(Soupcon::Adresse);
    }
    if capitale && contient_nom(cellule) {
        return Some(Soupcon::Nom);
    }
    date
}

/// What a cell of a person's pseudonymous code looks like: what any cell
/// may look like, and besides a name written whole, one to three words of
/// letters with a known first name (`Marie`, `marie dupont`); `inconnu` or
/// `non renseigné` are not names.
pub fn code_personnel(cellule: &str) -> Option<Soupcon> {
    if let Some(s) = valeur_personnelle(cellule) {
        return Some(s);
    }
    if cellule.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mots: Vec<&str> = cellule.split_whitespace().collect();
    let lettres = |m: &&str| {
        m.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    };
    let nom = match mots.len() {
        1 => lettres(&mots[0]) && prenom_connu(mots[0]),
        2 | 3 => mots.iter().all(lettres) && mots.iter().any(|m| prenom_connu(m)),
        _ => false,
    };
    nom.then_some(Soupcon::Nom)
}

// --- E-mail addresses and phone numbers -------------------------------------

fn contient_email(t: &str) -> bool {
    let octets = t.as_bytes();
    for (i, _) in t.match_indices('@') {
        let local = octets[..i]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(b))
            .count();
        let domaine: &[u8] = {
            let n = octets[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || b".-".contains(b))
                .count();
            &octets[i + 1..i + 1 + n]
        };
        let domaine = domaine.strip_suffix(b".").unwrap_or(domaine);
        if local > 0
            && let Some(point) = domaine.iter().rposition(|b| *b == b'.')
            && point > 0
            && domaine.len() - point > 2
        {
            return true;
        }
    }
    false
}

/// Runs of digit groups, each group separated from the next by one space,
/// dot or dash (parentheses are skipped: `+33 (0)6…`); whether a `+` opens
/// the group.
fn suites_de_groupes(t: &str) -> Vec<Vec<(bool, String)>> {
    let mut groupes: Vec<(bool, String)> = Vec::new();
    let mut courant = String::new();
    let mut plus = false;
    let mut precedent_separateur = false;
    let mut suites: Vec<Vec<(bool, String)>> = Vec::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            courant.push(c);
            precedent_separateur = false;
        } else if c == '+' && courant.is_empty() {
            plus = true;
        } else if matches!(c, '(' | ')') {
            continue;
        } else if matches!(c, ' ' | '.' | '-' | '\u{A0}' | '\u{202F}') && !precedent_separateur {
            if !courant.is_empty() {
                groupes.push((plus, std::mem::take(&mut courant)));
                plus = false;
            }
            precedent_separateur = true;
        } else {
            if !courant.is_empty() {
                groupes.push((plus, std::mem::take(&mut courant)));
            }
            plus = false;
            precedent_separateur = false;
            if !groupes.is_empty() {
                suites.push(std::mem::take(&mut groupes));
            }
        }
    }
    if !courant.is_empty() {
        groupes.push((plus, courant));
    }
    if !groupes.is_empty() {
        suites.push(groupes);
    }
    suites
}

/// French numbers (`06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`,
/// `+33 (0)6…`, `0033612345678`) and other international ones (`+44 20 7946
/// 0958`, `0040 721 234 567`).
fn contient_telephone(t: &str) -> bool {
    for suite in &suites_de_groupes(t) {
        for debut in 0..suite.len() {
            let international = suite[debut].0;
            let mut chiffres = String::new();
            for (_, g) in &suite[debut..] {
                chiffres.push_str(g);
                if numero(&chiffres, international) {
                    return true;
                }
                if chiffres.len() > 17 {
                    break;
                }
            }
        }
    }
    false
}

fn numero(chiffres: &str, international: bool) -> bool {
    let b = chiffres.as_bytes();
    let francais = |reste: &[u8]| reste.len() == 9 && reste[0] != b'0';
    if international {
        return (b.starts_with(b"33") && francais(&b[2..])) || (10..=15).contains(&b.len());
    }
    (b.len() == 10 && b[0] == b'0' && b[1] != b'0')
        || (b.starts_with(b"0033") && francais(&b[4..]))
        || ((12..=17).contains(&b.len()) && b.starts_with(b"00") && b[2] != b'0')
}

// --- Social security numbers and IBANs ------------------------------------

/// A NIR: 13 characters (sex, year, month, department — `2A`, `2B` for
/// Corsica —, town, order) and a key of 2 digits, 97 − (number mod 97),
/// spaces, dots or dashes allowed between groups.
fn contient_nir(t: &str) -> bool {
    let b = t.as_bytes();
    // A run of groups of digits (and the A or B of Corsica after a 2), and
    // where its groups start and end.
    let mut compact: Vec<u8> = Vec::with_capacity(32);
    let mut bornes: Vec<usize> = vec![0];
    for i in 0..=b.len() {
        let c = b.get(i).map_or(0, u8::to_ascii_uppercase);
        let corse = matches!(c, b'A' | b'B') && i > 0 && b[i - 1] == b'2';
        if c.is_ascii_digit() || corse {
            compact.push(c);
        } else if matches!(c, b' ' | b'.' | b'-')
            && !compact.is_empty()
            && b[i - 1].is_ascii_alphanumeric()
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            bornes.push(compact.len());
        } else {
            bornes.push(compact.len());
            let trouve = bornes
                .iter()
                .filter(|&&d| bornes.contains(&(d + 15)))
                .any(|&d| nir_valide(&compact[d..d + 15]));
            if trouve {
                return true;
            }
            compact.clear();
            bornes.clear();
            bornes.push(0);
        }
    }
    false
}

fn nir_valide(n: &[u8]) -> bool {
    if !matches!(n[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    // `2A` counts as 19, `2B` as 18.
    let departement = match &n[5..7] {
        b"2A" => *b"19",
        b"2B" => *b"18",
        d => [d[0], d[1]],
    };
    let mut nombre: u64 = 0;
    for (i, &c) in n[..13].iter().enumerate() {
        let c = if matches!(i, 5 | 6) {
            departement[i - 5]
        } else {
            c
        };
        if !c.is_ascii_digit() {
            return false;
        }
        nombre = nombre * 10 + u64::from(c - b'0');
    }
    if !n[13..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let cle = u64::from(n[13] - b'0') * 10 + u64::from(n[14] - b'0');
    cle == 97 - nombre % 97
}

/// An IBAN: two letters of a country, two check digits, then up to 30
/// letters and digits, often in groups of four; the whole, its first four
/// characters moved to the end and its letters read as 10 to 35, is 1
/// modulo 97 (ISO 13616). A country whose length is known must have it.
fn contient_iban(t: &str) -> bool {
    let b = t.as_bytes();
    for i in 0..b.len().saturating_sub(3) {
        let debut_de_mot = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if !(debut_de_mot
            && b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit())
        {
            continue;
        }
        // The characters, and the lengths at which a group ends.
        let mut iban: Vec<u8> = Vec::with_capacity(34);
        let mut fins: Vec<usize> = Vec::new();
        let mut j = i;
        while j < b.len() && iban.len() < 34 {
            if b[j].is_ascii_alphanumeric() {
                iban.push(b[j].to_ascii_uppercase());
            } else if matches!(b[j], b' ' | b'-')
                && j + 1 < b.len()
                && b[j + 1].is_ascii_alphanumeric()
            {
                fins.push(iban.len());
            } else {
                break;
            }
            j += 1;
        }
        fins.push(iban.len());
        let attendue = LONGUEURS_IBAN
            .iter()
            .find(|(pays, _)| pays.as_bytes() == &iban[..2])
            .map(|(_, n)| *n);
        if fins.iter().any(|&n| {
            (15..=34).contains(&n) && attendue.is_none_or(|a| a == n) && iban_valide(&iban[..n])
        }) {
            return true;
        }
    }
    false
}

fn iban_valide(iban: &[u8]) -> bool {
    let mut reste: u32 = 0;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        reste = match c {
            b'0'..=b'9' => (reste * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => (reste * 100 + u32::from(c - b'A' + 10)) % 97,
            _ => return false,
        };
    }
    reste == 1
}

/// The length of the IBANs of the countries most often met.
const LONGUEURS_IBAN: [(&str, usize); 30] = [
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("BR", 29),
    ("CH", 21),
    ("CI", 28),
    ("CM", 27),
    ("CZ", 24),
    ("DE", 22),
    ("DZ", 26),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GR", 27),
    ("HU", 28),
    ("IE", 22),
    ("IT", 27),
    ("LU", 20),
    ("MA", 28),
    ("MC", 27),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SE", 24),
    ("SN", 28),
    ("TN", 24),
    ("UA", 29),
];

// --- Dates of birth ------------------------------------------------------------

enum Dates {
    /// A date or a year after a word of birth.
    Naissance,
    /// The earliest year of the full dates of the cell.
    Annee(i32),
}

/// The dates of a cell: `JJ/MM/AAAA`, `J.M.AAAA`, `JJ-MM-AAAA`,
/// `AAAA-MM-JJ`; after a word of birth, also `JJ/MM/AA` and a year alone.
fn dates(t: &str) -> Option<Dates> {
    let mut plus_ancienne: Option<i32> = None;
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        if let Some((annee, fin)) = date_a(b, i) {
            plus_ancienne = Some(plus_ancienne.map_or(annee, |a| a.min(annee)));
            i = fin;
        } else {
            i += 1;
        }
    }
    if indice_de_naissance(t) && naissance_ecrite(t) {
        return Some(Dates::Naissance);
    }
    plus_ancienne.map(Dates::Annee)
}

/// The date that starts at `i`, if any: its year and where it ends.
fn date_a(b: &[u8], i: usize) -> Option<(i32, usize)> {
    let nombre = |debut: usize| -> (u32, usize) {
        let n = b[debut..].iter().take_while(|c| c.is_ascii_digit()).count();
        let v = std::str::from_utf8(&b[debut..debut + n])
            .ok()
            .and_then(|s| s.parse().ok());
        (v.unwrap_or(u32::MAX), n)
    };
    let (p, np) = nombre(i);
    let sep = *b.get(i + np)?;
    if !matches!(sep, b'/' | b'.' | b'-') || !b.get(i + np + 1)?.is_ascii_digit() {
        return None;
    }
    let (q, nq) = nombre(i + np + 1);
    let k = i + np + 1 + nq;
    if b.get(k) != Some(&sep) || !b.get(k + 1)?.is_ascii_digit() {
        return None;
    }
    let (r, nr) = nombre(k + 1);
    let fin = k + 1 + nr;
    if b.get(fin).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (annee, mois, jour) = match (np, nq, nr) {
        (1 | 2, 1 | 2, 4) => (r, q, p),
        (4, 2, 2) if sep == b'-' => (p, q, r),
        _ => return None,
    };
    let mois = time::Month::try_from(u8::try_from(mois).ok()?).ok()?;
    let annee = i32::try_from(annee).ok()?;
    time::Date::from_calendar_date(annee, mois, u8::try_from(jour).ok()?).ok()?;
    Some((annee, fin))
}

/// Whether the cell has a word of birth (`né`, `nee`, `naissance`, `DDN`,
/// `dob`, `born`), found without cutting the cell: only then are its words
/// cut and read.
fn indice_de_naissance(t: &str) -> bool {
    const MOTS: [&str; 8] = ["ne", "nee", "né", "née", "naissance", "ddn", "dob", "born"];
    t.split(|c: char| !c.is_alphanumeric())
        .any(|m| un_de(&MOTS, m))
}

/// Whether a word of birth is followed by a number: `né le 12/05/80`,
/// `née en 1980`, `ne(e) le …`, `DDN : …`, `date de naissance …`, `born …`.
fn naissance_ecrite(t: &str) -> bool {
    let plat = deunicode::deunicode(t).to_lowercase();
    let mots: Vec<&str> = plat
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|m| !m.is_empty())
        .collect();
    let nombre = |m: &&str| m.bytes().all(|b| b.is_ascii_digit());
    mots.iter().enumerate().any(|(i, m)| {
        let suite = &mots[i + 1..];
        match *m {
            "ne" | "nee" => {
                let suite = suite.strip_prefix(&["e"]).unwrap_or(suite);
                matches!(suite, ["le" | "en", n, ..] if nombre(n))
            }
            "ddn" | "naissance" | "dob" | "born" => suite.iter().take(3).any(nombre),
            _ => false,
        }
    })
}

// --- Postal addresses ----------------------------------------------------------

/// Kinds of street that nothing else in an export is called.
const VOIES: [&str; 28] = [
    "avenue",
    "av",
    "ave",
    "boulevard",
    "bd",
    "bld",
    "blvd",
    "allee",
    "allée",
    "allees",
    "allées",
    "impasse",
    "imp",
    "chemin",
    "quai",
    "faubourg",
    "fbg",
    "fg",
    "sentier",
    "ruelle",
    "traverse",
    "esplanade",
    "parvis",
    "lotissement",
    "chaussee",
    "chaussée",
    "montee",
    "montée",
];

/// Kinds of street that are also words of the exports (`rue` is a
/// programme, `2 places`, `1 cours de français`): the name after them must
/// have a capital (`12 rue des Lilas`).
const VOIES_AMBIGUES: [&str; 13] = [
    "rue",
    "place",
    "pl",
    "cours",
    "route",
    "rte",
    "passage",
    "square",
    "cite",
    "cité",
    "residence",
    "résidence",
    "promenade",
];

const ARTICLES: [&str; 8] = ["de", "du", "des", "la", "le", "les", "d", "l"];

const MOTS_OUTILS: [&str; 15] = [
    "et", "ou", "puis", "avec", "pour", "sur", "en", "au", "aux", "dans", "par", "sans", "ce", "a",
    "à",
];

/// A number (`12`, `3 bis`, `12bis`, `3b`), a kind of street, and a name.
fn contient_adresse(t: &str) -> bool {
    let mut mots = jetons(t);
    while let Some(j) = mots.next() {
        let chiffres = j.bytes().take_while(u8::is_ascii_digit).count();
        if chiffres == 0 || chiffres > 4 || !un_de(&SUFFIXES, &j[chiffres..]) {
            continue;
        }
        let mut suite = mots.clone().peekable();
        if suite.peek().is_some_and(|s| un_de(&SUFFIXES[1..4], s)) {
            suite.next();
        }
        let Some(voie) = suite.next().map(|v| v.trim_end_matches('.')) else {
            continue;
        };
        let sure = un_de(&VOIES, voie);
        if !sure && !un_de(&VOIES_AMBIGUES, voie) {
            continue;
        }
        // The name: after the articles (`des`, `de la`, `d'`), a word; a
        // word in capitals right after `rue` is a sigle (`115 rue CAARUD`),
        // after an article a name (`12 RUE DES LILAS`).
        let mut article = false;
        let Some(nom) = suite.find(|s| {
            let a = un_de(&ARTICLES, s);
            article |= a;
            !a
        }) else {
            continue;
        };
        let nom = match nom.split_once(['\'', '’']) {
            Some((a, r)) if !r.is_empty() && un_de(&ARTICLES, a) => {
                article = true;
                r
            }
            _ => nom,
        };
        let lettres = nom.chars().filter(|c| c.is_alphabetic()).count();
        let capitale = capitalise(nom) || (article && majuscules(nom));
        if lettres >= 2 && !un_de(&MOTS_OUTILS, nom) && (sure || capitale) {
            return true;
        }
    }
    false
}

/// What may follow the number of an address.
const SUFFIXES: [&str; 7] = ["", "bis", "ter", "quater", "b", "t", "c"];

// --- Names -----------------------------------------------------------------------

const CIVILITES: [&str; 13] = [
    "m.",
    "mr",
    "mr.",
    "mme",
    "mme.",
    "mlle",
    "melle",
    "madame",
    "monsieur",
    "mademoiselle",
    "mrs",
    "ms",
    "miss",
];

/// `Marie DUPONT`, `DUPONT Marie`, `Marie D.`, `Mme Dupont`, `M. DUPONT`:
/// a known first name next to a name in capitals (the way French forms
/// write names), or a civility before a name. Two words in capitals
/// (`JEAN JAURES`, a metro station) or capitalised (`Jean Jaurès`) are not
/// enough: places are named after people.
fn contient_nom(t: &str) -> bool {
    let mut precedent: Option<&str> = None;
    for jeton in jetons(t) {
        if let Some(a) = precedent
            && paire_de_nom(a, jeton)
        {
            return true;
        }
        precedent = Some(jeton);
    }
    false
}

/// Whether the words `a` then `brut` are a name (the first name looked up
/// last: it is the only test that copies).
fn paire_de_nom(a: &str, brut: &str) -> bool {
    // Every rule wants a capital to open the second word.
    if !brut.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let b = brut.trim_end_matches(['.', '!', '?']);
    (capitalise(a) && (majuscules(b) || initiale(brut)) && prenom_connu(a))
        || (majuscules(a) && capitalise(b) && prenom_connu(b))
        || (un_de(&CIVILITES, a) && (capitalise(b) || majuscules(b)) && !un_de(&ARTICLES, b))
}

/// The words of a cell, cut at spaces and punctuation (not at `.`, `-`, `'`).
fn jetons(t: &str) -> impl Iterator<Item = &str> + Clone {
    t.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '/' | '|' | ':'))
        .filter(|m| !m.is_empty())
}

/// Whether `mot` is one of `liste`, whatever the case of its ASCII letters.
fn un_de(liste: &[&str], mot: &str) -> bool {
    liste.iter().any(|l| l.eq_ignore_ascii_case(mot))
}

/// `Marie`, `Jean-Pierre`: a capital, then small letters (a capital again
/// after a dash or an apostrophe).
fn capitalise(m: &str) -> bool {
    let mut precedent = '-';
    m.chars().count() >= 2
        && m.chars().all(|c| {
            let bon = if matches!(precedent, '-' | '\'' | '’') {
                c.is_uppercase()
            } else {
                c.is_lowercase() || matches!(c, '-' | '\'' | '’')
            };
            precedent = c;
            bon
        })
}

/// `DUPONT`, `N'DIAYE`: two letters or more, all capitals.
fn majuscules(m: &str) -> bool {
    m.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && m.chars().all(|c| c.is_uppercase() || c == '-' || c == '\'')
}

/// `D.`: an initial.
fn initiale(m: &str) -> bool {
    let b = m.as_bytes();
    b.len() == 2 && b[0].is_ascii_uppercase() && b[1] == b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vu(t: &str) -> Option<Soupcon> {
        valeur_personnelle(t).filter(|s| s.certain())
    }

    #[test]
    fn phone_numbers_and_email_addresses_are_found_inside_text() {
        for t in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "0612345678",
            "rappeler au 06.12.34.56.78 demain",
            "+33 6 12 34 56 78",
            "+33612345678",
            "+33 (0)6 12 34 56 78",
            "0033612345678",
            "0033 6 12 34 56 78",
            "le 12/03/2013 au 0612345678",
            "tel:0561123456",
            "+44 20 7946 0958",
            "+44 7911 123456",
            "+40 721 234 567",
            "0040 721 234 567",
            "+359 88 123 4567",
            "+234 803 123 4567",
            "+213 555 12 34 56",
            "+55 11 91234-5678",
            "+1 (555) 123-4567",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Telephone), "{t}");
        }
        for t in [
            "ecrire a marie.d@example.org",
            "contact: x@y.fr.",
            "A.B+x@mail.co.uk",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Email), "{t}");
        }
    }

    #[test]
    fn social_security_numbers_are_found_by_their_key() {
        for t in [
            "2 95 01 99 126 111 46",
            "295019912611146",
            "1 80 05 31 555 123 34",
            "n° 2.62.08.75.032.039.77 à vérifier",
            "2 62 08 75 032 039 77",
            "185067512345689",
            // Corsica: 2A counts as 19, 2B as 18.
            "253072B07300470",
            "2 53 07 2A 073 004 43",
            "2 53 07 2a 073 004 43",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Nir), "{t}");
        }
        for t in [
            "1 80 05 31 555 123 35",
            "2 62 08 75 032 039 78",
            "295019912611147",
            // The key of 2A written with 2B, and the other way round.
            "253072B07300443",
            "253072A07300470",
            // No sex 9, no NIR inside a longer number.
            "980053155512334",
            "41800531555123345",
        ] {
            assert_ne!(vu(t), Some(Soupcon::Nir), "{t}");
        }
    }

    #[test]
    fn ibans_are_found_by_their_check_digits() {
        for t in [
            "FR76 3000 6000 0112 3456 7890 189",
            "FR7630006000011234567890189",
            "fr76 3000 6000 0112 3456 7890 189",
            "virement sur FR14 2004 1010 0505 0001 3M02 606 le 3",
            "DE89 3704 0044 0532 0130 00",
            "GB82 WEST 1234 5698 7654 32",
            "BE68 5390 0754 7034",
            "RO49 AAAA 1B31 0075 9384 0000",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Iban), "{t}");
        }
        for t in [
            "FR76 3000 6000 0112 3456 7890 188",
            "DE89 3704 0044 0532 0130 01",
            // A French IBAN one group short.
            "FR76 3000 6000 0112 3456 7890",
            "TLS 2013 0001 0002 0003",
        ] {
            assert_ne!(vu(t), Some(Soupcon::Iban), "{t}");
        }
    }

    #[test]
    fn postal_addresses_are_found() {
        for t in [
            "12 rue des Lilas",
            "12, rue des Lilas",
            "3 bis avenue Jean Jaurès",
            "3bis av. de Muret",
            "10 bd Carnot",
            "10 boulevard de Strasbourg",
            "5 place du Capitole",
            "7 allée des Demoiselles",
            "2 impasse des roses",
            "14 chemin de la Flambère",
            "1 quai de Tounis",
            "habite 8 rue Bayard depuis mars",
            "22 route de Narbonne",
            "4 ter cours Dillon",
            "6 rue d'Alsace-Lorraine",
            "12 RUE DES LILAS",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Adresse), "{t}");
        }
        for t in [
            "rue",
            "contact rue",
            "5 rue et 2 net",
            "15 rue de nuit",
            "2 places au 115",
            "1 place de libre",
            "1 cours de français",
            "3 contacts rue Bayard",
            "12 rue",
            "appel au 115 rue CAARUD",
        ] {
            assert_ne!(vu(t), Some(Soupcon::Adresse), "{t}");
        }
    }

    #[test]
    fn names_of_people_are_found() {
        for t in [
            "Marie DUPONT",
            "DUPONT Marie",
            "DUPONT, Marie",
            "vue avec Aïssatou DIALLO ce matin",
            "Jean-Pierre MARTIN",
            "Blessing OKAFOR",
            "Marie D.",
            "Mme Dupont",
            "M. DUPONT",
            "Madame Ionescu",
            "orientée par Monsieur Garcia",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Nom), "{t}");
        }
        for t in [
            "Jean Jaurès",
            "JEAN JAURES",
            "France TERRE D'ASILE",
            "Médecins du Monde",
            "Mme a été orientée vers la PASS",
            "Monsieur le maire",
            "Orientation CAARUD",
            "accompagnement SIAO",
            "Rose",
            "Marie",
        ] {
            assert_eq!(vu(t), None, "{t}");
        }
    }

    #[test]
    fn a_person_code_that_is_a_name_is_found() {
        for t in ["Marie", "marie", "marie dupont", "DUPONT Marie", "Fatou"] {
            assert_eq!(code_personnel(t), Some(Soupcon::Nom), "{t}");
        }
        for t in [
            "TLS-1331",
            "TLS-000123",
            "P0042",
            "AB12",
            "X",
            "inconnu",
            "non renseigné",
            "anonyme",
        ] {
            assert_eq!(code_personnel(t), None, "{t}");
        }
    }

    #[test]
    fn birth_dates_are_found_after_a_word_of_birth_and_other_dates_wait_for_the_file() {
        for t in [
            "née le 12/05/1980",
            "ne le 12/05/80",
            "né(e) le 3.4.1975",
            "née en 1980",
            "DDN : 12/05/1980",
            "date de naissance 1980-05-12",
            "born 12/05/1980",
        ] {
            assert_eq!(vu(t), Some(Soupcon::Naissance), "{t}");
        }
        assert_eq!(valeur_personnelle("12/05/1980"), Some(Soupcon::Date(1980)));
        assert_eq!(valeur_personnelle("1980-05-12"), Some(Soupcon::Date(1980)));
        assert_eq!(
            valeur_personnelle("arrivée le 02/03/2011, née le 12.05.1980 ?"),
            Some(Soupcon::Naissance)
        );
        assert_eq!(
            valeur_personnelle("rdv 07/03/2013 puis 01/09/1999"),
            Some(Soupcon::Date(1999))
        );
        for t in ["il ne vient pas le 12", "31/02/1980", "12/13/1980", "1/2/3"] {
            assert_eq!(valeur_personnelle(t), None, "{t}");
        }
    }

    #[test]
    fn dates_amounts_codes_and_themes_are_not_taken_for_personal_data() {
        for t in [
            "07/03/2013",
            "2013-03-07",
            "1 234 567,89",
            "P0042",
            "vih|ist|droits",
            "12 03 2013",
            "@rue",
            "20132014",
            "a@b",
            "SIRET 123 456 789 00012",
            "31000 Toulouse",
        ] {
            assert_eq!(vu(t), None, "{t}");
        }
    }

    /// Values an export of this association holds: the sample's, and the
    /// nationalities, towns, partners and remarks coordinators write.
    #[test]
    fn no_value_of_the_sample_nor_of_its_kind_is_taken_for_personal_data() {
        let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/donnees");
        let mut cellules = 0;
        for fichier in ["activites.csv", "suivis.csv", "indicateurs.csv"] {
            let texte = std::fs::read_to_string(racine.join(fichier)).unwrap();
            for cellule in texte.lines().flat_map(|l| l.split(';')) {
                let code = code_personnel(cellule);
                assert!(
                    code.is_none_or(|s| !s.certain()),
                    "{fichier} : « {cellule} » : {code:?}"
                );
                cellules += 1;
            }
        }
        assert!(cellules > 40_000, "{cellules}");
        for t in [
            "Nigériane",
            "NIGERIANE",
            "Roumaine",
            "Bulgare",
            "Brésilienne",
            "Française",
            "Algérienne",
            "Marocaine",
            "Chinoise",
            "Camerounaise",
            "Ivoirienne",
            "Équatorienne",
            "Toulouse",
            "TOULOUSE",
            "Haute-Garonne",
            "Saint-Cyprien",
            "Jean Jaurès",
            "Marengo",
            "Arnaud Bernard",
            "Paris",
            "Nancy",
            "Médecins du Monde",
            "Croix-Rouge",
            "AIDES",
            "CAARUD Intermède",
            "France Terre d'Asile",
            "Secours Populaire",
            "RAS",
            "Orientée vers le CAARUD",
            "rdv le 12/03/2013 à 14h",
            "2 places au 115",
            "1 cours de français",
            "contact rue Bayard",
            "3 kits, 20 préservatifs",
            "Accompagnement CPAM pour la CSS",
            "Dossier AME déposé",
            "OQTF",
            "Titre de séjour",
            "Récépissé",
            "femme trans",
            "Femme",
            "H",
            "M",
            "T",
            "vih_ist_drogues|violence",
            "l316_1",
            "regularisation_travail",
            "urgence_115",
            "Tournée de nuit",
            "Maraude",
            "Permanence Marie-Curie",
            "Hôpital Purpan",
            "CHU Rangueil",
            "PASS Purpan",
        ] {
            assert_eq!(vu(t), None, "{t}");
        }
    }
}
