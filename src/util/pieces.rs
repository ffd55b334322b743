//! Text as renderers write it ([`std::fmt::Write`]) going out to bytes
//! ([`std::io::Write`]) in pieces, so that a page of tens of megabytes is
//! never whole in memory.

/// How much text is kept before it goes out.
pub const PIECE: usize = 64 * 1024;

/// A [`std::fmt::Write`] that sends what is written to `out` a piece of at
/// least [`PIECE`] bytes at a time. The first failure is kept and what
/// follows it dropped: a renderer need not stop at each write.
pub struct Pieces<W: std::io::Write> {
    out: W,
    buf: Vec<u8>,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> Pieces<W> {
    pub fn new(out: W) -> Self {
        Pieces { out, buf: Vec::with_capacity(PIECE), error: None }
    }

    /// The rest sent out: the sink back, and whether everything went out.
    pub fn finish(mut self) -> (W, std::io::Result<()>) {
        let result = match self.error.take() {
            Some(e) => Err(e),
            None => self.out.write_all(&self.buf),
        };
        (self.out, result)
    }
}

impl<W: std::io::Write> std::fmt::Write for Pieces<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.buf.extend_from_slice(s.as_bytes());
        if self.buf.len() >= PIECE {
            let put = self.out.write_all(&self.buf);
            self.buf.clear();
            if let Err(e) = put {
                self.error = Some(e);
                return Err(std::fmt::Error);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// Takes `room` bytes, then fails.
    struct Full {
        got: Vec<u8>,
        room: usize,
    }

    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.got.len() + buf.len() > self.room {
                return Err(std::io::Error::other("full"));
            }
            self.got.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn everything_goes_out_in_order_in_pieces() {
        let mut p = Pieces::new(Full { got: Vec::new(), room: usize::MAX });
        let mut want = String::new();
        for i in 0..20_000 {
            let s = format!("line {i}\n");
            p.write_str(&s).expect("written");
            want.push_str(&s);
        }
        let (out, result) = p.finish();
        assert!(result.is_ok());
        assert_eq!(out.got, want.as_bytes());
    }

    #[test]
    fn the_first_failure_is_kept_and_the_rest_dropped() {
        let mut p = Pieces::new(Full { got: Vec::new(), room: PIECE + 10 });
        let line = "x".repeat(1000);
        let failed = (0..200).filter(|_| p.write_str(&line).is_err()).count();
        assert!(failed > 0);
        let (out, result) = p.finish();
        assert_eq!(result.map_err(|e| e.to_string()), Err("full".to_owned()));
        assert!(out.got.len() <= PIECE + 10);
    }
}
