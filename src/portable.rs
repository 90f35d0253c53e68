//! Names that a USB key or a Windows PC cannot hold. Schools copy the
//! built site onto a FAT32 or exFAT key, or onto a Windows disk (NTFS),
//! and open it from there (`file://`): a published name those disks refuse
//! makes the copy stop or leave the file out, and two names that differ
//! only by case overwrite each other there. Page addresses are slugs
//! (`slug.rs`: ASCII letters, digits and `-`), so only a Windows device
//! name (`con`, `aux`…) reaches them; files published as they are named
//! (`static/`, images beside a sheet) can hold anything Linux allows.

use crate::validate::is_bidi;

/// What is wrong with one name (a file's or a folder's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// A character FAT, exFAT and NTFS refuse (`:`, `?`…) or a control one.
    Char(char),
    /// A trailing dot or space, which Windows drops: the copy is another name.
    Trailing(char),
    /// A Windows device name (`con`, `com1`…), with any extension.
    Device(String),
    /// A bidirectional control: the name reads otherwise than it is.
    Bidi(char),
}

/// Characters no FAT, exFAT or NTFS name may hold (`\` is Windows'
/// separator: a Linux name holding one becomes two folders there).
const FORBIDDEN: &[char] = &[':', '*', '?', '"', '<', '>', '|', '\\'];

/// Why Windows or a USB key cannot hold the name `seg`, if it cannot.
pub fn name_problem(seg: &str) -> Option<NameProblem> {
    if let Some(c) = seg.chars().find(|&c| is_bidi(c)) {
        return Some(NameProblem::Bidi(c));
    }
    if let Some(c) = seg.chars().find(|&c| c.is_control() || FORBIDDEN.contains(&c)) {
        return Some(NameProblem::Char(c));
    }
    if let Some(c) = seg.chars().last().filter(|&c| matches!(c, '.' | ' ')) {
        // `.` and `..` are no names of a published path.
        if seg != "." && seg != ".." {
            return Some(NameProblem::Trailing(c));
        }
    }
    if is_device(seg) {
        return Some(NameProblem::Device(seg.to_string()));
    }
    None
}

/// `con`, `CON.txt`, `nul.tar.gz`, `com1.png`: Windows reads these as a
/// device whatever the extension (the part before the first dot, trailing
/// spaces dropped) and the case.
pub fn is_device(seg: &str) -> bool {
    let stem = seg.split('.').next().unwrap_or(seg).trim_end_matches(' ');
    // Every page's folder is asked (50,000 at a time): most are longer.
    if !(3..=7).contains(&stem.len()) {
        return false;
    }
    let lower = stem.to_lowercase();
    match lower.as_str() {
        "con" | "prn" | "aux" | "nul" | "conin$" | "conout$" => true,
        _ => {
            let mut c = lower.chars();
            let head: String = c.by_ref().take(3).collect();
            let digit: String = c.collect();
            (head == "com" || head == "lpt")
                && matches!(
                    digit.as_str(),
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
        }
    }
}

/// The first name of the `/`-separated path `rel` that Windows or a USB key
/// cannot hold, with why: the path up to that name (a folder's, or `rel`),
/// the name, the problem.
pub fn path_problem(rel: &str) -> Option<(&str, &str, NameProblem)> {
    let mut start = 0;
    for seg in rel.split('/') {
        if let Some(p) = name_problem(seg) {
            return Some((&rel[..start + seg.len()], seg, p));
        }
        start += seg.len() + 1;
    }
    None
}

/// Why the name `name` cannot be copied, and how to fix it: the end of a
/// message « … ne peut pas être copié sur une clé USB ou un PC Windows : ».
pub fn why(name: &str, p: &NameProblem) -> (String, String) {
    let safe = |s: &str| s.escape_debug().to_string();
    match p {
        NameProblem::Char(c) if c.is_control() => (
            format!(
                "son nom `{}` contient un caractère de contrôle ({})",
                safe(name),
                c.escape_unicode()
            ),
            "renommez-le sans ce caractère (souvent un retour à la ligne collé avec le nom)".to_string(),
        ),
        NameProblem::Char(c) => (
            format!("son nom `{}` contient `{c}`, que Windows et les clés USB refusent", safe(name)),
            format!(
                "renommez-le sans `{c}` (ni aucun de `: * ? \" < > | \\`), par exemple `{}`, et mettez à jour les liens qui y mènent",
                safe(&suggest(name))
            ),
        ),
        NameProblem::Trailing(c) => (
            format!(
                "son nom `{}` finit par un {}, que Windows retire : la copie porterait un autre nom que celui des liens",
                safe(name),
                if *c == '.' { "point" } else { "espace" }
            ),
            format!(
                "renommez-le `{}`, et mettez à jour les liens qui y mènent",
                safe(name.trim_end_matches(['.', ' ']))
            ),
        ),
        NameProblem::Device(d) => (
            format!(
                "`{}` est un nom que Windows réserve à un périphérique (comme `con`, `aux`, `nul`, `com1`, `lpt1`), quelles que soient l'extension et les majuscules",
                safe(d.split('.').next().unwrap_or(d))
            ),
            "renommez-le (par exemple `console`, `auxiliaire`), et mettez à jour les liens qui y mènent".to_string(),
        ),
        NameProblem::Bidi(c) => (
            format!(
                "son nom contient un caractère invisible qui inverse le sens d'écriture ({}) : il se lit autrement qu'il n'est (un `.exe` peut s'afficher `.png`)",
                c.escape_unicode()
            ),
            "renommez-le sans ce caractère".to_string(),
        ),
    }
}

/// The message and hint for the published path `shown`, whose part `name`
/// Windows or a USB key cannot hold.
pub fn describe(shown: &str, name: &str, p: &NameProblem) -> (String, String) {
    let (why, hint) = why(name, p);
    (
        format!(
            "`{}` ne peut pas être copié sur une clé USB ou un PC Windows : {why}",
            shown.escape_debug()
        ),
        hint,
    )
}

/// `name` with the refused characters replaced by `-`, as a suggestion.
fn suggest(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if FORBIDDEN.contains(&c) || c.is_control() || is_bidi(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    s.trim_end_matches(['.', ' ']).to_string()
}

/// The longest published path (in UTF-16 units, as Windows counts) that
/// still fits the 260 of Windows' Explorer and zip extraction once copied
/// into a folder: 60 are left for `C:\Users\prenom.nom\Bureau\aide\` or
/// `E:\aide-numerique\`.
pub const LONGEST_PATH: usize = 200;

/// The shortest part of the published path `rel` (up to the end of one of
/// its names) longer than `LONGEST_PATH`, if `rel` is: a folder whose path
/// is too long already is said once, not for each file in it.
pub fn too_long(rel: &str) -> Option<&str> {
    // ASCII (every page's address): bytes are UTF-16 units.
    if rel.len() <= LONGEST_PATH || (!rel.is_ascii() && rel.encode_utf16().count() <= LONGEST_PATH) {
        return None;
    }
    let mut units = 0;
    let mut end = 0;
    for (i, seg) in rel.split('/').enumerate() {
        units += seg.encode_utf16().count() + usize::from(i > 0);
        end += seg.len() + usize::from(i > 0);
        if units > LONGEST_PATH {
            return Some(&rel[..end]);
        }
    }
    None
}

/// The message and hint of `path-too-long` for `shown` (what the author
/// sees: a file, or a page's address), published at `published`.
pub fn too_long_message(shown: &str, published: &str) -> (String, String) {
    (
        format!(
            "`{}` serait publié à `{}`, {} caractères : copié dans un dossier d'un PC Windows ou d'une clé USB, son chemin dépasserait les 260 caractères que l'Explorateur et l'extraction d'un zip de Windows acceptent",
            shown.escape_debug(),
            published.escape_debug(),
            published.encode_utf16().count()
        ),
        format!("raccourcissez les noms de ce chemin (fichier et dossiers) : {LONGEST_PATH} caractères au plus"),
    )
}

/// The key under which two names are one on a disk that ignores case
/// (FAT, exFAT, NTFS as Windows uses it). The Unicode form of an accent is
/// not folded: those disks keep `é` composed and decomposed apart (a Mac's
/// does not, but the site is not copied there to be opened).
pub fn fold(path: &str) -> String {
    path.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_refuses() {
        for bad in [
            "a:b.png",
            "quoi?.pdf",
            "x*y",
            "\"a\".png",
            "a<b>",
            "a|b",
            "a\\b.png",
            "ligne\n.png",
            "tab\t.png",
            "fin.",
            "fin ",
            "con",
            "CON.png",
            "Nul.tar.gz",
            "aux .txt",
            "com1.png",
            "LPT9",
            "com²",
            "gnp.\u{202e}exe",
            "a\u{2066}b",
        ] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        for ok in [
            "capture.png",
            "Capture d'écran 2025-09-12 à 10.30.png",
            "console.png",
            "com.png",
            "com10",
            "lpt0",
            "auxiliaire.pdf",
            "connexion",
            "élève.png",
            ".htaccess",
            "nul-part.png",
            "🚀.png",
        ] {
            assert_eq!(name_problem(ok), None, "{ok:?}");
        }
        assert_eq!(
            path_problem("images/con/x.png").map(|p| (p.0, p.1)),
            Some(("images/con", "con"))
        );
        assert_eq!(path_problem("a/b:c.png").map(|p| p.0), Some("a/b:c.png"));
        assert_eq!(suggest("a:b?.png"), "a-b-.png");
    }

    #[test]
    fn paths_too_long_for_windows_are_cut_at_the_name_that_crosses() {
        let long = "x".repeat(190);
        assert_eq!(too_long(&format!("fiches/{long}")), None);
        let page = format!("fiches/{long}/index.html");
        assert_eq!(too_long(&page), Some(page.as_str()));
        let deep = format!("fiches/{long}/{long}/a/index.html");
        assert_eq!(too_long(&deep), Some(&deep[..7 + 190 + 1 + 190]));
        // Counted as Windows counts: `é` is one unit, two bytes.
        assert_eq!(too_long(&"é".repeat(150)), None);
    }
}
