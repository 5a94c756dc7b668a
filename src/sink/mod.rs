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

use std::path::Path;

pub mod file;
#[cfg(feature = "syslog")]
pub mod syslog;
pub mod wire;

/// Sends `message` (made by [`wire::write_message`]) to the daemon at `socket`, or at the
/// first of [`wire::SOCKET_PATHS`] that is a socket, within `syslog::SEND_BUDGET`; the error
/// says why not.
#[cfg(feature = "syslog")]
pub fn send_to_syslog(socket: Option<&Path>, message: &[u8]) -> Result<(), String> {
    let path = match socket {
        Some(path) => Some(path),
        None => syslog::find_socket(wire::SOCKET_PATHS, &syslog::is_socket),
    };
    match path {
        Some(path) => syslog::send(path, message, syslog::SEND_BUDGET),
        None => Err(syslog::SyslogError::no_socket()),
    }
    .map_err(|error| error.to_string())
}

/// A build without the `syslog` feature has no socket code. Nothing calls this: `cli::parse`
/// refuses the syslog options in such a build.
#[cfg(not(feature = "syslog"))]
pub fn send_to_syslog(_socket: Option<&Path>, _message: &[u8]) -> Result<(), String> {
    Err(String::from("this build has no syslog support"))
}
