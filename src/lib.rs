//! `rapport`: from an association's CSV activity exports to its annual
//! activity report.
//!
//! The pipeline, one module per stage:
//! exports (CSV → validated tables) → model (`rapport.toml`) → figures
//! (polars lazy queries) → charts (plotters SVG) and texts (Tera, Markdown)
//! → document (Typst, in-process; or web, one HTML page) → output (PDF,
//! HTML, SVG, CSV, written atomically).

pub mod assemblage;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod comparaison;
pub mod console;
pub mod controle;
pub mod document;
pub mod error;
pub mod exports;
pub mod extraits;
pub mod figures;
pub mod fr;
pub mod journal;
pub mod model;
pub mod output;
pub mod projet;
pub mod publication;
pub mod suivi;
pub mod texts;
pub mod web;
