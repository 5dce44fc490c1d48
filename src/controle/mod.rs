//! The checks of a project (`rapport check [ANNEE]`): every problem of the
//! model, the exports and the texts at once, errors and warnings, as
//! findings; nothing written, nothing printed.

use std::path::Path;

use crate::error::{CodeDeSortie, Constats, Erreur, Probleme, Resultat};
use crate::exports::{Bornes, Exports, Source, contrat};
use crate::figures::{self, Valeur};
use crate::fr;
use crate::model::{FICHIER, Modele, ModeleLu};
use crate::suivi::Suivi;
use crate::texts::Textes;
use crate::texts::sigles::Sigles;
use crate::texts::verification;

/// What `check` found, and the exit code it means.
pub struct Verification {
    pub constats: Constats,
    /// Data rows read, per export.
    pub lignes: Vec<(Source, usize)>,
}

impl Verification {
    /// 0 when clean, 1 with warnings only, 65 (or 66 for missing files) with errors.
    pub fn sortie(&self) -> Option<CodeDeSortie> {
        if self.constats.erreurs() > 0 {
            Some(Erreur::Constats(Box::new(self.constats.clone())).sortie())
        } else if self.constats.avertissements() > 0 {
            Some(CodeDeSortie::Avertissements)
        } else {
            None
        }
    }
}

/// Checks the project `projet`: the model, every export, and with `annee`,
/// the texts of that year's report. Without a year, export dates are bounded
/// by the year of the document's date. `cache`: the folder of the cache of
/// checked exports, if used.
pub fn verifier(
    projet: &Path,
    annee: Option<i32>,
    cache: Option<&Path>,
    suivi: &Suivi,
) -> Verification {
    let mut constats = Constats::default();
    let Some(lu) = Modele::lire_avec(projet, &mut constats, suivi) else {
        return Verification {
            constats,
            lignes: Vec::new(),
        };
    };
    let modele = lu.declare();
    let fin = match annee {
        Some(a) => a,
        None => match crate::projet::date_du_document(None, modele) {
            Ok(d) => d.year(),
            Err(e) => {
                constats.depuis(e);
                time::OffsetDateTime::now_utc().year()
            }
        },
    };
    let bornes = Bornes {
        debut: modele.association.creation,
        fin,
        raison_fin: match annee {
            Some(a) => format!("le rapport vérifié est celui de {a}"),
            None => format!("le document est daté de {fin}"),
        },
    };
    let avant = constats.erreurs();
    let exports =
        crate::projet::lire_exports(projet, modele, Some(bornes), cache, &mut constats, suivi);
    let lignes = exports
        .tables
        .iter()
        .map(|(s, t)| (*s, t.height()))
        .collect();
    if let ModeleLu::Valide(modele) = &lu
        && constats.erreurs() == avant
    {
        if let Err(e) = filtres_sans_ligne(modele, &exports, &mut constats) {
            constats.depuis(e);
        }
        colonnes_manquantes(modele, &exports, annee, &mut constats);
        if let Some(annee) = annee
            && let Err(e) = textes(projet, modele, &exports, annee, &mut constats, suivi)
        {
            constats.depuis(e);
        }
    }
    Verification { constats, lignes }
}

/// An error for each column a file lacks that figures of the model need:
/// those figures would be « n.d. » for the years the file covers. A warning
/// only, when the column is only a breakdown's (the totals are given) and
/// the file does not cover the year checked: its report shows no group of
/// those years (an export of earlier years, from before the column).
fn colonnes_manquantes(
    modele: &Modele,
    exports: &Exports,
    annee: Option<i32>,
    constats: &mut Constats,
) {
    let demandees = modele.figures_demandees();
    for (source, fichiers) in &exports.fichiers {
        for f in fichiers {
            for colonne in &f.manquantes {
                let mut indicateurs: Vec<(String, String)> = Vec::new();
                // Whether every figure needs it for its groups only.
                let mut groupes = true;
                for (cle, ind, v) in &demandees {
                    let id = cle.indicateur();
                    if ind.source == *source && modele.colonnes_de(ind, *v).contains(colonne) {
                        groupes &= !modele.colonnes_de(ind, None).contains(colonne);
                        if !indicateurs.iter().any(|(i, _)| i == id) {
                            indicateurs.push((id.to_string(), ind.libelle.clone()));
                        }
                    }
                }
                indicateurs.sort();
                if indicateurs.is_empty() || f.annees.is_empty() {
                    continue;
                }
                let lacune = crate::publication::lacunes::Lacune {
                    raison: crate::exports::Indisponible::ColonneManquante {
                        source: *source,
                        colonne: colonne.clone(),
                        fichier: f.nom.clone(),
                        inconnues: f.inconnues.clone(),
                    },
                    annees: f.annees.clone(),
                    indicateurs,
                    groupes,
                };
                if groupes && annee.is_some_and(|a| !f.annees.contains(&a)) {
                    constats.avertissement(lacune.probleme());
                } else {
                    constats.erreur(lacune.probleme());
                }
            }
        }
    }
}

/// Warns about indicators whose filters keep no row of their export. An
/// export without any row has its own warning: its indicators get none.
fn filtres_sans_ligne(modele: &Modele, exports: &Exports, constats: &mut Constats) -> Resultat<()> {
    for (id, r) in figures::lignes_retenues(modele, exports)? {
        if r.lignes > 0.0 {
            continue;
        }
        let ind = &modele.indicateurs[&id];
        if exports
            .tables
            .get(&ind.source)
            .is_none_or(|t| t.height() == 0)
        {
            continue;
        }
        let mut correction = "vérifiez l'orthographe des valeurs des filtres".to_string();
        for c in &r.filtres_vides {
            let colonne = fr::normalise(c);
            // Only the contract's category columns: their values are not personal data.
            if !contrat::est_categorie(&colonne) {
                continue;
            }
            if let Some(valeurs) = exports.valeurs(ind.source, &colonne) {
                let mut liste: Vec<&str> = valeurs.iter().map(String::as_str).collect();
                liste.sort();
                let plus = if liste.len() > 12 { "…" } else { "" };
                liste.truncate(12);
                correction.push_str(&format!(
                    " ; valeurs présentes dans « {colonne} » : {}{plus}",
                    liste.join(", ")
                ));
            }
        }
        let lesquels = if r.filtres_vides.is_empty() {
            "ensemble, ses filtres".to_string()
        } else {
            format!("ses filtres sur « {} »", r.filtres_vides.join(" », « "))
        };
        constats.avertissement(
            Probleme::new(
                FICHIER,
                format!(
                    "l'indicateur « {} » ne retient aucune ligne {} : {lesquels} n'en retiennent aucune, quelle que soit l'année",
                    ind.libelle,
                    ind.source.du_fichier()
                ),
            )
            .cle(format!("indicateurs.{id}"))
            .correction(correction),
        );
    }
    Ok(())
}

/// Renders every text of the report of `annee`, as a build would, for the
/// errors of their placeholders; reads each text for the acronyms the
/// glossary lacks and the figures typed by hand; and, the texts being
/// right, prepares the report to tell the glossary entries it never shows.
fn textes(
    projet: &Path,
    modele: &Modele,
    exports: &Exports,
    annee: i32,
    constats: &mut Constats,
    suivi: &Suivi,
) -> Resultat<()> {
    // The default output folder: the records of earlier builds are there.
    let sortie = projet.join("sortie");
    let publie = crate::publication::publier_rapport(modele, exports, annee, Some(&sortie), suivi)?;
    let figures = &publie.figures;
    for a in &publie.avertissements {
        constats.avertissement(Probleme::new(FICHIER, a.clone()));
    }
    // Figures « n.d. » (a missing column is told per file): a warning when
    // the years the files cover explain it, an error otherwise.
    for l in &publie.lacunes {
        match l.raison {
            crate::exports::Indisponible::ColonneManquante { .. } => {}
            // The new people of the exports' first year, before the
            // checked one: a state of the data (`build` is silent too).
            crate::exports::Indisponible::SansAnneePrecedente { .. }
                if !l.annees.contains(&annee) => {}
            // An export without any row has its own warning.
            crate::exports::Indisponible::SansLigne { source, .. }
                if exports
                    .fichiers
                    .get(&source)
                    .is_none_or(|f| f.iter().all(|f| f.annees.is_empty())) => {}
            _ if l.raison.par_les_annees() => constats.avertissement(l.probleme()),
            _ => constats.erreur(l.probleme()),
        }
    }
    let mut textes = Textes::new(modele, figures, suivi);
    let avant = constats.erreurs();
    let glossaire = match &modele.rapport.glossaire {
        Some(g) => match crate::texts::glossaire(projet, g) {
            Ok(entrees) => Some((g, entrees)),
            Err(e) => {
                constats.depuis(e);
                None
            }
        },
        None => None,
    };
    let sigles = glossaire
        .as_ref()
        .map(|(g, e)| (g.as_path(), Sigles::new(e.iter().map(|e| e.sigle.as_str()))));
    let citables = verification::citables(modele, figures);

    for fichier in modele.textes() {
        let source = match crate::texts::lire_texte(projet, fichier) {
            Ok(s) => s,
            Err(e) => {
                constats.depuis(e);
                continue;
            }
        };
        let inconnues = textes.variables_inconnues(&source, fichier);
        match textes.rendre(projet, fichier) {
            // Rendering stops at the first unknown variable, already told.
            Err(Erreur::Donnees(p)) if inconnues.iter().any(|i| i.message == p.message) => {}
            Err(e) => constats.depuis(e),
            Ok(_) => {}
        }
        for p in inconnues {
            constats.erreur(p);
        }
        if let Some((glossaire, sigles)) = &sigles {
            sigles_inconnus(fichier, &source, sigles, glossaire, constats);
        }
        chiffres_a_la_main(fichier, &source, &citables, constats);
        secret_dans_le_texte(fichier, &source, modele, &publie, constats);
    }

    let mut verifier = |r: Resultat<()>| {
        if let Err(e) = r {
            constats.depuis(e);
        }
    };
    for (titre, ou) in modele.titres() {
        verifier(textes.texte(titre, &ou).map(drop));
    }

    if let Some((chemin, entrees)) = &glossaire
        && !modele.rapport.glossaire_complet
        && constats.erreurs() == avant
    {
        let montres = crate::assemblage::preparer(projet, modele, exports, annee, None, suivi)?
            .document
            .glossaire;
        let mut jamais: Vec<String> = entrees
            .iter()
            .filter(|e| !montres.iter().any(|m| m.sigle == e.sigle))
            .map(|e| e.sigle.clone())
            .collect();
        jamais.dedup();
        if !jamais.is_empty() {
            let n = jamais.len();
            let (sigle, figure) = if n > 1 {
                ("sigles", "ne figurent")
            } else {
                ("sigle", "ne figure")
            };
            constats.avertissement(
                Probleme::new(
                    chemin,
                    format!(
                        "{n} {sigle} du glossaire {figure} nulle part dans le rapport {annee} : {}",
                        jamais.join(", ")
                    ),
                )
                .correction(
                    "le glossaire du rapport ne montre que les sigles employés ; retirez ceux qui ne servent plus, ou écrivez glossaire_complet = true dans [rapport] de rapport.toml pour les montrer tous",
                ),
            );
        }
    }
    Ok(())
}

/// Warns about the words of the text `fichier` that look like an acronym
/// and that the glossary does not define: once per word, at its first line.
fn sigles_inconnus(
    fichier: &Path,
    source: &str,
    sigles: &Sigles,
    glossaire: &Path,
    constats: &mut Constats,
) {
    let mut mots: Vec<(String, Vec<usize>)> = Vec::new();
    for (ligne, texte) in verification::passages(source) {
        for (_, mot) in sigles.inconnus(&texte) {
            match mots.iter_mut().find(|(m, _)| m == mot) {
                Some((_, lignes)) => {
                    if !lignes.contains(&ligne) {
                        lignes.push(ligne);
                    }
                }
                None => mots.push((mot.to_string(), vec![ligne])),
            }
        }
    }
    for (mot, lignes) in mots {
        let aussi = match &lignes[1..] {
            [] => String::new(),
            [l] => format!(" (aussi ligne {l})"),
            autres => format!(
                " (aussi lignes {})",
                fr::liste(&autres.iter().map(|l| l.to_string()).collect::<Vec<_>>())
            ),
        };
        let proche = sigles
            .liste()
            .iter()
            .filter(|s| {
                strsim::osa_distance(s, &mot) <= if mot.chars().count() > 5 { 2 } else { 1 }
            })
            .map(|s| format!("vouliez-vous dire « {s} » ? sinon, "))
            .next()
            .unwrap_or_default();
        constats.avertissement(
            Probleme::new(
                fichier,
                format!("« {mot} » ressemble à un sigle, mais le glossaire ne le définit pas{aussi}"),
            )
            .ligne(lignes[0])
            .correction(format!(
                "{proche}ajoutez à {} la ligne « {mot};sa définition », ou écrivez-le en toutes lettres",
                glossaire.display()
            )),
        );
    }
}

/// Warns about what the text `fichier` would reveal of the cells the secret
/// hides: a number typed by hand (whatever its size) that equals one, or that
/// gives one by subtraction from its published total; a placeholder that
/// prints one (its mark, in the middle of a sentence).
fn secret_dans_le_texte(
    fichier: &Path,
    source: &str,
    modele: &Modele,
    publie: &crate::publication::Publication,
    constats: &mut Constats,
) {
    let annee = publie.figures.annee;
    let mut sensibles: Vec<(f64, String)> = Vec::new();
    for m in publie
        .masquees
        .iter()
        .filter(|m| m.annee == annee || m.annee == annee - 1)
    {
        let ind = &modele.indicateurs[m.cle.indicateur()];
        let groupe = crate::publication::libelle_groupe(modele, &m.cle, m.groupe)
            .map(|g| format!(", {g},"))
            .unwrap_or_default();
        let quoi = format!("« {} »{groupe} en {}", ind.libelle, m.annee);
        sensibles.push((m.valeur, quoi.clone()));
        let total = publie.brutes.chiffre(&m.cle, m.annee).total;
        if m.groupe.is_some()
            && !publie.est_masquee(&m.cle, m.annee, None)
            && let Valeur::Nombre(t) = total
        {
            sensibles.push((t - m.valeur, format!("le total moins {quoi}")));
        }
    }
    let mut vus = std::collections::HashSet::new();
    for l in verification::litteraux_avec(source, true) {
        if l.decimales > 0 || l.pourcent || !vus.insert((l.ligne, l.canon.clone())) {
            continue;
        }
        let Ok(n) = l.canon.parse::<f64>() else {
            continue;
        };
        if let Some((_, quoi)) = sensibles.iter().find(|(v, _)| *v == n) {
            constats.avertissement(
                Probleme::new(
                    fichier,
                    format!(
                        "« {} » est écrit à la main et vaut une case que le secret statistique masque ({quoi}) : un lecteur apprendrait ce petit effectif",
                        l.ecrit
                    ),
                )
                .ligne(l.ligne)
                .correction("retirez ce nombre ou écrivez sans effectif (« quelques personnes »)"),
            );
        }
    }
    for (ligne, variable) in verification::variables(source) {
        let morceaux: Vec<&str> = variable.split('.').collect();
        let (a, id, reste) = match morceaux.as_slice() {
            ["ind", id, reste @ ..] => (annee, *id, reste),
            ["prec", id, reste @ ..] => (annee - 1, *id, reste),
            _ => continue,
        };
        let Some(ind) = modele.indicateurs.get(id) else {
            continue;
        };
        if !publie.figures.annees.contains(&a) {
            continue;
        }
        let c = publie.figures.chiffre(id, a);
        let v = match reste {
            ["total", ..] => c.total,
            ["groupes", g, ..] => {
                let Some(v) = ind.ventilation.as_ref().and_then(|v| {
                    modele.ventilations[v]
                        .groupes
                        .iter()
                        .position(|x| x.cle() == *g)
                        .map(|i| c.groupes[i])
                }) else {
                    continue;
                };
                v
            }
            _ => continue,
        };
        if v.est_masquee() {
            constats.avertissement(
                Probleme::new(
                    fichier,
                    format!(
                        "{{{{ {variable} }}}} imprime une case masquée par le secret statistique : le texte montrera « {} » au lieu d'un chiffre",
                        v.texte(None)
                    ),
                )
                .ligne(ligne)
                .correction("reformulez sans ce chiffre (citez le total, ou un groupe plus large)"),
            );
        }
    }
}

/// Warns about the numbers typed in the text `fichier` that are figures the
/// model computes, with the placeholder that would print them.
fn chiffres_a_la_main(
    fichier: &Path,
    source: &str,
    citables: &[verification::Citable],
    constats: &mut Constats,
) {
    let mut vus = std::collections::HashSet::new();
    for l in verification::litteraux(source) {
        if !vus.insert((l.ligne, l.canon.clone())) {
            continue;
        }
        let cites: Vec<&verification::Citable> = citables
            .iter()
            .filter(|f| verification::cite(&l, f))
            .collect();
        let Some(premier) = cites.first() else {
            continue;
        };
        let (message, correction) = if cites.len() == 1 {
            (
                format!(
                    "« {} » est écrit à la main, mais c'est un chiffre que le modèle calcule : {}",
                    l.ecrit, premier.description
                ),
                format!(
                    "remplacez-le par {} : le texte suivra toujours les exports",
                    premier.espace
                ),
            )
        } else {
            let plus = if cites.len() > 3 { ", …" } else { "" };
            (
                format!(
                    "« {} » est écrit à la main, mais le modèle calcule {} chiffres de cette valeur",
                    l.ecrit,
                    cites.len()
                ),
                format!(
                    "s'il cite l'un d'eux, remplacez-le par son espace réservé : {}{plus}",
                    cites
                        .iter()
                        .take(3)
                        .map(|c| format!("{} ({})", c.espace, c.description))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        constats.avertissement(
            Probleme::new(fichier, message)
                .ligne(l.ligne)
                .correction(correction),
        );
    }
}
