//! fiches: a static site generator for the IT procedure sheets and the
//! peer-training notes (Apéro'TICE) of French schools.
//!
//! Data flows one way: `config` + `load` → `model` → `markdown` + `render`
//! → `index` → `output`, driven by `build`. Commands are thin layers over
//! that pipeline (see `main.rs`).
//!
//! Public: what the command line and the tests call (`build`, `check`,
//! `serve`, `import`, `index`, `scaffold`, `archive`), the configuration
//! and diagnostics, and the parsers the fuzz tests drive (`frontmatter`,
//! `markdown`, `tomlerr`). The stages in between are `pub(crate)`. Leaf
//! modules, which import no other stage: `files` (read, decode, "did you
//! mean"), `html` (escaping and site paths), `ics` (iCalendar text), `diagnostics`, `slug`, `date`.

// Diagnostics travel on the error path only, where their size costs nothing;
// boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod archive;
pub mod build;
pub mod check;
pub mod config;
pub(crate) mod date;
pub mod diagnostics;
pub(crate) mod feeds;
pub(crate) mod fence;
pub(crate) mod files;
pub(crate) mod followup;
pub mod frontmatter;
pub(crate) mod html;
pub mod i18n;
pub(crate) mod ics;
pub mod import;
pub mod index;
pub(crate) mod load;
pub mod markdown;
pub(crate) mod model;
pub(crate) mod offline;
pub(crate) mod output;
pub mod pages;
pub(crate) mod portable;
pub(crate) mod publish;
pub(crate) mod redirect;
pub(crate) mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub(crate) mod slug;
pub(crate) mod theme;
pub mod tomlerr;
pub(crate) mod validate;

pub use build::{build, prepare, BuildOutcome, Options, Prepared, WriteOptions};
pub use config::{BaseUrl, Config};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
