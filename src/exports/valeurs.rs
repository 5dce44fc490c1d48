//! Parsing of single cells: dates, integers, French decimal numbers.

use time::{Date, Month};

/// `JJ/MM/AAAA` or `AAAA-MM-JJ` → the date.
pub fn date(texte: &str) -> Option<Date> {
    let (a, m, j) = if let Some((j, reste)) = texte.split_once('/') {
        let (m, a) = reste.split_once('/')?;
        if a.len() != 4 || j.len() > 2 || m.len() > 2 {
            return None;
        }
        (a, m, j)
    } else {
        let mut it = texte.splitn(3, '-');
        let (a, m, j) = (it.next()?, it.next()?, it.next()?);
        if a.len() != 4 || m.len() != 2 || j.len() != 2 {
            return None;
        }
        (a, m, j)
    };
    let a: i32 = a.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    let j: u8 = j.parse().ok()?;
    Date::from_calendar_date(a, Month::try_from(m).ok()?, j).ok()
}

/// The day number used in the tables (Julian day).
pub fn jour(d: Date) -> i32 {
    d.to_julian_day()
}

/// First and last day numbers of a year.
pub fn bornes(annee: i32) -> (i32, i32) {
    let debut = Date::from_calendar_date(annee, Month::January, 1).expect("année valide");
    let fin = Date::from_calendar_date(annee, Month::December, 31).expect("année valide");
    (jour(debut), jour(fin))
}

/// A number written the French way or the plain way: `1 234,50`, `1234.5`, `-3`.
pub fn nombre(texte: &str) -> Option<f64> {
    let propre: String = texte
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{A0}' | '\u{202F}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if propre.is_empty() || propre.matches('.').count() > 1 {
        return None;
    }
    let v: f64 = propre.parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_contract_date_formats_are_read() {
        let attendu = Date::from_calendar_date(2013, Month::March, 7).unwrap();
        assert_eq!(date("07/03/2013"), Some(attendu));
        assert_eq!(date("2013-03-07"), Some(attendu));
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_refused() {
        assert_eq!(date("31/02/2013"), None);
        assert_eq!(date("07/03/13"), None);
        assert_eq!(date("2013/03/07"), None);
        assert_eq!(date("hier"), None);
    }

    #[test]
    fn french_numbers_are_read() {
        assert_eq!(nombre("1 234,50"), Some(1234.5));
        assert_eq!(nombre("45,00"), Some(45.0));
        assert_eq!(nombre("16119"), Some(16119.0));
        assert_eq!(nombre("1,2,3"), None);
        assert_eq!(nombre("douze"), None);
    }
}
