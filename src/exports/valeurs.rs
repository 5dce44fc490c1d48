//! Parsing of single cells: dates, integers, French decimal numbers.

use time::{Date, Month};

/// Why a cell is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasUneDate {
    /// `JJ/MM/AA`, refused unless the model allows two-digit years.
    AnneeCourte,
    /// A spreadsheet's day number (`41306`): the column was formatted as a
    /// number, not a date. The date it stands for in Excel's count.
    NumeroDeSerie(Date),
    /// Anything else, or a day that does not exist (31/02).
    Invalide,
}

/// `JJ/MM/AAAA`, `J/M/AAAA`, `AAAA-MM-JJ`, and `JJ/MM/AA` when `courtes`
/// (years 00–69 are 2000–2069, 70–99 are 1970–1999, as spreadsheets do),
/// each maybe followed by a time of day (`01/02/2013 14:30`,
/// `2013-02-01 00:00:00`, `2013-02-01T14:30:00Z`), which is dropped: the
/// report counts days.
pub fn date(texte: &str, courtes: bool) -> Result<Date, PasUneDate> {
    use PasUneDate::*;
    if let Some(d) = numero_de_serie(texte) {
        return Err(NumeroDeSerie(d));
    }
    let texte = match texte.split_once([' ', 'T']) {
        Some((jour, heure)) if heure_du_jour(heure.trim()) => jour,
        Some(_) => return Err(Invalide),
        None => texte,
    };
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

/// Whether `t` is a time of day: `HH:MM`, `HH:MM:SS`, maybe with a
/// fraction of a second and `Z`.
fn heure_du_jour(t: &str) -> bool {
    let t = t.strip_suffix('Z').unwrap_or(t);
    let t = t.split_once('.').map_or(t, |(hms, fraction)| {
        if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) {
            hms
        } else {
            "x"
        }
    });
    let parties: Vec<&str> = t.split(':').collect();
    let bornes = [24, 60, 60];
    (2..=3).contains(&parties.len())
        && parties.iter().zip(bornes).all(|(p, max)| {
            p.len() == 2
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|v| v < max)
        })
}

/// The date a spreadsheet's day number stands for (Excel's count from
/// 1900, the years 1950 to 2100), if `t` is one.
fn numero_de_serie(t: &str) -> Option<Date> {
    if t.len() != 5 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = t.parse().ok()?;
    // Day 1 is 01/01/1900 and Excel counts a 29/02/1900 that never was:
    // from day 61 on, day n is n days after 30/12/1899.
    let origine = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    let d = origine.checked_add(time::Duration::days(n))?;
    (1950..=2100).contains(&d.year()).then_some(d)
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

/// A number written the French way or the plain way: `1 234,50`, `1234.5`,
/// `-3`, maybe with the euro sign a spreadsheet's currency format shows
/// (`63,00 €`, `€63.00`, `63 EUR`).
pub fn nombre(texte: &str) -> Option<f64> {
    let t = texte.trim();
    let t = t
        .strip_suffix('€')
        .or_else(|| t.strip_suffix("EUR"))
        .or_else(|| t.strip_prefix('€'))
        .unwrap_or(t);
    let propre: String = t
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
    fn a_time_of_day_after_a_date_is_dropped_and_a_wrong_one_refused() {
        let attendu = Date::from_calendar_date(2013, Month::February, 1).unwrap();
        for t in [
            "01/02/2013 14:30",
            "01/02/2013 00:00:00",
            "2013-02-01 00:00:00",
            "2013-02-01T14:30:00Z",
            "2013-02-01 14:30:00.000",
        ] {
            assert_eq!(date(t, false), Ok(attendu), "{t}");
        }
        for t in [
            "01/02/2013 25:00",
            "01/02/2013 midi",
            "2013-02-01 14h30",
            "01/02/2013 14:3",
        ] {
            assert_eq!(date(t, false), Err(PasUneDate::Invalide), "{t}");
        }
    }

    #[test]
    fn a_spreadsheet_day_number_is_told_with_the_date_it_stands_for() {
        let attendu = Date::from_calendar_date(2013, Month::February, 1).unwrap();
        assert_eq!(
            date("41306", false),
            Err(PasUneDate::NumeroDeSerie(attendu))
        );
        assert_eq!(date("12345", false), Err(PasUneDate::Invalide));
    }

    #[test]
    fn amounts_in_a_currency_format_are_read() {
        assert_eq!(nombre("63,00 €"), Some(63.0));
        assert_eq!(nombre("1\u{202F}234,50\u{A0}€"), Some(1234.5));
        assert_eq!(nombre("-12,5 €"), Some(-12.5));
        assert_eq!(nombre("63 EUR"), Some(63.0));
        assert_eq!(nombre("€ 63"), Some(63.0));
        assert_eq!(nombre("63 $"), None);
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
