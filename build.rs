// The theme and the scaffolding templates are embedded in the binary
// (include_dir!/include_str!): rebuild when any of their files changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=scaffold");
    println!("cargo:rerun-if-changed=build.rs");
}
