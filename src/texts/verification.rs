//! What `rapport check` reads in the source of a text (as written, before
//! its placeholders are replaced): the placeholders' variables, the words
//! that look like an acronym, the figures typed by hand, each with its line.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::Modele;

/// The variables of the figures (`ind.…`, `prec.…`) named in the
/// placeholders and tags of `source` (`{{ … }}`, `{% … %}`), with their line.
pub fn variables(source: &str) -> Vec<(usize, String)> {
    let mut trouvees = Vec::new();
    for (debut, fin) in balises(source) {
        let dedans = &source[debut..fin];
        let mut prec: Option<char> = None;
        for (i, c) in dedans.char_indices() {
            let mot = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
            if !prec.is_some_and(mot)
                && (dedans[i..].starts_with("ind.") || dedans[i..].starts_with("prec."))
            {
                let longueur = dedans[i..]
                    .find(|c: char| !mot(c))
                    .unwrap_or(dedans.len() - i);
                let variable = dedans[i..i + longueur].trim_end_matches('.');
                trouvees.push((ligne_de(source, debut + i), variable.to_string()));
            }
            prec = Some(c);
        }
    }
    trouvees
}

/// The byte ranges of the Tera placeholders, tags and comments of `source`.
fn balises(source: &str) -> Vec<(usize, usize)> {
    let mut r = Vec::new();
    let mut i = 0;
    while let Some(p) = source[i..].find('{') {
        let debut = i + p;
        let fermeture = match source[debut + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                i = debut + 1;
                continue;
            }
        };
        match source[debut + 2..].find(fermeture) {
            Some(f) => {
                let fin = debut + 2 + f + 2;
                r.push((debut, fin));
                i = fin;
            }
            None => break,
        }
    }
    r
}

/// The 1-based line of byte `offset` of `texte`.
fn ligne_de(texte: &str, offset: usize) -> usize {
    texte[..offset].matches('\n').count() + 1
}

/// The running text of a Markdown source, as written: each run of text
/// with its line, placeholders set aside (`¤`), code, code blocks, raw HTML
/// and link targets left out.
pub fn passages(source: &str) -> Vec<(usize, String)> {
    let mut masque = String::with_capacity(source.len());
    let mut i = 0;
    for (debut, fin) in balises(source) {
        masque.push_str(&source[i..debut]);
        masque.push('¤');
        masque.extend(source[debut..fin].matches('\n'));
        i = fin;
    }
    masque.push_str(&source[i..]);

    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut passages: Vec<(usize, String)> = Vec::new();
    let mut dans_le_code = false;
    let mut suite = false;
    for (evenement, position) in Parser::new_ext(&masque, options).into_offset_iter() {
        match evenement {
            Event::Start(Tag::CodeBlock(_)) => dans_le_code = true,
            Event::End(TagEnd::CodeBlock) => dans_le_code = false,
            Event::Text(t) if !dans_le_code => {
                match passages.last_mut() {
                    Some((_, texte)) if suite => texte.push_str(&t),
                    _ => passages.push((ligne_de(&masque, position.start), t.to_string())),
                }
                suite = true;
                continue;
            }
            _ => {}
        }
        suite = false;
    }
    passages
}

/// A number typed in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Litteral {
    pub ligne: usize,
    /// As written (`1 667`).
    pub ecrit: String,
    /// Its digits, decimal comma, no grouping (`1667`, `62,5`).
    pub canon: String,
    pub decimales: usize,
    /// Followed by `%`.
    pub pourcent: bool,
}

/// Units after which a number is a measure, not a count of the model.
const UNITES: [&str; 25] = [
    "h", "heure", "heures", "min", "minute", "minutes", "jour", "jours", "semaine", "semaines",
    "mois", "an", "ans", "année", "années", "siècle", "siècles", "m", "m²", "m2", "km", "km²",
    "kg", "cm", "°",
];

/// Up to `n` words of `chars` after index `i` (forwards) or before it
/// (backwards, nearest first), lower case, without surrounding punctuation.
fn mots_voisins(chars: &[char], i: usize, n: usize, apres: bool) -> Vec<String> {
    let texte: String = if apres {
        chars[i..].iter().collect()
    } else {
        chars[..i].iter().collect()
    };
    let nettoyer = |m: &str| {
        m.trim_matches(|c: char| !c.is_alphanumeric() && c != '²' && c != '°')
            .to_lowercase()
    };
    let mots = texte
        .split_whitespace()
        .map(nettoyer)
        .filter(|m| !m.is_empty());
    if apres {
        mots.take(n).collect()
    } else {
        let tous: Vec<String> = mots.collect();
        tous.into_iter().rev().take(n).collect()
    }
}

/// The numbers typed in the text `source` that could be figures: not years
/// (`2013`), not numbers below 10, not parts of references, dates or times
/// (`L. 316-1`, `12/03`, `10:30`, `24h`), not measures (`30 jours`,
/// `24 h sur 24`, `100 m²`) nor rates (`40 personnes par jour`).
pub fn litteraux(source: &str) -> Vec<Litteral> {
    litteraux_avec(source, false)
}

/// [`litteraux`], with the numbers below 10 too when `petits` (what a
/// small count of people typed by hand looks like: « 2 hommes »).
pub fn litteraux_avec(source: &str, petits: bool) -> Vec<Litteral> {
    let mut trouves = Vec::new();
    for (ligne, texte) in passages(source) {
        let chars: Vec<char> = texte.chars().collect();
        let n = chars.len();
        let chiffre = |j: usize| j < n && chars[j].is_ascii_digit();
        let colle = |c: char| "-/.:".contains(c);
        let mut i = 0;
        while i < n {
            let prec = if i > 0 { Some(chars[i - 1]) } else { None };
            let avant_prec = if i > 1 { Some(chars[i - 2]) } else { None };
            if !chiffre(i)
                || prec.is_some_and(|p| p.is_alphanumeric() || p == ',')
                || (prec.is_some_and(colle) && avant_prec.is_some_and(|c| c.is_ascii_digit()))
            {
                i += 1;
                continue;
            }
            let debut = i;
            let lu = super::typographie::lire_nombre(&chars, debut, chiffre, |j| {
                chars[j].is_whitespace()
            });
            i = lu.fin;
            let groupes = lu.groupes.len() > 1;
            let decimales = lu.decimales.chars().count();
            let mut canon = lu.groupes.concat();
            if decimales > 0 {
                canon.push(',');
                canon.push_str(&lu.decimales);
            }
            let ecrit: String = chars[debut..i].iter().collect();
            let suivant = chars.get(i).copied();
            if suivant.is_some_and(|c| c.is_alphanumeric())
                || (suivant.is_some_and(colle) && chiffre(i + 1))
            {
                continue;
            }
            let mut j = i;
            while j < n && chars[j].is_whitespace() {
                j += 1;
            }
            let pourcent = chars.get(j) == Some(&'%');
            let apres = mots_voisins(&chars, i, 4, true);
            let avant = mots_voisins(&chars, debut, 2, false);
            let unite = |m: Option<&String>| m.is_some_and(|m| UNITES.contains(&m.as_str()));
            let mesure = unite(apres.first())
                || (avant.first().is_some_and(|m| m == "sur") && unite(avant.get(1)))
                || apres
                    .windows(2)
                    .any(|w| w[0] == "par" && UNITES.contains(&w[1].as_str()));
            if mesure {
                continue;
            }
            if decimales == 0 && !pourcent {
                let valeur: u64 = canon.parse().unwrap_or(0);
                let annee = !groupes && canon.len() == 4 && (1900..=2100).contains(&valeur);
                if (valeur < 10 && !petits) || annee {
                    continue;
                }
            }
            trouves.push(Litteral {
                ligne,
                ecrit,
                canon,
                decimales,
                pourcent,
            });
        }
    }
    trouves
}

/// A figure of the model that a text can cite with a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Citable {
    pub valeur: f64,
    pub part: bool,
    /// The placeholder that prints it (`{{ ind.contacts_net.total | nombre }}`).
    pub espace: String,
    /// What it is, for the message (`« Contacts », Hommes, en 2013`).
    pub description: String,
}

/// Every figure of the report's year and of the year before that a text
/// can cite (totals and groups; not the masked or unavailable ones).
pub fn citables(modele: &Modele, figures: &Figures) -> Vec<Citable> {
    let mut tout = Vec::new();
    for (prefixe, annee) in [("ind", figures.annee), ("prec", figures.annee - 1)] {
        if !figures.annees.contains(&annee) {
            continue;
        }
        for (id, ind) in &modele.indicateurs {
            let c = figures.chiffre(id, annee);
            let filtre = match (&c.total, ind.unite.as_deref()) {
                (Valeur::Part { .. }, _) => "pourcent",
                (_, Some("€")) => "euros",
                _ => "nombre",
            };
            let mut cellules = vec![("total".to_string(), None, &c.total)];
            if let Some(v) = &ind.ventilation {
                for (g, val) in modele.ventilations[v].groupes.iter().zip(&c.groupes) {
                    cellules.push((format!("groupes.{}", g.cle()), Some(&g.libelle), val));
                }
            }
            for (chemin, groupe, val) in cellules {
                let Some(valeur) = val.nombre() else { continue };
                let groupe = groupe.map(|g| format!(", {g},")).unwrap_or_default();
                tout.push(Citable {
                    valeur,
                    part: matches!(val, Valeur::Part { .. }),
                    espace: format!("{{{{ {prefixe}.{id}.{chemin} | {filtre} }}}}"),
                    description: format!("« {} »{groupe} en {annee}", ind.libelle),
                });
            }
        }
    }
    tout
}

/// Whether the number `l` typed in a text is the figure `f`, as the
/// placeholder would print it: a count with the same digits, a share or an
/// amount rounded to the decimals typed (`62,5`; a share without decimals
/// only with `%`).
pub fn cite(l: &Litteral, f: &Citable) -> bool {
    let arrondi = fr::decimal(f.valeur, l.decimales);
    if f.part {
        (l.pourcent || l.decimales > 0) && arrondi == l.canon
    } else if l.pourcent {
        false
    } else if l.decimales == 0 {
        f.valeur.fract() == 0.0 && arrondi == l.canon
    } else {
        arrondi == l.canon
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_in_placeholders_and_tags_with_their_line() {
        let source = "Titre\n\nEn {{ annee }}, {{ ind.contacts_nett.total | nombre }}\net {% if prec.x.groupes.femmes > 0 %}oui{% endif %} ind.pas_ici.";
        assert_eq!(
            variables(source),
            [
                (3, "ind.contacts_nett.total".to_string()),
                (4, "prec.x.groupes.femmes".to_string())
            ]
        );
    }

    #[test]
    fn passages_leave_out_code_and_placeholders_and_keep_lines() {
        let source = "Les {{ ind.x.total\n | nombre }} TDS\n\n`CODE` et [OFPRA](https://x.org/AB)\n\n```\nCAARUD\n```\nfin";
        let p = passages(source);
        assert_eq!(
            p,
            [
                (1, "Les ¤".to_string()),
                (2, "TDS".to_string()),
                (4, " et ".to_string()),
                (4, "OFPRA".to_string()),
                (9, "fin".to_string())
            ]
        );
    }

    #[test]
    fn typed_figures_are_read_but_not_years_small_numbers_or_references() {
        let source = "En 2013, 1 667 personnes, 1667 contacts, 62,5 % et 96 %, 3 soirs, \
                      L. 316-1, le 12/03, à 10:30, 24h, {{ ind.x.total }} et 16\u{202F}119 ; \
                      30 jours, 24 h sur 24, 100 m², 40 personnes par jour, 12 sur 32.";
        let l = litteraux(source);
        let canons: Vec<(&str, &str, bool)> = l
            .iter()
            .map(|l| (l.ecrit.as_str(), l.canon.as_str(), l.pourcent))
            .collect();
        assert_eq!(
            canons,
            [
                ("1 667", "1667", false),
                ("1667", "1667", false),
                ("62,5", "62,5", true),
                ("96", "96", true),
                ("16\u{202F}119", "16119", false),
                ("12", "12", false),
                ("32", "32", false),
            ]
        );
    }

    #[test]
    fn a_typed_number_cites_a_figure_as_its_placeholder_would_print_it() {
        let lit = |canon: &str, decimales, pourcent| Litteral {
            ligne: 1,
            ecrit: canon.into(),
            canon: canon.into(),
            decimales,
            pourcent,
        };
        let fig = |valeur, part| Citable {
            valeur,
            part,
            espace: String::new(),
            description: String::new(),
        };
        assert!(cite(&lit("1667", 0, false), &fig(1667.0, false)));
        assert!(!cite(&lit("1667", 0, true), &fig(1667.0, false)));
        assert!(cite(&lit("31,3", 1, true), &fig(31.25, true)));
        assert!(cite(&lit("31,3", 1, false), &fig(31.25, true)));
        assert!(!cite(&lit("31", 0, false), &fig(31.25, true)));
        assert!(cite(&lit("96", 0, true), &fig(96.03, true)));
        assert!(!cite(&lit("31", 0, false), &fig(31.25, false)));
        assert!(cite(&lit("1234,50", 2, false), &fig(1234.5, false)));
    }
}
