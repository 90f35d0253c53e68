//! `book.toml`: the site configuration. Parsing is strict: an unknown key is
//! an error naming the key and its line, so that a typo in a pull request is
//! caught instead of silently ignored.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::tomlerr;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole of `book.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[book]`: title, description, language.
    pub book: Book,
    /// `[site]`: base URL, repository, edit link.
    #[serde(default)]
    pub site: SiteConfig,
    /// `[build]`: output folder and theme.
    #[serde(default)]
    pub build: BuildConfig,
    /// `[search]`: synonyms.
    #[serde(default)]
    pub search: SearchConfig,
    /// `[support]`: where a help request goes.
    pub support: Option<Support>,
    /// `[check]`: thresholds of `fiches check`.
    #[serde(default)]
    pub check: CheckConfig,
    /// `[accessibility]`: the accessibility statement.
    pub accessibility: Option<Accessibility>,
    /// `[[pool]]`: shared content folders of other sites.
    #[serde(default)]
    pub pool: Vec<Pool>,
    /// `[offline]`: the installable site.
    #[serde(default)]
    pub offline: OfflineConfig,
    /// `[print]`: what is built for paper.
    #[serde(default)]
    pub print: PrintConfig,
    /// Warnings found while reading it (an unknown language…): `prepare`
    /// reports them with the other findings.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The site's name, in every page title.
    pub title: String,
    /// One sentence: the home page and the feed's subtitle.
    #[serde(default)]
    pub description: String,
    /// Interface language (`fr`); see `i18n`.
    #[serde(default = "default_language")]
    pub language: String,
}

fn default_language() -> String {
    "fr".into()
}

/// `[site]`: where the site is published and where its sources live.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// Path prefix (`/aide/`) or full URL (`https://clg.example.org/aide/`).
    #[serde(default)]
    pub base_url: BaseUrl,
    /// The forge page of the content repository, linked from the footer.
    #[serde(default, deserialize_with = "crate::validate::opt_web_url")]
    pub repository: Option<String>,
    /// Edit link of a sheet, `{path}` replaced by its file.
    #[serde(default, deserialize_with = "crate::validate::opt_web_url")]
    pub edit_url: Option<String>,
}

/// `[site] base-url`, parsed and validated once when `book.toml` is read
/// (an invalid one is an `invalid-url` error at its line): the origin
/// (`https://host:port`) when it names a host, and the path prefix the
/// site is published under. Every public address is derived from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `scheme://host[:port]`, as the `url` crate normalises it.
    origin: Option<String>,
    /// Starts and ends with `/`; as written (not percent-encoded).
    path: String,
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl {
            origin: None,
            path: "/".into(),
        }
    }
}

impl BaseUrl {
    /// Parses `base-url`: a path (`/aide/`, `aide`, empty for `/`) or an
    /// absolute `http(s)://` address with no query, fragment or user name.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        crate::validate::check_base_url(s)?;
        let t = s.trim();
        let Some(scheme_end) = t.find("://").filter(|_| !t.starts_with('/')) else {
            return Ok(BaseUrl {
                origin: None,
                path: slashed(t),
            });
        };
        let refuse = |why: &str| format!("{} `{}` : {why}", crate::validate::URL_ERROR, t.escape_debug());
        let u = url::Url::parse(t).map_err(|e| refuse(&format!("adresse mal formée ({e})")))?;
        if u.query().is_some() || u.fragment().is_some() {
            return Err(refuse("l'adresse de publication ne peut pas contenir `?` ni `#`"));
        }
        if !u.username().is_empty() || u.password().is_some() {
            return Err(refuse("l'adresse de publication ne peut pas contenir d'identifiant"));
        }
        let host = u.host_str().ok_or_else(|| refuse("il manque le nom du serveur"))?;
        let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
        // The path as written: the `url` crate would percent-encode it, and
        // each use (a link, the sitemap) encodes what it needs.
        let rest = &t[scheme_end + 3..];
        let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
        Ok(BaseUrl {
            origin: Some(format!("{}://{host}{port}", u.scheme())),
            path: slashed(path),
        })
    }

    /// The path prefix the site is published under: `/`, `/aide/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `https://host[:port]` when base-url names a host.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Whether base-url names a host, so feeds and sitemap can be absolute.
    pub fn is_absolute(&self) -> bool {
        self.origin.is_some()
    }

    /// The host (and port) of an absolute base-url.
    pub fn host(&self) -> Option<&str> {
        self.origin.as_deref().and_then(|o| o.split_once("://")).map(|(_, h)| h)
    }

    /// The public address of the page at `url` (from the site root, e.g.
    /// `fiches/wifi/index.html`): `index.html` dropped, absolute when
    /// base-url names a host (`https://host/aide/fiches/wifi/`), else a
    /// path from the host's root (`/aide/fiches/wifi/`). Not encoded.
    pub fn public_url(&self, url: &str) -> String {
        format!("{self}{}", pretty(url))
    }

    /// As `public_url`, percent-encoded as a URI (the sitemap's `<loc>`):
    /// only the path is encoded, so a port (`host:8080`) stays as it is.
    pub fn public_uri(&self, url: &str) -> String {
        let path = crate::html::encode_path(&format!("{}{}", self.path, pretty(url)));
        format!("{}{path}", self.origin.as_deref().unwrap_or(""))
    }
}

/// `index.html` dropped from a page URL, also before a `#fragment`.
fn pretty(url: &str) -> String {
    let pretty = url.strip_suffix("index.html").unwrap_or(url);
    match pretty.find("index.html#") {
        Some(p) if pretty[..p].is_empty() || pretty[..p].ends_with('/') => {
            format!("{}{}", &pretty[..p], &pretty[p + "index.html".len()..])
        }
        _ => pretty.to_string(),
    }
}

/// `p` with one leading and one trailing `/`.
fn slashed(p: &str) -> String {
    let mut b = p.to_string();
    if !b.starts_with('/') {
        b.insert(0, '/');
    }
    if !b.ends_with('/') {
        b.push('/');
    }
    b
}

/// Origin and path together, ending with `/`: what `{{ site.base_url }}` shows.
impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.origin.as_deref().unwrap_or(""), self.path)
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BaseUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// Output folder, relative to the site root (`public`).
    #[serde(default = "default_output")]
    pub output_dir: String,
    /// Theme name: `themes/<name>/` overrides the embedded default.
    #[serde(default = "default_theme")]
    pub theme: String,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output_dir: default_output(),
            theme: default_theme(),
        }
    }
}

fn default_output() -> String {
    "public".into()
}
fn default_theme() -> String {
    "default".into()
}

/// `[search]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Groups of words a search treats as one (`["tni", "tbi"]`).
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

/// `[support]`: the help request offered on every sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Support {
    /// Address the pre-filled message goes to.
    #[serde(default, deserialize_with = "crate::validate::opt_email")]
    pub email: Option<String>,
    /// Ticket form; `{title}` and `{url}` are filled in.
    #[serde(default, deserialize_with = "crate::validate::opt_ticket_url")]
    pub ticket_url: Option<String>,
}

/// `[check]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// A sheet not updated for this many days is reported as stale.
    #[serde(default = "default_stale")]
    pub stale_after_days: i64,
    /// What an image, video or frame loaded from another site is:
    /// `remote-resource` warning (default) or error.
    #[serde(default)]
    pub remote_resources: Level,
    /// Hosts a page may load from all the same (the school's ENT):
    /// `ent.example.fr`, or `*.example.fr` for its subdomains.
    #[serde(default, deserialize_with = "crate::validate::hosts")]
    pub remote_hosts: Vec<String>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            stale_after_days: default_stale(),
            remote_resources: Level::default(),
            remote_hosts: Vec::new(),
        }
    }
}

impl CheckConfig {
    /// Whether `host` (lower case) is one of `remote-hosts`.
    pub fn allows_host(&self, host: &str) -> bool {
        self.remote_hosts.iter().any(|h| match h.strip_prefix("*.") {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
            None => host == h,
        })
    }
}

/// The severity a school gives to a kind of finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Shown; the build goes on.
    #[default]
    Warning,
    /// Fails `check` and `build`.
    Error,
}

fn default_stale() -> i64 {
    540
}

/// `[accessibility]`: the statement the law requires.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Accessibility {
    /// `conforme`, `partiellement conforme` or `non conforme`.
    pub status: String,
    /// Date of the audit, if any.
    pub audited_on: Option<crate::date::Date>,
    /// Who to write to about an accessibility problem.
    #[serde(default, deserialize_with = "crate::validate::opt_email")]
    pub contact: Option<String>,
}

/// `[[pool]]`: another site's content folder whose sheets this site publishes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Folder of the pool, relative to the site root.
    pub path: PathBuf,
    /// Name shown on its sheets.
    pub label: Option<String>,
}

/// `[print]`: what is built for paper (`publish.rs`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrintConfig {
    /// Which categories get a booklet.
    #[serde(default)]
    pub booklets: Booklets,
}

/// `[print] booklets`: a booklet repeats every sheet of its category, so by
/// default only the categories whose `_index.md` says `booklet = true` get one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Booklets {
    /// The categories that ask (`booklet = true`, inherited by subcategories).
    #[default]
    Asked,
    /// Every category.
    All,
}

/// `[offline]`: the installable site and its service worker (`offline.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OfflineConfig {
    /// Whether the site works offline (service worker, manifest).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Cap on what the first visit downloads for offline use, in MiB.
    #[serde(default = "default_max_mb")]
    pub max_mb: f64,
    /// Name under the home-screen icon; by default the title up to a dash.
    pub short_name: Option<String>,
    /// Browser bar and splash colour; by default the theme's `--accent`.
    pub theme_color: Option<String>,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        OfflineConfig {
            enabled: true,
            max_mb: default_max_mb(),
            short_name: None,
            theme_color: None,
        }
    }
}

fn yes() -> bool {
    true
}
fn default_max_mb() -> f64 {
    5.0
}

/// The configuration file, at the site root.
pub const CONFIG_FILE: &str = "book.toml";

/// Reads and validates `book.toml` under `root`.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let fence = crate::fence::Fence::site(root);
    if path.exists() && fence.check(&path).is_err() {
        return Err(fence.outside(&path, CONFIG_FILE).into());
    }
    let text = crate::files::read_text_or(&path, CONFIG_FILE, |e| {
        Diagnostic::error(
            "config-missing",
            CONFIG_FILE,
            format!(
                "impossible de lire le fichier de configuration : {}",
                crate::diagnostics::io_error_fr(e)
            ),
        )
        .hint("lancez `fiches init` pour créer un site, ou indiquez le dossier du site avec `--root`")
    })?;
    parse(&text)
}

/// Parses and validates the text of a `book.toml`.
pub fn parse(text: &str) -> Result<Config, Diagnostics> {
    let mut diags = Diagnostics::default();
    match toml::from_str::<Config>(text) {
        Ok(c) => {
            let mut c = c;
            validate(&mut c, text, &mut diags);
            if diags.has_errors() {
                Err(diags)
            } else {
                c.warnings = diags.items;
                Ok(c)
            }
        }
        Err(e) => {
            let first = diagnostic(&e, text);
            let more = tomlerr::more_errors::<Config>(text, &e, &first, diagnostic);
            diags.push(first);
            more.into_iter().for_each(|d| diags.push(d));
            Err(diags)
        }
    }
}

/// An error of `book.toml` (or of it with lines blanked: every error in
/// one run, `tomlerr::more_errors`) in the site's words.
fn diagnostic(e: &toml::de::Error, text: &str) -> Diagnostic {
    let mut d = tomlerr::to_diagnostic(e, CONFIG_FILE, text, 0, "book.toml");
    if d.code == "unknown-key" {
        if let Some(h) = misplaced_key_hint(e, text) {
            d.hint = Some(h);
        }
    }
    d
}

/// A key of one table written under another (`synonyms` after the
/// `[offline]` line, `base-url` before any `[…]` line): TOML gives a key
/// to the last table line above it, so the right key is « unknown » there
/// and its own table's keys would not help. When the key belongs to
/// another table, say which and where to move the line. The tables and
/// their keys are asked of serde (a probe key each), so a new section or
/// key needs nothing here.
fn misplaced_key_hint(e: &toml::de::Error, text: &str) -> Option<String> {
    const PROBE: &str = "fiches-sonde";
    let key = e.message().strip_prefix("unknown field `")?.split('`').next()?;
    let at = e.span()?.start;
    let fields_of = |probe: &str| -> Option<Vec<String>> {
        let err = toml::from_str::<Config>(probe).err()?;
        let rest = err.message().strip_prefix(&format!("unknown field `{PROBE}`"))?;
        Some(rest.split('`').skip(1).step_by(2).map(String::from).collect())
    };
    let tables = fields_of(&format!("{PROBE} = 0"))?;
    let owners: Vec<String> = tables
        .iter()
        .filter_map(|t| {
            // A table (`[offline]`) or an array of tables (`[[pool]]`).
            [format!("[{t}]"), format!("[[{t}]]")]
                .into_iter()
                .find_map(|header| Some((fields_of(&format!("{header}\n{PROBE} = 0"))?, header)))
        })
        .filter(|(fields, _)| fields.iter().any(|f| f == key))
        .map(|(_, header)| header)
        .collect();
    let owner = owners.first()?;
    // The table line the key is under, and the owner's own line if
    // written; a list's last element (`  ["mdp", "mot de passe"]`) is none.
    let header_of = |l: &str| {
        let t = l.split('#').next()?.trim();
        let inner = t.strip_prefix('[')?.strip_suffix(']')?.trim_matches(['[', ']']);
        let name = inner.chars().all(|c| c.is_ascii_alphanumeric() || "-_. ".contains(c));
        (name && !inner.trim().is_empty()).then(|| t.replace(' ', ""))
    };
    let under = text
        .get(..at)?
        .lines()
        .enumerate()
        .filter_map(|(i, l)| Some((i + 1, header_of(l)?)))
        .last();
    let owner_line = text
        .lines()
        .position(|l| header_of(l).as_ref() == Some(owner))
        .map(|i| i + 1);
    let belongs = match &owners[..] {
        [_] => format!("`{key}` appartient à la table `{owner}`"),
        _ => format!(
            "`{key}` appartient à l'une des tables {}",
            owners.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    let here = match under {
        Some((line, h)) => format!(
            "mais la ligne est écrite sous `{h}` (ligne {line}) : en TOML, une clé appartient à la dernière ligne `[…]` au-dessus d'elle"
        ),
        None => "mais la ligne est écrite avant toute ligne `[…]`, hors des tables".to_string(),
    };
    let todo = match owner_line {
        Some(l) => format!("déplacez-la sous `{owner}` (ligne {l})"),
        None => format!("déplacez-la sous une ligne `{owner}`, à ajouter"),
    };
    Some(format!("{belongs}, {here} ; {todo}"))
}

fn validate(c: &mut Config, text: &str, diags: &mut Diagnostics) {
    if c.book.title.trim().is_empty() {
        let line = find_key_line(text, "title");
        let mut d = Diagnostic::error(
            "config-empty-title",
            CONFIG_FILE,
            "le titre du site (`[book] title`) est vide",
        )
        .hint("il est en tête de chaque page et dans l'onglet du navigateur : `title = \"Aide numérique — Collège Jean Moulin\"`");
        if let Some(l) = line {
            d = d.at(l, None);
        }
        diags.push(d);
    }
    validate_offline(&c.offline, text, diags);
    base_url_without_host(&c.site.base_url, text, diags);
    if crate::i18n::Strings::for_language(&c.book.language).is_none() {
        let message = match c.book.language.trim() {
            "" => "langue vide (`language = \"\"`) : l'interface sera en français".to_string(),
            l => format!("langue `{l}` non prise en charge : l'interface sera en français"),
        };
        let mut d = Diagnostic::warning("config-unknown-language", CONFIG_FILE, message)
            .hint("fiches traduit son interface en `fr` et `en` : `language = \"fr\"`, `language = \"en\"`, ou pas de ligne `language` (le français est la langue par défaut) ; le contenu des fiches garde sa langue, marquée dans les pages");
        if let Some(l) = find_key_line(text, "language") {
            d = d.at(l, None);
        }
        diags.push(d);
    }
}

/// A `base-url` written as a path (`/aide-numerique/`): the pages work
/// (they link relatively), but what leaves the site has no host to name.
/// A calendar event (`.ics`) is read by an agenda app that knows no
/// address to complete a path with: the events get no link (RFC 5545's
/// `URL` is a URI, and a path in the description opens nothing). The
/// sitemap's `<loc>` must be absolute (sitemaps.org), QR codes of printed
/// sheets are opened by a phone only with a full address, and the Atom
/// feed's links are only paths, which a reader resolves against the
/// feed's address only if it does so (RFC 4287 allows it, RFC 3986 § 5.1).
/// A warning at the line: an intranet site may have no public address; a
/// site that writes no `base-url` is not told (a copy for a USB key).
fn base_url_without_host(base: &BaseUrl, text: &str, diags: &mut Diagnostics) {
    if base.is_absolute() {
        return;
    }
    let Some(line) = find_key_line(text, "base-url") else {
        return;
    };
    let path = base.path();
    diags.push(
        Diagnostic::warning(
            "base-url-no-host",
            CONFIG_FILE,
            format!("`base-url` est un chemin (`{path}`) sans l'adresse du site : les séances de l'agenda (.ics) n'ont pas de lien vers leur page, le plan du site, le flux Atom et les QR codes des fiches imprimées ne donnent qu'un chemin, qu'un agenda, un moteur de recherche ou un téléphone ne sait pas ouvrir"),
        )
        .at(line, None)
        .hint(format!("écrivez l'adresse complète où le site est publié, `base-url = \"https://college.example.org{path}\"` (sur GitLab Pages : `https://groupe.gitlab.io{path}`) ; les pages ne changent pas")),
    );
}

/// Checks `[offline]` of `book.toml` beyond its types.
fn validate_offline(c: &OfflineConfig, text: &str, diags: &mut Diagnostics) {
    let at = |d: Diagnostic, key: &str| match find_key_line(text, key) {
        Some(l) => d.at(l, None),
        None => d,
    };
    if !(c.max_mb.is_finite() && c.max_mb > 0.0) {
        diags.push(at(
            Diagnostic::error(
                "config-offline-budget",
                CONFIG_FILE,
                format!(
                    "`[offline] max-mb` doit être un nombre positif de Mio (lu : {})",
                    c.max_mb
                ),
            )
            .hint("par exemple `max-mb = 5` ; pour ne rien garder hors connexion, `enabled = false`"),
            "max-mb",
        ));
    }
    if let Some(col) = &c.theme_color {
        if !crate::validate::is_hex_color(col) {
            diags.push(at(
                Diagnostic::error(
                    "config-offline-color",
                    CONFIG_FILE,
                    format!("`[offline] theme-color` n'est pas une couleur hexadécimale : `{col}`"),
                )
                .hint("écrivez-la comme en CSS, par exemple `theme-color = \"#000091\"`"),
                "theme-color",
            ));
        }
    }
    if c.short_name.as_deref().is_some_and(|s| s.trim().is_empty()) {
        diags.push(at(
            Diagnostic::error(
                "config-offline-short-name",
                CONFIG_FILE,
                "`[offline] short-name` est vide",
            )
            .hint("retirez la clé (le titre du site, jusqu'au premier tiret, est pris) ou donnez un nom court"),
            "short-name",
        ));
    }
}

/// First line where `key =` appears: good enough to point at a semantic error
/// in a small configuration file.
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests;
