//! Stage 5a: charts, drawn by plotters as SVG from the computed figures.
//!
//! Bars in the association's colours, which print as three distinct greys,
//! their value printed above them; the unit beside the vertical axis; French
//! labels and numbers, wrapped, never cut without « … ». Each chart is drawn
//! twice: wide for the PDF, narrow for phones.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Erreur, Resultat};
use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::{Couleur, Couleurs, GenreGraphique, Graphique, Mesure, Modele};
use crate::suivi::{Etape, Suivi};

/// The font family of chart labels: one of the fonts embedded in the document.
pub const POLICE: &str = "Libertinus Serif";

/// What a chart shows, ready to draw or to describe.
#[derive(Debug, Clone, PartialEq)]
pub struct Donnees {
    /// Labels along the horizontal axis.
    pub categories: Vec<String>,
    /// Each series: its name and one value per category.
    pub series: Vec<(String, Vec<Valeur>)>,
    /// Values are percentages.
    pub pourcent: bool,
    /// Unit of the values (`€`), if any.
    pub unite: Option<String>,
    /// Lines (values over years) instead of bars.
    pub lignes: bool,
}

/// Collects the values of chart `g` from the figures.
pub fn donnees(g: &Graphique, modele: &Modele, figures: &Figures) -> Donnees {
    let ind = |id: &String| &modele.indicateurs[id];
    let annee = figures.annee;
    let premier = &g.indicateurs[0];
    let groupes = |id: &String| {
        ind(id).ventilation.as_ref().map(|v| {
            modele.ventilations[v]
                .groupes
                .iter()
                .map(|g| g.libelle.clone())
                .collect::<Vec<_>>()
        })
    };
    let (categories, series) = match g.genre {
        GenreGraphique::Barres => match groupes(premier) {
            Some(libelles) if g.indicateurs.len() == 1 => {
                let c = figures.chiffre(premier, annee);
                (
                    libelles,
                    vec![(ind(premier).libelle.clone(), c.groupes.clone())],
                )
            }
            _ => (
                g.indicateurs
                    .iter()
                    .map(|i| ind(i).libelle.clone())
                    .collect(),
                vec![(
                    annee.to_string(),
                    g.indicateurs
                        .iter()
                        .map(|i| figures.chiffre(i, annee).total)
                        .collect(),
                )],
            ),
        },
        GenreGraphique::BarresGroupees => {
            let libelles = groupes(premier).unwrap_or_default();
            let series = libelles
                .iter()
                .enumerate()
                .map(|(k, l)| {
                    (
                        l.clone(),
                        g.indicateurs
                            .iter()
                            .map(|i| figures.chiffre(i, annee).groupes[k])
                            .collect(),
                    )
                })
                .collect();
            (
                g.indicateurs
                    .iter()
                    .map(|i| ind(i).libelle.clone())
                    .collect(),
                series,
            )
        }
        GenreGraphique::Annees => {
            let annees = figures.dernieres_annees(g.annees);
            let series = g
                .indicateurs
                .iter()
                .map(|i| {
                    (
                        ind(i).libelle.clone(),
                        annees
                            .iter()
                            .map(|&a| figures.chiffre(i, a).total)
                            .collect(),
                    )
                })
                .collect();
            (annees.iter().map(|a| a.to_string()).collect(), series)
        }
    };
    Donnees {
        categories,
        series,
        pourcent: g.indicateurs.iter().all(|i| ind(i).mesure == Mesure::Part),
        unite: ind(premier).unite.clone(),
        lignes: false,
    }
}

/// A sentence describing the chart's figures, its alternative text.
pub fn description(titre: &str, d: &Donnees) -> String {
    let mut parts = Vec::new();
    for (nom, valeurs) in &d.series {
        let cellules: Vec<String> = d
            .categories
            .iter()
            .zip(valeurs)
            .map(|(c, v)| format!("{c} : {}", v.texte(d.unite.as_deref())))
            .collect();
        if d.series.len() > 1 {
            parts.push(format!("{nom} — {}", cellules.join(", ")));
        } else {
            parts.push(cellules.join(", "));
        }
    }
    let genre = if d.lignes {
        "Courbes"
    } else {
        "Diagramme en barres"
    };
    format!("{genre} « {titre} ». {}.", parts.join(" ; "))
}

/// How a chart is drawn: its size in SVG pixels and the size of its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Format {
    pub largeur: u32,
    pub hauteur: u32,
    pub police: u32,
}

impl Format {
    /// For the PDF and wide screens: 640 px wide, shown at about 15 cm.
    pub const LARGE: Format = Format {
        largeur: 640,
        hauteur: 340,
        police: 16,
    };
    /// For phones: 360 px wide, so that shown 344 px wide on a screen 360
    /// px wide its text stays above 12 px (plotters writes a font of 17 px
    /// as `font-size="13.7"`; 13,7 × 344 / 360 = 13,1).
    pub const ETROIT: Format = Format {
        largeur: 360,
        hauteur: 340,
        police: 17,
    };
}

/// A chart drawn: its SVG documents and the sentence describing its
/// figures (its alternative text, see [`description`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Dessin {
    /// For the PDF and wide screens ([`Format::LARGE`]).
    pub svg: String,
    /// For narrow screens ([`Format::ETROIT`]).
    pub svg_etroit: String,
    pub description: String,
}

/// Draws the chart `titre` of `d` in the association's `couleurs`.
pub fn dessin(titre: &str, d: &Donnees, couleurs: &Couleurs, suivi: &Suivi) -> Resultat<Dessin> {
    let _e = suivi.etape(Etape::Graphiques);
    let erreur = |e: String| Erreur::Interne(format!("graphique « {titre} » : {e}"));
    // Labels in French typography, as every title and label of the documents.
    let t = crate::texts::typographie::typographier;
    let d = &Donnees {
        categories: d.categories.iter().map(|c| t(c)).collect(),
        series: d.series.iter().map(|(n, v)| (t(n), v.clone())).collect(),
        ..d.clone()
    };
    Ok(Dessin {
        svg: svg(d, couleurs, Format::LARGE).map_err(erreur)?,
        svg_etroit: svg(d, couleurs, Format::ETROIT).map_err(erreur)?,
        description: description(titre, d),
    })
}

/// Draws the chart as an SVG document.
pub fn svg(d: &Donnees, couleurs: &Couleurs, f: Format) -> Result<String, String> {
    let mut sortie = String::new();
    {
        let zone = SVGBackend::with_string(&mut sortie, (f.largeur, f.hauteur)).into_drawing_area();
        dessiner(&zone, d, couleurs, f).map_err(|e| e.to_string())?;
        zone.present().map_err(|e| e.to_string())?;
    }
    Ok(sortie)
}

fn rgb(c: Couleur) -> RGBColor {
    let [r, g, b] = c.0;
    RGBColor(r, g, b)
}

/// The fills of the series, in order: the palette's three colours (three
/// distinct greys once printed in black and white), then a mid grey.
fn teintes(c: &Couleurs) -> [RGBColor; 4] {
    [
        rgb(c.principale),
        rgb(c.accent),
        rgb(c.claire),
        RGBColor(120, 120, 120),
    ]
}

/// What the vertical axis counts, written beside it.
fn unite_de_l_axe(d: &Donnees) -> &'static str {
    if d.pourcent {
        "en %"
    } else if d.unite.as_deref() == Some("€") {
        "en euros"
    } else {
        "nombre"
    }
}

fn dessiner<DB: DrawingBackend>(
    zone: &DrawingArea<DB, plotters::coord::Shift>,
    d: &Donnees,
    couleurs: &Couleurs,
    f: Format,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    zone.fill(&WHITE)?;
    let teintes = teintes(couleurs);
    let encre = RGBColor(40, 40, 40);
    let max = d
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().filter_map(Valeur::nombre))
        .fold(0.0_f64, f64::max);
    let haut = if d.pourcent {
        100.0
    } else {
        (max * 1.18).max(1.0)
    };
    let n = d.categories.len().max(1) as f64;
    let taille = f.police as i32;
    let legende = if d.series.len() > 1 {
        disposer_legende(d, f.largeur as i32 - 30, taille)
    } else {
        Vec::new()
    };
    let rangs = legende.iter().map(|l| l.2).max().map_or(0, |r| r + 1);
    let police = (POLICE, f.police).into_font();
    let pourcent = d.pourcent;
    let euros = d.unite.as_deref() == Some("€");
    let lignes_d_etiquette = 3;
    let mut chart = ChartBuilder::on(zone)
        .margin(10)
        .margin_top(14 + (taille + 6) * rangs as i32)
        .x_label_area_size(12 + (taille + 2) * lignes_d_etiquette)
        .y_label_area_size(taille * 5)
        .build_cartesian_2d(0.0..n, 0.0..haut)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(5)
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(228, 228, 228))
        .axis_style(RGBColor(150, 150, 150))
        .label_style(police.clone().color(&encre))
        .axis_desc_style(police.clone().color(&encre))
        .y_desc(unite_de_l_axe(d))
        .y_label_formatter(&|v| {
            if pourcent {
                format!("{}\u{202F}%", fr::nombre(*v, 0))
            } else if euros {
                format!("{}\u{A0}€", fr::nombre_auto(v.round()))
            } else {
                fr::nombre_auto(v.round())
            }
        })
        .draw()?;

    if d.lignes {
        for (s, (_, valeurs)) in d.series.iter().enumerate() {
            let couleur = teintes[s % teintes.len()];
            let points: Vec<(f64, f64)> = valeurs
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.nombre().map(|y| (i as f64 + 0.5, y)))
                .collect();
            chart.draw_series(LineSeries::new(points.clone(), couleur.stroke_width(3)))?;
            for (&(x, y), v) in points
                .iter()
                .zip(valeurs.iter().filter(|v| v.nombre().is_some()))
            {
                let forme: DynElement<_, _> = match s % 3 {
                    0 => Circle::new((x, y), 5, couleur.filled()).into_dyn(),
                    1 => TriangleMarker::new((x, y), 6, couleur.filled()).into_dyn(),
                    _ => Cross::new((x, y), 5, couleur.stroke_width(2)).into_dyn(),
                };
                chart.draw_series(std::iter::once(forme))?;
                let style = police
                    .clone()
                    .color(&encre)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                chart.draw_series(std::iter::once(Text::new(
                    v.texte(d.unite.as_deref()),
                    (x, y + haut * 0.03),
                    style,
                )))?;
            }
        }
    }
    let k = d.series.len().max(1) as f64;
    let largeur = 0.7 / k;
    for (s, (_, valeurs)) in d.series.iter().enumerate().filter(|_| !d.lignes) {
        let fond = teintes[s % teintes.len()];
        for (i, v) in valeurs.iter().enumerate() {
            let x0 = i as f64 + 0.15 + s as f64 * largeur;
            let x1 = x0 + largeur * 0.9;
            // No bar for what has no value (n.d., hidden, n.c.): only its label.
            let y = v.nombre().unwrap_or(0.0);
            if v.nombre().is_some() {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, y)],
                    fond.filled(),
                )))?;
            }
            // The light fill gets a fine outline, to stand out from white on paper.
            if s % teintes.len() == 2 && v.nombre().is_some() {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, y)],
                    teintes[0].stroke_width(1),
                )))?;
            }
            let etiquette = v.texte(d.unite.as_deref());
            let style = police
                .clone()
                .color(&encre)
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(
                etiquette,
                ((x0 + x1) / 2.0, y + haut * 0.015),
                style,
            )))?;
        }
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    let largeur_px = (px.end - px.start) as f64 / n;
    for (i, c) in d.categories.iter().enumerate() {
        let x = px.start + ((i as f64 + 0.5) * largeur_px) as i32;
        let style = police
            .clone()
            .color(&encre)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let parts = couper(c, largeur_px, f.police, lignes_d_etiquette as usize);
        for (l, morceau) in parts.iter().enumerate() {
            zone.draw(&Text::new(
                morceau.clone(),
                (x, py.end + 8 + l as i32 * (taille + 2)),
                style.clone(),
            ))?;
        }
    }
    for (s, &(x, _, rang)) in legende.iter().enumerate() {
        let fond = teintes[s % teintes.len()];
        let (x, y) = (20 + x, 8 + (taille + 6) * rang as i32);
        zone.draw(&Rectangle::new(
            [(x, y), (x + taille - 2, y + taille - 2)],
            fond.filled(),
        ))?;
        let style = police
            .clone()
            .color(&encre)
            .pos(Pos::new(HPos::Left, VPos::Center));
        zone.draw(&Text::new(
            d.series[s].0.clone(),
            (x + taille + 4, y + taille / 2 - 1),
            style,
        ))?;
    }
    Ok(())
}

/// Places the legend's items in rows no wider than `largeur` pixels:
/// for each series, its x offset, its width and its row.
fn disposer_legende(d: &Donnees, largeur: i32, taille: i32) -> Vec<(i32, i32, usize)> {
    let mut places = Vec::new();
    let (mut x, mut rang) = (0, 0);
    for (nom, _) in &d.series {
        let l = taille + 8 + nom.chars().count() as i32 * taille / 2;
        if x > 0 && x + l > largeur {
            x = 0;
            rang += 1;
        }
        places.push((x, l, rang));
        x += l + taille;
    }
    places
}

/// Splits a long category label into at most `lignes` lines that fit
/// `largeur` pixels (a character is about 0,45 of the font size); a label
/// still too long ends with « … », never cut short silently.
fn couper(texte: &str, largeur: f64, police: u32, lignes_max: usize) -> Vec<String> {
    let max = ((largeur / (f64::from(police) * 0.45)) as usize).max(6);
    let mut lignes: Vec<String> = Vec::new();
    for mot in texte.split_whitespace() {
        match lignes.last_mut() {
            Some(l) if l.chars().count() + 1 + mot.chars().count() <= max => {
                l.push(' ');
                l.push_str(mot);
            }
            _ => lignes.push(mot.to_string()),
        }
    }
    let coupe = lignes.len() > lignes_max;
    lignes.truncate(lignes_max);
    for l in &mut lignes {
        if l.chars().count() > max {
            *l = l.chars().take(max.saturating_sub(1)).collect();
            l.push('…');
        }
    }
    if coupe && let Some(l) = lignes.last_mut() {
        if l.chars().count() >= max {
            *l = l.chars().take(max.saturating_sub(1)).collect();
        }
        l.push('…');
    }
    lignes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn montants() -> Donnees {
        Donnees {
            categories: vec!["Hébergement".into(), "Aides directes".into()],
            series: vec![(
                "2013".into(),
                vec![Valeur::Nombre(12_766.5), Valeur::Nombre(8_244.5)],
            )],
            pourcent: false,
            unite: Some("€".into()),
            lignes: false,
        }
    }

    #[test]
    fn a_label_too_long_for_its_lines_ends_with_an_ellipsis() {
        let long = "Rencontres réelles de personnes contactées sur internet pendant les permanences du soir";
        let lignes = couper(long, 90.0, 16, 3);
        assert_eq!(lignes.len(), 3);
        assert!(lignes[2].ends_with('…'), "{lignes:?}");
        let court = couper("Hébergement", 90.0, 16, 3);
        assert_eq!(court, vec!["Hébergement".to_string()]);
        // A single word longer than a line is shortened, with its ellipsis.
        let mot = couper("Anticonstitutionnellement", 40.0, 16, 3);
        assert!(
            mot[0].ends_with('…') && mot[0].chars().count() <= 6,
            "{mot:?}"
        );
    }

    #[test]
    fn an_axis_of_amounts_is_in_euros_and_bars_take_the_declared_colour() {
        let rouge = Couleurs {
            principale: Couleur([0x7a, 0x1f, 0x3d]),
            ..Couleurs::DEFAUT
        };
        let svg = svg(&montants(), &rouge, Format::LARGE).unwrap();
        assert!(svg.contains("en euros"));
        assert!(svg.contains("5\u{202F}000\u{A0}€"), "{svg}");
        assert!(svg.contains("#7A1F3D"), "{svg}");
        assert!(!svg.contains("#14506E"));
    }

    #[test]
    fn a_share_of_no_one_is_drawn_as_no_bar_labelled_n_c_and_described_so() {
        let d = Donnees {
            categories: vec!["Femmes".into(), "Hommes".into()],
            series: vec![(
                "2013".into(),
                vec![
                    Valeur::Part { num: 3.0, den: 4.0 },
                    Valeur::Part { num: 0.0, den: 0.0 },
                ],
            )],
            pourcent: true,
            unite: None,
            lignes: false,
        };
        let texte = description("Thèmes", &d);
        assert!(texte.contains("Hommes : n.c."), "{texte}");
        assert!(!texte.contains("0 %") && !texte.contains('—'), "{texte}");
        let svg = svg(&d, &Couleurs::DEFAUT, Format::LARGE).unwrap();
        let textes =
            |svg: &str| -> Vec<String> { svg.lines().map(|l| l.trim().to_string()).collect() };
        assert!(textes(&svg).contains(&"n.c.".to_string()), "{svg}");
        // One bar only: the share of no one has none (not even of height 0).
        let barres = svg.matches("fill=\"#14506E\"").count();
        let avec_zero = Donnees {
            series: vec![(
                "2013".into(),
                vec![
                    Valeur::Part { num: 3.0, den: 4.0 },
                    Valeur::Part { num: 0.0, den: 4.0 },
                ],
            )],
            ..d.clone()
        };
        let svg_zero = super::svg(&avec_zero, &Couleurs::DEFAUT, Format::LARGE).unwrap();
        assert!(
            textes(&svg_zero)
                .iter()
                .any(|l| l.starts_with('0') && l.ends_with('%')),
            "{svg_zero}"
        );
        assert!(svg_zero.matches("fill=\"#14506E\"").count() > barres);
    }

    #[test]
    fn the_narrow_drawing_is_360_pixels_wide_with_larger_text() {
        let d = montants();
        let large = svg(&d, &Couleurs::DEFAUT, Format::LARGE).unwrap();
        let etroit = svg(&d, &Couleurs::DEFAUT, Format::ETROIT).unwrap();
        assert!(etroit.contains("viewBox=\"0 0 360 "), "{etroit}");
        let taille = |s: &str| -> f64 {
            let i = s.find("font-size=\"").unwrap() + 11;
            s[i..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(taille(&etroit) * 344.0 / 360.0 >= 12.0);
        assert!(taille(&large) < taille(&etroit));
    }
}
