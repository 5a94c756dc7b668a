//! The JSON record: one object per line, for log shippers (`--format json`).
//!
//! ```text
//! {"event":"connect","time":"2026-11-23T09:05:02+01:00","instance":null,"common_name":"alice",...}
//! ```
//!
//! Every key is always present, always in the same order ([`KEYS`]); a value the event does not
//! have (`end` at connect) or that OpenVPN did not set (`username` without password
//! authentication) is `null`. Integers are JSON integers written digit by digit, exact up to
//! 2^64-1 (a consumer that reads numbers as doubles loses precision above 2^53; that is its
//! choice, not ours). Times are RFC 3339 with the numeric offset of the zone in use.
//!
//! Strings follow RFC 8259, section 7: `"` and `\` are escaped, control characters become
//! `\u00XX`. So do DEL, the C1 controls U+0080..U+009F and U+2028/U+2029 — valid JSON either
//! way, but U+2028/U+2029 end a line in JavaScript source and the others confuse terminals, the
//! same characters the classic record escapes (`escape::always_escaped`, with the decoder and
//! the cap shared through `escape::write_capped`). Bytes that are not UTF-8 become U+FFFD, one for
//! each maximal invalid sequence, as `String::from_utf8_lossy` does (Unicode 15, section 3.9,
//! "U+FFFD Substitution of Maximal Subparts"). The output is therefore always valid UTF-8.
//!
//! A string takes at most [`STRING_CAP`] bytes between its quotes, the classic record's cap
//! for names: a longer one is cut at a character boundary and ends with [`CUT_MARKER`]. Unlike
//! the classic `\...`, that marker could also come from a name (JSON has no unused character to
//! spare), but no name OpenVPN passes is that long unless it is mostly characters that need
//! escaping.

use crate::escape::{always_escaped, write_capped, Piece, NAME_CAP};
use crate::numbers::{write_i64, write_u64};
use crate::session::{Event, RealAddress, Session};
use crate::time::{Zone, MAX_UNIX};

/// The most bytes a string value may take between its quotes, the cut marker excluded.
pub const STRING_CAP: usize = NAME_CAP;

/// What ends a string that was cut at [`STRING_CAP`]: U+2026 HORIZONTAL ELLIPSIS.
pub const CUT_MARKER: &str = "\u{2026}";

/// The keys of every record, in order.
pub const KEYS: [&str; 20] = [
    "event",
    "time",
    "instance",
    "common_name",
    "username",
    "real_ip",
    "real_port",
    "virtual_ip",
    "virtual_ipv6",
    "client_version",
    "client_platform",
    "client_gui",
    "start",
    "start_unix",
    "end",
    "end_unix",
    "duration",
    "bytes_received",
    "bytes_sent",
    "deferred",
];

/// What a JSON record says beyond the session itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'a> {
    /// When the record was made, seconds since the epoch (the hook's clock).
    pub now: i64,
    /// `--instance`, if given.
    pub instance: Option<&'a [u8]>,
    /// Whether a chained client-connect command deferred its decision.
    pub deferred: bool,
}

/// Appends the JSON record for `session`, newline included.
pub fn write_json(out: &mut Vec<u8>, session: &Session, zone: &Zone, context: &Context) {
    let disconnect = session.event == Event::Disconnect;
    let mut object = Object::new(out);
    object.key("event");
    object.out.push(b'"');
    object.out.extend_from_slice(match session.event {
        Event::Connect => b"connect",
        Event::Disconnect => b"disconnect",
    });
    object.out.push(b'"');
    object.key("time");
    write_time(object.out, zone, context.now.clamp(0, MAX_UNIX));
    object.key("instance");
    write_optional_string(object.out, context.instance);
    object.key("common_name");
    write_optional_string(object.out, session.common_name);
    object.key("username");
    write_optional_string(object.out, session.username);
    object.key("real_ip");
    write_optional_string(object.out, session.real.as_ref().map(RealAddress::ip));
    object.key("real_port");
    write_optional_u64(
        object.out,
        session.real.and_then(|real| real.port).map(u64::from),
    );
    object.key("virtual_ip");
    write_optional_string(object.out, session.virtual_ip);
    object.key("virtual_ipv6");
    write_optional_string(object.out, session.virtual_ipv6);
    object.key("client_version");
    write_optional_string(object.out, session.client_version);
    object.key("client_platform");
    write_optional_string(object.out, session.client_platform);
    object.key("client_gui");
    write_optional_string(object.out, session.client_gui);
    object.key("start");
    write_time(object.out, zone, session.start);
    object.key("start_unix");
    write_i64(object.out, session.start);
    object.key("end");
    if disconnect {
        write_time(object.out, zone, session.end());
    } else {
        write_null(object.out);
    }
    object.key("end_unix");
    if disconnect {
        write_i64(object.out, session.end());
    } else {
        write_null(object.out);
    }
    let only_at_disconnect = |value: u64| disconnect.then_some(value);
    object.key("duration");
    write_optional_u64(object.out, only_at_disconnect(session.duration));
    object.key("bytes_received");
    write_optional_u64(object.out, only_at_disconnect(session.bytes_received));
    object.key("bytes_sent");
    write_optional_u64(object.out, only_at_disconnect(session.bytes_sent));
    // Deferral exists only for client-connect: at disconnect the question has no answer.
    object.key("deferred");
    if disconnect {
        write_null(object.out);
    } else {
        write_bool(object.out, context.deferred);
    }
    object.end();
}

/// Writes `{`, the keys with their separators, and `}` followed by a newline.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    fn new(out: &'o mut Vec<u8>) -> Object<'o> {
        out.push(b'{');
        Object { out, first: true }
    }

    /// Appends `,"name":` (no comma before the first key). Keys are plain ASCII constants.
    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn end(self) {
        self.out.extend_from_slice(b"}\n");
    }
}

fn write_null(out: &mut Vec<u8>) {
    out.extend_from_slice(b"null");
}

fn write_bool(out: &mut Vec<u8>, value: bool) {
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

fn write_optional_u64(out: &mut Vec<u8>, value: Option<u64>) {
    match value {
        Some(value) => write_u64(out, value),
        None => write_null(out),
    }
}

fn write_optional_string(out: &mut Vec<u8>, value: Option<&[u8]>) {
    match value {
        Some(value) => write_string(out, value, STRING_CAP),
        None => write_null(out),
    }
}

/// Appends `unix` as a quoted RFC 3339 time in `zone`.
fn write_time(out: &mut Vec<u8>, zone: &Zone, unix: i64) {
    out.push(b'"');
    zone.local_time(unix).write_rfc3339(out);
    out.push(b'"');
}

/// Appends `raw` as a quoted JSON string, escaped as described in the module documentation,
/// with at most `cap` bytes between the quotes, [`CUT_MARKER`] excluded.
pub fn write_string(out: &mut Vec<u8>, raw: &[u8], cap: usize) {
    out.push(b'"');
    write_capped(
        out,
        raw,
        cap,
        CUT_MARKER.as_bytes(),
        |out, piece| match piece {
            Piece::Char('"') => out.extend_from_slice(b"\\\""),
            Piece::Char('\\') => out.extend_from_slice(b"\\\\"),
            Piece::Char(c) if always_escaped(c) => write_unicode_escape(out, u32::from(c)),
            Piece::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Piece::Invalid { first: true, .. } => out.extend_from_slice("\u{FFFD}".as_bytes()),
            Piece::Invalid { first: false, .. } => {}
        },
    );
    out.push(b'"');
}

/// Appends `\uXXXX` with lowercase hex digits (as JavaScript's `JSON.stringify` writes them),
/// for a code point in the Basic Multilingual Plane.
fn write_unicode_escape(out: &mut Vec<u8>, code_point: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((code_point >> shift) & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::HookEnv;

    /// An explicit hook environment.
    type Pairs = &'static [(&'static str, &'static [u8])];

    const NOW: i64 = 1_800_000_000; // 2027-01-15T08:00:00Z

    const NO_CONTEXT: Context = Context {
        now: NOW,
        instance: None,
        deferred: false,
    };

    fn check(event: Event, pairs: &[(&str, &[u8])], context: &Context, expected: &str) {
        let env = HookEnv::from_pairs(pairs);
        let (session, _) = Session::from_env(event, &env, NOW);
        let mut out = Vec::new();
        write_json(&mut out, &session, &Zone::utc(), context);
        assert_eq!(String::from_utf8_lossy(&out), expected, "{pairs:?}");
    }

    fn string(raw: &[u8], cap: usize) -> String {
        let mut out = Vec::new();
        write_string(&mut out, raw, cap);
        String::from_utf8(out).expect("JSON strings are always UTF-8")
    }

    const ALICE: Pairs = &[
        ("common_name", b"alice"),
        ("username", b"alice@example.org"),
        ("ifconfig_pool_remote_ip", b"10.8.0.6"),
        ("ifconfig_pool_remote_ip6", b"fd00::6"),
        ("trusted_ip", b"198.51.100.7"),
        ("trusted_port", b"50123"),
        ("time_unix", b"1700000000"),
        ("time_duration", b"3900"),
        ("bytes_received", b"18446744073709551615"),
        ("bytes_sent", b"28948"),
        ("IV_VER", b"2.6.14"),
        ("IV_PLAT", b"linux"),
        // What OpenVPN 2.6.14 passed for `setenv IV_GUI_VER "my gui 1.0 \"q\""`.
        ("IV_GUI_VER", b"my_gui_1.0_\"q\""),
    ];

    #[test]
    fn writes_every_field_of_a_connect_record() {
        let cases: &[(Pairs, Context, &str)] = &[
            (
                ALICE,
                NO_CONTEXT,
                concat!(
                    r#"{"event":"connect","time":"2027-01-15T08:00:00+00:00","instance":null,"#,
                    r#""common_name":"alice","username":"alice@example.org","#,
                    r#""real_ip":"198.51.100.7","real_port":50123,"#,
                    r#""virtual_ip":"10.8.0.6","virtual_ipv6":"fd00::6","#,
                    r#""client_version":"2.6.14","client_platform":"linux","#,
                    r#""client_gui":"my_gui_1.0_\"q\"","#,
                    r#""start":"2023-11-14T22:13:20+00:00","start_unix":1700000000,"#,
                    r#""end":null,"end_unix":null,"duration":null,"#,
                    r#""bytes_received":null,"bytes_sent":null,"deferred":false}"#,
                    "\n"
                ),
            ),
            (
                &[("trusted_ip6", b"2001:db8::7"), ("time_unix", b"0")],
                Context {
                    now: NOW,
                    instance: Some(b"udp-1194"),
                    deferred: true,
                },
                concat!(
                    r#"{"event":"connect","time":"2027-01-15T08:00:00+00:00","#,
                    r#""instance":"udp-1194","common_name":null,"username":null,"#,
                    r#""real_ip":"2001:db8::7","real_port":null,"#,
                    r#""virtual_ip":null,"virtual_ipv6":null,"#,
                    r#""client_version":null,"client_platform":null,"client_gui":null,"#,
                    r#""start":"1970-01-01T00:00:00+00:00","start_unix":0,"#,
                    r#""end":null,"end_unix":null,"duration":null,"#,
                    r#""bytes_received":null,"bytes_sent":null,"deferred":true}"#,
                    "\n"
                ),
            ),
        ];
        for (pairs, context, expected) in cases {
            check(Event::Connect, pairs, context, expected);
        }
    }

    #[test]
    fn writes_every_field_of_a_disconnect_record() {
        let context = Context {
            now: -5, // A clock before 1970 shows as the epoch, like session times.
            instance: Some(b"tcp.443"),
            deferred: true, // Has no meaning at disconnect.
        };
        check(
            Event::Disconnect,
            ALICE,
            &context,
            concat!(
                r#"{"event":"disconnect","time":"1970-01-01T00:00:00+00:00","#,
                r#""instance":"tcp.443","#,
                r#""common_name":"alice","username":"alice@example.org","#,
                r#""real_ip":"198.51.100.7","real_port":50123,"#,
                r#""virtual_ip":"10.8.0.6","virtual_ipv6":"fd00::6","#,
                r#""client_version":"2.6.14","client_platform":"linux","#,
                r#""client_gui":"my_gui_1.0_\"q\"","#,
                r#""start":"2023-11-14T22:13:20+00:00","start_unix":1700000000,"#,
                r#""end":"2023-11-14T23:18:20+00:00","end_unix":1700003900,"duration":3900,"#,
                r#""bytes_received":18446744073709551615,"bytes_sent":28948,"deferred":null}"#,
                "\n"
            ),
        );
    }

    #[test]
    fn the_client_description_is_escaped_capped_or_null() {
        let long = vec![b'v'; 1000];
        let pairs: &[(&str, &[u8])] = &[
            ("IV_VER", b""),
            ("IV_PLAT", b"li\nux\xff"),
            ("IV_GUI_VER", &long),
        ];
        let env = HookEnv::from_pairs(pairs);
        let (session, _) = Session::from_env(Event::Connect, &env, NOW);
        let mut out = Vec::new();
        write_json(&mut out, &session, &Zone::utc(), &NO_CONTEXT);
        let text = String::from_utf8(out).unwrap();
        let expected = format!(
            "\"client_version\":null,\"client_platform\":\"li\\u000aux\u{FFFD}\",\
             \"client_gui\":\"{}\u{2026}\",",
            "v".repeat(STRING_CAP)
        );
        assert!(text.contains(&expected), "{text}");
    }

    #[test]
    fn every_record_has_every_key_in_order() {
        for event in [Event::Connect, Event::Disconnect] {
            for pairs in [ALICE, &[]] {
                let env = HookEnv::from_pairs(pairs);
                let (session, _) = Session::from_env(event, &env, NOW);
                let mut out = Vec::new();
                write_json(&mut out, &session, &Zone::utc(), &NO_CONTEXT);
                let text = String::from_utf8(out).unwrap();
                let mut rest = text.as_str();
                for key in KEYS {
                    let quoted = format!("\"{key}\":");
                    let at = rest
                        .find(&quoted)
                        .unwrap_or_else(|| panic!("{key} in {text}"));
                    rest = &rest[at + quoted.len()..];
                }
                assert!(text.ends_with("}\n") && text.lines().count() == 1, "{text}");
            }
        }
    }

    #[test]
    fn escapes_strings_as_json() {
        let cases: &[(&[u8], &str)] = &[
            (b"alice", r#""alice""#),
            (b"", r#""""#),
            (br#"say "hi""#, r#""say \"hi\"""#),
            (br"back\slash", r#""back\\slash""#),
            (b"o'neil", r#""o'neil""#),
            (b"nul\0bell\x07", r#""nul\u0000bell\u0007""#),
            (
                b"nl\ncr\rtab\tesc\x1b",
                r#""nl\u000acr\u000dtab\u0009esc\u001b""#,
            ),
            (b"del\x7f", r#""del\u007f""#),
            ("nel\u{85}c1\u{9f}".as_bytes(), r#""nel\u0085c1\u009f""#),
            ("ls\u{2028}ps\u{2029}".as_bytes(), r#""ls\u2028ps\u2029""#),
            (
                "zoë 日本 😀 nbsp\u{a0}".as_bytes(),
                "\"zoë 日本 😀 nbsp\u{a0}\"",
            ),
            (b"slash/</script>", r#""slash/</script>""#),
            // Not UTF-8: one U+FFFD for each maximal invalid sequence.
            (b"bad\xff\xfeend", "\"bad\u{FFFD}\u{FFFD}end\""),
            (b"trunc\xc3", "\"trunc\u{FFFD}\""),
            (b"trunc3\xe2\x82", "\"trunc3\u{FFFD}\""),
            (b"overlong\xc0\xaf", "\"overlong\u{FFFD}\u{FFFD}\""),
            (
                b"surrogate\xed\xa0\x80",
                "\"surrogate\u{FFFD}\u{FFFD}\u{FFFD}\"",
            ),
            (b"\xf4\x90\x80\x80", "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\""),
            ("\u{FFFD}".as_bytes(), "\"\u{FFFD}\""),
        ];
        for &(raw, expected) in cases {
            assert_eq!(string(raw, STRING_CAP), expected, "input {raw:?}");
            assert_eq!(string(raw, STRING_CAP), reference(raw, STRING_CAP));
        }
    }

    /// The JSON string as std's lossy conversion and a plain escaper of characters make it:
    /// the reference [`write_string`] must match byte for byte.
    fn reference(raw: &[u8], cap: usize) -> String {
        let mut out = String::from("\"");
        let mut len = 0;
        for c in String::from_utf8_lossy(raw).chars() {
            let piece = match c {
                '"' | '\\' => format!("\\{c}"),
                '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' => {
                    format!("\\u{:04x}", u32::from(c))
                }
                _ => c.to_string(),
            };
            if len + piece.len() > cap {
                out.push_str(CUT_MARKER);
                break;
            }
            len += piece.len();
            out.push_str(&piece);
        }
        out.push('"');
        out
    }

    #[test]
    fn matches_std_lossy_conversion_for_every_input() {
        use crate::escape::tests::{inputs, SEED};
        let mut invalid = 0;
        for raw in &inputs(SEED) {
            invalid += usize::from(std::str::from_utf8(raw).is_err());
            for cap in [STRING_CAP, 7] {
                assert_eq!(
                    string(raw, cap),
                    reference(raw, cap),
                    "input {raw:?} cap {cap} (seed {SEED:#x})"
                );
            }
        }
        // The comparison must see broken UTF-8, the case where the two decoders could differ.
        assert!(invalid > 10_000, "only {invalid} invalid inputs");
    }

    #[test]
    fn caps_long_strings_at_a_character_boundary() {
        let cases: &[(Vec<u8>, usize, String)] = &[
            (b"abcdef".to_vec(), 6, "\"abcdef\"".into()),
            (b"abcdefg".to_vec(), 6, "\"abcdef\u{2026}\"".into()),
            // An escape is never split: "ab" + "\u000a" is 8 bytes, the next "\\" would be 10.
            (b"ab\n\\".to_vec(), 9, "\"ab\\u000a\u{2026}\"".into()),
            ("ééé".as_bytes().to_vec(), 5, "\"éé\u{2026}\"".into()),
            (
                vec![b'A'; 100_000],
                STRING_CAP,
                format!("\"{}\u{2026}\"", "A".repeat(256)),
            ),
            (
                vec![b'"'; 200],
                STRING_CAP,
                format!("\"{}\u{2026}\"", "\\\"".repeat(128)),
            ),
        ];
        for (raw, cap, expected) in cases {
            assert_eq!(string(raw, *cap), *expected, "cap {cap}");
        }
    }

    #[test]
    fn strings_never_hold_a_raw_control_or_line_break() {
        use crate::escape::tests::{inputs, SEED};
        for raw in &inputs(SEED) {
            let out = string(raw, STRING_CAP);
            assert!(out.len() <= STRING_CAP + 2 + CUT_MARKER.len(), "{raw:?}");
            assert!(
                !out.chars().any(|c| c < ' '
                    || ('\u{7f}'..='\u{9f}').contains(&c)
                    || c == '\u{2028}'
                    || c == '\u{2029}'),
                "unescaped character for {raw:?}: {out:?}"
            );
            // Between the outer quotes, every quote is escaped.
            let inner = &out[1..out.len() - 1];
            let mut escaped = false;
            for c in inner.chars() {
                assert!(escaped || c != '"', "bare quote for {raw:?}: {out:?}");
                escaped = !escaped && c == '\\';
            }
            assert!(!escaped, "dangling backslash for {raw:?}: {out:?}");
        }
    }
}
