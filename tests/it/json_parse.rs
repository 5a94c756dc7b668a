//! A small, strict JSON parser (RFC 8259), std only, to check every JSON record the hooks write.
//!
//! Strict means: exactly one value with optional whitespace around it, no trailing commas, no
//! leading zeros, no raw control characters in strings, only the escapes the RFC lists, no lone
//! surrogates, valid UTF-8, and — beyond the RFC's "SHOULD" — no duplicate keys. Numbers are
//! kept as their literal text so that integers up to 2^64-1 compare exactly.

/// A parsed JSON value; objects keep their keys in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` in an object; panics (a test failure) if absent or not an object.
    pub fn get(&self, key: &str) -> &Value {
        match self {
            Value::Object(members) => members
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("no key {key:?} in {self:?}")),
            _ => panic!("not an object: {self:?}"),
        }
    }

    /// The keys of an object, in order.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Value::Object(members) => members.iter().map(|(k, _)| k.as_str()).collect(),
            _ => panic!("not an object: {self:?}"),
        }
    }

    pub fn str(&self) -> &str {
        match self {
            Value::String(s) => s,
            _ => panic!("not a string: {self:?}"),
        }
    }

    /// An integer, exactly: the number's text must be digits only.
    pub fn u64(&self) -> u64 {
        match self {
            Value::Number(n) => n.parse().unwrap_or_else(|_| panic!("not a u64: {n}")),
            _ => panic!("not a number: {self:?}"),
        }
    }
}

/// Parses `input` as exactly one JSON value.
pub fn parse(input: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(input).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
    };
    parser.whitespace();
    let value = parser.value()?;
    parser.whitespace();
    if parser.at != parser.text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.at)
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        match self.bump() {
            Some(b) if b == byte => Ok(()),
            _ => Err(self.error(&format!("expected {:?}", byte as char))),
        }
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("bad literal"))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.expect(b'{')?;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key"));
            }
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                return Err(self.error(&format!("duplicate key {key:?}")));
            }
            self.whitespace();
            self.expect(b':')?;
            self.whitespace();
            let value = self.value()?;
            members.push((key, value));
            self.whitespace();
            match self.bump() {
                Some(b',') => continue,
                Some(b'}') => return Ok(Value::Object(members)),
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.whitespace();
            items.push(self.value()?);
            self.whitespace();
            match self.bump() {
                Some(b',') => continue,
                Some(b']') => return Ok(Value::Array(items)),
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("leading zero"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a fraction digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected an exponent digit"));
            }
        }
        let literal = std::str::from_utf8(&self.text[start..self.at]).unwrap();
        Ok(Value::Number(literal.to_string()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.bump() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("bad \\u escape")),
            };
            value = value * 16 + u32::from(digit);
        }
        Ok(value)
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            // Copy the run of plain characters; the input is known to be UTF-8.
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.text[start..self.at]).unwrap());
            match self.bump() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => {}
                Some(_) => return Err(self.error("raw control character in string")),
                None => return Err(self.error("unterminated string")),
            }
            let c = match self.bump() {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let first = self.hex4()?;
                    let code = match first {
                        0xD800..=0xDBFF => {
                            if self.bump() != Some(b'\\') || self.bump() != Some(b'u') {
                                return Err(self.error("lone high surrogate"));
                            }
                            let second = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&second) {
                                return Err(self.error("bad low surrogate"));
                            }
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        }
                        0xDC00..=0xDFFF => return Err(self.error("lone low surrogate")),
                        _ => first,
                    };
                    char::from_u32(code).ok_or_else(|| self.error("bad code point"))?
                }
                _ => return Err(self.error("bad escape")),
            };
            out.push(c);
        }
    }
}

#[test]
fn the_parser_is_strict() {
    let good: &[(&str, Value)] = &[
        ("null", Value::Null),
        (
            " [true, false] ",
            Value::Array(vec![Value::Bool(true), Value::Bool(false)]),
        ),
        ("-0.5e+3", Value::Number("-0.5e+3".into())),
        (
            "18446744073709551615",
            Value::Number("18446744073709551615".into()),
        ),
        (
            r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#,
            Value::String("a\"\\/\u{8}\u{c}\n\r\té😀".into()),
        ),
        (
            r#"{"a":1,"b":{}}"#,
            Value::Object(vec![
                ("a".into(), Value::Number("1".into())),
                ("b".into(), Value::Object(vec![])),
            ]),
        ),
    ];
    for (text, expected) in good {
        assert_eq!(parse(text.as_bytes()).as_ref(), Ok(expected), "{text}");
    }
    let bad: &[&[u8]] = &[
        b"",
        b"{",
        b"[1,]",
        b"{\"a\":1,}",
        b"{\"a\":1,\"a\":2}",
        b"{a:1}",
        b"01",
        b"1.",
        b"+1",
        b".5",
        b"1e",
        b"\"\x01\"",
        b"\"\n\"",
        b"\"\\x41\"",
        b"\"\\ud800\"",
        b"\"\\udc00\"",
        b"\"\\u12\"",
        b"\"\xff\"",
        b"'a'",
        b"nul",
        b"True",
        b"1 2",
        b"{}x",
    ];
    for text in bad {
        assert!(
            parse(text).is_err(),
            "accepted {:?}",
            String::from_utf8_lossy(text)
        );
    }
}
