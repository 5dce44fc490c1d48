//! The personal data guard: headers that name personal data, and cells that
//! hold a phone number or an e-mail address. Such values are never printed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::Source;
use super::lecture::Lecteur;
use super::lots::Enregistrement;
use super::signaleur::Signaleur;
use crate::error::Probleme;
use crate::fr::normalise;

/// The guard over one export file: its headers refused at once, the cells
/// that look like personal data counted per column and reported at the end,
/// one error per column, position only.
pub(super) struct Garde {
    source: Source,
    affiche: PathBuf,
    entetes_bruts: Vec<String>,
    /// Columns whose header names personal data: refused, never read.
    personnelles: Vec<bool>,
    /// Columns no typing reads: only the guard looks at their cells.
    autres: Vec<usize>,
    /// The cells found.
    trouvees: Trouvees,
}

/// Per column: the first line where a cell looks like personal data, what
/// it looks like, and in how many lines.
#[derive(Default)]
struct Trouvees(BTreeMap<usize, (usize, &'static str, usize)>);

impl Trouvees {
    /// Notes that the cell of column `i` at `ligne` looks like `quoi`.
    fn noter(&mut self, i: usize, ligne: usize, quoi: &'static str) {
        let e = self.0.entry(i).or_insert((ligne, quoi, 0));
        e.2 += 1;
    }
}

impl Garde {
    /// The header guard on the file `lecteur` reads: one error per header
    /// that names personal data.
    pub(super) fn new(source: Source, lecteur: &Lecteur, f: &mut Signaleur) -> Garde {
        let mut garde = Garde {
            source,
            affiche: lecteur.affiche.clone(),
            entetes_bruts: lecteur.entetes_bruts.clone(),
            personnelles: vec![false; lecteur.entetes.len()],
            autres: Vec::new(),
            trouvees: Trouvees::default(),
        };
        for (i, entete) in garde.entetes_bruts.iter().enumerate() {
            if !lecteur.ignorees[i] && entete_personnelle(entete) {
                garde.personnelles[i] = true;
                f.erreur(
                    Probleme::new(&garde.affiche, "cette colonne contient des données personnelles : elle est refusée")
                        .ligne(1)
                        .colonne(entete)
                        .attendu("des exports sans nom, téléphone, adresse, e-mail ni date de naissance")
                        .correction(format!(
                            "retirez cette colonne de l'export, ou déclarez-la dans rapport.toml pour qu'elle ne soit jamais lue : {}",
                            ignorer_exemple(source, entete)
                        )),
                );
            }
        }
        garde
    }

    /// Sets the columns the typing does not read (`lues` it does): the guard
    /// reads their cells, unless ignored or refused.
    pub(super) fn garder_aussi(&mut self, lecteur: &Lecteur, lues: &BTreeSet<usize>) {
        self.autres = (0..lecteur.entetes.len())
            .filter(|i| !lecteur.ignorees[*i] && !self.personnelles[*i] && !lues.contains(i))
            .collect();
    }

    /// The cell guard: notes that the cell of `colonne` at `ligne` looks like
    /// `quoi` (as [`valeur_personnelle`] says, maybe remembered per spelling).
    pub(super) fn noter(
        &mut self,
        colonne: Option<usize>,
        ligne: usize,
        quoi: Option<&'static str>,
    ) {
        if let Some(quoi) = quoi
            && let Some(i) = colonne
        {
            self.trouvees.noter(i, ligne, quoi);
        }
    }

    /// The cell guard on the columns only the guard reads, for one row.
    pub(super) fn lire(&mut self, e: &Enregistrement) {
        for &i in &self.autres {
            if let Some(quoi) = valeur_personnelle(e.cellule(Some(i))) {
                self.trouvees.noter(i, e.ligne, quoi);
            }
        }
    }

    /// Reports the cells found: one error per column, position only.
    pub(super) fn signaler(self, f: &mut Signaleur) {
        for (i, (ligne, quoi, nombre)) in self.trouvees.0 {
            let et = if nombre > 1 {
                format!(" (et {} autres lignes de cette colonne)", nombre - 1)
            } else {
                String::new()
            };
            f.erreur(
                Probleme::new(
                    &self.affiche,
                    format!("une cellule contient ce qui ressemble à {quoi}{et} ; sa valeur n'est pas affichée"),
                )
                .ligne(ligne)
                .colonne(&self.entetes_bruts[i])
                .attendu("aucune donnée personnelle dans les exports")
                .correction(format!(
                    "effacez cette donnée dans le tableur, ou, si la colonne ne sert pas au rapport, ignorez-la : {}",
                    ignorer_exemple(self.source, &self.entetes_bruts[i])
                )),
            );
        }
    }
}

/// The line of `rapport.toml` that makes the reading ignore `entete`.
fn ignorer_exemple(source: Source, entete: &str) -> String {
    format!(
        "[exports.{}] ignorer = [\"{}\"]",
        source.nom(),
        entete.replace('"', "\\\"")
    )
}

/// Whether a header (as written in the file) names personal data:
/// `Nom`, `Prénom`, `Téléphone`, `E-mail`, `Adresse`, `Date de naissance`…
pub fn entete_personnelle(entete: &str) -> bool {
    let n = normalise(entete).replace(['_', '-', '.', '\''], " ");
    let mots: Vec<&str> = n.split_whitespace().collect();
    let Some(premier) = mots.first() else {
        return false;
    };
    let commence = |suite: &[&str]| mots.starts_with(suite);
    const DEBUTS: [&str; 15] = [
        "prenom",
        "prenoms",
        "patronyme",
        "telephone",
        "tel",
        "portable",
        "mobile",
        "gsm",
        "email",
        "mail",
        "courriel",
        "adresse",
        "ddn",
        "nir",
        "iban",
    ];
    DEBUTS.contains(premier)
        || (mots.as_slice() == ["nom"])
        || commence(&["nom", "de", "famille"])
        || commence(&["nom", "d", "usage"])
        || commence(&["nom", "de", "naissance"])
        || commence(&["nom", "et", "prenom"])
        || commence(&["nom", "prenom"])
        || commence(&["e", "mail"])
        || commence(&["no", "de", "telephone"])
        || commence(&["numero", "de", "telephone"])
        || n.contains("date de naissance")
        || n.contains("lieu de naissance")
        || *premier == "naissance"
        || n.contains("securite sociale")
        || n.contains("passeport")
}

/// Whether a cell contains something that looks like an e-mail address or a phone number.
pub fn valeur_personnelle(cellule: &str) -> Option<&'static str> {
    if contient_email(cellule) {
        Some("une adresse e-mail")
    } else if contient_telephone(cellule) {
        Some("un numéro de téléphone")
    } else {
        None
    }
}

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

/// French numbers (`06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`,
/// `0033612345678`) and other international ones (`+44 20 7946 0958`).
fn contient_telephone(t: &str) -> bool {
    if t.bytes().filter(u8::is_ascii_digit).count() < 9 {
        return false;
    }
    // Groups of digits separated by one space, dot or dash; a `+` may open a group.
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
    for suite in &suites {
        for debut in 0..suite.len() {
            let international = suite[debut].0;
            let mut chiffres = String::new();
            for (_, g) in &suite[debut..] {
                chiffres.push_str(g);
                if numero(&chiffres, international) {
                    return true;
                }
                if chiffres.len() > 15 {
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
    (b.len() == 10 && b[0] == b'0' && b[1] != b'0') || (b.starts_with(b"0033") && francais(&b[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_naming_personal_data_are_recognised() {
        for e in [
            "Nom",
            "Prénom",
            "NOM DE FAMILLE",
            "Téléphone",
            "Tél.",
            "E-mail",
            "Courriel",
            "Adresse postale",
            "Date de naissance",
            "N° de sécurité sociale",
        ] {
            assert!(entete_personnelle(e), "{e}");
        }
        for e in [
            "Nombre",
            "Nom du lieu",
            "Date de l'action",
            "Programme",
            "Thèmes",
            "personne",
        ] {
            assert!(!entete_personnelle(e), "{e}");
        }
    }

    #[test]
    fn phone_numbers_and_email_addresses_are_found_inside_text() {
        for t in [
            "06 12 34 56 78",
            "rappeler au 06.12.34.56.78 demain",
            "+33 6 12 34 56 78",
            "0033612345678",
            "le 12/03/2013 au 0612345678",
            "+44 20 7946 0958",
            "ecrire a marie.d@example.org",
            "contact: x@y.fr.",
        ] {
            assert!(valeur_personnelle(t).is_some(), "{t}");
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
        ] {
            assert!(valeur_personnelle(t).is_none(), "{t}");
        }
    }
}
