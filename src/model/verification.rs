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
        self.verifier_repetitions(d);
        self.verifier_sections(projet, d);
        self.verifier_confidentialite(d);
        self.verifier_identite(d);
        self.verifier_coordonnees(d);
        self.verifier_chiffres_cles(d);
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
            if ind.mesure.personnes_distinctes() && ind.confidentiel == Some(false) {
                d.erreur(faux(
                    cle.clone(),
                    "« confidentiel = false » sur un nombre de personnes est refusé : leurs petits effectifs sont toujours protégés par le secret statistique".into(),
                    "retirez cette ligne ; pour publier les petits effectifs de tout le rapport, écrivez desactivee = true dans [confidentialite], ce que chaque sortie dira".into(),
                ));
            }
            if ind.mesure.personnes_distinctes() && ind.source == Source::Indicateurs {
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
            if t.groupes_en_lignes && !matches!(t.colonnes(), Colonnes::Ventilation(_)) {
                d.erreur(faux(
                    ou.clone(),
                    "groupes_en_lignes met les groupes d'une ventilation en lignes, mais ce tableau n'a pas de colonnes par ventilation".into(),
                    "indiquez colonnes = \"nom d'une ventilation\", ou retirez groupes_en_lignes".into(),
                ));
            }
            for ligne in &t.lignes {
                if t.groupes_en_lignes && matches!(ligne, Ligne::Intertitre { .. }) {
                    d.erreur(faux(
                        ou.clone(),
                        "un intertitre ne peut pas figurer dans un tableau dont les groupes sont en lignes".into(),
                        "retirez l'intertitre, ou groupes_en_lignes".into(),
                    ));
                }
                let Some((nom, _)) = ligne.indicateur(self) else {
                    continue;
                };
                let Some(ind) = self.indicateur(nom, &ou, d) else {
                    continue;
                };
                // Groups as rows: each column, an indicator, has a figure in
                // every group (no cell spanning rows, no row left empty).
                if t.groupes_en_lignes
                    && let Some(cols) = colonnes
                {
                    let par_groupe = ind
                        .ventilation
                        .as_ref()
                        .and_then(|v| self.ventilations.get(v))
                        .and_then(|v| cols.portees(v))
                        .is_some_and(|p| {
                            p.len() == cols.groupes.len() && p.iter().all(|(_, n)| *n == 1)
                        });
                    if !par_groupe {
                        d.erreur(faux(
                            ou.clone(),
                            format!(
                                "l'indicateur « {nom} » n'est pas ventilé par chacun des groupes du tableau, dont les groupes sont en lignes"
                            ),
                            "ventilez-le par la ventilation des colonnes du tableau, ou retirez groupes_en_lignes".into(),
                        ));
                    }
                }
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

    /// The figures a chart shows, as (indicator, group or `None` for the
    /// total, years before the report's), if its indicators are known.
    fn cases_du_graphique(
        &self,
        g: &Graphique,
    ) -> Option<BTreeSet<(String, Option<usize>, usize)>> {
        let groupes = |id: &str| -> Option<usize> {
            let v = self.indicateurs.get(id)?.ventilation.as_ref()?;
            Some(self.ventilations.get(v)?.groupes.len())
        };
        let mut cases = BTreeSet::new();
        for id in &g.indicateurs {
            self.indicateurs.get(id)?;
            match (g.genre, groupes(id)) {
                (GenreGraphique::Annees, _) => {
                    cases.extend((0..g.annees).map(|a| (id.clone(), None, a)));
                }
                (GenreGraphique::Barres, Some(n)) if g.indicateurs.len() == 1 => {
                    cases.extend((0..n).map(|k| (id.clone(), Some(k), 0)));
                }
                (GenreGraphique::BarresGroupees, Some(n)) => {
                    cases.extend((0..n).map(|k| (id.clone(), Some(k), 0)));
                }
                _ => {
                    cases.insert((id.clone(), None, 0));
                }
            }
        }
        Some(cases)
    }

    /// The figures a table shows, in the terms of [`Self::cases_du_graphique`].
    fn cases_du_tableau(&self, t: &Tableau) -> BTreeSet<(String, Option<usize>, usize)> {
        let mut cases = BTreeSet::new();
        for (id, _) in t.lignes.iter().filter_map(|l| l.indicateur(self)) {
            match t.colonnes() {
                Colonnes::Total => {
                    cases.insert((id.to_string(), None, 0));
                }
                Colonnes::Annees(n) => cases.extend((0..n).map(|a| (id.to_string(), None, a))),
                Colonnes::Ventilation(v) => {
                    let propre = self
                        .indicateurs
                        .get(id)
                        .and_then(|i| i.ventilation.as_deref());
                    if propre == Some(v) {
                        let n = self.ventilations.get(v).map_or(0, |v| v.groupes.len());
                        cases.extend((0..n).map(|k| (id.to_string(), Some(k), 0)));
                    }
                    if t.total {
                        cases.insert((id.to_string(), None, 0));
                    }
                }
            }
        }
        cases
    }

    /// A chart of three values or fewer that a table of its section already
    /// shows adds nothing but a page: `check` warns, unless the model asks for it.
    fn verifier_repetitions(&self, d: &mut Constats) {
        for section in &self.sections {
            let mut montrees = BTreeSet::new();
            for e in &section.elements {
                if let Element::Tableau { tableau } = e
                    && let Some(t) = self.tableaux.get(tableau)
                {
                    montrees.extend(self.cases_du_tableau(t));
                }
            }
            for e in &section.elements {
                let Element::Graphique { graphique } = e else {
                    continue;
                };
                let Some(g) = self.graphiques.get(graphique) else {
                    continue;
                };
                let Some(cases) = self.cases_du_graphique(g) else {
                    continue;
                };
                if !g.repete_tableau && cases.len() <= 3 && cases.is_subset(&montrees) {
                    d.avertissement(
                        Probleme::new(
                            FICHIER,
                            format!(
                                "le graphique « {graphique} » ne montre que {} {} qu'un tableau de la même section donne déjà",
                                cases.len(),
                                if cases.len() > 1 { "chiffres" } else { "chiffre" }
                            ),
                        )
                        .cle(format!("graphiques.{graphique}"))
                        .correction("retirez-le de la section, montrez autre chose (par exemple l'évolution sur trois ans : type = \"annees\"), ou gardez-le avec repete_tableau = true"),
                    );
                }
            }
        }
    }

    /// The `[[sections]]`: texts in the project, known tables and charts.
    fn verifier_sections(&self, projet: &Path, d: &mut Constats) {
        for (i, s) in self.sections.iter().enumerate() {
            let ou = format!("sections[{}] « {} »", i + 1, s.titre);
            if !(1..=2).contains(&s.colonnes) {
                d.erreur(faux(
                    ou.clone(),
                    format!("{} colonnes demandées pour les textes de la section", s.colonnes),
                    "écrivez colonnes = 2 pour des textes longs sur deux colonnes, ou retirez la ligne (une colonne)".into(),
                ));
            }
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
        let alt = self.identite.couverture_alt.as_deref().map(str::trim);
        if self.identite.couverture.is_some() && alt.is_none_or(str::is_empty) {
            d.erreur(faux(
                "identite.couverture_alt".into(),
                "l'image de couverture n'a pas de texte alternatif : le PDF accessible (PDF/UA) en exige un pour chaque image".into(),
                "ajoutez couverture_alt = \"…\" dans [identite] : ce que montre l'image, en une phrase, pour qui ne la voit pas".into(),
            ));
        }
    }

    /// The `[association]` details printed on the back cover: a SIRET of 14
    /// digits whose key is right, an RNA number `W` and 9 digits, an e-mail address.
    fn verifier_coordonnees(&self, d: &mut Constats) {
        use coordonnees::{chiffres_siret, cle_siret_valide, rna_valide};
        let a = &self.association;
        if let Some(siret) = &a.siret {
            match chiffres_siret(siret) {
                None => d.erreur(
                    Probleme::new(FICHIER, format!("le SIRET « {siret} » n'a pas 14 chiffres"))
                        .cle("association.siret")
                        .attendu("14 chiffres (les espaces sont permis), par exemple \"123 456 789 00015\"")
                        .correction("recopiez le SIRET de l'avis de situation au répertoire SIRENE, ou retirez la ligne"),
                ),
                Some(c) if !cle_siret_valide(&c) => d.erreur(
                    Probleme::new(FICHIER, format!("le SIRET « {siret} » est faux : sa clé de contrôle (formule de Luhn) ne correspond pas à ses chiffres"))
                        .cle("association.siret")
                        .attendu("un SIRET dont la clé est juste")
                        .correction("un chiffre est sans doute mal recopié ou deux chiffres inversés : recopiez-le de l'avis de situation au répertoire SIRENE (annuaire-entreprises.data.gouv.fr)"),
                ),
                Some(_) => {}
            }
        }
        if let Some(rna) = &a.rna
            && !rna_valide(rna)
        {
            d.erreur(
                Probleme::new(FICHIER, format!("le numéro RNA « {rna} » n'a pas la forme d'un numéro du répertoire national des associations"))
                    .cle("association.rna")
                    .attendu("W suivi de 9 chiffres, par exemple \"W313012345\"")
                    .correction("recopiez le numéro du récépissé de déclaration en préfecture, ou retirez la ligne"),
            );
        }
        if let Some(c) = &a.courriel {
            let parties = c.trim().split_once('@');
            let ok = matches!(parties, Some((l, d)) if !l.is_empty() && d.contains('.') && !d.contains('@') && !c.trim().contains(' '));
            if !ok {
                d.erreur(
                    Probleme::new(
                        FICHIER,
                        format!("« {c} » n'est pas une adresse électronique"),
                    )
                    .cle("association.courriel")
                    .attendu("une adresse de la forme contact@exemple.org")
                    .correction("corrigez l'adresse, ou retirez la ligne"),
                );
            }
        }
    }

    /// `[rapport] chiffres_cles`: known indicators.
    fn verifier_chiffres_cles(&self, d: &mut Constats) {
        for c in &self.rapport.chiffres_cles {
            self.indicateur(&c.indicateur, "rapport.chiffres_cles", d);
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

    /// The files and folders the report reads: glossary, thanks, foreword,
    /// logo, cover picture, funders' logos, templates.
    fn verifier_fichiers(&self, projet: &Path, d: &mut Constats) {
        for (cle, chemin) in [
            ("rapport.glossaire", &self.rapport.glossaire),
            ("rapport.remerciements", &self.rapport.remerciements),
            ("rapport.avant_propos", &self.rapport.avant_propos),
        ] {
            if let Some(c) = chemin {
                verifier_fichier(projet, c, cle, d);
            }
        }
        let images = [
            ("association.logo".to_string(), &self.association.logo),
            ("identite.couverture".to_string(), &self.identite.couverture),
        ]
        .into_iter()
        .chain(
            self.financeurs
                .iter()
                .map(|(id, f)| (format!("financeurs.{id}.logo"), &f.logo)),
        );
        for (cle, chemin) in images {
            if let Some(c) = chemin {
                verifier_image(projet, c, &cle, d);
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

/// The image formats a cover, a logo may be: what Typst and browsers both show.
pub const FORMATS_IMAGE: [&str; 4] = ["png", "jpg", "jpeg", "svg"];

/// An image of the model: a file of the project, PNG, JPEG or SVG.
fn verifier_image(projet: &Path, chemin: &Path, ou: &str, d: &mut Constats) {
    let ext = chemin
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    if !ext.as_deref().is_some_and(|e| FORMATS_IMAGE.contains(&e)) {
        d.erreur(
            Probleme::new(
                FICHIER,
                format!("« {} » n'est pas une image PNG, JPEG ou SVG", chemin.display()),
            )
            .cle(ou)
            .attendu("un fichier .png, .jpg, .jpeg ou .svg du projet")
            .correction("enregistrez l'image dans l'un de ces formats (par exemple avec un logiciel de dessin) et indiquez ce fichier"),
        );
        return;
    }
    verifier_fichier(projet, chemin, ou, d);
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
