//! The association's visual identity as the model declares it: its colours
//! (`[identite] couleurs`), shared by the PDF, the web page and the charts,
//! and the cover's picture (`[identite] couverture`).

use std::fmt;
use std::path::PathBuf;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `[identite]`: what makes the documents recognisably the association's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identite {
    #[serde(default)]
    pub couleurs: CouleursDeclarees,
    /// A picture of the project (PNG, JPEG or SVG) for the cover.
    #[serde(default)]
    pub couverture: Option<PathBuf>,
    /// What the cover's picture shows, for screen readers (required with `couverture`).
    #[serde(default)]
    pub couverture_alt: Option<String>,
}

/// The colours as declared, each optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouleursDeclarees {
    #[serde(default)]
    pub principale: Option<Couleur>,
    #[serde(default)]
    pub accent: Option<Couleur>,
    #[serde(default)]
    pub claire: Option<Couleur>,
}

/// The palette every output uses: the declared colours, or the default
/// ones, which print as three distinct greys in black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Couleurs {
    /// Titles, rules, the first series of a chart: dark enough for text on white.
    pub principale: Couleur,
    /// A second series, highlights: a middle grey once printed in black and white.
    pub accent: Couleur,
    /// Backgrounds and a third series: light.
    pub claire: Couleur,
}

impl Couleurs {
    pub const DEFAUT: Couleurs = Couleurs {
        principale: Couleur([0x14, 0x50, 0x6e]),
        accent: Couleur([0xd3, 0x7a, 0x1f]),
        claire: Couleur([0xb9, 0xd6, 0xe6]),
    };
}

impl CouleursDeclarees {
    /// The palette: each colour declared, or its default.
    pub fn palette(&self) -> Couleurs {
        let d = Couleurs::DEFAUT;
        Couleurs {
            principale: self.principale.unwrap_or(d.principale),
            accent: self.accent.unwrap_or(d.accent),
            claire: self.claire.unwrap_or(d.claire),
        }
    }
}

/// A colour, written `"#1b4f72"` in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Couleur(pub [u8; 3]);

/// The contrast text needs on its background (WCAG 2, level AA, normal text).
pub const CONTRASTE_TEXTE: f64 = 4.5;

impl Couleur {
    pub const BLANC: Couleur = Couleur([0xff, 0xff, 0xff]);

    /// `#rrggbb`, as CSS, SVG and Typst's `rgb()` read it.
    pub fn hex(&self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The relative luminance of WCAG 2 (0 black, 1 white).
    pub fn luminance(&self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// The contrast ratio of WCAG 2 between two colours (1 to 21).
    pub fn contraste(&self, autre: &Couleur) -> f64 {
        let (a, b) = (self.luminance(), autre.luminance());
        let (claire, sombre) = if a > b { (a, b) } else { (b, a) };
        (claire + 0.05) / (sombre + 0.05)
    }

    /// Reads `#rrggbb` (or `#rgb`), case ignored.
    pub fn lire(texte: &str) -> Option<Couleur> {
        let h = texte.trim().strip_prefix('#')?;
        if !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let octet = |s: &str| u8::from_str_radix(s, 16).ok();
        match h.len() {
            6 => Some(Couleur([
                octet(&h[0..2])?,
                octet(&h[2..4])?,
                octet(&h[4..6])?,
            ])),
            3 => {
                let double = |i: usize| octet(&h[i..i + 1].repeat(2));
                Some(Couleur([double(0)?, double(1)?, double(2)?]))
            }
            _ => None,
        }
    }
}

impl Serialize for Couleur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for Couleur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Hex;
        impl Visitor<'_> for Hex {
            type Value = Couleur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("une couleur écrite \"#1b4f72\" (rouge, vert, bleu en hexadécimal)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Couleur, E> {
                Couleur::lire(v)
                    .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(Hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_main_colour_can_carry_text_on_white() {
        assert!(Couleurs::DEFAUT.principale.contraste(&Couleur::BLANC) >= CONTRASTE_TEXTE);
    }

    #[test]
    fn the_default_colours_print_as_three_distinct_greys() {
        let d = Couleurs::DEFAUT;
        let (p, a, c) = (
            d.principale.luminance(),
            d.accent.luminance(),
            d.claire.luminance(),
        );
        assert!(p + 0.15 < a && a + 0.15 < c, "{p} {a} {c}");
    }

    #[test]
    fn a_colour_is_read_in_long_and_short_hexadecimal() {
        assert_eq!(Couleur::lire("#1B4F72"), Some(Couleur([0x1b, 0x4f, 0x72])));
        assert_eq!(Couleur::lire("#fff"), Some(Couleur::BLANC));
        assert_eq!(Couleur::lire("1b4f72"), None);
        assert_eq!(Couleur::lire("#1b4f7"), None);
        assert_eq!(Couleur::lire("#gggggg"), None);
    }

    #[test]
    fn black_on_white_has_the_greatest_contrast() {
        let noir = Couleur([0, 0, 0]);
        assert!((noir.contraste(&Couleur::BLANC) - 21.0).abs() < 1e-9);
    }
}
