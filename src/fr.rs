//! French typography for numbers, percentages and dates.

/// Narrow no-break space: thousands separator and space before `%`, `;`, `!`, `?`.
pub const FINE: char = '\u{202F}';
/// No-break space, before a unit such as `€`.
pub const INSECABLE: char = '\u{00A0}';

/// `value` rounded half away from zero to `decimals` places: its sign, digits
/// before and after the decimal point (`31.25`, 1 → `(false, "31", "3")`).
fn arrondi(value: f64, decimals: usize) -> (bool, String, String) {
    let echelle = 10u128.pow(decimals as u32);
    let entier = (value.abs() * echelle as f64).round() as u128;
    let partie = (entier / echelle).to_string();
    let fraction = format!("{:0width$}", entier % echelle, width = decimals);
    (
        value < 0.0 && entier != 0,
        partie,
        if decimals == 0 {
            String::new()
        } else {
            fraction
        },
    )
}

/// `1667.0` → `1 667`; `1234.5` with 2 decimals → `1 234,50` (narrow no-break spaces).
/// Halves are rounded away from zero, as people do by hand: 31,25 → 31,3.
pub fn nombre(value: f64, decimals: usize) -> String {
    let (negatif, partie, fraction) = arrondi(value, decimals);
    let mut out = String::new();
    if negatif {
        out.push('\u{2212}');
    }
    let chiffres: Vec<char> = partie.chars().collect();
    for (i, c) in chiffres.iter().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            out.push(FINE);
        }
        out.push(*c);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(&fraction);
    }
    out
}

/// A number for a machine-readable French CSV: no grouping, decimal comma (`-1234,5`).
pub fn decimal(value: f64, decimals: usize) -> String {
    let (negatif, partie, fraction) = arrondi(value, decimals);
    let signe = if negatif { "-" } else { "" };
    if fraction.is_empty() {
        format!("{signe}{partie}")
    } else {
        format!("{signe}{partie},{fraction}")
    }
}

/// A count or an amount: no decimals when whole, two otherwise.
pub fn nombre_auto(value: f64) -> String {
    if value.fract() == 0.0 {
        nombre(value, 0)
    } else {
        nombre(value, 2)
    }
}

/// `62.5` → `62,5 %` (one decimal, narrow no-break space).
pub fn pourcent(value: f64) -> String {
    format!("{}{FINE}%", nombre(value, 1))
}

/// `1234.5` → `1 234,50 €`.
pub fn euros(value: f64) -> String {
    format!("{}{INSECABLE}€", nombre(value, 2))
}

/// `a`, `a et b`, `a, b et c`.
pub fn liste(elements: &[String]) -> String {
    match elements {
        [] => String::new(),
        [un] => un.clone(),
        [debut @ .., dernier] => format!("{} et {dernier}", debut.join(", ")),
    }
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `texte` with its first letter in capitals.
pub fn majuscule(texte: &str) -> String {
    let mut c = texte.chars();
    match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `2026-11-28` → `28 novembre 2026`; the first of the month is `1er`.
pub fn date_longue(date: time::Date) -> String {
    let day = date.day();
    let day = if day == 1 {
        "1er".to_string()
    } else {
        day.to_string()
    };
    format!("{day} {} {}", MOIS[date.month() as usize - 1], date.year())
}

/// Lower case, accents removed, surrounding spaces trimmed, inner spaces as `_`:
/// how header names and category values are compared.
pub fn normalise(text: &str) -> String {
    let plain = deunicode::deunicode(text.trim()).to_lowercase();
    plain.split_whitespace().collect::<Vec<_>>().join("_")
}

/// A slug usable as a key in narrative templates: `Femmes et trans` → `femmes_et_trans`.
pub fn cle(text: &str) -> String {
    let plain = normalise(text);
    let mut out = String::new();
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The candidate closest to `mot` in spelling (fewest edits), if any.
pub fn plus_proche<'a>(
    mot: &str,
    candidats: impl Iterator<Item = &'a String>,
) -> Option<&'a String> {
    candidats.min_by_key(|c| (strsim::levenshtein(mot, c), c.as_str()))
}

/// Up to three candidates closest to `mot` in spelling: the closest, and
/// those at most two edits further.
pub fn plus_proches<'a>(mot: &str, candidats: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut tries: Vec<(usize, &String)> = candidats
        .map(|c| (strsim::levenshtein(mot, c), c))
        .collect();
    tries.sort();
    let meilleure = tries.first().map_or(0, |(d, _)| *d);
    tries
        .into_iter()
        .take_while(|(d, _)| *d <= meilleure + 2)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_a_narrow_space_and_decimals_use_a_comma() {
        assert_eq!(nombre(1667.0, 0), "1\u{202F}667");
        assert_eq!(nombre(16119.0, 0), "16\u{202F}119");
        assert_eq!(nombre(999.0, 0), "999");
        assert_eq!(nombre(1234567.891, 2), "1\u{202F}234\u{202F}567,89");
        assert_eq!(nombre(-5.3, 1), "\u{2212}5,3");
        assert_eq!(nombre(-0.01, 1), "0,0");
    }

    #[test]
    fn halves_are_rounded_away_from_zero() {
        assert_eq!(nombre(31.25, 1), "31,3");
        assert_eq!(nombre(0.5, 0), "1");
        assert_eq!(decimal(-2.5, 0), "-3");
        assert_eq!(decimal(1234.5, 1), "1234,5");
    }

    #[test]
    fn percentages_have_one_decimal_and_a_space_before_the_sign() {
        assert_eq!(pourcent(62.5), "62,5\u{202F}%");
        assert_eq!(pourcent(100.0 * 10.0 / 32.0), "31,3\u{202F}%");
    }

    #[test]
    fn dates_are_written_in_full_in_french() {
        let d = time::Date::from_calendar_date(2026, time::Month::November, 28).unwrap();
        assert_eq!(date_longue(d), "28 novembre 2026");
        let d = time::Date::from_calendar_date(2014, time::Month::May, 1).unwrap();
        assert_eq!(date_longue(d), "1er mai 2014");
    }

    #[test]
    fn keys_drop_accents_case_and_punctuation() {
        assert_eq!(normalise("  Date de l'Action "), "date_de_l'action");
        assert_eq!(cle("Femmes et trans"), "femmes_et_trans");
        assert_eq!(cle("Aides directes (total)"), "aides_directes_total");
    }

    #[test]
    fn the_closest_names_are_the_nearest_few() {
        let noms: Vec<String> = ["contacts_rue", "contacts_net", "kits_rue", "repas"]
            .map(String::from)
            .into();
        assert_eq!(
            plus_proches("contacts_ru", noms.iter()),
            [&noms[0], &noms[1]]
        );
        assert_eq!(plus_proches("repa", noms.iter()), [&noms[3]]);
    }
}
