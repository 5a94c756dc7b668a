//! The bytes of one syslog message, as syslog(3) sends them to the local socket.
//!
//! ```text
//! <30>Nov 23 09:05:00 vpn-connect-log[4242]: User 'alice' at 2026-11-23-09:05 using ...
//! ```
//!
//! That is `<PRI>`, the local time as `Mmm dd hh:mm:ss` (C-locale month, day padded with a
//! space, as `strftime("%h %e %T")` in glibc's and musl's `syslog.c`), a space, `TAG[PID]: ` and
//! the record without its newline. It is the only format every local receiver parses: rsyslog's
//! and journald's socket parsers do not understand RFC 5424, and OpenWrt's logd drops the 16
//! bytes after `<PRI>` whenever byte 15 is a space, assuming a timestamp is there.
//!
//! Nothing here does I/O: the caller passes the time, the process id and the record. This
//! module, unlike the sending in `sink::syslog`, is part of every build: the command line
//! parses the syslog options (facility names, tags, the default sockets) even in a build without
//! the `syslog` feature, and rejects them in one place.

use crate::numbers::{write_padded, write_u64};
use crate::time::LocalTime;

/// The most bytes a message may take. Stream sockets get one more, the NUL that ends a frame,
/// so a frame never reaches 1025 bytes; 1024 is what musl and OpenWrt's logd read at once.
/// Real records are far shorter: OpenVPN passes common names of at most 64 bytes and usernames
/// of at most 127. A record with two hostile names at the cap (`escape::NAME_CAP`, in JSON
/// with every byte escaped) can be longer: [`write_message`] cuts it at a character boundary
/// and ends it with [`CUT_MARKER`].
pub const MAX_MESSAGE: usize = 1023;

/// What ends a message that was cut at [`MAX_MESSAGE`]: the classic record's cut marker
/// (`escape::CUT_MARKER`), which no escaped name can contain.
pub const CUT_MARKER: &[u8] = crate::escape::CUT_MARKER;

/// Where the local daemon listens, searched in this order when no `--syslog-socket` is given:
/// Linux and OpenBSD use `/dev/log`, FreeBSD `/var/run/log`, macOS `/var/run/syslog`.
pub const SOCKET_PATHS: &[&str] = &["/dev/log", "/var/run/log", "/var/run/syslog"];

/// Severity `info` (RFC 5424, section 6.2.1): every record is routine accounting.
const SEVERITY_INFO: u8 = 6;

/// A syslog facility: which kind of program a message comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facility {
    code: u8,
}

/// The facility names `--facility` accepts and their codes, as in `<syslog.h>` (identical on
/// Linux, the BSDs and macOS for these names).
const FACILITIES: &[(&str, u8)] = &[
    ("kern", 0),
    ("user", 1),
    ("mail", 2),
    ("daemon", 3),
    ("auth", 4),
    ("syslog", 5),
    ("lpr", 6),
    ("news", 7),
    ("uucp", 8),
    ("cron", 9),
    ("authpriv", 10),
    ("ftp", 11),
    ("local0", 16),
    ("local1", 17),
    ("local2", 18),
    ("local3", 19),
    ("local4", 20),
    ("local5", 21),
    ("local6", 22),
    ("local7", 23),
];

impl Facility {
    /// `daemon`: what OpenVPN itself logs as.
    pub const DAEMON: Facility = Facility { code: 3 };

    /// The facility called `name` (lowercase, as in syslog.conf), if there is one.
    pub fn from_name(name: &[u8]) -> Option<Facility> {
        FACILITIES
            .iter()
            .find(|(known, _)| known.as_bytes() == name)
            .map(|&(_, code)| Facility { code })
    }

    /// The names [`Facility::from_name`] knows, for help and error texts.
    pub fn names() -> impl Iterator<Item = &'static str> {
        FACILITIES.iter().map(|&(name, _)| name)
    }

    /// The priority value of an `info` message from this facility: facility * 8 + severity
    /// (RFC 5424, section 6.2.1).
    fn priority(self) -> u8 {
        self.code * 8 + SEVERITY_INFO
    }
}

impl Default for Facility {
    fn default() -> Facility {
        Facility::DAEMON
    }
}

/// The longest `--tag` accepted: RFC 3164, section 4.1.3, limits TAG to 32 characters.
pub const MAX_TAG: usize = 32;

/// Whether `tag` can be used as a TAG: 1 to [`MAX_TAG`] printable ASCII characters without a
/// space, `:`, `[` or `]`, which would end the tag early for a receiver's parser.
pub fn is_valid_tag(tag: &[u8]) -> bool {
    !tag.is_empty()
        && tag.len() <= MAX_TAG
        && tag
            .iter()
            .all(|&b| b.is_ascii_graphic() && !matches!(b, b':' | b'[' | b']'))
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Appends the message for `record` (its trailing newline dropped) to `out`, which should be
/// empty. Returns false if it had to be cut: then it takes at most [`MAX_MESSAGE`] bytes, is cut
/// at a UTF-8 character boundary and ends with [`CUT_MARKER`].
pub fn write_message(
    out: &mut Vec<u8>,
    facility: Facility,
    time: &LocalTime,
    tag: &[u8],
    pid: u32,
    record: &[u8],
) -> bool {
    let start = out.len();
    out.push(b'<');
    write_u64(out, u64::from(facility.priority()));
    out.push(b'>');
    write_timestamp(out, time);
    out.push(b' ');
    out.extend_from_slice(tag);
    out.push(b'[');
    write_u64(out, u64::from(pid));
    out.extend_from_slice(b"]: ");
    out.extend_from_slice(record.strip_suffix(b"\n").unwrap_or(record));
    if out.len() - start <= MAX_MESSAGE {
        return true;
    }
    let mut end = start + MAX_MESSAGE - CUT_MARKER.len();
    // Back to the start of the character that would be split (UTF-8 continuation bytes are
    // 0b10xxxxxx); records are UTF-8, so at most three steps.
    while out.get(end).is_some_and(|&b| b & 0xC0 == 0x80) && end > start {
        end -= 1;
    }
    out.truncate(end);
    out.extend_from_slice(CUT_MARKER);
    false
}

/// Appends `Mmm dd hh:mm:ss`: `%h %e %T` in the C locale.
fn write_timestamp(out: &mut Vec<u8>, time: &LocalTime) {
    let month = usize::from(time.month.saturating_sub(1));
    out.extend_from_slice(MONTHS.get(month).map_or(b"Jan", |m| *m));
    out.push(b' ');
    if time.day < 10 {
        out.push(b' ');
    }
    write_u64(out, u64::from(time.day));
    out.push(b' ');
    write_padded(out, u64::from(time.hour), 2);
    out.push(b':');
    write_padded(out, u64::from(time.minute), 2);
    out.push(b':');
    write_padded(out, u64::from(time.second), 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(facility: &str, unix: i64, offset: i32, tag: &str, pid: u32, expected: &str) {
        let facility = Facility::from_name(facility.as_bytes()).unwrap();
        let mut out = Vec::new();
        let time = LocalTime::new(unix, offset);
        assert!(write_message(
            &mut out,
            facility,
            &time,
            tag.as_bytes(),
            pid,
            b"User 'alice'\n"
        ));
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn writes_syslog3_messages() {
        // Timestamps as `LC_ALL=C TZ=UTC date -d @T '+%h %e %T'` prints them.
        let cases: &[(&str, i64, i32, &str, u32, &str)] = &[
            (
                "daemon",
                1_700_000_000,
                0,
                "vpn-connect-log",
                4242,
                "<30>Nov 14 22:13:20 vpn-connect-log[4242]: User 'alice'",
            ),
            (
                "kern",
                0,
                0,
                "t",
                1,
                "<6>Jan  1 00:00:00 t[1]: User 'alice'",
            ),
            (
                "user",
                951_782_400,
                0,
                "x",
                4_294_967_295,
                "<14>Feb 29 00:00:00 x[4294967295]: User 'alice'",
            ),
            (
                "authpriv",
                1_700_000_000,
                3_600,
                "vpn",
                7,
                "<86>Nov 14 23:13:20 vpn[7]: User 'alice'",
            ),
            (
                "local0",
                1_700_000_000,
                -5 * 3_600,
                "a/b",
                7,
                "<134>Nov 14 17:13:20 a/b[7]: User 'alice'",
            ),
            (
                "local7",
                1_718_150_399,
                0,
                "vpn",
                7,
                "<190>Jun 11 23:59:59 vpn[7]: User 'alice'",
            ),
            (
                "ftp",
                1_696_118_400,
                0,
                "vpn",
                7,
                "<94>Oct  1 00:00:00 vpn[7]: User 'alice'",
            ),
        ];
        for &(facility, unix, offset, tag, pid, expected) in cases {
            check(facility, unix, offset, tag, pid, expected);
        }
    }

    #[test]
    fn knows_every_facility_name() {
        let mut codes = Vec::new();
        for name in Facility::names() {
            codes.push(Facility::from_name(name.as_bytes()).unwrap().code);
        }
        let expected: Vec<u8> = (0..=11).chain(16..=23).collect();
        assert_eq!(codes, expected);
        for bad in ["", "DAEMON", "local8", "security", "daemon "] {
            assert_eq!(Facility::from_name(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(Facility::default(), Facility::DAEMON);
    }

    #[test]
    fn accepts_only_tags_a_receiver_parses_back() {
        let long = "x".repeat(MAX_TAG);
        let too_long = "x".repeat(MAX_TAG + 1);
        let cases: &[(&str, bool)] = &[
            ("vpn-connect-log", true),
            ("openvpn/vpn_log.1", true),
            (&long, true),
            (&too_long, false),
            ("", false),
            ("a b", false),
            ("a:b", false),
            ("a[1]", false),
            ("zoë", false),
            ("a\nb", false),
        ];
        for &(tag, valid) in cases {
            assert_eq!(is_valid_tag(tag.as_bytes()), valid, "{tag:?}");
        }
    }

    #[test]
    fn cuts_messages_at_the_limit_at_a_character_boundary() {
        let time = LocalTime::new(0, 0);
        // `<30>Jan  1 00:00:00 t[1]: ` is 26 bytes; 997 more fill the message exactly.
        let cases: &[(Vec<u8>, usize, &[u8])] = &[
            (vec![b'a'; 997], MAX_MESSAGE, b"aaa"),
            ([&[b'a'; 997][..], b"\n"].concat(), MAX_MESSAGE, b"aaa"),
            (vec![b'a'; 998], MAX_MESSAGE, b"a\\..."),
            (vec![b'a'; 2000], MAX_MESSAGE, b"a\\..."),
            // The cut would split the last `é` (2 bytes at 1018..1020): it goes whole.
            (
                [&[b'a'; 992][..], "ééé".as_bytes()].concat(),
                MAX_MESSAGE - 1,
                b"a\\...",
            ),
            (
                [&[b'a'; 990][..], "éééé".as_bytes()].concat(),
                MAX_MESSAGE - 1,
                "é\\...".as_bytes(),
            ),
            (
                [&[b'a'; 991][..], "ééé".as_bytes()].concat(),
                MAX_MESSAGE,
                "é".as_bytes(),
            ),
        ];
        for (record, len, tail) in cases {
            let mut out = Vec::new();
            let whole = write_message(&mut out, Facility::DAEMON, &time, b"t", 1, record);
            let shown = String::from_utf8_lossy(&out);
            assert_eq!(whole, !tail.ends_with(CUT_MARKER), "{shown}");
            assert_eq!(out.len(), *len, "{shown}");
            assert!(out.ends_with(tail), "{shown}");
            assert!(std::str::from_utf8(&out).is_ok());
        }
        // A record without a newline is sent whole; only one newline is dropped.
        for (record, tail) in [(&b"abc"[..], &b"abc"[..]), (b"abc\n\n", b"abc\n")] {
            let mut out = Vec::new();
            assert!(write_message(
                &mut out,
                Facility::DAEMON,
                &time,
                b"t",
                1,
                record
            ));
            assert!(out.ends_with(tail) && !out.ends_with(&[tail, b"\n"].concat()));
        }
    }
}
