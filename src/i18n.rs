//! Every string of the user interface, by language. The site's
//! `book.language` picks the table; adding a language means adding one
//! table here (and its month names), nothing else.

use crate::date::Date;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The interface strings of one language.
pub struct Strings {
    /// Language code (`fr`).
    pub lang: &'static str,
    map: BTreeMap<&'static str, &'static str>,
    months: [&'static str; 12],
}

const FR: &[(&str, &str)] = &[
    ("skip_link", "Aller au contenu"),
    ("menu", "Menu"),
    ("nav_label", "Navigation principale"),
    ("home", "Accueil"),
    ("sheets", "Fiches"),
    ("categories", "Catégories"),
    ("category", "Catégorie"),
    ("apero", "Apéro'TICE"),
    ("apero_upcoming", "À venir"),
    ("apero_archive", "Archive"),
    ("apero_none_upcoming", "Aucune séance prévue pour le moment."),
    ("apero_none_past", "Aucune séance passée."),
    ("apero_sheets", "Fiches présentées"),
    ("apero_presenters", "Animé par"),
    ("apero_when", "Quand"),
    ("apero_where", "Où"),
    // A session from `time` to `end` (each written by `Strings::time`).
    ("time_range", "de {start} à {end}"),
    ("paths", "Parcours"),
    ("path_steps", "Les fiches du parcours, dans l'ordre"),
    ("actions", "Actions autorisées"),
    ("actions_intro", "Ce que les référents numériques peuvent faire eux-mêmes, selon la liste validée par la collectivité. Tout le reste passe par un ticket auprès de son assistance."),
    // The help request of the actions page: its buttons, and the subject
    // of the ticket or e-mail they open.
    ("actions_ticket_subject", "Demande d'intervention (hors actions autorisées)"),
    ("action", "Action"),
    ("action_who", "Qui"),
    ("action_conditions", "Conditions"),
    ("action_reference", "Référence"),
    ("action_sheets", "Fiches"),
    ("action_no_sheet", "pas encore de fiche"),
    ("action_performed", "Action autorisée"),
    // The actions page's notice, before a link to the follow-up page.
    ("actions_undocumented_one", "action sans fiche : voir le"),
    ("actions_undocumented_many", "actions sans fiche : voir le"),
    ("actions_followup", "Fiches à faire revalider, anciennes ou en brouillon : voir le"),
    ("search", "Rechercher"),
    ("search_label", "Rechercher une fiche"),
    ("search_placeholder", "Ex. : imprimante bloquée, mot de passe ENT…"),
    ("search_title", "Recherche"),
    ("search_noscript", "La recherche a besoin de JavaScript. Parcourez les catégories ci-dessous."),
    ("recent", "Fiches mises à jour récemment"),
    ("updated", "Mise à jour"),
    ("updated_on", "Mis à jour le"),
    ("validated_by", "Validée par"),
    ("validated_on", "le"),
    ("not_validated", "Fiche non validée par la collectivité"),
    ("contributors", "Contributeurs"),
    ("edit_page", "Modifier cette page"),
    ("source_repository", "Dépôt des fiches"),
    ("previous", "Fiche précédente"),
    ("next", "Fiche suivante"),
    ("related_apero", "Présentée en Apéro'TICE"),
    ("moved_title", "Fiche déplacée"),
    ("moved_to", "Cette fiche a été déplacée :"),
    ("related_paths", "Dans les parcours"),
    // A sheet's place in a path it belongs to: `{n}` of `{total}`.
    ("path_place", "étape {n} sur {total}"),
    ("path_next", "Étape suivante :"),
    ("toc", "Sur cette page"),
    ("audience", "Public"),
    ("audience_enseignant", "Enseignants"),
    ("audience_eleve", "Élèves"),
    ("audience_referent", "Référents"),
    ("audience_direction", "Direction"),
    ("audience_collectivite", "Collectivité"),
    ("tags", "Mots-clés"),
    ("origin", "Fiche mutualisée"),
    ("draft", "Brouillon"),
    ("sheet_count_one", "fiche"),
    ("sheet_count_many", "fiches"),
    ("no_sheets", "Aucune fiche dans cette catégorie pour le moment."),
    ("not_found_title", "Page introuvable"),
    ("not_found_text", "Cette page n'existe pas ou a été déplacée. Essayez la recherche ou revenez à l'accueil."),
    ("back_home", "Revenir à l'accueil"),
    ("footer_made_with", "Site produit avec fiches"),
    ("accessibility", "Accessibilité"),
    ("accessibility_statement", "Déclaration d'accessibilité"),
    ("followup", "Suivi des fiches"),
    ("followup_intro", "Pour les référents et la collectivité : les fiches à écrire, à faire revalider, à relire, et les brouillons en cours."),
    ("followup_same_as_check", "donne les mêmes listes."),
    ("followup_undocumented", "Actions autorisées sans fiche"),
    ("followup_revalidate", "Fiches à faire revalider"),
    ("followup_stale", "Fiches anciennes"),
    ("followup_drafts", "Brouillons"),
    ("followup_shallow", "L'historique git de cette construction est incomplet (clone superficiel) : certaines dates de modification sont approximatives."),
    ("followup_undocumented_text", "Ces actions figurent dans la liste validée par la collectivité, mais aucune fiche publiée n'explique comment les faire."),
    ("followup_draft_pending", "brouillon en cours :"),
    ("followup_undocumented_none", "Toutes les actions autorisées ont une fiche."),
    ("followup_revalidate_text", "Ces fiches ont été modifiées après leur validation par la collectivité."),
    ("followup_revalidate_none", "Aucune fiche modifiée depuis sa validation."),
    // `{n}`: `[check] stale-after-days`.
    ("followup_stale_text", "Ces fiches n'ont pas été mises à jour depuis plus de {n} jours : sont-elles toujours justes ?"),
    ("followup_stale_none", "Aucune fiche de plus de {n} jours."),
    ("followup_stale_off", "Le suivi de l'ancienneté des fiches est désactivé"),
    ("followup_drafts_none", "Aucun brouillon."),
    ("edit", "Modifier"),
    ("sitemap", "Plan du site"),
    ("print", "Imprimer"),
    ("print_qr", "Scannez pour ouvrir la fiche"),
    ("anchor_link", "Lien vers la section"),
    ("task_done", "Fait"),
    ("code_block", "Bloc de code"),
    ("callout_note", "Remarque"),
    ("callout_tip", "Astuce"),
    ("callout_important", "Important"),
    ("callout_warning", "Attention"),
    ("callout_caution", "Prudence"),
    ("breadcrumb", "Fil d'Ariane"),
    ("all_sessions", "Toutes les séances"),
    ("all_paths", "Tous les parcours"),
    ("path_count", "fiches"),
    ("kind_fiche", "Fiche"),
    ("kind_apero", "Apéro'TICE"),
    ("kind_action", "Action autorisée"),
    ("kind_parcours", "Parcours"),
    // search.js takes the singular for 1 (French: 0 has its own sentence).
    ("search_results_count", "{n} résultats"),
    ("search_results_one", "1 résultat"),
    ("search_no_results", "Aucun résultat pour « {q} »."),
    // A query without a word the engine can look for (emoji, signs, or
    // only words too common to be indexed): said instead of no result.
    ("search_no_words", "Aucun résultat : « {q} » ne contient aucun mot à chercher (les emoji et les signes seuls ne sont pas cherchés). Décrivez le problème avec des mots."),
    ("search_empty_query", "Aucun résultat : la recherche est vide. Décrivez le problème avec des mots."),
    ("search_common_words", "Aucun résultat : « {q} » ne contient que des mots trop courants pour être cherchés. Ajoutez un mot qui dit ce qui pose problème."),
    ("search_did_you_mean", "Vouliez-vous dire"),
    ("search_help_title", "Ça ne marche toujours pas ?"),
    ("search_help_text", "Aucune fiche ne répond à « {q} » ? Demandez de l'aide : votre recherche est déjà dans le message."),
    ("search_help_subject", "Aide demandée : {q}"),
    ("search_help_body", "Bonjour,\n\nJe n'ai pas trouvé de fiche pour : {q}\n\nSalle :\nMatériel :\nCe qui se passe :\n"),
    ("search_help_email", "Écrire au support"),
    ("search_help_ticket", "Ouvrir un ticket"),
    ("search_help_categories", "Ou parcourez les catégories :"),
    ("search_loading", "Chargement de l'index…"),
    ("search_filter_kind", "Type"),
    ("search_filter_audience", "Public"),
    ("search_all", "Tous"),
    ("search_error", "La recherche est indisponible pour le moment."),
    ("search_results_label", "Résultats de la recherche"),
    ("search_more", "Afficher plus de résultats"),
    ("search_see_all", "Voir tous les résultats"),
    ("support_title", "Ça ne marche toujours pas ?"),
    ("support_text", "Indiquez la salle et le matériel, cochez les étapes déjà essayées : le message au support est pré-rempli avec le titre et l'adresse de la fiche."),
    ("support_button", "Demander de l'aide"),
    ("support_room", "Salle"),
    ("support_equipment", "Matériel concerné"),
    ("support_steps_done", "Étapes déjà faites"),
    ("feed", "Flux Atom des fiches"),
    ("calendar", "Agenda (iCalendar)"),
    ("theme_toggle", "Mode sombre"),
    ("serve_error_title", "La construction du site a échoué"),
    ("serve_error_kept", "La page affichée est la dernière version correcte. Corrigez le fichier et enregistrez : la page se mettra à jour d'elle-même."),
    ("serve_error_line", "ligne"),
    ("serve_error_hint", "Aide"),
    ("serve_error_close", "Masquer"),
    ("serve_no_site", "Aucune version du site n'a encore pu être construite. Corrigez les erreurs ci-dessous et enregistrez : la page se rechargera d'elle-même."),
    ("qr_label", "QR code de la fiche"),
    ("booklet", "livret à imprimer"),
    ("booklet_link", "Imprimer toute la catégorie (livret)"),
    ("booklet_intro", "Toutes les fiches de la catégorie sur une seule page : à l'impression, chaque fiche commence sur une nouvelle feuille."),
    ("booklet_contents", "Sommaire du livret"),
    ("support_email_button", "Écrire au support"),
    ("support_ticket_button", "Ouvrir un ticket"),
    ("support_copy", "Copier le message"),
    ("support_copied", "Message copié : collez-le dans le ticket."),
    ("support_preview", "Message qui sera envoyé"),
    ("support_steps_hint", "Cochez les étapes déjà essayées : elles seront ajoutées au message."),
    ("step_done", "Étape faite"),
    ("search_hint", "Les résultats s'affichent pendant la saisie. Touche / pour revenir à la recherche."),
    ("support_details", "Précisions (facultatif)"),
    ("support_field_sheet", "Fiche"),
    ("support_field_url", "Adresse"),
    ("support_step", "Étape"),
    ("booklet_sheet_count", "fiches dans ce livret"),
    ("print_booklet", "Imprimer le livret"),
    ("print_sheet", "Imprimer la fiche"),
    ("hero_hint", "Décrivez le problème avec vos mots : « le projecteur n'affiche rien », « mot de passe ENT oublié »…"),
    ("browse", "Parcourir les fiches"),
    ("see_category", "Voir les fiches"),
    ("open_sheet", "Ouvrir la fiche en ligne"),
    ("calendar_add", "Ajouter à mon agenda (.ics)"),
    ("apero_intro", "Des séances courtes entre collègues pour découvrir un outil ou une pratique numérique. Les notes et les fiches présentées restent ici."),
    ("paths_intro", "Des fiches à suivre dans l'ordre, pour se former pas à pas."),
    ("a11y_pages_checked", "Pages vérifiées"),
    ("support_count", "{n} étape(s) cochée(s)"),
    ("all_sheets", "Toutes les fiches"),
    ("online_at", "En ligne :"),
    ("offline_title", "Vous êtes hors connexion"),
    ("offline_text", "Cette page n'est pas encore enregistrée sur cet appareil. Tout ce qui suit reste disponible sans réseau, et la recherche fonctionne."),
    ("offline_requested", "Page demandée :"),
    ("offline_retry", "Réessayer"),
    ("offline_available", "Disponible hors connexion"),
    ("offline_main_pages", "Pages principales"),
    ("offline_partial", "en partie (budget hors connexion atteint)"),
    ("offline_visited", "Pages déjà consultées sur cet appareil"),
    ("offline_search", "Chercher dans les fiches"),
    ("offline_update", "Une nouvelle version des fiches est disponible"),
    ("offline_reload", "recharger"),
    ("offline_not_cached", "Non disponible hors connexion"),
];

/// The English table: same keys as `FR` (a test holds them equal).
const EN: &[(&str, &str)] = &[
    ("skip_link", "Skip to content"),
    ("menu", "Menu"),
    ("nav_label", "Main navigation"),
    ("home", "Home"),
    ("sheets", "Sheets"),
    ("categories", "Categories"),
    ("category", "Category"),
    ("apero", "Apéro'TICE"),
    ("apero_upcoming", "Upcoming"),
    ("apero_archive", "Archive"),
    ("apero_none_upcoming", "No session planned yet."),
    ("apero_none_past", "No past session."),
    ("apero_sheets", "Sheets presented"),
    ("apero_presenters", "Led by"),
    ("apero_when", "When"),
    ("apero_where", "Where"),
    ("time_range", "from {start} to {end}"),
    ("paths", "Paths"),
    ("path_steps", "The path's sheets, in order"),
    ("actions", "Allowed actions"),
    ("actions_intro", "What IT referents may do themselves, according to the list approved by the local authority. Everything else goes through a ticket to its support desk."),
    ("actions_ticket_subject", "Request for help (outside the allowed actions)"),
    ("action", "Action"),
    ("action_who", "Who"),
    ("action_conditions", "Conditions"),
    ("action_reference", "Reference"),
    ("action_sheets", "Sheets"),
    ("action_no_sheet", "no sheet yet"),
    ("action_performed", "Allowed action"),
    ("actions_undocumented_one", "action without a sheet: see the"),
    ("actions_undocumented_many", "actions without a sheet: see the"),
    ("actions_followup", "Sheets to have approved again, old or in draft: see the"),
    ("search", "Search"),
    ("search_label", "Search for a sheet"),
    ("search_placeholder", "E.g. printer stuck, forgotten password…"),
    ("search_title", "Search"),
    ("search_noscript", "Search needs JavaScript. Browse the categories below."),
    ("recent", "Recently updated sheets"),
    ("updated", "Updated"),
    ("updated_on", "Updated on"),
    ("validated_by", "Approved by"),
    ("validated_on", "on"),
    ("not_validated", "Sheet not approved by the local authority"),
    ("contributors", "Contributors"),
    ("edit_page", "Edit this page"),
    ("source_repository", "Sheets repository"),
    ("previous", "Previous sheet"),
    ("next", "Next sheet"),
    ("related_apero", "Presented at an Apéro'TICE"),
    ("moved_title", "Sheet moved"),
    ("moved_to", "This sheet has moved:"),
    ("related_paths", "In the paths"),
    ("path_place", "step {n} of {total}"),
    ("path_next", "Next step:"),
    ("toc", "On this page"),
    ("audience", "Audience"),
    ("audience_enseignant", "Teachers"),
    ("audience_eleve", "Pupils"),
    ("audience_referent", "Referents"),
    ("audience_direction", "Management"),
    ("audience_collectivite", "Local authority"),
    ("tags", "Keywords"),
    ("origin", "Shared sheet"),
    ("draft", "Draft"),
    ("sheet_count_one", "sheet"),
    ("sheet_count_many", "sheets"),
    ("no_sheets", "No sheet in this category yet."),
    ("not_found_title", "Page not found"),
    ("not_found_text", "This page does not exist or has moved. Try the search or go back to the home page."),
    ("back_home", "Back to the home page"),
    ("footer_made_with", "Site made with fiches"),
    ("accessibility", "Accessibility"),
    ("accessibility_statement", "Accessibility statement"),
    ("followup", "Sheet follow-up"),
    ("followup_intro", "For referents and the local authority: the sheets to write, to have approved again, to review, and the drafts in progress."),
    ("followup_same_as_check", "gives the same lists."),
    ("followup_undocumented", "Allowed actions without a sheet"),
    ("followup_revalidate", "Sheets to have approved again"),
    ("followup_stale", "Old sheets"),
    ("followup_drafts", "Drafts"),
    ("followup_shallow", "The git history of this build is incomplete (shallow clone): some modification dates are approximate."),
    ("followup_undocumented_text", "These actions are in the list approved by the local authority, but no published sheet explains how to do them."),
    ("followup_draft_pending", "draft in progress:"),
    ("followup_undocumented_none", "Every allowed action has a sheet."),
    ("followup_revalidate_text", "These sheets were changed after their approval by the local authority."),
    ("followup_revalidate_none", "No sheet changed since its approval."),
    ("followup_stale_text", "These sheets have not been updated for more than {n} days: are they still right?"),
    ("followup_stale_none", "No sheet older than {n} days."),
    ("followup_stale_off", "Tracking the age of sheets is turned off"),
    ("followup_drafts_none", "No draft."),
    ("edit", "Edit"),
    ("sitemap", "Site map"),
    ("print", "Print"),
    ("print_qr", "Scan to open the sheet"),
    ("anchor_link", "Link to the section"),
    ("task_done", "Done"),
    ("code_block", "Code block"),
    ("callout_note", "Note"),
    ("callout_tip", "Tip"),
    ("callout_important", "Important"),
    ("callout_warning", "Warning"),
    ("callout_caution", "Caution"),
    ("breadcrumb", "Breadcrumb"),
    ("all_sessions", "All sessions"),
    ("all_paths", "All paths"),
    ("path_count", "sheets"),
    ("kind_fiche", "Sheet"),
    ("kind_apero", "Apéro'TICE"),
    ("kind_action", "Allowed action"),
    ("kind_parcours", "Training path"),
    ("search_results_count", "{n} results"),
    ("search_results_one", "1 result"),
    ("search_no_results", "No results for “{q}”."),
    ("search_no_words", "No results: “{q}” holds no word to look for (emoji and signs alone are not searched). Describe the problem in words."),
    ("search_empty_query", "No results: the search is empty. Describe the problem in words."),
    ("search_common_words", "No results: “{q}” holds only words too common to be searched. Add a word that says what is wrong."),
    ("search_did_you_mean", "Did you mean"),
    ("search_help_title", "Still not working?"),
    ("search_help_text", "No sheet answers “{q}”? Ask for help: your search is already in the message."),
    ("search_help_subject", "Help requested: {q}"),
    ("search_help_body", "Hello,\n\nI found no sheet for: {q}\n\nRoom:\nEquipment:\nWhat happens:\n"),
    ("search_help_email", "Write to support"),
    ("search_help_ticket", "Open a ticket"),
    ("search_help_categories", "Or browse the categories:"),
    ("search_loading", "Loading the index…"),
    ("search_filter_kind", "Type"),
    ("search_filter_audience", "Audience"),
    ("search_all", "All"),
    ("search_error", "Search is unavailable for now."),
    ("search_results_label", "Search results"),
    ("search_more", "Show more results"),
    ("search_see_all", "See all results"),
    ("support_title", "Still not working?"),
    ("support_text", "Give the room and the equipment, tick the steps already tried: the message to support is filled in with the sheet's title and address."),
    ("support_button", "Ask for help"),
    ("support_room", "Room"),
    ("support_equipment", "Equipment concerned"),
    ("support_steps_done", "Steps already done"),
    ("feed", "Atom feed of the sheets"),
    ("calendar", "Calendar (iCalendar)"),
    ("theme_toggle", "Dark mode"),
    ("serve_error_title", "Building the site failed"),
    ("serve_error_kept", "The page shown is the last correct version. Fix the file and save: the page will update itself."),
    ("serve_error_line", "line"),
    ("serve_error_hint", "Help"),
    ("serve_error_close", "Hide"),
    ("serve_no_site", "No version of the site could be built yet. Fix the errors below and save: the page will reload itself."),
    ("qr_label", "QR code of the sheet"),
    ("booklet", "printable booklet"),
    ("booklet_link", "Print the whole category (booklet)"),
    ("booklet_intro", "All the category's sheets on one page: when printed, each sheet starts on a new page."),
    ("booklet_contents", "Booklet contents"),
    ("support_email_button", "Write to support"),
    ("support_ticket_button", "Open a ticket"),
    ("support_copy", "Copy the message"),
    ("support_copied", "Message copied: paste it into the ticket."),
    ("support_preview", "Message to be sent"),
    ("support_steps_hint", "Tick the steps already tried: they will be added to the message."),
    ("step_done", "Step done"),
    ("search_hint", "Results show as you type. Press / to come back to the search."),
    ("support_details", "Details (optional)"),
    ("support_field_sheet", "Sheet"),
    ("support_field_url", "Address"),
    ("support_step", "Step"),
    ("booklet_sheet_count", "sheets in this booklet"),
    ("print_booklet", "Print the booklet"),
    ("print_sheet", "Print the sheet"),
    ("hero_hint", "Describe the problem in your own words: “the projector shows nothing”, “forgotten password”…"),
    ("browse", "Browse the sheets"),
    ("see_category", "See the sheets"),
    ("open_sheet", "Open the sheet online"),
    ("calendar_add", "Add to my calendar (.ics)"),
    ("apero_intro", "Short sessions between colleagues to discover a digital tool or practice. The notes and the sheets presented stay here."),
    ("paths_intro", "Sheets to follow in order, to learn step by step."),
    ("a11y_pages_checked", "Pages checked"),
    ("support_count", "{n} step(s) ticked"),
    ("all_sheets", "All sheets"),
    ("online_at", "Online:"),
    ("offline_title", "You are offline"),
    ("offline_text", "This page is not saved on this device yet. Everything below stays available without a network, and search works."),
    ("offline_requested", "Page requested:"),
    ("offline_retry", "Try again"),
    ("offline_available", "Available offline"),
    ("offline_main_pages", "Main pages"),
    ("offline_partial", "in part (offline budget reached)"),
    ("offline_visited", "Pages already viewed on this device"),
    ("offline_search", "Search the sheets"),
    ("offline_update", "A new version of the sheets is available"),
    ("offline_reload", "reload"),
    ("offline_not_cached", "Not available offline"),
];

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Also named by `check`'s date hints, which are French only.
pub(crate) const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `n` and the noun agreed in French: singular for 0 and 1 (« 0 fiche »,
/// « 1 avertissement »), plural from 2; no « fiche(s) » left to the reader.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// French typography: the space before `?`, `!`, `;` and `:` and inside
/// `« »` does not break, so that a narrow phone never starts a line with
/// the sign alone ("Ça ne marche toujours pas" / "?"). The table is written
/// with ordinary spaces, easier to type and to review; made once per run.
fn french_spacing(s: &'static str) -> &'static str {
    const NARROW: &str = "\u{202f}";
    const WIDE: &str = "\u{a0}";
    if !s.contains([' ', '«']) {
        return s;
    }
    let out = s
        .replace(" ?", &format!("{NARROW}?"))
        .replace(" !", &format!("{NARROW}!"))
        .replace(" ;", &format!("{NARROW};"))
        .replace(" :", &format!("{WIDE}:"))
        .replace("« ", &format!("«{WIDE}"))
        .replace(" »", &format!("{WIDE}»"));
    if out == s {
        s
    } else {
        Box::leak(out.into_boxed_str())
    }
}

impl Strings {
    /// The table of `lang`, if fiches speaks it.
    pub fn for_language(lang: &str) -> Option<&'static Strings> {
        static FR_STRINGS: OnceLock<Strings> = OnceLock::new();
        static EN_STRINGS: OnceLock<Strings> = OnceLock::new();
        match lang
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "fr" => Some(FR_STRINGS.get_or_init(|| Strings {
                lang: "fr",
                map: FR.iter().map(|&(k, v)| (k, french_spacing(v))).collect(),
                months: FR_MONTHS,
            })),
            "en" => Some(EN_STRINGS.get_or_init(|| Strings {
                lang: "en",
                map: EN.iter().copied().collect(),
                months: EN_MONTHS,
            })),
            _ => None,
        }
    }

    /// The table for `lang`, or French when the language is not translated yet.
    pub fn for_language_or_default(lang: &str) -> &'static Strings {
        Self::for_language(lang).unwrap_or_else(|| Self::for_language("fr").expect("French strings"))
    }

    /// The string of `key`; the key itself when missing, so a gap shows.
    pub fn get(&self, key: &str) -> &'static str {
        self.map.get(key).copied().unwrap_or("")
    }

    /// Every key and string, for the templates (`t.key`).
    pub fn map(&self) -> &BTreeMap<&'static str, &'static str> {
        &self.map
    }

    /// "12 septembre 2025", "12 September 2025".
    pub fn long_date(&self, d: Date) -> String {
        let day = if d.day() == 1 && self.lang == "fr" {
            "1er".to_string()
        } else {
            d.day().to_string()
        };
        format!("{day} {} {}", self.months[(d.month() - 1) as usize], d.year())
    }

    /// A time of day as the language writes it: `12:30` → « 12 h 30 »,
    /// `12:00` → « 12 h », `09:05` → « 9 h 05 » in French (no-break
    /// spaces: a phone never ends a line on « 12 »). Anything that is not
    /// `H:MM` is left as written.
    pub fn time(&self, t: &str) -> String {
        let Some((h, m)) = t.trim().split_once(':') else {
            return t.to_string();
        };
        let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else {
            return t.to_string();
        };
        match (self.lang, m) {
            ("fr", 0) => format!("{h}\u{a0}h"),
            ("fr", m) => format!("{h}\u{a0}h\u{a0}{m:02}"),
            ("en", m) => format!("{h}:{m:02}"),
            _ => t.to_string(),
        }
    }

    /// A session's time, with its end when it has one: « 12 h 30 », « de
    /// 12 h 30 à 13 h 30 ».
    pub fn time_span(&self, start: &str, end: Option<&str>) -> String {
        match end {
            Some(end) => self
                .get("time_range")
                .replace("{start}", &self.time(start))
                .replace("{end}", &self.time(end)),
            None => self.time(start),
        }
    }

    /// The RGAA status of `[accessibility] status`, written in French in
    /// book.toml (the law's words), as the interface says it.
    pub fn rgaa_status<'a>(&self, status: &'a str) -> &'a str {
        if self.lang == "fr" {
            return status;
        }
        match status.trim() {
            s if s.starts_with("totalement") => "fully compliant",
            s if s.starts_with("partiellement") => "partially compliant",
            s if s.starts_with("non") => "not compliant",
            _ => status,
        }
    }

    /// The label of an audience (`enseignant` → « Enseignants »).
    pub fn audience(&self, a: &str) -> &'static str {
        let k = format!("audience_{a}");
        self.map.get(k.as_str()).copied().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn counts_agree_as_in_french() {
        assert_eq!(super::count(0, "fiche", "fiches"), "0 fiche");
        assert_eq!(super::count(1, "avertissement", "avertissements"), "1 avertissement");
        assert_eq!(super::count(2, "page", "pages"), "2 pages");
    }

    #[test]
    fn french_dates() {
        let s = Strings::for_language("fr").unwrap();
        let d = Date(chrono::NaiveDate::from_ymd_opt(2025, 9, 12).unwrap());
        assert_eq!(s.long_date(d), "12 septembre 2025");
        let d = Date(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
        assert_eq!(s.long_date(d), "1er mars 2025");
    }

    #[test]
    fn french_times() {
        let s = Strings::for_language("fr").unwrap();
        assert_eq!(s.time("12:30"), "12\u{a0}h\u{a0}30");
        assert_eq!(s.time("12:00"), "12\u{a0}h");
        assert_eq!(s.time("09:05"), "9\u{a0}h\u{a0}05");
        assert_eq!(s.time(" 8:00 "), "8\u{a0}h");
        assert_eq!(
            s.time_span("12:30", Some("13:15")),
            "de 12\u{a0}h\u{a0}30 à 13\u{a0}h\u{a0}15"
        );
        assert_eq!(s.time_span("17:00", None), "17\u{a0}h");
    }

    #[test]
    fn french_signs_never_start_a_line() {
        let s = Strings::for_language("fr").unwrap();
        assert_eq!(s.get("support_title"), "Ça ne marche toujours pas\u{202f}?");
        assert_eq!(s.get("search_no_results"), "Aucun résultat pour «\u{a0}{q}\u{a0}».");
        for (k, v) in s.map() {
            for bad in [" ?", " !", " ;", " :", "« ", " »"] {
                assert!(!v.contains(bad), "{k}: {v:?} holds a breaking space in {bad:?}");
            }
        }
    }
}

#[cfg(test)]
mod english {
    use super::*;

    #[test]
    fn every_table_fills_every_key() {
        let fr = Strings::for_language("fr").unwrap();
        for lang in ["en"] {
            let t = Strings::for_language(lang).unwrap();
            let (a, b): (Vec<_>, Vec<_>) = (fr.map().keys().collect(), t.map().keys().collect());
            assert_eq!(a, b, "{lang}: keys differ from French");
            for (k, v) in t.map() {
                assert!(!v.trim().is_empty(), "{lang}: {k} is empty");
            }
            // Placeholders kept, so JS and templates fill them the same.
            for (k, v) in fr.map() {
                for ph in ["{n}", "{q}", "{start}", "{end}", "{total}"] {
                    assert_eq!(v.contains(ph), t.get(k).contains(ph), "{lang}: {k} and {ph}");
                }
            }
        }
    }

    #[test]
    fn english_table_holds_no_french_word() {
        let t = Strings::for_language("en-GB").unwrap();
        assert_eq!(t.lang, "en");
        const FRENCH: &[&str] = &[
            "fiche",
            "fiches",
            "recherche",
            "résultat",
            "aucun",
            "séance",
            "étape",
            "accueil",
            "catégorie",
            "imprimer",
            "livret",
            "brouillon",
            "connexion",
            "le",
            "la",
            "les",
            "des",
            "de",
            "du",
            "et",
            "une",
            "pour",
            "dans",
        ];
        for (k, v) in t.map() {
            // The training sessions keep their French name; fiches is the program.
            let v = v
                .to_lowercase()
                .replace("apéro'tice", "")
                .replace("made with fiches", "");
            for w in v.split(|c: char| !c.is_alphabetic()) {
                assert!(!FRENCH.contains(&w), "en {k}: {v:?} holds French {w:?}");
            }
            for sign in ['é', 'è', 'à', 'ç', '«', '»', '\u{a0}'] {
                assert!(!v.contains(sign), "en {k}: {v:?} holds {sign:?}");
            }
        }
    }

    #[test]
    fn english_dates_and_times() {
        let s = Strings::for_language("en").unwrap();
        let d = Date(chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
        assert_eq!(s.long_date(d), "4 December 2026");
        let d = Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(s.long_date(d), "1 March 2026");
        assert_eq!(s.time("12:30"), "12:30");
        assert_eq!(s.time("09:05"), "9:05");
        assert_eq!(s.time("17:00"), "17:00");
        assert_eq!(s.time_span("12:30", Some("13:15")), "from 12:30 to 13:15");
        assert_eq!(s.rgaa_status("partiellement conforme"), "partially compliant");
    }
}
