//! One run of a hook, from arguments and environment to exit status.
//!
//! `main` gathers what comes from outside (arguments, environment, clock) and `run` does the
//! rest; the exit status is decided in one place, [`exit_status`]. Whatever goes wrong, the
//! record is still made and, if it cannot be delivered, written to stderr: the server's log is
//! the last place where it is not lost.

use crate::cli::{self, Command, Options};
use crate::diag::Diagnostics;
use crate::env::HookEnv;
use crate::record::write_classic;
use crate::session::{Event, Session};
use crate::sink::file;
use crate::time::{system_zone, Zone};
#[cfg(feature = "syslog")]
use crate::{cli::SyslogOptions, sink::syslog, time::LocalTime};
use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

/// The whole program behind `vpn-connect-log` and `vpn-disconnect-log`.
pub fn main(event: Event) -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let env = HookEnv::from_process();
    ExitCode::from(run(event, &args, &env, now()))
}

/// Seconds since the epoch by the system clock (negative before 1970).
fn now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// How a run ended, before it becomes an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The record was delivered, or help/version was printed.
    Done,
    /// The record was not delivered (it went to stderr), or the command line was wrong.
    Failed,
}

/// The one place where exit statuses are chosen: OpenVPN rejects a connecting client on any
/// non-zero status, so failure shows in the status only when the administrator asked for it.
fn exit_status(outcome: Outcome, strict: bool) -> u8 {
    match (outcome, strict) {
        (Outcome::Failed, true) => 1,
        _ => 0,
    }
}

/// Runs one hook event with explicit inputs; returns the exit status.
pub fn run(event: Event, args: &[OsString], env: &HookEnv, now: i64) -> u8 {
    let program = event.program();
    let (options, usage_failed) = match cli::parse(event, args) {
        Ok(Command::Help) => return print_stdout(&cli::help(event)),
        Ok(Command::Version) => return print_stdout(&cli::version(event)),
        Ok(Command::Run(options)) => (options, false),
        Err(error) => {
            // Honour the flags we can still recognise, and log to stderr only.
            let options = Options {
                strict: cli::mentions(args, &["--strict"]),
                quiet: cli::mentions(args, &["-q", "--quiet"]),
                ..Options::default()
            };
            let diag = Diagnostics::new(program, options.quiet);
            diag.say(&[
                b"usage error: ",
                error.to_string().as_bytes(),
                b" (see --help)",
            ]);
            (options, true)
        }
    };
    let diag = Diagnostics::new(program, options.quiet);

    let zone = if options.utc {
        Zone::utc()
    } else {
        let (zone, warning) = system_zone(env);
        if let Some(warning) = warning {
            diag.say(&[b"warning: ", warning.as_str().as_bytes(), b"; using UTC"]);
        }
        zone
    };

    let (session, warnings) = Session::from_env(event, env, now);
    for w in &warnings {
        diag.bad_value(w.variable, w.value, w.problem, w.fallback);
    }
    let mut record = Vec::with_capacity(256);
    write_classic(&mut record, &session, &zone);

    if usage_failed {
        diag.undelivered(&record);
        return exit_status(Outcome::Failed, options.strict);
    }
    let outcome = deliver(event, &options, &record, &diag, &zone, now);
    exit_status(outcome, options.strict)
}

/// Sends `record` where the options say: the file (the default one unless `--file` is given)
/// unless only `--syslog` is given, and syslog with `--syslog`. If it did not reach them all,
/// says why and keeps it on stderr, once.
#[cfg_attr(not(feature = "syslog"), allow(unused_variables))]
fn deliver(
    event: Event,
    options: &Options,
    record: &[u8],
    diag: &Diagnostics,
    zone: &Zone,
    now: i64,
) -> Outcome {
    #[cfg(feature = "syslog")]
    let syslog = options.syslog.as_ref();
    #[cfg(not(feature = "syslog"))]
    let syslog: Option<()> = None;

    let mut delivered = true;
    if options.file.is_some() || syslog.is_none() {
        delivered &= deliver_file(event, options, record, diag);
    }
    #[cfg(feature = "syslog")]
    if let Some(settings) = syslog {
        delivered &= deliver_syslog(event, settings, record, diag, &zone.local_time(now));
    }
    if delivered {
        Outcome::Done
    } else {
        diag.undelivered(record);
        Outcome::Failed
    }
}

/// Appends `record` to the file (or stdout); says why not on failure.
fn deliver_file(event: Event, options: &Options, record: &[u8], diag: &Diagnostics) -> bool {
    let path: &Path = match &options.file {
        Some(path) => Path::new(path),
        None => Path::new(cli::default_file(event)),
    };
    let result = if path.as_os_str() == "-" {
        file::write_stdout(record)
    } else {
        file::append(path, record)
    };
    match result {
        Ok(()) => true,
        Err(error) => {
            use std::os::unix::ffi::OsStrExt;
            diag.say(&[
                path.as_os_str().as_bytes(),
                b": ",
                error.to_string().as_bytes(),
            ]);
            false
        }
    }
}

/// Sends `record` to the local syslog daemon as made at `time`; says why not on failure.
#[cfg(feature = "syslog")]
fn deliver_syslog(
    event: Event,
    settings: &SyslogOptions,
    record: &[u8],
    diag: &Diagnostics,
    time: &LocalTime,
) -> bool {
    let tag = settings
        .tag
        .as_deref()
        .unwrap_or(event.program().as_bytes());
    let mut message = Vec::with_capacity(record.len().saturating_add(80));
    let whole = syslog::wire::write_message(
        &mut message,
        settings.facility,
        time,
        tag,
        std::process::id(),
        record,
    );
    let path = match &settings.socket {
        Some(path) => Some(Path::new(path)),
        None => syslog::find_socket(syslog::SOCKET_PATHS, &syslog::is_socket),
    };
    let result = match path {
        Some(path) => syslog::send(path, &message, syslog::SEND_BUDGET),
        None => Err(syslog::SyslogError::no_socket()),
    };
    match result {
        // Cannot happen with today's records (well under 1024 bytes), but if it did, the
        // whole record must survive somewhere: the caller puts it on stderr.
        Ok(()) if !whole => {
            diag.say(&[b"syslog: record too long for one message, sent cut"]);
            false
        }
        Ok(()) => true,
        Err(error) => {
            diag.say(&[b"syslog: ", error.to_string().as_bytes()]);
            false
        }
    }
}

/// Prints help or version text; a failure to print is not worth a non-zero status.
fn print_stdout(text: &[u8]) -> u8 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text);
    let _ = std::io::stdout().flush();
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_is_non_zero_only_when_strict_and_failed() {
        let cases = [
            (Outcome::Done, false, 0),
            (Outcome::Done, true, 0),
            (Outcome::Failed, false, 0),
            (Outcome::Failed, true, 1),
        ];
        for (outcome, strict, expected) in cases {
            assert_eq!(
                exit_status(outcome, strict),
                expected,
                "{outcome:?} strict={strict}"
            );
        }
    }
}
