//! The theme: templates and assets embedded in the binary (so that one
//! executable is all a user needs), each overridable by a file of the same
//! name in the site's `themes/<name>/`.

use crate::diagnostics::Diagnostic;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    /// `[build] theme`: its files are `themes/<name>/…` in messages.
    pub name: String,
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// The templates the site's `themes/<name>/templates/` gives (the
    /// others are the embedded defaults): an error names their file.
    pub own: std::collections::BTreeSet<String>,
    /// Asset path (under `assets/`) → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        collect(&DEFAULT, &mut templates, &mut assets);
        let defaults = templates.clone();
        let mut own = std::collections::BTreeSet::new();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            // `theme = "/srv/x"` or `"../../x"` would publish another folder's
            // files: the theme, links resolved, must lie inside the site.
            let fence = crate::fence::Fence::site(root);
            let shown = |p: &Path| {
                crate::diagnostics::rel_string(&Path::new("themes").join(name).join(p.strip_prefix(&dir).unwrap_or(p)))
            };
            if fence.check(&dir).is_err() {
                return Err(Diagnostic::error(
                    "theme-outside",
                    crate::config::CONFIG_FILE,
                    format!(
                        "le thème `{name}` désigne `{}`, hors du dossier du site : ses fichiers ne peuvent pas être publiés",
                        crate::diagnostics::rel_string(&crate::fence::real(&dir))
                    ),
                )
                .hint("copiez le thème dans `themes/<nom>/` du site et écrivez `theme = \"<nom>\"`"));
            }
            let mut problems = Vec::new();
            let files = crate::fence::walk(&dir, &fence, &shown, &mut problems);
            if let Some(p) = problems.into_iter().next() {
                return Err(p);
            }
            for e in files.into_iter().filter(|e| e.is_file) {
                let rel = crate::diagnostics::rel_string(e.path.strip_prefix(&dir).unwrap_or(&e.path));
                let shown = format!("themes/{name}/{rel}");
                let read_error = |err: &std::io::Error| {
                    Diagnostic::error(
                        "theme-read",
                        &shown,
                        format!("lecture impossible : {}", crate::diagnostics::io_error_fr(err)),
                    )
                };
                if let Some(t) = rel.strip_prefix("templates/") {
                    let text = crate::files::read_text_or(&e.path, &shown, read_error)?;
                    templates.insert(t.to_string(), text);
                    own.insert(t.to_string());
                } else if let Some(a) = rel.strip_prefix("assets/") {
                    // A site's own files are published as written; a copy
                    // of the theme's own script (the repository's demo site
                    // is its own `themes/default/`) ships as that script.
                    let bytes = std::fs::read(&e.path).map_err(|err| read_error(&err))?;
                    let own = DEFAULT.get_file(format!("assets/{a}")).map(|f| f.contents());
                    let bytes = if a.ends_with(".js") && own == Some(&bytes[..]) {
                        minify_js(a, &bytes)
                    } else {
                        bytes
                    };
                    assets.insert(a.to_string(), bytes);
                }
            }
        } else if name != "default" {
            return Err(Diagnostic::error(
                "theme-missing",
                crate::config::CONFIG_FILE,
                format!("le thème `{name}` est introuvable : le dossier `themes/{name}/` n'existe pas"),
            )
            .hint("utilisez `theme = \"default\"` ou créez `themes/<nom>/templates/` avec les gabarits à remplacer"));
        }
        // The embedded defaults stay reachable as `default/<name>`, so that a
        // site's template can `{% extends "default/base.html" %}` and
        // override one block instead of copying the whole file.
        templates.extend(defaults.into_iter().map(|(k, v)| (format!("default/{k}"), v)));
        Ok(Theme {
            name: name.to_string(),
            templates,
            own,
            assets,
        })
    }

    /// The `--accent` colour of the theme's style sheet: the browser bar's
    /// colour unless `[offline] theme-color` says otherwise.
    pub fn accent(&self) -> String {
        let css = self
            .assets
            .get("style.css")
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        css.split("--accent:")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .map(|v| v.trim().to_string())
            .filter(|v| crate::validate::is_hex_color(v))
            .unwrap_or_else(|| "#000091".into())
    }
}

fn collect(dir: &Dir<'static>, templates: &mut BTreeMap<String, String>, assets: &mut BTreeMap<String, Vec<u8>>) {
    for f in dir.files() {
        let rel = crate::diagnostics::rel_string(f.path());
        if let Some(t) = rel.strip_prefix("templates/") {
            templates.insert(t.to_string(), String::from_utf8_lossy(f.contents()).into_owned());
        } else if let Some(a) = rel.strip_prefix("assets/").filter(|a| a.ends_with(".js")) {
            // The search engine is loaded by a first query and search.js
            // by every page: their weight counts (issue 14).
            assets.insert(a.to_string(), minify_js(a, f.contents()));
        } else if let Some(a) = rel.strip_prefix("assets/") {
            assets.insert(a.to_string(), f.contents().to_vec());
        }
    }
    for d in dir.dirs() {
        collect(d, templates, assets);
    }
}

// `MINIFIED`: the default theme's scripts as build.rs minified them.
include!(concat!(env!("OUT_DIR"), "/minified.rs"));

/// A script of the default theme, minified at compile time (comments and
/// spaces gone, local names renamed, `/*!` licence comments kept): `src` is
/// the script as written, returned as it is if build.rs did not minify it.
fn minify_js(name: &str, src: &[u8]) -> Vec<u8> {
    match MINIFIED.iter().find(|(n, _)| *n == name) {
        Some((_, min)) => min.to_vec(),
        None => src.to_vec(),
    }
}

#[cfg(test)]
mod minify_tests {
    #[test]
    fn the_default_scripts_ship_minified_with_their_licence() {
        let theme = super::Theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
        for name in [
            "search-engine.js",
            "search-fuzzy.js",
            "search-inflate.js",
            "search.js",
            "site.js",
        ] {
            let src = super::DEFAULT.get_file(format!("assets/{name}")).unwrap().contents();
            let out = String::from_utf8(theme.assets[name].clone()).unwrap();
            // Comments and indentation gone: well under three quarters.
            assert!(
                out.len() * 4 < src.len() * 3,
                "{name}: {} of {} bytes",
                out.len(),
                src.len()
            );
            assert!(!out.contains("\n  "), "{name} keeps its indentation");
        }
        // The vendored inflater's MIT notice stays (a `/*!` comment), in the
        // fallback the engine loads only without a native inflater.
        assert!(String::from_utf8_lossy(&theme.assets["search-inflate.js"]).contains("Devon Govett"));
        // And the QR code generator's (lean-qr, in site.js).
        assert!(String::from_utf8_lossy(&theme.assets["site.js"]).contains("/*! lean-qr 2.7.4, MIT License"));
    }
}

#[cfg(test)]
mod strings_tests {
    /// The default templates say nothing of their own: every word a reader
    /// sees comes from the strings table (`t.…`, src/i18n.rs), so that a
    /// language is one table. The accessibility statement is a legal text
    /// (RGAA's model), written whole in its template.
    #[test]
    fn the_default_templates_take_their_words_from_the_strings_table() {
        let strip = |s: &str, re: &str| regex::Regex::new(re).unwrap().replace_all(s, " ").into_owned();
        let word = regex::Regex::new(r"[\p{L}'’]{3,}").unwrap();
        let mut found = Vec::new();
        for f in super::DEFAULT.get_dir("templates").unwrap().files() {
            let name = f.path().file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".html") || name == "accessibilite.html" {
                continue;
            }
            let mut s = String::from_utf8_lossy(f.contents()).into_owned();
            // Code (a command, a key of book.toml) and the body's classes
            // are no French.
            for re in [
                r"(?s)\{% block body_class %\}.*?\{% endblock body_class %\}",
                r"(?s)\{#.*?#\}",
                r"(?s)\{%.*?%\}",
                r"(?s)\{\{.*?\}\}",
                r"(?s)<code>.*?</code>",
                r"(?s)<[^>]*>",
            ] {
                s = strip(&s, re);
            }
            let words: Vec<&str> = word.find_iter(&s).map(|m| m.as_str()).collect();
            if !words.is_empty() {
                found.push(format!("{name}: {}", words.join(" ")));
            }
        }
        assert!(found.is_empty(), "words written in templates:\n{}", found.join("\n"));
    }
}
