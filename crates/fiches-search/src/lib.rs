//! Full-text search for fiches: one French-aware analysis, a tantivy index
//! for the command line and a sharded, offline, file://-friendly index for
//! the browser (`themes/default/assets/search-engine.js`), both ranked by the same
//! engine (see [`engine`]).

// `browser::ranking_params` is one `json!` of every parameter the browser
// shares, past serde_json's default depth of 128.
#![recursion_limit = "256"]

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub mod analysis;
pub mod browser;
pub mod cli;
pub mod corpus;
pub mod engine;
pub mod lang;
pub mod live;
pub mod params;
pub mod relevance;
pub mod snippet;

pub use analysis::Analyzer;
pub use browser::{
    create_browser_dirs, process_cpu_seconds, write_browser_index, write_browser_index_with, BrowserIndexStats, PutFile,
};
pub use cli::{search_cli, CliIndex};
pub use live::{live_keys, Known, LiveFiles, LiveIndex, LiveUpdate};
pub use snippet::{MARK_END, MARK_START};

/// Around a link's text in [`SearchDoc::body`] (`[la fiche du copieur](…)`
/// is "\u{3}la fiche du copieur\u{4}"): search weighs that text as the
/// field `link`, less than the body, since it names the page the link
/// points to (`params::W`). Not shown: snippets drop the marks.
pub const LINK_START: char = '\u{3}';
pub const LINK_END: char = '\u{4}';

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A procedure sheet.
    Fiche,
    /// An Apéro'TICE session.
    Apero,
    /// An entry of the allowed-action list.
    Action,
    /// A training path (`content/parcours/`): its introduction, and the
    /// titles of its sheets as links' text.
    Parcours,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Fiche, Kind::Apero, Kind::Action, Kind::Parcours];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Fiche => "fiche",
            Kind::Apero => "apero",
            Kind::Action => "action",
            Kind::Parcours => "parcours",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Kind::Fiche => 0,
            Kind::Apero => 1,
            Kind::Action => 2,
            Kind::Parcours => 3,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Kind, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fiche" | "fiches" => Ok(Kind::Fiche),
            "apero" | "apéro" | "apero-tice" | "aperotice" => Ok(Kind::Apero),
            "action" | "actions" => Ok(Kind::Action),
            "parcours" | "path" | "paths" => Ok(Kind::Parcours),
            other => Err(Error::Invalid(format!(
                "unknown kind `{other}` (expected fiche, apero, action or parcours)"
            ))),
        }
    }
}

/// One searchable page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    /// Sheet id like "wifi/compte-invite"; sessions "apero/<file stem>";
    /// actions "action/<id>"; training paths "parcours/<file stem>".
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// Path relative to the site root, e.g. "fiches/wifi/compte-invite/index.html".
    pub url: String,
    /// Display title of the sheet's category ("" if none).
    pub category: String,
    /// e.g. ["enseignant", "referent"].
    pub audience: Vec<String>,
    pub tags: Vec<String>,
    pub summary: String,
    /// Visible prose of the page (headings, paragraphs, lists, tables), no
    /// HTML, no code; each link's text between [`LINK_START`] and [`LINK_END`].
    pub body: String,
    /// Text of the code blocks.
    pub code: String,
}

/// Search settings of a site.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchConfig {
    /// `book.language` ("fr"); unknown languages get a plain folding analyzer.
    pub language: String,
    /// `[search] synonyms`, added to the built-in list of the language.
    pub synonyms: Vec<Vec<String>>,
}

/// One result of [`search_cli`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub url: String,
    /// Plain text; matched words are wrapped in [`MARK_START`]..[`MARK_END`]
    /// (\u{1}..\u{2}).
    pub snippet: String,
    pub score: f32,
}

/// Errors of this crate.
#[derive(Debug)]
pub enum Error {
    /// A file or directory could not be read or written.
    Io { path: PathBuf, source: std::io::Error },
    /// The tantivy index failed.
    Index(tantivy::TantivyError),
    /// (De)serialization of the index metadata failed.
    Json(serde_json::Error),
    /// Invalid input (e.g. an unknown kind).
    Invalid(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "search index: {}: {}", path.display(), source),
            Error::Index(e) => write!(f, "search index: {e}"),
            Error::Json(e) => write!(f, "search index metadata: {e}"),
            Error::Invalid(m) => write!(f, "search: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Index(e) => Some(e),
            Error::Json(e) => Some(e),
            Error::Invalid(_) => None,
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}

/// 64-bit FNV-1a: stable across Rust versions and platforms (unlike
/// `DefaultHasher`), which the fingerprints and the cache-busting need.
#[derive(Clone)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub fn new() -> Self {
        Fnv(0xcbf29ce484222325)
    }
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
    }
    /// Length-prefixed, so that ("ab","c") and ("a","bc") differ.
    pub fn write_str(&mut self, s: &str) {
        self.write(&(s.len() as u64).to_le_bytes());
        self.write(s.as_bytes());
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Hash of everything the indexes are built from.
pub(crate) fn fingerprint(cfg: &SearchConfig, docs: &[SearchDoc]) -> u64 {
    // In ord order: the indexes do not depend on the order of `docs`.
    let hashes = corpus::doc_order(docs)
        .into_iter()
        .map(|i| doc_hash(&docs[i], text_hash(&docs[i].body, &docs[i].code)));
    fingerprint_of(cfg, docs.len(), hashes)
}

/// [`fingerprint`] from each document's [`doc_hash`], in ord order: what
/// `serve`'s [`LiveIndex`] computes without keeping the documents' text.
pub(crate) fn fingerprint_of(cfg: &SearchConfig, n: usize, hashes: impl Iterator<Item = u64>) -> u64 {
    let mut h = Fnv::new();
    h.write_str(env!("CARGO_PKG_VERSION"));
    h.write_str(cli::FORMAT);
    // Any change to the analysis or the statistics invalidates old indexes,
    // even without a version bump.
    for src in [
        include_str!("analysis.rs"),
        include_str!("lang.rs"),
        include_str!("corpus.rs"),
        include_str!("params.rs"),
        include_str!("cli.rs"),
    ] {
        h.write_str(src);
    }
    h.write_str(&cfg.language);
    for g in &cfg.synonyms {
        h.write(&(g.len() as u64).to_le_bytes());
        for s in g {
            h.write_str(s);
        }
    }
    h.write(&(n as u64).to_le_bytes());
    for d in hashes {
        h.write(&d.to_le_bytes());
    }
    h.finish()
}

/// A hash of a document's text (its body and code): `serve` keeps it in
/// place of the text, which it renders again only when needed.
pub fn text_hash(body: &str, code: &str) -> u64 {
    let mut h = Fnv::new();
    h.write_str(body);
    h.write_str(code);
    h.finish()
}

/// A hash of everything of a document, its text given by its [`text_hash`].
pub fn doc_hash(d: &SearchDoc, text: u64) -> u64 {
    let mut h = Fnv::new();
    for s in [&d.id, &d.title, &d.url, &d.category, &d.summary] {
        h.write_str(s);
    }
    h.write(&text.to_le_bytes());
    h.write_str(d.kind.as_str());
    for list in [&d.audience, &d.tags] {
        h.write(&(list.len() as u64).to_le_bytes());
        for s in list {
            h.write_str(s);
        }
    }
    h.finish()
}
