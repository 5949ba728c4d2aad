//! Incremental line framing of a response body: bytes in, whole UTF-8 lines out.
//!
//! A network chunk may end anywhere, inside a line or inside a UTF-8 character. The framer
//! keeps the unfinished tail and hands out a line only once its terminator arrives. Lines
//! end at `\n`, `\r\n` or a lone `\r` (as server-sent events allow); the terminator is
//! dropped. Each line is checked as UTF-8 whole, so a character split across chunks is
//! never mistaken for an invalid one.

use std::fmt;

/// Lines longer than this many bytes are refused, so a server that never ends its line
/// cannot grow the page's memory without bound (1 MiB; a streamed chunk is a few hundred).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Why the byte stream could not be framed into lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Line `line` (from 1) is not valid UTF-8.
    InvalidUtf8 {
        /// The line's number in the stream, from 1.
        line: usize,
    },
    /// Line `line` grew past [`MAX_LINE_BYTES`] without ending.
    LineTooLong {
        /// The line's number in the stream, from 1.
        line: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::InvalidUtf8 { line } => {
                write!(f, "line {line} of the stream is not valid UTF-8")
            }
            FrameError::LineTooLong { line } => write!(
                f,
                "line {line} of the stream is longer than {} MiB",
                MAX_LINE_BYTES >> 20
            ),
        }
    }
}

/// Splits a byte stream into lines across arbitrary chunk boundaries.
#[derive(Debug, Default)]
pub struct LineFramer {
    pending: Vec<u8>,
    /// The previous chunk ended with `\r`: a `\n` opening this one belongs to it.
    after_cr: bool,
    lines_out: usize,
    failed: bool,
}

impl LineFramer {
    /// A framer at the start of a stream.
    pub fn new() -> LineFramer {
        LineFramer::default()
    }

    /// Frames `chunk`, appending every line it completes to `lines`. After an error the
    /// framer stays failed and yields nothing more.
    pub fn push(&mut self, chunk: &[u8], lines: &mut Vec<String>) -> Result<(), FrameError> {
        if self.failed {
            return Ok(());
        }
        let mut rest = chunk;
        // An empty chunk says nothing about the byte after a `\r`: keep waiting for it.
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if let Some(b'\n') = rest.first() {
                rest = &rest[1..];
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.extend(&rest[..end])?;
            let line = self.take_line()?;
            lines.push(line);
            let crlf = rest[end] == b'\r';
            rest = &rest[end + 1..];
            if crlf {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
        }
        self.extend(rest)
    }

    /// Ends the stream: an unterminated last line is handed out as it is.
    pub fn finish(&mut self, lines: &mut Vec<String>) -> Result<(), FrameError> {
        if self.failed || self.pending.is_empty() {
            return Ok(());
        }
        let line = self.take_line()?;
        lines.push(line);
        Ok(())
    }

    fn extend(&mut self, bytes: &[u8]) -> Result<(), FrameError> {
        if self.pending.len() + bytes.len() > MAX_LINE_BYTES {
            self.failed = true;
            return Err(FrameError::LineTooLong {
                line: self.lines_out + 1,
            });
        }
        self.pending.extend_from_slice(bytes);
        Ok(())
    }

    fn take_line(&mut self) -> Result<String, FrameError> {
        self.lines_out += 1;
        let bytes = std::mem::take(&mut self.pending);
        String::from_utf8(bytes).map_err(|_| {
            self.failed = true;
            FrameError::InvalidUtf8 {
                line: self.lines_out,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames `chunks` in order and compares the lines, or the error, with `expected`.
    fn check(chunks: &[&[u8]], expected: Result<&[&str], FrameError>) {
        let mut framer = LineFramer::new();
        let mut lines = Vec::new();
        let result = chunks
            .iter()
            .try_for_each(|chunk| framer.push(chunk, &mut lines))
            .and_then(|()| framer.finish(&mut lines));
        match expected {
            Ok(want) => {
                assert_eq!(result, Ok(()));
                assert_eq!(lines, want);
            }
            Err(want) => assert_eq!(result, Err(want)),
        }
    }

    #[test]
    fn splits_on_each_terminator() {
        check(&[b"a\nb\r\nc\rd"], Ok(&["a", "b", "c", "d"]));
        check(&[b"a\n\nb\n"], Ok(&["a", "", "b"]));
    }

    #[test]
    fn carriage_return_then_newline_across_chunks_is_one_terminator() {
        check(&[b"a\r", b"\nb\n"], Ok(&["a", "b"]));
        check(&[b"a\r", b"", b"b\n"], Ok(&["a", "b"]));
    }

    #[test]
    fn a_character_split_across_chunks_survives() {
        let text = "é🙂\n".as_bytes();
        for cut in 0..text.len() {
            check(&[&text[..cut], &text[cut..]], Ok(&["é🙂"]));
        }
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        check(
            &[b"ok\n\xff\xfe\n"],
            Err(FrameError::InvalidUtf8 { line: 2 }),
        );
    }

    #[test]
    fn an_endless_line_is_refused() {
        let big = vec![b'x'; MAX_LINE_BYTES];
        check(
            &[b"a\n", &big, b"y"],
            Err(FrameError::LineTooLong { line: 2 }),
        );
        check(&[&big, b"\n"], Ok(&[&"x".repeat(MAX_LINE_BYTES)]));
    }
}
