//! `--real-address`: how much of the client's real address a record keeps.
//!
//! An accounting log is personal data, and the real address is the part of it that identifies a
//! person outside the VPN. Three modes:
//!
//! - `full` (the default): the address and port as OpenVPN gave them;
//! - `network`: the first 24 bits of an IPv4 address and the first 48 of an IPv6 one, the rest
//!   zero, and no port (`198.51.100.0`, `2001:db8:1::`); `network:V4,V6` chooses other lengths;
//! - `none`: no real address at all.
//!
//! The mode is applied to the [`Session`] before any record is made, so no record format can
//! show more than the mode keeps, and to the warnings about the session, which OpenVPN copies
//! into its own log: with `network` or `none` no warning quotes a real-address variable.
//!
//! An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 address it carries and is cut
//! as one (`192.0.2.0`): cut as IPv6, its first 48 bits are all zero and would say nothing, and
//! its last 32 would stay. A zone id (`fe80::2%eth0`) names the server's own interface, not
//! the client; the network is written without it. The network is written as RFC 5952
//! recommends (lowercase hex, the longest run of zero groups as `::`).

use crate::numbers::{parse_u64, write_u64};
use crate::session::{RealAddress, Session, Warning, REAL_ADDRESS_SOURCES};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How much of the real address a record shows (`--real-address`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RealAddressMode {
    /// The address and the port, as OpenVPN gave them.
    #[default]
    Full,
    /// The first `v4` bits of an IPv4 address or `v6` of an IPv6 one, without the port.
    Network { v4: u8, v6: u8 },
    /// Nothing.
    None,
}

/// `network` without lengths: an IPv4 /24 and an IPv6 /48, the usual size of one site.
pub const NETWORK: RealAddressMode = RealAddressMode::Network { v4: 24, v6: 48 };

impl RealAddressMode {
    /// Parses `full`, `network`, `network:V4,V6` (V4 in 0..=32, V6 in 0..=128) or `none`.
    pub fn parse(text: &[u8]) -> Option<RealAddressMode> {
        match text {
            b"full" => return Some(RealAddressMode::Full),
            b"network" => return Some(NETWORK),
            b"none" => return Some(RealAddressMode::None),
            _ => {}
        }
        let lengths = text.strip_prefix(b"network:")?;
        let comma = lengths.iter().position(|&b| b == b',')?;
        let (v4, v6) = (lengths.get(..comma)?, lengths.get(comma + 1..)?);
        let bits = |text: &[u8], max: u64| parse_u64(text).ok().filter(|&n| n <= max);
        Some(RealAddressMode::Network {
            v4: bits(v4, 32)? as u8,
            v6: bits(v6, 128)? as u8,
        })
    }
}

/// Applies `mode` to the session's real address and to the warnings about the variables it
/// was read from: with `network` the port's warnings go (no port is shown) and the address's
/// lose their values; with `none` they all go.
pub fn apply(mode: RealAddressMode, session: &mut Session, warnings: &mut Vec<Warning>) {
    session.real = match mode {
        RealAddressMode::Full => return,
        RealAddressMode::Network { v4, v6 } => session.real.and_then(|r| network(&r, v4, v6)),
        RealAddressMode::None => None,
    };
    warnings.retain_mut(|w| {
        let source = REAL_ADDRESS_SOURCES
            .iter()
            .find(|&&(ip, port)| ip == w.variable || port == w.variable);
        let Some(&(_, port)) = source else {
            return true;
        };
        w.value = None;
        mode != RealAddressMode::None && w.variable != port
    });
}

/// The network of `real`: its first `v4` or `v6` bits, the rest zero, without port or zone.
fn network(real: &RealAddress, v4: u8, v6: u8) -> Option<RealAddress> {
    let addr = match real.addr {
        IpAddr::V6(addr) => match addr.to_ipv4_mapped() {
            Some(mapped) => IpAddr::V4(mapped),
            None => IpAddr::V6(addr),
        },
        v4_addr => v4_addr,
    };
    let mut text = Vec::with_capacity(40);
    let addr = match addr {
        IpAddr::V4(addr) => {
            let mask = u32::MAX
                .checked_shl(32u32.saturating_sub(v4.into()))
                .unwrap_or(0);
            let network = Ipv4Addr::from(u32::from(addr) & mask);
            write_ipv4(&mut text, network);
            IpAddr::V4(network)
        }
        IpAddr::V6(addr) => {
            let mask = u128::MAX
                .checked_shl(128u32.saturating_sub(v6.into()))
                .unwrap_or(0);
            let network = Ipv6Addr::from(u128::from(addr) & mask);
            write_ipv6(&mut text, network);
            IpAddr::V6(network)
        }
    };
    let mut network = RealAddress::new(&text, addr, None)?;
    network.is_network = true;
    Some(network)
}

/// Appends `addr` in dotted-decimal form.
fn write_ipv4(out: &mut Vec<u8>, addr: Ipv4Addr) {
    for (i, octet) in addr.octets().into_iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        write_u64(out, u64::from(octet));
    }
}

/// Appends `addr` as RFC 5952, section 4, recommends: groups in lowercase hex without leading
/// zeros, the longest run of two or more zero groups (the first of equal runs) as `::`.
fn write_ipv6(out: &mut Vec<u8>, addr: Ipv6Addr) {
    let groups = addr.segments();
    // The longest run of zero groups: (start, length).
    let (mut run, mut longest) = ((0, 0), (0, 0));
    for (i, &group) in groups.iter().enumerate() {
        if group != 0 {
            run = (i + 1, 0);
            continue;
        }
        run.1 += 1;
        if run.1 > longest.1 {
            longest = run;
        }
    }
    let (start, end) = match longest {
        (start, length) if length >= 2 => (start, start + length),
        _ => (usize::MAX, usize::MAX),
    };
    for (i, &group) in groups.iter().enumerate() {
        if i == start {
            out.extend_from_slice(b"::");
        }
        if (start..end).contains(&i) {
            continue;
        }
        if i > 0 && i != end {
            out.push(b':');
        }
        write_hex(out, group);
    }
}

/// Appends `value` in lowercase hex without leading zeros.
fn write_hex(out: &mut Vec<u8>, value: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in [12, 8, 4, 0] {
        let digit = usize::from((value >> shift) & 0xF);
        started |= digit != 0 || shift == 0;
        if started {
            out.push(HEX[digit]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::HookEnv;
    use crate::session::Event;

    /// A real address as a test sees it: (text, port, is_network).
    type Shown = Option<(String, Option<u16>, bool)>;

    /// The real address `pairs` describe, as `mode` shows it, and the warnings left, as
    /// `variable=value: problem`.
    fn shown(mode: RealAddressMode, pairs: &[(&str, &[u8])]) -> (Shown, Vec<String>) {
        // A start time, so that only warnings about the addresses remain.
        let env = HookEnv::from_pairs(&[pairs, &[("time_unix", b"0")]].concat());
        let (mut session, mut warnings) = Session::from_env(Event::Connect, &env, 0);
        apply(mode, &mut session, &mut warnings);
        let real = session.real.as_ref().map(|r| {
            let text = String::from_utf8(r.ip().to_vec()).unwrap();
            (text, r.port, r.is_network)
        });
        let warnings = warnings
            .iter()
            .map(|w| {
                let value = w.value.map(String::from_utf8_lossy).unwrap_or_default();
                format!("{}={value}: {}", w.variable, w.problem)
            })
            .collect();
        (real, warnings)
    }

    fn check(mode: RealAddressMode, ip_variable: &str, ip: &str, expected: Option<&str>) {
        let pairs: &[(&str, &[u8])] = &[(ip_variable, ip.as_bytes()), ("trusted_port", b"1194")];
        let (real, warnings) = shown(mode, pairs);
        assert!(warnings.is_empty(), "{ip}: {warnings:?}");
        let expected = expected.map(|text| (text.to_owned(), None, true));
        assert_eq!(real, expected, "{ip_variable}={ip} as {mode:?}");
    }

    #[test]
    fn network_keeps_the_first_24_or_48_bits() {
        let cases: &[(&str, &str, &str)] = &[
            ("trusted_ip", "198.51.100.7", "198.51.100.0"),
            ("trusted_ip", "0.0.0.0", "0.0.0.0"),
            ("trusted_ip", "255.255.255.255", "255.255.255.0"),
            ("trusted_ip", "10.0.0.255", "10.0.0.0"),
            ("trusted_ip6", "2001:db8:1:2:3:4:5:6", "2001:db8:1::"),
            ("trusted_ip6", "2001:DB8:0001:ffff::1", "2001:db8:1::"),
            ("trusted_ip6", "::", "::"),
            ("trusted_ip6", "::1", "::"),
            (
                "trusted_ip6",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "ffff:ffff:ffff::",
            ),
            ("trusted_ip6", "2001:0:1::9", "2001:0:1::"),
            ("trusted_ip6", "0:0:1::", "0:0:1::"),
            ("trusted_ip6", "::0.0.1.1", "::"),
            // IPv4-mapped: the IPv4 address it is.
            ("trusted_ip6", "::ffff:192.0.2.1", "192.0.2.0"),
            ("trusted_ip", "::ffff:192.0.2.1", "192.0.2.0"),
            ("trusted_ip6", "::FFFF:c000:0201", "192.0.2.0"),
            (
                "trusted_ip6",
                "0:0:0:0:0:ffff:255.255.255.255",
                "255.255.255.0",
            ),
            // A zone id names the server's interface: dropped with the host part.
            ("trusted_ip6", "fe80::1%eth0", "fe80::"),
            ("trusted_ip6", "fe80::2%pllveth0", "fe80::"),
            ("trusted_ip6", "fe80:1:2:3::1%7", "fe80:1:2::"),
            // The fallback from the TLS handshake, cut the same way.
            ("untrusted_ip", "203.0.113.9", "203.0.113.0"),
            ("untrusted_ip6", "2001:db8:aa:bb::1", "2001:db8:aa::"),
            ("untrusted_ip6", "::ffff:203.0.113.9", "203.0.113.0"),
        ];
        for &(variable, ip, expected) in cases {
            check(NETWORK, variable, ip, Some(expected));
        }
    }

    #[test]
    fn network_lengths_can_be_chosen() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("network:16,32", "trusted_ip", "198.51.100.7", "198.51.0.0"),
            ("network:16,32", "trusted_ip6", "2001:db8:1::", "2001:db8::"),
            ("network:0,0", "trusted_ip", "198.51.100.7", "0.0.0.0"),
            ("network:0,0", "trusted_ip6", "2001:db8::1", "::"),
            (
                "network:32,128",
                "trusted_ip",
                "198.51.100.7",
                "198.51.100.7",
            ),
            (
                "network:32,128",
                "trusted_ip6",
                "2001:db8::1%eth0",
                "2001:db8::1",
            ),
            (
                "network:31,127",
                "trusted_ip",
                "198.51.100.7",
                "198.51.100.6",
            ),
            (
                "network:31,127",
                "trusted_ip6",
                "2001:db8::7",
                "2001:db8::6",
            ),
            ("network:1,1", "trusted_ip", "255.0.0.1", "128.0.0.0"),
            ("network:1,1", "trusted_ip6", "ffff::", "8000::"),
            (
                "network:25,52",
                "trusted_ip6",
                "::ffff:10.1.2.255",
                "10.1.2.128",
            ),
            (
                "network:8,56",
                "trusted_ip6",
                "2001:db8:1:ffff::",
                "2001:db8:1:ff00::",
            ),
        ];
        for &(mode, variable, ip, expected) in cases {
            let mode = RealAddressMode::parse(mode.as_bytes()).unwrap();
            check(mode, variable, ip, Some(expected));
        }
    }

    #[test]
    fn full_keeps_everything_and_none_nothing() {
        let pairs: &[(&str, &[u8])] = &[("trusted_ip6", b"2001:DB8::7"), ("trusted_port", b"9")];
        let (full, _) = shown(RealAddressMode::Full, pairs);
        assert_eq!(full, Some(("2001:DB8::7".into(), Some(9), false)));
        let (none, _) = shown(RealAddressMode::None, pairs);
        assert_eq!(none, None);
        check(RealAddressMode::None, "trusted_ip", "198.51.100.7", None);
        check(
            RealAddressMode::None,
            "trusted_ip6",
            "::ffff:192.0.2.1",
            None,
        );
    }

    #[test]
    fn malformed_addresses_fall_back_as_in_full_mode_but_unquoted() {
        let bad: &[(&str, &[u8])] = &[
            ("trusted_ip", b"198.51.100.7\nUser 'x'"),
            ("trusted_port", b"7x"),
            ("untrusted_ip6", b"2001:db8:5::1"),
            ("untrusted_port", b"40000"),
        ];
        let (full, warnings) = shown(RealAddressMode::Full, bad);
        assert_eq!(full, Some(("2001:db8:5::1".into(), Some(40000), false)));
        assert_eq!(
            warnings,
            ["trusted_ip=198.51.100.7\nUser 'x': not an IP address"]
        );
        let (network, warnings) = shown(NETWORK, bad);
        assert_eq!(network, Some(("2001:db8:5::".into(), None, true)));
        assert_eq!(warnings, ["trusted_ip=: not an IP address"]);
        let (none, warnings) = shown(RealAddressMode::None, bad);
        assert_eq!((none, warnings), (None, vec![]));

        // Nothing usable: no address in any mode, as in full mode.
        let hopeless: &[(&str, &[u8])] = &[("trusted_ip", b"x"), ("trusted_port", b"99999")];
        for mode in [RealAddressMode::Full, NETWORK, RealAddressMode::None] {
            assert_eq!(shown(mode, hopeless).0, None, "{mode:?}");
        }
        assert_eq!(
            shown(RealAddressMode::Full, hopeless).1,
            ["trusted_ip=x: not an IP address"]
        );
        assert_eq!(
            shown(NETWORK, hopeless).1,
            ["trusted_ip=: not an IP address"]
        );
        // Other variables' warnings stay whole.
        let other: &[(&str, &[u8])] = &[("trusted_ip", b"192.0.2.1"), ("time_unix", b"x")];
        for mode in [RealAddressMode::Full, NETWORK, RealAddressMode::None] {
            assert_eq!(
                shown(mode, other).1,
                ["time_unix=x: not a decimal number"],
                "{mode:?}"
            );
        }
    }

    #[test]
    fn parses_modes() {
        let network = |v4, v6| Some(RealAddressMode::Network { v4, v6 });
        let cases: &[(&str, Option<RealAddressMode>)] = &[
            ("full", Some(RealAddressMode::Full)),
            ("network", network(24, 48)),
            ("none", Some(RealAddressMode::None)),
            ("network:16,32", network(16, 32)),
            ("network:0,0", network(0, 0)),
            ("network:32,128", network(32, 128)),
            ("network:33,48", None),
            ("network:24,129", None),
            ("network:24", None),
            ("network:24,", None),
            ("network:,48", None),
            ("network:24,48,1", None),
            ("network:+24,48", None),
            ("network:24 ,48", None),
            ("network:18446744073709551640,48", None),
            ("network:", None),
            ("network24,48", None),
            ("Full", None),
            ("", None),
            ("partial", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(
                RealAddressMode::parse(text.as_bytes()),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn writes_ipv6_as_rfc_5952_recommends() {
        // Against std's formatting, which follows RFC 5952 too (apart from IPv4-mapped
        // addresses, which are never written here): every pattern of zero and non-zero groups,
        // and a fixed-seed sample of values.
        let mut state: u64 = 0x5eed_0012;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u16
        };
        for pattern in 0..=255u32 {
            for _ in 0..4 {
                let mut groups = [0u16; 8];
                for (i, group) in groups.iter_mut().enumerate() {
                    if pattern & (1 << i) != 0 {
                        *group = next().max(1) >> (next() % 16);
                        *group = (*group).max(1);
                    }
                }
                let addr = Ipv6Addr::from(groups);
                if addr.to_ipv4_mapped().is_some() {
                    continue;
                }
                let mut out = Vec::new();
                write_ipv6(&mut out, addr);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    addr.to_string(),
                    "{groups:x?} (seed 0x5eed_0012)"
                );
            }
        }
    }
}
