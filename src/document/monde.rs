//! The Typst `World` of a build: the templates and the build's own files,
//! served from memory; embedded fonts; a fixed date; nothing else. It never
//! touches the file system nor the network: any other file, and any package,
//! is refused, and the refusal recorded so that the error can name it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use typst::comemo::Track;
use typst::diag::{FileError, FileResult};
use typst::foundations::Smart;
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::visualize::{ExchangeFormat, ImageFormat, RasterImage, SvgImage, VectorFormat};
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

/// Fonts embedded in the binary (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), loaded once.
fn polices() -> &'static FontStore {
    static POLICES: OnceLock<FontStore> = OnceLock::new();
    POLICES.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store
    })
}

fn bibliotheque() -> &'static LazyHash<Library> {
    static BIBLIOTHEQUE: OnceLock<LazyHash<Library>> = OnceLock::new();
    BIBLIOTHEQUE.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// The font families in effect where the templates place an image: the
/// text's font (`set text(font: \"Libertinus Serif\")` in `commun.typ`),
/// then Typst's own fallbacks (`typst_library::text::families`), lowercased
/// as Typst gives them. An SVG's decoding depends on them.
const FAMILLES_DU_TEXTE: [&str; 6] = [
    "libertinus serif",
    "libertinus serif",
    "twitter color emoji",
    "noto color emoji",
    "apple color emoji",
    "segoe ui emoji",
];

/// An image's format as Typst determines it for `image(chemin)`: by the
/// path's extension, else by its first bytes (`ImageElem::determine_format`);
/// `None` for anything else (the JSON of the data).
fn format_d_image(id: &FileId, octets: &Bytes) -> Option<ImageFormat> {
    match id.vpath().extension() {
        Some("png") => Some(ExchangeFormat::Png.into()),
        Some("jpg" | "jpeg") => Some(ExchangeFormat::Jpg.into()),
        Some("gif") => Some(ExchangeFormat::Gif.into()),
        Some("webp") => Some(ExchangeFormat::Webp.into()),
        Some("svg" | "svgz") => Some(VectorFormat::Svg.into()),
        _ => ImageFormat::detect(octets),
    }
}

/// The id of a file at `chemin` (e.g. `/donnees.json`) in the build's virtual project.
pub fn id(chemin: &str) -> FileId {
    let vpath = VirtualPath::new(chemin).expect("chemin virtuel valide");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// Something a template asked for and did not get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refus {
    /// A file the build did not produce, by its virtual path (`/etc/passwd`).
    Fichier(String),
    /// A Typst package (`@preview/x:0.1.0`).
    Paquet(String),
}

/// A compilation's world: Typst sources and other files, all in memory.
pub struct Monde {
    principal: FileId,
    sources: HashMap<FileId, Source>,
    fichiers: HashMap<FileId, Bytes>,
    aujourdhui: Datetime,
    refus: Mutex<Vec<Refus>>,
}

impl Monde {
    /// A world whose main file is `principal`, among `sources` (virtual
    /// path, text), with `fichiers` (virtual path → bytes) and `aujourdhui`
    /// as today's date.
    pub fn new(
        principal: &str,
        sources: Vec<(String, String)>,
        fichiers: Vec<(String, Vec<u8>)>,
        aujourdhui: time::Date,
    ) -> Monde {
        let principal = id(principal);
        let sources: HashMap<FileId, Source> = sources
            .into_iter()
            .map(|(chemin, texte)| (id(&chemin), Source::new(id(&chemin), texte)))
            .collect();
        let fichiers = fichiers
            .into_iter()
            .map(|(chemin, octets)| (id(&chemin), Bytes::new(octets)))
            .collect();
        let aujourdhui = Datetime::from_ymd(
            aujourdhui.year(),
            aujourdhui.month() as u8,
            aujourdhui.day(),
        )
        .expect("date valide");
        Monde {
            principal,
            sources,
            fichiers,
            aujourdhui,
            refus: Mutex::new(Vec::new()),
        }
    }

    /// Decodes, ahead of Typst, what it would otherwise decode in the middle
    /// of the layout: the embedded fonts' index, then every raster image
    /// (the cover's picture, the texts' photos, PNG logos), then every SVG
    /// (the charts, SVG logos). Typst memoizes these decodings by their
    /// arguments (the bytes, the format, the fonts for an SVG), so when the
    /// layout reaches an image it finds it decoded; meant to run on the
    /// second core while Typst evaluates the template (a few milliseconds,
    /// the longest being a photo of 1 600 × 900 pixels, 4 ms).
    ///
    /// Nothing here can change a page: a decoding asked for with other
    /// arguments (a template that sets another font around its charts) is
    /// simply not found, and Typst decodes it itself; one that fails is
    /// left for Typst to report.
    pub fn prechauffer(&self) {
        let _ = polices().book();
        let mut images: Vec<(ImageFormat, &FileId, &Bytes)> = self
            .fichiers
            .iter()
            .filter_map(|(id, octets)| Some((format_d_image(id, octets)?, id, octets)))
            .collect();
        // Rasters first: they cost most, and the cover comes first.
        images.sort_by_key(|(format, id, _)| {
            let raster = matches!(format, ImageFormat::Raster(_));
            (!raster, id.vpath().get_with_slash().to_string())
        });
        for (format, id, octets) in images {
            match format {
                ImageFormat::Raster(format) => {
                    let _ = RasterImage::new(octets.clone(), format, Smart::Auto);
                }
                ImageFormat::Vector(VectorFormat::Svg) => {
                    let monde: &dyn World = self;
                    let _ = SvgImage::with_fonts_images(
                        octets.clone(),
                        monde.track(),
                        &FAMILLES_DU_TEXTE,
                        Some(*id),
                    );
                }
                _ => {}
            }
        }
    }

    /// What the templates asked for and were refused, in order, once each.
    pub fn refus(&self) -> Vec<Refus> {
        self.refus.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Records that `id` was asked for and is not served; gives Typst's error.
    fn refuser(&self, id: FileId) -> FileError {
        let refus = match id.root() {
            VirtualRoot::Package(paquet) => Refus::Paquet(paquet.to_string()),
            VirtualRoot::Project => Refus::Fichier(id.vpath().get_with_slash().to_string()),
        };
        if let Ok(mut liste) = self.refus.lock()
            && !liste.contains(&refus)
        {
            liste.push(refus);
        }
        FileError::AccessDenied
    }
}

impl World for Monde {
    fn library(&self) -> &LazyHash<Library> {
        bibliotheque()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        polices().book()
    }

    fn main(&self) -> FileId {
        self.principal
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if self.fichiers.contains_key(&id) => Err(FileError::NotSource),
            None => Err(self.refuser(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        self.fichiers
            .get(&id)
            .cloned()
            .ok_or_else(|| self.refuser(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        polices().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.aujourdhui)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_decodes_charts_with_the_only_font_the_templates_set() {
        // Every `font:` of the embedded templates: one, in commun.typ's
        // `set text`, so every image sees it.
        let gabarits = crate::document::Gabarits::integres();
        let polices: Vec<&str> = gabarits
            .iter()
            .flat_map(|g| {
                g.texte
                    .match_indices("font: \"")
                    .map(|(i, _)| &g.texte[i + 7..])
            })
            .map(|reste| &reste[..reste.find('"').unwrap()])
            .collect();
        assert_eq!(polices, ["Libertinus Serif"]);
        assert_eq!(FAMILLES_DU_TEXTE[0], polices[0].to_lowercase());
        // Typst's fallbacks follow the text's own families.
        assert_eq!(FAMILLES_DU_TEXTE[1], "libertinus serif");
    }

    #[test]
    fn an_image_s_format_is_read_from_its_extension_then_from_its_bytes() {
        let png = Bytes::new(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec());
        let svg = Bytes::new(b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_vec());
        let json = Bytes::new(b"{\"titre\": \"Rapport\"}".to_vec());
        let cas: [(&str, &Bytes, Option<ImageFormat>); 5] = [
            (
                "/images/couverture.jpg",
                &png,
                Some(ExchangeFormat::Jpg.into()),
            ),
            (
                "/graphiques/public.svg",
                &json,
                Some(VectorFormat::Svg.into()),
            ),
            // An extension Typst does not know (upper case): the bytes decide.
            ("/images/LOGO.PNG", &png, Some(ExchangeFormat::Png.into())),
            ("/images/logo", &svg, Some(VectorFormat::Svg.into())),
            ("/donnees.json", &json, None),
        ];
        for (chemin, octets, attendu) in cas {
            assert_eq!(format_d_image(&id(chemin), octets), attendu, "{chemin}");
        }
    }
}
