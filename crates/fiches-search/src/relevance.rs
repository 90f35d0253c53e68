//! The relevance harness: one reader of relevance sets (`queries.toml`, see
//! the content format) and one definition of the metrics, used by every
//! suite that measures relevance — the command line (`fiches search
//! --eval`), the browser engine under Node or in Chromium (whose ranked ids
//! come back as JSON through `--eval-results`) and the scale benchmark
//! (bench/relevance.py).
//!
//! Metrics, per query of the set:
//! - a *hit* when every expected id is among the first `within` results
//!   (the contract: "ids of sheets that must appear in the first N");
//! - a *reciprocal rank* of 1/r, r the rank of the best-placed expected id
//!   (0 when none is in the ranked list).
//!
//! The hit rate and the MRR are their means over the queries.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;

/// `within` when a query does not say (the contract's default).
pub const DEFAULT_WITHIN: usize = 3;

/// One query of a relevance set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// What a person types.
    pub q: String,
    /// Ids that must appear in the first `within` results.
    pub expect: Vec<String>,
    /// How many first results count.
    pub within: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    #[serde(default)]
    query: Vec<RawQuery>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    q: String,
    expect: Vec<String>,
    within: Option<usize>,
}

/// Parses a relevance set; `name` (the file) prefixes every error, and
/// TOML errors carry their line.
pub fn parse_queries(text: &str, name: &str) -> Result<Vec<Query>, Error> {
    let raw: RawSet = toml::from_str(text).map_err(|e| Error::Invalid(format!("{name}: {e}")))?;
    let mut out = Vec::with_capacity(raw.query.len());
    for (i, r) in raw.query.into_iter().enumerate() {
        let which = || format!("{name}: [[query]] n° {} ({:?})", i + 1, r.q);
        if r.q.trim().is_empty() {
            return Err(Error::Invalid(format!("{}: empty `q`", which())));
        }
        if r.expect.is_empty() {
            return Err(Error::Invalid(format!("{}: empty `expect`", which())));
        }
        if r.within == Some(0) {
            return Err(Error::Invalid(format!("{}: `within` must be at least 1", which())));
        }
        out.push(Query {
            within: r.within.unwrap_or(DEFAULT_WITHIN),
            q: r.q,
            expect: r.expect,
        });
    }
    if out.is_empty() {
        return Err(Error::Invalid(format!("{name}: no [[query]]")));
    }
    Ok(out)
}

/// Reads and parses a relevance set file.
pub fn load_queries(path: &Path) -> Result<Vec<Query>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_queries(&text, &path.display().to_string())
}

/// The outcome of one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub q: String,
    pub expect: Vec<String>,
    pub within: usize,
    /// 1-based rank of each expected id in `ids` (None: not returned).
    pub ranks: Vec<Option<usize>>,
    pub hit: bool,
    /// Reciprocal rank of the best-placed expected id.
    pub rr: f64,
    /// The ranked ids that were evaluated.
    pub ids: Vec<String>,
}

/// A relevance set evaluated on one ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub queries: usize,
    pub hits: usize,
    pub hit_rate: f64,
    pub mrr: f64,
    pub results: Vec<Outcome>,
}

/// Scores one ranked list against one query.
pub fn outcome(q: &Query, ids: Vec<String>) -> Outcome {
    let ranks: Vec<Option<usize>> = q
        .expect
        .iter()
        .map(|e| ids.iter().position(|x| x == e).map(|p| p + 1))
        .collect();
    let hit = ranks.iter().all(|r| r.is_some_and(|r| r <= q.within));
    let rr = ranks.iter().flatten().min().map(|&r| 1.0 / r as f64).unwrap_or(0.0);
    Outcome {
        q: q.q.clone(),
        expect: q.expect.clone(),
        within: q.within,
        ranks,
        hit,
        rr,
        ids,
    }
}

/// Evaluates a set with `rank` giving the ranked ids of a query.
pub fn evaluate(queries: &[Query], mut rank: impl FnMut(&str) -> Vec<String>) -> Evaluation {
    let results: Vec<Outcome> = queries.iter().map(|q| outcome(q, rank(&q.q))).collect();
    let n = results.len();
    let hits = results.iter().filter(|o| o.hit).count();
    let rr: f64 = results.iter().map(|o| o.rr).sum();
    Evaluation {
        queries: n,
        hits,
        hit_rate: if n == 0 { 0.0 } else { hits as f64 / n as f64 },
        mrr: if n == 0 { 0.0 } else { rr / n as f64 },
        results,
    }
}

/// Ranked ids produced elsewhere (the browser engine), as JSON: either
/// `[{"q": "...", "ids": ["..."]}, ...]` or `{"results": [that]}` (so that
/// an [`Evaluation`] can be fed back too).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawResults {
    List(Vec<RawRanked>),
    Wrapped { results: Vec<RawRanked> },
}

#[derive(Deserialize)]
struct RawRanked {
    q: String,
    ids: Vec<String>,
}

/// Parses ranked ids (see [`evaluate_results`]) into query → ids.
pub fn parse_results(text: &str, name: &str) -> Result<HashMap<String, Vec<String>>, Error> {
    let raw: RawResults = serde_json::from_str(text).map_err(|e| {
        Error::Invalid(format!(
            "{name}: {e} (expected [{{\"q\": \"…\", \"ids\": [\"…\"]}}, …])"
        ))
    })?;
    let list = match raw {
        RawResults::List(l) | RawResults::Wrapped { results: l } => l,
    };
    Ok(list.into_iter().map(|r| (r.q, r.ids)).collect())
}

/// Evaluates a set on ranked ids produced elsewhere. A query of the set
/// missing from `results` is an error (a harness that skipped it must not
/// pass for one that found nothing).
pub fn evaluate_results(queries: &[Query], results: &HashMap<String, Vec<String>>) -> Result<Evaluation, Error> {
    if let Some(q) = queries.iter().find(|q| !results.contains_key(&q.q)) {
        return Err(Error::Invalid(format!("no ranked ids for the query {:?}", q.q)));
    }
    Ok(evaluate(queries, |q| results[q].clone()))
}

impl Evaluation {
    /// One line per query (misses first), then the totals: what a failing
    /// test prints.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let mut rows: Vec<&Outcome> = self.results.iter().collect();
        rows.sort_by_key(|o| o.hit);
        for o in rows {
            let ranks: Vec<String> = o
                .ranks
                .iter()
                .map(|r| r.map(|r| r.to_string()).unwrap_or_else(|| "-".into()))
                .collect();
            let quoted = format!("{:?}", o.q);
            out.push_str(&format!(
                "{} {quoted:<40} rank {:<6} (within {}) expect {} ; top: {}\n",
                if o.hit { "ok  " } else { "MISS" },
                ranks.join(","),
                o.within,
                o.expect.join(", "),
                o.ids.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// "hit rate 95.0 % (38/40), MRR 0.912"
    pub fn summary(&self) -> String {
        format!(
            "hit rate {:.1} % ({}/{}), MRR {:.3}",
            self.hit_rate * 100.0,
            self.hits,
            self.queries,
            self.mrr
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = r#"
[[query]]
q = "wifi invite"
expect = ["wifi/compte-invite"]
within = 1

[[query]]
q = "imprimante"
expect = ["a", "b"]
"#;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_the_contract_format_with_its_default() {
        let q = parse_queries(SET, "queries.toml").unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].within, 1);
        assert_eq!(q[1].within, DEFAULT_WITHIN);
        assert_eq!(q[1].expect, ids(&["a", "b"]));
    }

    #[test]
    fn errors_name_the_file_and_the_line_or_query() {
        let e = parse_queries("[[query]]\nq = \"x\"\nexpect = 3\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("f.toml") && e.contains("line 3"), "{e}");
        let e = parse_queries("[[query]]\nq = \"x\"\nexpect = []\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f.toml") && e.contains("n° 1") && e.contains("expect"),
            "{e}"
        );
        let e = parse_queries("[[query]]\nq = \"x\"\nexpect = [\"a\"]\nwithn = 2\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("withn"), "a misspelt key is not ignored: {e}");
        assert!(parse_queries("", "f.toml").is_err());
    }

    #[test]
    fn a_hit_needs_every_expected_id_within_and_rr_takes_the_best() {
        let q = parse_queries(SET, "q").unwrap();
        let e = evaluate(&q, |s| {
            if s == "wifi invite" {
                ids(&["x", "wifi/compte-invite"])
            } else {
                ids(&["b", "x", "a"])
            }
        });
        assert!(!e.results[0].hit, "rank 2, within 1");
        assert_eq!(e.results[0].rr, 0.5);
        assert!(e.results[1].hit);
        assert_eq!(e.results[1].ranks, vec![Some(3), Some(1)]);
        assert_eq!(e.results[1].rr, 1.0);
        assert_eq!((e.hits, e.hit_rate, e.mrr), (1, 0.5, 0.75));
        let miss = evaluate(&q[1..], |_| ids(&["a", "x", "y", "b"]));
        assert_eq!((miss.hits, miss.mrr), (0, 1.0), "b at 4 > within 3");
        let none = evaluate(&q[..1], |_| Vec::new());
        assert_eq!(
            (none.hit_rate, none.mrr, none.results[0].ranks.clone()),
            (0.0, 0.0, vec![None])
        );
        assert!(e.report().contains("MISS \"wifi invite\""), "{}", e.report());
    }

    #[test]
    fn results_from_elsewhere_are_scored_the_same_and_must_cover_the_set() {
        let q = parse_queries(SET, "q").unwrap();
        let json = r#"[{"q": "wifi invite", "ids": ["wifi/compte-invite"]}, {"q": "imprimante", "ids": ["a"]}]"#;
        let r = parse_results(json, "r.json").unwrap();
        let e = evaluate_results(&q, &r).unwrap();
        assert_eq!((e.hits, e.mrr), (1, 1.0));
        // An evaluation fed back is accepted too.
        let back = parse_results(&serde_json::to_string(&e).unwrap(), "e.json").unwrap();
        assert_eq!(evaluate_results(&q, &back).unwrap(), e);
        let partial = parse_results(r#"[{"q": "imprimante", "ids": []}]"#, "r.json").unwrap();
        let err = evaluate_results(&q, &partial).unwrap_err().to_string();
        assert!(err.contains("wifi invite"), "{err}");
        assert!(parse_results("{\"x\": 1}", "r.json")
            .unwrap_err()
            .to_string()
            .contains("r.json"));
    }
}
