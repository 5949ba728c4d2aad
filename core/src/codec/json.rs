//! A small JSON reader for files users load (price files): plain values, a depth limit, byte
//! offsets in errors, and no panic on any input. Smaller in the wasm than a general
//! deserializer, which the page does not need.

/// A JSON value. Objects keep their members in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string, escapes decoded.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members in file order.
    Object(Vec<(String, Json)>),
}

/// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

impl Json {
    /// The member `key` of an object (the last, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a text is not JSON, and where the reader stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong.
    pub kind: JsonErrorKind,
    /// Byte offset in the text where the reader found it.
    pub offset: usize,
}

/// What is wrong with a text that is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Text follows the value.
    TrailingText,
    /// No value where one must be.
    ExpectedValue,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The text ends inside a value.
    UnexpectedEnd,
    /// An object member without a name.
    ExpectedName,
    /// A member name without its `:`.
    ExpectedColon,
    /// An object member followed by neither `,` nor `}`.
    ExpectedCommaOrBrace,
    /// An array item followed by neither `,` nor `]`.
    ExpectedCommaOrBracket,
    /// A number that is malformed or out of range.
    InvalidNumber,
    /// A `\u` escape without four hex digits.
    InvalidUnicodeEscape,
    /// A backslash escape JSON does not have.
    InvalidEscape,
    /// A raw control character inside a string.
    ControlCharacter,
    /// A string without its closing quote.
    UnterminatedString,
}

impl std::fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JsonErrorKind::TrailingText => "unexpected text after the value",
            JsonErrorKind::ExpectedValue => "expected a value",
            JsonErrorKind::TooDeep => "nested too deeply",
            JsonErrorKind::UnexpectedEnd => "unexpected end",
            JsonErrorKind::ExpectedName => "expected a member name",
            JsonErrorKind::ExpectedColon => "expected `:`",
            JsonErrorKind::ExpectedCommaOrBrace => "expected `,` or `}`",
            JsonErrorKind::ExpectedCommaOrBracket => "expected `,` or `]`",
            JsonErrorKind::InvalidNumber => "invalid number",
            JsonErrorKind::InvalidUnicodeEscape => "invalid \\u escape",
            JsonErrorKind::InvalidEscape => "invalid escape",
            JsonErrorKind::ControlCharacter => "control character in a string",
            JsonErrorKind::UnterminatedString => "unterminated string",
        })
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// Parses a whole JSON text.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = reader.value(0)?;
    reader.space();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error(JsonErrorKind::TrailingText));
    }
    Ok(value)
}

/// `text` as a JSON string literal, quotes included; control characters are escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            offset: self.pos,
        }
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(JsonErrorKind::ExpectedValue))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(JsonErrorKind::TooDeep));
        }
        self.space();
        match self.bytes.get(self.pos) {
            None => Err(self.error(JsonErrorKind::UnexpectedEnd)),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error(JsonErrorKind::ExpectedValue)),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.pos += 1;
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.space();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error(JsonErrorKind::ExpectedName));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.error(JsonErrorKind::ExpectedColon));
            }
            members.push((key, self.value(depth + 1)?));
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.error(JsonErrorKind::ExpectedCommaOrBrace));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error(JsonErrorKind::ExpectedCommaOrBracket));
            }
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.pos])
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|n| n.is_finite())
            .map(Json::Number)
            .ok_or_else(|| self.error(JsonErrorKind::InvalidNumber))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.error(JsonErrorKind::InvalidUnicodeEscape))?;
        self.pos += 4;
        Ok(digits)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and we stop only at ASCII bytes, so this slice is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or_default());
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let mut code = self.hex4()?;
                            // A high surrogate pairs only with a low one that follows; a lone
                            // surrogate becomes U+FFFD and what follows is read on its own.
                            if (0xD800..0xDC00).contains(&code) {
                                let low = self
                                    .bytes
                                    .get(self.pos + 2..self.pos + 6)
                                    .filter(|_| self.bytes[self.pos..].starts_with(b"\\u"))
                                    .and_then(|h| std::str::from_utf8(h).ok())
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                                    .filter(|low| (0xDC00..0xE000).contains(low));
                                if let Some(low) = low {
                                    self.pos += 6;
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                }
                            }
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.error(JsonErrorKind::InvalidEscape)),
                    }
                }
                Some(_) => return Err(self.error(JsonErrorKind::ControlCharacter)),
                None => return Err(self.error(JsonErrorKind::UnterminatedString)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<Json, &str>) {
        assert_eq!(
            parse(text).map_err(|e| e.to_string()),
            expected.map_err(str::to_string),
            "{text}"
        );
    }

    #[test]
    fn values() {
        check(" null ", Ok(Json::Null));
        check(
            "[true,false,-1.5e-7]",
            Ok(Json::Array(vec![
                Json::Bool(true),
                Json::Bool(false),
                Json::Number(-1.5e-7),
            ])),
        );
        check(
            r#"{"a":{"b":"x\"y\u00e9\ud83d\ude00"},"a":2}"#,
            Ok(Json::Object(vec![
                (
                    "a".into(),
                    Json::Object(vec![("b".into(), Json::String("x\"yé😀".into()))]),
                ),
                ("a".into(), Json::Number(2.0)),
            ])),
        );
        assert_eq!(
            parse(r#"{"a":1,"a":2}"#)
                .ok()
                .and_then(|j| j.get("a").and_then(Json::as_f64)),
            Some(2.0)
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        check(r#""\ud83d\u0041""#, Ok(Json::String("\u{FFFD}A".into())));
        check(r#""\ude00x""#, Ok(Json::String("\u{FFFD}x".into())));
        check(r#""\ud83d""#, Ok(Json::String("\u{FFFD}".into())));
    }

    #[test]
    fn quoting_round_trips() {
        let text = "say \"hi\"\\\n\t\u{1}é";
        assert_eq!(quote(text), r#""say \"hi\"\\\n\t\u0001é""#);
        check(&quote(text), Ok(Json::String(text.into())));
    }

    #[test]
    fn errors_name_the_byte() {
        check("", Err("unexpected end at byte 0"));
        check("{\"a\" 1}", Err("expected `:` at byte 5"));
        check("[1,]", Err("expected a value at byte 3"));
        check("[1] x", Err("unexpected text after the value at byte 4"));
        check("\"abc", Err("unterminated string at byte 4"));
        check("1e999", Err("invalid number at byte 5"));
        check("tru", Err("expected a value at byte 0"));
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 2);
        assert_eq!(
            parse(&deep).map_err(|e| e.kind),
            Err(JsonErrorKind::TooDeep),
            "a caller can match on what went wrong"
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
