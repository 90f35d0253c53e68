//! One test per analysis rule of the product issue.
use fiches_search::engine::plan;
use fiches_search::{Analyzer, SearchConfig};

fn fr() -> Analyzer {
    Analyzer::new(&SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    })
}

fn terms(a: &Analyzer, s: &str) -> Vec<String> {
    a.terms(s)
}

#[test]
fn folding_lowercase_and_diacritics() {
    let a = fr();
    assert_eq!(terms(&a, "réseau"), terms(&a, "reseau"));
    assert_eq!(terms(&a, "élève"), terms(&a, "eleve"));
    assert_eq!(terms(&a, "ÉLÈVE"), terms(&a, "eleve"));
    assert_eq!(terms(&a, "Cœur"), terms(&a, "coeur"));
    // Decomposed input (e + combining acute) folds the same.
    assert_eq!(terms(&a, "re\u{301}seau"), terms(&a, "reseau"));
    assert_eq!(fiches_search::analysis::fold("Ça Déjà"), "ca deja");
}

#[test]
fn elision_with_both_apostrophes() {
    let a = fr();
    let plain = terms(&a, "imprimante");
    assert_eq!(terms(&a, "l'imprimante"), plain);
    assert_eq!(terms(&a, "l’imprimante"), plain);
    assert_eq!(terms(&a, "d'ENT"), vec!["ent".to_string()]);
    assert_eq!(terms(&a, "d’ENT"), vec!["ent".to_string()]);
    assert_eq!(terms(&a, "qu’il"), Vec::<String>::new());
    // Not an elision: both halves are kept.
    assert_eq!(terms(&a, "aujourd'hui").len(), 2);
}

#[test]
fn stop_words_are_dropped() {
    let a = fr();
    assert!(terms(&a, "le la les de des du et à pour avec dans").is_empty());
    assert_eq!(terms(&a, "le mot de passe"), terms(&a, "mot passe"));
}

#[test]
fn french_stemming_of_imprimer() {
    let a = fr();
    let s = terms(&a, "imprimante")[0].clone();
    assert_eq!(terms(&a, "imprimantes"), vec![s.clone()]);
    assert_eq!(terms(&a, "imprimer"), vec![s.clone()]);
    assert_eq!(terms(&a, "Imprimé"), vec![s]);
    assert_eq!(terms(&a, "tablettes"), terms(&a, "tablette"));
}

#[test]
fn hyphenated_words_index_joined_form_and_parts() {
    let a = fr();
    let t = terms(&a, "Wi-Fi");
    let wifi = terms(&a, "wifi");
    let parts = terms(&a, "wi fi");
    assert_eq!(t.len(), 3, "{t:?}");
    assert_eq!(t[0], wifi[0]);
    assert_eq!(t[1..].to_vec(), parts);
    // Non-breaking and Unicode hyphens too.
    assert_eq!(terms(&a, "Wi\u{2011}Fi"), t);
}

#[test]
fn hyphenated_query_matches_every_spelling() {
    // "wi fi" typed as two words is joined when the corpus knows "wifi".
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    let a = Analyzer::new(&cfg);
    let docs = [
        doc("a", "Configurer le WiFi"),
        doc("b", "Le wi-fi des élèves"),
        doc("c", "Réseau filaire"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for q in ["wifi", "wi-fi", "wi fi", "Wi‑Fi"] {
        let hits = fiches_search::search_cli(tmp.path(), &cfg, &docs, q, 10, None).unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert!(
            ids.contains(&"a") && ids.contains(&"b") && !ids.contains(&"c"),
            "{q}: {ids:?}"
        );
    }
    drop(a);
}

#[test]
fn abbreviations_are_kept() {
    let a = fr();
    assert_eq!(terms(&a, "ENT"), vec!["ent"]);
    assert_eq!(terms(&a, "l'ENT"), vec!["ent"]);
    assert_eq!(terms(&a, "TNI"), vec!["tni"]);
    assert_eq!(terms(&a, "VPI"), vec!["vpi"]);
    assert_eq!(terms(&a, "PIX"), vec!["pix"]);
    assert_eq!(terms(&a, "HDMI"), vec!["hdmi"]);
    // Lowercase too: not a stop word, not stemmed away.
    assert_eq!(terms(&a, "ent"), vec!["ent"]);
    assert_eq!(terms(&a, "pix"), vec!["pix"]);
}

fn doc(id: &str, title: &str) -> fiches_search::SearchDoc {
    fiches_search::SearchDoc {
        id: id.into(),
        kind: fiches_search::Kind::Fiche,
        title: title.into(),
        url: format!("fiches/{id}/index.html"),
        category: String::new(),
        audience: vec![],
        tags: vec![],
        summary: String::new(),
        body: String::new(),
        code: String::new(),
    }
}

fn ids(cfg: &SearchConfig, docs: &[fiches_search::SearchDoc], q: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    fiches_search::search_cli(tmp.path(), cfg, docs, q, 10, None)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn built_in_synonyms() {
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    let docs = [
        doc("tbi", "Calibrer le TBI"),
        doc("proj", "Allumer le vidéoprojecteur"),
        doc("ordi", "Redémarrer l'ordinateur"),
        doc("appli", "Installer une application"),
    ];
    assert_eq!(ids(&cfg, &docs, "tni"), vec!["tbi"]);
    assert_eq!(ids(&cfg, &docs, "vpi"), vec!["tbi"]);
    assert_eq!(ids(&cfg, &docs, "projecteur"), vec!["proj"]);
    assert_eq!(ids(&cfg, &docs, "video projecteur"), vec!["proj"]);
    assert_eq!(ids(&cfg, &docs, "pc"), vec!["ordi"]);
    assert_eq!(ids(&cfg, &docs, "ordi"), vec!["ordi"]);
    assert_eq!(ids(&cfg, &docs, "appli"), vec!["appli"]);
}

#[test]
fn multi_word_synonym() {
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    let docs = [
        doc("mdp", "Changer son mot de passe"),
        doc("abbr", "Réinitialiser un mdp"),
        doc("tableau", "Le tableau numérique interactif"),
        doc("autre", "Mot du principal"),
    ];
    let r = ids(&cfg, &docs, "mdp");
    assert_eq!(
        r[..2].iter().collect::<std::collections::BTreeSet<_>>(),
        ["abbr", "mdp"]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .iter()
            .collect()
    );
    assert!(!r.contains(&"autre".to_string()), "{r:?}");
    let r = ids(&cfg, &docs, "mot de passe");
    assert!(r.contains(&"abbr".to_string()) && r[0] != "autre", "{r:?}");
    assert_eq!(ids(&cfg, &docs, "tni"), vec!["tableau"]);
}

#[test]
fn site_synonyms_extend_the_built_in_list() {
    let docs = [
        doc("scribe", "Distribuer un devoir avec Scribe"),
        doc("ead", "Ouvrir l'EAD"),
    ];
    let plain = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    assert!(ids(&plain, &docs, "serveur pédagogique").is_empty());
    let site = SearchConfig {
        language: "fr".into(),
        synonyms: vec![
            vec!["scribe".into(), "serveur pédagogique".into()],
            vec!["ead".into(), "espace d'administration".into()],
        ],
    };
    assert_eq!(ids(&site, &docs, "serveur pédagogique"), vec!["scribe"]);
    assert_eq!(ids(&site, &docs, "espace administration"), vec!["ead"]);
    // Built-in groups still work alongside.
    let docs2 = [doc("tbi", "Calibrer le TBI")];
    assert_eq!(ids(&site, &docs2, "tni"), vec!["tbi"]);
}

#[test]
fn typos_and_prefixes() {
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    let docs = [doc("t", "La tablette ne charge pas"), doc("i", "Imprimante hors ligne")];
    assert_eq!(ids(&cfg, &docs, "tablete"), vec!["t"]); // 1 typo from 4 letters
    assert_eq!(ids(&cfg, &docs, "tbalette"), vec!["t"]); // typo in the first letters (issue 14)
    assert_eq!(ids(&cfg, &docs, "ablette"), vec!["t"]); // first letter missing
    assert_eq!(ids(&cfg, &docs, "imprimnate"), vec!["i"]); // transposition
    assert_eq!(ids(&cfg, &docs, "impr"), vec!["i"]); // last word as a prefix
    assert!(ids(&cfg, &docs, "tab").contains(&"t".to_string()));
    // Short words: one edit from 3 letters, to a word of the vocabulary
    // ("tqb" is two edits from every word here).
    assert!(ids(&cfg, &docs, "tqb").is_empty());
    assert_eq!(ids(&cfg, &docs, "hros"), vec!["i"]);
}

#[test]
fn query_analysis_drops_stop_words_and_tracks_adjacency() {
    let a = fr();
    let w = a.query_words("le vidéoprojecteur n’affiche rien");
    let s: Vec<&str> = w.iter().map(|w| w.surface.as_str()).collect();
    assert_eq!(s, ["videoprojecteur", "affiche", "rien"]);
    assert!(!w[1].adjacent, "an elided particle separates words");
    assert!(w[2].adjacent);
}

#[test]
fn other_languages_and_fallback() {
    let en = Analyzer::new(&SearchConfig {
        language: "en".into(),
        synonyms: vec![],
    });
    assert_eq!(en.terms("The printers"), en.terms("printer"));
    let xx = Analyzer::new(&SearchConfig {
        language: "xx".into(),
        synonyms: vec![],
    });
    // Plain folding: no stop words, no stemming.
    assert_eq!(xx.terms("Les Imprimantes"), vec!["les", "imprimantes"]);
    let empty = fiches_search::corpus::Vocab::default();
    assert!(plan(&xx, &empty, 0, "", false).concepts.is_empty());
}

#[test]
fn gender_and_number_forms_share_one_stem() {
    // Snowball strips "-ée(s)" only with its accent, and words are folded
    // before stemming: "bloquée" and "bloqué" had two stems.
    let a = fr();
    for forms in [
        &["bloqué", "bloquée", "bloqués", "bloquées", "bloquee"][..],
        &["verrouillé", "verrouillée", "verrouillees"],
        &["créé", "créée", "créées", "créer"],
        &["vidéo", "vidéos", "video"],
        &["premier", "première", "premières", "premiers"],
        &["connexion", "connexions"],
        &["marche", "marchent"],
        &["fonctionne", "fonctionnent"],
    ] {
        let stems: Vec<Vec<String>> = forms.iter().map(|w| terms(&a, w)).collect();
        assert!(
            stems.iter().all(|s| s == &stems[0] && s.len() == 1),
            "{forms:?}: {stems:?}"
        );
    }
    // Other words keep their own stems.
    assert_ne!(terms(&a, "bloquée"), terms(&a, "bloc"));
    assert_eq!(terms(&a, "gros"), ["gros"]);
    assert_eq!(terms(&a, "excellent"), terms(&a, "excellente"));
}

#[test]
fn compatibility_forms_fold_to_plain_letters() {
    // French typography and text pasted from a PDF: superscript ordinals,
    // ligatures, full-width letters.
    let a = fr();
    assert_eq!(terms(&a, "2ᵉ"), ["2e"]);
    assert_eq!(terms(&a, "1ʳᵉ"), ["1re"]);
    assert_eq!(terms(&a, "ﬁche"), terms(&a, "fiche"));
    assert_eq!(terms(&a, "ＥＮＴ"), ["ent"]);
    assert_eq!(terms(&a, "Œuvre"), terms(&a, "oeuvre"));
}

#[test]
fn a_negation_without_ne_as_typed_on_a_phone() {
    // Spoken and typed French drops "ne": "marche pas" says that something
    // is broken as "ne marche pas" does (the verb weighs less, need not
    // match). Not when the negation is the next word's ("pas internet"),
    // nor for the first word ("premiers pas"), nor "plus", which after a
    // noun compares.
    let a = fr();
    let neg =
        |q: &str| -> Vec<(String, bool)> { a.query_words(q).into_iter().map(|w| (w.surface, w.negated)).collect() };
    let w = |s: &str, n: bool| (s.to_string(), n);
    assert_eq!(neg("le son ne marche pas"), [w("son", false), w("marche", true)]);
    assert_eq!(neg("pronote marche pas"), [w("pronote", false), w("marche", true)]);
    // The particle after the verb is the negation's (rank26).
    assert_eq!(
        neg("le projo affiche rien"),
        [w("projo", false), w("affiche", true), w("rien", true)]
    );
    assert_eq!(
        neg("eleves peuvent pas se connecter"),
        [w("eleves", false), w("peuvent", true), w("connecter", false)]
    );
    assert_eq!(
        neg("pc fixe pas internet"),
        [w("pc", false), w("fixe", false), w("internet", false)]
    );
    assert_eq!(neg("premiers pas"), [w("premiers", false)]);
    assert_eq!(
        neg("ecran plus grand"),
        [w("ecran", false), w("plus", false), w("grand", false)]
    );
}

#[test]
fn a_light_verb_is_optional_beside_other_words() {
    // "mettre une appli", "faire l'appel", "donner un doc": the light verb
    // (lang.rs, `Language::light`) says the action through the noun, and
    // the sheet says "installer", "affecter", "partager": it weighs as a
    // negated verb. Alone, or with other light verbs only, it is the query.
    let a = fr();
    let neg =
        |q: &str| -> Vec<(String, bool)> { a.query_words(q).into_iter().map(|w| (w.surface, w.negated)).collect() };
    let w = |s: &str, n: bool| (s.to_string(), n);
    assert_eq!(
        neg("mettre une appli sur les ipad"),
        [w("mettre", true), w("appli", false), w("ipad", false)]
    );
    assert_eq!(neg("faire l'appel"), [w("faire", true), w("appel", false)]);
    assert_eq!(neg("Donnez les manuels"), [w("donnez", true), w("manuels", false)]);
    assert_eq!(neg("mettre"), [w("mettre", false)]);
    assert_eq!(neg("faire mettre"), [w("faire", false), w("mettre", false)]);
    assert_eq!(neg("mise a jour"), [w("mise", false), w("jour", false)]);
}

#[test]
fn marcher_and_fonctionner_are_light_verbs() {
    // "mon mdp marche plus", "le wifi fonctionne mal": the verb says only
    // that the thing works, and the sheet names the thing, seldom the verb
    // (rank26). Beside other words it weighs as a negated verb; alone it
    // is the query.
    let a = fr();
    let neg =
        |q: &str| -> Vec<(String, bool)> { a.query_words(q).into_iter().map(|w| (w.surface, w.negated)).collect() };
    let w = |s: &str, n: bool| (s.to_string(), n);
    // "plus" after it is the negation's (rank26), as is "rien" after a
    // negated verb; not after a noun ("ecran plus grand", above).
    assert_eq!(
        neg("mon mdp marche plus"),
        [w("mdp", false), w("marche", true), w("plus", true)]
    );
    assert_eq!(
        neg("wifi fonctionne plus depuis lundi"),
        [
            w("wifi", false),
            w("fonctionne", true),
            w("plus", true),
            w("depuis", false),
            w("lundi", false)
        ]
    );
    assert_eq!(
        neg("le wifi fonctionne mal"),
        [w("wifi", false), w("fonctionne", true), w("mal", false)]
    );
    assert_eq!(
        neg("les enceintes marchent"),
        [w("enceintes", false), w("marchent", true)]
    );
    assert_eq!(neg("marche"), [w("marche", false)]);
}

#[test]
fn an_elided_word_typed_without_its_apostrophe_is_a_stop_word() {
    // "jai oublié", "cest bloqué", "quil", "sil": on a phone the
    // apostrophe is often left out, and "j'ai" becomes one word no sheet
    // says; it was looked up as an unknown word (typo candidates) and a
    // sheet lacking those candidates lost a share of the query (rank26).
    let a = fr();
    let words = |q: &str| -> Vec<String> { a.query_words(q).into_iter().map(|w| w.surface).collect() };
    assert_eq!(words("jai oublie mon mdp"), ["oublie", "mdp"]);
    assert_eq!(
        words("cest bloque depuis que jai change"),
        ["bloque", "depuis", "change"]
    );
    assert_eq!(words("quil nest pas la"), Vec::<String>::new());
    assert_eq!(words("sil y a un test"), ["test"]);
    // The same words written with the apostrophe: unchanged.
    assert_eq!(words("j'ai oublié mon mdp"), ["oublie", "mdp"]);
}

#[test]
fn a_projector_and_a_problem_as_teachers_say_them() {
    // Built-in synonyms (lang.rs): "projo" is a vidéoprojecteur, "pb" and
    // "souci" a problème.
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    let docs = [
        doc("v", "Le vidéoprojecteur reste noir"),
        doc("p", "Un problème d'imprimante"),
        doc("t", "Tablette perdue"),
    ];
    assert_eq!(ids(&cfg, &docs, "projo"), vec!["v"]);
    assert_eq!(ids(&cfg, &docs, "pb"), vec!["p"]);
    assert_eq!(ids(&cfg, &docs, "souci"), vec!["p"]);
}

#[test]
fn synonym_groups_that_share_a_phrase_are_one_group_however_many_there_are() {
    // Groups chained through shared words, given out of order, are one
    // group; unrelated groups stay apart. 20,000 groups (a hostile or
    // generated `book.toml`) took 25 s when each group was merged with all
    // groups so far (broken20); union-find takes well under a second.
    let mut synonyms: Vec<Vec<String>> = vec![
        vec!["tni".into(), "tbi".into()],
        vec!["vpi".into(), "projecteur".into()],
        vec!["tbi".into(), "vpi".into()],
        vec!["cle".into(), "clef".into()],
    ];
    synonyms.extend((0..20_000).map(|i| vec![format!("mot{i}"), format!("syn{i}")]));
    let start = std::time::Instant::now();
    let a = Analyzer::new(&SearchConfig {
        language: "fr".into(),
        synonyms,
    });
    let groups = &a.synonyms().groups;
    let elapsed = start.elapsed();
    let of = |w: &str| {
        let t = terms(&a, w);
        groups.iter().position(|g| g.contains(&t)).unwrap()
    };
    assert_eq!(of("tni"), of("projecteur"));
    assert_eq!(of("tbi"), of("vpi"));
    assert_ne!(of("tni"), of("clef"));
    assert_eq!(of("mot7"), of("syn7"));
    assert_ne!(of("mot7"), of("mot8"));
    assert!(elapsed < std::time::Duration::from_secs(5), "took {elapsed:?}");
}
