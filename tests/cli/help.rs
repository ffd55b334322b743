//! `portfolio --help`: the overview of every command. Each command's own
//! `--help` is snapshotted in its module.

use crate::common::*;

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help", texts(&s.run(&["--help"])).0);
}
