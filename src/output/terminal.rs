//! Tables for the terminal: a label column on the left, cut with `…` when
//! too long, and columns of figures aligned on the right.

/// The widths of a table: its label column's and each figure column's.
#[derive(Debug, Clone, PartialEq)]
pub struct Largeurs {
    pub libelle: usize,
    pub colonnes: Vec<usize>,
}

impl Largeurs {
    /// Widths that fit `entete` and the `rangees` (label, cells); the label
    /// column takes at most `libelle_max` characters.
    pub fn ajustees<'a>(
        entete: &[String],
        rangees: impl IntoIterator<Item = (String, &'a [String])>,
        libelle_max: usize,
    ) -> Largeurs {
        let mut libelle = None::<usize>;
        let mut colonnes: Vec<usize> = entete.iter().map(|e| e.chars().count()).collect();
        for (l, cellules) in rangees {
            libelle = Some(libelle.unwrap_or(0).max(l.chars().count()));
            for (i, c) in cellules.iter().enumerate() {
                colonnes[i] = colonnes[i].max(c.chars().count());
            }
        }
        Largeurs {
            libelle: libelle.unwrap_or(10).min(libelle_max),
            colonnes,
        }
    }

    /// One line of the table: indented by two spaces, the label, then the
    /// cells, two spaces apart.
    pub fn ligne(&self, libelle: &str, cellules: &[String]) -> String {
        let cellules: Vec<String> = cellules
            .iter()
            .zip(&self.colonnes)
            .map(|(c, &n)| a_droite(c, n))
            .collect();
        format!(
            "  {}  {}",
            a_gauche(libelle, self.libelle),
            cellules.join("  ")
        )
    }
}

/// `texte` aligned right in `n` characters.
pub fn a_droite(texte: &str, n: usize) -> String {
    format!(
        "{}{texte}",
        " ".repeat(n.saturating_sub(texte.chars().count()))
    )
}

/// `texte` aligned left in `n` characters, cut with `…` if longer.
pub fn a_gauche(texte: &str, n: usize) -> String {
    let t: String = if texte.chars().count() > n {
        texte.chars().take(n - 1).chain(['…']).collect()
    } else {
        texte.into()
    };
    format!("{t}{}", " ".repeat(n.saturating_sub(t.chars().count())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_and_figures_aligned_right() {
        let entete = vec!["2012".to_string(), "2013".to_string()];
        let cellules = vec!["1 667".to_string(), "12".to_string()];
        let l = Largeurs::ajustees(
            &entete,
            [("Contacts dans la rue".to_string(), cellules.as_slice())],
            10,
        );
        assert_eq!(l.colonnes, [5, 4]);
        assert_eq!(
            l.ligne("Contacts dans la rue", &cellules),
            "  Contacts …  1 667    12"
        );
    }
}
