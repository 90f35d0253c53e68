//! Readable ASCII slugs for URLs and heading anchors ("Étapes" → "etapes").

pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_slug(&mut out, s);
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
    if s.is_ascii() {
        return slugify(s);
    }
    let kept: String = s
        .chars()
        .map(|c| match c.is_ascii() || c.is_alphanumeric() || is_combining_mark(c) {
            true => c,
            false => ' ',
        })
        .collect();
    slugify(&kept)
}

/// Appends the slug of `s` to `out`. One pass and no string of its own for
/// ASCII text (most ids, many headings): made with four strings per
/// segment, slugs were a quarter of the model phase at 50,000 sheets.
fn push_slug(out: &mut String, s: &str) {
    let start = out.len();
    let mut dash = false;
    let mut add = |b: u8, out: &mut String| {
        if b.is_ascii_alphanumeric() {
            out.push(b.to_ascii_lowercase() as char);
            dash = false;
        } else if !dash && out.len() > start {
            out.push('-');
            dash = true;
        }
    };
    if s.is_ascii() {
        s.bytes().for_each(|b| add(b, out));
    } else {
        // `n°2` reads "numéro 2": the degree sign is punctuation here, not "deg".
        let cleaned: String = s
            .chars()
            .map(|c| if matches!(c, '°' | 'º') { ' ' } else { c })
            .collect();
        // ASCII out: its bytes are its characters.
        deunicode::deunicode(&cleaned).bytes().for_each(|b| add(b, out));
    }
    while out.len() > start && out.ends_with('-') {
        out.pop();
    }
}

/// Slugs each `/`-separated segment of an id: `eleves/Fiche élève n°2` →
/// `eleves/fiche-eleve-n-2`; a segment with nothing left is `page`.
pub fn slugify_path(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    for (i, seg) in id.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let before = out.len();
        push_slug(&mut out, seg);
        if out.len() == before {
            out.push_str("page");
        }
    }
    out
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

    /// The slugs of session 17 (four strings per segment), for comparison.
    fn slugify_before(s: &str) -> String {
        let cleaned: String = s
            .chars()
            .map(|c| if matches!(c, '°' | 'º') { ' ' } else { c })
            .collect();
        let ascii = deunicode::deunicode(&cleaned).to_lowercase();
        let mut out = String::new();
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

    #[test]
    fn one_pass_slugs_are_the_slugs_of_before() {
        let cases = [
            "",
            "-",
            "--a--",
            "A_B.C",
            "Étapes à suivre",
            "n°2 N º3",
            "ÉCOLE   Œuvre",
            "Wi-Fi (invité) !",
            "élève/",
            "/x",
            "a//b",
            "ENT: 1er jour",
            "Ça marche ? Non…",
            "日本語 テスト",
            "emoji 🙂 ok",
            "\u{a0}espace\u{202f}fine",
            "ﬁchier",
            "ß straße",
            "İstanbul",
            "x\u{301}",
        ];
        for c in cases {
            assert_eq!(slugify(c), slugify_before(c), "{c:?}");
            let path: Vec<String> = c
                .split('/')
                .map(|seg| match slugify_before(seg) {
                    s if s.is_empty() => "page".to_string(),
                    s => s,
                })
                .collect();
            assert_eq!(slugify_path(c), path.join("/"), "{c:?}");
        }
    }
}
