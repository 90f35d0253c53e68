//! Turns TOML/serde errors into diagnostics in the site's words: the line in
//! the file (not in the front-matter block), a French message, and a
//! "did you mean" hint for misspelt keys.

use crate::diagnostics::{line_col, Diagnostic};

/// `line_offset` is the number of file lines before `text` starts (1 for a
/// front matter that follows a `+++` line). `what` names the block for
/// messages ("book.toml", "l'en-tête").
pub fn to_diagnostic(err: &toml::de::Error, file: &str, text: &str, line_offset: usize, what: &str) -> Diagnostic {
    let raw = err.message().trim().to_string();
    let span = err.span();
    let (code, message, hint) = explain(&raw, what);
    let mut d = Diagnostic::error(code, file, message);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    match span {
        // A missing field is reported by serde over the whole table: point at
        // the block instead of a misleading first line.
        Some(s) if code != "missing-field" => {
            let (l, c) = line_col(text, s.start);
            d.at(l + line_offset, Some(c))
        }
        _ => {
            let total = text.lines().count().max(1);
            d.lines(
                1 + line_offset.saturating_sub(1),
                total + line_offset + usize::from(line_offset > 0),
            )
        }
    }
}

fn explain(raw: &str, what: &str) -> (&'static str, String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let (key, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        let hint = closest(key, &expected)
            .map(|k| format!("vouliez-vous dire `{k}` ?"))
            .or_else(|| (!expected.is_empty()).then(|| format!("clés possibles : {}", expected.join(", "))));
        return ("unknown-key", format!("clé inconnue `{key}` dans {what}"), hint);
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return (
            "missing-field",
            format!("champ obligatoire `{key}` manquant dans {what}"),
            Some(format!("ajoutez une ligne `{key} = \"…\"`")),
        );
    }
    if raw.starts_with("invalid type") || raw.starts_with("invalid value") || raw.starts_with("unknown variant") {
        return ("invalid-value", format!("valeur invalide dans {what} : {raw}"), None);
    }
    if raw.starts_with("duplicate key") {
        return ("duplicate-key", format!("clé en double dans {what} : {raw}"), None);
    }
    (
        "toml-syntax",
        format!("erreur de syntaxe TOML dans {what} : {raw}"),
        None,
    )
}

/// The known name closest to a misspelt one, if it is close enough to be a typo.
pub fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
