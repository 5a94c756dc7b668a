//! Diagnostics on standard error, which OpenVPN copies into its own log.
//!
//! Every message is one line, `<program>: <text>`, written with one `write(2)` and with errors
//! ignored: the standard printing macros panic when stderr is a closed pipe, and a panic would
//! abort the hook and, on connect, reject the user. SIGPIPE is ignored by the Rust runtime, so a
//! broken pipe only makes the write fail.
//!
//! A message quotes what came from outside: arguments, paths, socket paths, error texts that
//! name them. So that none of it can end the line early and forge a second one in the server's
//! log, [`Diagnostics::say`] escapes every byte it is given that could break a line
//! (`escape::write_line_safe`); a value shown between quotes is also escaped the way records
//! escape names, by whoever quotes it ([`Diagnostics::bad_value`], `cli::UsageError`), and
//! passes the line escaping unchanged. No caller can forget: there is no other way to stderr
//! but the undelivered record, which is a finished record and one line by construction.

use crate::escape::{write_escaped, write_line_safe};
use std::io::{self, ErrorKind, Write};

/// How many bytes of a bad variable's value a warning shows.
const VALUE_CAP: usize = 64;

/// Writes diagnostics for one program.
#[derive(Debug, Clone, Copy)]
pub struct Diagnostics {
    program: &'static str,
    quiet: bool,
}

impl Diagnostics {
    pub fn new(program: &'static str, quiet: bool) -> Diagnostics {
        Diagnostics { program, quiet }
    }

    /// A diagnostic line made of `parts`; nothing with `--quiet`.
    pub fn say(&self, parts: &[&[u8]]) {
        if !self.quiet {
            write_stderr(&self.line(parts));
        }
    }

    /// `<program>: ` and `parts`, each with whatever could break the line escaped, and the
    /// newline.
    fn line(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut line = Vec::with_capacity(128);
        line.extend_from_slice(self.program.as_bytes());
        line.extend_from_slice(b": ");
        for part in parts {
            write_line_safe(&mut line, part);
        }
        line.push(b'\n');
        line
    }

    /// A warning about a variable's value, shown escaped and shortened: it may be hostile.
    pub fn bad_value(&self, variable: &str, value: Option<&[u8]>, problem: &str, fallback: &str) {
        let mut shown = Vec::new();
        if let Some(value) = value {
            shown.extend_from_slice(b"='");
            write_escaped(&mut shown, value, VALUE_CAP);
            shown.push(b'\'');
        }
        self.say(&[
            b"warning: ",
            variable.as_bytes(),
            &shown,
            b": ",
            problem.as_bytes(),
            b"; using ",
            fallback.as_bytes(),
        ]);
    }

    /// The record that could not be delivered, on stderr so that it lands in OpenVPN's log
    /// instead of being lost. Written even with `--quiet`: it is data, not a diagnostic.
    pub fn undelivered(&self, record: &[u8]) {
        let mut line = Vec::with_capacity(record.len() + 64);
        line.extend_from_slice(self.program.as_bytes());
        line.extend_from_slice(b": undelivered record: ");
        line.extend_from_slice(record);
        write_stderr(&line);
    }
}

/// Appends the text `error`'s `Display` shows (`No such file or directory (os error 2)`)
/// without `core::fmt`, whose machinery would add some 13 KB to each binary.
pub fn write_io_error(out: &mut Vec<u8>, error: &io::Error) {
    match error.raw_os_error() {
        Some(code) => {
            crate::sys::write_strerror(out, code);
            out.extend_from_slice(b" (os error ");
            crate::numbers::write_i64(out, i64::from(code));
            out.push(b')');
        }
        None => out.extend_from_slice(kind_text(error.kind()).as_bytes()),
    }
}

/// What std's `Display` shows for the kinds a hook can meet (file and socket errors, and the
/// hooks' own `WriteZero` and `InvalidInput`); other kinds read as "other error".
pub fn kind_text(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NotFound => "entity not found",
        ErrorKind::PermissionDenied => "permission denied",
        ErrorKind::ConnectionRefused => "connection refused",
        ErrorKind::ConnectionReset => "connection reset",
        ErrorKind::NotConnected => "not connected",
        ErrorKind::AddrNotAvailable => "address not available",
        ErrorKind::BrokenPipe => "broken pipe",
        ErrorKind::AlreadyExists => "entity already exists",
        ErrorKind::WouldBlock => "operation would block",
        ErrorKind::NotADirectory => "not a directory",
        ErrorKind::IsADirectory => "is a directory",
        ErrorKind::ReadOnlyFilesystem => "read-only filesystem or storage medium",
        ErrorKind::StaleNetworkFileHandle => "stale network file handle",
        ErrorKind::InvalidInput => "invalid input parameter",
        ErrorKind::InvalidData => "invalid data",
        ErrorKind::TimedOut => "timed out",
        ErrorKind::WriteZero => "write zero",
        ErrorKind::StorageFull => "no storage space",
        ErrorKind::FileTooLarge => "file too large",
        ErrorKind::ResourceBusy => "resource busy",
        ErrorKind::Deadlock => "deadlock",
        ErrorKind::TooManyLinks => "too many links",
        ErrorKind::Interrupted => "operation interrupted",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::UnexpectedEof => "unexpected end of file",
        ErrorKind::OutOfMemory => "out of memory",
        _ => "other error",
    }
}

/// One write to stderr; failures (a closed pipe, a full disk) are ignored, there is nowhere
/// left to report them.
fn write_stderr(line: &[u8]) {
    let _ = crate::sys::stderr().write_all(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_part_can_break_the_line() {
        let diag = Diagnostics::new("vpn-connect-log", false);
        let cases: &[(&[&[u8]], &str)] = &[
            (
                &[b"/tmp/nodir\nforged/x", b": ", b"No such file or directory"],
                "vpn-connect-log: /tmp/nodir\\x0Aforged/x: No such file or directory\n",
            ),
            (
                &[b"x\r\x85\xc2\x85\xe2\x80\xa8'\\"],
                "vpn-connect-log: x\\x0D\\x85\\xC2\\x85\\xE2\\x80\\xA8'\\\n",
            ),
        ];
        for &(parts, expected) in cases {
            assert_eq!(String::from_utf8(diag.line(parts)).unwrap(), expected);
        }
    }

    #[test]
    fn bad_values_are_quoted_and_escaped_as_in_records() {
        let diag = Diagnostics::new("p", false);
        let mut shown = Vec::new();
        let value = b"o'neil\\\n";
        write_escaped(&mut shown, value, VALUE_CAP);
        assert_eq!(shown, br"o\'neil\\\x0A");
        // Escaped text passes the line escaping unchanged.
        assert_eq!(diag.line(&[&shown]), [b"p: ", &shown[..], b"\n"].concat());
    }

    #[test]
    fn io_errors_read_as_std_shows_them() {
        let kinds = [
            ErrorKind::NotFound,
            ErrorKind::PermissionDenied,
            ErrorKind::ConnectionRefused,
            ErrorKind::ConnectionReset,
            ErrorKind::NotConnected,
            ErrorKind::AddrNotAvailable,
            ErrorKind::BrokenPipe,
            ErrorKind::AlreadyExists,
            ErrorKind::WouldBlock,
            ErrorKind::NotADirectory,
            ErrorKind::IsADirectory,
            ErrorKind::ReadOnlyFilesystem,
            ErrorKind::StaleNetworkFileHandle,
            ErrorKind::InvalidInput,
            ErrorKind::InvalidData,
            ErrorKind::TimedOut,
            ErrorKind::WriteZero,
            ErrorKind::StorageFull,
            ErrorKind::FileTooLarge,
            ErrorKind::ResourceBusy,
            ErrorKind::Deadlock,
            ErrorKind::TooManyLinks,
            ErrorKind::Interrupted,
            ErrorKind::Unsupported,
            ErrorKind::UnexpectedEof,
            ErrorKind::OutOfMemory,
            ErrorKind::Other,
        ];
        let errors = kinds
            .into_iter()
            .map(io::Error::from)
            .chain([2, 13, 36].map(io::Error::from_raw_os_error));
        for error in errors {
            let mut out = Vec::new();
            write_io_error(&mut out, &error);
            assert_eq!(String::from_utf8(out).unwrap(), error.to_string());
        }
    }
}
