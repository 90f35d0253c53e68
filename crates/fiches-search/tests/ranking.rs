//! The ranking model on small hand-made corpora, in the CLI and in the
//! browser engine (search-engine.js under Node) alike: a title that says
//! what the query says beats a long body repeating its words; a synonym
//! phrase of several words matches only as a phrase; an expansion of the
//! last word (a completion) never outweighs the word typed by being rarer;
//! a sheet whose tags say the query's words, each tag whole, comes first.
mod common;

use fiches_search::{write_browser_index, CliIndex, Kind, SearchConfig, SearchDoc};
use serde_json::json;

fn cfg() -> SearchConfig {
    SearchConfig {
        language: "fr".into(),
        synonyms: Vec::new(),
    }
}

fn doc(id: &str, title: &str, summary: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        kind: Kind::Fiche,
        title: title.into(),
        url: format!("fiches/{id}/index.html"),
        category: String::new(),
        audience: Vec::new(),
        tags: Vec::new(),
        summary: summary.into(),
        body: body.into(),
        code: String::new(),
    }
}

/// Filler prose, so that the corpus has ordinary document frequencies.
fn filler(k: usize) -> String {
    let words = [
        "le",
        "poste",
        "démarre",
        "lentement",
        "après",
        "la",
        "mise",
        "à",
        "jour",
        "du",
        "système",
        "vérifiez",
        "câble",
        "écran",
        "clavier",
        "souris",
        "session",
        "élève",
        "classe",
        "salle",
    ];
    (0..60)
        .map(|i| words[(i * 7 + k) % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Twenty sheets about slow workstations, saying nothing of the queries
/// the tests ask: the crowd a real sheet must rise above.
fn slow_posts() -> impl Iterator<Item = SearchDoc> {
    (0..20).map(|k| {
        doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste numéro {k} lent"),
            "Un poste de la salle.",
            &filler(k),
        )
    })
}

fn corpus() -> Vec<SearchDoc> {
    let mut docs = vec![
        doc(
            "wifi/compte-invite",
            "Créer un compte Wi-Fi invité",
            "Pour un intervenant extérieur.",
            "Ouvrez la console des invités et créez le compte.",
        ),
        // A long body that repeats the query's words, title elsewhere.
        doc(
            "gen/buse-bouchee",
            "Buse bouchée de l'imprimante 3D",
            "La buse ne sort plus de filament.",
            &format!(
                "{} Le wifi de la salle est lent ; l'invité du CDI. Le wifi invité coupe, le wifi revient. \
                 L'invité relance le wifi. {}",
                filler(1),
                filler(2)
            ),
        ),
        // "réseau" and "file" apart: not a "réseau sans fil".
        doc(
            "impression/file-bloquee",
            "Vider la file d'attente de l'imprimante",
            "Les impressions restent en file.",
            "Le réseau de l'imprimante répond, mais la file d'attente est bloquée. Videz la file.",
        ),
        // "réseau" then "filament" (stem `fil` too): no "réseau sans fil".
        doc(
            "impression-3d/filament",
            "Changer le filament",
            "Le filament ne sort plus.",
            "Débranchez la prise réseau du filament, puis la prise réseau filament.",
        ),
        doc(
            "reseau/sans-fil",
            "Se connecter en salle de classe",
            "Le réseau sans fil pédagogique.",
            "Choisissez le réseau sans fil du collège dans la liste.",
        ),
        doc(
            "son/pas-de-son",
            "Pas de son au vidéoprojecteur",
            "La vidéo reste muette.",
            "Le son ne sort pas des enceintes : vérifiez le volume.",
        ),
        // A rare completion of "son" in the title and body.
        doc(
            "tel/interphone",
            "La sonnerie de l'interphone",
            "La sonnerie ne retentit plus.",
            "Réglez la sonnerie, puis testez la sonnerie du combiné.",
        ),
    ];
    for k in 0..30 {
        docs.push(doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste numéro {k} lent"),
            "Un poste de la salle.",
            &format!("{} Le son de la vidéo. {}", filler(k), filler(k + 3)),
        ));
    }
    docs
}

/// The CLI's ranked ids of `q`, and the browser engine's for the same
/// queries, which must be the same ids in the same order (with the same
/// plans and scores).
fn ranked_both(queries: &[&str]) -> Vec<(String, Vec<String>)> {
    ranked_both_in(corpus(), queries)
}

/// `ranked_both` on the documents `docs`.
fn ranked_both_in(docs: Vec<SearchDoc>, queries: &[&str]) -> Vec<(String, Vec<String>)> {
    let cfg = cfg();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    write_browser_index(&out, &cfg, &docs).unwrap();
    let cli = CliIndex::open_or_build(&tmp.path().join("cache"), &cfg, &docs).unwrap();
    let cli_ids: Vec<(String, Vec<String>)> = queries
        .iter()
        .map(|q| {
            let hits = cli.search(q, 10, None).unwrap();
            (q.to_string(), hits.iter().map(|h| h.id.clone()).collect())
        })
        .collect();
    let js = common::check_in_node(&cli, &out, tmp.path(), queries);
    assert_eq!(js["plan_diffs"], json!([]), "JS plans differ from Rust's");
    assert_eq!(js["rank_diffs"], json!([]), "JS and CLI rankings differ");
    assert_eq!(js["compared"], json!(queries.len()));
    for (k, r) in js["results"].as_array().unwrap().iter().enumerate() {
        let ids: Vec<String> = r["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let n = cli_ids[k].1.len();
        assert_eq!(ids[..n], cli_ids[k].1[..], "{}", cli_ids[k].0);
    }
    cli_ids
}

fn first<'a>(r: &'a [(String, Vec<String>)], q: &str) -> &'a [String] {
    &r.iter().find(|x| x.0 == q).unwrap().1
}

#[test]
fn the_title_that_says_the_query_beats_a_long_body_repeating_it() {
    let r = ranked_both(&["wifi invite", "wifi invité", "compte invite"]);
    for q in ["wifi invite", "wifi invité", "compte invite"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "wifi/compte-invite", "{q}: {ids:?}");
        assert!(
            ids.iter().any(|i| i == "gen/buse-bouchee"),
            "{q}: the long body still matches: {ids:?}"
        );
    }
}

#[test]
fn a_synonym_phrase_matches_as_a_phrase_not_word_by_word() {
    // "wifi" ~ "réseau sans fil": the sheet saying "réseau sans fil" is
    // found; the one with "réseau" and "file" (stem `fil`) apart is not.
    let r = ranked_both(&["wifi", "wi-fi"]);
    for q in ["wifi", "wi-fi"] {
        let ids = first(&r, q);
        assert!(ids.iter().any(|i| i == "reseau/sans-fil"), "{q}: {ids:?}");
        assert!(!ids.iter().any(|i| i == "impression/file-bloquee"), "{q}: {ids:?}");
        assert!(!ids.iter().any(|i| i == "impression-3d/filament"), "{q}: {ids:?}");
        assert_eq!(ids[0], "wifi/compte-invite", "{q}: {ids:?}");
    }
}

#[test]
fn a_rare_completion_does_not_outrank_the_word_typed() {
    // "son" is also completed to "sonnerie" (rarer); the sheets saying
    // "son" in their title come first.
    let r = ranked_both(&["pas de son", "son"]);
    for q in ["pas de son", "son"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "son/pas-de-son", "{q}: {ids:?}");
        let tel = ids.iter().position(|i| i == "tel/interphone");
        assert!(tel.is_none_or(|p| p > 0), "{q}: {ids:?}");
    }
}

#[test]
fn phrase_terms_are_indexed_only_for_synonym_phrases_and_are_no_words() {
    let a = fiches_search::Analyzer::new(&cfg());
    let mut toks = a.tokens("le réseau sans fil du collège, la file d'attente");
    a.add_phrase_tokens(&mut toks);
    let phrases: Vec<&str> = toks.iter().filter(|t| t.is_phrase()).map(|t| t.term.as_str()).collect();
    assert_eq!(phrases, ["reseau_fil"]);
    // Not across other words, nor in the other order (stop words are no
    // words: "réseau de la file" would be one).
    let mut toks = a.tokens("réseau de l'imprimante ou file, fil réseau, la prise réseau du filament");
    a.add_phrase_tokens(&mut toks);
    assert!(!toks.iter().any(|t| t.is_phrase()), "{toks:?}");
    // A plural is the phrase too.
    let mut toks = a.tokens("les réseaux sans fil");
    a.add_phrase_tokens(&mut toks);
    assert!(toks.iter().any(|t| t.term == "reseau_fil"), "{toks:?}");
}

#[test]
fn a_hyphenated_word_counts_once_not_once_per_part() {
    // "wi-fi" is matched as "wifi" or by its parts "wi" and "fi": the
    // parts stand for one word, so a page saying "Wi-Fi" does not score
    // twice what it scores for "wifi", nor twice a page writing "wifi"
    // joined. A short page whose title is nothing but "Wi-Fi" and a few
    // words (an allowed action) thus stays behind the sheets that say it.
    let mut docs = vec![
        doc("action/wifi-invite", "Créer des comptes Wi-Fi invités", "", ""),
        doc(
            "wifi/portable",
            "Connecter un portable au Wi-Fi du collège",
            "Le Wi-Fi pédagogique, sans Internet.",
            "Choisissez le Wi-Fi du collège ; si le Wi-Fi reste sans Internet, oubliez le réseau.",
        ),
        doc(
            "wifi/tablette",
            "La tablette ne voit plus le wifi",
            "Le wifi de la salle n'apparaît pas.",
            "Redémarrez le wifi de la tablette, puis choisissez le wifi pédagogique.",
        ),
    ];
    docs.extend(slow_posts());
    let r = ranked_both_in(docs.clone(), &["wifi", "wi-fi", "Wi-Fi"]);
    for q in ["wifi", "wi-fi", "Wi-Fi"] {
        let ids = first(&r, q);
        assert_eq!(ids.len(), 3, "{q}: {ids:?}");
        assert_eq!(ids[2], "action/wifi-invite", "{q}: {ids:?}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let cli = CliIndex::open_or_build(tmp.path(), &cfg(), &docs).unwrap();
    let score = |q: &str, id: &str| -> f64 {
        let hits = cli.search(q, 10, None).unwrap();
        hits.iter().find(|h| h.id == id).unwrap().score as f64
    };
    // The page writing "wifi" joined scores the same for both queries; the
    // one writing "Wi-Fi" a little more at most (its parts are rarer than
    // the whole word, so their idf is higher), never twice as much.
    assert_eq!(score("wi-fi", "wifi/tablette"), score("wifi", "wifi/tablette"));
    let ratio = score("wi-fi", "wifi/portable") / score("wifi", "wifi/portable");
    assert!((1.0..1.5).contains(&ratio), "{ratio}");
}

#[test]
fn a_rare_synonym_phrase_does_not_outweigh_the_word_typed() {
    // "wifi" is in most sheets, the phrase "réseau sans fil" in one: its
    // phrase term is rare because its words stand side by side, not because
    // it says more than "wifi". The sheet whose title says "Wi-Fi invité"
    // comes before the one that says "réseau sans fil" and "invité" in
    // its body.
    let mut docs = vec![
        doc(
            "wifi/compte-invite",
            "Compte Wi-Fi invité",
            "Pour un intervenant.",
            "Ouvrez la console.",
        ),
        doc(
            "gen/transmettre",
            "Transmettre le réseau",
            "Le réseau sans fil de l'invité.",
            "L'invité rejoint le réseau sans fil ; le réseau sans fil de l'invité, l'invité et le réseau sans fil.",
        ),
    ];
    for k in 0..20 {
        docs.push(doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste numéro {k} lent"),
            "Le wifi de la salle.",
            &filler(k),
        ));
    }
    let r = ranked_both_in(docs, &["wifi invite"]);
    let ids = first(&r, "wifi invite");
    assert_eq!(ids[0], "wifi/compte-invite", "{ids:?}");
    assert!(ids.iter().any(|i| i == "gen/transmettre"), "{ids:?}");
}

#[test]
fn a_title_with_the_word_as_typed_beats_one_with_another_word_of_its_stem() {
    // "imprimer" and "imprimante" share a stem. Among titles that hold that
    // stem, the one with the word as typed comes first, whatever the
    // lengths and frequencies; a plural is the word as typed. (Every
    // summary here says the stem: a summary saying the query is a bonus
    // of its own, params::SUMMARY_BONUS, which this test does not weigh.)
    let mut docs = vec![
        doc(
            "impression/imprimer-sur-le-copieur",
            "Imprimer sur le copieur de la salle des professeurs",
            "Imprimer depuis un poste du collège, avec son badge.",
            &format!("Choisissez le copieur. {}", filler(3)),
        ),
        doc(
            "impression/ajouter-une-imprimante",
            "Ajouter une imprimante",
            "Une imprimante pour la salle.",
            "L'imprimante de la salle, une imprimante réseau.",
        ),
        doc(
            "impression/imprimante-hors-ligne",
            "Imprimante hors ligne",
            "L'imprimante ne répond plus.",
            "Redémarrez l'imprimante.",
        ),
    ];
    for k in 0..20 {
        docs.push(doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste numéro {k} lent"),
            "Le poste de la salle.",
            &filler(k),
        ));
    }
    let r = ranked_both_in(docs, &["imprimer", "imprimante", "imprimantes", "Imprimer"]);
    assert_eq!(first(&r, "imprimer")[0], "impression/imprimer-sur-le-copieur", "{r:?}");
    assert_eq!(first(&r, "Imprimer")[0], "impression/imprimer-sur-le-copieur", "{r:?}");
    for q in ["imprimante", "imprimantes"] {
        let ids = first(&r, q);
        assert_ne!(ids[0], "impression/imprimer-sur-le-copieur", "{q}: {ids:?}");
        assert!(
            ids.iter().any(|i| i == "impression/imprimer-sur-le-copieur"),
            "{q}: {ids:?}"
        );
    }
}

#[test]
fn exact_title_terms_are_no_words() {
    // They neither enter the vocabulary (no suggestion, no typo target) nor
    // lengthen the title; a plural is its singular.
    let a = fiches_search::Analyzer::new(&cfg());
    let mut toks = a.tokens("Imprimantes du réseau");
    let words = toks.len();
    a.add_exact_tokens(&mut toks);
    let exact: Vec<&str> = toks[words..].iter().map(|t| t.term.as_str()).collect();
    assert_eq!(exact.len(), words, "{toks:?}");
    assert_eq!(exact[0], "imprim.ante", "{exact:?}");
    assert!(toks[words..].iter().all(|t| !t.is_word() && t.surface.is_empty()));
    assert!(toks[..words].iter().all(|t| t.is_word()));
}

fn tagged(id: &str, title: &str, tags: &[&str], body: &str) -> SearchDoc {
    SearchDoc {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..doc(id, title, "Un document de la salle.", body)
    }
}

/// Sheets whose titles say the query's words, shorter than the real one
/// and with the words again in their body, but whose tags are about
/// something else; and the real sheet, whose tags say the query's words.
fn tag_corpus() -> Vec<SearchDoc> {
    let mut docs = vec![tagged(
        "impression/file-bloquee",
        "La file d'attente de l'impression est bloquée au secrétariat",
        &["impression", "file d'attente", "bloqué", "compte verrouillé"],
        &format!("Annulez le document en erreur. {}", filler(4)),
    )];
    for (k, place) in ["imprimante", "copieur", "cartouche", "badge", "toner", "bac"]
        .iter()
        .enumerate()
    {
        docs.push(tagged(
            &format!("gen/impression-bloquee-{k}"),
            &format!("Impression bloquée {place}"),
            &["badge", "toner", place],
            &format!(
                "{} L'impression reste bloquée ; l'impression bloquée du {place}. Le compte est verrouillé. {}",
                filler(k),
                filler(k + 2)
            ),
        ));
    }
    for k in 0..20 {
        docs.push(tagged(
            &format!("gen/filler-{k:02}"),
            &format!("Poste numéro {k} lent"),
            &["poste", "compte", "verrouillage"],
            &filler(k),
        ));
    }
    docs
}

#[test]
fn a_sheet_whose_tags_say_the_query_comes_before_titles_that_merely_hold_it() {
    // Every "Impression bloquée …" title holds both words as typed, is
    // shorter and repeats them in its body; the real sheet's tags say
    // "impression" and "bloqué", each a whole tag: the sheet is about that.
    let r = ranked_both_in(tag_corpus(), &["impression bloquee", "impressions bloquées"]);
    for q in ["impression bloquee", "impressions bloquées"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "impression/file-bloquee", "{q}: {ids:?}");
        assert!(ids.iter().any(|i| i == "gen/impression-bloquee-0"), "{q}: {ids:?}");
    }
}

#[test]
fn a_tag_of_several_words_is_matched_as_a_phrase_of_the_query() {
    // Three sheets alike but for their tags, made of the same words: only
    // the tag "compte verrouillé" says the query "compte verrouille"; the
    // tag "compte verrouillé du réseau" is a longer phrase, "verrouillé
    // compte" another order (which the query "verrouille compte" says).
    // Without the rule they tie and rank by id.
    let body = format!("Le compte ne s'ouvre plus. {}", filler(5));
    let mut docs = vec![
        tagged(
            "a/phrase-plus-longue",
            "Un compte à débloquer",
            &["compte verrouillé du réseau"],
            &body,
        ),
        tagged(
            "b/autre-ordre",
            "Un compte à débloquer",
            &["verrouillé compte", "réseau"],
            &body,
        ),
        tagged(
            "c/le-tag",
            "Un compte à débloquer",
            &["compte verrouillé", "réseau"],
            &body,
        ),
    ];
    for k in 0..20 {
        docs.push(tagged(
            &format!("gen/filler-{k:02}"),
            &format!("Poste numéro {k} lent"),
            &["poste"],
            &filler(k),
        ));
    }
    let r = ranked_both_in(docs, &["compte verrouille", "comptes verrouillés", "verrouille compte"]);
    for q in ["compte verrouille", "comptes verrouillés"] {
        assert_eq!(
            first(&r, q)[..3],
            ["c/le-tag", "a/phrase-plus-longue", "b/autre-ordre"],
            "{q}: {r:?}"
        );
    }
    assert_eq!(first(&r, "verrouille compte")[0], "b/autre-ordre", "{r:?}");
    let a = fiches_search::Analyzer::new(&cfg());
    let mut toks = Vec::new();
    a.add_tag_tokens(
        &[
            "compte verrouillé".to_string(),
            "Wi-Fi".to_string(),
            "un tag de bien plus de quatre mots".to_string(),
        ],
        &mut toks,
    );
    let terms: Vec<&str> = toks.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(terms, ["/compt/verrouill", "/wifi"], "{toks:?}");
    assert!(toks.iter().all(|t| !t.is_word()));
}

#[test]
fn a_title_holding_more_of_the_query_words_comes_first() {
    // No title holds all three words of the query, so the all-or-nothing
    // title bonus told them apart by nothing: sheets whose shorter titles
    // hold one word and whose bodies repeat all three won on the sum.
    // The title holding two of the three words says more of what is asked
    // (params::TITLE_BONUS, graded by the share s of the concepts: × 1 +
    // 0.5·s²).
    let mut docs = vec![doc(
        "tni/calibrer",
        "Le stylet ne clique pas au bon endroit sur le tableau",
        "Le clic se fait à côté de la pointe.",
        &format!("Refaites le calibrage. {}", filler(3)),
    )];
    for (k, what) in ["réglages", "pile", "socle", "câble", "pointe", "mine"]
        .iter()
        .enumerate()
    {
        docs.push(doc(
            &format!("gen/stylet-{k}"),
            &format!("Stylet sans {what}"),
            "Un stylet de la salle.",
            &format!(
                "Le stylet clique à côté ; le stylet clique encore à côté, il clique à côté. {}",
                filler(k)
            ),
        ));
    }
    docs.extend(slow_posts());
    let r = ranked_both_in(docs.clone(), &["stylet clique cote", "stylet clique a cote"]);
    for q in ["stylet clique cote", "stylet clique a cote"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "tni/calibrer", "{q}: {ids:?}");
        assert!(ids.iter().any(|i| i == "gen/stylet-0"), "{q}: {ids:?}");
    }
    // Without the graded bonus (the title's share ignored unless whole) a
    // generated sheet would come first: the real sheet wins by its title
    // alone (two words of three: × 1 + 0.5·(2/3)², one of three: × 1 +
    // 0.5·(1/3)²).
    let tmp = tempfile::tempdir().unwrap();
    let cli = CliIndex::open_or_build(tmp.path(), &cfg(), &docs).unwrap();
    let hits = cli.search("stylet clique cote", 10, None).unwrap();
    let share = |s: f64| 1.0 + (fiches_search::params::TITLE_BONUS - 1.0) * s * s;
    let real = hits[0].score as f64 / share(2.0 / 3.0);
    let best_gen = hits
        .iter()
        .filter(|h| h.id.starts_with("gen/stylet"))
        .map(|h| h.score as f64 / share(1.0 / 3.0))
        .fold(0.0, f64::max);
    assert!(real < best_gen, "{real} {best_gen}: {hits:?}");
}

#[test]
fn a_rare_known_word_run_together_is_also_split() {
    // Among thousands of sheets, "motdepasse" is known from one file name
    // (`mot-de-passe_2025.xlsx`: the hyphens joined); that rare term must
    // not leave the sheets about "mot de passe" out (params::SPLIT_RARE).
    // Letters alone also allow "mot|depasse" (dépassé): every split is an
    // alternative (split_words), the documents decide.
    let mut docs = vec![
        doc(
            "comptes/mdp-oublie",
            "J'ai oublié mon mot de passe",
            "Qui peut réinitialiser le mot de passe.",
            "Demandez au professeur principal de réinitialiser le mot de passe oublié.",
        ),
        doc(
            "gen/tableur",
            "Ouvrir un tableur partagé",
            "Un classeur de la vie scolaire.",
            "Ouvrez le fichier mot-de-passe_2025.xlsx depuis le dossier partagé.",
        ),
    ];
    for k in 0..2100 {
        let extra = match k % 40 {
            0 => " Le mot de passe du poste est affiché.",
            // "dépassé" more frequent than "passe": the best split by
            // the pieces' frequency is "mot|depasse".
            1 | 3 => " Le quota est dépassé, le mot est long.",
            2 => " Un mot sur le cahier, la date est dépassée.",
            // "oublié" common: the rare "motdepasse" alone outweighs it.
            4..=9 => " Un câble oublié en salle.",
            _ => "",
        };
        docs.push(doc(
            &format!("gen/filler-{k:04}"),
            &format!("Poste numéro {k} lent"),
            "Un poste de la salle.",
            &format!("Le poste {k} démarre lentement après la mise à jour.{extra}"),
        ));
    }
    let r = ranked_both_in(docs, &["motdepasse oublie", "motdepasse oubliee"]);
    for q in ["motdepasse oublie", "motdepasse oubliee"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "comptes/mdp-oublie", "{q}: {ids:?}");
    }
}

#[test]
fn every_form_of_a_word_finds_the_others() {
    // "verrouillée" typed for a sheet that says "verrouillé", "vidéos" for
    // one that says "vidéo": one stem for every form (see
    // `Language::before_stem`), in the command line and the browser alike;
    // before, each form found only the sheets that said it.
    let mut docs = vec![
        doc(
            "a/compte",
            "Compte verrouillé",
            "Après trois essais.",
            "Attendez quinze minutes.",
        ),
        doc("b/session", "Session verrouillée", "Le soir.", "Demandez au référent."),
        doc("c/lire", "Lire une vidéo", "Sur le TNI.", "Ouvrez le lecteur."),
        doc(
            "d/classe",
            "Des vidéos en classe",
            "Sur la tablette.",
            "Copiez les fichiers.",
        ),
    ];
    for k in 0..40 {
        docs.push(doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste {k} lent"),
            "Un poste de la salle informatique.",
            &format!("Le poste {k} démarre lentement."),
        ));
    }
    let qs = ["verrouillee", "verrouille", "videos", "video"];
    let r = ranked_both_in(docs, &qs);
    for (q, want) in qs.iter().zip([
        ["a/compte", "b/session"],
        ["a/compte", "b/session"],
        ["c/lire", "d/classe"],
        ["c/lire", "d/classe"],
    ]) {
        let mut ids = first(&r, q).to_vec();
        ids.sort();
        assert_eq!(ids, want, "{q}");
    }
}

#[test]
fn ligatures_and_superscripts_match_plain_letters_in_both_engines() {
    // A sheet pasted from a PDF ("ﬁchier", "2ᵉ") is found by what people
    // type, and the other way round: both engines fold by NFKD.
    let mut docs = vec![
        doc(
            "a/pdf",
            "Retrouver un ﬁchier",
            "En classe de 2ᵉ.",
            "Le ﬁchier est dans le dossier partagé.",
        ),
        doc(
            "b/plain",
            "Ouvrir une fiche",
            "En classe de 3e.",
            "La fiche est imprimée.",
        ),
    ];
    for k in 0..20 {
        docs.push(doc(
            &format!("gen/f-{k:02}"),
            &format!("Poste {k}"),
            "Salle.",
            "Le poste démarre.",
        ));
    }
    let qs = ["fichier 2e", "ﬁchier", "2ᵉ", "ﬁche"];
    let r = ranked_both_in(docs, &qs);
    assert_eq!(first(&r, "fichier 2e")[0], "a/pdf");
    assert_eq!(first(&r, "ﬁchier")[0], "a/pdf");
    assert_eq!(first(&r, "2ᵉ"), ["a/pdf"]);
    assert_eq!(first(&r, "ﬁche")[0], "b/plain");
}

#[test]
fn a_concept_said_by_several_of_its_names_sums_them() {
    // "TNI" and "VPI" are one concept (built-in synonyms), and every
    // sheet here says both. The real sheet's title says "TNI", its summary
    // and body "VPI": it says the concept more than sheets whose title and
    // body say "TNI" and whose body says "VPI" once; scored by its best
    // name alone ("TNI": title only, against title and body), it lost to
    // them. Summed before the saturation (params::SYN_SUM_MIN), as one
    // term said that many times, it comes first.
    // Ids as a site names its files: every file name says "tni" (rank22's
    // file name field), so it tells none of them apart.
    let mut docs = vec![doc(
        "tni/calibrer-tni",
        "Calibrer le TNI",
        "Le VPI clique à côté.",
        &format!("Le VPI se règle. {}", filler(3)),
    )];
    for (k, what) in ["Réparer", "Nettoyer", "Allumer", "Ranger", "Brancher"]
        .iter()
        .enumerate()
    {
        docs.push(doc(
            &format!("gen/{}-le-tni", what.to_lowercase()),
            &format!("{what} le TNI"),
            "Un appareil de salle.",
            &format!("Le TNI est en salle, le VPI aussi. {}", filler(k)),
        ));
    }
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["TNI", "tni"]);
    for q in ["TNI", "tni"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "tni/calibrer-tni", "{q}: {ids:?}");
        assert_eq!(ids.len(), 6, "{q}: {ids:?}");
    }
}

#[test]
fn two_words_joined_still_say_their_tags_and_title() {
    // "cle usb" is planned as one joined word (`cleusb`, known from a
    // "clé-USB" somewhere), whose tag run is `/cleusb`: the tag "clé usb"
    // (`/cle/usb`) said it for nobody, and a sheet whose body repeats
    // "clé USB" came first. The words typed still count for the tags and
    // the exact title terms.
    let mut docs = vec![
        tagged(
            "fichiers/cle-usb",
            "Utiliser une clé USB sans risque",
            &["clé usb", "virus"],
            &format!("Éjectez la clé proprement. {}", filler(2)),
        ),
        doc(
            "gen/hyphen",
            "Inventaire du matériel",
            "Liste.",
            &format!("Une clé-USB par classe. {}", filler(4)),
        ),
    ];
    for (k, what) in ["illisible", "perdue", "pleine"].iter().enumerate() {
        docs.push(doc(
            &format!("gen/cle-{k}"),
            &format!("Clé USB {what}"),
            "La clé USB de la salle.",
            &format!("La clé USB est {what}. La clé USB du poste. {}", filler(k)),
        ));
    }
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["cle usb", "clé USB"]);
    for q in ["cle usb", "clé USB"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "fichiers/cle-usb", "{q}: {ids:?}");
    }
}

#[test]
fn a_joined_pair_plans_the_tag_runs_and_exact_terms_of_its_words() {
    let docs = vec![
        doc("a/hyphen", "Une clé-USB", "Liste.", "Une clé-USB par classe."),
        doc("b/other", "Poste lent", "Un poste.", "Le poste démarre."),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let cli = CliIndex::open_or_build(tmp.path(), &cfg(), &docs).unwrap();
    let plan = serde_json::to_value(cli.plan("cle usb")).unwrap();
    let runs: Vec<&str> = plan["tag_runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["term"].as_str().unwrap())
        .collect();
    assert_eq!(runs, ["/cle/usb", "/cleusb"], "{plan}");
    let parts = &plan["concepts"][0]["alts"][1];
    assert_eq!(parts["slots"][0]["exact"], json!(["cle."]), "{plan}");
    assert_eq!(parts["slots"][1]["exact"], json!(["usb."]), "{plan}");
}

#[test]
fn the_file_name_is_a_weak_field_of_its_own() {
    // A word only the file name says finds the sheet: the author named
    // `sauvegarder-ses-fichiers` what the title calls "enregistrer".
    let mut docs = vec![doc(
        "serveur/sauvegarder-ses-fichiers",
        "Où enregistrer ses fichiers",
        "Le réseau garde une copie.",
        &format!("Le dossier personnel du réseau. {}", filler(1)),
    )];
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["sauvegarder"]);
    assert_eq!(first(&r, "sauvegarder"), ["serveur/sauvegarder-ses-fichiers"]);
}

#[test]
fn a_file_name_that_is_the_query_says_it_more_than_a_long_one() {
    // Four titles of four words say "clé USB" once, and nothing else
    // does: they tie, and the sheets listed first (`fichiers/…`) came
    // first. The real one's file name is nothing but "cle-usb", where the
    // others' repeat their titles: with the file name as a field
    // (params::W's `slug`, fully length-normalised), it says the query
    // more, and comes first.
    let mut docs = vec![doc(
        "securite/cle-usb",
        "Utiliser la clé USB sans risque",
        "Un appareil de la salle.",
        &filler(2),
    )];
    for (k, what) in ["illisible", "perdue", "pleine"].iter().enumerate() {
        docs.push(doc(
            &format!("fichiers/cle-usb-{what}-en-salle"),
            &format!("Clé USB {what} en salle"),
            "Un appareil de la salle.",
            &filler(k),
        ));
    }
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["cle usb", "clé USB"]);
    for q in ["cle usb", "clé USB"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "securite/cle-usb", "{q}: {ids:?}");
        assert_eq!(ids.len(), 4, "{q}: {ids:?}");
    }
}

#[test]
fn a_sheet_whose_summary_says_the_query_comes_before_bodies_repeating_it() {
    // Five titles say "TNI"; four shorter ones have bodies repeating it,
    // and win on BM25F alone. The fifth's summary, the author's one line
    // on what the sheet solves, says it: the summary says what the query
    // says (params::SUMMARY_BONUS, graded as the title's bonus).
    let mut docs = vec![doc(
        "tni/calibrer",
        "Calibrer le TNI de la salle",
        "Le TNI ne clique pas au bon endroit.",
        &format!("Refaites le calibrage. {}", filler(3)),
    )];
    for (k, what) in ["éteint", "bloqué", "muet", "lent"].iter().enumerate() {
        docs.push(doc(
            &format!("gen/tni-{k}"),
            &format!("Le TNI {what}"),
            "Un appareil de la salle.",
            &format!("Le TNI s'arrête ; le TNI repart, puis le TNI s'arrête. {}", filler(k)),
        ));
    }
    docs.extend(slow_posts());
    let r = ranked_both_in(docs.clone(), &["TNI", "tni"]);
    for q in ["TNI", "tni"] {
        let ids = first(&r, q);
        assert_eq!(ids[0], "tni/calibrer", "{q}: {ids:?}");
        assert_eq!(ids.len(), 5, "{q}: {ids:?}");
    }
    // Without the summary's bonus a sheet repeating the word would come
    // first.
    let tmp = tempfile::tempdir().unwrap();
    let cli = CliIndex::open_or_build(tmp.path(), &cfg(), &docs).unwrap();
    let hits = cli.search("TNI", 10, None).unwrap();
    let real = hits[0].score as f64 / fiches_search::params::SUMMARY_BONUS;
    let best_gen = hits.iter().skip(1).map(|h| h.score as f64).fold(0.0, f64::max);
    assert!(real < best_gen, "{real} {best_gen}: {hits:?}");
}

#[test]
fn a_word_also_finds_its_re_form_never_the_reverse() {
    // "charger" typed for a sheet that says only "recharger": the French
    // verb said again (re-/ré-) is found, below a sheet that says the word
    // typed ("démarrer" before "redémarrer"); "relever" does not find
    // "lever", nor "redémarrer" "démarrer" (engine::re_forms). Before, a
    // word and its re- form were two stems that never met.
    let mut docs = vec![
        doc(
            "a/chariot",
            "Le chariot de tablettes",
            "Le soir, avant de partir.",
            "Rechargez les tablettes toute la nuit : recharger le chariot prend quatre heures.",
        ),
        doc("b/demarrer", "Démarrer le poste", "Le matin.", "Appuyez sur le bouton."),
        doc(
            "c/redemarrer",
            "Redémarrer le poste",
            "Quand il est figé.",
            "Appuyez longuement.",
        ),
        doc(
            "d/lever",
            "Lever le blocage",
            "Au secrétariat.",
            "Demandez au référent.",
        ),
        doc(
            "e/relever",
            "Relever les copies",
            "En fin d'heure.",
            "Ramassez-les dans le dossier.",
        ),
        // The word typed must be known (its stem is what is linked): here
        // from a sheet of another subject.
        doc(
            "f/logiciel",
            "Charger un logiciel",
            "Depuis le serveur.",
            "Ouvrez le catalogue.",
        ),
    ];
    for k in 0..40 {
        docs.push(doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste {k} lent"),
            "Un poste de la salle informatique.",
            &format!("Le poste {k} s'allume lentement."),
        ));
    }
    let qs = ["charger", "demarrer", "redemarrer", "relever"];
    let r = ranked_both_in(docs, &qs);
    assert_eq!(first(&r, "charger"), ["f/logiciel", "a/chariot"]);
    assert_eq!(first(&r, "demarrer"), ["b/demarrer", "c/redemarrer"]);
    assert_eq!(first(&r, "redemarrer"), ["c/redemarrer"]);
    assert_eq!(first(&r, "relever"), ["e/relever"]);
}

#[test]
fn a_verb_negated_without_ne_weighs_as_with_it() {
    // "enceinte marche pas", as typed on a phone, is "enceinte ne marche
    // pas": the sheet about the speaker comes before one that merely says
    // both words, in both engines (analysis::query_words). Before, the
    // verb was required and the other sheet, which says it, came first.
    let mut docs = vec![
        doc(
            "audio/enceinte",
            "Enceinte muette",
            "Aucun son ne sort de l'enceinte.",
            "Allumez l'enceinte et vérifiez le câble audio.",
        ),
        doc(
            "postes/lent",
            "Le poste marche mal",
            "Il marche lentement.",
            "Depuis la mise à jour, le poste marche mal ; l'enceinte du poste grésille.",
        ),
    ];
    for k in 0..40 {
        docs.push(doc(
            &format!("gen/filler-{k:02}"),
            &format!("Poste {k} lent"),
            "Un poste de la salle informatique.",
            &format!("Le poste {k} s'allume lentement."),
        ));
    }
    let qs = ["enceinte marche pas", "enceinte ne marche pas"];
    let r = ranked_both_in(docs, &qs);
    for q in qs {
        assert_eq!(first(&r, q)[..2], ["audio/enceinte", "postes/lent"], "{q}");
    }
}

#[test]
fn a_light_verb_weighs_as_a_negated_one() {
    // "mettre application ipad": the sheet about deploying an application
    // on the iPads never says "mettre", a light verb (lang.rs,
    // `Language::light`); the other says the three words in its body and
    // "mettre" and "application" in its title. The verb weighs as a
    // negated one (× NEG_WEIGHT, in the coordination only where it
    // matches): the iPad sheet comes first in both engines. Required, it
    // cost that sheet a third of the query (coord 2/3, squared) and it
    // came second. Alone, the verb is the query.
    let mut docs = vec![
        doc(
            "tablettes/deployer",
            "Déployer une application sur les iPad",
            "L'application arrive sur chaque iPad du chariot.",
            "Choisissez l'application dans la console, cochez les iPad du chariot, validez.",
        ),
        doc(
            "postes/mise-a-jour",
            "Mettre une application à jour",
            "Le poste redémarre pendant la mise à jour de l'application.",
            &format!(
                "{} Pour mettre le poste à jour, fermez chaque application ouverte ; un iPad branché au poste se recharge. {}",
                filler(1),
                filler(2)
            ),
        ),
    ];
    for k in 0..40 {
        docs.push(doc(
            &format!("gen/poste-{k:02}"),
            &format!("Poste {k}"),
            "Un poste de la salle informatique.",
            &filler(k),
        ));
    }
    docs.push(doc(
        "postes/mettre-en-veille",
        "Mettre un poste en veille",
        "Mettre le poste en veille le soir.",
        "Mettre en veille : menu Démarrer.",
    ));
    let r = ranked_both_in(docs, &["mettre application ipad", "mettre"]);
    assert_eq!(
        first(&r, "mettre application ipad")[..2],
        ["tablettes/deployer", "postes/mise-a-jour"]
    );
    assert_eq!(first(&r, "mettre")[0], "postes/mettre-en-veille");
}

#[test]
fn the_words_teachers_use_find_the_words_sheets_say() {
    // Built-in school-IT groups (lang.rs, lexicon17): a teacher "scans"
    // what the sheet "numérise", has a "casque" where it says "écouteurs",
    // and the poste is "planté" where it says "figé".
    // Without the groups none of these sheets matches its query's verb
    // and a sheet saying the other words of the query comes first. The
    // Start menu ("menu Démarrer") is no "allumer": not grouped.
    let mut docs = vec![
        doc(
            "copieur/numeriser",
            "Numériser un document vers sa messagerie",
            "Le copieur numérise et envoie le fichier par courriel.",
            "Posez la feuille sur la vitre, choisissez Numériser, puis votre adresse.",
        ),
        doc(
            "audio/ecouteurs",
            "Les écouteurs ne donnent aucun son",
            "Vérifiez la prise des écouteurs en façade du poste.",
            "Branchez les écouteurs sur la prise verte, puis montez le son.",
        ),
        doc(
            "audio/volume",
            "Régler le volume audio du poste",
            "Le volume audio se règle dans la barre des tâches.",
            "Cliquez sur le haut-parleur de la barre des tâches.",
        ),
        doc(
            "postes/fige",
            "Poste figé en salle informatique",
            "L'écran ne répond plus : la souris ne bouge plus.",
            "Appuyez longuement sur le bouton, attendez dix secondes, rallumez.",
        ),
        doc(
            "postes/parametres",
            "Régler la langue du poste",
            "La langue se choisit dans les paramètres.",
            "Ouvrez le menu Démarrer, puis Paramètres, puis Langue.",
        ),
        doc(
            "copieur/document",
            "Photocopier un document recto verso",
            "Un document et un poste en salle.",
            "Le document part du poste ; il est imprimé en salle.",
        ),
    ];
    for k in 0..30 {
        docs.push(doc(
            &format!("gen/poste-{k:02}"),
            &format!("Poste {k}"),
            "Un poste de la salle informatique.",
            &filler(k),
        ));
    }
    let qs = ["scanner un document", "casque audio", "mon poste a planté", "allumer"];
    let r = ranked_both_in(docs, &qs);
    assert_eq!(first(&r, "scanner un document")[0], "copieur/numeriser");
    assert_eq!(first(&r, "casque audio")[0], "audio/ecouteurs");
    assert_eq!(first(&r, "mon poste a planté")[0], "postes/fige");
    assert!(
        !first(&r, "allumer").iter().any(|i| i == "postes/parametres"),
        "{:?}",
        first(&r, "allumer")
    );
}

#[test]
fn a_word_run_together_with_its_elision_and_a_verb_that_says_it_works_cost_nothing() {
    // Two ways a phone query says nothing of the subject (rank26). "jai"
    // is "j'ai" typed without its apostrophe: a stop word (lang.rs), no
    // longer an unknown word whose typo candidates ("mai") the real sheet
    // lacks. "marche" only says that the password works: a light verb
    // (lang.rs, `Language::light`), so the sheet that never says it is
    // not a third of the query short. Without either rule the other sheet
    // comes first (coordination 2/3, squared), in both engines.
    let mut docs = vec![
        tagged(
            "ent/mot-de-passe-oublie",
            "J'ai oublié mon mot de passe",
            &["mot de passe", "oublié"],
            "Le mot de passe de l'ENT se réinitialise depuis la page de connexion. Un élève qui ne se souvient plus du sien demande au professeur principal.",
        ),
        doc(
            "postes/mot-de-passe-mai",
            "Les postes après les vacances de mai",
            "Après les vacances de mai, plusieurs postes demandent un mot de passe.",
            &format!(
                "{} En mai, la marche à suivre : saisir le mot de passe, même oublié, il ne s'affiche plus. {}",
                filler(3),
                filler(4)
            ),
        ),
    ];
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["jai oublie mon mdp", "mon mdp marche plus"]);
    assert_eq!(first(&r, "jai oublie mon mdp")[0], "ent/mot-de-passe-oublie");
    assert_eq!(first(&r, "mon mdp marche plus")[0], "ent/mot-de-passe-oublie");
}

#[test]
fn the_particle_of_a_negation_is_no_word_of_the_subject() {
    // "le projo affiche rien": "affiche" is negated (rank24) and "rien"
    // after it is the negation's (rank26): the sheet about the projector
    // showing no signal never says "rien", a sheet saying the three words
    // in its body did, and came first while "rien" was required (its
    // coordination 2/3 against 3/3). Both engines.
    let mut docs = vec![
        doc(
            "videoprojection/pas-de-signal",
            "Le vidéoprojecteur affiche « Aucun signal »",
            "Écran noir au tableau : choisir la source HDMI.",
            "Allumez le vidéoprojecteur, puis le poste. Choisissez la source HDMI 1 avec la télécommande.",
        ),
        doc(
            "postes/salle",
            "Le poste de la salle et le vidéoprojecteur",
            "Un poste de la salle.",
            &format!(
                "{} Le poste affiche la session ; rien à signaler pour le vidéoprojecteur. {}",
                filler(6),
                filler(7)
            ),
        ),
    ];
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["le projo affiche rien"]);
    assert_eq!(first(&r, "le projo affiche rien")[0], "videoprojection/pas-de-signal");
}

#[test]
fn a_guessed_word_beside_known_ones_counts_only_where_it_matches() {
    // "internet rame en classe": "rame" is no word of the site, and its
    // typo candidate "ram" is what another sheet's body says. Beside two
    // known words (rank27, `GUESS_KNOWN_MIN`) the guess counts in the
    // coordination only where it matches: the sheet about slow internet
    // in class, which never says "ram", comes before the one saying the
    // three words in its body (without the rule its coordination is 2/3
    // against 1, squared). Beside one known word the guess stays
    // required: "dupliqer ecran" still finds the sheet saying "dupliquer"
    // before the screens that do not. Both engines.
    let mut docs = vec![
        doc(
            "reseau/lenteurs-internet",
            "Internet est très lent en classe",
            "Les pages mettent longtemps à s'ouvrir, les vidéos s'arrêtent.",
            "Testez un autre site. Si toute la classe regarde la même vidéo, le débit du lycée est partagé.",
        ),
        doc(
            "postes/memoire",
            "Ajouter de la mémoire à un poste",
            "La mémoire vive d'un poste.",
            &format!(
                "{} La RAM du poste limite internet en classe : internet en classe demande de la RAM. {}",
                filler(3),
                filler(4)
            ),
        ),
        doc(
            "affichage/dupliquer",
            "Dupliquer l'affichage",
            "Montrer la même image aux élèves.",
            "Appuyez sur Windows + P et choisissez Dupliquer pour voir le bureau sur le second écran.",
        ),
    ];
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["internet rame en classe", "dupliqer ecran"]);
    assert_eq!(first(&r, "internet rame en classe")[0], "reseau/lenteurs-internet");
    assert_eq!(first(&r, "dupliqer ecran")[0], "affichage/dupliquer");
}

#[test]
fn a_phones_short_words_find_what_sheets_spell_out() {
    // Built-in groups of rank27 (lang.rs): "ampli" is the sheet's
    // "amplificateur", "tel" its "téléphone", "stylo" the stylus it calls
    // "stylet". Without them "ampli" and "stylo" are unknown (no
    // candidate, or "style"), "tel" is guessed, and a sheet saying the
    // query's other words comes first. Both engines.
    let mut docs = vec![
        doc(
            "affichage/son-enceintes",
            "Pas de son dans les enceintes",
            "Sortie audio, volume de l'amplificateur.",
            "Vérifiez que l'amplificateur sous le bureau est allumé.",
        ),
        doc(
            "affichage/lampe",
            "Le voyant de la salle clignote",
            "Un voyant clignote sous le bureau de la salle.",
            "Notez la salle et le voyant du bureau.",
        ),
        doc(
            "affichage/calibrer",
            "Recalibrer l'écran interactif",
            "Le stylet écrit à côté du point touché.",
            "Touchez le centre de chaque croix avec le stylet.",
        ),
        doc(
            "bureautique/style",
            "Appliquer un style au texte écrit",
            "Le style du texte écrit à côté de l'image.",
            "Choisissez un style ; le texte écrit se place à côté.",
        ),
        doc(
            "pronote/mobile",
            "Installer l'application mobile Pronote",
            "Consulter l'emploi du temps depuis son téléphone.",
            "Installez l'application, puis scannez le code.",
        ),
        doc(
            "pronote/appli-poste",
            "Pronote sur le poste de la salle",
            "L'application Pronote du poste, appli du bureau.",
            "Ouvrez l'appli Pronote ; le tal du bureau la lance.",
        ),
    ];
    docs.extend(slow_posts());
    let qs = [
        "ampli de la salle",
        "le stylo ecrit a cote",
        "appli pronote sur mon tel",
    ];
    let r = ranked_both_in(docs, &qs);
    assert_eq!(first(&r, "ampli de la salle")[0], "affichage/son-enceintes");
    assert_eq!(first(&r, "le stylo ecrit a cote")[0], "affichage/calibrer");
    assert_eq!(first(&r, "appli pronote sur mon tel")[0], "pronote/mobile");
}

#[test]
fn a_cartridge_finds_the_sheet_that_says_toner() {
    // session 31: « cartouche vide », as a teacher says it, found no sheet
    // of a college whose printer sheet says « toner » (and, the last word
    // completed, put « vidéo » first). The group joins the two words, not
    // « encre », which is also a TNI pen's ink. Both engines.
    let mut docs = vec![
        doc(
            "impression/hors-ligne",
            "L'imprimante n'imprime plus",
            "Rien ne sort de l'imprimante de la salle.",
            "Regardez l'écran de l'imprimante : papier, toner ou bourrage.",
        ),
        doc(
            "affichage/son",
            "Pas de son pendant une vidéo",
            "La vidéo défile, les enceintes restent muettes.",
            "Vérifiez le volume de la salle avant le cours.",
        ),
        doc(
            "tni/encre",
            "Changer la couleur de l'encre du stylet",
            "L'encre numérique du tableau interactif.",
            "Choisissez la couleur de l'encre dans la barre d'outils.",
        ),
    ];
    docs.extend(slow_posts());
    let qs = ["cartouche vide", "cartouche", "toner"];
    let r = ranked_both_in(docs, &qs);
    for q in qs {
        assert_eq!(first(&r, q)[0], "impression/hors-ligne", "{q}");
    }
    assert!(!first(&r, "cartouche").contains(&"tni/encre".to_string()), "{r:?}");
}

#[test]
fn a_word_run_together_says_the_tags_of_its_pieces() {
    // "classemobile" typed on a phone is "classe mobile" run together: the
    // planner splits it (an unknown word, both pieces known), and since
    // rank28 the tag plan lists the pieces' keys (`/class/mobil`), as it
    // did for two typed words it joins. The sheet tagged "classe mobile"
    // then comes before sheets whose bodies say "classe" and "mobile"
    // more often; without the rule its tag said nothing of the query (the
    // only tag run was `/classemobil`). The exact title terms of the
    // pieces are planned too, as for a joined pair. Both engines.
    let mut docs = vec![
        tagged(
            "chromebooks/chariot",
            "Ranger et recharger le chariot",
            &["classe mobile", "chariot", "recharge"],
            "Chaque appareil revient dans sa case ; branchez le chariot sur la prise.",
        ),
        tagged(
            "ent/application-mobile",
            "Installer l'application sur le téléphone",
            &["application", "téléphone"],
            &format!("{} L'application mobile de la classe. {}", filler(1), filler(2)),
        ),
        tagged(
            "tablettes/mobile",
            "Tablettes en classe",
            &["tablette", "ipad"],
            &format!(
                "{} Une classe et le réseau mobile de la classe. {}",
                filler(3),
                filler(4)
            ),
        ),
    ];
    docs.extend(slow_posts());
    let r = ranked_both_in(docs, &["classemobile", "classemobile charge pas"]);
    assert_eq!(first(&r, "classemobile")[0], "chromebooks/chariot");
    assert_eq!(first(&r, "classemobile charge pas")[0], "chromebooks/chariot");
}

/// The sheets of `tests/fixtures/dept-pool` (rank29: a département's
/// support team, sentences typed whole), and `crowd` beside them.
fn dept_site_with(crowd: Vec<SearchDoc>) -> Vec<SearchDoc> {
    let (_, mut docs) = common::load_site(&common::repo().join("tests/fixtures/dept-pool"));
    docs.extend(crowd);
    docs.extend(slow_posts());
    docs
}

#[test]
fn the_words_that_say_how_a_sentence_asks_weigh_as_light_verbs() {
    // rank29: "l'ordinateur de ma salle ne démarre pas ce matin": "matin"
    // says when, not what about (lang.rs, `Language::light`).
    // Required, each cost the département's sheet, which never says it, a
    // share of the query (coordination squared) against sheets whose
    // bodies say every word; as light words they count only where they
    // match. Both engines, on the real site.
    let crowd = vec![doc(
        "gen/conseils",
        "Conseils",
        "Un rappel.",
        &format!(
            "{} Le matin, l'ordinateur de la salle démarre. {}",
            filler(1),
            filler(2)
        ),
    )];
    let qs = ["l'ordinateur de ma salle ne démarre pas ce matin"];
    let r = ranked_both_in(dept_site_with(crowd), &qs);
    assert_eq!(first(&r, qs[0])[0], "postes/poste-ne-demarre-pas");
}

#[test]
fn the_particle_after_an_auxiliary_is_the_negations() {
    // rank29: "les ipad sont jamais chargés": "jamais" after the
    // auxiliary "sont" (a stop word) is the negation's, as after a
    // negated verb (`Language::auxiliaries`); required, it cost the
    // referent's sheet "Les iPad de la mallette ne sont pas chargés" a
    // third of the query against a sheet whose body says "jamais".
    let crowd = vec![doc(
        "gen/ipad-jamais",
        "Prêter un iPad",
        "Un iPad pour chaque élève.",
        &format!(
            "{} Un iPad jamais chargé ; les iPad chargés, jamais rendus ; iPad jamais chargés. {}",
            filler(7),
            filler(8)
        ),
    )];
    let q = "les ipad sont jamais chargés";
    let r = ranked_both_in(dept_site_with(crowd), &[q]);
    assert_eq!(first(&r, q)[0], "tablettes/mallette-recharge");
}

/// The tag terms each query plans (`Plan::tag_runs`), in the CLI.
fn tag_runs_of(qs: &[&str]) -> Vec<Vec<String>> {
    let docs = vec![
        doc("a/poste", "Poste lent", "Un poste.", "Le poste démarre."),
        doc("b/imprimante", "Imprimante", "Une imprimante.", "Imprimer."),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let cli = CliIndex::open_or_build(tmp.path(), &cfg(), &docs).unwrap();
    qs.iter()
        .map(|q| {
            let plan = serde_json::to_value(cli.plan(q)).unwrap();
            plan["tag_runs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["term"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn a_verb_says_the_tag_of_the_noun_made_from_it() {
    // rank30: a teacher types the verb of what is to be done
    // ("sauvegarder", "installer", "débloquer"), the author tags the
    // sheet with its noun ("sauvegarde", "installation", "déblocage").
    // The tag key drops the endings of derivation (`Language::tag_endings`),
    // so the sheet whose tags say the verb's noun comes before sheets
    // whose bodies repeat the verb. Both engines (equal plans, equal
    // rankings).
    let mut docs = vec![
        tagged(
            "serveur/enregistrer",
            "Où enregistrer ses fichiers",
            &["sauvegarde", "fichiers"],
            "Le lecteur personnel est sauvegardé chaque nuit.",
        ),
        tagged(
            "ipad/application",
            "Une application sur les iPad",
            &["installation", "iPad"],
            "La console installe les applications demandées.",
        ),
        tagged(
            "internet/site",
            "Site filtré par le collège",
            &["déblocage", "filtrage"],
            "Un site bloqué à tort est débloqué sur demande.",
        ),
    ];
    for k in 0..4 {
        docs.push(tagged(
            &format!("gen/conseil-{k}"),
            &format!("Conseil {k} pour la salle"),
            &["salle"],
            &format!(
                "{} Sauvegarder le poste, installer le logiciel, débloquer la session ; \
                 sauvegarder, installer, débloquer. {}",
                filler(k),
                filler(k + 1)
            ),
        ));
    }
    let qs = ["sauvegarder", "installer", "debloquer un site"];
    let r = ranked_both_in(docs, &qs);
    assert_eq!(first(&r, qs[0])[0], "serveur/enregistrer");
    assert_eq!(first(&r, qs[1])[0], "ipad/application");
    assert_eq!(first(&r, qs[2])[0], "internet/site");
}

#[test]
fn a_tag_key_joins_a_verb_and_its_noun_never_two_words() {
    // rank30: the key of a tag word is the word without its endings of
    // number, gender and derivation, not its stem: "imprimer" is not
    // "imprimante" (`imprim`, `imprimant`), "partager" is "partage" but
    // not "part", "message" keeps its "-age"; the irregular nouns
    // ("connexion", "ouverture") are the lexicon's.
    let same = [
        ("sauvegarder", "sauvegarde"),
        ("installer", "installation"),
        ("verifier", "vérification"),
        ("attribuer", "attribution"),
        ("remplacer", "remplacement"),
        ("demarrer", "démarrage"),
        ("debloquer", "déblocage"),
        ("saisir", "saisie"),
        ("partager", "partage"),
        ("connecter", "connexion"),
        ("ouvrir", "ouverture"),
        ("bloquer", "bloquées"),
    ];
    let other = [
        ("imprimer", "imprimante"),
        ("imprimer", "impression"),
        ("partage", "part"),
        ("message", "messagerie"),
        ("installer", "instable"),
    ];
    for (a, b) in same {
        let k = tag_runs_of(&[a, b]);
        assert_eq!(k[0], k[1], "{a} / {b}");
    }
    for (a, b) in other {
        let k = tag_runs_of(&[a, b]);
        assert_ne!(k[0], k[1], "{a} / {b}");
    }
}

#[test]
fn a_teachers_everyday_word_finds_the_sheet_that_names_it_otherwise() {
    // rank31: the lexicon's everyday words (`lang.rs`, FRENCH_SYNONYMS): a
    // teacher types "chariot", "reformater", the sheet says "classe
    // mobile", "réinstaller". Each query finds its sheet first, before
    // shorter sheets that say the query's other word again and again;
    // both engines alike.
    let mut docs = vec![
        doc(
            "portables/classe-mobile",
            "Préparer la classe mobile",
            "Les ordinateurs de la classe mobile, prêts avant le cours.",
            "Branchez le meuble la veille.",
        ),
        doc(
            "portables/reinstaller",
            "Réinstaller un ordinateur de la salle",
            "Remettre le système d'origine par le réseau.",
            "Choisissez l'image du collège au démarrage.",
        ),
    ];
    for k in 0..4 {
        docs.push(doc(
            &format!("gen/salle-{k}"),
            &format!("Ordinateur {k}"),
            "Un document de la salle.",
            &format!("{} L'ordinateur, l'ordinateur du cours. {}", filler(k), filler(k + 1)),
        ));
    }
    let qs = ["chariot", "reformater un ordinateur"];
    let r = ranked_both_in(docs, &qs);
    assert_eq!(first(&r, qs[0])[0], "portables/classe-mobile", "{:?}", first(&r, qs[0]));
    assert_eq!(first(&r, qs[1])[0], "portables/reinstaller", "{:?}", first(&r, qs[1]));
}

#[test]
fn a_word_with_two_senses_is_not_joined_to_either_other_word() {
    // rank31: "portable" is the laptop (the lycée's "Ordinateurs portables")
    // and, for many, the phone; a group joining both would make each find
    // the other. It stays the laptop's: `portable` never finds the phone's
    // sheet, which `téléphone` and `smartphone` find.
    let mut docs = vec![
        doc(
            "portables/batterie",
            "Un ordinateur portable ne charge plus",
            "Le portable de la classe reste à 0 %.",
            "Vérifiez le câble de la prise.",
        ),
        doc(
            "pronote/telephone",
            "Pronote sur son téléphone",
            "L'application mobile de Pronote sur le téléphone.",
            "Installez l'application depuis le magasin.",
        ),
    ];
    for k in 0..3 {
        docs.push(doc(
            &format!("gen/salle-{k}"),
            &format!("Salle {k}"),
            "Un document de la salle.",
            &format!("{} {}", filler(k), filler(k + 1)),
        ));
    }
    let qs = ["portable", "smartphone"];
    let r = ranked_both_in(docs, &qs);
    let portable = first(&r, qs[0]);
    assert_eq!(portable[0], "portables/batterie", "{portable:?}");
    assert!(!portable.contains(&"pronote/telephone".to_string()), "{portable:?}");
    assert_eq!(first(&r, qs[1])[0], "pronote/telephone", "{:?}", first(&r, qs[1]));
    assert!(
        !first(&r, qs[1]).contains(&"portables/batterie".to_string()),
        "{:?}",
        first(&r, qs[1])
    );
}

/// A link's text as the site's renderer marks it in a body.
fn link(text: &str) -> String {
    format!("{}{text}{}", fiches_search::LINK_START, fiches_search::LINK_END)
}

#[test]
fn a_sheet_that_links_to_another_by_its_title_does_not_outrank_it() {
    // rank32 (review29's `fraiseuse bloquée`): real sheets link to each
    // other by title ("voir la fiche « Réinitialiser le poste de la
    // fraiseuse »"). The link's text names the page it points to: in the
    // page that holds it, it weighs less than the page's own words, so a
    // sheet saying one query word itself and the other only in a link
    // comes after the sheet that says both; both engines alike.
    let mut docs = vec![doc(
        "atelier/fraiseuse",
        "Réinitialiser le poste de la fraiseuse",
        "Remettre la machine en route après un arrêt d'urgence.",
        &format!(
            "{} Quand la broche reste bloquée, coupez l'alimentation, attendez, relancez le poste. {}",
            filler(1),
            filler(2)
        ),
    )];
    for k in 0..3 {
        docs.push(doc(
            &format!("pronote/compte-{k}"),
            &format!("Compte Pronote bloqué {k}"),
            "Le compte est bloqué après trop d'essais.",
            &format!(
                "Le compte reste bloqué une heure. Pour la machine de l'atelier, voir {}. {}",
                link("Réinitialiser le poste de la fraiseuse"),
                filler(k)
            ),
        ));
    }
    docs.extend(slow_posts());
    let qs = ["fraiseuse bloquée", "réinitialiser le poste de la fraiseuse"];
    let r = ranked_both_in(docs, &qs);
    for q in qs {
        let ids = first(&r, q);
        assert_eq!(ids[0], "atelier/fraiseuse", "{q}: {ids:?}");
    }
}

#[test]
fn a_word_said_only_in_a_link_still_finds_the_sheet() {
    // rank32: the link's text weighs less, it is not dropped. A sheet
    // whose only "copieur" is in two links is found by `copieur`, after
    // the sheet that says it once in its own text (with the links' text
    // weighed as the body, the two links came first); `badge copieur`
    // still finds the badge sheet first (the case that must not change).
    let mut docs = vec![
        doc(
            "impression/badge",
            "Badge perdu",
            "Demander un nouveau badge au secrétariat.",
            &format!(
                "Le badge ouvre les portes. Voir {} et {}. {}",
                link("la fiche du copieur"),
                link("le copieur du CDI"),
                filler(3)
            ),
        ),
        doc(
            "impression/code",
            "Code oublié",
            "Retrouver son code.",
            &format!("Le code du copieur est dans l'ENT. {}", filler(4)),
        ),
    ];
    // Sheets link to each other a lot: every other sheet holds a link too.
    docs.extend(slow_posts().map(|mut d| {
        d.body.push_str(&format!(" Voir {}.", link("la fiche du poste lent")));
        d
    }));
    let qs = ["copieur", "badge copieur"];
    let r = ranked_both_in(docs, &qs);
    let ids = first(&r, "copieur");
    assert_eq!(ids[..2], ["impression/code", "impression/badge"], "{ids:?}");
    let ids = first(&r, "badge copieur");
    assert_eq!(ids[0], "impression/badge", "{ids:?}");
}
