//! The association's registration numbers, as the model declares them
//! (`[association] siret`, `rna`): read and checked before they are printed.

/// The digits of a SIRET written with spaces (`123 456 789 00012`), if it is
/// 14 digits once spaces are removed.
pub fn chiffres_siret(texte: &str) -> Option<String> {
    let chiffres: String = texte
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\u{A0}')
        .collect();
    (chiffres.len() == 14 && chiffres.chars().all(|c| c.is_ascii_digit())).then_some(chiffres)
}

/// The SIREN of La Poste, whose establishments' SIRET follow another rule.
const SIREN_LA_POSTE: &str = "356000000";

/// Whether the 14 digits `chiffres` pass the SIRET's key: the Luhn
/// algorithm (La Poste's establishments: the sum of the digits is a multiple of 5).
pub fn cle_siret_valide(chiffres: &str) -> bool {
    let n: Vec<u32> = chiffres.chars().filter_map(|c| c.to_digit(10)).collect();
    if chiffres.starts_with(SIREN_LA_POSTE) && chiffres != "35600000000048" {
        return n.iter().sum::<u32>().is_multiple_of(5);
    }
    luhn(&n)
}

/// The Luhn check: from the right, every second digit doubled (9 taken off
/// above 9), the sum a multiple of 10.
fn luhn(chiffres: &[u32]) -> bool {
    let somme: u32 = chiffres
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            if i % 2 == 1 {
                let d = 2 * c;
                if d > 9 { d - 9 } else { d }
            } else {
                c
            }
        })
        .sum();
    somme.is_multiple_of(10)
}

/// Whether `texte` is an RNA number: `W` and 9 digits (spaces ignored).
pub fn rna_valide(texte: &str) -> bool {
    let t: String = texte.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() == 10 && t.starts_with('W') && t[1..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_siret_is_fourteen_digits_spaces_allowed() {
        assert_eq!(
            chiffres_siret("732 829 320 00074").as_deref(),
            Some("73282932000074")
        );
        assert_eq!(chiffres_siret("7328293200007"), None);
        assert_eq!(chiffres_siret("7328293200007A"), None);
    }

    #[test]
    fn the_luhn_key_accepts_a_real_siret_and_refuses_a_changed_digit() {
        // The SIRET of a well-known company's head office.
        assert!(cle_siret_valide("73282932000074"));
        assert!(!cle_siret_valide("73282932000075"));
        assert!(!cle_siret_valide("73282932000047"));
    }

    #[test]
    fn la_postes_establishments_follow_their_own_rule() {
        // 3+5+6+…: a sum of digits that is a multiple of 5.
        assert!(cle_siret_valide("35600000000010"));
        assert!(!cle_siret_valide("35600000000011"));
    }

    #[test]
    fn an_rna_number_is_w_and_nine_digits() {
        assert!(rna_valide("W313012345"));
        assert!(rna_valide("W 313 012 345"));
        assert!(!rna_valide("313012345"));
        assert!(!rna_valide("W31301234"));
        assert!(!rna_valide("w313012345"));
        assert!(!rna_valide("W31301234X"));
    }
}
