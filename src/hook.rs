//! One run of a hook, from arguments and environment to exit status.
//!
//! `main` gathers what comes from outside (arguments, environment, clock) and `run` does the
//! rest; the exit status is decided in one place, `exit_status`. Whatever goes wrong, the
//! record is still made and, if it cannot be delivered, written to stderr: the server's log is
//! the last place where it is not lost. The one exception is a client that a chained
//! client-connect command rejected: that client never connected, so there is nothing to record.

use crate::chain::{self, Chain};
use crate::cli::{self, Command, Format, Options, SyslogOptions};
use crate::diag::Diagnostics;
use crate::env::HookEnv;
use crate::json::{self, write_json};
use crate::privacy;
use crate::record::write_classic;
use crate::session::{Event, Session};
use crate::sink::{self, file, SyslogFailure, SyslogMessage};
use crate::time::{system_zone, Zone};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
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
    /// No record was made: the chained client-connect command rejected the client or could not
    /// be run.
    Withheld,
}

/// What a chained command (`-- COMMAND`) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chained {
    /// There was no `--`.
    No,
    /// It ran and ended with this status, as a shell shows it (0: success).
    Ended(u8),
    /// It could not be started.
    NotRun,
}

/// The status for a chained command that could not be started: what OpenVPN's own child
/// exits with when `execve(2)` fails (`OPENVPN_EXECVE_FAILURE`), whatever the reason.
const NOT_RUN_STATUS: u8 = 127;

/// The one place where exit statuses are chosen: OpenVPN rejects a connecting client on any
/// non-zero status, so a failure of our own shows in the status only when the administrator
/// asked for it. A chained client-connect command's failure always does: it is that command's
/// verdict on the client, and a rejected client must stay rejected. OpenVPN ignores the status
/// of client-disconnect, so there it is passed on only with `--strict`.
fn exit_status(event: Event, outcome: Outcome, chained: Chained, strict: bool) -> u8 {
    let command = match chained {
        Chained::No => 0,
        Chained::Ended(status) => status,
        Chained::NotRun => NOT_RUN_STATUS,
    };
    if command != 0 && (event == Event::Connect || strict) {
        return command;
    }
    match (outcome, strict) {
        (Outcome::Failed, true) => 1,
        _ => 0,
    }
}

/// Runs one hook event with explicit inputs; returns the exit status.
pub fn run(event: Event, args: &[OsString], env: &HookEnv, now: i64) -> u8 {
    let program = event.program();
    let (options, usage_error) = match cli::parse(event, args) {
        Ok(Command::Help) => return print_stdout(cli::help(event).as_bytes()),
        Ok(Command::Version) => return print_stdout(&cli::version(event)),
        Ok(Command::Run(options)) => (options, None),
        // The record then goes to stderr only; `--strict`, `--quiet` and COMMAND still count.
        Err(invalid) => {
            let (error, options) = invalid.into_parts();
            (options, Some(error))
        }
    };
    let diag = Diagnostics::new(program, options.quiet);
    if let Some(error) = &usage_error {
        diag.say(&[b"usage error: ", &error.message(), b" (see --help)"]);
    }

    let zone = if options.utc {
        Zone::utc()
    } else {
        let (zone, warning) = system_zone(env);
        if let Some(warning) = warning {
            diag.say(&[b"warning: ", &warning.message(), b"; using UTC"]);
        }
        zone
    };

    let (mut session, mut warnings) = Session::from_env(event, env, now);
    privacy::apply(options.real_address, &mut session, &mut warnings);
    for w in &warnings {
        diag.bad_value(w.variable, w.value, w.problem, w.fallback);
    }

    // Connect: the chained command decides first whether there is a connection to record.
    let mut chained = Chained::No;
    let mut deferred = false;
    if let (Event::Connect, Some(chain)) = (event, &options.chain) {
        chained = run_chain(event, chain, &diag);
        if chained != Chained::Ended(0) {
            return exit_status(event, Outcome::Withheld, chained, options.strict);
        }
        deferred = read_deferred(env, &diag);
    }

    let mut record = Vec::with_capacity(512);
    match options.format {
        Format::Classic => write_classic(&mut record, &session, &zone),
        Format::Json => {
            let context = json::Context {
                now,
                instance: options.instance.as_deref().map(|name| name.as_bytes()),
                deferred,
            };
            write_json(&mut record, &session, &zone, &context);
        }
    }
    let outcome = if usage_error.is_some() {
        diag.undelivered(&record);
        Outcome::Failed
    } else {
        let delivery = Delivery {
            event,
            options: &options,
            diag: &diag,
            zone: &zone,
            now,
        };
        delivery.send(&record)
    };

    // Disconnect: the record is out first, so a command that hangs or crashes cannot cost it.
    if let (Event::Disconnect, Some(chain)) = (event, &options.chain) {
        chained = run_chain(event, chain, &diag);
    }
    exit_status(event, outcome, chained, options.strict)
}

/// Runs the chained command and says on stderr when it failed.
fn run_chain(event: Event, chain: &Chain, diag: &Diagnostics) -> Chained {
    let (chained, problem) = match chain.run() {
        Ok(0) => return Chained::Ended(0),
        Ok(status) => {
            let mut problem = b" exited with status ".to_vec();
            crate::numbers::write_u64(&mut problem, u64::from(status));
            (Chained::Ended(status), problem)
        }
        Err(error) => (Chained::NotRun, [&b": "[..], &error.message()].concat()),
    };
    let consequence: &[u8] = match event {
        Event::Connect => b"; client rejected, not recorded",
        Event::Disconnect => b"",
    };
    diag.say(&[chain.program.as_bytes(), &problem, consequence]);
    chained
}

/// Whether the chained client-connect command deferred its decision; a deferred-file that
/// cannot be read is reported and taken as not deferred.
fn read_deferred(env: &HookEnv, diag: &Diagnostics) -> bool {
    match chain::deferred(env) {
        Ok(deferred) => deferred,
        Err(error) => {
            diag.say(&[
                b"warning: client_connect_deferred_file: ",
                &error.message(),
                b"; recording the connection as not deferred",
            ]);
            false
        }
    }
}

/// Where a finished record goes, and what to say if it does not get there.
struct Delivery<'a> {
    event: Event,
    options: &'a Options,
    diag: &'a Diagnostics,
    /// The zone and the clock: the syslog timestamp.
    zone: &'a Zone,
    now: i64,
}

impl Delivery<'_> {
    /// Sends `record` where the options say: the file (the default one unless `--file` is
    /// given) unless only `--syslog` is given, and syslog with `--syslog`. If it did not reach
    /// them all, says why and keeps it on stderr, once.
    fn send(&self, record: &[u8]) -> Outcome {
        let syslog = self.options.syslog.as_ref();
        let mut delivered = true;
        if self.options.file.is_some() || syslog.is_none() {
            delivered &= self.to_file(record);
        }
        if let Some(settings) = syslog {
            delivered &= self.to_syslog(settings, record);
        }
        if delivered {
            Outcome::Done
        } else {
            self.diag.undelivered(record);
            Outcome::Failed
        }
    }

    /// Appends `record` to the file (or stdout); says why not on failure.
    fn to_file(&self, record: &[u8]) -> bool {
        let path: &Path = match &self.options.file {
            Some(path) => Path::new(path),
            None => Path::new(cli::default_file(self.event)),
        };
        let result = if path.as_os_str() == "-" {
            file::write_stdout(record)
        } else {
            file::append(path, record)
        };
        match result {
            Ok(()) => true,
            Err(error) => {
                self.diag
                    .say(&[path.as_os_str().as_bytes(), b": ", &error.message()]);
                false
            }
        }
    }

    /// Sends `record` to the local syslog daemon; says why not on failure. A record too long
    /// for one message (see `wire::MAX_MESSAGE`) is sent cut, marked as cut, and counts as not
    /// delivered: the caller keeps it whole on stderr.
    fn to_syslog(&self, settings: &SyslogOptions, record: &[u8]) -> bool {
        let message = SyslogMessage {
            facility: settings.facility,
            time: &self.zone.local_time(self.now),
            tag: match &settings.tag {
                Some(tag) => tag,
                None => self.event.program().as_bytes(),
            },
            pid: std::process::id(),
            record,
        };
        let socket = settings.socket.as_deref().map(Path::new);
        match sink::send_to_syslog(socket, &message) {
            Ok(()) => true,
            Err(SyslogFailure::SentCut) => {
                self.diag
                    .say(&[b"syslog: record too long for one message, sent cut"]);
                false
            }
            Err(SyslogFailure::NotSent(error)) => {
                self.diag.say(&[b"syslog: ", &error]);
                false
            }
        }
    }
}

/// Prints help or version text; a failure to print is not worth a non-zero status.
fn print_stdout(text: &[u8]) -> u8 {
    use std::io::Write;
    let _ = crate::sys::stdout().write_all(text);
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
        for event in [Event::Connect, Event::Disconnect] {
            for (outcome, strict, expected) in cases {
                assert_eq!(
                    exit_status(event, outcome, Chained::No, strict),
                    expected,
                    "{event:?} {outcome:?} strict={strict}"
                );
            }
        }
    }

    #[test]
    fn a_chained_connect_command_decides_and_disconnect_only_when_strict() {
        use Event::{Connect, Disconnect};
        use Outcome::{Done, Failed, Withheld};
        let cases = [
            // Connect: the command's failure is the client's rejection, always.
            (Connect, Done, Chained::Ended(0), false, 0),
            (Connect, Failed, Chained::Ended(0), false, 0),
            (Connect, Failed, Chained::Ended(0), true, 1),
            (Connect, Withheld, Chained::Ended(1), false, 1),
            (Connect, Withheld, Chained::Ended(3), false, 3),
            (Connect, Withheld, Chained::Ended(137), true, 137),
            (Connect, Withheld, Chained::NotRun, false, 127),
            // Disconnect: OpenVPN ignores the status; passed on with --strict only.
            (Disconnect, Done, Chained::Ended(0), true, 0),
            (Disconnect, Done, Chained::Ended(3), false, 0),
            (Disconnect, Failed, Chained::Ended(3), false, 0),
            (Disconnect, Done, Chained::Ended(3), true, 3),
            (Disconnect, Failed, Chained::Ended(3), true, 3),
            (Disconnect, Failed, Chained::Ended(0), true, 1),
            (Disconnect, Done, Chained::NotRun, false, 0),
            (Disconnect, Done, Chained::NotRun, true, 127),
        ];
        for (event, outcome, chained, strict, expected) in cases {
            assert_eq!(
                exit_status(event, outcome, chained, strict),
                expected,
                "{event:?} {outcome:?} {chained:?} strict={strict}"
            );
        }
    }
}
