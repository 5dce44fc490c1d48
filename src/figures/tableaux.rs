//! The model's tables filled with the computed figures: what the PDF shows and
//! what the CSV files hold, cell by cell.

use crate::figures::{Figures, Valeur};
use crate::model::{Colonnes, Ligne, Modele, Tableau};

/// A table ready to print or export.
#[derive(Debug, Clone)]
pub struct TableauCalcule {
    pub id: String,
    pub titre: String,
    /// Column headers after the row labels' column.
    pub entete: Vec<String>,
    pub lignes: Vec<LigneCalculee>,
    /// Whether the last column is a "Total" column (a table by breakdown
    /// with `total = true`).
    pub colonne_total: bool,
    /// Whether it is printed with its groups as rows and its indicators as
    /// columns (`groupes_en_lignes`; checked with the model: every row has
    /// one cell per group).
    pub groupes_en_lignes: bool,
    /// Notes under the table: why cells are "n.d." or masked, each once;
    /// then why a total is not the sum of its groups, and the denominators
    /// of the shares.
    pub notes: Vec<String>,
}

/// A row of a computed table.
#[derive(Debug, Clone)]
pub enum LigneCalculee {
    /// A heading over the following rows.
    Intertitre(String),
    /// An indicator's values.
    Valeurs {
        indicateur: String,
        libelle: String,
        cellules: Vec<Cellule>,
    },
}

/// One cell: what it shows and what it means.
#[derive(Debug, Clone)]
pub struct Cellule {
    /// The group or year it stands for (`Total` for a cell spanning all columns).
    pub colonne: String,
    pub annee: i32,
    /// How many header columns it spans.
    pub portee: usize,
    pub valeur: Valeur,
    /// As printed, French typography.
    pub texte: String,
    /// For the CSV: why the value is not available or masked, if it is.
    pub note: Option<String>,
}

/// Fills table `id` of the model; `titre` is its title already rendered.
pub fn remplir(
    id: &str,
    titre: String,
    t: &Tableau,
    modele: &Modele,
    figures: &Figures,
) -> TableauCalcule {
    let annee = figures.annee;
    let colonnes = t.colonnes();
    let ventilation_colonnes = match colonnes {
        Colonnes::Ventilation(v) => Some(&modele.ventilations[v]),
        _ => None,
    };
    let annees = match colonnes {
        Colonnes::Annees(n) => {
            let mut annees = figures.dernieres_annees(n);
            // By default, a past year no row has a figure for (no export
            // covers it: a project's first year) is left out, not shown as
            // a column of « n.d. ».
            if !t.annees_declarees() {
                annees.retain(|&a| {
                    a == annee
                        || t.lignes
                            .iter()
                            .filter_map(|l| l.indicateur(modele))
                            .any(|(nom, _)| figures.chiffre(nom, a).total != Valeur::Nd)
                });
            }
            annees
        }
        _ => Vec::new(),
    };
    let entete: Vec<String> = match (colonnes, ventilation_colonnes) {
        (Colonnes::Annees(_), _) => annees.iter().map(|a| a.to_string()).collect(),
        (_, Some(v)) => {
            let mut e: Vec<String> = v.groupes.iter().map(|g| g.libelle.clone()).collect();
            if t.total {
                e.push("Total".into());
            }
            e
        }
        _ => vec![annee.to_string()],
    };
    let largeur = entete.len();
    let lignes: Vec<LigneCalculee> = t
        .lignes
        .iter()
        .map(|ligne| match ligne {
            Ligne::Intertitre { intertitre } => LigneCalculee::Intertitre(intertitre.clone()),
            Ligne::Indicateur(_) | Ligne::Renommee { .. } => {
                let (nom, libelle) = ligne.indicateur(modele).expect("ligne d'indicateur");
                let ind = &modele.indicateurs[nom];
                let unite = ind.unite.as_deref();
                let cellule =
                    |colonne: String, annee: i32, portee: usize, valeur: Valeur| Cellule {
                        colonne,
                        annee,
                        portee,
                        texte: valeur.texte(unite),
                        note: match valeur {
                            Valeur::Masque { .. } => {
                                Some("petit effectif masqué (secret statistique)".into())
                            }
                            Valeur::Protegee => Some(
                                "masqué pour protéger un petit effectif (secret statistique)"
                                    .into(),
                            ),
                            Valeur::Part { den: 0.0, .. } => {
                                Some("non calculable : la base de cette part est vide".into())
                            }
                            Valeur::Nd => figures
                                .raison_de_la_case(nom, annee)
                                .map(|r| format!("non disponible : {r}")),
                            _ => crate::publication::sans_secret(modele, nom)
                                .then(|| crate::publication::PHRASE_DESACTIVE.to_string()),
                        },
                        valeur,
                    };
                let c = figures.chiffre(nom, annee);
                let cellules = match (colonnes, ventilation_colonnes, &ind.ventilation) {
                    (Colonnes::Annees(_), _, _) => annees
                        .iter()
                        .map(|&a| cellule(a.to_string(), a, 1, figures.chiffre(nom, a).total))
                        .collect(),
                    (_, Some(vc), Some(v)) => {
                        let v = &modele.ventilations[v];
                        let portees = vc.portees(v).expect("vérifié à la lecture du modèle");
                        let mut cellules: Vec<Cellule> = v
                            .groupes
                            .iter()
                            .zip(portees)
                            .zip(&c.groupes)
                            .map(|((g, (_, n)), val)| cellule(g.libelle.clone(), annee, n, *val))
                            .collect();
                        if t.total {
                            cellules.push(cellule("Total".into(), annee, 1, c.total));
                        }
                        cellules
                    }
                    _ => vec![cellule("Total".into(), annee, largeur, c.total)],
                };
                LigneCalculee::Valeurs {
                    indicateur: nom.to_string(),
                    libelle: libelle.to_string(),
                    cellules,
                }
            }
        })
        .collect();
    let mut notes: Vec<String> = Vec::new();
    for l in &lignes {
        if let LigneCalculee::Valeurs {
            indicateur,
            cellules,
            ..
        } = l
        {
            for c in cellules {
                let n = match c.valeur {
                    Valeur::Masque { .. } | Valeur::Protegee => {
                        c.valeur.note_du_secret().unwrap_or_default()
                    }
                    Valeur::Nd => match figures.raison_de_la_case(indicateur, c.annee) {
                        Some(r) => format!("n.d. : non disponible, {r}."),
                        None => continue,
                    },
                    _ => continue,
                };
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
        }
    }
    // What a reader calls the groups: the columns, or the rows.
    let (groupes, groupe) = if ventilation_colonnes.is_some() && t.groupes_en_lignes {
        ("lignes", "ligne")
    } else {
        ("colonnes", "colonne")
    };
    notes.extend(personnes_distinctes(
        t,
        modele,
        ventilation_colonnes,
        groupes,
    ));
    notes.extend(denominateurs(&lignes, groupe));
    TableauCalcule {
        id: id.to_string(),
        titre,
        entete,
        lignes,
        colonne_total: ventilation_colonnes.is_some() && t.total,
        groupes_en_lignes: ventilation_colonnes.is_some() && t.groupes_en_lignes,
        notes,
    }
}

/// Why the total of a count of people is not the sum of its groups, for
/// each row where the model allows it: a count of distinct people broken
/// down by a column of the rows (not of the person), so that one person
/// can fall in several groups, shown with its total. Decided from the
/// model, not from the figures, so that the note is there every year.
fn personnes_distinctes(
    t: &Tableau,
    modele: &Modele,
    ventilation_colonnes: Option<&crate::model::Ventilation>,
    groupes: &str,
) -> Vec<String> {
    if ventilation_colonnes.is_none() || !t.total {
        return Vec::new();
    }
    let mut libelles = Vec::new();
    for ligne in &t.lignes {
        let Some((nom, libelle)) = ligne.indicateur(modele) else {
            continue;
        };
        let ind = &modele.indicateurs[nom];
        // A person has one public (`check` warns otherwise): a breakdown by
        // public adds up; one by another column of the rows may not.
        let par_public = ind.ventilation.as_ref().is_some_and(|v| {
            crate::fr::normalise(&modele.ventilations[v].colonne)
                == crate::exports::contrat::COLONNE_PUBLIC
        });
        if ind.mesure.personnes_distinctes() && ind.ventilation.is_some() && !par_public {
            libelles.push(format!("« {libelle} »"));
        }
    }
    if libelles.is_empty() {
        return Vec::new();
    }
    let verbe = if libelles.len() == 1 {
        "compte"
    } else {
        "comptent"
    };
    vec![format!(
        "{} {verbe} des personnes distinctes : une personne peut relever de plusieurs {groupes} ; \
         elle n’est comptée qu’une fois dans le total, qui peut donc être inférieur à la somme des {groupes}.",
        crate::fr::liste(&libelles)
    )]
}

/// The denominators of the shares of the table, as published: one note per
/// distinct list of denominators, naming the rows it serves. A hidden share
/// gives no denominator (its cell says why).
fn denominateurs(lignes: &[LigneCalculee], groupe: &str) -> Vec<String> {
    let mut listes: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for l in lignes {
        let LigneCalculee::Valeurs {
            libelle, cellules, ..
        } = l
        else {
            continue;
        };
        let parts: Vec<String> = cellules
            .iter()
            .filter_map(|c| match c.valeur {
                Valeur::Part { den, .. } => Some(format!(
                    "{}{}: {}",
                    c.colonne,
                    crate::fr::INSECABLE,
                    crate::fr::nombre_auto(den)
                )),
                _ => None,
            })
            .collect();
        if parts.is_empty() {
            continue;
        }
        match listes.iter_mut().find(|(d, _)| *d == parts) {
            Some((_, rangs)) => rangs.push(libelle.clone()),
            None => listes.push((parts, vec![libelle.clone()])),
        }
    }
    listes
        .into_iter()
        .map(|(d, rangs)| {
            let rangs: Vec<String> = rangs.iter().map(|r| format!("« {r} »")).collect();
            let (quoi, sur) = if rangs.len() == 1 {
                (format!("Part {}", rangs[0]), "calculée")
            } else {
                (format!("Parts {}", crate::fr::liste(&rangs)), "calculées")
            };
            format!(
                "{quoi} {sur} sur l’effectif de chaque {groupe} : {}.",
                d.join(" ; ")
            )
        })
        .collect()
}
