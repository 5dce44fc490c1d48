//! The note on method, written from the model: where the figures come from,
//! what each indicator counts (its measure, its filters, its period rule,
//! its breakdown), the confidentiality rule and the marks. No file or
//! software name: a funder reads what is counted, not how it is stored.

use std::collections::BTreeSet;

use crate::exports::Source;
use crate::fr;
use crate::model::{Filtre, Indicateur, Mesure, Modele, Periode};

/// The paragraphs of the note: the sources first (the extracts quote it
/// alone), then one paragraph per section of the report, under its title
/// as the report prints it (`titres`, one per section of the model), with
/// the definition of each indicator it shows, then the confidentiality
/// rule and the marks.
pub fn methode(modele: &Modele, titres: &[String]) -> Vec<String> {
    let mut p = vec![sources(modele)];
    // The label each indicator was first defined under, and the labels seen.
    let mut premiers: std::collections::BTreeMap<String, String> = Default::default();
    let mut vus = BTreeSet::new();
    for (section, titre) in modele.sections.iter().zip(titres) {
        let mut definitions = Vec::new();
        for e in &section.elements {
            let ids: Vec<(&str, &str)> = modele.indicateurs_de(e);
            // Under the label the reader saw in the table or the chart.
            for (id, libelle) in ids {
                if !vus.insert((id.to_string(), libelle.to_string())) {
                    continue;
                }
                match premiers.get(id) {
                    Some(premier) => {
                        definitions.push(format!("{libelle} : comme « {premier} » ci-dessus"))
                    }
                    None => {
                        let ind = &modele.indicateurs[id];
                        definitions.push(format!("{libelle} : {}", definition(modele, ind)));
                        premiers.insert(id.to_string(), libelle.to_string());
                    }
                }
            }
        }
        if !definitions.is_empty() {
            p.push(format!("{}. — {}.", titre.trim(), definitions.join(" ; ")));
        }
    }
    p.push(crate::publication::explication(modele));
    p.push(format!(
        "« n.d. » : non disponible, les données de l'année ne permettent pas ce chiffre (la raison est donnée en note) ; « < {} » et « s » : cases masquées par le secret statistique ; « n.c. » : non calculable, une part dont la base est vide, ou une évolution dont l'année de référence vaut 0. Les totaux de personnes comptent chaque personne une fois : ils peuvent être inférieurs à la somme des catégories quand une même personne relève de plusieurs.",
        modele.confidentialite.seuil
    ));
    p
}

/// Where the figures come from, in words: the sources the model reads.
pub fn sources(modele: &Modele) -> String {
    let utilisees: BTreeSet<Source> = modele.indicateurs.values().map(|i| i.source).collect();
    let mut s = Vec::new();
    if utilisees.contains(&Source::Activites) {
        s.push("du journal d'activité de l'association, qui consigne une ligne par action (tournée, contact, entretien, accompagnement, aide, repas…) avec sa date".to_string());
    }
    if utilisees.contains(&Source::Suivis) {
        s.push("du registre des suivis, un dossier par personne accompagnée avec ses dates d'ouverture et de clôture".to_string());
    }
    if utilisees.contains(&Source::Indicateurs) {
        s.push(
            "de chiffres relevés à part, année par année (fréquentation du site, réseau…)"
                .to_string(),
        );
    }
    format!(
        "Les chiffres de ce document sont calculés à partir {} ; les personnes y sont désignées par un code, jamais par leur nom. Chaque chiffre suit la définition donnée ci-dessous, la même dans les tableaux, les graphiques et les textes, et d'une année à l'autre.",
        fr::liste(&s)
    )
}

/// What an indicator counts, in words.
fn definition(modele: &Modele, ind: &Indicateur) -> String {
    let unites = match ind.source {
        Source::Activites => "actions",
        Source::Suivis => "dossiers de suivi",
        Source::Indicateurs => "relevés",
    };
    let filtres = filtres_en_mots(&ind.filtres);
    let periode = match ind.periode() {
        Periode::Evenement => "datées de l'année",
        Periode::Actif => {
            "ouverts à un moment de l'année (ouverts avant sa fin et non clos avant son début)"
        }
        Periode::Ouverture => "ouverts dans l'année",
        Periode::Annee => "de l'année",
    };
    let quoi = if filtres.is_empty() {
        format!("{unites} {periode}")
    } else {
        format!("{unites} {filtres}, {periode}")
    };
    let mut d = match ind.mesure {
        Mesure::Lignes if ind.source == Source::Activites => format!("nombre d'{quoi}"),
        Mesure::Lignes => format!("nombre de {quoi}"),
        Mesure::Somme => match ind.colonne_somme() {
            "quantite" => format!(
                "total des quantités notées sur les {quoi}, une ligne sans quantité comptant pour 1"
            ),
            "montant" => format!("total des montants des {quoi}"),
            "valeur" => format!("valeur relevée ({quoi})"),
            c => format!("total de la colonne « {c} » des {quoi}"),
        },
        Mesure::Personnes => format!(
            "nombre de personnes distinctes concernées par les {quoi}, chacune comptée une fois"
        ),
        Mesure::NouvellesPersonnes => format!(
            "nombre de personnes distinctes concernées par les {quoi} dont aucune des {unites}{} \
             n'est datée d'une année antérieure (personnes rencontrées pour la première fois depuis \
             le début des exports ; n.d. pour la première année des exports, où toute personne \
             paraîtrait nouvelle)",
            if filtres.is_empty() {
                String::new()
            } else {
                format!(" {filtres}")
            }
        ),
        Mesure::Part => format!(
            "part, parmi les {quoi}, de celles {}",
            filtres_en_mots(&ind.condition)
        ),
    };
    if let Some(v) = ind
        .ventilation
        .as_ref()
        .and_then(|v| modele.ventilations.get(v))
    {
        let groupes: Vec<String> = v.groupes.iter().map(|g| g.libelle.clone()).collect();
        d.push_str(&format!(" (détail : {})", groupes.join(" / ")));
    }
    if let Some(u) = &ind.unite {
        d.push_str(&format!(", en {}", if u == "€" { "euros" } else { u }));
    }
    d
}

/// Filters as words: « du programme « rue », de type « contact » ».
fn filtres_en_mots(filtres: &std::collections::BTreeMap<String, Filtre>) -> String {
    let mut mots = Vec::new();
    for (colonne, f) in filtres {
        let nom = match colonne.as_str() {
            "action" => "de type",
            "programme" => "du programme",
            "categorie" => "de catégorie",
            "type" => "de type",
            "indicateur" => "",
            "themes" => "dont les thèmes comprennent",
            "public" => "du public",
            _ => "",
        };
        let valeurs = match f {
            Filtre::Egal(v) => format!("« {v} »"),
            Filtre::UnDe(vs) => {
                let v: Vec<String> = vs.iter().map(|v| format!("« {v} »")).collect();
                let liste = v.join(", ");
                match v.len() {
                    0 | 1 => liste,
                    _ => format!("{} ou {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
                }
            }
            Filtre::Contient { contient } => format!("« {contient} »"),
        };
        mots.push(match nom {
            "" if colonne == "indicateur" => valeurs,
            "" => format!("dont « {colonne} » vaut {valeurs}"),
            _ => format!("{nom} {valeurs}"),
        });
    }
    mots.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_told_in_words() {
        let mut f = std::collections::BTreeMap::new();
        f.insert("programme".to_string(), Filtre::Egal("rue".into()));
        f.insert(
            "action".to_string(),
            Filtre::UnDe(vec!["contact".into(), "kit".into()]),
        );
        assert_eq!(
            filtres_en_mots(&f),
            "de type « contact » ou « kit », du programme « rue »"
        );
    }
}
