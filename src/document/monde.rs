//! The Typst `World` of a build: the templates and the build's own files,
//! served from memory; embedded fonts; a fixed date; nothing else. It never
//! touches the file system nor the network: any other file, and any package,
//! is refused, and the refusal recorded so that the error can name it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

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
