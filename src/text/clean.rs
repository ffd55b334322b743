//! Text made safe to show: control characters and terminal escape sequences
//! stripped, so hostile titles cannot move the cursor or rewrite the screen.

/// Remove control characters (and with them every terminal escape sequence's
/// introducer), keeping tabs as spaces. Newlines become spaces too: one value,
/// one line.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
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
    out
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
}
