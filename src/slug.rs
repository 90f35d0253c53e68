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
}
