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

/// The most bytes an escaped name may take in a record, the cut marker excluded. Certificates
/// limit common names to 64 bytes, so every real common name fits even if each byte had to be
/// written as `\xHH`.
pub const NAME_CAP: usize = 256;

/// The marker appended after a name that was cut at [`NAME_CAP`].
pub const CUT_MARKER: &[u8] = b"\\...";

/// Appends `raw` escaped as described in the module documentation, at most `cap` bytes of it,
/// followed by [`CUT_MARKER`] if it was cut.
pub fn write_escaped(out: &mut Vec<u8>, raw: &[u8], cap: usize) {
    let start = out.len();
    let mut rest = raw;
    while let Some(&first) = rest.first() {
        let before = out.len();
        let taken = escape_one(out, first, rest);
        if out.len() - start > cap {
            // This character would cross the cap: drop it and mark the cut.
            out.truncate(before);
            out.extend_from_slice(CUT_MARKER);
            return;
        }
        rest = rest.get(taken..).unwrap_or_default();
    }
}

/// Escapes the first character (or undecodable byte) of `input`, whose first byte is `first`;
/// returns how many input bytes it consumed (at least 1).
fn escape_one(out: &mut Vec<u8>, first: u8, input: &[u8]) -> usize {
    match first {
        b'\\' | b'\'' => {
            out.push(b'\\');
            out.push(first);
            1
        }
        0x00..=0x1F | 0x7F => {
            write_hex_escape(out, first);
            1
        }
        0x20..=0x7E => {
            out.push(first);
            1
        }
        _ => {
            let Some(sequence) = utf8_sequence(first, input) else {
                write_hex_escape(out, first);
                return 1;
            };
            if is_line_break_or_c1(sequence) {
                for &byte in sequence {
                    write_hex_escape(out, byte);
                }
            } else {
                out.extend_from_slice(sequence);
            }
            sequence.len()
        }
    }
}

/// The valid UTF-8 sequence at the start of `input`, whose first byte `first` is >= 0x80, or
/// `None` if there is none. Overlong forms, surrogates and values above U+10FFFF are invalid,
/// as in `std::str::from_utf8`.
fn utf8_sequence(first: u8, input: &[u8]) -> Option<&[u8]> {
    let width = match first {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let sequence = input.get(..width)?;
    std::str::from_utf8(sequence).ok().map(|_| sequence)
}

/// True for the valid UTF-8 characters that are escaped all the same: C1 controls
/// (U+0080..U+009F, encoded C2 80..C2 9F) and U+2028/U+2029 (E2 80 A8, E2 80 A9).
fn is_line_break_or_c1(sequence: &[u8]) -> bool {
    matches!(
        sequence,
        [0xC2, 0x80..=0x9F] | [0xE2, 0x80, 0xA8] | [0xE2, 0x80, 0xA9]
    )
}

/// Appends `\xHH` with uppercase hex digits.
pub fn write_hex_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(b"\\x");
    out.push(HEX[usize::from(byte >> 4)]);
    out.push(HEX[usize::from(byte & 0x0F)]);
}

#[cfg(test)]
mod tests {
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
    fn output_never_holds_a_control_byte_for_any_input() {
        // Every one- and two-byte input, and 100 kB of a hostile mixture.
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                inputs.push(vec![a, b]);
            }
        }
        inputs.push(b"\n\r'\\\xc2\x85\xff".repeat(100_000 / 8));
        for raw in &inputs {
            let mut out = Vec::new();
            write_escaped(&mut out, raw, NAME_CAP);
            assert!(out.len() <= NAME_CAP + CUT_MARKER.len());
            assert!(std::str::from_utf8(&out).is_ok(), "not UTF-8 for {raw:?}");
            assert!(
                !out.iter().any(|&b| b < 0x20 || b == 0x7F),
                "control byte for {raw:?}"
            );
            assert!(
                !out.windows(2).any(|w| w == [0xC2, 0x85]),
                "NEL for {raw:?}"
            );
        }
    }
}
