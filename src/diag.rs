//! Diagnostics on standard error, which OpenVPN copies into its own log.
//!
//! Every message is one line, `<program>: <text>`, written with one `write(2)` and with errors
//! ignored: the standard printing macros panic when stderr is a closed pipe, and a panic would abort the hook
//! and, on connect, reject the user. SIGPIPE is ignored by the Rust runtime, so a broken pipe
//! only makes the write fail.

use crate::escape::write_escaped;
use std::io::Write;

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
        if self.quiet {
            return;
        }
        let mut line = Vec::with_capacity(128);
        line.extend_from_slice(self.program.as_bytes());
        line.extend_from_slice(b": ");
        for part in parts {
            line.extend_from_slice(part);
        }
        line.push(b'\n');
        write_stderr(&line);
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

/// One write to stderr; failures (a closed pipe, a full disk) are ignored, there is nowhere
/// left to report them.
fn write_stderr(line: &[u8]) {
    let _ = std::io::stderr().write_all(line);
}
