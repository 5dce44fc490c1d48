//! The checks of a model once read: every reference resolves, every
//! setting is one the engine can compute, every file it names is in the
//! project. Each part of the model has its own check.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;

impl ModeleDeclare {
    /// Checks every part of the model, reporting each problem to `d`.
    pub(super) fn verifier(&self, projet: &Path, d: &mut Constats) {
        self.verifier_ventilations(d);
        self.verifier_indicateurs(d);
        self.verifier_tableaux(d);
        self.verifier_graphiques(d);
        self.verifier_sections(projet, d);
        self.verifier_confidentialite(d);
        self.verifier_identite(d);
        self.verifier_financeurs(projet, d);
        self.verifier_fichiers(projet, d);
        if let Err(e) = self.date() {
            d.depuis(e);
        }
        self.verifier_exports(d);
    }

    /// The `[ventilations]`: each has groups.
    fn verifier_ventilations(&self, d: &mut Constats) {
        for (id, v) in &self.ventilations {
            if v.groupes.is_empty() {
                d.erreur(faux(
                    format!("ventilations.{id}"),
                    "la ventilation n'a aucun groupe".into(),
                    "ajoutez au moins un groupe".into(),
                ));
            }
        }
    }

    /// The `[indicateurs]`: a known breakdown, a period and a measure that
    /// suit their source.
    fn verifier_indicateurs(&self, d: &mut Constats) {
        for (id, ind) in &self.indicateurs {
            let cle = format!("indicateurs.{id}");
            if let Some(v) = &ind.ventilation
                && !self.ventilations.contains_key(v)
            {
                d.erreur(faux(
                    cle.clone(),
                    format!("ventilation « {v} » inconnue"),
                    format!(
                        "déclarez [ventilations.{v}] ou choisissez parmi : {}",
                        connus(self.ventilations.keys())
                    ),
                ));
            }
            let periodes_permises: &[Periode] = match ind.source {
                Source::Activites => &[Periode::Evenement],
                Source::Suivis => &[Periode::Actif, Periode::Ouverture],
                Source::Indicateurs => &[Periode::Annee],
            };
            if !periodes_permises.contains(&ind.periode()) {
                d.erreur(faux(
                    cle.clone(),
                    format!(
                        "la période ne convient pas à la source « {} »",
                        ind.source.nom()
                    ),
                    "activites : evenement ; suivis : actif ou ouverture ; indicateurs : annee"
                        .into(),
                ));
            }
            if ind.mesure == Mesure::Part && ind.condition.is_empty() {
                d.erreur(faux(
                    cle.clone(),
                    "une mesure « part » demande une condition".into(),
                    "ajoutez par exemple condition = { themes = { contient = \"violence\" } }"
                        .into(),
                ));
            }
            if ind.mesure == Mesure::Personnes && ind.confidentiel == Some(false) {
                d.erreur(faux(
                    cle.clone(),
                    "« confidentiel = false » sur un nombre de personnes est refusé : leurs petits effectifs sont toujours protégés par le secret statistique".into(),
                    "retirez cette ligne ; pour publier les petits effectifs de tout le rapport, écrivez desactivee = true dans [confidentialite], ce que chaque sortie dira".into(),
                ));
            }
            if ind.mesure == Mesure::Personnes && ind.source == Source::Indicateurs {
                d.erreur(faux(
                    cle.clone(),
                    "la source « indicateurs » n'a pas de personnes".into(),
                    "utilisez mesure = \"somme\"".into(),
                ));
            }
        }
    }

    /// Indicator `id`, named at `ou`; an error if the model has none of that name.
    fn indicateur(&self, id: &str, ou: &str, d: &mut Constats) -> Option<&Indicateur> {
        let trouve = self.indicateurs.get(id);
        if trouve.is_none() {
            let proche = crate::fr::plus_proche(id, self.indicateurs.keys())
                .map(|p| format!("vouliez-vous dire « {p} » ? sinon, "))
                .unwrap_or_default();
            d.erreur(faux(
                ou.to_string(),
                format!("indicateur « {id} » inconnu"),
                format!("{proche}déclarez [indicateurs.{id}] ou vérifiez l'orthographe"),
            ));
        }
        trouve
    }

    /// The `[tableaux]`: known columns and rows, groups that cover the columns.
    fn verifier_tableaux(&self, d: &mut Constats) {
        for (id, t) in &self.tableaux {
            let ou = format!("tableaux.{id}");
            let colonnes = match t.colonnes() {
                Colonnes::Total | Colonnes::Annees(_) => None,
                Colonnes::Ventilation(v) => {
                    let trouvee = self.ventilations.get(v);
                    if trouvee.is_none() {
                        d.erreur(faux(
                            ou.clone(),
                            format!("colonnes « {v} » inconnues"),
                            "indiquez \"annees\" ou le nom d'une ventilation".into(),
                        ));
                    }
                    trouvee
                }
            };
            if t.annees == 0 {
                d.erreur(faux(
                    ou.clone(),
                    "le nombre d'années doit être au moins 1".into(),
                    "annees = 2 par exemple".into(),
                ));
            }
            for ligne in &t.lignes {
                let Some((nom, _)) = ligne.indicateur(self) else {
                    continue;
                };
                let Some(ind) = self.indicateur(nom, &ou, d) else {
                    continue;
                };
                if let (Some(cols), Some(v)) = (
                    colonnes,
                    ind.ventilation
                        .as_ref()
                        .and_then(|v| self.ventilations.get(v)),
                ) && cols.portees(v).is_none()
                {
                    d.erreur(faux(
                        ou.clone(),
                        format!(
                            "les groupes de l'indicateur « {nom} » ne recouvrent pas, dans l'ordre, les colonnes du tableau"
                        ),
                        "chaque groupe doit réunir des colonnes qui se suivent, de la première à la dernière".into(),
                    ));
                }
            }
        }
    }

    /// The `[graphiques]`: known indicators that suit the kind of chart.
    fn verifier_graphiques(&self, d: &mut Constats) {
        for (id, g) in &self.graphiques {
            let ou = format!("graphiques.{id}");
            if g.indicateurs.is_empty() {
                d.erreur(faux(
                    ou,
                    "le graphique n'a aucun indicateur".into(),
                    "ajoutez indicateurs = [\"...\"]".into(),
                ));
                continue;
            }
            let mut ventilations = BTreeSet::new();
            let mut connus_tous = true;
            for nom in &g.indicateurs {
                match self.indicateur(nom, &ou, d) {
                    Some(i) => {
                        ventilations.insert(i.ventilation.clone());
                    }
                    None => connus_tous = false,
                }
            }
            if !connus_tous {
                continue;
            }
            let une = ventilations.len() == 1;
            let ok = match g.genre {
                GenreGraphique::Barres => {
                    g.indicateurs.len() == 1 || ventilations.iter().all(Option::is_none)
                }
                GenreGraphique::BarresGroupees => une && ventilations.iter().all(Option::is_some),
                GenreGraphique::Annees => g.annees >= 2,
            };
            if !ok {
                d.erreur(faux(ou, "les indicateurs ne conviennent pas à ce type de graphique".into(), "barres : un indicateur ventilé ou des indicateurs non ventilés ; barres_groupees : des indicateurs de même ventilation ; annees : annees ≥ 2".into()));
            }
        }
    }

    /// The `[[sections]]`: texts in the project, known tables and charts.
    fn verifier_sections(&self, projet: &Path, d: &mut Constats) {
        for (i, s) in self.sections.iter().enumerate() {
            let ou = format!("sections[{}] « {} »", i + 1, s.titre);
            for e in &s.elements {
                match e {
                    Element::Texte { texte } => verifier_fichier(projet, texte, &ou, d),
                    Element::Tableau { tableau } if !self.tableaux.contains_key(tableau) => {
                        d.erreur(faux(
                            ou.clone(),
                            format!("tableau « {tableau} » inconnu"),
                            format!("choisissez parmi : {}", connus(self.tableaux.keys())),
                        ));
                    }
                    Element::Graphique { graphique }
                        if !self.graphiques.contains_key(graphique) =>
                    {
                        d.erreur(faux(
                            ou.clone(),
                            format!("graphique « {graphique} » inconnu"),
                            format!("choisissez parmi : {}", connus(self.graphiques.keys())),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }

    /// `[confidentialite]`: a threshold that protects.
    fn verifier_confidentialite(&self, d: &mut Constats) {
        if !self.confidentialite.desactivee && self.confidentialite.seuil < 3 {
            d.erreur(faux(
                "confidentialite.seuil".into(),
                format!("un seuil de {} ne protège pas les personnes : il est refusé", self.confidentialite.seuil),
                "choisissez un seuil d'au moins 3 (5 par défaut), ou désactivez explicitement le secret avec desactivee = true".into(),
            ));
        }
    }

    /// The `[identite]` colours: the main one carries the titles' text.
    fn verifier_identite(&self, d: &mut Constats) {
        use identite::{CONTRASTE_TEXTE, Couleur};
        if let Some(c) = self.identite.couleurs.principale {
            let contraste = c.contraste(&Couleur::BLANC);
            if contraste < CONTRASTE_TEXTE {
                d.erreur(faux(
                    "identite.couleurs.principale".into(),
                    format!(
                        "la couleur principale {} est trop claire pour les titres sur fond blanc : contraste de {} pour 1, il en faut au moins {} pour 1",
                        c.hex(),
                        crate::fr::decimal(contraste, 1),
                        crate::fr::decimal(CONTRASTE_TEXTE, 1)
                    ),
                    "choisissez une teinte plus foncée de la même couleur, ou mettez-la en accent (identite.couleurs.accent)".into(),
                ));
            }
        }
    }

    /// The `[financeurs]`: thresholds, texts, known indicators and breakdowns.
    fn verifier_financeurs(&self, projet: &Path, d: &mut Constats) {
        for (id, f) in &self.financeurs {
            let ou = format!("financeurs.{id}");
            if let Some(k) = f.seuil
                && k < 3
            {
                d.erreur(faux(
                    ou.clone(),
                    format!("un seuil de {k} est refusé"),
                    "choisissez un seuil d'au moins 3".into(),
                ));
            }
            for t in &f.textes {
                verifier_fichier(projet, t, &ou, d);
            }
            for t in &f.tableaux {
                for l in &t.lignes {
                    let (ind, _, _) = l.details(self);
                    self.indicateur(ind, &ou, d);
                    if let LigneFinanceur::Detail {
                        ventilation: Some(v),
                        ..
                    } = l
                        && !self.ventilations.contains_key(v)
                    {
                        d.erreur(faux(
                            ou.clone(),
                            format!("ventilation « {v} » inconnue"),
                            format!(
                                "déclarez [ventilations.{v}] ou choisissez parmi : {}",
                                connus(self.ventilations.keys())
                            ),
                        ));
                    }
                }
            }
        }
    }

    /// The files and folders the report reads: glossary, thanks, foreword, logo, templates.
    fn verifier_fichiers(&self, projet: &Path, d: &mut Constats) {
        for (cle, chemin) in [
            ("rapport.glossaire", &self.rapport.glossaire),
            ("rapport.remerciements", &self.rapport.remerciements),
            ("rapport.avant_propos", &self.rapport.avant_propos),
            ("association.logo", &self.association.logo),
        ] {
            if let Some(c) = chemin {
                verifier_fichier(projet, c, cle, d);
            }
        }
        if let Some(g) = &self.rapport.gabarits {
            verifier_dossier(projet, g, "rapport.gabarits", d);
        }
    }

    /// The `[exports]` and `[vocabulaire]` tables.
    fn verifier_exports(&self, d: &mut Constats) {
        for source in Source::TOUTES {
            for (de, vers) in &self.exports.source(source).colonnes {
                if normalise(vers).is_empty() || normalise(de).is_empty() {
                    d.erreur(
                        Probleme::new(FICHIER, "un nom de colonne est vide")
                            .cle(format!("exports.{}.colonnes", source.nom()))
                            .correction("écrivez \"Nom dans le fichier\" = \"nom attendu\""),
                    );
                }
            }
        }
        for (colonne, valeurs) in &self.vocabulaire {
            if colonne == contrat::COLONNE_PUBLIC
                && let Some(v) = valeurs.keys().find(|v| !contrat::est_public(&normalise(v)))
            {
                let publics: Vec<String> = contrat::PUBLICS
                    .iter()
                    .map(|p| p.valeur.to_string())
                    .collect();
                d.avertissement(
                    Probleme::new(FICHIER, format!("« {v} » s'ajoute aux publics {}", crate::fr::liste(&publics)))
                        .cle("vocabulaire.public")
                        .correction("pour une autre façon d'écrire un public connu, mettez-la dans la liste de ce public : femme = [\"F\", \"Fille\"]"),
                );
            }
        }
    }
}

/// A problem of the model at key `cle`.
fn faux(cle: String, message: String, correction: String) -> Probleme {
    Probleme::new(FICHIER, message)
        .cle(cle)
        .correction(correction)
}

/// Names, listed for a message.
fn connus<'a>(liste: impl IntoIterator<Item = &'a String>) -> String {
    liste.into_iter().cloned().collect::<Vec<_>>().join(", ")
}

/// A path of the model: inside the project, and a folder that exists.
fn verifier_dossier(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats) {
    verifier_chemin(projet, chemin, ou, d, true);
}

/// A path of the model: inside the project, and a file that exists.
fn verifier_fichier(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats) {
    verifier_chemin(projet, chemin, ou, d, false);
}

fn verifier_chemin(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats, dossier: bool) {
    let (quoi, relatif) = if dossier {
        ("dossier", "un dossier relatif")
    } else {
        ("fichier", "un chemin relatif")
    };
    if chemin.is_absolute()
        || chemin
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        d.erreur(
            Probleme::new(
                FICHIER,
                format!("le chemin « {} » sort du projet", chemin.display()),
            )
            .cle(ou)
            .correction(format!(
                "indiquez {relatif} à l'intérieur du dossier du projet"
            )),
        );
    } else if !(if dossier {
        projet.join(chemin).is_dir()
    } else {
        projet.join(chemin).is_file()
    }) {
        d.absent(
            Probleme::new(
                FICHIER,
                format!("le {quoi} « {} » est introuvable", chemin.display()),
            )
            .cle(ou)
            .correction(format!(
                "créez ce {quoi} dans le projet ou corrigez le chemin"
            )),
        );
    }
}
