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
                "Secret statistique : les effectifs de 1 à {} personnes sont remplacés par « < {k} », et, lorsqu'un total les trahirait, une seconde case est masquée ; les parts calculées sur moins de {k} personnes et les évolutions calculées à partir d'une case masquée le sont aussi. Les zéros restent visibles ; les comptes qui ne sont pas des personnes (tournées, kits, euros) ne sont pas masqués.",
                k - 1
            ),
            Regle::Desactivee => {
                "Secret statistique désactivé dans le modèle du rapport : les petits effectifs sont publiés tels quels.".into()
            }
        }
    }
}
