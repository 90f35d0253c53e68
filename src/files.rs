//! Leaf helpers for reading the site's files: read, decode as UTF-8 and
//! report a problem as a `Diagnostic` naming the file (and the line of a
//! bad byte), plus the "did you mean" suggestion for misspelt names.
//! Every stage that reads a text file (config, load, theme) goes through
//! here, so the messages and codes are the same everywhere.

use crate::diagnostics::{io_error_fr, line_col, Diagnostic};
use std::path::Path;

/// Reads `path` as UTF-8 text; `shown` names it in a diagnostic (relative
/// to the site root). A read failure is `read-failed`, a bad byte `not-utf8`.
pub fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostic> {
    read_text_or(path, shown, |e| {
        Diagnostic::error("read-failed", shown, format!("lecture impossible : {}", io_error_fr(e)))
    })
}

/// As `read_text`, with the caller's diagnostic for a failed read (a
/// missing `book.toml` deserves its own code and hint).
pub fn read_text_or(
    path: &Path,
    shown: &str,
    on_error: impl FnOnce(&std::io::Error) -> Diagnostic,
) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| on_error(&e))?;
    decode_utf8(bytes, shown)
}

/// Checks that `bytes` are UTF-8 and names the line of the first bad byte.
pub fn decode_utf8(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let good = e.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, col) = line_col(prefix, good);
        Diagnostic::error(
            "not-utf8",
            file,
            format!(
                "le fichier n'est pas encodé en UTF-8 (octet invalide 0x{:02X})",
                bytes[good]
            ),
        )
        .at(line, Some(col))
        .hint("réenregistrez le fichier en UTF-8 (dans votre éditeur : « Enregistrer avec l'encodage » → UTF-8)")
    })
}

/// The known name closest to a misspelt one, if it is close enough to be a
/// typo: the "did you mean" of keys, anchors, categories and actions.
pub fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Writes a file the user asked for (`fiches new`, `fiches import`),
/// creating its folders. `create_new`: a file that exists, even one that
/// appeared since the caller checked, is never replaced.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("impossible de créer le dossier `{}` : {e}", parent.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("`{}` existe déjà : il n'a pas été modifié", path.display())
            }
            _ => format!("impossible de créer `{}` : {e}", path.display()),
        })?;
    f.write_all(bytes)
        .map_err(|e| format!("écriture impossible dans `{}` : {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_line_and_column_of_a_bad_byte() {
        let d = decode_utf8(b"ok\nab\xffc".to_vec(), "content/x.md").unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("not-utf8", Some(2), Some(3)));
        assert!(d.message.contains("0xFF"), "{}", d.message);
        assert_eq!(decode_utf8("é".as_bytes().to_vec(), "x").unwrap(), "é");
    }

    #[test]
    fn a_missing_file_is_read_failed() {
        let d = read_text(Path::new("/nonexistent/fiches/x.md"), "content/x.md").unwrap_err();
        assert_eq!((d.code, d.file.as_str()), ("read-failed", "content/x.md"));
        assert!(d.message.contains("introuvable"), "{}", d.message);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("titel", &["title", "description"]), Some("title"));
        assert_eq!(closest("zzz", &["title", "description"]), None);
    }
}
