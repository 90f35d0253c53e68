//! Turns TOML/serde errors into diagnostics in the site's words: the line in
//! the file (not in the front-matter block), a French message, and a
//! "did you mean" hint for misspelt keys.

use crate::diagnostics::{line_col, Diagnostic};

/// At most this many errors after the first of one file (as a compiler
/// stops after so many): the rest shows once these are mended.
const MORE_ERRORS_MAX: usize = 20;

/// The errors after the first that serde finds in `text` read as `T`, so
/// that a contributor sees them all in one run: the line of each error of
/// a valid TOML (a key fiches does not know, a value of the wrong type) is
/// blanked, byte for byte so that lines do not move, and `text` read
/// again. A syntax error met then is the blanking's own (the text was
/// valid TOML): it ends the search unreported. So does a missing field:
/// it is most often the blanking's too (`title = 42`, or `titre` for
/// `title`, or `par` for `by`), and a field really missing is said once
/// these are mended. `to_diag` makes a diagnostic of an error in the
/// blanked text.
pub fn more_errors<T: serde::de::DeserializeOwned>(
    text: &str,
    first: &toml::de::Error,
    first_diag: &Diagnostic,
    mut to_diag: impl FnMut(&toml::de::Error, &str) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    if matches!(first_diag.code, "toml-syntax" | "missing-field") {
        return out;
    }
    let mut buf = text.as_bytes().to_vec();
    let mut span = first.span();
    // Each error parses the text again: a cap keeps a hostile front
    // matter of thousands of keys from costing thousands of parses.
    for _ in 0..text.lines().count().min(MORE_ERRORS_MAX) {
        let Some(at) = span.map(|s| s.start) else {
            break;
        };
        if !blank_line(&mut buf, at) {
            break;
        }
        let Ok(blanked) = std::str::from_utf8(&buf) else {
            break;
        };
        let Err(e) = toml::from_str::<T>(blanked) else {
            break;
        };
        let d = to_diag(&e, blanked);
        if matches!(d.code, "toml-syntax" | "missing-field") {
            break;
        }
        span = e.span();
        out.push(d);
    }
    out
}

/// Blanks the line of `buf` holding byte `at`, byte for byte so that the
/// lines after it do not move; a `[table]` line with the lines under it
/// (an unknown table's lines would fall to the table above and each be
/// « unknown » there). False when that line is blank already: nothing
/// left to leave out. `more_errors` and `frontmatter::parse_leniently`
/// leave lines out this way.
pub fn blank_line(buf: &mut [u8], at: usize) -> bool {
    let at = at.min(buf.len());
    let start = buf[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut end = buf[at..].iter().position(|&b| b == b'\n').map_or(buf.len(), |i| at + i);
    if buf[start..end].iter().all(|b| b.is_ascii_whitespace()) {
        return false;
    }
    if buf[start..end].trim_ascii_start().starts_with(b"[") {
        while end < buf.len() && !buf[end + 1..].trim_ascii_start().starts_with(b"[") {
            end = buf[end + 1..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(buf.len(), |i| end + 1 + i);
        }
    }
    buf[start..end]
        .iter_mut()
        .filter(|b| **b != b'\n')
        .for_each(|b| *b = b' ');
    true
}

/// `line_offset` is the number of file lines before `text` starts (1 for a
/// front matter that follows a `+++` line). `what` names the block for
/// messages ("book.toml", "l'en-tête").
pub fn to_diagnostic(err: &toml::de::Error, file: &str, text: &str, line_offset: usize, what: &str) -> Diagnostic {
    let raw = err.message().trim().to_string();
    let span = err.span();
    let (code, mut message, mut hint) = explain(&raw, what);
    // `time = 12:30`, `12h30`, `12:30:00`, `"12h30"`: the line to write.
    if matches!(code, "toml-syntax" | "invalid-value" | "invalid-time") {
        if let Some(h) = span.as_ref().and_then(|s| time_hint(text, s.start)) {
            hint = Some(h);
        }
    }
    // An hour or a date without quotes is a TOML date-time, which serde
    // calls a table: say what was written.
    if code == "invalid-value" && raw.starts_with("invalid type: map") {
        let written = span.as_ref().and_then(|s| text.get(s.clone())).map(str::trim);
        if let Some(w) = written.filter(|w| w.parse::<toml::value::Datetime>().is_ok()) {
            let what = if w.contains('-') { "la date" } else { "l'heure" };
            message = message.replacen("une table", &format!("{what} `{w}`"), 1);
        }
    }
    if code == "toml-syntax" {
        // `updated = 31/02/2025` or `2025-02-31`: the day that does not
        // exist, rather than a line to write that fails again.
        if let Some(h) = span.as_ref().and_then(|s| impossible_date_hint(text, s.start)) {
            hint = Some(h);
        }
        hint = hint.or_else(|| {
            span.as_ref().and_then(|s| {
                curly_quote_hint(text, s.start)
                    .or_else(|| value_hint(text, s.start))
                    .or_else(|| bare_word_hint(text, s.start))
            })
        });
    }
    // `date = …` in a sheet, whose date is `updated`.
    if code == "unknown-key" && raw.starts_with("unknown field `date`") && raw.contains("`updated`") {
        let value = span
            .as_ref()
            .and_then(|s| line_at(text, s.start))
            .and_then(|l| Some(l.split_once('=')?.1.split(" #").next()?.trim().to_string()))
            .filter(|v| v.len() == 10 && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok())
            .unwrap_or_else(|| "AAAA-MM-JJ".into());
        hint = Some(format!(
            "la date d'une fiche est celle de sa dernière relecture : `updated = {value}` (sans `updated`, celle du dernier commit)"
        ));
    }
    // `title = 42`, `draft = "non"`, `updated = 20250912`: the line to write.
    if code == "invalid-value" && raw.starts_with("invalid type") {
        hint = hint.or_else(|| span.as_ref().and_then(|s| type_hint(text, s.clone(), &raw)));
    }
    // `tags = "imprimante, papier"`: the list to write.
    if code == "invalid-value" && raw.contains("expected a sequence") {
        hint = hint.or_else(|| span.as_ref().and_then(|s| list_hint(text, s.start)));
    }
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
            Some(missing_hint(key)),
        );
    }
    if raw.starts_with(crate::validate::URL_ERROR) {
        return (
            "invalid-url",
            raw.to_string(),
            Some(
                "écrivez l'adresse complète d'une page web, par exemple `https://forge.example.org/college/fiches`"
                    .into(),
            ),
        );
    }
    if raw.starts_with(crate::validate::HOST_ERROR) {
        return (
            "invalid-value",
            raw.to_string(),
            Some("un nom de serveur s'écrit sans `https://` ni `/` : `\"ent.example.fr\"`, ou `\"*.example.fr\"` pour tous ses sous-domaines".into()),
        );
    }
    if raw.starts_with(crate::validate::EMAIL_ERROR) {
        return (
            "invalid-email",
            raw.to_string(),
            Some("une seule adresse, sans espace ni `?`, par exemple `assistance@college.example.org`".into()),
        );
    }
    if raw.starts_with(crate::validate::TIME_ERROR) {
        return (
            "invalid-time",
            raw.to_string(),
            Some("l'heure s'écrit sur 24 heures avec deux-points : `time = \"12:30\"` ; sans `time`, la séance dure toute la journée".into()),
        );
    }
    if raw.starts_with("invalid type") || raw.starts_with("invalid value") || raw.starts_with("unknown variant") {
        return (
            "invalid-value",
            format!("valeur invalide dans {what} : {}", french(raw)),
            variant_hint(raw),
        );
    }
    // `[book]` twice is an invalid table header caused by a duplicate key.
    if raw.contains("duplicate key") {
        return (
            "duplicate-key",
            format!("clé en double dans {what} : {}", french(raw)),
            Some("une clé ne s'écrit qu'une fois par table : supprimez ou renommez l'une des deux".into()),
        );
    }
    (
        "toml-syntax",
        format!("erreur de syntaxe TOML dans {what} : {}", french(raw)),
        syntax_hint(raw),
    )
}

/// `audience = ["enseignants"]`: the value meant, among those serde lists
/// (`unknown variant `x`, expected one of `a`, `b``), as for a misspelt key.
fn variant_hint(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix("unknown variant `")?;
    let (value, tail) = rest.split_once('`')?;
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    closest(value, &expected)
        .or_else(|| reader_meant(value).filter(|v| expected.contains(v)))
        .map(|v| format!("vouliez-vous dire `{v}` ?"))
}

/// The reader a French writer means by another word than the contract's
/// five (`profs`, `professeur`, `proviseur`, `département`): `audience`
/// and an action's `who` take only those, and no spelling is close.
fn reader_meant(value: &str) -> Option<&'static str> {
    let v = deunicode::deunicode(value).to_lowercase();
    let v = v.trim();
    const READERS: [(&str, &[&str]); 5] = [
        ("enseignant", &["prof", "enseignant", "formateur", "formatrice"]),
        (
            "eleve",
            &["eleve", "etudiant", "apprenti", "apprenant", "lyceen", "collegien"],
        ),
        ("referent", &["referent", "rupn"]),
        (
            "direction",
            &["chef", "principal", "proviseur", "directeur", "directrice", "adjoint"],
        ),
        (
            "collectivite",
            &[
                "collectivite",
                "departement",
                "conseil departemental",
                "conseil regional",
                "region",
                "mairie",
                "commune",
                "metropole",
            ],
        ),
    ];
    READERS
        .iter()
        .find(|(_, words)| words.iter().any(|w| v.starts_with(w)))
        .map(|(reader, _)| *reader)
}

/// The line of `text` that holds `at`.
fn line_at(text: &str, at: usize) -> Option<&str> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    text[start..].lines().next()
}

/// A list written as one text (`tags = "wifi, réseau"`, as YAML reads
/// it): the same words as a TOML list.
fn list_hint(text: &str, at: usize) -> Option<String> {
    let line = line_at(text, at)?;
    let (key, value) = line.split_once('=')?;
    let inner = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    let items: Vec<String> = inner
        .split([',', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    (!items.is_empty()).then(|| {
        format!(
            "une liste s'écrit entre crochets, chaque élément entre guillemets : `{} = [{}]`",
            key.trim(),
            items.join(", ")
        )
    })
}

/// A value of the wrong type written alone on its line (`key = value`):
/// the same value written as the key expects it, when it can be read so,
/// else how such a value is written.
fn type_hint(text: &str, span: std::ops::Range<usize>, raw: &str) -> Option<String> {
    let expected = raw.lines().next()?.rsplit_once(", expected ")?.1.trim();
    let line = line_at(text, span.start)?;
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.split(" #").next().unwrap_or(value).trim());
    // Only when the value is the whole right-hand side: an element of a
    // list or of an inline table would be rewritten wrong.
    let alone = text.get(span)?.trim() == value;
    let bare = value.trim_matches('"').trim_matches('\'').trim();
    match expected {
        "a string" => Some(match alone {
            true => format!("un texte s'écrit entre guillemets droits : `{key} = \"{bare}\"`"),
            false => "un texte s'écrit entre guillemets droits : `\"…\"`".into(),
        }),
        "a boolean" => {
            let yes = ["oui", "vrai", "true", "yes", "1"].contains(&bare.to_lowercase().as_str());
            let no = ["non", "faux", "false", "no", "0"].contains(&bare.to_lowercase().as_str());
            Some(match (alone, yes, no) {
                (true, true, _) => format!("oui s'écrit `true`, sans guillemets : `{key} = true`"),
                (true, _, true) => format!("non s'écrit `false`, sans guillemets : `{key} = false`"),
                _ => "oui s'écrit `true` et non `false`, sans guillemets".into(),
            })
        }
        "a date" => {
            let digits = bare.len() == 8 && bare.bytes().all(|b| b.is_ascii_digit());
            Some(match (alone, digits) {
                (true, true) => format!(
                    "une date s'écrit année-mois-jour avec des tirets, sans guillemets : `{key} = {}-{}-{}`",
                    &bare[..4],
                    &bare[4..6],
                    &bare[6..]
                ),
                (true, false) => {
                    format!("une date s'écrit année-mois-jour avec des tirets, sans guillemets : `{key} = 2025-09-12`")
                }
                _ => "une date s'écrit année-mois-jour avec des tirets, sans guillemets : `2025-09-12`".into(),
            })
        }
        "i64" | "u64" | "i32" | "u32" | "usize" | "u8" | "u16" | "an integer" => {
            let n = bare.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite());
            Some(match (alone, n) {
                (true, Some(n)) => format!(
                    "un nombre entier s'écrit sans virgule ni guillemets : `{key} = {}`",
                    n.round() as i64
                ),
                _ => "un nombre entier s'écrit sans virgule ni guillemets : `10`".into(),
            })
        }
        _ => None,
    }
}

/// The value of the line at `at`, as a French writer types it: a date
/// day first (`updated = 05/01/2026`, which the parser reads as a number
/// followed by junk: « attendu : une fin de ligne ») or a text between
/// apostrophes holding one (`title = 'L'ENT'`).
fn value_hint(text: &str, at: usize) -> Option<String> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.split(" #").next().unwrap_or(value).trim());
    // Quoted too (`updated = "05/01/2026"`): the date parser's own message.
    let parts: Vec<&str> = value.trim_matches('"').split(['/', '-', '.']).collect();
    if let [a, m, b] = parts[..] {
        let digits =
            |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        // 05/01/2026, or 2026/01/05.
        let year_first = digits(a, 4..=4);
        let (d, y) = if year_first { (b, a) } else { (a, b) };
        if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) {
            let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
            return Some(format!(
                "une date s'écrit année-mois-jour, sans guillemets : `{key} = {y}-{m:02}-{d:02}`"
            ));
        }
    }
    // A day with a time TOML cannot read (`2025-09-12T25:00:00`,
    // `2025-09-12 8h30`): the parser stops at the time, and the day is all
    // a date of fiches keeps.
    let b = value.as_bytes();
    let iso = b.len() > 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && matches!(b[10], b'T' | b't' | b' ');
    if iso {
        return Some(format!(
            "une date s'écrit année-mois-jour, sans heure : `{key} = {}`",
            &value[..10]
        ));
    }
    let inner = value.strip_prefix('\'')?;
    inner.trim_end_matches('\'').contains('\'').then(|| {
        format!(
            "un texte qui contient une apostrophe s'écrit entre guillemets droits : `{key} = \"{}\"`",
            inner.trim_end_matches('\'')
        )
    })
}

/// A date typed with a day or a month that does not exist, year first
/// (`2025-02-31`) or day first (`31/02/2025`): which, and what the month
/// holds; a month and day typed the other way round (`09/25/2025`) get
/// the date meant. `None` for a date that exists or no date at all.
fn impossible_date_hint(text: &str, at: usize) -> Option<String> {
    let line = line_at(text, at)?;
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.split('#').next()?.trim().trim_matches(['"', '\'']));
    let parts: Vec<&str> = value.split(['/', '-', '.']).collect();
    let [a, m, b] = parts[..] else { return None };
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    let year_first = digits(a, 4..=4);
    let (d, y) = if year_first { (b, a) } else { (a, b) };
    if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
        return None;
    }
    let (d, m, y): (u32, u32, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    let exists = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d).is_some();
    if exists(m, d) {
        return None;
    }
    let write = format!("une date s'écrit année-mois-jour, sans guillemets : `{key} = {y}-");
    if !(1..=12).contains(&m) {
        // `09/25/2025`, month first as in English; not for a year first.
        if !year_first && exists(d, m) {
            return Some(format!(
                "il n'y a pas de mois {m} : vouliez-vous dire le {m} {} {y} ? {write}{d:02}-{m:02}`",
                crate::i18n::FR_MONTHS[d as usize - 1]
            ));
        }
        return Some(format!(
            "il n'y a pas de mois {m} (un mois va de 01 à 12) ; {write}MM-JJ`"
        ));
    }
    let month = crate::i18n::FR_MONTHS[m as usize - 1];
    let days = (28..=31).rev().find(|&n| exists(m, n))?;
    let of = if month.starts_with(['a', 'o']) { "d'" } else { "de " };
    Some(format!(
        "le {d} {month} {y} n'existe pas : le mois {of}{month} {y} a {days} jours ; {write}{m:02}-JJ`"
    ))
}

/// A session's `time` or `end` typed as people write an hour: bare
/// (`12:30`, which TOML reads only with its seconds and never as a text),
/// with its seconds, `12h30`, `12 h`, `12.30`, `12`: the line to write,
/// `time = "12:30"`. Only for those keys, whose value is an hour.
fn time_hint(text: &str, at: usize) -> Option<String> {
    let line = line_at(text, at)?;
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    if !matches!(key, "time" | "end") {
        return None;
    }
    let value = value.split('#').next()?.trim().trim_matches(['"', '\'']).trim();
    let hour = read_hour(value)?;
    Some(format!(
        "une heure s'écrit entre guillemets, sur 24 heures avec deux-points : `{key} = \"{hour}\"`"
    ))
}

/// `12:30`, `12:30:00`, `12h30`, `12 h 30`, `12h`, `12.30`, `9` as `HH:MM`;
/// `None` for anything else or out of the day.
fn read_hour(v: &str) -> Option<String> {
    let v = v.to_lowercase();
    let (h, m) = match v.split_once([':', 'h', '.']) {
        Some((h, rest)) => (h.trim(), rest.split(':').next()?.trim()),
        None => (v.trim(), ""),
    };
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h, 1..=2) || !(m.is_empty() || digits(m, 2..=2)) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, if m.is_empty() { 0 } else { m.parse().ok()? });
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// A text between typographic quotes (`title = “Bourrage”`, `« Wi-Fi »`), as
/// a word processor, macOS or a phone's keyboard type them: TOML knows only
/// straight ones, and its « attendu : `"` ou `'` » shows no difference
/// a reader can see.
fn curly_quote_hint(text: &str, at: usize) -> Option<String> {
    const CURLY: [char; 7] = ['“', '”', '„', '«', '»', '‘', '’'];
    let line = line_at(text, at)?;
    let (key, value) = line.split_once('=')?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    if !value.starts_with(CURLY) && !value.starts_with(['[', '{']) {
        return None;
    }
    if !value.contains(['“', '”', '„', '«']) {
        return None;
    }
    // Each text between curly quotes, straight; `«` and `»` only where
    // they stand for quotes (at a text's edge).
    let mut fixed = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '“' | '”' | '„' => fixed.push('"'),
            '«' => {
                fixed.push('"');
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
            }
            '»' => {
                while fixed.ends_with(char::is_whitespace) {
                    fixed.pop();
                }
                fixed.push('"');
            }
            c => fixed.push(c),
        }
    }
    Some(format!(
        "les guillemets typographiques (“ ”, « ») ne délimitent pas un texte : écrivez des guillemets droits, `{} = {fixed}` (touche 3 d'un clavier français)",
        key.trim()
    ))
}

/// A value written as a bare word (`booklet = oui`, `title = Wi-Fi`): TOML
/// reads it as nothing, and the parser's "attendu : `\"` ou `'`" does not say
/// why.
fn bare_word_hint(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if word.is_empty() || word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    // `tags = copieur, bourrage`: words and commas are a list.
    if let Some((key, value)) = line_at(text, at).and_then(|l| l.split_once('=')) {
        let value = value.split(" #").next().unwrap_or(value).trim();
        if value.contains(',') && !value.contains(['"', '\'', '[', '{']) {
            let items: Vec<String> = value
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(|w| format!("\"{w}\""))
                .collect();
            return Some(format!(
                "une liste s'écrit entre crochets, chaque élément entre guillemets : `{} = [{}]`",
                key.trim(),
                items.join(", ")
            ));
        }
    }
    Some(match word.to_lowercase().as_str() {
        "oui" | "vrai" | "yes" | "on" => "oui s'écrit `true` et non `false`, sans guillemets".to_string(),
        "non" | "faux" | "no" | "off" => "non s'écrit `false` et oui `true`, sans guillemets".to_string(),
        _ => format!("un texte s'écrit entre guillemets droits : `\"{word}…\"`"),
    })
}

/// Hint for the commonest syntax errors of people who do not write TOML
/// every day.
fn syntax_hint(raw: &str) -> Option<String> {
    if raw.contains("basic string") || raw.contains("escape sequence") {
        return Some(
            "un texte s'écrit entre guillemets droits, sur une seule ligne (`\"…\"`) ; une barre `\\` s'écrit `\\\\`, ou mettez le texte entre apostrophes (`'C:\\chemin'`)"
                .into(),
        );
    }
    if raw.contains("out of range") {
        return Some("vérifiez le nombre ou la date (un mois va de 01 à 12, un jour de 01 à 31)".into());
    }
    None
}

/// The TOML parser's and serde's messages in French, line by line; a
/// message not recognised is kept as it is, never dropped.
pub fn french(raw: &str) -> String {
    raw.lines().map(french_line).collect::<Vec<_>>().join(" ; ")
}

fn french_line(line: &str) -> String {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("duplicate key `") {
        let (key, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let tail = tail.trim();
        if tail == "in document root" {
            return format!("la clé `{key}` est définie deux fois à la racine du fichier");
        }
        if let Some(t) = tail.strip_prefix("in table `") {
            return format!(
                "la clé `{key}` est définie deux fois dans la table `[{}]`",
                t.trim_end_matches('`')
            );
        }
        return format!("la clé `{key}` est définie deux fois");
    }
    if line == "value is out of range" {
        return "valeur hors limites (nombre trop grand, ou date qui n'existe pas)".into();
    }
    if line == "recursion limit exceeded" {
        return "imbrication trop profonde".into();
    }
    if let Some(rest) = line.strip_prefix("dotted key `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("la clé `{key}` prolonge une valeur qui n'est pas une table");
    }
    if let Some(rest) = line.strip_prefix("unknown variant `") {
        let (v, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let tail = tail.trim_start_matches(',').trim();
        let choices = tail
            .strip_prefix("expected one of ")
            .or_else(|| tail.strip_prefix("expected "))
            .unwrap_or(tail)
            .replace(" or ", ", ");
        return format!("valeur inconnue `{v}` ; valeurs possibles : {choices}");
    }
    if let Some(rest) = line.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("{} au lieu {}", what_fr(found), de(&what_fr(expected)));
        }
    }
    if let Some(rest) = line.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("{} refusé, attendu {}", what_fr(found), what_fr(expected));
        }
    }
    if let Some(rest) = line.strip_prefix("invalid ") {
        return format!("{} invalide", label_fr(rest));
    }
    if let Some(rest) = line.strip_prefix("expected ") {
        let items: Vec<String> = rest.split(", ").map(expected_fr).collect();
        return format!("attendu : {}", items.join(" ou "));
    }
    line.to_string()
}

/// The parser's names of TOML constructs (winnow labels of toml_edit).
fn label_fr(l: &str) -> String {
    match l {
        "array" => "liste `[…]`",
        "basic string" => "texte entre guillemets",
        "multiline basic string" => "texte sur plusieurs lignes (`\"\"\"`)",
        "literal string" => "texte entre apostrophes",
        "multiline literal string" => "texte sur plusieurs lignes (`'''`)",
        "string" => "texte",
        "key" => "clé",
        "table header" => "en-tête de table `[…]`",
        "inline table" => "table en ligne `{…}`",
        "integer" | "binary integer" | "octal integer" | "hexadecimal integer" => "nombre entier",
        "floating-point number" => "nombre décimal",
        "date-time" => "date",
        "time" => "heure",
        "time offset" => "fuseau horaire",
        "escape sequence" => "séquence d'échappement (`\\`)",
        "unicode 4-digit hex code" | "unicode 8-digit hex code" => "code unicode (`\\u…`)",
        other => return other.to_string(),
    }
    .to_string()
}

fn expected_fr(e: &str) -> String {
    match e.trim() {
        "newline" => "une fin de ligne".into(),
        "digit" | "leading digit" => "un chiffre".into(),
        other => other.to_string(),
    }
}

/// `de` before a noun phrase, elided or contracted as French writes it:
/// « au lieu d'une liste », « au lieu du texte », never « de une ».
fn de(what: &str) -> String {
    if let Some(rest) = what.strip_prefix("le ") {
        format!("du {rest}")
    } else if let Some(rest) = what.strip_prefix("les ") {
        format!("des {rest}")
    } else if what.starts_with(['a', 'e', 'i', 'o', 'u', 'é', 'h']) {
        format!("d'{what}")
    } else {
        format!("de {what}")
    }
}

/// serde's descriptions of a value (`a string`, `integer `3``).
fn what_fr(w: &str) -> String {
    let w = w.trim();
    let fixed = match w {
        "a string" | "string" => Some("un texte entre guillemets"),
        "a sequence" | "sequence" => Some("une liste `[…]`"),
        "a boolean" => Some("`true` ou `false`"),
        "i64" | "u64" | "i32" | "u32" | "usize" | "an integer" => Some("un nombre entier"),
        "a map" | "map" => Some("une table"),
        "a date" => Some("une date"),
        "a list or a table" => Some("une liste ou une table"),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.to_string();
    }
    for (en, fr) in [
        ("string ", "le texte "),
        ("integer ", "le nombre "),
        ("floating point ", "le nombre "),
        ("boolean ", "le booléen "),
        ("struct ", "une table "),
    ] {
        if let Some(v) = w.strip_prefix(en) {
            return format!("{fr}{v}");
        }
    }
    w.to_string()
}

/// How to write a missing required key: a section for a table, a list
/// for a list, a date for a date.
fn missing_hint(key: &str) -> String {
    match key {
        "book" => {
            "ajoutez en tête de `book.toml` une section `[book]` suivie d'une ligne `title = \"Nom du site\"`".into()
        }
        "who" => {
            "ajoutez une ligne `who = [\"referent\"]` (enseignant, eleve, referent, direction, collectivite)".into()
        }
        "date" | "on" => format!("ajoutez une ligne `{key} = 2025-09-12` (AAAA-MM-JJ, sans guillemets)"),
        "path" => "ajoutez une ligne `path = \"dossier\"`".into(),
        _ => format!("ajoutez une ligne `{key} = \"…\"`"),
    }
}

pub use crate::files::closest;
