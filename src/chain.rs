//! Chaining: running the administrator's own hook from ours (`-- COMMAND [ARGS...]`).
//!
//! OpenVPN takes one `client-connect` and one `client-disconnect` command. A server that already
//! has one (firewall rules, per-user limits) keeps it by naming it after `--`: the hook runs it
//! the way OpenVPN would have — directly, without a shell and without a `PATH` search, with the
//! same environment and the same arguments (OpenVPN's temporary file last, for connect),
//! standard input closed and standard output and error left to OpenVPN's log — and waits for it.
//! What its status means for the record and for the hook's own status is decided in
//! `hook::exit_status`.
//!
//! There is no time limit. The command is the administrator's own and OpenVPN would have waited
//! for it just as long; a limit could only be enforced by killing it halfway through its work
//! (a firewall rule half applied), which is worse than the wait it would save.

use crate::diag::write_io_error;
use crate::env::HookEnv;
use crate::sys::{self, OpenFor};
use std::ffi::{CStr, CString, OsString};
use std::fmt;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;

/// A command to run from the hook: `-- COMMAND [ARGS...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// COMMAND, as written.
    pub program: OsString,
    /// ARGS..., as written, with OpenVPN's temporary file last for connect.
    pub args: Vec<OsString>,
}

/// Why a chained command could not be run at all.
#[derive(Debug)]
pub struct RunError {
    error: io::Error,
}

impl RunError {
    /// `cannot run: No such file or directory (os error 2)`, without `core::fmt`.
    pub fn message(&self) -> Vec<u8> {
        let mut out = b"cannot run: ".to_vec();
        write_io_error(&mut out, &self.error);
        out
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

/// Why `client_connect_deferred_file` could not be read.
#[derive(Debug)]
pub struct DeferredError {
    error: io::Error,
}

impl DeferredError {
    /// `cannot read: ...`, without `core::fmt`.
    pub fn message(&self) -> Vec<u8> {
        let mut out = b"cannot read: ".to_vec();
        write_io_error(&mut out, &self.error);
        out
    }
}

impl fmt::Display for DeferredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

impl Chain {
    /// Runs the command and waits for it; returns its status as a shell shows it: the exit
    /// code, or 128 + the signal that killed it.
    ///
    /// It is started as OpenVPN's own `execve(2)` would start it: the path as given (a name
    /// without a slash is relative to the working directory, never searched in `PATH`), the
    /// hook's environment, descriptors and signal dispositions passed on as they are (they are
    /// OpenVPN's), and standard input from `/dev/null`: the hook's own standard input is
    /// replaced first, as nothing in the hook reads it.
    pub fn run(&self) -> Result<u8, RunError> {
        let fail = |error| RunError { error };
        let mut argv = Vec::with_capacity(self.args.len().saturating_add(1));
        for arg in std::iter::once(&self.program).chain(&self.args) {
            // An argument cannot hold a NUL byte: it came from this process's own arguments.
            let arg = CString::new(arg.as_bytes())
                .map_err(|_| fail(io::Error::from(io::ErrorKind::InvalidInput)))?;
            argv.push(arg);
        }
        let null = sys::open_file(Path::new("/dev/null"), OpenFor::Read).map_err(fail)?;
        sys::replace_stdin(&null).map_err(fail)?;
        let argv: Vec<&CStr> = argv.iter().map(CString::as_c_str).collect();
        let program = argv.first().copied().unwrap_or_default();
        let status = sys::spawn_and_wait(program, &argv).map_err(fail)?;
        Ok(shell_status(status))
    }
}

/// The status a shell would show: the exit code, or 128 + the signal number for a command
/// killed by a signal (137 for SIGKILL). Both are non-zero, so a killed command still rejects.
fn shell_status(status: ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        // Exit codes are 0..=255 on Unix; anything else would be a platform oddity.
        return u8::try_from(code).unwrap_or(1);
    }
    match status.signal() {
        Some(signal) => u8::try_from(signal.saturating_add(128)).unwrap_or(255),
        None => 1,
    }
}

/// Whether the chained client-connect command deferred its decision: OpenVPN 2.5 and later
/// read the first byte of the file named by `client_connect_deferred_file`, and `2` there means
/// "decided later" (openvpn(8), "--client-connect"). An unset variable, or something other
/// than a regular file (which could block the read), means no. As for zone files, the file is
/// opened without waiting and the opened file's own metadata is checked, not the path's.
pub fn deferred(env: &HookEnv) -> Result<bool, DeferredError> {
    let Some(path) = env.get_nonempty("client_connect_deferred_file") else {
        return Ok(false);
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    let read_first = || -> io::Result<bool> {
        let mut file = sys::open_file(path, OpenFor::Read)?;
        if !file.metadata()?.is_file() {
            return Ok(false);
        }
        let mut first = [0u8; 1];
        let n = file.read(&mut first)?;
        Ok(n == 1 && first == *b"2")
    };
    read_first().map_err(|error| DeferredError { error })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_a_shell_shows_them() {
        // Raw wait(2) statuses: exit code in the second byte, terminating signal in the first.
        let cases: &[(i32, u8)] = &[
            (0, 0),
            (1 << 8, 1),
            (3 << 8, 3),
            (255 << 8, 255),
            (9, 137),        // SIGKILL
            (15, 143),       // SIGTERM
            (6 | 0x80, 134), // SIGABRT with a core dump
        ];
        for &(raw, expected) in cases {
            assert_eq!(
                shell_status(ExitStatus::from_raw(raw)),
                expected,
                "raw {raw:#x}"
            );
        }
    }

    #[test]
    fn no_deferred_file_means_not_deferred() {
        for pairs in [
            &[][..],
            &[("client_connect_deferred_file", &b""[..])][..],
            &[("client_connect_deferred_file", &b"/dev/null"[..])][..],
        ] {
            let env = HookEnv::from_pairs(pairs);
            assert!(!deferred(&env).unwrap(), "{pairs:?}");
        }
        let env = HookEnv::from_pairs(&[("client_connect_deferred_file", b"/nonexistent/x")]);
        let error = deferred(&env).unwrap_err().to_string();
        assert!(error.starts_with("cannot read: "), "{error}");
    }
}
