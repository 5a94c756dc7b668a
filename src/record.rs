//! The classic one-line records of the shell scripts this project replaces.
//!
//! ```text
//! User 'alice' at 2026-11-23-09:05 using 10.8.0.6 from 198.51.100.7:50123
//! User 'alice' using 10.8.0.6 from 198.51.100.7:50123 for 2026-11-23-09:05 to 2026-11-23-10:10 (1:05) BW(up/down) 1.005/0.028
//! ```
//!
//! Formatting is pure: a [`Session`] and a [`Zone`] in, bytes out, into one buffer that the
//! sink then writes with a single `write(2)`. Every field is either escaped (the name), validated
//! (addresses) or made of digits, so no input can produce a second line or a misplaced field.
//! The differences from the original scripts are listed in the man pages, COMPATIBILITY.

use crate::escape::{write_escaped, NAME_CAP};
use crate::numbers::{write_hours_minutes, write_megabytes, write_u64};
use crate::session::{Event, Session};
use crate::time::Zone;

/// Appends the classic record for `session`, newline included.
pub fn write_classic(out: &mut Vec<u8>, session: &Session, zone: &Zone) {
    out.extend_from_slice(b"User '");
    write_escaped(out, session.display_name(), NAME_CAP);
    out.push(b'\'');
    match session.event {
        Event::Connect => {
            out.extend_from_slice(b" at ");
            zone.local_time(session.start).write_minute(out);
            write_addresses(out, session);
        }
        Event::Disconnect => {
            write_addresses(out, session);
            out.extend_from_slice(b" for ");
            zone.local_time(session.start).write_minute(out);
            out.extend_from_slice(b" to ");
            zone.local_time(session.end()).write_minute(out);
            out.extend_from_slice(b" (");
            write_hours_minutes(out, session.duration);
            out.extend_from_slice(b") BW(up/down) ");
            write_megabytes(out, session.bytes_received);
            out.push(b'/');
            write_megabytes(out, session.bytes_sent);
        }
    }
    out.push(b'\n');
}

/// Appends ` using <vpn-ip> from <real-addr>`.
fn write_addresses(out: &mut Vec<u8>, session: &Session) {
    out.extend_from_slice(b" using ");
    let virtual_ip = session.virtual_ip.or(session.virtual_ipv6);
    out.extend_from_slice(virtual_ip.unwrap_or(b"-"));
    out.extend_from_slice(b" from ");
    match &session.real {
        None => out.push(b'-'),
        Some(real) => {
            if real.is_ipv6() {
                out.push(b'[');
                out.extend_from_slice(real.ip());
                out.push(b']');
            } else {
                out.extend_from_slice(real.ip());
            }
            // `--real-address network` shows no port, not even 0.
            if !real.is_network {
                out.push(b':');
                write_u64(out, u64::from(real.port.unwrap_or(0)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An explicit hook environment.
    type Pairs = &'static [(&'static str, &'static [u8])];
    use crate::env::HookEnv;

    const NOW: i64 = 1_800_000_000; // 2027-01-15-08:00 UTC

    fn check(event: Event, pairs: &[(&str, &[u8])], expected: &str) {
        let env = HookEnv::from_pairs(pairs);
        let (session, _) = Session::from_env(event, &env, NOW);
        let mut out = Vec::new();
        write_classic(&mut out, &session, &Zone::utc());
        assert_eq!(String::from_utf8_lossy(&out), expected, "{pairs:?}");
    }

    const ALICE: &[(&str, &[u8])] = &[
        ("common_name", b"alice"),
        ("ifconfig_pool_remote_ip", b"10.8.0.6"),
        ("trusted_ip", b"198.51.100.7"),
        ("trusted_port", b"50123"),
        ("time_unix", b"1700000000"),
        ("time_duration", b"3900"),
        ("bytes_received", b"1005000"),
        ("bytes_sent", b"28948"),
    ];

    #[test]
    fn writes_the_classic_connect_record() {
        let cases: &[(Pairs, &str)] = &[
            (
                ALICE,
                "User 'alice' at 2023-11-14-22:13 using 10.8.0.6 from 198.51.100.7:50123\n",
            ),
            (
                &[
                    ("common_name", b"zo\xc3\xab"),
                    ("ifconfig_pool_remote_ip6", b"fd00::1000"),
                    ("trusted_ip6", b"2001:db8::7"),
                    ("trusted_port", b"1194"),
                    ("time_unix", b"1700000000"),
                ],
                "User 'zoë' at 2023-11-14-22:13 using fd00::1000 from [2001:db8::7]:1194\n",
            ),
            (&[], "User '' at 2027-01-15-08:00 using - from -\n"),
            (
                &[
                    ("common_name", b"bob o'neil\\\n"),
                    ("trusted_ip", b"192.0.2.1"),
                ],
                "User 'bob o\\'neil\\\\\\x0A' at 2027-01-15-08:00 using - from 192.0.2.1:0\n",
            ),
        ];
        for &(pairs, expected) in cases {
            check(Event::Connect, pairs, expected);
        }
    }

    #[test]
    fn writes_the_classic_disconnect_record() {
        let cases: &[(Pairs, &str)] = &[
            (
                ALICE,
                "User 'alice' using 10.8.0.6 from 198.51.100.7:50123 for 2023-11-14-22:13 \
                 to 2023-11-14-23:18 (1:05) BW(up/down) 1.005/0.028\n",
            ),
            (
                &[
                    ("username", b"carol"),
                    ("ifconfig_pool_remote_ip", b"10.8.0.9"),
                    ("ifconfig_pool_remote_ip6", b"fd00::9"),
                    ("untrusted_ip6", b"::1"),
                    ("untrusted_port", b"40000"),
                    ("time_unix", b"1700000000"),
                    ("time_duration", b"90061"),
                    ("bytes_received", b"18446744073709551615"),
                    ("bytes_sent", b"0"),
                ],
                "User 'carol' using 10.8.0.9 from [::1]:40000 for 2023-11-14-22:13 \
                 to 2023-11-15-23:14 (25:01) BW(up/down) 18446744073709.551/0.000\n",
            ),
            (
                &[("time_unix", b"garbage")],
                "User '' using - from - for 2027-01-15-08:00 to 2027-01-15-08:00 (0:00) \
                 BW(up/down) 0.000/0.000\n",
            ),
        ];
        for &(pairs, expected) in cases {
            check(Event::Disconnect, pairs, expected);
        }
    }

    #[test]
    fn shows_only_what_the_real_address_mode_keeps() {
        use crate::privacy::{apply, RealAddressMode, NETWORK};
        let v4: Pairs = &[("trusted_ip", b"198.51.100.7"), ("trusted_port", b"50123")];
        let v6: Pairs = &[
            ("trusted_ip6", b"2001:db8:1:2::7"),
            ("trusted_port", b"1194"),
        ];
        let cases: &[(RealAddressMode, Pairs, &str)] = &[
            (RealAddressMode::Full, v4, "from 198.51.100.7:50123"),
            (RealAddressMode::Full, v6, "from [2001:db8:1:2::7]:1194"),
            (NETWORK, v4, "from 198.51.100.0"),
            (NETWORK, v6, "from [2001:db8:1::]"),
            (RealAddressMode::None, v4, "from -"),
            (RealAddressMode::None, v6, "from -"),
        ];
        for &(mode, pairs, expected) in cases {
            for event in [Event::Connect, Event::Disconnect] {
                let env = HookEnv::from_pairs(pairs);
                let (mut session, mut warnings) = Session::from_env(event, &env, NOW);
                apply(mode, &mut session, &mut warnings);
                let mut out = Vec::new();
                write_classic(&mut out, &session, &Zone::utc());
                let line = String::from_utf8(out).unwrap();
                let after = match event {
                    Event::Connect => "\n",
                    Event::Disconnect => " for ",
                };
                assert!(
                    line.contains(&format!(" {expected}{after}")),
                    "{mode:?}: {line}"
                );
            }
        }
    }

    #[test]
    fn a_record_is_always_exactly_one_line() {
        let hostile: &[u8] = b"\n\r\x0b\x0c\xc2\x85\xe2\x80\xa8'\\";
        let pairs: &[(&str, &[u8])] = &[
            ("common_name", &hostile.repeat(10_000)),
            ("ifconfig_pool_remote_ip", hostile),
            ("trusted_ip", hostile),
            ("trusted_port", hostile),
            ("time_unix", hostile),
            ("time_duration", hostile),
            ("bytes_received", hostile),
            ("bytes_sent", hostile),
        ];
        for event in [Event::Connect, Event::Disconnect] {
            let env = HookEnv::from_pairs(pairs);
            let (session, _) = Session::from_env(event, &env, NOW);
            let mut out = Vec::new();
            write_classic(&mut out, &session, &Zone::utc());
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
            assert_eq!(out.last(), Some(&b'\n'));
            assert!(!out.iter().any(|&b| b < 0x20 && b != b'\n'));
            assert!(out.len() < 512, "record of {} bytes", out.len());
        }
    }
}
