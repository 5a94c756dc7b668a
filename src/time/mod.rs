//! Time: which zone the host is in, and how an instant prints in it.
//!
//! The hooks never call libc's time functions (musl and glibc differ, and OpenVPN gives the hook
//! no `TZ`), so this module answers "what is the local time at instant T" itself:
//! [`civil`] turns seconds into a calendar date and clock time, [`Zone`] knows the offset from
//! UTC at any instant.
//!
//! Everything here is computation; reading the zone from the system is the caller's job
//! through [`system_zone`].

pub mod civil;
pub mod posix;
pub mod tzif;

pub use civil::LocalTime;

use crate::env::HookEnv;

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
}

impl Zone {
    /// Coordinated Universal Time: offset zero at every instant.
    pub fn utc() -> Zone {
        Zone {
            kind: ZoneKind::Utc,
        }
    }

    /// Seconds east of UTC in effect at `unix` (seconds since the epoch).
    pub fn offset_at(&self, unix: i64) -> i32 {
        let _ = unix;
        match self.kind {
            ZoneKind::Utc => 0,
        }
    }

    /// The local calendar time at `unix` in this zone.
    pub fn local_time(&self, unix: i64) -> LocalTime {
        LocalTime::new(unix, self.offset_at(unix))
    }
}

/// Why the system's zone could not be used; the caller falls back to UTC and warns once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneWarning {
    message: &'static str,
}

impl ZoneWarning {
    /// A lowercase description naming the source that failed.
    pub fn as_str(&self) -> &'static str {
        self.message
    }
}

/// The host's local zone, as `date(1)` would find it from `env` and the system files.
///
/// Until zone files and POSIX rules are read, this is UTC.
pub fn system_zone(env: &HookEnv) -> (Zone, Option<ZoneWarning>) {
    let _ = env;
    (Zone::utc(), None)
}
