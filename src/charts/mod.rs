//! Stage 5a: charts, drawn by plotters as SVG from the computed figures.
//!
//! Bars in shades of grey with black outlines and their value printed above
//! them, so that a chart reads in black and white; French labels and numbers.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Erreur, Resultat};
use crate::figures::{Figures, Valeur};
use crate::fr;
use crate::model::{GenreGraphique, Graphique, Mesure, Modele};
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

/// Line colours, dark to light, each with its own marker.
const TRAITS: [RGBColor; 3] = [
    RGBColor(0, 0, 0),
    RGBColor(90, 90, 90),
    RGBColor(150, 150, 150),
];

/// The size of a chart, in SVG pixels.
const LARGEUR: u32 = 640;
const HAUTEUR: u32 = 340;

const GRIS: [RGBColor; 4] = [
    RGBColor(45, 45, 45),
    RGBColor(150, 150, 150),
    RGBColor(215, 215, 215),
    RGBColor(255, 255, 255),
];

/// A chart drawn: its SVG document and the sentence describing its
/// figures (its alternative text, see [`description`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Dessin {
    pub svg: String,
    pub description: String,
}

/// Draws the chart `titre` of `d`.
pub fn dessin(titre: &str, d: &Donnees, suivi: &Suivi) -> Resultat<Dessin> {
    let svg = svg(d, suivi).map_err(|e| Erreur::Interne(format!("graphique « {titre} » : {e}")))?;
    Ok(Dessin {
        svg,
        description: description(titre, d),
    })
}

/// Draws the chart as an SVG document.
fn svg(d: &Donnees, suivi: &Suivi) -> Result<String, String> {
    let _e = suivi.etape(Etape::Graphiques);
    let mut sortie = String::new();
    {
        let zone = SVGBackend::with_string(&mut sortie, (LARGEUR, HAUTEUR)).into_drawing_area();
        dessiner(&zone, d).map_err(|e| e.to_string())?;
        zone.present().map_err(|e| e.to_string())?;
    }
    Ok(sortie)
}

fn dessiner<DB: DrawingBackend>(
    zone: &DrawingArea<DB, plotters::coord::Shift>,
    d: &Donnees,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    zone.fill(&WHITE)?;
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
    let legende = if d.series.len() > 1 {
        disposer_legende(d, LARGEUR as i32 - 90)
    } else {
        Vec::new()
    };
    let rangs = legende.iter().map(|l| l.2).max().map_or(0, |r| r + 1);
    let police = (POLICE, 16).into_font();
    let pourcent = d.pourcent;
    let mut chart = ChartBuilder::on(zone)
        .margin(12)
        .margin_top(16 + 22 * rangs as i32)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..n, 0.0..haut)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .axis_style(BLACK)
        .label_style(police.clone())
        .y_label_formatter(&|v| {
            if pourcent {
                format!("{}\u{202F}%", fr::nombre(*v, 0))
            } else {
                fr::nombre_auto(v.round())
            }
        })
        .draw()?;

    if d.lignes {
        for (s, (_, valeurs)) in d.series.iter().enumerate() {
            let couleur = TRAITS[s % TRAITS.len()];
            let points: Vec<(f64, f64)> = valeurs
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.nombre().map(|y| (i as f64 + 0.5, y)))
                .collect();
            chart.draw_series(LineSeries::new(points.clone(), couleur.stroke_width(2)))?;
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
                    .color(&BLACK)
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
    let largeur = 0.8 / k;
    for (s, (_, valeurs)) in d.series.iter().enumerate().filter(|_| !d.lignes) {
        let fond = GRIS[s % GRIS.len()];
        for (i, v) in valeurs.iter().enumerate() {
            let x0 = i as f64 + 0.1 + s as f64 * largeur;
            let x1 = x0 + largeur * 0.92;
            let y = v.nombre().unwrap_or(0.0);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, 0.0), (x1, y)],
                fond.filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, 0.0), (x1, y)],
                BLACK.stroke_width(1),
            )))?;
            let etiquette = v.texte(d.unite.as_deref());
            let style = police
                .clone()
                .color(&BLACK)
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
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        for (l, morceau) in couper(c, largeur_px).iter().enumerate() {
            zone.draw(&Text::new(
                morceau.clone(),
                (x, py.end + 8 + l as i32 * 17),
                style.clone(),
            ))?;
        }
    }
    for (s, &(x, _, rang)) in legende.iter().enumerate() {
        let fond = if d.lignes {
            TRAITS[s % TRAITS.len()]
        } else {
            GRIS[s % GRIS.len()]
        };
        let (x, y) = (80 + x, 10 + 22 * rang as i32);
        zone.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], fond.filled()))?;
        zone.draw(&Rectangle::new(
            [(x, y), (x + 14, y + 14)],
            BLACK.stroke_width(1),
        ))?;
        let style = police
            .clone()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        zone.draw(&Text::new(d.series[s].0.clone(), (x + 20, y + 7), style))?;
    }
    Ok(())
}

/// Places the legend's items in rows no wider than `largeur` pixels:
/// for each series, its x offset, its width and its row.
fn disposer_legende(d: &Donnees, largeur: i32) -> Vec<(i32, i32, usize)> {
    let mut places = Vec::new();
    let (mut x, mut rang) = (0, 0);
    for (nom, _) in &d.series {
        let l = 34 + nom.chars().count() as i32 * 8;
        if x > 0 && x + l > largeur {
            x = 0;
            rang += 1;
        }
        places.push((x, l, rang));
        x += l + 16;
    }
    places
}

/// Splits a long category label into lines that fit `largeur` pixels (about 7 px a character).
fn couper(texte: &str, largeur: f64) -> Vec<String> {
    let max = ((largeur / 7.0) as usize).max(8);
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
    lignes.truncate(2);
    lignes
}
