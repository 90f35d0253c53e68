//! Printing diagnostics for people (colored, grouped by file) and for
//! machines (JSON, GitLab Code Quality, GitHub workflow annotations).

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Gitlab,
    Github,
}

pub fn print_human(diags: &Diagnostics, out: &mut dyn Write, color: bool) {
    let (red, yellow, bold, dim, reset) = if color { ("\x1b[31;1m", "\x1b[33;1m", "\x1b[1m", "\x1b[2m", "\x1b[0m") } else { ("", "", "", "", "") };
    let mut last_file: Option<&str> = None;
    for d in &diags.items {
        if last_file != Some(d.file.as_str()) {
            if last_file.is_some() {
                let _ = writeln!(out);
            }
            if !d.file.is_empty() {
                let _ = writeln!(out, "{bold}{}{reset}", d.file);
            }
            last_file = Some(d.file.as_str());
        }
        let (c, word) = match d.severity {
            Severity::Error => (red, "erreur"),
            Severity::Warning => (yellow, "avertissement"),
        };
        let loc = d.location();
        let lines = match (d.line, d.end_line) {
            (Some(a), Some(b)) if b > a => format!(" (lignes {a} à {b})"),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {loc}{lines}: {c}{word}{reset}[{}]: {}", d.code, d.message);
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "    {dim}= aide :{reset} {h}");
        }
    }
}

pub fn summary_line(diags: &Diagnostics) -> String {
    let e = diags.errors();
    let w = diags.warnings();
    let plural = |n: usize, one: &str, many: &str| if n > 1 { format!("{n} {many}") } else { format!("{n} {one}") };
    format!("{}, {}", plural(e, "erreur", "erreurs"), plural(w, "avertissement", "avertissements"))
}

pub fn to_json(diags: &Diagnostics) -> String {
    serde_json::to_string_pretty(&diags.items).unwrap_or_else(|_| "[]".into())
}

/// GitLab Code Quality report (a JSON array of CodeClimate issues).
pub fn to_gitlab(diags: &Diagnostics) -> String {
    let items: Vec<serde_json::Value> = diags
        .items
        .iter()
        .map(|d| {
            serde_json::json!({
                "description": describe(d),
                "check_name": d.code,
                "fingerprint": fingerprint(d),
                "severity": match d.severity { Severity::Error => "major", Severity::Warning => "minor" },
                "location": { "path": d.file, "lines": { "begin": d.line.unwrap_or(1) } },
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn to_github(diags: &Diagnostics) -> String {
    let esc = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in &diags.items {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = vec![format!("file={}", prop(&d.file))];
        if let Some(l) = d.line {
            props.push(format!("line={l}"));
        }
        if let Some(e) = d.end_line {
            props.push(format!("endLine={e}"));
        }
        if let Some(c) = d.column {
            props.push(format!("col={c}"));
        }
        props.push(format!("title={}", prop(d.code)));
        out.push_str(&format!("::{kind} {}::{}\n", props.join(","), esc(&describe(d))));
    }
    out
}

fn describe(d: &Diagnostic) -> String {
    match &d.hint {
        Some(h) => format!("{} (aide : {h})", d.message),
        None => d.message.clone(),
    }
}

fn fingerprint(d: &Diagnostic) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (d.code, &d.file, d.line, &d.message).hash(&mut h);
    format!("{:016x}", h.finish())
}
