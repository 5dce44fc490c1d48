//! The Typst `World` of a build: the template and the build's own files,
//! served from memory; embedded fonts; a fixed date; nothing else.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
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

/// The id of a file at `chemin` (e.g. `/donnees.json`) in the build's virtual project.
pub fn id(chemin: &str) -> FileId {
    let vpath = VirtualPath::new(chemin).expect("chemin virtuel valide");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// A compilation's world: Typst sources and other files, all in memory.
pub struct Monde {
    principal: FileId,
    sources: HashMap<FileId, Source>,
    fichiers: HashMap<FileId, Bytes>,
    aujourdhui: Datetime,
}

impl Monde {
    /// A world whose main file is the first of `sources` (virtual path, text),
    /// with `fichiers` (virtual path → bytes) and `aujourdhui` as today's date.
    pub fn new(
        sources: &[(&str, &str)],
        fichiers: Vec<(String, Vec<u8>)>,
        aujourdhui: time::Date,
    ) -> Monde {
        let principal = id(sources.first().map_or("/principal.typ", |s| s.0));
        let sources: HashMap<FileId, Source> = sources
            .iter()
            .map(|(chemin, texte)| (id(chemin), Source::new(id(chemin), texte.to_string())))
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
        }
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
            None => Err(FileError::NotFound(PathBuf::from(
                id.vpath().get_without_slash(),
            ))),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        self.fichiers
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.vpath().get_without_slash())))
    }

    fn font(&self, index: usize) -> Option<Font> {
        polices().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.aujourdhui)
    }
}
