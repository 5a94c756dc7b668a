//! Where a finished record goes.
//!
//! A sink takes the complete record and hands it to the operating system in one piece, or
//! reports why it could not. It never waits without bound: the OpenVPN server is frozen while
//! the hook runs. What to do on failure (say why, keep the record on stderr) is decided by the
//! caller, in `hook`.

pub mod file;
#[cfg(feature = "syslog")]
pub mod syslog;
