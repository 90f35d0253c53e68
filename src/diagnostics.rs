//! Findings about a site: errors and warnings with a stable code, the file
//! (relative to the site root), line and column. Every stage reports into a
//! `Diagnostics` list so that one run shows all problems at once.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// An error fails the build; a warning is shown and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about the site.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable identifier, e.g. `front-matter-unknown-key`, for CI tooling.
    pub code: &'static str,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line in `file`, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Last line of the span when the finding covers several lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    /// What is wrong, in French.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error of `code` in `file` (relative to the site root).
    pub fn error(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: rel_string(file.as_ref()),
            line: None,
            column: None,
            end_line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning of `code` in `file`.
    pub fn warning(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// At `line` (and `column`).
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Over the lines `start` to `end`.
    pub fn lines(mut self, start: usize, end: usize) -> Self {
        self.line = Some(start);
        self.end_line = Some(end);
        self
    }

    /// With a hint on how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.file, l, c),
            (Some(l), None) => format!("{}:{}", self.file, l),
            _ => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
        };
        // Shown on terminals: content's control characters stay inert.
        let safe = crate::validate::terminal_safe;
        write!(
            f,
            "{}: {sev}[{}]: {}",
            safe(&self.location()),
            self.code,
            safe(&self.message)
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = aide : {}", safe(h))?;
        }
        Ok(())
    }
}

/// Path with forward slashes, as shown to users and in reports.
pub fn rel_string(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The findings of a run, in the order found (`sort` for reports).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    /// Errors and warnings together.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    /// Adds several findings.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    /// How many errors.
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }
    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }
    /// Stable order: by file, then line, so reports diff well between runs.
    pub fn sort(&mut self) {
        // File names in the order a person numbers them: `casse-2.md`
        // before `casse-10.md` (as a file manager shows them).
        self.items.sort_by(|a, b| {
            natural_cmp(&a.file, &b.file).then_with(|| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)))
        });
        self.items
            .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.code == b.code && a.message == b.message);
    }
}

/// Compares two texts with their runs of ASCII digits taken as numbers
/// (`2` < `10`, `07` = `7` first, then as written), the rest as `str`
/// does. A total order: texts equal this way fall back to plain order, so
/// that `a01` and `a1` stay distinct and in a stable order.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < x.len() && x[i].is_ascii_digit() {
                i += 1;
            }
            while j < y.len() && y[j].is_ascii_digit() {
                j += 1;
            }
            // Leading zeros say nothing of the number's size.
            let strip = |d: &[u8]| {
                let k = d.iter().take_while(|&&c| c == b'0').count();
                d[k..].to_vec()
            };
            let (n, m) = (strip(&x[si..i]), strip(&y[sj..j]));
            let o = n.len().cmp(&m.len()).then_with(|| n.cmp(&m));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            // Byte order outside digits is `str`'s order (UTF-8 keeps it).
            if x[i] != y[j] {
                return x[i].cmp(&y[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| a.cmp(b))
}

/// A list of one finding: stages that stop at their first problem return
/// it with `?` (or `.map_err(Diagnostics::from)`) where a list is expected.
impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|s| s.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// `line_col` for many offsets of one text, mostly in increasing order (the
/// links and headings of a page): counts from the last offset asked, not
/// from the start, so that a page of N links costs O(size), not O(N × size)
/// (100,000 links on one line: 15 s before).
pub struct LineCursor<'a> {
    text: &'a str,
    /// Last (offset, line, column) given.
    at: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCursor {
            text,
            at: std::cell::Cell::new((0, 1, 1)),
        }
    }

    /// The same as `line_col(text, offset)`.
    pub fn get(&self, offset: usize) -> (usize, usize) {
        let off = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (from, mut line, mut col) = match self.at.get() {
            (o, l, c) if o <= off => (o, l, c),
            _ => (0, 1, 1),
        };
        let part = &self.text[from..off];
        match part.rfind('\n') {
            Some(last) => {
                line += part.matches('\n').count();
                col = part[last + 1..].chars().count() + 1;
            }
            None => col += part.chars().count(),
        }
        self.at.set((off, line, col));
        (line, col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A path as shown to users (`/` separators) back to a `PathBuf`.
pub fn to_path(s: &str) -> PathBuf {
    PathBuf::from(s)
}

/// A system error in French (the standard library's are in English and
/// end with `(os error 2)`), for messages about a file.
pub fn io_error_fr(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "fichier ou dossier introuvable".into(),
        K::PermissionDenied => "accès refusé (droits insuffisants)".into(),
        K::IsADirectory => "c'est un dossier, pas un fichier".into(),
        K::NotADirectory => "un élément du chemin n'est pas un dossier".into(),
        K::InvalidData => "contenu illisible".into(),
        K::StorageFull => "disque plein".into(),
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule".into(),
        _ => match e.raw_os_error() {
            Some(n) => format!("erreur système {n} ({})", e.kind()),
            None => e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{line_col, natural_cmp, LineCursor};
    use std::cmp::Ordering::*;

    #[test]
    fn numbers_in_names_compare_as_numbers() {
        assert_eq!(natural_cmp("casse-2.md", "casse-10.md"), Less);
        assert_eq!(natural_cmp("casse-10.md", "casse-9.md"), Greater);
        assert_eq!(natural_cmp("a/9/x.md", "a/10/x.md"), Less);
        assert_eq!(natural_cmp("v1.2.md", "v1.10.md"), Less);
        // Same number, other zeros: distinct, in a fixed order.
        assert_eq!(natural_cmp("a01", "a1"), Less);
        assert_eq!(natural_cmp("a1", "a01"), Greater);
        assert_eq!(natural_cmp("a", "a1"), Less);
        assert_eq!(natural_cmp("", "a"), Less);
        assert_eq!(natural_cmp("é2", "é10"), Less);
        assert_eq!(natural_cmp("b", "a10"), Greater);
        // Longer than any integer type.
        assert_eq!(
            natural_cmp("x99999999999999999999999", "x100000000000000000000000"),
            Less
        );
        // A total order: sorting any mix gives one result whatever the start.
        let mut v = vec!["a10", "a2", "a02", "a", "b1", "a2b", "a1"];
        let mut w = v.clone();
        w.reverse();
        v.sort_by(|a, b| natural_cmp(a, b));
        w.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, w);
        assert_eq!(v, ["a", "a1", "a02", "a2", "a2b", "a10", "b1"]);
    }

    #[test]
    fn the_cursor_gives_what_line_col_gives_in_any_order() {
        let text = "ab\nçé\n\n[x](y) ü\r\nfin";
        let c = LineCursor::new(text);
        // Forward, backward, repeated, inside a character, past the end.
        for off in [0, 1, 3, 4, 5, 2, 9, 9, 12, 7, 20, 0, 15] {
            assert_eq!(c.get(off), line_col(text, off), "offset {off}");
        }
    }
}
