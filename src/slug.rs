//! Readable ASCII slugs for URLs and heading anchors ("Étapes" → "etapes").

pub fn slugify(s: &str) -> String {
    // `n°2` reads "numéro 2": the degree sign is punctuation here, not "deg".
    let cleaned: String = s
        .chars()
        .map(|c| if matches!(c, '°' | 'º') { ' ' } else { c })
        .collect();
    let ascii = deunicode::deunicode(&cleaned).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A heading's anchor: its slug with emoji and symbols left out, as
/// GitHub and GitLab leave them out (`## 🚀 Démarrage` → `demarrage`, not
/// deunicode's `rocket-demarrage`), so that `#démarrage` and GitHub's
/// `#-démarrage` reach it. Letters, digits and combining accents (a
/// heading typed with decomposed ones) are kept. URLs keep `slugify`:
/// changing them would break printed QR codes.
pub fn heading_slug(s: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    let kept: String = s
        .chars()
        .map(|c| match c.is_ascii() || c.is_alphanumeric() || is_combining_mark(c) {
            true => c,
            false => ' ',
        })
        .collect();
    slugify(&kept)
}

/// Slugs each `/`-separated segment of an id: `eleves/Fiche élève n°2` →
/// `eleves/fiche-eleve-n-2`.
pub fn slugify_path(id: &str) -> String {
    id.split('/')
        .map(|seg| {
            let s = slugify(seg);
            if s.is_empty() {
                "page".to_string()
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn french_slugs() {
        assert_eq!(slugify("Étapes à suivre"), "etapes-a-suivre");
        assert_eq!(slugify("Si cela ne fonctionne pas ?"), "si-cela-ne-fonctionne-pas");
        assert_eq!(slugify_path("eleves/Fiche élève n°2"), "eleves/fiche-eleve-n-2");
        assert_eq!(slugify("Wi-Fi invité"), "wi-fi-invite");
    }

    #[test]
    fn heading_slugs_leave_emoji_out() {
        assert_eq!(heading_slug("🚀 Démarrage"), "demarrage");
        assert_eq!(heading_slug("-démarrage"), "demarrage");
        assert_eq!(heading_slug("Imprimer 🖨️ en A3 ✅"), "imprimer-en-a3");
        assert_eq!(heading_slug("E\u{301}tapes à suivre"), "etapes-a-suivre");
        assert_eq!(
            heading_slug("L’ENT « Pronote » : 2ᵉ étape"),
            slugify("L’ENT « Pronote » : 2ᵉ étape")
        );
    }
}
