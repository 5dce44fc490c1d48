//! Parsing of single cells: dates, integers, French decimal numbers.

use time::{Date, Month};

/// Why a cell is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasUneDate {
    /// `JJ/MM/AA`, refused unless the model allows two-digit years.
    AnneeCourte,
    /// Anything else, or a day that does not exist (31/02).
    Invalide,
}

/// `JJ/MM/AAAA`, `J/M/AAAA`, `AAAA-MM-JJ`, and `JJ/MM/AA` when `courtes`
/// (years 00–69 are 2000–2069, 70–99 are 1970–1999, as spreadsheets do).
pub fn date(texte: &str, courtes: bool) -> Result<Date, PasUneDate> {
    use PasUneDate::*;
    let nombre = |t: &str, max: usize| -> Result<u32, PasUneDate> {
        if t.is_empty() || t.len() > max || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalide);
        }
        t.parse().map_err(|_| Invalide)
    };
    let (a, m, j) = if let Some((j, reste)) = texte.split_once('/') {
        let (m, a) = reste.split_once('/').ok_or(Invalide)?;
        let (j, m) = (nombre(j, 2)?, nombre(m, 2)?);
        let a = match a.len() {
            4 => nombre(a, 4)? as i32,
            2 if courtes => {
                let a = nombre(a, 2)? as i32;
                if a < 70 { 2000 + a } else { 1900 + a }
            }
            2 => return Err(AnneeCourte),
            _ => return Err(Invalide),
        };
        (a, m, j)
    } else {
        let mut it = texte.splitn(3, '-');
        let (a, m, j) = (
            it.next().ok_or(Invalide)?,
            it.next().ok_or(Invalide)?,
            it.next().ok_or(Invalide)?,
        );
        if a.len() != 4 || m.len() != 2 || j.len() != 2 {
            return Err(Invalide);
        }
        (nombre(a, 4)? as i32, nombre(m, 2)?, nombre(j, 2)?)
    };
    let mois = Month::try_from(u8::try_from(m).map_err(|_| Invalide)?).map_err(|_| Invalide)?;
    Date::from_calendar_date(a, mois, u8::try_from(j).map_err(|_| Invalide)?).map_err(|_| Invalide)
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
        assert_eq!(date("07/03/2013", false), Ok(attendu));
        assert_eq!(date("7/3/2013", false), Ok(attendu));
        assert_eq!(date("2013-03-07", false), Ok(attendu));
    }

    #[test]
    fn two_digit_years_are_read_only_when_the_model_allows_them() {
        let attendu = Date::from_calendar_date(2013, Month::March, 7).unwrap();
        assert_eq!(date("07/03/13", false), Err(PasUneDate::AnneeCourte));
        assert_eq!(date("07/03/13", true), Ok(attendu));
        assert_eq!(date("01/01/98", true).map(|d| d.year()), Ok(1998));
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_refused() {
        for t in [
            "31/02/2013",
            "2013/03/07",
            "hier",
            "07/03/+013",
            "7/3/20133",
            "2013-3-7",
            "1e/03/2013",
        ] {
            assert_eq!(date(t, true), Err(PasUneDate::Invalide), "{t}");
        }
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
