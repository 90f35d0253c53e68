//! `book.toml`: the site configuration. Parsing is strict: an unknown key is
//! an error naming the key and its line, so that a typo in a pull request is
//! caught instead of silently ignored.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::tomlerr;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub book: Book,
    #[serde(default)]
    pub site: SiteConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub search: SearchConfig,
    pub support: Option<Support>,
    #[serde(default)]
    pub check: CheckConfig,
    pub accessibility: Option<Accessibility>,
    #[serde(default)]
    pub pool: Vec<Pool>,
    #[serde(default)]
    pub offline: OfflineConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
}

fn default_language() -> String {
    "fr".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// Path prefix (`/aide/`) or full URL (`https://clg.example.org/aide/`).
    #[serde(default = "default_base", deserialize_with = "crate::validate::base_url")]
    pub base_url: String,
    #[serde(default, deserialize_with = "crate::validate::opt_web_url")]
    pub repository: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::opt_web_url")]
    pub edit_url: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            base_url: default_base(),
            repository: None,
            edit_url: None,
        }
    }
}

fn default_base() -> String {
    "/".into()
}

impl SiteConfig {
    /// The base URL normalised to end with `/`; an absolute URL keeps its host.
    pub fn base(&self) -> String {
        let mut b = self.base_url.trim().to_string();
        if b.is_empty() {
            b.push('/');
        }
        if !b.starts_with('/') && !b.contains("://") {
            b.insert(0, '/');
        }
        if !b.ends_with('/') {
            b.push('/');
        }
        b
    }
    /// Whether the base URL names a host, so feeds and sitemap can be absolute.
    pub fn is_absolute(&self) -> bool {
        self.base_url.contains("://")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    #[serde(default = "default_output")]
    pub output_dir: String,
    #[serde(default = "default_theme")]
    pub theme: String,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output_dir: default_output(),
            theme: default_theme(),
        }
    }
}

fn default_output() -> String {
    "public".into()
}
fn default_theme() -> String {
    "default".into()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Support {
    #[serde(default, deserialize_with = "crate::validate::opt_email")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::opt_ticket_url")]
    pub ticket_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    #[serde(default = "default_stale")]
    pub stale_after_days: i64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            stale_after_days: default_stale(),
        }
    }
}

fn default_stale() -> i64 {
    540
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Accessibility {
    pub status: String,
    pub audited_on: Option<crate::date::Date>,
    #[serde(default, deserialize_with = "crate::validate::opt_email")]
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub path: PathBuf,
    pub label: Option<String>,
}

/// `[offline]`: the installable site and its service worker (`offline.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OfflineConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Cap on what the first visit downloads for offline use, in MiB.
    #[serde(default = "default_max_mb")]
    pub max_mb: f64,
    /// Name under the home-screen icon; by default the title up to a dash.
    pub short_name: Option<String>,
    /// Browser bar and splash colour; by default the theme's `--accent`.
    pub theme_color: Option<String>,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        OfflineConfig {
            enabled: true,
            max_mb: default_max_mb(),
            short_name: None,
            theme_color: None,
        }
    }
}

fn yes() -> bool {
    true
}
fn default_max_mb() -> f64 {
    5.0
}

pub const CONFIG_FILE: &str = "book.toml";

/// Reads and validates `book.toml` under `root`.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let mut diags = Diagnostics::default();
    let fence = crate::fence::Fence::site(root);
    if path.exists() && fence.check(&path).is_err() {
        diags.push(fence.outside(&path, CONFIG_FILE));
        return Err(diags);
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "config-missing",
                    CONFIG_FILE,
                    format!(
                        "impossible de lire le fichier de configuration : {}",
                        crate::diagnostics::io_error_fr(&e)
                    ),
                )
                .hint("lancez `fiches init` pour créer un site, ou indiquez le dossier du site avec `--root`"),
            );
            return Err(diags);
        }
    };
    let text = match crate::load::decode_utf8(&bytes, CONFIG_FILE) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    parse(&text)
}

/// Parses and validates the text of a `book.toml`.
pub fn parse(text: &str) -> Result<Config, Diagnostics> {
    let mut diags = Diagnostics::default();
    match toml::from_str::<Config>(text) {
        Ok(c) => {
            let mut c = c;
            validate(&mut c, text, &mut diags);
            if diags.has_errors() {
                Err(diags)
            } else {
                Ok(c)
            }
        }
        Err(e) => {
            diags.push(tomlerr::to_diagnostic(&e, CONFIG_FILE, text, 0, "book.toml"));
            Err(diags)
        }
    }
}

fn validate(c: &mut Config, text: &str, diags: &mut Diagnostics) {
    if c.book.title.trim().is_empty() {
        let line = find_key_line(text, "title");
        let mut d = Diagnostic::error(
            "config-empty-title",
            CONFIG_FILE,
            "le titre du site (`[book] title`) est vide",
        );
        if let Some(l) = line {
            d = d.at(l, None);
        }
        diags.push(d);
    }
    crate::offline::validate_config(&c.offline, text, diags);
    if crate::i18n::Strings::for_language(&c.book.language).is_none() {
        let mut d = Diagnostic::warning(
            "config-unknown-language",
            CONFIG_FILE,
            format!(
                "langue `{}` non prise en charge : l'interface sera en français",
                c.book.language
            ),
        );
        if let Some(l) = find_key_line(text, "language") {
            d = d.at(l, None);
        }
        diags.push(d);
    }
}

/// First line where `key =` appears: good enough to point at a semantic error
/// in a small configuration file.
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests;
