//! Acronyms: the glossary's sigles found in what the report shows, their
//! occurrences marked in the texts' trees, and the words that look like an
//! acronym but are not in the glossary.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use serde_json::Value;

use super::arbre::{Balise, Noeud};
use super::typographie::est_adresse;

/// The sigles of a glossary, ready to be found in texts.
#[derive(Debug, Clone, Default)]
pub struct Sigles {
    /// Longest first, so that `ARS OI` wins over `ARS`.
    liste: Vec<String>,
}

impl Sigles {
    pub fn new<'a>(sigles: impl IntoIterator<Item = &'a str>) -> Sigles {
        let mut liste: Vec<String> = sigles
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        liste.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        liste.dedup();
        Sigles { liste }
    }

    /// The sigles, longest first.
    pub fn liste(&self) -> &[String] {
        &self.liste
    }

    /// The sigles of the glossary in `texte`, in order, as whole words
    /// (`IST` in `VIH/IST` and in `d’IST`, not in `ISTHME`), with their
    /// byte ranges; case counts (`PASS`, not `pass`). URLs and e-mail
    /// addresses are skipped.
    pub fn trouver<'a>(&'a self, texte: &str) -> Vec<(Range<usize>, &'a str)> {
        let mut trouves = Vec::new();
        if self.liste.is_empty() {
            return trouves;
        }
        let adresses = adresses(texte);
        let mut prec: Option<char> = None;
        let mut i = 0;
        while i < texte.len() {
            let c = texte[i..].chars().next().expect("dans le texte");
            let debut_de_mot = !prec.is_some_and(char::is_alphanumeric);
            if debut_de_mot
                && c.is_alphanumeric()
                && !adresses.iter().any(|a| a.contains(&i))
                && let Some(s) = self.liste.iter().find(|s| {
                    texte[i..].starts_with(s.as_str())
                        && !texte[i + s.len()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric)
                })
            {
                trouves.push((i..i + s.len(), s.as_str()));
                i += s.len();
                prec = s.chars().next_back();
                continue;
            }
            prec = Some(c);
            i += c.len_utf8();
        }
        trouves
    }

    /// The words of `texte` that look like an acronym ([`ressemble_a_un_sigle`])
    /// and are not a sigle of the glossary, with their byte offsets. Words
    /// are split at anything but letters and digits (`VIH/IST`, `CDAG-X`),
    /// after the glossary's own sigles (`CDAG-CIDDIST`) are set aside.
    pub fn inconnus<'t>(&self, texte: &'t str) -> Vec<(usize, &'t str)> {
        let connus = self.trouver(texte);
        let adresses = adresses(texte);
        let mut mots = Vec::new();
        let mut debut = None;
        for (i, c) in texte.char_indices().chain([(texte.len(), ' ')]) {
            let dans_un_connu = connus.iter().any(|(r, _)| r.contains(&i));
            if c.is_alphanumeric() && !dans_un_connu && i < texte.len() {
                debut.get_or_insert(i);
            } else if let Some(d) = debut.take() {
                let mot = &texte[d..i];
                if ressemble_a_un_sigle(mot) && !adresses.iter().any(|a| a.contains(&d)) {
                    mots.push((d, mot));
                }
            }
        }
        mots
    }

    /// Replaces, in the tree of a text, each occurrence of a sigle by a
    /// `sigle` node (see [`super::markdown::arbre`]). The first occurrence of
    /// each sigle in the running text (not in a heading nor in a link, and
    /// not already in `lies`) gets `lien: true` and joins `lies`. Code is left
    /// as it is.
    pub fn marquer(&self, blocs: &mut Vec<Noeud>, lies: &mut HashSet<String>) {
        self.marquer_dans(blocs, lies, true);
    }

    fn marquer_dans(&self, noeuds: &mut Vec<Noeud>, lies: &mut HashSet<String>, lier: bool) {
        let mut sortie = Vec::with_capacity(noeuds.len());
        for noeud in std::mem::take(noeuds) {
            match noeud {
                Noeud::Texte(s) => {
                    let mut fin = 0;
                    for (r, sigle) in self.trouver(&s) {
                        if r.start > fin {
                            sortie.push(s[fin..r.start].into());
                        }
                        let lien = lier && lies.insert(sigle.to_string());
                        sortie.push(Balise::sigle(sigle, lien).into());
                        fin = r.end;
                    }
                    if fin == 0 {
                        sortie.push(Noeud::Texte(s));
                    } else if fin < s.len() {
                        sortie.push(s[fin..].into());
                    }
                }
                Noeud::Balise(mut e) => {
                    let lier = lier && !matches!(e, Balise::Titre { .. } | Balise::Lien { .. });
                    if let Some(enfants) = e.enfants_mut() {
                        self.marquer_dans(enfants, lies, lier);
                    }
                    sortie.push(Noeud::Balise(e));
                }
            }
        }
        *noeuds = sortie;
    }

    /// The sigles shown anywhere in `valeur` (a document as JSON: its texts,
    /// titles, table and chart labels), but not in the values of the keys
    /// `ignorer` (file names, link targets, the glossary itself).
    pub fn employes(&self, valeur: &Value, ignorer: &[&str]) -> BTreeSet<String> {
        let mut vus = BTreeSet::new();
        self.employes_dans(valeur, ignorer, &mut vus);
        vus
    }

    fn employes_dans(&self, valeur: &Value, ignorer: &[&str], vus: &mut BTreeSet<String>) {
        match valeur {
            Value::String(s) => vus.extend(self.trouver(s).into_iter().map(|(_, s)| s.to_string())),
            Value::Array(a) => a.iter().for_each(|v| self.employes_dans(v, ignorer, vus)),
            Value::Object(o) => o
                .iter()
                .filter(|(k, _)| !ignorer.contains(&k.as_str()))
                .for_each(|(_, v)| self.employes_dans(v, ignorer, vus)),
            _ => {}
        }
    }
}

/// Byte ranges of the URLs and e-mail addresses of `texte` (words between spaces).
fn adresses(texte: &str) -> Vec<Range<usize>> {
    let mut r = Vec::new();
    let mut debut = None;
    for (i, c) in texte.char_indices().chain([(texte.len(), ' ')]) {
        if !c.is_whitespace() && i < texte.len() {
            debut.get_or_insert(i);
        } else if let Some(d) = debut.take()
            && est_adresse(&texte[d..i])
        {
            r.push(d..i);
        }
    }
    r
}

/// Whether a word looks like an acronym: at least two capitals, and more
/// capitals than lower-case letters (`TDS`, `PVVIH`, `CeGIDD`; not
/// `McDonald`). A Roman numeral with an ordinal ending (`XXIe`, `IIIe`) is
/// not one.
pub fn ressemble_a_un_sigle(mot: &str) -> bool {
    let capitales = mot.chars().filter(|c| c.is_uppercase()).count();
    let minuscules = mot.chars().filter(|c| c.is_lowercase()).count();
    if capitales < 2 || capitales <= minuscules {
        return false;
    }
    let fin = mot.trim_start_matches(|c: char| "IVXLCDM".contains(c));
    let ordinal = fin.len() < mot.len() && ["e", "er", "ers", "es", "ème", "eme"].contains(&fin);
    !ordinal
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sigles() -> Sigles {
        Sigles::new([
            "TDS",
            "ARS",
            "ARS OI",
            "IST",
            "VIH",
            "CDAG-CIDDIST",
            "VHC/B",
            "PASS",
        ])
    }

    #[test]
    fn sigles_are_found_as_whole_words_longest_first() {
        let s = sigles();
        let mots = |t: &str| s.trouver(t).into_iter().map(|(_, m)| m).collect::<Vec<_>>();
        assert_eq!(
            mots("Les TDS et l’ARS OI, puis l'ARS."),
            ["TDS", "ARS OI", "ARS"]
        );
        assert_eq!(
            mots("VIH/IST, CDAG-CIDDIST et VHC/B"),
            ["VIH", "IST", "CDAG-CIDDIST", "VHC/B"]
        );
        assert_eq!(mots("ISTHME, TDSx, pass, PASSE"), Vec::<&str>::new());
        assert_eq!(mots("https://x.org/TDS et tds@x.fr"), Vec::<&str>::new());
    }

    #[test]
    fn acronym_like_words_outside_the_glossary_are_listed() {
        let s = sigles();
        let t = "Les TDS du CAARUD et VIH/OMS, CDAG-CIDDIST, McDonald, XXIe siècle, CeGIDD, ONU.";
        let inconnus: Vec<&str> = s.inconnus(t).into_iter().map(|(_, m)| m).collect();
        assert_eq!(inconnus, ["CAARUD", "OMS", "CeGIDD", "ONU"]);
        let (i, _) = s.inconnus(t)[0];
        assert_eq!(&t[i..i + 6], "CAARUD");
    }

    #[test]
    fn the_first_occurrence_in_running_text_is_linked_and_only_it() {
        let s = sigles();
        let mut arbre = super::super::markdown::arbre(
            "## Les TDS\n\nLes [TDS](https://x.org) et les TDS, `TDS`, puis les TDS.\n",
        );
        let mut lies = HashSet::new();
        s.marquer(&mut arbre, &mut lies);
        let arbre = serde_json::to_value(&arbre).unwrap();
        let sigle = |lien: bool| json!({"t": "sigle", "v": "TDS", "lien": lien, "c": ["TDS"]});
        assert_eq!(arbre[0]["c"], json!(["Les ", sigle(false)]));
        assert_eq!(
            arbre[1]["c"],
            json!([
                "Les ",
                {"t": "link", "url": "https://x.org", "c": [sigle(false)]},
                " et les ",
                sigle(true),
                ", ",
                {"t": "code", "v": "TDS"},
                ", puis les ",
                sigle(false),
                "."
            ])
        );
        // A later text does not link it again.
        let mut suite = super::super::markdown::arbre("Les TDS.");
        s.marquer(&mut suite, &mut lies);
        let suite = serde_json::to_value(&suite).unwrap();
        assert_eq!(suite[0]["c"][1]["lien"], json!(false));
    }

    #[test]
    fn used_sigles_are_read_from_every_string_but_ignored_keys() {
        let s = sigles();
        let doc = json!({
            "titre": "Les TDS",
            "tableaux": [{"lignes": [{"libelle": "Dépistages (VIH)"}]}],
            "fichier": "/graphiques/IST.svg",
            "glossaire": [{"sigle": "PASS"}],
        });
        let vus = s.employes(&doc, &["fichier", "glossaire"]);
        assert_eq!(vus.into_iter().collect::<Vec<_>>(), ["TDS", "VIH"]);
    }

    #[test]
    fn roman_numerals_with_an_ordinal_are_not_acronyms() {
        assert!(ressemble_a_un_sigle("TDS"));
        assert!(ressemble_a_un_sigle("CDI"));
        assert!(!ressemble_a_un_sigle("XIXe"));
        assert!(!ressemble_a_un_sigle("Toulouse"));
        assert!(!ressemble_a_un_sigle("A"));
    }
}
