//! Text made safe to show: control characters and terminal escape sequences
//! stripped, so hostile titles cannot move the cursor or rewrite the screen.

/// Remove control characters (and with them every terminal escape sequence's
/// introducer), keeping tabs as spaces. Newlines become spaces too: one value,
/// one line.
pub fn sanitize(text: &str) -> String {
    sanitized(text).into_owned()
}

/// [`sanitize`], borrowing a text that has nothing to remove (most do).
pub fn sanitized(text: &str) -> std::borrow::Cow<'_, str> {
    // Every character removed is encoded starting with a byte below 0x20,
    // 0x7F, 0xC2 (U+0080–U+009F) or 0xE2 (U+200E–U+2069): text without
    // them is looked at no further (one pass the compiler can vectorise).
    let maybe = |b: &u8| *b < 0x20 || matches!(*b, 0x7f | 0xc2 | 0xe2);
    if !text.as_bytes().iter().any(maybe) || !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            // CSI / OSC sequences: drop the introducer and the sequence body.
            '\x1b' => {
                match chars.peek() {
                    Some('[') => {
                        chars.next();
                        // parameters and intermediates, then one final byte 0x40..=0x7e
                        for n in chars.by_ref() {
                            if ('\x40'..='\x7e').contains(&n) {
                                break;
                            }
                        }
                    }
                    Some(']') => {
                        chars.next();
                        // until BEL or ST (ESC \)
                        while let Some(n) = chars.next() {
                            if n == '\x07' {
                                break;
                            }
                            if n == '\x1b' {
                                if chars.peek() == Some(&'\\') {
                                    chars.next();
                                }
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A user's value made fit for one line (a title, a trailer, a YAML scalar):
/// control characters stripped, line breaks made spaces, trimmed.
pub fn one_line(text: &str) -> String {
    sanitize(text).trim().to_owned()
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(sanitize("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(sanitize("x\x1b]0;title\x07y"), "xy");
        assert_eq!(sanitize("bell\x07 and\nnewline"), "bell and newline");
        assert_eq!(sanitize("rtl\u{202e}txt"), "rtltxt");
        assert_eq!(sanitize("plain æøå"), "plain æøå");
    }

    /// The quick look at bytes misses no character that is removed.
    #[test]
    fn every_removed_character_is_seen() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(sanitize(&text) == text, !is_unsafe(c), "{c:?}");
        }
    }
}
