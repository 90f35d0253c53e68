//! Text that is ordinary in French documents and in the world's content:
//! no-break spaces before `:` and `?` (U+00A0, U+202F), emoji, combining
//! accents, NUL, bidi marks. Snippets and search must neither panic nor cut
//! a character in two (issue 11, "Crashes on French text").

use std::collections::BTreeSet;

use fiches_search::snippet::make_snippet;
use fiches_search::{search_cli, Analyzer, Kind, SearchConfig, SearchDoc, MARK_END, MARK_START};

/// Characters that broke (or could break) byte-offset arithmetic.
pub const SPECIALS: &[&str] = &[
    "\u{a0}",   // no-break space
    "\u{202f}", // narrow no-break space
    "\u{2009}", // thin space
    "😀",       // 4-byte char, a surrogate pair in JS
    "👩‍💻",       // emoji ZWJ sequence
    "e\u{301}", // combining acute accent
    "\u{0}",    // NUL
    "\u{200f}", // right-to-left mark
    "\u{200e}", // left-to-right mark
    "\u{202e}", // right-to-left override
    "\u{feff}", // BOM / zero-width no-break space
    "\u{3000}", // ideographic space
    "\u{2028}", // line separator
    "\u{fffd}", // replacement character
];

fn cfg() -> SearchConfig {
    SearchConfig {
        language: "fr".into(),
        synonyms: Vec::new(),
    }
}

fn doc(id: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        kind: Kind::Fiche,
        title: title.into(),
        url: format!("fiches/{id}/index.html"),
        category: "Impression".into(),
        audience: vec!["enseignant".into()],
        tags: Vec::new(),
        summary: String::new(),
        body: body.into(),
        code: String::new(),
    }
}

/// The reported crash: a match preceded, within the 30 chars the snippet
/// backs up over, by a no-break space before `:` or `?`.
#[test]
fn nbsp_before_colon_and_question_mark_in_snippets() {
    let analyzer = Analyzer::new(&cfg());
    let terms: BTreeSet<String> = analyzer.terms("imprimante").into_iter().collect();
    for sp in ["\u{a0}", "\u{202f}"] {
        for punct in [":", "?", ";", "!", "»"] {
            for pad in 0..40 {
                let text = format!(
                    "{}Pourquoi{sp}{punct} Étape{sp}{punct} l’imprimante ne répond plus{sp}?",
                    "x".repeat(pad)
                );
                let s = make_snippet(&analyzer, &text, &terms);
                assert!(
                    s.contains(&format!("{MARK_START}imprimante{MARK_END}")),
                    "{text:?} → {s:?}"
                );
            }
        }
    }
}

/// The no-break spaces typed before a French sign are kept in the
/// snippet (they were collapsed to a plain space, which a result's line
/// could break at), and a snippet never starts or ends at one.
#[test]
fn no_break_spaces_are_kept_in_snippets() {
    let analyzer = Analyzer::new(&cfg());
    let terms: BTreeSet<String> = analyzer.terms("imprimante").into_iter().collect();
    for sp in ["\u{a0}", "\u{202f}"] {
        let text = format!("Étape{sp}: l’imprimante  ne répond plus{sp}?  \n Réponse{sp}: « redémarrer{sp}» !");
        let s = make_snippet(&analyzer, &text, &terms).replace([MARK_START, MARK_END], "");
        assert_eq!(
            s,
            format!("Étape{sp}: l’imprimante ne répond plus{sp}? Réponse{sp}: « redémarrer{sp}» !"),
            "{sp:?}"
        );
        // Backed up to a space: the breaking one, never the no-break one.
        let long = format!("{} Un mot{sp}: l’imprimante", "x".repeat(60));
        let s = make_snippet(&analyzer, &long, &terms).replace([MARK_START, MARK_END], "");
        assert_eq!(s, format!("…Un mot{sp}: l’imprimante"), "{sp:?}");
        // Cut after 200 chars at a breaking space, not before the sign.
        let long = format!("l’imprimante {}mot{sp}? suite", "a ".repeat(93));
        let s = make_snippet(&analyzer, &long, &terms);
        assert!(s.ends_with(&format!("mot{sp}?…")), "{sp:?}: {s:?}");
    }
}

/// A plain space typed before a French sign (`menu : l’imprimante`): the
/// snippet, backed up to a space, starts on the next word, never on the
/// sign that closes what came before (`…: l’imprimante`).
#[test]
fn snippets_never_start_on_the_sign_closing_the_sentence_before() {
    let analyzer = Analyzer::new(&cfg());
    let terms: BTreeSet<String> = analyzer.terms("imprimante").into_iter().collect();
    for punct in [":", ";", "?", "!", "»", ",", ".", "…", "—", ") :"] {
        // The word before the sign spans the 30 chars a snippet backs
        // up over, or not: the first space met is the one before it.
        for pad in 0..40 {
            let text = format!("Ouvrez {} {punct} l’imprimante ne répond plus", "x".repeat(pad));
            let s = make_snippet(&analyzer, &text, &terms).replace([MARK_START, MARK_END], "");
            let first = s.trim_start_matches('…').chars().next().unwrap();
            assert!(first.is_alphanumeric(), "{text:?} → {s:?}");
            assert!(s.contains("l’imprimante ne répond plus"), "{text:?} → {s:?}");
        }
    }
}

/// Every special character at every distance before and after a match.
#[test]
fn special_characters_around_matches_in_snippets() {
    let analyzer = Analyzer::new(&cfg());
    let terms: BTreeSet<String> = analyzer.terms("wifi réseau").into_iter().collect();
    for sp in SPECIALS {
        for pad in 0..36 {
            let filler = format!("{sp}a").repeat(pad);
            let text = format!("{filler} le wifi{sp}: réseau{sp}? {filler}{sp}");
            let s = make_snippet(&analyzer, &text, &terms);
            assert!(s.contains(MARK_START), "{text:?} → {s:?}");
            let long = format!("{} wifi {}", sp.repeat(300), sp.repeat(300));
            let _ = make_snippet(&analyzer, &long, &terms);
        }
    }
}

/// The library's command-line search over documents full of these
/// characters, with queries made of them: results, and no panic.
#[test]
fn search_cli_on_french_typography() {
    let mut docs = Vec::new();
    for (i, sp) in SPECIALS.iter().enumerate() {
        docs.push(doc(
            &format!("cas/{i}"),
            &format!("Cas{sp}{i}{sp}: imprimante"),
            &format!(
                "Question{sp}? L’imprimante{sp}: bloquée{sp}!{sp} {} Réponse{sp}: redémarrer le wifi{sp}; « réseau{sp}».",
                "texte ".repeat(i * 7)
            ),
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut queries: Vec<String> = vec!["imprimante".into(), "wifi réseau".into(), "bloquée".into()];
    for sp in SPECIALS {
        queries.push(format!("imprimante{sp}?"));
        queries.push(format!("{sp}wifi{sp}:{sp}"));
        queries.push(sp.to_string());
    }
    for q in &queries {
        let hits = search_cli(tmp.path(), &cfg(), &docs, q, 20, None).unwrap();
        for h in &hits {
            assert!(!h.snippet.is_empty() || h.title.is_empty(), "{q:?}: {h:?}");
        }
    }
    let hits = search_cli(tmp.path(), &cfg(), &docs, "imprimante bloquée", 20, None).unwrap();
    assert_eq!(hits.len(), SPECIALS.len(), "every sheet has the words");
}
