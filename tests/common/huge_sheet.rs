//! The `huge-sheet` bad-input case of tests/fixtures/broken, generated at
//! test time (5 MB are not worth a commit): a valid site whose
//! `maintenance/registre-des-pannes` sheet is about 5 MB. Included by the
//! main crate's tests and by crates/fiches-search's.

use std::fmt::Write as _;
use std::path::Path;

/// Id of the huge sheet, a row id it holds, and a word that appears only
/// past its first 30 KB (the part kept for snippets).
pub const HUGE_ID: &str = "maintenance/registre-des-pannes";
pub const HUGE_TOKEN: &str = "P31337";
pub const HUGE_LATE_WORD: &str = "Internat";

/// Writes the site into `dir` (created) and returns the sheet's size.
pub fn write_huge_sheet_site(dir: &Path) -> usize {
    let fiches = dir.join("content/fiches/maintenance");
    std::fs::create_dir_all(&fiches).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Aide numérique — Lycée des Pins\"\nlanguage = \"fr\"\n\n[site]\nbase-url = \"/aide/\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/actions.toml"),
        "[[action]]\nid = \"ajout-imprimante\"\ntitle = \"Ajouter une imprimante de salle\"\nwho = [\"referent\"]\n",
    )
    .unwrap();
    std::fs::write(
        fiches.join("procedure.md"),
        "+++\ntitle = \"Signaler une panne\"\naction = \"ajout-imprimante\"\n+++\n\n## Étapes\n\n1. Noter la salle et l'appareil.\n2. Consulter le [registre des pannes](registre-des-pannes.md).\n",
    )
    .unwrap();
    let rooms = ["B204", "B108", "C012", "CDI", "Atelier 3", "Labo SVT"];
    let kit = [
        "vidéoprojecteur",
        "écran interactif",
        "copieur",
        "portable",
        "borne Wi-Fi",
    ];
    let state = ["résolu", "en attente", "ticket ouvert", "pièce commandée"];
    let note = [
        "câble remplacé, testé avec le professeur",
        "redémarrage suffisant, à surveiller",
        "signalé au support régional par ticket",
        "voyant orange, filtre nettoyé",
    ];
    let mut s = String::with_capacity(5_500_000);
    s.push_str(
        "+++\ntitle = \"Registre des pannes du lycée\"\nsummary = \"Toutes les interventions depuis 2019, salle par salle.\"\ntags = [\"pannes\", \"registre\"]\n+++\n\n",
    );
    let mut row = 0u32;
    for section in 1..=60u32 {
        let late = section == 45;
        let title = if late {
            "Internat, bâtiment D".to_string()
        } else {
            format!("Campagne {section}")
        };
        writeln!(s, "## Section {section} — {title}\n").unwrap();
        writeln!(s, "- [x] Relevé des compteurs\n- [ ] Contrôle des câbles\n").unwrap();
        writeln!(
            s,
            "```text\njournal {section}: redémarrage du serveur d'impression\nstatut: ok\n```\n"
        )
        .unwrap();
        s.push_str("| Intervention | Date | Salle | Appareil | État | Remarque |\n|---|---|---|---|---|---|\n");
        for i in 0..834u32 {
            row += 1;
            let room = if late { "Internat" } else { rooms[(row % 6) as usize] };
            writeln!(
                s,
                "| P{row:05} | 20{:02}-{:02}-{:02} | {room} | {} | {} | {} |",
                19 + section % 7,
                1 + i % 12,
                1 + i % 28,
                kit[(row % 5) as usize],
                state[(row % 4) as usize],
                note[(row % 4) as usize]
            )
            .unwrap();
        }
        s.push('\n');
    }
    std::fs::write(fiches.join("registre-des-pannes.md"), &s).unwrap();
    s.len()
}
