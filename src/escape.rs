//! Untrusted text made safe to put inside a quoted field of a one-line record.
//!
//! A common name comes from a client certificate and a username from the client itself: either
//! can hold quotes, backslashes or bytes that are not UTF-8, and a name must never be able to end
//! its field early or start a new line that looks like a record. The escaped form is still
//! readable: valid UTF-8 text (`zoë`) is kept as it is.
//!
//! Rules, in order of precedence:
//! - `\` becomes `\\` and `'` becomes `\'`, so the quotes around the field are unambiguous;
//! - control bytes (0x00-0x1F), DEL (0x7F) and bytes that are not part of valid UTF-8 become
//!   `\xHH` (uppercase hex);
//! - the characters that some programs treat as line breaks or that terminals interpret although
//!   they are valid UTF-8 — the C1 controls U+0080..U+009F (NEL among them), U+2028 LINE
//!   SEPARATOR and U+2029 PARAGRAPH SEPARATOR — become the `\xHH` escapes of their UTF-8 bytes;
//! - everything else is copied.
//!
//! The escaped text is capped: a name longer than the cap is cut at a character boundary and
//! ends with `\...`. A literal backslash is always doubled, so `\...` cannot be produced by any
//! name and always means "cut here".
//!
//! The JSON strings (`json`) and the diagnostics (`diag`) use the same core: one UTF-8 decoder,
//! one list of characters always escaped and one capped append ([`write_capped`],
//! [`always_escaped`]); each only writes the pieces its own way.

/// The most bytes an escaped name may take in a record, the cut marker excluded. Certificates
/// limit common names to 64 bytes, so every real common name fits even if each byte had to be
/// written as `\xHH`.
pub const NAME_CAP: usize = 256;

/// The marker appended after a name that was cut at [`NAME_CAP`].
pub const CUT_MARKER: &[u8] = b"\\...";

/// Appends `raw` escaped as described in the module documentation, at most `cap` bytes of it,
/// followed by [`CUT_MARKER`] if it was cut.
pub fn write_escaped(out: &mut Vec<u8>, raw: &[u8], cap: usize) {
    write_capped(out, raw, cap, CUT_MARKER, |out, piece| match piece {
        Piece::Char(c @ ('\\' | '\'')) => out.extend_from_slice(&[b'\\', c as u8]),
        _ => write_line_safe_piece(out, piece),
    });
}

/// Appends `raw` with only what could break a line escaped: the [`always_escaped`] characters
/// and bytes that are not UTF-8 become `\xHH`, as in [`write_escaped`]; quotes and backslashes
/// are copied. For text that is not inside quotes (see `diag`), where a quote is harmless but
/// a newline would forge a line.
pub fn write_line_safe(out: &mut Vec<u8>, raw: &[u8]) {
    write_capped(out, raw, usize::MAX, b"", write_line_safe_piece);
}

fn write_line_safe_piece(out: &mut Vec<u8>, piece: Piece) {
    match piece {
        Piece::Char(c) if always_escaped(c) => {
            for &byte in c.encode_utf8(&mut [0; 4]).as_bytes() {
                write_hex_escape(out, byte);
            }
        }
        Piece::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        Piece::Invalid { byte, .. } => write_hex_escape(out, byte),
    }
}

/// One piece of untrusted bytes, as [`write_capped`] hands them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// A character that was validly encoded.
    Char(char),
    /// One byte of a maximal invalid sequence (Unicode 15, section 3.9, "U+FFFD Substitution
    /// of Maximal Subparts"); `first` for the first byte of each such sequence.
    Invalid { byte: u8, first: bool },
}

/// The characters every output escapes although some are valid UTF-8: the C0 controls
/// (U+0000..U+001F), DEL, the C1 controls (U+0080..U+009F, NEL among them), U+2028 LINE
/// SEPARATOR and U+2029 PARAGRAPH SEPARATOR. Some programs take each of them for a line break
/// or a terminal command.
pub fn always_escaped(c: char) -> bool {
    matches!(c, '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}')
}

/// The one escaping loop: decodes `raw` as UTF-8 (as `String::from_utf8_lossy` does) into
/// [`Piece`]s, lets `write` append each one, and stops before the piece that would make the
/// output longer than `cap` bytes (counted from where it started), appending `marker` instead.
/// An escape is therefore never split, and a cut always falls on a character boundary.
pub fn write_capped(
    out: &mut Vec<u8>,
    raw: &[u8],
    cap: usize,
    marker: &[u8],
    mut write: impl FnMut(&mut Vec<u8>, Piece),
) {
    let start = out.len();
    for chunk in raw.utf8_chunks() {
        let chars = chunk.valid().chars().map(Piece::Char);
        let invalid = chunk.invalid().iter().enumerate();
        let invalid = invalid.map(|(i, &byte)| Piece::Invalid {
            byte,
            first: i == 0,
        });
        for piece in chars.chain(invalid) {
            let before = out.len();
            write(out, piece);
            if out.len() - start > cap {
                // This piece would cross the cap: drop it and mark the cut.
                out.truncate(before);
                out.extend_from_slice(marker);
                return;
            }
        }
    }
}

/// Appends `\xHH` with uppercase hex digits.
pub fn write_hex_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(b"\\x");
    out.push(HEX[usize::from(byte >> 4)]);
    out.push(HEX[usize::from(byte & 0x0F)]);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn escaped(raw: &[u8], cap: usize) -> String {
        let mut out = Vec::new();
        write_escaped(&mut out, raw, cap);
        String::from_utf8(out).expect("escaped output is always UTF-8")
    }

    #[test]
    fn escapes_what_could_forge_a_field_or_a_line() {
        let cases: &[(&[u8], &str)] = &[
            (b"alice", "alice"),
            (b"", ""),
            (b"bob o'neil", r"bob o\'neil"),
            (b"back\\slash", r"back\\slash"),
            (b"a\nUser 'x' at", r"a\x0AUser \'x\' at"),
            (b"cr\rtab\tnul\0", r"cr\x0Dtab\x09nul\x00"),
            (b"del\x7f", r"del\x7F"),
            ("zoë".as_bytes(), "zoë"),
            ("日本語 😀".as_bytes(), "日本語 😀"),
            (b"bad\xff\xfeutf", r"bad\xFF\xFEutf"),
            (b"trunc\xc3", r"trunc\xC3"),
            (b"overlong\xc0\xaf", r"overlong\xC0\xAF"),
            (b"surrogate\xed\xa0\x80", r"surrogate\xED\xA0\x80"),
            (b"too big\xf4\x90\x80\x80", r"too big\xF4\x90\x80\x80"),
            ("nel\u{85}".as_bytes(), r"nel\xC2\x85"),
            (
                "ls\u{2028}ps\u{2029}".as_bytes(),
                r"ls\xE2\x80\xA8ps\xE2\x80\xA9",
            ),
            ("nbsp\u{a0}".as_bytes(), "nbsp\u{a0}"),
            (b"$(rm -rf /);`x`,\"q\"", "$(rm -rf /);`x`,\"q\""),
        ];
        for &(raw, expected) in cases {
            assert_eq!(escaped(raw, NAME_CAP), expected, "input {raw:?}");
        }
    }

    #[test]
    fn caps_long_names_at_a_character_boundary() {
        let cases: &[(Vec<u8>, usize, &str)] = &[
            (b"abcdef".to_vec(), 6, "abcdef"),
            (b"abcdefg".to_vec(), 6, r"abcdef\..."),
            // An escape is never split: "ab" + "\x0A" is 6 bytes, the next "\\" would be 8.
            (b"ab\n\\".to_vec(), 6, r"ab\x0A\..."),
            ("ééé".as_bytes().to_vec(), 5, r"éé\..."),
            (b"it's".to_vec(), 3, r"it\..."),
        ];
        for (raw, cap, expected) in cases {
            assert_eq!(escaped(raw, *cap), *expected, "input {raw:?} cap {cap}");
        }
    }

    #[test]
    fn every_64_byte_common_name_fits_the_cap() {
        let worst = [0x01u8; 64];
        let out = escaped(&worst, NAME_CAP);
        assert_eq!(out.len(), NAME_CAP);
        assert!(!out.ends_with(r"\..."));
    }

    #[test]
    fn line_safe_text_keeps_quotes_and_backslashes() {
        let cases: &[(&[u8], &str)] = &[
            (
                b"/tmp/o'neil\\x: no such file",
                r"/tmp/o'neil\x: no such file",
            ),
            (b"/tmp/nodir\nforged/x", r"/tmp/nodir\x0Aforged/x"),
            (b"a\r\x7f\xff", r"a\x0D\x7F\xFF"),
            (
                "nel\u{85}ls\u{2028}zo\u{eb}".as_bytes(),
                r"nel\xC2\x85ls\xE2\x80\xA8zoë",
            ),
        ];
        for &(raw, expected) in cases {
            let mut out = Vec::new();
            write_line_safe(&mut out, raw);
            assert_eq!(String::from_utf8(out).unwrap(), expected, "input {raw:?}");
        }
    }

    /// The inputs the escapers are checked with: every input of up to two bytes, 100 kB of a
    /// hostile mixture, and 20 000 random strings from `seed` (tests print it on failure).
    pub(crate) fn inputs(seed: u64) -> Vec<Vec<u8>> {
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        for a in 0..=255u8 {
            inputs.push(vec![a]);
            for b in 0..=255u8 {
                inputs.push(vec![a, b]);
            }
        }
        inputs.push(b"\n\r'\\\xc2\x85\xe2\x80\xa8\xff".repeat(100_000 / 10));
        // Random strings drawn from bytes that make every kind of UTF-8 sequence, valid or
        // broken, likely: ASCII, quotes, controls, lead bytes of each width, continuations.
        const ALPHABET: &[u8] =
            b"a'\\\"\n\x7f\x80\x85\x9f\xa0\xa8\xbf\xc0\xc2\xdf\xe0\xe2\xed\xef\xf0\xf4\xf5\xff";
        let mut state = seed;
        let mut next = move || {
            // SplitMix64.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let z = (state ^ (state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as usize
        };
        for _ in 0..20_000 {
            let len = next() % 300;
            inputs.push(
                (0..len)
                    .map(|_| ALPHABET[next() % ALPHABET.len()])
                    .collect(),
            );
        }
        inputs
    }

    pub(crate) const SEED: u64 = 0x5EED_0015;

    #[test]
    fn output_never_holds_a_control_byte_for_any_input() {
        for raw in &inputs(SEED) {
            let mut out = Vec::new();
            write_escaped(&mut out, raw, NAME_CAP);
            assert!(out.len() <= NAME_CAP + CUT_MARKER.len());
            assert!(std::str::from_utf8(&out).is_ok(), "not UTF-8 for {raw:?}");
            assert!(
                !out.iter().any(|&b| b < 0x20 || b == 0x7F),
                "control byte for {raw:?} (seed {SEED:#x})"
            );
            assert!(
                !out.windows(2).any(|w| w == [0xC2, 0x85]),
                "NEL for {raw:?} (seed {SEED:#x})"
            );
        }
    }

    /// The escaper as it was before the escaping core was shared with JSON (a hand-written
    /// UTF-8 decoder), kept as the reference the shared core must match byte for byte.
    fn reference(raw: &[u8], cap: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut rest = raw;
        while let Some(&first) = rest.first() {
            let before = out.len();
            let width = match first {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => 1,
            };
            let sequence = rest
                .get(..width)
                .filter(|s| width > 1 && std::str::from_utf8(s).is_ok());
            let taken = match (first, sequence) {
                (b'\\' | b'\'', _) => {
                    out.extend_from_slice(&[b'\\', first]);
                    1
                }
                (0x20..=0x7E, _) => {
                    out.push(first);
                    1
                }
                (_, Some([0xC2, 0x80..=0x9F] | [0xE2, 0x80, 0xA8 | 0xA9])) | (_, None) => {
                    let bytes = sequence.unwrap_or(&rest[..1]);
                    bytes.iter().for_each(|&b| write_hex_escape(&mut out, b));
                    bytes.len()
                }
                (_, Some(bytes)) => {
                    out.extend_from_slice(bytes);
                    bytes.len()
                }
            };
            if out.len() > cap {
                out.truncate(before);
                out.extend_from_slice(CUT_MARKER);
                break;
            }
            rest = &rest[taken..];
        }
        out
    }

    #[test]
    fn matches_the_reference_escaper_byte_for_byte() {
        for raw in &inputs(SEED) {
            for cap in [NAME_CAP, 7] {
                let mut out = Vec::new();
                write_escaped(&mut out, raw, cap);
                assert_eq!(
                    out,
                    reference(raw, cap),
                    "input {raw:?} cap {cap} (seed {SEED:#x})"
                );
            }
        }
    }
}
