//! Which figure: an indicator under its own breakdown, or under the one a
//! funder's extract asks for.

use std::cmp::Ordering;
use std::fmt;

use super::ModeleDeclare;

/// The key of a figure. Written `id` for an indicator under its own
/// breakdown, `id@ventilation` under another (in the records of builds,
/// `definitions-ANNEE.json`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CleFigure {
    indicateur: String,
    /// The breakdown a funder asks for instead of the indicator's own.
    ventilation: Option<String>,
}

impl CleFigure {
    /// Indicator `id` under its own breakdown.
    pub fn propre(id: &str) -> CleFigure {
        CleFigure {
            indicateur: id.to_string(),
            ventilation: None,
        }
    }

    /// Indicator `id` under breakdown `ventilation`.
    pub fn sous(id: &str, ventilation: &str) -> CleFigure {
        CleFigure {
            indicateur: id.to_string(),
            ventilation: Some(ventilation.to_string()),
        }
    }

    /// The key as written in a record (`id` or `id@ventilation`).
    pub fn lire(texte: &str) -> CleFigure {
        match texte.split_once('@') {
            Some((id, v)) => CleFigure::sous(id, v),
            None => CleFigure::propre(texte),
        }
    }

    /// The indicator of the figure.
    pub fn indicateur(&self) -> &str {
        &self.indicateur
    }

    /// The breakdown of the figure in `modele`: the one it names, or its
    /// indicator's own.
    pub fn ventilation<'m>(&self, modele: &'m ModeleDeclare) -> Option<&'m String> {
        match &self.ventilation {
            Some(v) => modele.ventilations.get_key_value(v).map(|(k, _)| k),
            None => modele.indicateurs[&self.indicateur].ventilation.as_ref(),
        }
    }

    /// The bytes of its written form, without writing it.
    fn octets(&self) -> impl Iterator<Item = u8> + '_ {
        let suite = self
            .ventilation
            .iter()
            .flat_map(|v| std::iter::once(b'@').chain(v.bytes()));
        self.indicateur.bytes().chain(suite)
    }
}

/// Keys sort as their written form does (`a` < `a@v` < `a_b`), so that
/// every listing keeps the order the records have always had.
impl Ord for CleFigure {
    fn cmp(&self, autre: &CleFigure) -> Ordering {
        self.octets()
            .cmp(autre.octets())
            .then_with(|| self.indicateur.len().cmp(&autre.indicateur.len()))
    }
}

impl PartialOrd for CleFigure {
    fn partial_cmp(&self, autre: &CleFigure) -> Option<Ordering> {
        Some(self.cmp(autre))
    }
}

impl fmt::Display for CleFigure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ventilation {
            Some(v) => write!(f, "{}@{v}", self.indicateur),
            None => f.write_str(&self.indicateur),
        }
    }
}

impl From<&str> for CleFigure {
    fn from(id: &str) -> CleFigure {
        CleFigure::propre(id)
    }
}

impl From<&String> for CleFigure {
    fn from(id: &String) -> CleFigure {
        CleFigure::propre(id)
    }
}

impl From<&CleFigure> for CleFigure {
    fn from(cle: &CleFigure) -> CleFigure {
        cle.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_written_and_read_back_as_in_the_records() {
        let a = CleFigure::sous("contacts_rue", "femmes_dont_trans");
        assert_eq!(a.to_string(), "contacts_rue@femmes_dont_trans");
        assert_eq!(CleFigure::lire(&a.to_string()), a);
        assert_eq!(
            CleFigure::lire("contacts_rue"),
            CleFigure::propre("contacts_rue")
        );
    }

    #[test]
    fn keys_sort_as_their_written_form() {
        let mut cles = [
            CleFigure::propre("a_b"),
            CleFigure::sous("a", "v"),
            CleFigure::propre("a2"),
            CleFigure::propre("a"),
        ];
        cles.sort();
        let ecrites: Vec<String> = cles.iter().map(ToString::to_string).collect();
        let mut attendues = ecrites.clone();
        attendues.sort();
        assert_eq!(ecrites, attendues);
        assert_eq!(ecrites, ["a", "a2", "a@v", "a_b"]);
    }
}
