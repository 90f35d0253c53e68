//! Values of `book.toml` and front matters that end up in links, feeds and
//! calendars: checked while the TOML is read, so that an error carries the
//! value's file, line and column (see `tomlerr`), and nothing that a browser,
//! a feed reader or a calendar would misread reaches the output.

use serde::de::{Deserialize, Deserializer, Error};

/// Start of the messages of a refused address; `tomlerr` gives them the
/// `invalid-url` code.
pub const URL_ERROR: &str = "adresse invalide";
/// Start of the messages of a refused time; `tomlerr` gives them the
/// `invalid-time` code.
pub const TIME_ERROR: &str = "heure invalide";
/// Start of the messages of a refused host name (`invalid-value`).
pub const HOST_ERROR: &str = "nom de serveur invalide";
/// Start of the messages of a refused email address (`invalid-email`).
pub const EMAIL_ERROR: &str = "adresse électronique invalide";

/// Characters no address may hold: controls (a CR/LF would start a new
/// line of an `.ics`), spaces, and what HTML or a feed would cut it at.
fn bad_char(c: char) -> bool {
    c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\' | '`') || is_bidi(c)
}

/// Bidirectional controls, which make a text read differently from what it is.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn shown(s: &str) -> String {
    s.escape_debug().to_string()
}

/// An absolute web address: `http://` or `https://`, a host, no control
/// character or space. `extra` schemes (`mailto`) are accepted too.
pub fn check_web_url(s: &str, extra: &[&str]) -> Result<(), String> {
    let schemes: Vec<&str> = ["http", "https"].iter().chain(extra).copied().collect();
    let list = schemes.iter().map(|s| format!("`{s}:`")).collect::<Vec<_>>().join(", ");
    if let Some(c) = s.chars().find(|c| bad_char(*c)) {
        return Err(format!(
            "{URL_ERROR} `{}` : caractère interdit {} (une adresse ne contient ni espace ni caractère de contrôle)",
            shown(s),
            c.escape_unicode()
        ));
    }
    let scheme = s.split_once(':').map(|(a, _)| a.to_ascii_lowercase());
    match scheme {
        Some(sc) if schemes.contains(&sc.as_str()) => {
            let rest = &s[sc.len() + 1..];
            if sc.starts_with("http") {
                let host = rest
                    .strip_prefix("//")
                    .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
                if host.is_none_or(|h| h.is_empty()) {
                    return Err(format!(
                        "{URL_ERROR} `{}` : il manque le nom du serveur (`https://serveur/…`)",
                        shown(s)
                    ));
                }
            } else if rest.is_empty() {
                return Err(format!("{URL_ERROR} `{}` : l'adresse est incomplète", shown(s)));
            }
            Ok(())
        }
        _ => Err(format!("{URL_ERROR} `{}` : elle doit commencer par {list}", shown(s))),
    }
}

/// `base-url`: a path (`/aide/`) or an absolute `http(s)://` address.
pub fn check_base_url(s: &str) -> Result<(), String> {
    let t = s.trim();
    if t.contains(':') && !t.starts_with('/') {
        return check_web_url(t, &[]);
    }
    if let Some(c) = t.chars().find(|c| bad_char(*c) || matches!(c, '?' | '#')) {
        return Err(format!(
            "{URL_ERROR} `{}` : caractère interdit {} dans un chemin de publication",
            shown(s),
            c.escape_unicode()
        ));
    }
    if t.starts_with("//") {
        return Err(format!(
            "{URL_ERROR} `{}` : un chemin commence par un seul `/` (ou donnez l'adresse complète `https://…`)",
            shown(s)
        ));
    }
    Ok(())
}

/// An email address as used in a `mailto:` link: one `@`, and nothing that
/// would add headers to the message (`?`, `&`) or break the link.
pub fn check_email(s: &str) -> Result<(), String> {
    let ok = s.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && !host.is_empty()
            && !host.contains('@')
            && !s
                .chars()
                .any(|c| bad_char(c) || matches!(c, '?' | '&' | '#' | '/' | ':' | ',' | ';'))
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{EMAIL_ERROR} `{}` : attendu une adresse de la forme `nom@domaine`",
            shown(s)
        ))
    }
}

/// A session time: `HH:MM` on 24 hours (`9:30`, `14:00`).
pub fn check_time(s: &str) -> Result<(), String> {
    let t = s.trim();
    let valid = t.split_once(':').is_some_and(|(h, m)| {
        (1..=2).contains(&h.len())
            && m.len() == 2
            && h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
            && h.parse::<u32>().is_ok_and(|h| h < 24)
            && m.parse::<u32>().is_ok_and(|m| m < 60)
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{TIME_ERROR} `{}` : attendu une heure `HH:MM` entre 00:00 et 23:59",
            shown(s)
        ))
    }
}

pub fn opt_web_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_web_url(&s, &[]).map_err(D::Error::custom)?;
    Ok(Some(s))
}

/// A ticket address may also be a `mailto:` link.
pub fn opt_ticket_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_web_url(&s, &["mailto"]).map_err(D::Error::custom)?;
    Ok(Some(s))
}

pub fn opt_email<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_email(&s).map_err(D::Error::custom)?;
    Ok(Some(s))
}

/// `[check] remote-hosts`: host names (`ent.example.fr`, `*.example.fr`),
/// kept in lower case without a trailing dot. An address (`https://…/`) is
/// refused with its host as hint: allowing a path alone is not possible,
/// and allowing its whole host should be written as such.
pub fn hosts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let list = Vec::<String>::deserialize(d)?;
    let mut out = Vec::with_capacity(list.len());
    for h in list {
        let t = h.trim().trim_end_matches('.').to_ascii_lowercase();
        let name = t.strip_prefix("*.").unwrap_or(&t);
        let ok = !name.is_empty()
            && name
                .split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
        if !ok {
            let host = crate::markdown::remote_host(&h)
                .or_else(|| crate::markdown::remote_host(&format!("//{}", h.trim())))
                .filter(|x| !x.is_empty());
            let hint = match host {
                Some(x) => format!(" : écrivez le nom du serveur seul, `\"{x}\"`"),
                None => String::new(),
            };
            return Err(D::Error::custom(format!("{HOST_ERROR} `{}`{hint}", shown(&h))));
        }
        out.push(t);
    }
    Ok(out)
}

pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_time(&s).map_err(D::Error::custom)?;
    Ok(Some(s.trim().to_string()))
}

/// Neutralises what a terminal would interpret in a text from content:
/// control characters (a line break too, which could fake another
/// finding) and escape sequences are shown escaped (`\u{1b}`, `\n`),
/// bidirectional controls too.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || is_bidi(c);
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A CSS hexadecimal colour: `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`.
pub fn is_hex_color(s: &str) -> bool {
    let h = s.strip_prefix('#').unwrap_or("");
    matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls() {
        assert!(check_web_url("https://forge.example.org/x", &[]).is_ok());
        assert!(check_web_url("HTTP://forge.example.org", &[]).is_ok());
        assert!(check_web_url("javascript:alert(1)", &[]).is_err());
        assert!(check_web_url("https://", &[]).is_err());
        assert!(check_web_url("https://a.org/\r\nX: y", &[]).is_err());
        assert!(check_web_url("mailto:a@b.org", &[]).is_err());
        assert!(check_web_url("mailto:a@b.org", &["mailto"]).is_ok());
        assert!(check_web_url("/relative", &[]).is_err());
    }

    #[test]
    fn base_urls() {
        for ok in ["/", "/aide/", "aide", "https://clg.example.org/aide/", ""] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "/aide/\r\nX-INJECT:1",
            "javascript:x",
            "//evil.org/",
            "/a b/",
            "ftp://x.org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_and_emails() {
        for ok in ["12:30", "9:05", "00:00", "23:59", " 08:00 "] {
            assert!(check_time(ok).is_ok(), "{ok}");
        }
        for bad in ["25:99", "12h30", "12:5", "24:00", "", "12:30:00", "-1:30", "１２:３０"] {
            assert!(check_time(bad).is_err(), "{bad}");
        }
        assert!(check_email("a.b@clg.example.org").is_ok());
        assert!(check_email("a@b.org?cc=x@y.org").is_err());
        assert!(check_email("nobody").is_err());
    }

    #[test]
    fn terminal_escapes() {
        assert_eq!(terminal_safe("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal_safe("ok é"), "ok é");
        assert_eq!(terminal_safe("a\nb"), "a\\nb");
        assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
    }
}
