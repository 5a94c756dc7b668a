//! Sending a message to the local syslog daemon, never waiting more than [`SEND_BUDGET`].
//!
//! Like syslog(3) in glibc (`misc/syslog.c`, `openlog_internal`): connect a Unix datagram
//! socket to the daemon's socket; if the kernel answers `EPROTOTYPE` the daemon listens on a
//! stream socket instead, and the message is sent over a stream connection followed by a NUL
//! byte, the frame end glibc sends and rsyslog, syslog-ng and BusyBox accept. Unlike
//! syslog(3), nothing here ever blocks: the OpenVPN server is frozen while the hook runs, and a
//! daemon that stalls with a full receive queue would freeze it with a blocking `send`. So the
//! socket is non-blocking, a full queue is retried a few times with short, growing pauses, and
//! after one second in total the message is given up (the caller keeps the record on stderr).
//! The same holds for a stream `connect`: while the daemon's backlog of unaccepted connections
//! is full, a non-blocking `connect` fails with `EAGAIN` and is retried the same way (std has
//! no non-blocking stream connect; `sys` makes the socket).

pub use super::wire::{self, SOCKET_PATHS};

use crate::diag::write_io_error;
use crate::numbers::write_u64;
use crate::sys;
use std::fmt;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

/// The longest a message may take to leave, connecting included.
pub const SEND_BUDGET: Duration = Duration::from_secs(1);

/// The first pause after a full queue; each next pause doubles, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(1);
const MAX_PAUSE: Duration = Duration::from_millis(100);

/// Why a message did not reach the daemon.
#[derive(Debug)]
pub struct SyslogError {
    /// The socket involved; `None` when none was found.
    path: Option<PathBuf>,
    /// The time the message had, for [`SyslogErrorKind::TimedOut`].
    budget: Duration,
    kind: SyslogErrorKind,
}

#[derive(Debug)]
enum SyslogErrorKind {
    /// No socket at any of [`SOCKET_PATHS`].
    NoSocket,
    Socket(io::Error),
    Connect(io::Error),
    Send(io::Error),
    /// The daemon did not take the message (or the connection) within the budget.
    TimedOut,
}

impl SyslogError {
    fn new(path: &Path, budget: Duration, kind: SyslogErrorKind) -> SyslogError {
        SyslogError {
            path: Some(path.to_owned()),
            budget,
            kind,
        }
    }

    /// No socket at any of [`SOCKET_PATHS`].
    pub fn no_socket() -> SyslogError {
        SyslogError {
            path: None,
            budget: Duration::ZERO,
            kind: SyslogErrorKind::NoSocket,
        }
    }
}

impl SyslogError {
    /// The message: `/dev/log: cannot connect: Connection refused (os error 111)`. Written
    /// without `core::fmt` (see `diag::write_io_error`).
    pub fn message(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        if let Some(path) = &self.path {
            out.extend_from_slice(path.as_os_str().as_bytes());
            out.extend_from_slice(b": ");
        }
        let (what, error): (&[u8], _) = match &self.kind {
            SyslogErrorKind::NoSocket => {
                out.extend_from_slice(b"no socket at");
                for (i, path) in SOCKET_PATHS.iter().enumerate() {
                    out.extend_from_slice(if i == 0 { b" " } else { b", " });
                    out.extend_from_slice(path.as_bytes());
                }
                return out;
            }
            SyslogErrorKind::Socket(error) => (b"cannot create a socket: ", error),
            SyslogErrorKind::Connect(error) => (b"cannot connect: ", error),
            SyslogErrorKind::Send(error) => (b"cannot send: ", error),
            SyslogErrorKind::TimedOut => {
                let millis = self.budget.as_millis();
                out.extend_from_slice(b"the syslog daemon did not take the message within ");
                let millis = u64::try_from(millis).unwrap_or(u64::MAX);
                if millis % 1000 == 0 {
                    write_u64(&mut out, millis / 1000);
                    out.extend_from_slice(b" s");
                } else {
                    write_u64(&mut out, millis);
                    out.extend_from_slice(b" ms");
                }
                out.extend_from_slice(b" (queue full or daemon stalled)");
                return out;
            }
        };
        out.extend_from_slice(what);
        write_io_error(&mut out, error);
        out
    }
}

impl fmt::Display for SyslogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

/// The first of `candidates` that `is_socket` says is a socket: a directory or a stale file of
/// the same name is passed over (Debian, for one, can have a directory `/var/run/log`).
pub fn find_socket<'a>(
    candidates: &[&'a str],
    is_socket: &dyn Fn(&Path) -> bool,
) -> Option<&'a Path> {
    candidates
        .iter()
        .map(|&path| Path::new(path))
        .find(|path| is_socket(path))
}

/// Whether `path` is a socket on this system, following symbolic links (systemd makes
/// `/dev/log` a link to journald's socket).
pub fn is_socket(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

/// Sends `message` (made by [`wire::write_message`]) to the daemon at `path` within `budget`.
pub fn send(path: &Path, message: &[u8], budget: Duration) -> Result<(), SyslogError> {
    let start = Instant::now();
    let deadline = start.checked_add(budget).unwrap_or(start);
    let fail = |kind| SyslogError::new(path, budget, kind);
    let socket = UnixDatagram::unbound().map_err(|e| fail(SyslogErrorKind::Socket(e)))?;
    match sys::connect_unix(&socket, path) {
        Ok(()) => {}
        Err(error) if error.raw_os_error() == Some(sys::errno::EPROTOTYPE) => {
            drop(socket);
            return send_stream(path, message, deadline).map_err(fail);
        }
        Err(error) => return Err(fail(SyslogErrorKind::Connect(error))),
    }
    socket
        .set_nonblocking(true)
        .map_err(|e| fail(SyslogErrorKind::Socket(e)))?;
    retry_until(deadline, SyslogErrorKind::Send, || {
        socket.send(message).map(|_| ())
    })
    .map_err(fail)
}

/// The stream variant: connect within the time left, then write the message and its NUL.
fn send_stream(path: &Path, message: &[u8], deadline: Instant) -> Result<(), SyslogErrorKind> {
    let mut stream = sys::unix_stream_socket().map_err(SyslogErrorKind::Socket)?;
    retry_until(deadline, SyslogErrorKind::Connect, || {
        sys::connect_unix(&stream, path)
    })?;
    let mut frame = Vec::with_capacity(message.len().saturating_add(1));
    frame.extend_from_slice(message);
    frame.push(0);
    // The connection is ours alone, so a partial write can be continued without any risk of
    // interleaving with another process's message.
    let mut rest = &frame[..];
    retry_until(deadline, SyslogErrorKind::Send, || {
        while !rest.is_empty() {
            let written = stream.write(rest)?;
            if written == 0 {
                return Err(io::Error::from(io::ErrorKind::WriteZero));
            }
            rest = rest.get(written..).unwrap_or_default();
        }
        Ok(())
    })
}

/// Calls `attempt` until it succeeds, fails for good (described by `fail`), or `deadline`
/// passes; a full queue or backlog (`EAGAIN`, or `ENOBUFS` on macOS and the BSDs) or a signal
/// means "try again".
fn retry_until(
    deadline: Instant,
    fail: fn(io::Error) -> SyslogErrorKind,
    mut attempt: impl FnMut() -> io::Result<()>,
) -> Result<(), SyslogErrorKind> {
    let mut pause = FIRST_PAUSE;
    loop {
        match attempt() {
            Ok(()) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error)
                if error.kind() == io::ErrorKind::WouldBlock
                    || error.raw_os_error() == Some(sys::errno::ENOBUFS) => {}
            Err(error) => return Err(fail(error)),
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(SyslogErrorKind::TimedOut);
        }
        thread::sleep(pause.min(left));
        pause = pause.saturating_mul(2).min(MAX_PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    /// Which of the default paths is chosen when exactly `sockets` are sockets.
    fn check(sockets: &[&str], expected: Option<&str>) {
        let is_socket = |path: &Path| sockets.iter().any(|s| Path::new(s) == path);
        assert_eq!(
            find_socket(SOCKET_PATHS, &is_socket),
            expected.map(Path::new),
            "sockets {sockets:?}"
        );
    }

    #[test]
    fn finds_each_systems_socket() {
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("Linux", &["/dev/log"], Some("/dev/log")),
            ("OpenBSD", &["/dev/log"], Some("/dev/log")),
            ("FreeBSD", &["/var/run/log"], Some("/var/run/log")),
            ("macOS", &["/var/run/syslog"], Some("/var/run/syslog")),
            (
                "two daemons",
                &["/var/run/syslog", "/var/run/log"],
                Some("/var/run/log"),
            ),
            ("no daemon", &[], None),
        ];
        for &(_system, sockets, expected) in cases {
            check(sockets, expected);
        }
    }

    #[test]
    fn passes_over_paths_that_are_not_sockets() {
        let dir = std::env::temp_dir().join(format!("vpn-log-unit-find-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("log")).unwrap();
        let socket = dir.join("syslog");
        let _listener = UnixListener::bind(&socket).unwrap();
        std::fs::write(dir.join("file"), b"").unwrap();
        let paths: Vec<String> = ["missing", "log", "file", "syslog"]
            .iter()
            .map(|name| dir.join(name).to_string_lossy().into_owned())
            .collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(find_socket(&paths, &is_socket), Some(socket.as_path()));
        assert_eq!(find_socket(&paths[..3], &is_socket), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn gives_up_on_a_full_queue_within_the_budget() {
        let dir = std::env::temp_dir().join(format!("vpn-log-unit-full-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log");
        let _receiver = UnixDatagram::bind(&path).unwrap();
        let _fillers = fill_queue(&path);
        let budget = Duration::from_millis(50);
        let start = Instant::now();
        let error = send(&path, b"<30>x", budget).unwrap_err();
        let took = start.elapsed();
        assert!(matches!(error.kind, SyslogErrorKind::TimedOut), "{error}");
        assert!(took >= budget && took < budget * 4, "took {took:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: the syslog daemon did not take the message within 50 ms \
                 (queue full or daemon stalled)",
                path.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Sends to the never-read socket at `path` until a fresh sender cannot send even once:
    /// then the receiver's queue, not a sender's buffer, is full. The senders must stay open.
    fn fill_queue(path: &Path) -> Vec<UnixDatagram> {
        let mut fillers = Vec::new();
        loop {
            let filler = UnixDatagram::unbound().unwrap();
            filler.connect(path).unwrap();
            filler.set_nonblocking(true).unwrap();
            let mut sent = 0;
            while filler.send(b"x").is_ok() {
                sent += 1;
            }
            fillers.push(filler);
            if sent == 0 {
                return fillers;
            }
        }
    }

    #[test]
    fn describes_failures_with_the_path() {
        let missing = Path::new("/nonexistent/vpn-log/log");
        let error = send(missing, b"<30>x", SEND_BUDGET).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/vpn-log/log: cannot connect: "),
            "{error}"
        );
        assert_eq!(
            SyslogError::no_socket().to_string(),
            "no socket at /dev/log, /var/run/log, /var/run/syslog"
        );
    }
}
