//! Test helpers: a crude loader of a fiches site into `SearchDoc`s (the
//! main crate's Markdown pipeline is not used here on purpose) and the
//! corpora with their relevance sets (read and scored by
//! `fiches_search::relevance`).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use fiches_search::{Kind, SearchConfig, SearchDoc};

#[path = "../../../../tests/common/huge_sheet.rs"]
mod huge_sheet;
pub use huge_sheet::*;

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `$FICHES_SHARED`, else `<repository>/../shared`.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("FICHES_SHARED") {
        Some(p) => PathBuf::from(p),
        None => repo().join("../shared"),
    }
}

/// The facts of tests/fixtures/corpora.json about one corpus.
fn facts(name: &str) -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo().join("tests/fixtures/corpora.json")).unwrap()).unwrap();
    all[name].clone()
}

/// One corpus the relevance tests run on: its name, site root and
/// relevance set.
pub struct Site {
    pub name: String,
    pub root: PathBuf,
    pub queries: PathBuf,
}

/// The realistic corpora: this repository's (always) and the shared one
/// when present (else a printed note: its variant is skipped, not failed).
pub fn corpora() -> Vec<Site> {
    let mut v = Vec::new();
    for name in ["lycee", "college"] {
        let f = facts(name);
        let base = if f["origin"] == "repo" {
            repo()
        } else if shared_dir().join("corpus").is_dir() {
            shared_dir()
        } else {
            eprintln!(
                "note: shared corpus not found at {} (set FICHES_SHARED): its variant of this test is skipped",
                shared_dir().display()
            );
            continue;
        };
        let root = base.join(f["root"].as_str().unwrap());
        assert!(root.is_dir(), "{}", root.display());
        v.push(Site {
            name: name.into(),
            queries: root.join("queries.toml"),
            root,
        });
    }
    v
}

/// The most realistic corpus at hand: the shared one when present, else
/// the repository's.
pub fn realistic() -> Site {
    corpora().pop().unwrap()
}

/// The corpora and the demo site with its relevance set.
pub fn relevance_sites() -> Vec<Site> {
    let mut v = corpora();
    v.push(Site {
        name: "demo".into(),
        root: repo(),
        queries: repo().join("tests/fixtures/demo-queries.toml"),
    });
    v
}

/// Each corpus's huge sheet: (keep-alive, root, id, token, late word). The
/// repository's is generated; the shared one is read in place.
pub fn huge_sheets() -> Vec<(Option<tempfile::TempDir>, PathBuf, String, String, String)> {
    let mut v = Vec::new();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write_huge_sheet_site(&root);
    v.push((
        Some(tmp),
        root,
        HUGE_ID.into(),
        HUGE_TOKEN.into(),
        HUGE_LATE_WORD.into(),
    ));
    if corpora().len() > 1 {
        let f = facts("college");
        let h = &f["broken"]["huge"];
        let s = |k: &str| h[k].as_str().unwrap().to_string();
        v.push((
            None,
            shared_dir().join(f["broken"]["dir"].as_str().unwrap()).join(s("dir")),
            s("id"),
            s("token"),
            s("late_word"),
        ));
    }
    v
}

fn split_front_matter(text: &str) -> (toml::Table, String) {
    let mut lines = text.lines();
    assert_eq!(lines.next().map(str::trim), Some("+++"), "front matter expected");
    let mut fm = String::new();
    for l in lines.by_ref() {
        if l.trim() == "+++" {
            break;
        }
        fm.push_str(l);
        fm.push('\n');
    }
    let body: Vec<&str> = lines.collect();
    (fm.parse::<toml::Table>().expect("front matter TOML"), body.join("\n"))
}

fn strs(t: &toml::Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn str_of(t: &toml::Table, key: &str) -> String {
    t.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string()
}

/// Crude Markdown → (prose, code).
pub fn strip_markdown(md: &str) -> (String, String) {
    let mut prose = String::new();
    let mut code = String::new();
    let mut in_code = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            code.push_str(line);
            code.push('\n');
            continue;
        }
        let mut l = line.trim_start().trim_start_matches('#').to_string();
        if l.trim_start().starts_with("|---") || l.trim_start().starts_with("|:-") {
            continue;
        }
        // ![alt](src) and [text](href) → alt / text
        while let Some(close) = l.find("](") {
            let (Some(end), Some(open)) = (l[close..].find(')'), l[..close].rfind('[')) else {
                break;
            };
            let bang = open > 0 && l.as_bytes()[open - 1] == b'!';
            let text = l[open + 1..close].to_string();
            let start = if bang { open - 1 } else { open };
            l.replace_range(start..close + end + 1, &text);
        }
        let l: String = l
            .chars()
            .map(|c| {
                if matches!(c, '*' | '`' | '|' | '>' | '_') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        prose.push_str(l.trim());
        prose.push('\n');
    }
    (prose, code)
}

pub fn load_site(root: &Path) -> (SearchConfig, Vec<SearchDoc>) {
    let book: toml::Table = fs::read_to_string(root.join("book.toml")).unwrap().parse().unwrap();
    let language = book
        .get("book")
        .and_then(|b| b.get("language"))
        .and_then(|v| v.as_str())
        .unwrap_or("fr")
        .to_string();
    let synonyms = book
        .get("search")
        .and_then(|s| s.get("synonyms"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|g| g.as_array())
                .map(|g| g.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .collect()
        })
        .unwrap_or_default();
    let cfg = SearchConfig { language, synonyms };
    let mut docs = Vec::new();
    let content = root.join("content");
    let fiches = content.join("fiches");
    let mut stack = vec![fiches.clone()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        if p.file_name().unwrap() == "_index.md" {
            continue;
        }
        let (fm, body) = split_front_matter(&fs::read_to_string(&p).unwrap());
        if fm.get("draft").and_then(|v| v.as_bool()) == Some(true) {
            continue;
        }
        let rel = p.strip_prefix(&fiches).unwrap().with_extension("");
        let id = rel.to_string_lossy().replace('\\', "/");
        let cat_index = p.parent().unwrap().join("_index.md");
        let category = if cat_index.is_file() {
            str_of(&split_front_matter(&fs::read_to_string(&cat_index).unwrap()).0, "title")
        } else {
            p.parent().unwrap().file_name().unwrap().to_string_lossy().to_string()
        };
        let (prose, code) = strip_markdown(&body);
        docs.push(SearchDoc {
            url: format!("fiches/{id}/index.html"),
            id,
            kind: Kind::Fiche,
            title: str_of(&fm, "title"),
            category,
            audience: strs(&fm, "audience"),
            tags: strs(&fm, "tags"),
            summary: str_of(&fm, "summary"),
            body: prose,
            code,
        });
    }
    let apero = content.join("apero-tice");
    if apero.is_dir() {
        let mut files: Vec<PathBuf> = fs::read_dir(&apero).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files {
            let (fm, body) = split_front_matter(&fs::read_to_string(&p).unwrap());
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let (prose, code) = strip_markdown(&body);
            docs.push(SearchDoc {
                id: format!("apero/{stem}"),
                kind: Kind::Apero,
                title: str_of(&fm, "title"),
                url: format!("apero-tice/{stem}/index.html"),
                category: String::new(),
                audience: Vec::new(),
                tags: strs(&fm, "tags"),
                summary: String::new(),
                body: prose,
                code,
            });
        }
    }
    let actions = content.join("actions.toml");
    if actions.is_file() {
        let t: toml::Table = fs::read_to_string(&actions).unwrap().parse().unwrap();
        for a in t.get("action").and_then(|v| v.as_array()).cloned().unwrap_or_default() {
            let a = a.as_table().unwrap();
            let id = str_of(a, "id");
            docs.push(SearchDoc {
                id: format!("action/{id}"),
                kind: Kind::Action,
                title: str_of(a, "title"),
                url: format!("actions/index.html#{id}"),
                category: String::new(),
                audience: strs(a, "who"),
                tags: Vec::new(),
                summary: str_of(a, "conditions"),
                body: str_of(a, "reference"),
                code: String::new(),
            });
        }
    }
    (cfg, docs)
}

/// The browser engine, themes/default/assets/search-engine.js of this repository.
pub fn search_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default/assets/search-engine.js")
}

pub fn harness_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/harness.js")
}

/// Runs `node harness.js <args>`; panics with a clear message when node is
/// missing (CI installs it). Returns the last stdout line parsed as JSON.
pub fn run_node(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let out = std::process::Command::new(&node)
        .arg(harness_js())
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{}` ({e}): Node.js (>= 18) is needed for the browser search tests; \
                 install it (e.g. `apt-get install nodejs`) or set NODE=/path/to/node",
                node.to_string_lossy()
            )
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "node harness failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("bad harness output ({e}): {stdout}\n{stderr}"))
}

/// `node harness.js check` on the browser index in `site` for `queries`:
/// each with the CLI's plan, first 10 ids and scores, so that the harness
/// compares the browser engine's plan and ranking with them. Returns the
/// harness's report (`results`, `plan_diffs`, `rank_diffs`, `compared`…).
pub fn check_in_node(cli: &fiches_search::CliIndex, site: &Path, tmp: &Path, queries: &[&str]) -> serde_json::Value {
    let mut cases = Vec::new();
    for q in queries {
        let hits = cli.search(q, 10, None).unwrap();
        let ranked = cli.rank(q).unwrap();
        let plan = cli.browser_plan(q);
        cases.push(serde_json::json!({
            "q": q,
            "plan": plan,
            "same_plan": plan == cli.plan(q),
            "cli": hits.iter().zip(&ranked).map(|(h, r)| serde_json::json!({"id": h.id, "score": r.1})).collect::<Vec<_>>(),
        }));
    }
    let cases_path = tmp.join("cases.json");
    fs::write(&cases_path, serde_json::to_string(&cases).unwrap()).unwrap();
    run_node(&[
        "check".as_ref(),
        site.as_os_str(),
        search_js().as_os_str(),
        cases_path.as_os_str(),
    ])
}
