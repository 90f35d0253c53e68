//! Unit tests of front matter through `split` and `parse`, the functions
//! `load` calls: the fields of each kind of page, and every error at its
//! line in the file (the `+++` line counted).

use super::*;
use crate::diagnostics::Severity;

const FILE: &str = "content/fiches/wifi/invite.md";

fn sheet(text: &str) -> Result<SheetMeta, Diagnostic> {
    let s = split(text, FILE)?;
    parse(&s, FILE)
}

fn at(d: &Diagnostic) -> (&'static str, Option<usize>, Option<usize>, Option<usize>) {
    (d.code, d.line, d.column, d.end_line)
}

fn date(s: &str) -> Date {
    Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

#[test]
fn split_gives_the_block_the_body_and_their_lines() {
    let text = "+++\ntitle = \"Wi-Fi\"\nsummary = \"Invités\"\n+++\n## Étapes\n";
    let s = split(text, FILE).unwrap();
    assert_eq!(s.front, "title = \"Wi-Fi\"\nsummary = \"Invités\"\n");
    assert_eq!((s.front_offset, s.close_line, s.body_line), (1, 4, 5));
    assert_eq!(s.body, "## Étapes\n");
}

#[test]
fn split_accepts_a_byte_order_mark_crlf_and_an_empty_body() {
    let s = split("\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\n", FILE).unwrap();
    assert_eq!(s.front, "title = \"A\"\r\n");
    assert_eq!((s.close_line, s.body_line, s.body), (3, 4, ""));
    let s = split("+++\ntitle = \"A\"\n+++", FILE).unwrap();
    assert_eq!((s.close_line, s.body), (3, ""));
}

#[test]
fn an_empty_or_blank_file_is_an_error_on_line_1() {
    for text in ["", "\n\n  \n", "\u{feff}"] {
        let d = split(text, FILE).unwrap_err();
        assert_eq!(at(&d), ("empty-file", Some(1), None, None), "{text:?}");
        assert_eq!((d.severity, d.file.as_str()), (Severity::Error, FILE));
    }
}

#[test]
fn a_file_without_front_matter_is_an_error() {
    let d = split("# Titre\n\ntexte\n", FILE).unwrap_err();
    assert_eq!(at(&d), ("front-matter-missing", Some(1), Some(1), None));
    // `+++` must be alone on its line.
    let d = split("+++ title = \"x\"\n+++\n", FILE).unwrap_err();
    assert_eq!(d.code, "front-matter-missing");
}

#[test]
fn an_unclosed_front_matter_points_at_its_opening_line_not_at_the_body() {
    let d = split("+++\ntitle = \"Écran\"\n\n## Étapes\n\n1. Ouvrir\n", FILE).unwrap_err();
    assert_eq!(at(&d), ("front-matter-unclosed", Some(1), Some(1), None));
}

#[test]
fn sheet_fields_are_read_with_their_types() {
    let m = sheet(
        "+++\ntitle = \"Wi-Fi invité\"\nsummary = \"Pour les visiteurs\"\ntags = [\"wifi\", \"réseau\"]\naudience = [\"enseignant\", \"collectivite\"]\naction = \"wifi-invite\"\nupdated = 2025-09-12\nweight = -3\ndraft = true\n\n[validation]\nby = \"DSI\"\non = \"2025-10-01\"\n+++\ncorps\n",
    )
    .unwrap();
    assert_eq!(m.title, "Wi-Fi invité");
    assert_eq!(m.summary, "Pour les visiteurs");
    assert_eq!(m.tags, ["wifi", "réseau"]);
    assert_eq!(m.audience, [Audience::Enseignant, Audience::Collectivite]);
    assert_eq!(m.action.as_ref().map(|a| a.get_ref().as_str()), Some("wifi-invite"));
    assert_eq!(m.updated, Some(date("2025-09-12")));
    assert_eq!((m.weight, m.draft), (Some(-3), true));
    let v = m.validation.unwrap();
    assert_eq!((v.by.as_str(), *v.on.get_ref()), ("DSI", date("2025-10-01")));
}

#[test]
fn optional_sheet_fields_default_to_empty() {
    let m = sheet("+++\ntitle = \"A\"\n+++\n").unwrap();
    assert_eq!((m.summary.as_str(), m.tags.len(), m.audience.len()), ("", 0, 0));
    assert!(m.action.is_none() && m.updated.is_none() && m.weight.is_none() && m.validation.is_none());
    assert!(!m.draft);
}

#[test]
fn line_of_gives_the_file_line_of_a_value() {
    let text = "+++\ntitle = \"A\"\n\naction = \"wifi-invite\"\n[validation]\nby = \"DSI\"\non = 2025-01-02\n+++\n";
    let s = split(text, FILE).unwrap();
    let m: SheetMeta = parse(&s, FILE).unwrap();
    assert_eq!(line_of(&s, m.action.as_ref().unwrap()), 4);
    assert_eq!(line_of(&s, &m.validation.as_ref().unwrap().on), 7);
}

#[test]
fn an_unknown_key_is_reported_at_its_file_line_with_a_suggestion() {
    let d = sheet("+++\ntitle = \"A\"\nsumary = \"B\"\n+++\n").unwrap_err();
    assert_eq!(at(&d), ("unknown-key", Some(3), Some(1), None));
    assert!(d.message.contains("`sumary`"), "{}", d.message);
    assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire `summary` ?"));
}

#[test]
fn a_missing_title_covers_the_whole_front_matter() {
    let d = sheet("+++\nsummary = \"B\"\ntags = []\n+++\n# Titre du corps\n").unwrap_err();
    assert_eq!(at(&d), ("missing-field", Some(1), None, Some(4)));
    assert!(d.message.contains("`title`"), "{}", d.message);
}

#[test]
fn toml_syntax_errors_are_counted_from_the_top_of_the_file() {
    let d = sheet("+++\ntitle = \"A\"\nsummary = \"pas fermé\ntags = []\n+++\n").unwrap_err();
    assert_eq!((d.code, d.line), ("toml-syntax", Some(3)));
    let d = sheet("+++\ntitle = \"A\"\ntags = [\"a\",\naudience = []\n+++\n").unwrap_err();
    assert_eq!(d.code, "toml-syntax");
    assert!(matches!(d.line, Some(3 | 4)), "{d:?}");
}

#[test]
fn a_value_of_the_wrong_type_or_variant_is_invalid_at_its_line() {
    let d = sheet("+++\ntitle = \"A\"\ntags = \"wifi\"\n+++\n").unwrap_err();
    assert_eq!((d.code, d.line), ("invalid-value", Some(3)));
    let d = sheet("+++\ntitle = \"A\"\n\naudience = [\"parents\"]\n+++\n").unwrap_err();
    assert_eq!((d.code, d.line), ("invalid-value", Some(4)));
    assert!(
        d.message.contains("`parents`") && d.message.contains("enseignant"),
        "{}",
        d.message
    );
    let d = sheet("+++\ntitle = \"A\"\nupdated = 2025-13-40\n+++\n").unwrap_err();
    assert_eq!(d.line, Some(3), "{d:?}");
}

#[test]
fn session_fields_and_a_bad_time() {
    let text = "+++\ntitle = \"Apéro\"\ndate = 2026-05-12\ntime = \"12:30\"\nlocation = \"CDI\"\npresenters = [\"Mme A\"]\nfiches = [\"wifi/invite\", \"bureautique/tableur\"]\n+++\n";
    let s = split(text, FILE).unwrap();
    let m: SessionMeta = parse(&s, FILE).unwrap();
    assert_eq!(m.date, date("2026-05-12"));
    assert_eq!((m.time.as_deref(), m.location.as_deref()), (Some("12:30"), Some("CDI")));
    let lines: Vec<(String, usize)> = m.fiches.iter().map(|f| (f.get_ref().clone(), line_of(&s, f))).collect();
    assert_eq!(
        lines,
        [("wifi/invite".to_string(), 7), ("bureautique/tableur".to_string(), 7)]
    );

    let s = split(
        "+++\ntitle = \"Apéro\"\ndate = 2026-05-12\ntime = \"midi\"\n+++\n",
        FILE,
    )
    .unwrap();
    let d = parse::<SessionMeta>(&s, FILE).unwrap_err();
    assert_eq!((d.code, d.line), ("invalid-time", Some(4)));
    let s = split("+++\ntitle = \"Apéro\"\n+++\n", FILE).unwrap();
    let d = parse::<SessionMeta>(&s, FILE).unwrap_err();
    assert_eq!((d.code, d.line, d.end_line), ("missing-field", Some(1), Some(3)));
    assert!(d.message.contains("`date`"), "{}", d.message);
}

#[test]
fn category_and_path_fields() {
    let s = split(
        "+++\ntitle = \"Réseau\"\ndescription = \"Wi-Fi\"\nweight = 2\noffline = true\n+++\n",
        FILE,
    )
    .unwrap();
    let c: CategoryMeta = parse(&s, FILE).unwrap();
    assert_eq!(
        (c.title.as_deref(), c.weight, c.offline),
        (Some("Réseau"), Some(2), Some(true))
    );
    let s = split("+++\ntitle = \"Débuter\"\nfiches = [\"a\"]\nofline = true\n+++\n", FILE).unwrap();
    let d = parse::<PathMeta>(&s, FILE).unwrap_err();
    assert_eq!((d.code, d.line), ("unknown-key", Some(4)));
}

/// Every error of a front matter in one run, each at its line: a misspelt
/// key, another, a wrong value. The `title` that the first one's hint
/// names is not reported missing again.
#[test]
fn parse_all_reports_every_error_at_its_line() {
    let text = "+++\ntitre = \"Oups\"\ntag = [\"x\"]\naudience = [\"prof\"]\nweight = \"dix\"\n+++\n";
    let s = split(text, FILE).unwrap();
    let ds = parse_all::<SheetMeta>(&s, FILE).unwrap_err();
    let got: Vec<_> = ds.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        got,
        [
            ("unknown-key", Some(2)),
            ("unknown-key", Some(3)),
            ("invalid-value", Some(4)),
            ("invalid-value", Some(5)),
        ],
        "{ds:#?}"
    );
    assert!(ds[0].hint.as_deref().unwrap_or("").contains("`title`"), "{ds:#?}");
    // Nor a field whose value was wrong (`title = 42`).
    let s = split("+++\ntitle = 42\nweight = \"x\"\n+++\n", FILE).unwrap();
    let ds = parse_all::<SheetMeta>(&s, FILE).unwrap_err();
    let got: Vec<_> = ds.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(got, [("invalid-value", Some(2)), ("invalid-value", Some(3))], "{ds:#?}");
}

/// A syntax error stops at the first (what follows may be read wrongly),
/// and blanking a key whose value runs over several lines reports no
/// syntax error of its own making.
#[test]
fn parse_all_stops_at_a_syntax_error_and_makes_none() {
    let s = split("+++\ntitle = \"A\"\ntags = [\"x\"\naudience = [\"prof\"]\n+++\n", FILE).unwrap();
    let ds = parse_all::<SheetMeta>(&s, FILE).unwrap_err();
    assert_eq!(
        ds.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["toml-syntax"],
        "{ds:#?}"
    );
    let s = split("+++\ntitle = \"A\"\ntag = [\n  \"x\",\n]\n+++\n", FILE).unwrap();
    let ds = parse_all::<SheetMeta>(&s, FILE).unwrap_err();
    assert_eq!(
        ds.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(),
        [("unknown-key", Some(3))],
        "{ds:#?}"
    );
    // A misspelt table goes with its lines: one error, not one a line.
    let s = split(
        "+++\ntitle = \"A\"\n[validaton]\nby = \"CD\"\non = 2025-06-30\n\n[validation]\nby = \"CD\"\nle = 1\n+++\n",
        FILE,
    )
    .unwrap();
    let ds = parse_all::<SheetMeta>(&s, FILE).unwrap_err();
    assert_eq!(
        ds.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(),
        [("unknown-key", Some(3)), ("unknown-key", Some(9))],
        "{ds:#?}"
    );
    // A front matter without error parses as with `parse`.
    let s = split("+++\ntitle = \"A\"\n+++\n", FILE).unwrap();
    assert_eq!(parse_all::<SheetMeta>(&s, FILE).unwrap().title, "A");
}

/// A front matter of thousands of unknown keys (a hostile merge request)
/// costs one parse an error, capped: the first error and 20 more.
#[test]
fn parse_all_stops_after_twenty_more_errors() {
    let keys: String = (0..5000).map(|i| format!("cle{i} = 1\n")).collect();
    let text = format!("+++\ntitle = \"A\"\n{keys}+++\n");
    let s = split(&text, FILE).unwrap();
    let ds = parse_all::<SheetMeta>(&s, FILE).unwrap_err();
    assert_eq!(ds.len(), 21);
    assert!(ds.iter().all(|d| d.code == "unknown-key"), "{ds:#?}");
    assert_eq!((ds[0].line, ds[20].line), (Some(3), Some(23)));
}

/// The lenient reading leaves out one line a parse, 64 at most: a front
/// matter of thousands of wrong lines (a hostile merge request) is then
/// read as empty rather than parsed once a line (quadratic: 60,000 lines
/// took 20 s); a few wrong lines still leave the others read.
#[test]
fn the_lenient_reading_gives_up_after_64_lines() {
    let bad = |n: usize| -> String { (0..n).map(|_| "weight = \"x\"\n").collect() };
    let text = format!("+++\ntitle = \"B\"\n{}+++\n", bad(3));
    let s = split(&text, FILE).unwrap();
    assert_eq!(parse_leniently::<SheetMeta>(&s).title, "B");
    let text = format!("+++\ntitle = \"B\"\n{}+++\n", bad(5000));
    let s = split(&text, FILE).unwrap();
    assert_eq!(parse_leniently::<SheetMeta>(&s).title, "");
}
