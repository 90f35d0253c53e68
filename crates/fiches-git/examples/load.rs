//! Times `History::load` on a site root: `cargo run -p fiches-git --release --example load -- PATH`.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let start = Instant::now();
    let h = fiches_git::History::load(&root);
    let elapsed = start.elapsed();
    println!(
        "{} files, repository: {}, shallow: {}, warning: {:?}, in {elapsed:?}",
        h.len(),
        h.is_repository(),
        h.is_shallow(),
        h.warning()
    );
}
