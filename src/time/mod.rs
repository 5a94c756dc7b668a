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

/// The last instant the records can print with a four-digit year: 9999-12-31T23:59:59Z.
/// Session times beyond it are treated as malformed input.
pub const MAX_UNIX: i64 = 253_402_300_799;

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
