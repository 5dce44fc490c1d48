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
    /// Notes under the table: why cells are "n.d." or masked, each once.
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
        Colonnes::Annees(n) => figures.dernieres_annees(n),
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
                            _ => figures
                                .raison(nom, annee)
                                .map(|r| format!("non disponible : {r}"))
                                .or_else(|| {
                                    crate::publication::sans_secret(modele, nom)
                                        .then(|| crate::publication::PHRASE_DESACTIVE.to_string())
                                }),
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
                    Valeur::Nd => match figures.raison(indicateur, c.annee) {
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
    TableauCalcule {
        id: id.to_string(),
        titre,
        entete,
        lignes,
        notes,
    }
}
