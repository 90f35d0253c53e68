//! fiches: a static site generator for the IT procedure sheets and the
//! peer-training notes (Apéro'TICE) of French schools.
//!
//! Data flows one way: `config` + `load` → `model` → `markdown` + `render`
//! → `index` → `output`, driven by `build`. Commands are thin layers over
//! that pipeline (see `main.rs`).

// Diagnostics travel on the error path only, where their size costs nothing;
// boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod archive;
pub mod build;
pub mod check;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod feeds;
pub mod fence;
pub mod files;
pub mod followup;
pub mod frontmatter;
pub mod html;
pub mod i18n;
pub mod import;
pub mod index;
pub mod load;
pub mod markdown;
pub mod model;
pub mod offline;
pub mod output;
pub mod publish;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod tomlerr;
pub mod validate;
