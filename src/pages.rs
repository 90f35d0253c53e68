//! The fixed pages: the pages fiches writes itself, whatever the content.
//! This one table is what the model reserves (no content can take their
//! URLs), what the renderer lays out (URL, template, title), what the main
//! navigation lists (handed to `base.html` as `nav`), and what the tests
//! check in the built site.

use serde::Serialize;

/// A fixed page; its table row is `FIXED[page as usize]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Fixed {
    Home,
    AllSheets,
    Sessions,
    Paths,
    Actions,
    Search,
    FollowUp,
    Accessibility,
    NotFound,
    Offline,
}

/// When a page (or its navigation entry) exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// The site has published Apéro'TICE sessions.
    HasSessions,
    HasPaths,
    HasActions,
    /// `[accessibility]` is set in `book.toml`.
    HasAccessibility,
    /// `[offline] enabled` is set in `book.toml`.
    Offline,
}

impl When {
    pub fn holds(self, site: &crate::model::Site) -> bool {
        match self {
            When::Always => true,
            When::HasSessions => !site.sessions.is_empty(),
            When::HasPaths => !site.paths.is_empty(),
            When::HasActions => !site.actions.is_empty(),
            When::HasAccessibility => site.config.accessibility.is_some(),
            When::Offline => site.config.offline.enabled,
        }
    }
}

/// An entry of the main navigation.
#[derive(Debug, Clone, Copy)]
pub struct NavEntry {
    /// UI string of the link (see `i18n`).
    pub label: &'static str,
    /// Shown only when this holds (the page itself is always written).
    pub when: When,
    /// Marks the entry current (`aria-current="true"`) on the pages under
    /// its folder too, not only on the page itself.
    pub section: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct FixedPage {
    pub page: Fixed,
    /// Output path from the site root.
    pub url: &'static str,
    /// Theme template that lays it out.
    pub template: &'static str,
    /// UI string of its title; `None`: the site's title.
    pub title: Option<&'static str>,
    /// Whether the page is written.
    pub when: When,
    pub nav: Option<NavEntry>,
}

const fn row(page: Fixed, url: &'static str, template: &'static str, title: &'static str) -> FixedPage {
    FixedPage {
        page,
        url,
        template,
        title: Some(title),
        when: When::Always,
        nav: None,
    }
}

const fn nav(label: &'static str, when: When, section: bool) -> Option<NavEntry> {
    Some(NavEntry { label, when, section })
}

/// Every fixed page, in the order of the main navigation.
pub const FIXED: [FixedPage; 10] = [
    FixedPage {
        title: None,
        nav: nav("home", When::Always, false),
        ..row(Fixed::Home, "index.html", "index.html", "")
    },
    // Taken by the root category's page when sheets sit at the root of
    // `content/fiches/`.
    FixedPage {
        nav: nav("all_sheets", When::Always, true),
        ..row(Fixed::AllSheets, "fiches/index.html", "all_sheets.html", "sheets")
    },
    FixedPage {
        nav: nav("apero", When::HasSessions, true),
        ..row(Fixed::Sessions, "apero-tice/index.html", "apero_index.html", "apero")
    },
    FixedPage {
        nav: nav("paths", When::HasPaths, true),
        ..row(Fixed::Paths, "parcours/index.html", "parcours_index.html", "paths")
    },
    FixedPage {
        nav: nav("actions", When::HasActions, false),
        ..row(Fixed::Actions, "actions/index.html", "actions.html", "actions")
    },
    row(Fixed::Search, "recherche/index.html", "search.html", "search_title"),
    row(Fixed::FollowUp, "suivi/index.html", "suivi.html", "followup"),
    FixedPage {
        when: When::HasAccessibility,
        ..row(
            Fixed::Accessibility,
            "accessibilite/index.html",
            "accessibilite.html",
            "accessibility_statement",
        )
    },
    row(Fixed::NotFound, "404.html", "404.html", "not_found_title"),
    FixedPage {
        when: When::Offline,
        ..row(Fixed::Offline, "hors-ligne/index.html", "offline.html", "offline_title")
    },
];

// The table is indexed by the enum: checked when compiling.
const _: () = {
    let mut i = 0;
    while i < FIXED.len() {
        assert!(FIXED[i].page as usize == i, "FIXED is out of order");
        i += 1;
    }
};

/// The table row of a fixed page.
pub const fn fixed(page: Fixed) -> &'static FixedPage {
    &FIXED[page as usize]
}

/// Folders that fixed pages own (`actions`, `recherche`…), `""` for the
/// home page: content cannot be published there.
pub fn reserved_dirs() -> impl Iterator<Item = &'static str> {
    FIXED
        .iter()
        .filter_map(|p| p.url.strip_suffix("index.html"))
        .map(|d| d.trim_end_matches('/'))
}
