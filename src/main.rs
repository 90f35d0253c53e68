//! The `fiches` command line: thin layers over the `fiches::build` pipeline.

use clap::{Parser, Subcommand};
use fiches::diagnostics::Diagnostics;
use fiches::report;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// mimalloc on Linux and macOS, for build speed: see Cargo.toml.
#[cfg(not(windows))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `fiches --version`: `fiches 0.1.0 (3f2a9c1b7e 2026-11-30)`, the commit
/// and the build day (see build.rs), for support requests.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("FICHES_COMMIT"),
    " ",
    env!("FICHES_BUILD_DATE"),
    ")"
);

/// clap's help in French: its headings and its own `--help` and
/// `--version` lines are English (`Usage:`, `Commands:`, `Print help`).
const HELP: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "fiches",
    version = VERSION,
    about = "Fiches de procédures et Apéro'TICE : un site statique, consultable hors ligne",
    help_template = HELP,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// Affiche l'aide (après une commande : l'aide de cette commande)
    #[arg(short, long, action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Affiche la version
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Dossier du site (celui qui contient book.toml)
    #[arg(long, global = true, default_value = ".", value_name = "DOSSIER")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Construit le site dans le dossier de sortie
    #[command(help_template = HELP)]
    Build {
        /// Dossier de sortie (par défaut : [build] output-dir de book.toml)
        #[arg(long, short, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Inclut les brouillons (draft = true)
        #[arg(long)]
        drafts: bool,
        /// N'affiche que les erreurs
        #[arg(long, short)]
        quiet: bool,
        /// Écrit aussi une archive zip du site, prête à déposer chez un hébergeur
        #[arg(long, value_name = "FICHIER")]
        zip: Option<PathBuf>,
    },
    /// Vérifie le site sans rien écrire
    #[command(help_template = HELP)]
    Check {
        /// human : lisible, groupé par fichier ; json ; gitlab : rapport Code Quality ; github : annotations
        #[arg(long, value_enum, default_value = "human")]
        format: report::Format,
        /// Les avertissements font aussi échouer la vérification
        #[arg(long)]
        strict: bool,
        /// Vérifie aussi les brouillons comme s'ils étaient publiés
        #[arg(long)]
        drafts: bool,
        /// N'affiche les avertissements que pour les fichiers modifiés depuis cette révision git (branche cible d'une demande de fusion), modifications pas encore validées (commit) comprises ; les erreurs restent toutes affichées
        #[arg(long, value_name = "RÉVISION")]
        changed_since: Option<String>,
        /// N'affiche les avertissements que pour ces fichiers ou dossiers ; les erreurs restent toutes affichées
        #[arg(value_name = "CHEMINS")]
        paths: Vec<PathBuf>,
    },
    /// Crée un dépôt de contenu prêt à publier (book.toml, exemples, CI GitLab et GitHub)
    #[command(help_template = HELP)]
    Init {
        /// Dossier du nouveau site (par défaut : celui de --root)
        #[arg(value_name = "DOSSIER")]
        dir: Option<PathBuf>,
        /// Titre du site
        #[arg(long, value_name = "TITRE")]
        title: Option<String>,
        /// Adresse complète où le site sera publié (https://…/), écrite comme base-url
        #[arg(long, value_name = "ADRESSE")]
        url: Option<String>,
    },
    /// Crée une fiche, une séance d'Apéro'TICE ou un parcours à partir d'un modèle
    #[command(help_template = HELP, subcommand_help_heading = "Commandes", subcommand_value_name = "COMMANDE", disable_help_subcommand = true)]
    New {
        #[command(subcommand)]
        what: NewKind,
    },
    /// Sert le site en local et le reconstruit à chaque modification (rechargement automatique)
    #[command(help_template = HELP)]
    Serve {
        /// Port d'écoute (0 : un port libre, choisi par le système)
        #[arg(long, short, default_value_t = 3000)]
        port: u16,
        /// Adresse d'écoute ; 0.0.0.0 rend le site visible sur le réseau local
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Ouvre le site dans le navigateur
        #[arg(long)]
        open: bool,
        /// Inclut les brouillons (draft = true)
        #[arg(long)]
        drafts: bool,
        /// native : notifications du système ; poll : relit les fichiers toutes les 0,5 s
        /// (lecteur réseau, clé USB, modifications non vues)
        #[arg(long, value_parser = ["native", "poll"], default_value = "native")]
        watcher: String,
    },
    /// Importe des documents existants (.odt, .docx, .html, .md, dossiers mdBook, MkDocs, VuePress) en fiches
    #[command(help_template = HELP)]
    Import {
        /// Documents ou dossiers (parcourus récursivement)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Catégorie de toutes les fiches importées (par défaut : les sous-dossiers, SUMMARY.md ou la nav)
        #[arg(long)]
        category: Option<String>,
        /// Montre ce qui serait fait, sans rien écrire
        #[arg(long)]
        dry_run: bool,
    },
    /// Cherche dans les fiches, séances et actions
    #[command(help_template = HELP)]
    Search {
        /// Ce que l'on cherche, par exemple « imprimante bloquée »
        #[arg(value_name = "MOTS")]
        query: Vec<String>,
        /// Nombre de résultats au plus
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Un seul type de résultat
        #[arg(long, value_parser = ["fiche", "apero", "action", "parcours"], value_name = "TYPE")]
        kind: Option<String>,
        /// text : lisible ; json
        #[arg(long, value_parser = ["text", "json"], default_value = "text")]
        format: String,
        /// Mesure la pertinence sur un jeu de requêtes (queries.toml) : taux de réussite, MRR, rangs
        #[arg(long, value_name = "QUERIES")]
        eval: Option<PathBuf>,
        /// Avec --eval : note les identifiants classés ailleurs (JSON [{"q", "ids"}]) au lieu de chercher
        #[arg(long, value_name = "RESULTS", requires = "eval")]
        eval_results: Option<PathBuf>,
        /// Avec --eval : affiche les requêtes du jeu en JSON, sans rien chercher
        #[arg(long, requires = "eval")]
        print_queries: bool,
    },
    /// Affiche l'aide de fiches ou d'une commande (`fiches help build`)
    #[command(help_template = HELP)]
    Help {
        /// La commande, par exemple build ou « new fiche »
        #[arg(value_name = "COMMANDE")]
        command: Vec<String>,
    },
}

#[derive(Subcommand)]
enum NewKind {
    /// Nouvelle fiche : content/fiches/<catégorie>/<nom>.md
    #[command(help_template = HELP)]
    Fiche {
        /// Catégorie et nom, par exemple wifi/oublier-reseau
        #[arg(value_name = "CHEMIN")]
        path: String,
        /// Titre de la fiche (par défaut : tiré du nom, à corriger)
        #[arg(long, value_name = "TITRE")]
        title: Option<String>,
    },
    /// Nouvelle séance : content/apero-tice/<date>-<nom>.md
    #[command(help_template = HELP)]
    Apero {
        /// Nom court, par exemple pearltrees
        #[arg(value_name = "NOM")]
        slug: String,
        /// Date de la séance, AAAA-MM-JJ
        #[arg(long, value_name = "AAAA-MM-JJ")]
        date: String,
        /// Titre de la séance (par défaut : tiré du nom, à corriger)
        #[arg(long, value_name = "TITRE")]
        title: Option<String>,
    },
    /// Nouveau parcours de formation : content/parcours/<nom>.md
    #[command(help_template = HELP)]
    Parcours {
        /// Nom court, par exemple premiers-pas
        #[arg(value_name = "NOM")]
        slug: String,
        /// Titre du parcours (par défaut : tiré du nom, à corriger)
        #[arg(long, value_name = "TITRE")]
        title: Option<String>,
    },
}

/// Every option's default and allowed values said in French in its help
/// line (clap writes `[default: .]` and `[possible values: …]`).
fn french_help(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|a| {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().to_string())
            .collect();
        // A switch's values (`true`, `false`) are not typed.
        let values: Vec<String> = match a.get_action().takes_values() {
            true => a
                .get_possible_values()
                .iter()
                .map(|p| p.get_name().to_string())
                .collect(),
            false => Vec::new(),
        };
        let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        // `--format`'s help already names each value.
        if !values.is_empty() && !values.iter().all(|v| help.contains(v.as_str())) {
            help.push_str(&format!(" [valeurs : {}]", values.join(", ")));
        }
        if !defaults.is_empty() {
            help.push_str(&format!(" [par défaut : {}]", defaults.join(", ")));
        }
        a.help(help.trim_start().to_string())
            .hide_default_value(true)
            .hide_possible_values(true)
    })
    .mut_subcommands(french_help)
}

/// A command line that clap refuses, told in French (clap speaks English
/// only): `fiches buidl` said `error: unrecognized subcommand 'buidl'`.
/// Help and version are printed as they are; a kind of error not listed
/// here keeps clap's words. Exit status 2, as clap's.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        _ => Vec::new(),
    };
    let quoted = |v: Vec<String>| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    let one = |k: ContextKind| quoted(ctx(k));
    let suggest = |k: ContextKind| match ctx(k).as_slice() {
        [] => String::new(),
        s => format!("\n  aide : vouliez-vous dire {} ?", quoted(s.to_vec())),
    };
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue {}{}",
            one(ContextKind::InvalidSubcommand),
            suggest(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "option ou argument inconnu {}{}",
            one(ContextKind::InvalidArg),
            suggest(ContextKind::SuggestedArg)
        ),
        ErrorKind::MissingRequiredArgument => format!("il manque {}", one(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue if ctx(ContextKind::InvalidValue).iter().all(|v| v.is_empty()) => {
            format!("il manque la valeur de {}", one(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            format!(
                "valeur {} invalide pour {}{}",
                one(ContextKind::InvalidValue),
                one(ContextKind::InvalidArg),
                match valid.is_empty() {
                    true => String::new(),
                    false => format!("\n  aide : valeurs possibles : {}", quoted(valid)),
                }
            )
        }
        ErrorKind::ValueValidation => format!(
            "valeur {} invalide pour {}",
            one(ContextKind::InvalidValue),
            one(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => format!(
            "{} ne peut pas s'employer avec {}",
            one(ContextKind::InvalidArg),
            one(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs invalide pour {}", one(ContextKind::InvalidArg))
        }
        _ => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let usage = ctx(ContextKind::Usage)
        .first()
        .map(|u| {
            let u = u.trim().strip_prefix("Usage:").unwrap_or(u).trim();
            format!("\n\nUtilisation : {u}")
        })
        .unwrap_or_default();
    eprintln!("erreur : {msg}{usage}\n\nPour en savoir plus, ajoutez --help à la commande.");
    ExitCode::from(2)
}

/// `fiches help build`, `fiches help new fiche`: the `--help` of that
/// command. clap's own `help` subcommand is turned off, as it describes
/// itself in English; an unknown name is told as `fiches buidl` is.
fn help(names: &[String]) -> ExitCode {
    use clap::CommandFactory;
    let mut args = vec!["fiches".to_string()];
    args.extend(names.iter().cloned());
    args.push("--help".into());
    match french_help(Cli::command()).try_get_matches_from(args) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => usage_error(e),
    }
}

fn color_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_errors(diags: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    report::print_human(diags, &mut err, color_stderr());
}

/// No transparent huge pages (what `MIMALLOC_ALLOW_THP=0` does, unless
/// that variable says otherwise): faulting in 2 MiB pages, each zeroed by
/// the kernel, was a third of the Markdown phase's CPU and its kernel
/// time grew faster than the site (50,000 sheets,
/// exit after Markdown: 3.0–3.3 s with them, 2.4–2.7 s without; kernel
/// time 1.6–2.8 s against 0.8; 10,000 sheets unchanged; peak 50 MiB
/// lower). See docs/benchmarks.md, "Linear phases (grow19)".
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
        return;
    }
    extern "C" {
        fn mi_option_set(option: i32, value: std::ffi::c_long);
        fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
    }
    // `mi_option_allow_thp` in mimalloc.h's `mi_option_e` (v3, as vendored
    // by libmimalloc-sys 0.1.49, pinned in Cargo.lock): check it again on
    // an upgrade. `PR_SET_THP_DISABLE` from linux/prctl.h, as mimalloc
    // itself calls it for that variable (a kernel set to `always` too).
    const MI_OPTION_ALLOW_THP: i32 = 43;
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    // SAFETY: sets one of mimalloc's options, read each time it maps
    // memory; prctl takes integers and changes only this process.
    unsafe {
        mi_option_set(MI_OPTION_ALLOW_THP, 0);
        prctl(
            PR_SET_THP_DISABLE,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        );
    }
}

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    no_huge_pages();
    // A replaced output, deleted by a detached fiches (`output::remove_old`).
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 3 && args[1] == fiches::build::REMOVE_OLD_ARG {
        return match fiches::build::remove_old_tree(Path::new(&args[2])) {
            true => ExitCode::SUCCESS,
            false => ExitCode::FAILURE,
        };
    }
    use clap::{CommandFactory, FromArgMatches};
    let cli = match french_help(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let root = cli.root.clone();
    match cli.command {
        Command::Help { command } => help(&command),
        Command::Build {
            output,
            drafts,
            quiet,
            zip,
        } => {
            fiches::build::remove_in_background(true);
            build(&root, output.as_deref(), drafts, quiet, zip.as_deref())
        }
        Command::Check {
            format,
            strict,
            drafts,
            changed_since,
            paths,
        } => {
            fiches::build::remove_in_background(true);
            let selection = match selection(&root, &paths, changed_since.as_deref()) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("erreur : {e}");
                    return ExitCode::from(2);
                }
            };
            check(&root, format, strict, drafts, selection.as_ref())
        }
        Command::Init { dir, title, url } => init(dir.as_deref().unwrap_or(&root), title.as_deref(), url.as_deref()),
        Command::New { what } => new(&root, what),
        Command::Import {
            paths,
            category,
            dry_run,
        } => import(&root, &paths, category, dry_run),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
            watcher,
        } => fiches::serve::run(fiches::serve::Options {
            root,
            port,
            bind,
            open,
            drafts,
            poll: watcher == "poll",
        }),
        Command::Search {
            limit,
            kind,
            format,
            eval: Some(set),
            eval_results,
            print_queries,
            ..
        } => search_eval(
            &root,
            &set,
            eval_results.as_deref(),
            print_queries,
            limit,
            kind.as_deref(),
            &format,
        ),
        Command::Search {
            query,
            limit,
            kind,
            format,
            ..
        } => search(&root, &query.join(" "), limit, kind.as_deref(), &format),
    }
}

fn build(root: &Path, output: Option<&Path>, drafts: bool, quiet: bool, zip: Option<&Path>) -> ExitCode {
    let out = fiches::build::output_dir(root, output);
    let given = fiches::build::output_given(root, output);
    if let Err(d) = fiches::build::check_targets(root, &out, zip, given) {
        print_errors(&d);
        eprintln!("Construction refusée : rien n'a été écrit.");
        return ExitCode::FAILURE;
    }
    let opts = fiches::build::Options {
        include_drafts: drafts,
        today: None,
    };
    // Without this, Ctrl-C left the staging folder beside the output (in
    // the site's folder) until the next build.
    let zipped = zip.is_some();
    let _ = ctrlc::set_handler(move || {
        fiches::build::abandon();
        eprintln!(
            "\nConstruction interrompue : {}.",
            match zipped {
                true => "le dossier de sortie et l'archive n'ont pas été modifiés",
                false => "le dossier de sortie n'a pas été modifié",
            }
        );
        std::process::exit(130);
    });
    let wopts = fiches::build::WriteOptions {
        inject: None,
        progress: !quiet && std::io::stderr().is_terminal(),
        search: true,
        offline_only: false,
        measure_only: false,
    };
    match fiches::build::build(root, &out, zip, &opts, &wopts) {
        Ok(o) => {
            if !quiet {
                print_errors(&o.warnings);
                let search = o
                    .stats
                    .search
                    .as_ref()
                    .map(|s| {
                        format!(
                            ", index de recherche {} Kio ({} Kio gzip)",
                            s.total_bytes / 1024,
                            s.total_gzip_bytes / 1024
                        )
                    })
                    .unwrap_or_default();
                let off = &o.stats.offline;
                let offline = if off.enabled {
                    format!(
                        ", hors connexion {} Kio en {} fichiers (budget {} Kio)",
                        off.precache_bytes / 1024,
                        off.precache_files,
                        off.budget_bytes / 1024
                    )
                } else {
                    String::new()
                };
                eprintln!(
                    "Site construit dans {} : {}, {}, {}{search}{offline}, en {:.2} s",
                    out.display(),
                    fiches::i18n::count(o.stats.pages, "page", "pages"),
                    fiches::i18n::count(o.stats.sheets, "fiche", "fiches"),
                    fiches::i18n::count(o.warnings.warnings(), "avertissement", "avertissements"),
                    o.elapsed.as_secs_f64()
                );
            }
            if let (Some(z), Some(n), false) = (zip, o.zip_files, quiet) {
                eprintln!("Archive {} : {n} fichiers", z.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            wait_if_interrupted();
            print_errors(&d);
            eprintln!(
                "Échec de la construction : {}. Le dossier {} n'a pas été modifié.",
                report::summary_line(&d),
                out.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C under way: its handler removes what the command was writing,
/// then ends the process (130). An error met meanwhile is the removal's;
/// left to the handler, not reported as the command's own.
fn wait_if_interrupted() {
    while fiches::build::interrupted() {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The files whose warnings `check` shows (`check PATHS…`,
/// `--changed-since`); `None`: the whole site.
fn selection(root: &Path, paths: &[PathBuf], since: Option<&str>) -> Result<Option<fiches::check::Selection>, String> {
    if paths.is_empty() && since.is_none() {
        return Ok(None);
    }
    let mut files = Vec::new();
    for p in paths {
        files.push(fiches::check::site_relative(root, p)?);
    }
    if let Some(rev) = since {
        // The output folder, when git does not ignore it, is no change.
        let output = fiches::build::output_dir(root, None);
        files.extend(fiches_git::changed_since(root, rev, &[&output])?);
    }
    Ok(Some(fiches::check::Selection::new(files)))
}

fn check(
    root: &Path,
    format: report::Format,
    strict: bool,
    drafts: bool,
    selection: Option<&fiches::check::Selection>,
) -> ExitCode {
    let opts = fiches::build::Options {
        include_drafts: drafts,
        today: None,
    };
    // `check` writes the site into a temporary folder (the offline
    // budget, templates failing on a page): Ctrl-C removes it.
    let _ = ctrlc::set_handler(|| {
        fiches::build::abandon();
        eprintln!("\nVérification interrompue.");
        std::process::exit(130);
    });
    let mut diags = fiches::check::run(root, &opts);
    wait_if_interrupted();
    let left_out = selection.map(|s| s.keep_selected(&mut diags));
    match format {
        report::Format::Human => {
            print_errors(&diags);
            if !diags.items.is_empty() {
                eprintln!();
            }
            let scope = match (selection, left_out) {
                (Some(s), Some(n)) => format!(
                    " (avertissements limités à {} ; {} sur d'autres fichiers non affiché{})",
                    fiches::i18n::count(s.len(), "chemin", "chemins"),
                    fiches::i18n::count(n, "avertissement", "avertissements"),
                    if n > 1 { "s" } else { "" }
                ),
                _ => String::new(),
            };
            eprintln!("Vérification : {}{scope}.", report::summary_line(&diags));
        }
        report::Format::Json => println!("{}", report::to_json(&diags)),
        report::Format::Gitlab => println!("{}", report::to_gitlab(&diags)),
        report::Format::Github => print!("{}", report::to_github(&diags)),
    }
    if diags.has_errors() || (strict && diags.warnings() > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn init(dir: &Path, title: Option<&str>, url: Option<&str>) -> ExitCode {
    // In the current folder, paths from here (`book.toml`, not
    // `./book.toml`) and commands without `--root` (not « dans .. »).
    let here = dir == Path::new(".");
    let shown = |p: &Path| p.strip_prefix(".").unwrap_or(p).display().to_string();
    match fiches::scaffold::init(dir, title, url) {
        Ok(done) => {
            for w in &done {
                match w {
                    fiches::scaffold::Written::Created(p) => eprintln!("  créé      {}", shown(p)),
                    fiches::scaffold::Written::Kept(p) => eprintln!("  conservé  {} (existait déjà)", shown(p)),
                    fiches::scaffold::Written::Completed(p, lines) => eprintln!(
                        "  complété  {} (existait déjà ; ajouté à la fin : {})",
                        shown(p),
                        lines.join(", ")
                    ),
                }
            }
            match here {
                true => eprintln!("Site créé dans ce dossier. Ensuite :"),
                false => eprintln!("Site créé dans {}. Ensuite :", dir.display()),
            }
            eprintln!("  - relisez book.toml (titre, base-url) et .gitlab-ci.yml ou .github/workflows/fiches.yml (FICHES_VERSION, FICHES_DOWNLOAD) ;");
            if url.is_none() {
                eprintln!(
                    "  - écrivez dans base-url l'adresse complète du site dès que vous la connaissez (https://…/) ;"
                );
            }
            let serve = match here {
                true => "fiches serve --open".to_string(),
                false => format!("fiches --root {} serve --open", dir.display()),
            };
            eprintln!("  - `{serve}` pour le voir, `fiches check` pour le vérifier ;");
            eprintln!("  - CONTRIBUTING.md explique aux référents comment écrire et proposer une fiche.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}

fn new(root: &Path, what: NewKind) -> ExitCode {
    let made = match what {
        NewKind::Fiche { path, title } => fiches::scaffold::new_sheet(root, &path, title.as_deref()),
        NewKind::Apero { slug, date, title } => fiches::scaffold::new_session(root, &slug, &date, title.as_deref()),
        NewKind::Parcours { slug, title } => fiches::scaffold::new_path(root, &slug, title.as_deref()),
    };
    match made {
        Ok(fiches::scaffold::Made {
            file: rel,
            categories,
            title_guessed,
        }) => {
            // The path alone on stdout, for scripts and editors (`$EDITOR $(fiches new …)`).
            // Without --root, the path from here (`content/…`, not `./content/…`).
            let shown = |rel: &Path| match root == Path::new(".") {
                true => rel.to_path_buf(),
                false => root.join(rel),
            };
            println!("{}", shown(&rel).display());
            for (index, title) in categories {
                eprintln!(
                    "Nouvelle catégorie « {title} » : {} (son titre, et une description à écrire si besoin).",
                    shown(&index).display()
                );
            }
            if title_guessed {
                eprintln!(
                    "Titre déduit du nom de fichier : corrigez `title` (accents, majuscules) ou utilisez --title."
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}

fn import(root: &Path, paths: &[PathBuf], category: Option<String>, dry_run: bool) -> ExitCode {
    let opts = fiches::import::Options { category, dry_run };
    match fiches::import::run(root, paths, &opts) {
        Ok(s) => {
            eprint!("{}", fiches::import::report::human(&s));
            if s.failed() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::FAILURE
        }
    }
}

/// The site prepared as `build` does, and its command-line search index.
fn search_index(root: &Path) -> Result<(fiches::build::Prepared, fiches_search::CliIndex), ExitCode> {
    let opts = fiches::build::Options {
        include_drafts: false,
        today: None,
    };
    let p = fiches::build::prepare_clean(root, &opts).map_err(|d| {
        print_errors(&d);
        ExitCode::FAILURE
    })?;
    let docs = fiches::index::documents(&p.site, &p.bodies);
    let cfg = fiches::index::config(&p.site);
    let cache = fiches::index::cache_dir(&p.site.root);
    let ix = fiches_search::CliIndex::open_or_build(&cache, &cfg, &docs).map_err(|e| {
        eprintln!("erreur : recherche impossible : {e}");
        ExitCode::FAILURE
    })?;
    Ok((p, ix))
}

fn search(root: &Path, query: &str, limit: usize, kind: Option<&str>, format: &str) -> ExitCode {
    let (p, ix) = match search_index(root) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let kind = kind.and_then(|k| k.parse::<fiches_search::Kind>().ok());
    let found = ix
        .search(query, limit, kind)
        .and_then(|hits| Ok((hits, ix.suggest(query)?)));
    match found {
        Ok((hits, suggestion)) => {
            let did_you_mean =
                suggestion.map(|s| fiches::index::did_you_mean(p.site.strings().get("search_did_you_mean"), &s));
            // Nothing to look for (`🖨️`, `???`, `le`): said, as the
            // browser says it, rather than a bare "no result".
            let nothing = match hits.is_empty() && ix.plan(query).concepts.is_empty() {
                true => Some(fiches::index::no_words(p.site.strings(), query)),
                false => None,
            };
            if format == "json" {
                println!("{}", fiches::index::hits_json(&hits));
                // stdout stays the JSON array; the hint goes to the terminal.
                for d in nothing.iter().chain(did_you_mean.iter()) {
                    eprintln!("{d}");
                }
            } else {
                match &nothing {
                    Some(n) => println!("{n}"),
                    None => {
                        let places: Vec<_> = hits.iter().map(|h| fiches::index::place(&p.site, h)).collect();
                        print!(
                            "{}",
                            fiches::index::hits_text(&hits, &places, std::io::stdout().is_terminal())
                        )
                    }
                }
                if let Some(d) = did_you_mean {
                    println!("{d}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : recherche impossible : {e}");
            ExitCode::FAILURE
        }
    }
}

/// `fiches search --eval QUERIES`: the relevance harness of
/// `fiches_search::relevance`, on this site's command-line index, or on ids
/// ranked elsewhere (`--eval-results`, the browser engine's).
fn search_eval(
    root: &Path,
    set: &Path,
    results: Option<&Path>,
    print_queries: bool,
    limit: usize,
    kind: Option<&str>,
    format: &str,
) -> ExitCode {
    use fiches_search::relevance;
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("erreur : jeu de pertinence : {e}");
        ExitCode::FAILURE
    };
    let queries = match relevance::load_queries(set) {
        Ok(q) => q,
        Err(e) => return fail(&e),
    };
    if print_queries {
        println!("{}", serde_json::to_string_pretty(&queries).expect("queries serialize"));
        return ExitCode::SUCCESS;
    }
    let eval = if let Some(file) = results {
        let ranked = std::fs::read_to_string(file)
            .map_err(|e| fiches_search::Error::Invalid(format!("{}: {e}", file.display())))
            .and_then(|text| relevance::parse_results(&text, &file.display().to_string()))
            .and_then(|r| relevance::evaluate_results(&queries, &r));
        match ranked {
            Ok(e) => e,
            Err(e) => return fail(&e),
        }
    } else {
        let (_, ix) = match search_index(root) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let kind = kind.and_then(|k| k.parse::<fiches_search::Kind>().ok());
        // Deep enough for every `within`, so that a hit never depends on --limit.
        let depth = queries.iter().map(|q| q.within).max().unwrap_or(0).max(limit);
        let mut error = None;
        let eval = relevance::evaluate(&queries, |q| match ix.search(q, depth, kind) {
            Ok(hits) => hits.into_iter().map(|h| h.id).collect(),
            Err(e) => {
                error = error.take().or(Some(e));
                Vec::new()
            }
        });
        if let Some(e) = error {
            return fail(&e);
        }
        eval
    };
    if format == "json" {
        println!(
            "{}",
            serde_json::to_string_pretty(&eval).expect("evaluation serializes")
        );
    } else {
        print!("{}", eval.report());
    }
    ExitCode::SUCCESS
}
