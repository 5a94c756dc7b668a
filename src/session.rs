//! The hook environment turned into one VPN session: who, from where, when, how much.
//!
//! This is where OpenVPN's variables are interpreted (see `openvpn(8)`, "Environmental
//! Variables", and the manual pages' ENVIRONMENT: OpenVPN 2.5 and 2.6 set `time_unix` and the
//! client's addresses for both hooks, and the byte counts and `time_duration` only for
//! client-disconnect). Nothing here does I/O: the caller passes the environment and the current
//! time, and gets back the session plus a list of warnings about values that were missing or
//! unusable. Every such value is replaced by a documented fallback, so a record is always
//! produced, and none of them can make it look wrong.

use crate::env::HookEnv;
use crate::numbers::{parse_u64, NumberError};
use crate::time::MAX_UNIX;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which hook is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `--client-connect`: the client has authenticated and is being admitted.
    Connect,
    /// `--client-disconnect`: the client is gone; byte counts and duration are known.
    Disconnect,
}

impl Event {
    /// The program that handles this event, for diagnostics and the syslog tag.
    pub fn program(self) -> &'static str {
        match self {
            Event::Connect => "vpn-connect-log",
            Event::Disconnect => "vpn-disconnect-log",
        }
    }
}

/// The longest address text accepted: an IPv6 address with an embedded IPv4 one (45 bytes)
/// and a zone id of at most 15 bytes, with room to spare.
pub const IP_TEXT_CAP: usize = 64;

/// The client's real (outside) address, as the record shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealAddress {
    /// The address text exactly as OpenVPN gave it (zone id included), or the network that
    /// `--real-address network` keeps; the first `len` bytes count.
    text: [u8; IP_TEXT_CAP],
    len: usize,
    /// The address the text names, without a zone id.
    pub addr: IpAddr,
    /// The source port; `None` when OpenVPN did not set it (it omits port 0) or when only the
    /// network is shown.
    pub port: Option<u16>,
    /// Only the network is shown (`--real-address network`): the record has no port at all.
    pub is_network: bool,
}

impl RealAddress {
    /// The address `text` names as `addr`; `None` if the text is longer than [`IP_TEXT_CAP`].
    pub fn new(text: &[u8], addr: IpAddr, port: Option<u16>) -> Option<RealAddress> {
        let mut copy = [0; IP_TEXT_CAP];
        copy.get_mut(..text.len())?.copy_from_slice(text);
        Some(RealAddress {
            text: copy,
            len: text.len(),
            addr,
            port,
            is_network: false,
        })
    }

    /// The address as the record prints it.
    pub fn ip(&self) -> &[u8] {
        self.text.get(..self.len).unwrap_or_default()
    }

    /// True for an IPv6 address, which the classic record prints in brackets.
    pub fn is_ipv6(&self) -> bool {
        self.addr.is_ipv6()
    }
}

/// One client session, as far as the current event knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session<'e> {
    pub event: Event,
    /// `common_name`, else `X509_0_CN`: the certificate's name, raw bytes.
    pub common_name: Option<&'e [u8]>,
    /// `username`, raw bytes, when user/password authentication ran.
    pub username: Option<&'e [u8]>,
    /// `ifconfig_pool_remote_ip`: the client's VPN IPv4 address.
    pub virtual_ip: Option<&'e [u8]>,
    /// `ifconfig_pool_remote_ip6`: the client's VPN IPv6 address.
    pub virtual_ipv6: Option<&'e [u8]>,
    /// Where the client connects from.
    pub real: Option<RealAddress>,
    /// When the session started (`time_unix`), seconds since the epoch, in 0..=MAX_UNIX.
    pub start: i64,
    /// Seconds the session lasted (`time_duration`); 0 at connect. `start + duration` never
    /// exceeds [`MAX_UNIX`].
    pub duration: u64,
    /// Bytes from the client (`bytes_received`, "up"); 0 at connect.
    pub bytes_received: u64,
    /// Bytes to the client (`bytes_sent`, "down"); 0 at connect.
    pub bytes_sent: u64,
    /// `IV_VER`: the client's OpenVPN version, as the client reported it.
    pub client_version: Option<&'e [u8]>,
    /// `IV_PLAT`: the client's platform (`linux`, `win`, `mac`, `android`, `ios`, ...).
    pub client_platform: Option<&'e [u8]>,
    /// `IV_GUI_VER`: the client's user interface and its version, when it has one.
    pub client_gui: Option<&'e [u8]>,
}

/// A variable that was set but could not be used, and what was used instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warning<'e> {
    /// The variable's name.
    pub variable: &'static str,
    /// Its value, raw (to be escaped before it is shown), or `None` when it was missing.
    pub value: Option<&'e [u8]>,
    /// What is wrong with it, lowercase.
    pub problem: &'static str,
    /// What the record uses instead.
    pub fallback: &'static str,
}

impl<'e> Session<'e> {
    /// Interprets `env` for `event`; `now` (seconds since the epoch) stands in for a missing
    /// or unusable `time_unix`. A clock outside 0..=[`MAX_UNIX`] is clamped into that range.
    pub fn from_env(event: Event, env: &'e HookEnv, now: i64) -> (Session<'e>, Vec<Warning<'e>>) {
        let now = now.clamp(0, MAX_UNIX);
        let mut warnings = Vec::new();
        let start = read_start(env, now, &mut warnings);
        let mut session = Session {
            event,
            common_name: env
                .get_nonempty("common_name")
                .or_else(|| env.get_nonempty("X509_0_CN")),
            username: env.get_nonempty("username"),
            virtual_ip: read_ip(env, "ifconfig_pool_remote_ip", IpKind::V4, &mut warnings)
                .map(|(text, _)| text),
            virtual_ipv6: read_ip(env, "ifconfig_pool_remote_ip6", IpKind::V6, &mut warnings)
                .map(|(text, _)| text),
            real: read_real_address(env, &mut warnings),
            start,
            duration: 0,
            bytes_received: 0,
            bytes_sent: 0,
            client_version: env.get_nonempty("IV_VER"),
            client_platform: env.get_nonempty("IV_PLAT"),
            client_gui: env.get_nonempty("IV_GUI_VER"),
        };
        if event == Event::Disconnect {
            session.duration = read_duration(env, start, &mut warnings);
            session.bytes_received = read_count(env, "bytes_received", &mut warnings);
            session.bytes_sent = read_count(env, "bytes_sent", &mut warnings);
        }
        (session, warnings)
    }

    /// The name the classic record shows: the common name, else the username, else nothing.
    pub fn display_name(&self) -> &'e [u8] {
        self.common_name.or(self.username).unwrap_or_default()
    }

    /// When the session ended: `start + duration`, never beyond [`MAX_UNIX`].
    pub fn end(&self) -> i64 {
        // The sum was checked against MAX_UNIX when `duration` was read.
        self.start.saturating_add_unsigned(self.duration)
    }
}

/// `time_unix`: OpenVPN sets it for both hooks, so a missing one is reported like a bad one.
fn read_start<'e>(env: &'e HookEnv, now: i64, warnings: &mut Vec<Warning<'e>>) -> i64 {
    let value = env.get("time_unix");
    let problem = match value.map(parse_u64) {
        None => "not set",
        Some(Ok(seconds)) if seconds <= MAX_UNIX as u64 => return seconds as i64,
        // MAX_UNIX, the last time every zone shows with a four-digit year.
        Some(Ok(_)) => "after 9999-12-30 00:00 UTC",
        Some(Err(error)) => error.as_str(),
    };
    warnings.push(Warning {
        variable: "time_unix",
        value,
        problem,
        fallback: "the current time",
    });
    now
}

fn read_duration<'e>(env: &'e HookEnv, start: i64, warnings: &mut Vec<Warning<'e>>) -> u64 {
    let value = env.get("time_duration");
    let problem = match value.map(parse_u64) {
        None => "not set",
        Some(Ok(seconds)) if seconds <= (MAX_UNIX - start) as u64 => return seconds,
        Some(Ok(_)) => "ends after 9999-12-30 00:00 UTC",
        Some(Err(error)) => error.as_str(),
    };
    warnings.push(Warning {
        variable: "time_duration",
        value,
        problem,
        fallback: "0",
    });
    0
}

fn read_count<'e>(
    env: &'e HookEnv,
    variable: &'static str,
    warnings: &mut Vec<Warning<'e>>,
) -> u64 {
    let value = env.get(variable);
    let problem = match value.map(parse_u64) {
        Some(Ok(count)) => return count,
        None => "not set",
        Some(Err(error)) => error.as_str(),
    };
    warnings.push(Warning {
        variable,
        value,
        problem,
        fallback: "0",
    });
    0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum IpKind {
    V4,
    V6,
    /// `trusted_ip6`, `untrusted_ip6`: IPv6, with a zone id when the client connects to a
    /// link-local address (OpenVPN 2.6 writes them with `getnameinfo(3)`: `fe80::2%eth0`).
    V6Zoned,
    /// `trusted_ip` is documented as IPv4, but a server on an IPv6 socket may report other forms;
    /// either is accepted there (IPv6 with a zone id too) and printed as what it is.
    Either,
}

/// What a record shows for an address that is missing or unusable: `-` in the classic
/// record, `null` in JSON.
const NO_ADDRESS: &str = "no address";

/// Reads an IP address variable; a value that is not an address of the expected kind is
/// reported and treated as absent, so that no field of a record can hold arbitrary text. The
/// warning says the field has no address; [`read_real_address`] corrects that when another
/// variable supplies one. Returns the text and the address it names.
fn read_ip<'e>(
    env: &'e HookEnv,
    variable: &'static str,
    kind: IpKind,
    warnings: &mut Vec<Warning<'e>>,
) -> Option<(&'e [u8], IpAddr)> {
    let value = env.get_nonempty(variable)?;
    if let Some(addr) = parse_ip(value, kind) {
        return Some((value, addr));
    }
    warnings.push(Warning {
        variable,
        value: Some(value),
        problem: "not an IP address",
        fallback: NO_ADDRESS,
    });
    None
}

/// The address `value` names if it is acceptable as `kind`: IPv4 in dotted-decimal form, IPv6
/// as RFC 4291 writes it, and for the real-address kinds an IPv6 address may end in a zone id
/// of 1 to 15 (an interface name's limit) ASCII letters, digits, `.`, `_` and `-`. The zone
/// names the server's own interface; it is kept in the text and left out of the address.
fn parse_ip(value: &[u8], kind: IpKind) -> Option<IpAddr> {
    if value.len() > IP_TEXT_CAP {
        return None;
    }
    let zoned = matches!(kind, IpKind::V6Zoned | IpKind::Either);
    let (value, has_zone) = match value.iter().position(|&b| b == b'%') {
        Some(at) if zoned && is_valid_zone(value.get(at + 1..)?) => (value.get(..at)?, true),
        Some(_) => return None,
        None => (value, false),
    };
    let text = std::str::from_utf8(value).ok()?;
    if matches!(kind, IpKind::V4 | IpKind::Either) && !has_zone {
        if let Ok(v4) = text.parse::<Ipv4Addr>() {
            return Some(IpAddr::V4(v4));
        }
    }
    if kind == IpKind::V4 {
        return None;
    }
    text.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

fn is_valid_zone(zone: &[u8]) -> bool {
    (1..=15).contains(&zone.len())
        && zone
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The variables a real address is read from, in order, each with its port's:
/// `trusted_ip`/`trusted_ip6` with `trusted_port` (set once the client is authenticated), else
/// the `untrusted_*` variables from the TLS handshake.
pub const REAL_ADDRESS_SOURCES: [(&str, &str); 4] = [
    ("trusted_ip", "trusted_port"),
    ("trusted_ip6", "trusted_port"),
    ("untrusted_ip", "untrusted_port"),
    ("untrusted_ip6", "untrusted_port"),
];

/// The client's real address, from the first of [`REAL_ADDRESS_SOURCES`] that has one.
fn read_real_address<'e>(env: &'e HookEnv, warnings: &mut Vec<Warning<'e>>) -> Option<RealAddress> {
    const KINDS: [IpKind; 4] = [
        IpKind::Either,
        IpKind::V6Zoned,
        IpKind::Either,
        IpKind::V6Zoned,
    ];
    let unusable = warnings.len();
    for ((name, port_name), kind) in REAL_ADDRESS_SOURCES.into_iter().zip(KINDS) {
        if let Some((text, addr)) = read_ip(env, name, kind, warnings) {
            // The unusable variables before this one are replaced by it.
            for warning in warnings.get_mut(unusable..).unwrap_or_default() {
                warning.fallback = name;
            }
            // The text fits: parse_ip accepts nothing longer than IP_TEXT_CAP.
            return RealAddress::new(text, addr, read_port(env, port_name, warnings));
        }
    }
    None
}

fn read_port<'e>(
    env: &'e HookEnv,
    variable: &'static str,
    warnings: &mut Vec<Warning<'e>>,
) -> Option<u16> {
    let value = env.get(variable)?;
    let problem = match parse_u64(value) {
        Ok(port) => match u16::try_from(port) {
            Ok(port) => return Some(port),
            Err(_) => NumberError::TooLarge.as_str(),
        },
        Err(error) => error.as_str(),
    };
    warnings.push(Warning {
        variable,
        value: Some(value),
        problem,
        // The classic record prints a missing port as 0, JSON as null.
        fallback: "no port",
    });
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An explicit hook environment.
    type Pairs = &'static [(&'static str, &'static [u8])];

    const NOW: i64 = 1_800_000_000;

    fn session(event: Event, pairs: &[(&str, &[u8])]) -> (Session<'static>, Vec<String>) {
        // Leaked so the borrowed session can outlive this helper; tests only.
        let env: &'static HookEnv = Box::leak(Box::new(HookEnv::from_pairs(pairs)));
        let (session, warnings) = Session::from_env(event, env, NOW);
        let warnings = warnings
            .iter()
            .map(|w| format!("{}: {} -> {}", w.variable, w.problem, w.fallback))
            .collect();
        (session, warnings)
    }

    #[test]
    fn picks_the_name_from_the_first_source_set() {
        let cases: &[(Pairs, &[u8])] = &[
            (&[("common_name", b"alice"), ("username", b"bob")], b"alice"),
            (&[("X509_0_CN", b"cert"), ("username", b"bob")], b"cert"),
            (&[("common_name", b""), ("username", b"bob")], b"bob"),
            (&[("username", b"bob")], b"bob"),
            (&[], b""),
        ];
        for &(pairs, expected) in cases {
            let pairs = [pairs, &[("time_unix", b"1700000000")]].concat();
            let (s, warnings) = session(Event::Connect, &pairs);
            assert_eq!(s.display_name(), expected, "{pairs:?}");
            assert!(warnings.is_empty());
        }
    }

    #[test]
    fn picks_the_real_address_from_the_first_source_set() {
        type Case = (
            &'static [(&'static str, &'static [u8])],
            Option<(&'static [u8], bool, Option<u16>)>,
        );
        let cases: &[Case] = &[
            (
                &[("trusted_ip", b"198.51.100.7"), ("trusted_port", b"1194")],
                Some((b"198.51.100.7", false, Some(1194))),
            ),
            (
                &[("trusted_ip6", b"2001:db8::1"), ("trusted_port", b"50000")],
                Some((b"2001:db8::1", true, Some(50000))),
            ),
            (
                &[("trusted_ip", b"2001:db8::2"), ("trusted_port", b"1")],
                Some((b"2001:db8::2", true, Some(1))),
            ),
            (
                &[("trusted_ip", b"198.51.100.7")],
                Some((b"198.51.100.7", false, None)),
            ),
            (
                &[("untrusted_ip", b"203.0.113.9"), ("untrusted_port", b"7")],
                Some((b"203.0.113.9", false, Some(7))),
            ),
            (
                &[("untrusted_ip6", b"::1"), ("trusted_port", b"9")],
                Some((b"::1", true, None)),
            ),
            // A client on a link-local address: OpenVPN 2.6.14 wrote exactly this.
            (
                &[
                    ("trusted_ip6", b"fe80::2%pllveth0"),
                    ("trusted_port", b"52431"),
                ],
                Some((b"fe80::2%pllveth0", true, Some(52431))),
            ),
            (
                &[("trusted_ip", b"fe80::2%7")],
                Some((b"fe80::2%7", true, None)),
            ),
            (
                &[("trusted_ip6", b"::ffff:192.0.2.1")],
                Some((b"::ffff:192.0.2.1", true, None)),
            ),
            (&[("trusted_port", b"1194")], None),
            (&[], None),
        ];
        for (pairs, expected) in cases {
            let (s, _) = session(Event::Connect, pairs);
            let got = s.real.as_ref().map(|r| (r.ip(), r.is_ipv6(), r.port));
            assert_eq!(got, *expected, "{pairs:?}");
        }
    }

    #[test]
    fn reads_what_the_client_reported_about_itself() {
        let (s, warnings) = session(
            Event::Connect,
            &[
                ("time_unix", b"0"),
                ("IV_VER", b"2.6.14"),
                ("IV_PLAT", b"win"),
                ("IV_PLAT_VER", b"10.0"),
                ("IV_GUI_VER", b""),
            ],
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let got = (s.client_version, s.client_platform, s.client_gui);
        assert_eq!(got, (Some(&b"2.6.14"[..]), Some(&b"win"[..]), None));
        let (s, _) = session(Event::Disconnect, &[("IV_GUI_VER", b"OpenVPN_GUI_11")]);
        let got = (s.client_version, s.client_platform, s.client_gui);
        assert_eq!(got, (None, None, Some(&b"OpenVPN_GUI_11"[..])));
    }

    #[test]
    fn reads_disconnect_numbers() {
        let (s, warnings) = session(
            Event::Disconnect,
            &[
                ("time_unix", b"1700000000"),
                ("time_duration", b"3900"),
                ("bytes_received", b"18446744073709551615"),
                ("bytes_sent", b"28948"),
            ],
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            (s.start, s.duration, s.end()),
            (1_700_000_000, 3_900, 1_700_003_900)
        );
        assert_eq!((s.bytes_received, s.bytes_sent), (u64::MAX, 28_948));
    }

    #[test]
    fn connect_ignores_disconnect_only_numbers() {
        let (s, warnings) = session(
            Event::Connect,
            &[("time_unix", b"1700000000"), ("bytes_sent", b"x")],
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!((s.start, s.duration, s.bytes_sent), (1_700_000_000, 0, 0));
    }

    #[test]
    fn replaces_unusable_values_and_says_so() {
        // Each message names what the record really uses instead.
        let cases: &[(Pairs, &[&str])] = &[
            (
                &[("time_unix", b"12abc")],
                &["time_unix: not a decimal number -> the current time"],
            ),
            (
                &[("time_unix", b"-5")],
                &["time_unix: not a decimal number -> the current time"],
            ),
            (
                &[("time_unix", b"")],
                &["time_unix: empty -> the current time"],
            ),
            (
                &[("time_unix", b"1000000000000000000000000")],
                &["time_unix: too large -> the current time"],
            ),
            (&[("time_unix", b"253402128000")], &[]),
            (
                &[("time_unix", b"253402128001")],
                &["time_unix: after 9999-12-30 00:00 UTC -> the current time"],
            ),
            // 9999-12-31T23:59:59Z: in Tokyo already 10000-01-01.
            (
                &[("time_unix", b"253402300799")],
                &["time_unix: after 9999-12-30 00:00 UTC -> the current time"],
            ),
            (&[], &["time_unix: not set -> the current time"]),
            (
                &[
                    ("trusted_ip", b"1.2.3.4\nUser"),
                    ("trusted_port", b"1"),
                    ("time_unix", b"1700000000"),
                ],
                &["trusted_ip: not an IP address -> no address"],
            ),
            (
                &[
                    ("trusted_ip", b"1.2.3.4\nUser"),
                    ("trusted_ip6", b"::1"),
                    ("time_unix", b"1700000000"),
                ],
                &["trusted_ip: not an IP address -> trusted_ip6"],
            ),
            (
                &[
                    ("trusted_ip", b"x"),
                    ("trusted_ip6", b"1.2.3.4"),
                    ("untrusted_ip", b"203.0.113.9"),
                    ("time_unix", b"1700000000"),
                ],
                &[
                    "trusted_ip: not an IP address -> untrusted_ip",
                    "trusted_ip6: not an IP address -> untrusted_ip",
                ],
            ),
            // Zone ids: only on IPv6, only a plausible interface name.
            (
                &[("trusted_ip", b"1.2.3.4%eth0"), ("time_unix", b"0")],
                &["trusted_ip: not an IP address -> no address"],
            ),
            (
                &[("trusted_ip6", b"fe80::1%"), ("time_unix", b"0")],
                &["trusted_ip6: not an IP address -> no address"],
            ),
            (
                &[("trusted_ip6", b"fe80::1%eth0 x"), ("time_unix", b"0")],
                &["trusted_ip6: not an IP address -> no address"],
            ),
            (
                &[("trusted_ip6", b"fe80::1%a'b"), ("time_unix", b"0")],
                &["trusted_ip6: not an IP address -> no address"],
            ),
            (
                &[
                    ("trusted_ip6", b"fe80::1%abcdefghijklmnop"),
                    ("time_unix", b"0"),
                ],
                &["trusted_ip6: not an IP address -> no address"],
            ),
            (
                &[("untrusted_ip6", b"fe80::1%eth0%eth1"), ("time_unix", b"0")],
                &["untrusted_ip6: not an IP address -> no address"],
            ),
            (
                &[
                    ("ifconfig_pool_remote_ip6", b"fd00::1%eth0"),
                    ("time_unix", b"0"),
                ],
                &["ifconfig_pool_remote_ip6: not an IP address -> no address"],
            ),
            (
                &[
                    ("trusted_ip", b"x"),
                    ("untrusted_ip6", b"y"),
                    ("time_unix", b"1700000000"),
                ],
                &[
                    "trusted_ip: not an IP address -> no address",
                    "untrusted_ip6: not an IP address -> no address",
                ],
            ),
            (
                &[
                    ("trusted_ip", b"1.2.3.4"),
                    ("trusted_port", b"65536"),
                    ("time_unix", b"1700000000"),
                ],
                &["trusted_port: too large -> no port"],
            ),
            (
                &[
                    ("ifconfig_pool_remote_ip", b"::1"),
                    ("time_unix", b"1700000000"),
                ],
                &["ifconfig_pool_remote_ip: not an IP address -> no address"],
            ),
            (
                &[
                    ("ifconfig_pool_remote_ip", b"::1"),
                    ("ifconfig_pool_remote_ip6", b"fd00::6"),
                    ("time_unix", b"1700000000"),
                ],
                &["ifconfig_pool_remote_ip: not an IP address -> no address"],
            ),
            (
                &[
                    ("ifconfig_pool_remote_ip6", b"10.0.0.1"),
                    ("time_unix", b"1700000000"),
                ],
                &["ifconfig_pool_remote_ip6: not an IP address -> no address"],
            ),
        ];
        const DISCONNECT_ONLY: Pairs = &[
            ("time_duration", b"0"),
            ("bytes_received", b"0"),
            ("bytes_sent", b"0"),
        ];
        for &(pairs, expected) in cases {
            let (s, warnings) = session(Event::Connect, pairs);
            assert_eq!(warnings, expected, "connect {pairs:?}");
            assert!((0..=MAX_UNIX).contains(&s.start));
            // The same at disconnect, where the variables only it reads are set and fine.
            let (s, warnings) = session(Event::Disconnect, &[pairs, DISCONNECT_ONLY].concat());
            assert_eq!(warnings, expected, "disconnect {pairs:?}");
            assert!((0..=MAX_UNIX).contains(&s.start));
        }
    }

    #[test]
    fn disconnect_warns_about_missing_or_bad_counts() {
        let (s, warnings) = session(
            Event::Disconnect,
            &[
                ("time_unix", b"253402127000"),
                ("time_duration", b"1001"),
                ("bytes_sent", b"1e9"),
            ],
        );
        assert_eq!(
            warnings,
            [
                "time_duration: ends after 9999-12-30 00:00 UTC -> 0",
                "bytes_received: not set -> 0",
                "bytes_sent: not a decimal number -> 0",
            ]
        );
        assert_eq!(
            (s.duration, s.end(), s.bytes_received, s.bytes_sent),
            (0, 253_402_127_000, 0, 0)
        );
    }
}
