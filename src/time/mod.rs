//! Time: which zone the host is in, and how an instant prints in it.
//!
//! The hooks never call libc's time functions (musl and glibc differ, and OpenVPN gives the hook
//! no `TZ`), so this module answers "what is the local time at instant T" itself, the way
//! glibc's `localtime` (and so `date(1)`) does: [`civil`] turns seconds into a calendar date
//! and clock time, [`Zone`] knows the offset from UTC at any instant, from a TZif file
//! ([`tzif`]) or a POSIX rule ([`posix`]); [`source`] finds which one the host uses.
//!
//! Everything but [`source`] is computation; reading the zone from the system happens once,
//! through [`system_zone`].

pub mod civil;
pub mod posix;
pub mod source;
pub mod tzif;

pub use civil::LocalTime;
pub use source::{ZoneFiles, ZoneWarning};

use crate::env::HookEnv;
use posix::PosixTz;
use tzif::Tzif;

/// The last session time accepted: 9999-12-30T00:00:00Z. Two days short of the year 10000,
/// because a zone may move local time up to [`MAX_OFFSET`] ahead, and a leap-second correction
/// as far again: every local date in a record then keeps four digits (9999-12-31T23:59:58 at
/// the latest), as the manual promises. Session times beyond it are treated as malformed
/// input; the earliest, 0, shows as 1969-12-30 at the earliest.
pub const MAX_UNIX: i64 = 253_402_128_000;

/// The largest offset from UTC, either way, that a zone may have, and the largest leap-second
/// correction: less than a day (23:59:59). RFC 3339, which the JSON record writes, has no
/// offset of 24 hours or more (`time-hour` is 00-23); real zones stay within 16 hours (local
/// mean times of the 19th century included) and 27 leap seconds. A zone file or rule beyond
/// it is refused with a warning, and UTC used, rather than printed in a form that no RFC 3339
/// reader accepts (glibc's `date +%:z` would show `+24:30`, or `-596523:14` from a crafted
/// file).
pub const MAX_OFFSET: i32 = 86_399;

/// A time zone: the offset from UTC in effect at any instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    kind: ZoneKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ZoneKind {
    Utc,
    Rule(PosixTz),
    Tzif(Tzif),
}

impl Zone {
    /// Coordinated Universal Time: offset zero at every instant.
    pub fn utc() -> Zone {
        Zone {
            kind: ZoneKind::Utc,
        }
    }

    /// The zone a POSIX `TZ` rule describes.
    pub fn from_rule(rule: PosixTz) -> Zone {
        Zone {
            kind: ZoneKind::Rule(rule),
        }
    }

    /// The zone a TZif file describes.
    pub fn from_tzif(tzif: Tzif) -> Zone {
        Zone {
            kind: ZoneKind::Tzif(tzif),
        }
    }

    /// Seconds east of UTC in effect at `unix` (seconds since the epoch).
    pub fn offset_at(&self, unix: i64) -> i32 {
        match &self.kind {
            ZoneKind::Utc => 0,
            ZoneKind::Rule(rule) => rule.offset_at(unix),
            ZoneKind::Tzif(tzif) => tzif.offset_at(unix),
        }
    }

    /// The local calendar time at `unix` in this zone. In zones with leap seconds (tzdata's
    /// `right/`), `unix` counts them, so they are subtracted, and an inserted one shows as
    /// second 60, as glibc shows it.
    pub fn local_time(&self, unix: i64) -> LocalTime {
        let ((offset, unknown), (correction, hit)) = match &self.kind {
            ZoneKind::Utc => ((0, false), (0, 0)),
            ZoneKind::Rule(rule) => (rule.lookup(unix), (0, 0)),
            ZoneKind::Tzif(tzif) => (tzif.lookup(unix), tzif.leap_correction(unix)),
        };
        let mut time = LocalTime::new(unix.saturating_sub(i64::from(correction)), offset);
        time.second = time.second.saturating_add(hit);
        time.offset_unknown = unknown;
        time
    }
}

/// The host's local zone, as `date(1)` would find it from `env` (`TZ`, `TZDIR`) and the
/// system files; UTC and a warning naming the source when that zone cannot be used.
pub fn system_zone(env: &HookEnv) -> (Zone, Option<ZoneWarning>) {
    match ZoneFiles::system().zone(env.get("TZ"), env.get("TZDIR")) {
        Ok(zone) => (zone, None),
        Err(warning) => (Zone::utc(), Some(warning)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::tzif::tests::{build, Build};

    /// A zone with one offset and, optionally, one leap second correction from the epoch on.
    fn zone(offset: i32, correction: Option<i32>) -> Zone {
        let leaps: &[(i64, i32)] = match &correction {
            Some(c) => &[(0, *c)],
            None => &[],
        };
        let bytes = build(&Build {
            version: b'2',
            transitions: &[],
            types: &[(offset, false)],
            leaps,
            footer: "",
        });
        Zone::from_tzif(Tzif::parse(&bytes).unwrap())
    }

    /// The extremes a session time and a zone may reach together still print four-digit
    /// years: 1969-12-30 at the earliest, 9999-12-31 at the latest.
    #[test]
    fn session_times_keep_four_digit_years_in_every_zone() {
        let cases: &[(i64, i32, Option<i32>, &str)] = &[
            (MAX_UNIX, 0, None, "9999-12-30-00:00"),
            (MAX_UNIX, MAX_OFFSET, None, "9999-12-30-23:59"),
            (MAX_UNIX, MAX_OFFSET, Some(-MAX_OFFSET), "9999-12-31-23:59"),
            (MAX_UNIX, -MAX_OFFSET, Some(MAX_OFFSET), "9999-12-28-00:00"),
            (0, 0, None, "1970-01-01-00:00"),
            (0, -MAX_OFFSET, None, "1969-12-31-00:00"),
            (0, -MAX_OFFSET, Some(MAX_OFFSET), "1969-12-30-00:00"),
            (0, MAX_OFFSET, Some(-MAX_OFFSET), "1970-01-02-23:59"),
        ];
        for &(unix, offset, correction, expected) in cases {
            let mut out = Vec::new();
            zone(offset, correction)
                .local_time(unix)
                .write_minute(&mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "@{unix} {offset} {correction:?}"
            );
        }
    }
}
