//! `portfolio board`: one column per phase, as a table or Markdown.

use crate::scenarios::*;

#[test]
fn board_snapshots() {
    let s = year();
    insta::assert_snapshot!("board_table", s.ok(&["board"]));
    insta::assert_snapshot!("board_markdown", s.ok(&["board", "--format", "markdown"]));
}
