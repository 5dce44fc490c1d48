//! What the cover, the key-figures page and the back cover show: the
//! association's details and pictures as the model declares them, and the
//! key figures read from the published figures only.

use std::path::Path;

use crate::comparaison::{self, NON_CALCULABLE};
use crate::document::{ChiffreCleDoc, CoordonneesDoc, ImageDoc};
use crate::error::{Erreur, Probleme, Resultat};
use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::{Modele, coordonnees};
use crate::texts::typographie::typographier;

/// The picture `chemin` of project `projet`, served to the templates at
/// `virtuel` and its extension (`/couverture.png`): the virtual path and its
/// bytes, for the build's file list (the templates read nothing else).
pub fn image_du_projet(
    projet: &Path,
    chemin: &Path,
    virtuel: &str,
    quoi: &str,
) -> Resultat<(String, Vec<u8>)> {
    let ext = chemin
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("png")
        .to_lowercase();
    let octets = std::fs::read(projet.join(chemin)).map_err(|e| {
        Erreur::absent(
            Probleme::new(chemin, format!("{quoi} illisible ({e})"))
                .correction("vérifiez que le fichier existe dans le projet et qu'il est lisible"),
        )
    })?;
    Ok((format!("{virtuel}.{ext}"), octets))
}

/// The cover's picture, if the model gives one, added to `fichiers`.
pub fn couverture(
    projet: &Path,
    modele: &Modele,
    fichiers: &mut Vec<(String, Vec<u8>)>,
) -> Resultat<Option<ImageDoc>> {
    let Some(chemin) = &modele.identite.couverture else {
        return Ok(None);
    };
    let (fichier, octets) = image_du_projet(projet, chemin, "/couverture", "image de couverture")?;
    fichiers.push((fichier.clone(), octets));
    Ok(Some(ImageDoc {
        fichier,
        alt: typographier(
            modele
                .identite
                .couverture_alt
                .as_deref()
                .unwrap_or_default(),
        ),
    }))
}

/// The logo of funder `id`, if the model gives one, added to `fichiers`.
pub fn logo_financeur(
    projet: &Path,
    modele: &Modele,
    id: &str,
    fichiers: &mut Vec<(String, Vec<u8>)>,
) -> Resultat<Option<String>> {
    let Some(chemin) = &modele.financeurs[id].logo else {
        return Ok(None);
    };
    let (fichier, octets) = image_du_projet(
        projet,
        chemin,
        &format!("/financeurs/{id}"),
        "logo du financeur",
    )?;
    fichiers.push((fichier.clone(), octets));
    Ok(Some(fichier))
}

/// The association's details for the back cover, in French typography.
pub fn coordonnees(modele: &Modele) -> CoordonneesDoc {
    let a = &modele.association;
    let texte = |t: &Option<String>| t.as_deref().map(|t| typographier(t.trim()));
    CoordonneesDoc {
        adresse: a
            .adresse
            .as_deref()
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(typographier)
                    .collect()
            })
            .unwrap_or_default(),
        site: a.site.as_deref().map(|s| {
            let s = s.trim();
            s.strip_prefix("https://")
                .or_else(|| s.strip_prefix("http://"))
                .unwrap_or(s)
                .trim_end_matches('/')
                .to_string()
        }),
        site_url: a.site.as_deref().map(|s| {
            let s = s.trim();
            if s.starts_with("https://") || s.starts_with("http://") {
                s.to_string()
            } else {
                format!("https://{s}")
            }
        }),
        courriel: a.courriel.as_deref().map(|c| c.trim().to_string()),
        telephone: texte(&a.telephone),
        statut: texte(&a.statut),
        siret: a
            .siret
            .as_deref()
            .and_then(coordonnees::chiffres_siret)
            .map(|c| {
                let i = fr::INSECABLE;
                format!("{}{i}{}{i}{}{i}{}", &c[0..3], &c[3..6], &c[6..9], &c[9..])
            }),
        rna: a
            .rna
            .as_deref()
            .map(|r| r.chars().filter(|c| !c.is_whitespace()).collect()),
    }
}

/// The key figures the model declares, for the report's year: each
/// indicator's published total and its change from the year before. A
/// hidden figure shows its mark and no change (the change would tell it).
pub fn chiffres_cles(modele: &Modele, figures: &Figures) -> Vec<ChiffreCleDoc> {
    let annee = figures.annee;
    modele
        .rapport
        .chiffres_cles
        .iter()
        .map(|c| {
            let ind = &modele.indicateurs[&c.indicateur];
            let v = figures.chiffre(c.indicateur.as_str(), annee).total;
            let avant = figures
                .annees
                .contains(&(annee - 1))
                .then(|| figures.chiffre(c.indicateur.as_str(), annee - 1).total);
            let (evolution, sens) = match avant {
                Some(a) => evolution(a, v),
                None => (Some(NON_CALCULABLE.into()), None),
            };
            ChiffreCleDoc {
                indicateur: c.indicateur.clone(),
                libelle: typographier(c.libelle(modele)),
                valeur: v.texte(ind.unite.as_deref()),
                masque: v.est_masquee(),
                evolution,
                sens,
            }
        })
        .collect()
}

/// The change from `avant` to `v` as printed, and its direction (`hausse`,
/// `baisse`, `stable`): in points for a share, in percent for a count or an
/// amount; « n.c. » when it cannot be computed; nothing when either figure
/// is hidden by the secret.
fn evolution(avant: Valeur, v: Valeur) -> (Option<String>, Option<&'static str>) {
    if avant.est_masquee() || v.est_masquee() {
        return (None, None);
    }
    // The same changes as the comparison's: `ecart` in points, `evolution` in percent.
    let Some(e) = comparaison::ecart(avant, v) else {
        return (Some(NON_CALCULABLE.into()), None);
    };
    let (ecart, suffixe) = match v {
        Valeur::Part { .. } => {
            // French: singular below 2 (« 1,5 point »).
            let unite = if (e.abs() * 10.0).round() < 20.0 {
                "point"
            } else {
                "points"
            };
            (e, format!("{}{unite}", fr::INSECABLE))
        }
        _ => match comparaison::evolution(avant, v) {
            Some(pourcent) => (pourcent, format!("{}%", fr::FINE)),
            None => return (Some(NON_CALCULABLE.into()), None),
        },
    };
    let arrondi = fr::nombre(ecart.abs(), 1);
    let (signe, sens) = if arrondi == "0,0" {
        ("", "stable")
    } else if ecart > 0.0 {
        ("+", "hausse")
    } else {
        ("\u{2212}", "baisse")
    };
    (Some(format!("{signe}{arrondi}{suffixe}")), Some(sens))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_changes_in_percent_and_a_share_in_points() {
        let (e, s) = evolution(Valeur::Nombre(171.0), Valeur::Nombre(184.0));
        assert_eq!(e.as_deref(), Some("+7,6\u{202F}%"));
        assert_eq!(s, Some("hausse"));
        let (e, s) = evolution(
            Valeur::Part { num: 1.0, den: 4.0 },
            Valeur::Part { num: 1.0, den: 5.0 },
        );
        assert_eq!(e.as_deref(), Some("\u{2212}5,0\u{A0}points"));
        assert_eq!(s, Some("baisse"));
        let (e, s) = evolution(Valeur::Nombre(52.0), Valeur::Nombre(52.0));
        assert_eq!(e.as_deref(), Some("0,0\u{202F}%"));
        assert_eq!(s, Some("stable"));
    }

    #[test]
    fn a_change_from_zero_or_from_a_missing_figure_is_not_calculable() {
        for avant in [Valeur::Nombre(0.0), Valeur::Nd] {
            let (e, s) = evolution(avant, Valeur::Nombre(12.0));
            assert_eq!(e.as_deref(), Some(NON_CALCULABLE));
            assert_eq!(s, None);
        }
    }

    #[test]
    fn no_change_is_given_when_either_year_is_hidden() {
        assert_eq!(
            evolution(Valeur::Masque { seuil: 5 }, Valeur::Nombre(40.0)),
            (None, None)
        );
        assert_eq!(
            evolution(Valeur::Nombre(40.0), Valeur::Protegee),
            (None, None)
        );
    }
}
