//! Printing diagnostics for people (colored, grouped by file) and for
//! machines (JSON, GitLab Code Quality, GitHub workflow annotations).

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use std::collections::HashMap;
use std::io::Write;

/// Text from content (file names, titles, values quoted in messages) shown
/// on a terminal: escape sequences and control characters are shown
/// escaped, never interpreted.
fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    crate::validate::terminal_safe(s)
}

/// How `fiches check` shows its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Gitlab,
    Github,
}

/// Findings for a person: location, code, message and hint, then a summary.
pub fn print_human(diags: &Diagnostics, out: &mut dyn Write, color: bool) {
    let (red, yellow, bold, dim, reset) = if color {
        ("\x1b[31;1m", "\x1b[33;1m", "\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    // Files with an error first, each file's findings together, the
    // order otherwise kept: in a merge request's CI log, the one broken
    // link must not sit below fifty warnings about sheets it did not touch.
    let has_error: std::collections::HashSet<&str> = diags
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.as_str())
        .collect();
    let mut order: Vec<&Diagnostic> = diags.items.iter().collect();
    order.sort_by_key(|d| !has_error.contains(d.file.as_str()));
    let mut last_file: Option<&str> = None;
    for d in order {
        if last_file != Some(d.file.as_str()) {
            if last_file.is_some() {
                let _ = writeln!(out);
            }
            if !d.file.is_empty() {
                let _ = writeln!(out, "{bold}{}{reset}", safe(&d.file));
            }
            last_file = Some(d.file.as_str());
        }
        let (c, word) = match d.severity {
            Severity::Error => (red, "erreur"),
            Severity::Warning => (yellow, "avertissement"),
        };
        let loc = safe(&d.location()).into_owned();
        let lines = match (d.line, d.end_line) {
            (Some(a), Some(b)) if b > a => format!(" (lignes {a} à {b})"),
            _ => String::new(),
        };
        let at = if loc.is_empty() {
            String::new()
        } else {
            format!("{loc}{lines}: ")
        };
        let _ = writeln!(out, "  {at}{c}{word}{reset}[{}]: {}", d.code, safe(&d.message));
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "    {dim}= aide :{reset} {}", safe(h));
        }
    }
}

/// « 1 erreur, 2 avertissements ».
pub fn summary_line(diags: &Diagnostics) -> String {
    let e = diags.errors();
    let w = diags.warnings();
    let plural = crate::i18n::count;
    format!(
        "{}, {}",
        plural(e, "erreur", "erreurs"),
        plural(w, "avertissement", "avertissements")
    )
}

/// Findings as JSON, for CI tools.
pub fn to_json(diags: &Diagnostics) -> String {
    serde_json::to_string_pretty(&diags.items).unwrap_or_else(|_| "[]".into())
}

/// GitLab Code Quality report: a JSON array of CodeClimate issues, shown in
/// the merge request widget. A finding about the whole site (no file) is
/// attached to `book.toml`, since the report needs a path.
pub fn to_gitlab(diags: &Diagnostics) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let items: Vec<serde_json::Value> = diags
        .items
        .iter()
        .map(|d| {
            let path = if d.file.is_empty() { crate::config::CONFIG_FILE.to_string() } else { d.file.clone() };
            let base = fingerprint(d);
            // The same finding twice in a file (one image without alt text
            // used twice) still needs two distinct fingerprints.
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fp = if *n == 1 { base } else { fingerprint_str(&format!("{base}#{n}")) };
            serde_json::json!({
                "type": "issue",
                "engine_name": "fiches",
                "check_name": d.code,
                "description": describe(d),
                "categories": [match d.code { "image-no-alt" | "duplicate-title" | "sheet-stale" => "Style", _ => "Bug Risk" }],
                "fingerprint": fp,
                "severity": match d.severity { Severity::Error => "major", Severity::Warning => "minor" },
                "location": { "path": path, "lines": { "begin": d.line.unwrap_or(1), "end": d.end_line.or(d.line).unwrap_or(1) } },
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn to_github(diags: &Diagnostics) -> String {
    // Workflow commands are read from the job's log: escape sequences are
    // neutralised there too.
    let esc = |s: &str| safe(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in &diags.items {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        // Without a file the annotation is shown on the workflow run itself.
        if !d.file.is_empty() {
            props.push(format!("file={}", prop(&d.file)));
        }
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

/// Stable across runs, machines and compiler versions (unlike std's
/// hasher), so that GitLab can tell new findings of a merge request from
/// those already on the target branch. The line is left out: adding a line
/// above a finding does not make it new.
fn fingerprint(d: &Diagnostic) -> String {
    fingerprint_str(&format!("{}\u{0}{}\u{0}{}", d.code, d.file, d.message))
}

/// FNV-1a, 128 bits, as 32 hex digits (the length of the MD5 that
/// CodeClimate tools usually give).
fn fingerprint_str(s: &str) -> String {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    format!("{h:032x}")
}
