//! Where a finished record goes.
//!
//! A sink takes the complete record and hands it to the operating system in one piece, or
//! reports why it could not. It never waits without bound: the OpenVPN server is frozen while
//! the hook runs. What to do on failure (say why, keep the record on stderr) is decided by the
//! caller, in `hook`.

//!
//! The `syslog` feature switches only the socket code: the module [`syslog`] and
//! [`send_to_syslog`], its one entry point. The message format and the option values in
//! [`wire`] are in every build, and `cli::parse` refuses the syslog options in a build without
//! the feature.

use crate::time::LocalTime;
use std::path::Path;

pub mod file;
#[cfg(feature = "syslog")]
pub mod syslog;
pub mod wire;

/// A record as one syslog message: [`wire::write_message`]'s parts.
#[derive(Debug, Clone, Copy)]
pub struct SyslogMessage<'a> {
    pub facility: wire::Facility,
    pub time: &'a LocalTime,
    pub tag: &'a [u8],
    pub pid: u32,
    pub record: &'a [u8],
}

/// Why a record did not reach the syslog daemon as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyslogFailure {
    /// It was longer than [`wire::MAX_MESSAGE`]: sent cut (see [`wire::write_message`]).
    SentCut,
    /// It was not sent; the text says why.
    NotSent(Vec<u8>),
}

/// Sends `message` to the daemon at `socket`, or at the first of [`wire::SOCKET_PATHS`] that is
/// a socket, within `syslog::SEND_BUDGET`.
#[cfg(feature = "syslog")]
pub fn send_to_syslog(socket: Option<&Path>, message: &SyslogMessage) -> Result<(), SyslogFailure> {
    let mut bytes = Vec::with_capacity(message.record.len().saturating_add(80));
    let m = message;
    let whole = wire::write_message(&mut bytes, m.facility, m.time, m.tag, m.pid, m.record);
    let path = match socket {
        Some(path) => Some(path),
        None => syslog::find_socket(wire::SOCKET_PATHS, &syslog::is_socket),
    };
    match path {
        Some(path) => syslog::send(path, &bytes, syslog::SEND_BUDGET),
        None => Err(syslog::SyslogError::no_socket()),
    }
    .map_err(|error| SyslogFailure::NotSent(error.message()))?;
    if whole {
        Ok(())
    } else {
        Err(SyslogFailure::SentCut)
    }
}

/// A build without the `syslog` feature has no socket code (nor message formatting). Nothing
/// calls this: `cli::parse` refuses the syslog options in such a build.
#[cfg(not(feature = "syslog"))]
pub fn send_to_syslog(
    _socket: Option<&Path>,
    _message: &SyslogMessage,
) -> Result<(), SyslogFailure> {
    Err(SyslogFailure::NotSent(
        b"this build has no syslog support".to_vec(),
    ))
}
