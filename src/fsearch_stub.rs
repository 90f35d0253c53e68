// TEMPORARY stand-in for the fiches-search API while it is written.
#![allow(dead_code)]
use std::path::Path;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind { Fiche, Apero, Action }
impl Kind { pub fn as_str(&self) -> &'static str { match self { Kind::Fiche => "fiche", Kind::Apero => "apero", Kind::Action => "action" } } }
impl std::str::FromStr for Kind { type Err = (); fn from_str(s: &str) -> Result<Self, ()> { match s { "fiche" => Ok(Kind::Fiche), "apero" => Ok(Kind::Apero), "action" => Ok(Kind::Action), _ => Err(()) } } }
pub struct SearchDoc { pub id: String, pub kind: Kind, pub title: String, pub url: String, pub category: String, pub audience: Vec<String>, pub tags: Vec<String>, pub summary: String, pub body: String, pub code: String }
pub struct SearchConfig { pub language: String, pub synonyms: Vec<Vec<String>> }
pub struct Hit { pub id: String, pub kind: Kind, pub title: String, pub url: String, pub snippet: String, pub score: f32 }
#[derive(Debug, Default, Clone)]
pub struct BrowserIndexStats { pub files: usize, pub total_bytes: u64, pub total_gzip_bytes: u64, pub docs: usize, pub terms: usize }
pub fn write_browser_index(_o: &Path, _c: &SearchConfig, _d: &[SearchDoc]) -> Result<BrowserIndexStats, String> { Ok(BrowserIndexStats::default()) }
pub fn search_cli(_c: &Path, _cfg: &SearchConfig, _d: &[SearchDoc], _q: &str, _l: usize, _k: Option<Kind>) -> Result<Vec<Hit>, String> { Ok(vec![]) }
