//! Splitting a tiltak file into its YAML front matter and Markdown body.
//!
//! Copes with a UTF-8 byte-order mark and CRLF line endings, and records
//! where each part starts so diagnostics can point at the original lines.

use crate::diag::{Code, Location};

/// A file split at its front-matter fences. Offsets are byte offsets into the
/// original text (BOM included), so edits can keep every other byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (without the fences).
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the original text.
    pub yaml_start: usize,
    /// 1-based line number of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the closing fence line.
    pub body: &'a str,
    /// Byte offset of `body` in the original text.
    pub body_start: usize,
    /// 1-based line number of the first body line.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub code: Code,
    pub message: String,
    pub location: Location,
}

const BOM: &str = "\u{feff}";

/// Split `text` into front matter and body. The first line must be `---`
/// (after an optional BOM; trailing spaces and `\r` allowed); the front matter
/// ends at the next line that is `---` or `...`.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if !is_fence(&rest[..first_end], false) {
        return Err(SplitError {
            code: Code::MissingFrontMatter,
            message: "the file does not start with front matter (a line `---`)".to_owned(),
            location: Location::new(1, 1),
        });
    }
    let yaml_start = start + first_end;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if is_fence(&text[pos..end], true) {
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_start,
                yaml_line: 2,
                body: &text[end..],
                body_start: end,
                body_line: line + 1,
            });
        }
        pos = end;
        line += 1;
    }
    Err(SplitError {
        code: Code::UnterminatedFrontMatter,
        message: "the front matter opened on line 1 is never closed with a line `---`".to_owned(),
        location: Location::new(1, 1),
    })
}

fn is_fence(line: &str, closing: bool) -> bool {
    let l = line.trim_end_matches(['\n', '\r', ' ', '\t']);
    l == "---" || (closing && l == "...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_file() {
        let s = split("---\nid: A-1\n---\n# T\n").expect("splits");
        assert_eq!(s.yaml, "id: A-1\n");
        assert_eq!(s.body, "# T\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn copes_with_bom_and_crlf() {
        let text = "\u{feff}---\r\nid: A-1\r\n---\r\nbody\r\n";
        let s = split(text).expect("splits");
        assert_eq!(s.yaml, "id: A-1\r\n");
        assert_eq!(s.body, "body\r\n");
        assert_eq!(&text[s.body_start..], "body\r\n");
    }

    #[test]
    fn reports_missing_and_unterminated() {
        assert_eq!(split("# no front matter").expect_err("must fail").code, Code::MissingFrontMatter);
        assert_eq!(split("---\nid: 1\n").expect_err("must fail").code, Code::UnterminatedFrontMatter);
        assert_eq!(split("").expect_err("must fail").code, Code::MissingFrontMatter);
    }

    #[test]
    fn closing_fence_at_end_of_file_without_newline() {
        let s = split("---\na: 1\n---").expect("splits");
        assert_eq!(s.yaml, "a: 1\n");
        assert_eq!(s.body, "");
    }
}
