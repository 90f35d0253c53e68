//! The theme: templates and assets embedded in the binary (so that one
//! executable is all a user needs), each overridable by a file of the same
//! name in the site's `themes/<name>/`.

use crate::diagnostics::Diagnostic;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// Asset path (under `assets/`) → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        collect(&DEFAULT, &mut templates, &mut assets);
        let defaults = templates.clone();
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
                } else if let Some(a) = rel.strip_prefix("assets/") {
                    let mut bytes = std::fs::read(&e.path).map_err(|err| read_error(&err))?;
                    if name == "default" && a == "search-engine.js" {
                        bytes = strip_js(&bytes);
                    }
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
        Ok(Theme { templates, assets })
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
        } else if rel == "assets/search-engine.js" {
            // Loaded by a first query: its weight counts (issue 14).
            assets.insert("search-engine.js".into(), strip_js(f.contents()));
        } else if let Some(a) = rel.strip_prefix("assets/") {
            assets.insert(a.to_string(), f.contents().to_vec());
        }
    }
    for d in dir.dirs() {
        collect(d, templates, assets);
    }
}

/// A script of the default theme without its comment lines and
/// indentation: a third lighter, same code. Only for files written for it:
/// no template literal or string spans lines, and a comment line starts
/// with `//`, or with `/*` and ends its block with `*/` at the end of a line.
fn strip_js(src: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(src);
    let mut out = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.lines() {
        let t = line.trim();
        if in_block {
            in_block = !t.ends_with("*/");
            continue;
        }
        if t.starts_with("//") || t.is_empty() {
            continue;
        }
        // A block comment alone on its line(s), not one before code.
        if t.starts_with("/*") && (t.ends_with("*/") || !t.contains("*/")) {
            in_block = !t.ends_with("*/") || t == "/*";
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out.into_bytes()
}

#[cfg(test)]
mod strip_tests {
    #[test]
    fn strip_js_drops_comment_lines_and_indentation_only() {
        let src = b"/* a\n * b */\n  // c\n  var a = 1; // d\n  /* e */ f();\n\n  var s = '/* g */';\n";
        let out = String::from_utf8(super::strip_js(src)).unwrap();
        assert_eq!(out, "var a = 1; // d\n/* e */ f();\nvar s = '/* g */';\n");
    }
}
