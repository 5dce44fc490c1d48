//! The confidentiality rule of a build: which small counts of people are
//! masked (see `figures::secret`, which applies it).

/// The rule in force for a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regle {
    /// Counts of people below `seuil` (k ≥ 3) are masked.
    Seuil(u32),
    /// Masking explicitly turned off in the model; said in every output.
    Desactivee,
}

impl Regle {
    /// The sentence that explains the rule to a reader.
    pub fn explication(&self) -> String {
        match self {
            Regle::Seuil(k) => format!(
                "Secret statistique : les effectifs de 1 à {} personnes sont remplacés par « < {k} » ; une part l'est aussi lorsque son numérateur, son dénominateur ou leur différence est un tel effectif. D'autres cases, marquées « s », sont masquées pour qu'aucun de ces effectifs ne puisse se déduire, par addition ou soustraction, de l'ensemble des chiffres publiés (rapport, extraits, comparaisons) ; leur valeur n'est pas forcément petite. Les zéros restent visibles ; les comptes qui ne sont pas des personnes (tournées, kits, euros) ne sont masqués que pour protéger un effectif.",
                k - 1
            ),
            Regle::Desactivee => {
                "Secret statistique désactivé dans le modèle du rapport : les petits effectifs sont publiés tels quels.".into()
            }
        }
    }
}
