//! Raw HTML written in a sheet comes from a merge request, and a pool of
//! shared sheets reaches every school's site: what could run code in a
//! reader's browser (`<script>`, `onerror=`, `javascript:` addresses,
//! `<object>`, forms) is taken out, the formatting authors use (`<kbd>`,
//! `<details>`, tables, `<br>`, images, embedded videos) stays.
//!
//! Only pages whose Markdown holds raw HTML go through here: the page is
//! parsed whole, so a tag opened in one event and closed in another is
//! kept together, and the rest of the site pays nothing.

use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "input", "iframe", "video", "audio", "source", "track", "picture", "aside",
    ])
    // What fiches' own Markdown writer puts on its elements (heading
    // anchors, code blocks, callouts, task lists, table alignment).
    .add_generic_attributes(["class", "id", "dir", "role", "tabindex", "style", "hidden"])
    .add_generic_attribute_prefixes(["aria-", "data-"])
    .filter_style_properties(std::collections::HashSet::from(["text-align"]))
    .add_tag_attributes("a", ["target", "id"])
    .add_tag_attributes("img", ["loading", "decoding", "title"])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_tag_attributes(
        "iframe",
        [
            "src",
            "width",
            "height",
            "title",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
        ],
    )
    .add_tag_attributes(
        "video",
        [
            "src",
            "controls",
            "width",
            "height",
            "poster",
            "preload",
            "muted",
            "loop",
            "playsinline",
        ],
    )
    .add_tag_attributes("audio", ["src", "controls", "preload", "loop"])
    .add_tag_attributes("source", ["src", "type", "srcset", "media"])
    .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
    .add_tag_attributes("ol", ["start", "reversed", "type"])
    .add_tag_attributes("td", ["colspan", "rowspan"])
    .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
    // Links keep what the author wrote: no `rel` added to each.
    .link_rel(None)
    // Comments are the contributors' notes: not published (pages without
    // tags lose theirs in `markdown::strip_comments`).
    .strip_comments(true);
    b
});

/// The page's HTML with what could run code removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}
