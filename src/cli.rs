//! The command line of both programs.
//!
//! OpenVPN splits the `client-connect` / `client-disconnect` string into words itself and, for
//! client-connect only, appends one more argument: the path of a temporary file for client
//! configuration directives. That path is accepted as the one positional argument and left
//! alone.
//!
//! With `--`, everything after it is a command to run first (see [`crate::chain`]): COMMAND and
//! its arguments are passed on as they are, and OpenVPN's temporary file, which it appends after
//! everything, ends up as COMMAND's last argument — exactly where COMMAND would have found it if
//! OpenVPN had run it directly.
//!
//! Parsing is strict (an unknown option is an error, not silently ignored) but an error never
//! stops the record: [`parse`] reads on after the first error and returns, with the error, what
//! the caller can still honour ([`Invalid`]); the caller keeps the record on stderr.
//!
//! The syslog options are parsed in every build. A build without the `syslog` feature rejects
//! them in one place (the first arm of `Parser::option`), saying that it cannot log to syslog
//! rather than "unknown option"; only the sending (`sink::syslog`) is left out of such a build.

use crate::chain::Chain;
use crate::escape::{write_escaped, NAME_CAP};
use crate::privacy::RealAddressMode;
use crate::session::Event;
use crate::sink::wire::{is_valid_tag, Facility, MAX_TAG};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::iter::Peekable;
use std::os::unix::ffi::OsStrExt;
use std::slice;

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Log the event.
    Run(Options),
    /// `-h`, `--help`: print the help text ([`help`]).
    Help,
    /// `-V`, `--version`: print the version.
    Version,
}

/// Options for logging an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `-f`, `--file`: where to append; `-` is standard output. `None`: the default path.
    pub file: Option<OsString>,
    /// `--utc`: print times in UTC instead of the host's local time.
    pub utc: bool,
    /// `--strict`: exit 1 when the record was not delivered or the command line is wrong.
    pub strict: bool,
    /// `-q`, `--quiet`: no diagnostics on stderr.
    pub quiet: bool,
    /// The positional argument OpenVPN appends for client-connect; never opened. With `--`,
    /// the last argument of all, which is also passed on to COMMAND.
    pub config_file: Option<OsString>,
    /// `--format`: the record's form.
    pub format: Format,
    /// `--instance`: the name of this server instance, validated by [`valid_instance`].
    pub instance: Option<OsString>,
    /// `--real-address`: how much of the client's real address the record keeps.
    pub real_address: RealAddressMode,
    /// `-- COMMAND [ARGS...]`: a hook to run first.
    pub chain: Option<Chain>,
    /// `--syslog` and its settings: send the record to the local syslog daemon, instead of
    /// the default file or, with an explicit `--file`, as well as to it. Always `None` in a
    /// build without the `syslog` feature.
    pub syslog: Option<SyslogOptions>,
}

/// The settings of `--syslog`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyslogOptions {
    /// `--facility`; severity is always `info`.
    pub facility: Facility,
    /// `--tag`, checked by [`is_valid_tag`]; without it, `PROGRAM/NAME` with `--instance NAME`
    /// (filled in by [`parse`]); `None`: the program's name.
    pub tag: Option<Vec<u8>>,
    /// `--syslog-socket`; `None`: the first socket among `sink::wire::SOCKET_PATHS`.
    pub socket: Option<OsString>,
}

/// The form of the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// The one-line text of the shell scripts.
    #[default]
    Classic,
    /// One JSON object per line (see [`crate::json`]).
    Json,
}

/// The longest `--instance` name, in bytes.
pub const INSTANCE_CAP: usize = 64;

/// The longest `--instance` name that can go into the syslog tag: `vpn-disconnect-log/NAME`
/// must fit the 32 characters RFC 3164 allows a tag. The same limit holds for both programs,
/// so that one name works for both.
pub const INSTANCE_TAG_CAP: usize = MAX_TAG - "vpn-disconnect-log/".len();

/// Whether this build can send to syslog (feature `syslog`). Without it the syslog options are
/// refused in one place, the first arm of `Parser::option`; `Parser::finish` tests it too, only
/// so that the compiler leaves out the code that would use syslog settings such a build never
/// has (about 650 bytes).
const SYSLOG_BUILT_IN: bool = cfg!(feature = "syslog");

/// The options, by every name each can be given: [`parse`] knows an option only through this
/// table, and a test checks that both help texts show every name in it.
const OPTIONS: &[(&str, Opt)] = &[
    ("-f", Opt::File),
    ("--file", Opt::File),
    ("--format", Opt::Format),
    ("--instance", Opt::Instance),
    ("--real-address", Opt::RealAddress),
    ("--utc", Opt::Utc),
    ("--strict", Opt::Strict),
    ("-q", Opt::Quiet),
    ("--quiet", Opt::Quiet),
    ("-h", Opt::Help),
    ("--help", Opt::Help),
    ("-V", Opt::Version),
    ("--version", Opt::Version),
    ("--syslog", Opt::Syslog),
    ("--facility", Opt::Facility),
    ("--tag", Opt::Tag),
    ("--syslog-socket", Opt::SyslogSocket),
];

/// An option, whatever name it was given by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opt {
    File,
    Format,
    Instance,
    RealAddress,
    Utc,
    Strict,
    Quiet,
    Help,
    Version,
    Syslog,
    Facility,
    Tag,
    SyslogSocket,
}

/// What is wrong with a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    kind: UsageErrorKind,
    argument: OsString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UsageErrorKind {
    UnknownOption,
    MissingValue,
    UnexpectedValue,
    UnexpectedArgument,
    UnknownFormat,
    InvalidInstance,
    InvalidRealAddress,
    MissingCommand,
    /// `--syslog` without `--tag`, and an `--instance` too long for the tag it would make.
    InstanceTooLongForTag,
    UnknownFacility,
    InvalidTag,
    /// `--facility`, `--tag` or `--syslog-socket` without `--syslog`: almost certainly a
    /// forgotten `--syslog`, which would send the record to the file unnoticed.
    NeedsSyslog,
    /// A syslog option in a build without the `syslog` feature.
    NoSyslogSupport,
}

impl UsageError {
    fn new(kind: UsageErrorKind, argument: &OsStr) -> UsageError {
        UsageError {
            kind,
            argument: argument.to_owned(),
        }
    }
}

impl UsageError {
    /// The problem, then the argument in quotes, escaped as records escape names: it may hold
    /// anything, a newline included. Written without `core::fmt` (whose machinery costs the
    /// binaries some 13 KB).
    pub fn message(&self) -> Vec<u8> {
        let what = match self.kind {
            UsageErrorKind::UnknownOption => "unknown option",
            UsageErrorKind::MissingValue => "missing value for option",
            UsageErrorKind::UnexpectedValue => "option takes no value",
            UsageErrorKind::UnexpectedArgument => "unexpected argument",
            UsageErrorKind::UnknownFormat => "unknown format (classic or json)",
            UsageErrorKind::InvalidInstance => {
                "invalid instance name (1 to 64 of A-Z a-z 0-9 . _ -)"
            }
            UsageErrorKind::InvalidRealAddress => {
                "unknown real address mode (full, network, network:V4,V6 or none)"
            }
            UsageErrorKind::MissingCommand => "missing command after",
            UsageErrorKind::InstanceTooLongForTag => {
                "instance name longer than 13 characters, too long for the syslog tag \
                 (give --tag)"
            }
            UsageErrorKind::UnknownFacility => "unknown syslog facility",
            UsageErrorKind::InvalidTag => {
                "syslog tag is not 1 to 32 printable ASCII characters without ':', '[' or ']'"
            }
            UsageErrorKind::NeedsSyslog => "option needs --syslog",
            UsageErrorKind::NoSyslogSupport => "this build has no syslog support, option",
        };
        let mut message = Vec::with_capacity(what.len() + self.argument.len() + 3);
        message.extend_from_slice(what.as_bytes());
        message.extend_from_slice(b" '");
        write_escaped(&mut message, self.argument.as_bytes(), NAME_CAP);
        message.push(b'\'');
        message
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

/// A command line that did not parse: the first error, and what can still be honoured. The
/// record goes to stderr whatever the other options say, but the exit status, the diagnostics
/// and the chained command (which may be what rejects the client) are still as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub error: UsageError,
    /// `--strict` was given.
    pub strict: bool,
    /// `-q` or `--quiet` was given.
    pub quiet: bool,
    /// `-- COMMAND [ARGS...]`.
    pub chain: Option<Chain>,
    /// `--real-address`: the record on stderr keeps no more than asked for; `none` when the
    /// mode given could not be read.
    pub real_address: RealAddressMode,
}

impl Invalid {
    /// The error, and the options to go on with: what was recovered, everything else at its
    /// default.
    pub fn into_parts(self) -> (UsageError, Options) {
        let options = Options {
            strict: self.strict,
            quiet: self.quiet,
            chain: self.chain,
            real_address: self.real_address,
            ..Options::default()
        };
        (self.error, options)
    }
}

/// The default log file of each program: the paths of the scripts it replaces.
pub fn default_file(event: Event) -> &'static str {
    match event {
        Event::Connect => "/var/log/openvpn/remote.connect",
        Event::Disconnect => "/var/log/openvpn-disconnect.log",
    }
}

/// Parses the arguments after the program name. After an error it reads on, so that the
/// flags given later still count in [`Invalid`]; the first error is the one reported.
pub fn parse(event: Event, args: &[OsString]) -> Result<Command, Invalid> {
    let mut parser = Parser {
        event,
        options: Options::default(),
        syslog: false,
        settings: SyslogOptions::default(),
        first_setting: None,
    };
    let mut error = None;
    // The first `--` is always the separator: no option accepts `--` as its value.
    let (own, chain) = match args.iter().position(|arg| arg == "--") {
        Some(at) => (args.get(..at).unwrap_or_default(), args.get(at + 1..)),
        None => (args, None),
    };
    match chain.map(<[OsString]>::split_first) {
        None => {}
        Some(None) => {
            error = Some(UsageError::new(
                UsageErrorKind::MissingCommand,
                "--".as_ref(),
            ))
        }
        Some(Some((program, rest))) => {
            // OpenVPN appends its temporary file after everything: with `--` it can only be
            // last.
            if event == Event::Connect {
                parser.options.config_file = rest.last().cloned();
            }
            parser.options.chain = Some(Chain {
                program: program.clone(),
                args: rest.to_vec(),
            });
        }
    }
    let mut words = own.iter().peekable();
    while let Some(arg) = words.next() {
        match parser.option(arg, &mut words) {
            Ok(Some(command)) if error.is_none() => return Ok(command),
            Ok(_) => {}
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    }
    match error.map_or_else(|| parser.finish(), Err) {
        Ok(options) => Ok(Command::Run(options)),
        Err(error) => Err(Invalid {
            error,
            strict: parser.options.strict,
            quiet: parser.options.quiet,
            chain: parser.options.chain,
            real_address: parser.options.real_address,
        }),
    }
}

/// The state of [`parse`].
struct Parser<'a> {
    event: Event,
    options: Options,
    /// `--syslog` itself, its settings, and the first setting given (for the error when
    /// `--syslog` is missing).
    syslog: bool,
    settings: SyslogOptions,
    first_setting: Option<&'a OsString>,
}

/// The arguments not read yet.
type Words<'a> = Peekable<slice::Iter<'a, OsString>>;

impl<'a> Parser<'a> {
    /// Takes `arg` and, if it is an option with a separate value, the value from `words`.
    /// Returns the command for `--help` and `--version`, which end parsing.
    fn option(
        &mut self,
        arg: &'a OsString,
        words: &mut Words<'a>,
    ) -> Result<Option<Command>, UsageError> {
        let bytes = arg.as_bytes();
        // `--name=value` is split here; `-f VALUE` and `--file VALUE` take the next argument.
        let (name, inline_value) = match bytes.iter().position(|&b| b == b'=') {
            Some(eq) if bytes.starts_with(b"--") => {
                let (name, equals_value) = bytes.split_at(eq);
                (name, equals_value.get(1..))
            }
            _ => (bytes, None),
        };
        let Some(&(_, option)) = OPTIONS.iter().find(|(known, _)| known.as_bytes() == name) else {
            return self.positional(arg).map(|()| None);
        };
        let error = |kind| UsageError::new(kind, arg);
        let flag = |set: &mut bool| match inline_value {
            Some(_) => Err(error(UsageErrorKind::UnexpectedValue)),
            None => {
                *set = true;
                Ok(None)
            }
        };
        let mut value = || value(arg, inline_value, words);
        let settings = &mut self.settings;
        match option {
            // The one place that knows whether this build can send to syslog.
            Opt::Syslog | Opt::Facility | Opt::Tag | Opt::SyslogSocket if !SYSLOG_BUILT_IN => {
                Err(error(UsageErrorKind::NoSyslogSupport))
            }
            Opt::Help => Ok(Some(Command::Help)),
            Opt::Version => Ok(Some(Command::Version)),
            Opt::Utc => flag(&mut self.options.utc),
            Opt::Strict => flag(&mut self.options.strict),
            Opt::Quiet => flag(&mut self.options.quiet),
            Opt::Syslog => flag(&mut self.syslog),
            Opt::File => {
                self.options.file = Some(value()?);
                Ok(None)
            }
            Opt::Format => {
                let value = value()?;
                self.options.format = match value.as_bytes() {
                    b"classic" => Format::Classic,
                    b"json" => Format::Json,
                    _ => return Err(UsageError::new(UsageErrorKind::UnknownFormat, &value)),
                };
                Ok(None)
            }
            Opt::Instance => {
                let value = value()?;
                if !valid_instance(value.as_bytes()) {
                    return Err(UsageError::new(UsageErrorKind::InvalidInstance, &value));
                }
                self.options.instance = Some(value);
                Ok(None)
            }
            Opt::RealAddress => {
                // Until a valid mode is read, a record kept on stderr after a usage error keeps
                // no real address: privacy was asked for, and how much is unknown.
                self.options.real_address = RealAddressMode::None;
                let value = value()?;
                self.options.real_address = RealAddressMode::parse(value.as_bytes())
                    .ok_or_else(|| UsageError::new(UsageErrorKind::InvalidRealAddress, &value))?;
                Ok(None)
            }
            Opt::Facility => {
                let name = value()?;
                settings.facility = Facility::from_name(name.as_bytes())
                    .ok_or_else(|| UsageError::new(UsageErrorKind::UnknownFacility, &name))?;
                self.first_setting.get_or_insert(arg);
                Ok(None)
            }
            Opt::Tag => {
                let tag = value()?;
                if !is_valid_tag(tag.as_bytes()) {
                    return Err(UsageError::new(UsageErrorKind::InvalidTag, &tag));
                }
                settings.tag = Some(tag.as_bytes().to_vec());
                self.first_setting.get_or_insert(arg);
                Ok(None)
            }
            Opt::SyslogSocket => {
                settings.socket = Some(value()?);
                self.first_setting.get_or_insert(arg);
                Ok(None)
            }
        }
    }

    /// An argument that is no option: OpenVPN's temporary file, at client-connect only.
    fn positional(&mut self, arg: &OsString) -> Result<(), UsageError> {
        // A lone `-` is a value (stdout), not an option; anything else starting with `-` is an
        // option we do not know.
        if looks_like_option(arg) {
            return Err(UsageError::new(UsageErrorKind::UnknownOption, arg));
        }
        // With `--`, OpenVPN's temporary file comes after COMMAND, so nothing is expected here.
        let options = &mut self.options;
        if self.event != Event::Connect || options.config_file.is_some() || options.chain.is_some()
        {
            return Err(UsageError::new(UsageErrorKind::UnexpectedArgument, arg));
        }
        options.config_file = Some(arg.clone());
        Ok(())
    }

    /// The options of a line that parsed, with the checks that need the whole line.
    fn finish(&mut self) -> Result<Options, UsageError> {
        let mut settings = std::mem::take(&mut self.settings);
        // Always false without the feature (see `SYSLOG_BUILT_IN`).
        let syslog = self.syslog && SYSLOG_BUILT_IN;
        if let (true, None, Some(instance)) = (syslog, &settings.tag, &self.options.instance) {
            if instance.len() > INSTANCE_TAG_CAP {
                return Err(UsageError::new(
                    UsageErrorKind::InstanceTooLongForTag,
                    instance,
                ));
            }
            let tag = [self.event.program().as_bytes(), b"/", instance.as_bytes()].concat();
            settings.tag = Some(tag);
        }
        if syslog {
            self.options.syslog = Some(settings);
        } else if let Some(setting) = self.first_setting {
            return Err(UsageError::new(UsageErrorKind::NeedsSyslog, setting));
        }
        Ok(std::mem::take(&mut self.options))
    }
}

/// Whether `arg` is an option (or a mistyped one) rather than a value: it starts with `-` and
/// is not `-` itself.
fn looks_like_option(arg: &OsStr) -> bool {
    arg.as_bytes().starts_with(b"-") && arg != "-"
}

/// The value of option `arg`: after its `=`, or the next argument. Never empty, and never
/// starting with `-` unless it is `-` itself. An option-like next argument (`--file --strict`)
/// is almost certainly a forgotten value: it is left to be read as the option it looks like (a
/// path that really starts with `-` can be written `./-name`).
fn value(
    arg: &OsString,
    inline_value: Option<&[u8]>,
    words: &mut Words<'_>,
) -> Result<OsString, UsageError> {
    let value = match inline_value {
        Some(value) => OsStr::from_bytes(value),
        None => words
            .next_if(|next| !looks_like_option(next))
            .map_or(OsStr::new(""), OsString::as_os_str),
    };
    if value.is_empty() || looks_like_option(value) {
        return Err(UsageError::new(UsageErrorKind::MissingValue, arg));
    }
    Ok(value.to_owned())
}

/// Whether `name` can name an instance: 1 to [`INSTANCE_CAP`] bytes of ASCII letters, digits,
/// `.`, `_` and `-`. The name goes into the syslog tag, where a space, `:` or `[` would end the
/// tag early, and into every JSON record, where it should need no escaping.
pub fn valid_instance(name: &[u8]) -> bool {
    (1..=INSTANCE_CAP).contains(&name.len())
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The `--help` text of `event`'s program.
pub fn help(event: Event) -> &'static str {
    match event {
        Event::Connect => CONNECT_HELP,
        Event::Disconnect => DISCONNECT_HELP,
    }
}

/// `vpn-connect-log --help`. The syslog options are shown in every build: a build without the
/// `syslog` feature rejects them with a message that says so.
pub const CONNECT_HELP: &str = "\
vpn-connect-log - log an OpenVPN client connection (client-connect hook)

Usage: vpn-connect-log [OPTIONS] [CONFIG_FILE]
       vpn-connect-log [OPTIONS] -- COMMAND [ARGS...] CONFIG_FILE

CONFIG_FILE is the temporary file OpenVPN appends to the command; it is left alone.
With --, COMMAND runs first, with the same environment and ARGS... CONFIG_FILE: the
record is made only if it exits 0.

Options:
  -f, --file PATH   append the record to PATH ('-': standard output)
                    [default: /var/log/openvpn/remote.connect]
      --format FORMAT
                    classic (the scripts' line) or json (one object a line)
                    [default: classic]
      --instance NAME
                    name this server in JSON records (A-Z a-z 0-9 . _ -)
      --real-address MODE
                    how much of the client's real address to keep: full, network
                    (IPv4 /24, IPv6 /48, no port; network:V4,V6 for other
                    prefix lengths) or none [default: full]
      --utc         print times in UTC instead of local time
      --strict      exit 1 when the record was not delivered or the command line is wrong
  -q, --quiet       no diagnostics on standard error
  -h, --help        print this help and exit
  -V, --version     print the version and exit

Syslog options (a build without syslog support refuses them):
      --syslog      send the record to the local syslog daemon instead of the
                    default file; with --file as well, to both
      --facility NAME
                    syslog facility (the severity is info) [default: daemon]:
                    kern user mail daemon auth syslog lpr news uucp cron
                    authpriv ftp local0 local1 local2 local3 local4 local5 local6 local7
      --tag NAME    syslog tag, at most 32 characters [default: vpn-connect-log,
                    or vpn-connect-log/NAME with --instance NAME]
      --syslog-socket PATH
                    the syslog daemon's socket [default: the first socket of
                    /dev/log /var/run/log /var/run/syslog]

Exit status: 0, even when the record could not be delivered (it is then written to
standard error), unless --strict is given. With --, COMMAND's status when it is not 0
(127 when it cannot be run). See the manual page for the record formats.
";

/// `vpn-disconnect-log --help`, like [`CONNECT_HELP`].
pub const DISCONNECT_HELP: &str = "\
vpn-disconnect-log - log an OpenVPN client disconnection (client-disconnect hook)

Usage: vpn-disconnect-log [OPTIONS] [-- COMMAND [ARGS...]]

With --, COMMAND runs after the record is made, with the same environment and ARGS.

Options:
  -f, --file PATH   append the record to PATH ('-': standard output)
                    [default: /var/log/openvpn-disconnect.log]
      --format FORMAT
                    classic (the scripts' line) or json (one object a line)
                    [default: classic]
      --instance NAME
                    name this server in JSON records (A-Z a-z 0-9 . _ -)
      --real-address MODE
                    how much of the client's real address to keep: full, network
                    (IPv4 /24, IPv6 /48, no port; network:V4,V6 for other
                    prefix lengths) or none [default: full]
      --utc         print times in UTC instead of local time
      --strict      exit 1 when the record was not delivered or the command line is wrong
  -q, --quiet       no diagnostics on standard error
  -h, --help        print this help and exit
  -V, --version     print the version and exit

Syslog options (a build without syslog support refuses them):
      --syslog      send the record to the local syslog daemon instead of the
                    default file; with --file as well, to both
      --facility NAME
                    syslog facility (the severity is info) [default: daemon]:
                    kern user mail daemon auth syslog lpr news uucp cron
                    authpriv ftp local0 local1 local2 local3 local4 local5 local6 local7
      --tag NAME    syslog tag, at most 32 characters [default: vpn-disconnect-log,
                    or vpn-disconnect-log/NAME with --instance NAME]
      --syslog-socket PATH
                    the syslog daemon's socket [default: the first socket of
                    /dev/log /var/run/log /var/run/syslog]

Exit status: 0, even when the record could not be delivered (it is then written to
standard error), unless --strict is given. With -- and --strict, COMMAND's status
when it is not 0. See the manual page for the record formats.
";

/// The `--version` text of `event`'s program.
pub fn version(event: Event) -> Vec<u8> {
    let mut text = Vec::with_capacity(32);
    text.extend_from_slice(event.program().as_bytes());
    text.push(b' ');
    text.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    text.push(b'\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(event: Event, words: &[&str]) -> Result<Command, String> {
        let args: Vec<OsString> = words.iter().map(OsString::from).collect();
        parse(event, &args).map_err(|invalid| invalid.error.to_string())
    }

    fn run(options: Options) -> Result<Command, String> {
        Ok(Command::Run(options))
    }

    #[test]
    fn parses_connect_command_lines() {
        let file = |path: &str| Some(OsString::from(path));
        let cases: &[(&[&str], Result<Command, String>)] = &[
            (&[], run(Options::default())),
            (
                &["-f", "/tmp/x"],
                run(Options {
                    file: file("/tmp/x"),
                    ..Options::default()
                }),
            ),
            (
                &["--file", "-"],
                run(Options {
                    file: file("-"),
                    ..Options::default()
                }),
            ),
            (
                &["--file=/a=b"],
                run(Options {
                    file: file("/a=b"),
                    ..Options::default()
                }),
            ),
            (
                &["--utc", "--strict", "-q", "/tmp/openvpn_cc_1.tmp"],
                run(Options {
                    utc: true,
                    strict: true,
                    quiet: true,
                    config_file: file("/tmp/openvpn_cc_1.tmp"),
                    ..Options::default()
                }),
            ),
            (&["-h", "--bogus"], Ok(Command::Help)),
            (&["--version"], Ok(Command::Version)),
            (&["--bogus"], Err("unknown option '--bogus'".into())),
            (&["-x"], Err("unknown option '-x'".into())),
            (&["--file"], Err("missing value for option '--file'".into())),
            (
                &["--file="],
                Err("missing value for option '--file='".into()),
            ),
            (
                &["--utc=yes"],
                Err("option takes no value '--utc=yes'".into()),
            ),
            (&["a", "b"], Err("unexpected argument 'b'".into())),
            // What is quoted is escaped as records escape names: no second line, no early quote.
            (&["a", "b\nc"], Err(r"unexpected argument 'b\x0Ac'".into())),
            (&["--bo'gus\\"], Err(r"unknown option '--bo\'gus\\'".into())),
            (&["--\u{85}"], Err(r"unknown option '--\xC2\x85'".into())),
        ];
        for (words, expected) in cases {
            assert_eq!(&parse_words(Event::Connect, words), expected, "{words:?}");
        }
    }

    #[test]
    fn parses_format_and_instance() {
        let instance = |name: &str| Some(OsString::from(name));
        let cases: &[(&[&str], Result<Command, String>)] = &[
            (&["--format", "classic"], run(Options::default())),
            (
                &["--format=json", "--instance", "udp-1194"],
                run(Options {
                    format: Format::Json,
                    instance: instance("udp-1194"),
                    ..Options::default()
                }),
            ),
            (
                &["--instance=A.b_9"],
                run(Options {
                    instance: instance("A.b_9"),
                    ..Options::default()
                }),
            ),
            (
                &["--format", "xml"],
                Err("unknown format (classic or json) 'xml'".into()),
            ),
            (
                &["--format", "JSON"],
                Err("unknown format (classic or json) 'JSON'".into()),
            ),
            (
                &["--format"],
                Err("missing value for option '--format'".into()),
            ),
            (
                &["--instance", "--utc"],
                Err("missing value for option '--instance'".into()),
            ),
            (
                &["--instance", "udp 1194"],
                Err("invalid instance name (1 to 64 of A-Z a-z 0-9 . _ -) 'udp 1194'".into()),
            ),
            (
                &["--instance=a:b"],
                Err("invalid instance name (1 to 64 of A-Z a-z 0-9 . _ -) 'a:b'".into()),
            ),
            (
                &["--instance=", "x"],
                Err("missing value for option '--instance='".into()),
            ),
        ];
        for (words, expected) in cases {
            assert_eq!(&parse_words(Event::Connect, words), expected, "{words:?}");
        }
        assert!(valid_instance(&[b'x'; INSTANCE_CAP]));
        assert!(!valid_instance(&[b'x'; INSTANCE_CAP + 1]));
        assert!(!valid_instance("zoë".as_bytes()));
    }

    #[test]
    fn takes_everything_after_the_separator_as_the_command() {
        let chain = |words: &[&str]| {
            Some(Chain {
                program: OsString::from(words[0]),
                args: words[1..].iter().map(OsString::from).collect(),
            })
        };
        let tmp = "/tmp/openvpn_cc_1.tmp";
        let connect: &[(&[&str], Result<Command, String>)] = &[
            (
                &["--utc", "--", "/etc/fw.sh", "-x", "--strict", tmp],
                run(Options {
                    utc: true,
                    chain: chain(&["/etc/fw.sh", "-x", "--strict", tmp]),
                    config_file: Some(tmp.into()),
                    ..Options::default()
                }),
            ),
            // By hand, without OpenVPN's file: the last argument is taken for it all the same,
            // and passed on all the same.
            (
                &["--", "fw.sh"],
                run(Options {
                    chain: chain(&["fw.sh"]),
                    ..Options::default()
                }),
            ),
            (
                &["--", "--", "--help"],
                run(Options {
                    chain: chain(&["--", "--help"]),
                    config_file: Some("--help".into()),
                    ..Options::default()
                }),
            ),
            (&["--"], Err("missing command after '--'".into())),
            (&["--utc", "--"], Err("missing command after '--'".into())),
            // OpenVPN's file comes after COMMAND: nothing positional is expected before `--`.
            (
                &[tmp, "--", "/etc/fw.sh"],
                Err(format!("unexpected argument '{tmp}'")),
            ),
            (&["--=x"], Err("unknown option '--=x'".into())),
            (
                &["--bogus", "--", "/etc/fw.sh"],
                Err("unknown option '--bogus'".into()),
            ),
        ];
        for (words, expected) in connect {
            assert_eq!(&parse_words(Event::Connect, words), expected, "{words:?}");
        }
        assert_eq!(
            parse_words(Event::Disconnect, &["-q", "--", "/etc/down.sh", "a"]),
            run(Options {
                quiet: true,
                chain: chain(&["/etc/down.sh", "a"]),
                ..Options::default()
            })
        );
    }

    #[test]
    fn parses_the_real_address_mode() {
        let mode = |real_address| {
            run(Options {
                real_address,
                ..Options::default()
            })
        };
        let unknown = |value: &str| {
            Err(format!(
                "unknown real address mode (full, network, network:V4,V6 or none) '{value}'"
            ))
        };
        let cases: &[(&[&str], Result<Command, String>)] = &[
            (&["--real-address", "full"], run(Options::default())),
            (
                &["--real-address", "network"],
                mode(crate::privacy::NETWORK),
            ),
            (&["--real-address=none"], mode(RealAddressMode::None)),
            (
                &["--real-address=network:16,32"],
                mode(RealAddressMode::Network { v4: 16, v6: 32 }),
            ),
            (
                &["--real-address", "none", "--real-address", "full"],
                mode(RealAddressMode::Full),
            ),
            (
                &["--real-address", "network:33,48"],
                unknown("network:33,48"),
            ),
            (&["--real-address", "NONE"], unknown("NONE")),
            (
                &["--real-address"],
                Err("missing value for option '--real-address'".into()),
            ),
            (
                &["--real-address", "--utc"],
                Err("missing value for option '--real-address'".into()),
            ),
        ];
        for (words, expected) in cases {
            assert_eq!(&parse_words(Event::Connect, words), expected, "{words:?}");
            assert_eq!(
                &parse_words(Event::Disconnect, words),
                expected,
                "{words:?}"
            );
        }
    }

    #[test]
    fn a_command_line_that_does_not_parse_keeps_its_real_address_mode() {
        use RealAddressMode::{Full, None};
        let cases: &[(&[&str], RealAddressMode)] = &[
            (&["--bogus"], Full),
            (
                &["--bogus", "--real-address", "network"],
                crate::privacy::NETWORK,
            ),
            (&["--real-address=none", "--file"], None),
            (
                &["--file", "--real-address", "network:16,32"],
                RealAddressMode::Network { v4: 16, v6: 32 },
            ),
            // Asked for, but not understood: nothing is kept.
            (&["--real-address", "netwrok"], None),
            (&["--bogus", "--real-address"], None),
            (&["--real-address=", "--bogus"], None),
            (&["--real-address", "--utc", "--bogus"], None),
            (&["--real-address=full", "--real-address", "x"], None),
            (&["--real-address=x", "--real-address", "full"], Full),
            // After `--`, the words are COMMAND's.
            (&["--bogus", "--", "cmd", "--real-address", "none"], Full),
        ];
        for &(words, expected) in cases {
            let args: Vec<OsString> = words.iter().map(OsString::from).collect();
            match parse(Event::Connect, &args) {
                Err(invalid) => assert_eq!(invalid.real_address, expected, "{words:?}"),
                Ok(command) => panic!("{words:?} parsed: {command:?}"),
            }
        }
    }

    #[test]
    fn recovers_strict_quiet_and_the_command_from_unparsable_command_lines() {
        let chain = |words: &[&str]| Chain {
            program: OsString::from(words[0]),
            args: words[1..].iter().map(OsString::from).collect(),
        };
        type Recovered = (bool, bool, Option<Chain>);
        let recovered = |strict, quiet, chain| (strict, quiet, chain);
        let cases: &[(&[&str], Recovered)] = &[
            (&["--bogus", "--strict"], recovered(true, false, None)),
            // A forgotten value: the flag it would have swallowed still counts.
            (&["--file", "--strict", "-q"], recovered(true, true, None)),
            (&["--instance", "--quiet"], recovered(false, true, None)),
            (
                &["--strict=1", "--format", "xml"],
                recovered(false, false, None),
            ),
            // The options that do not change what happens to a record on stderr are dropped.
            (
                &["--utc", "--format=json", "-f", "/x", "a", "b"],
                recovered(false, false, None),
            ),
            // After `--` everything is COMMAND's, and COMMAND still runs.
            (
                &["--bogus", "--", "/etc/fw.sh", "--strict", "-q"],
                recovered(false, false, Some(chain(&["/etc/fw.sh", "--strict", "-q"]))),
            ),
            (&["-q", "--bogus", "--"], recovered(false, true, None)),
            // Help after an error is not help: the line is wrong.
            (&["--bogus", "-h", "--strict"], recovered(true, false, None)),
        ];
        for (words, expected) in cases {
            let args: Vec<OsString> = words.iter().map(OsString::from).collect();
            match parse(Event::Connect, &args) {
                Err(Invalid {
                    strict,
                    quiet,
                    chain,
                    ..
                }) => assert_eq!(&(strict, quiet, chain), expected, "{words:?}"),
                Ok(command) => panic!("{words:?} parsed: {command:?}"),
            }
        }
    }

    #[test]
    fn help_shows_every_option_facility_and_socket() {
        use crate::sink::wire::SOCKET_PATHS;
        for event in [Event::Connect, Event::Disconnect] {
            let help = help(event);
            let words: Vec<&str> = help
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']'))
                .collect();
            let names = OPTIONS.iter().map(|&(name, _)| name);
            for word in names
                .chain(Facility::names())
                .chain(SOCKET_PATHS.iter().copied())
            {
                assert!(words.contains(&word), "{word} missing from\n{help}");
            }
            assert!(help.starts_with(event.program()), "{help}");
            assert!(words.contains(&default_file(event)), "{help}");
            let tag = format!("{}/NAME", event.program());
            assert!(words.contains(&tag.as_str()), "{help}");
            assert!(
                help.contains(&format!("at most {MAX_TAG} characters")),
                "{help}"
            );
            // Every option line is indented, none starts at the margin.
            for line in help.lines().filter(|l| l.trim_start().starts_with('-')) {
                assert!(line.starts_with("  "), "unindented {line:?}");
            }
        }
    }

    #[cfg(feature = "syslog")]
    #[test]
    fn the_instance_names_the_syslog_tag_unless_tag_is_given() {
        let tag_of = |event: Event, words: &[&str]| match parse_words(event, words) {
            Ok(Command::Run(options)) => Ok(options.syslog.and_then(|s| s.tag)),
            Ok(other) => panic!("{other:?}"),
            Err(error) => Err(error),
        };
        let tag = |t: &str| Ok(Some(t.as_bytes().to_vec()));
        let longest = "x".repeat(INSTANCE_TAG_CAP);
        let too_long = "x".repeat(INSTANCE_TAG_CAP + 1);
        type Tag = Result<Option<Vec<u8>>, String>;
        let cases: &[(Event, &[&str], Tag)] = &[
            (Event::Connect, &["--syslog"], Ok(None)),
            (
                Event::Connect,
                &["--syslog", "--instance", "udp-1194"],
                tag("vpn-connect-log/udp-1194"),
            ),
            (
                Event::Disconnect,
                &["--instance=tcp.443", "--syslog"],
                tag("vpn-disconnect-log/tcp.443"),
            ),
            (
                Event::Connect,
                &["--syslog", "--instance", "udp-1194", "--tag", "vpn"],
                tag("vpn"),
            ),
            (
                Event::Disconnect,
                &["--syslog", "--instance", &longest],
                tag(&format!("vpn-disconnect-log/{longest}")),
            ),
            (
                Event::Connect,
                &["--syslog", "--instance", &too_long],
                Err(format!(
                    "instance name longer than 13 characters, too long for the syslog tag \
                     (give --tag) '{too_long}'"
                )),
            ),
            (
                Event::Connect,
                &["--syslog", "--tag", "t", "--instance", &too_long],
                tag("t"),
            ),
            // Without --syslog the instance only names JSON records.
            (Event::Connect, &["--instance", &too_long], Ok(None)),
        ];
        for (event, words, expected) in cases {
            assert_eq!(&tag_of(*event, words), expected, "{words:?}");
        }
        assert_eq!(INSTANCE_TAG_CAP, 13);
        assert!(is_valid_tag(
            format!("vpn-disconnect-log/{longest}").as_bytes()
        ));
    }

    #[test]
    fn disconnect_takes_no_positional_argument() {
        assert_eq!(
            parse_words(Event::Disconnect, &["/tmp/x"]),
            Err("unexpected argument '/tmp/x'".into())
        );
        assert_eq!(parse_words(Event::Disconnect, &[]), run(Options::default()));
    }

    #[cfg(feature = "syslog")]
    #[test]
    fn parses_syslog_options() {
        let syslog = |facility: &str, tag: Option<&str>, socket: Option<&str>| {
            run(Options {
                syslog: Some(SyslogOptions {
                    facility: Facility::from_name(facility.as_bytes()).unwrap(),
                    tag: tag.map(|t| t.as_bytes().to_vec()),
                    socket: socket.map(OsString::from),
                }),
                ..Options::default()
            })
        };
        let cases: &[(&[&str], Result<Command, String>)] = &[
            (&["--syslog"], syslog("daemon", None, None)),
            (
                &["--facility", "local3", "--syslog", "--tag=vpn"],
                syslog("local3", Some("vpn"), None),
            ),
            (
                &["--syslog", "--syslog-socket", "/run/log", "--facility=kern"],
                syslog("kern", None, Some("/run/log")),
            ),
            (
                &["--syslog", "-f", "/tmp/x"],
                run(Options {
                    file: Some(OsString::from("/tmp/x")),
                    syslog: Some(SyslogOptions::default()),
                    ..Options::default()
                }),
            ),
            (
                &["--syslog", "--facility", "local8"],
                Err("unknown syslog facility 'local8'".into()),
            ),
            (
                &["--syslog", "--tag", "a b"],
                Err(
                    "syslog tag is not 1 to 32 printable ASCII characters without ':', '[' \
                     or ']' 'a b'"
                        .into(),
                ),
            ),
            (
                &["--syslog", "--tag"],
                Err("missing value for option '--tag'".into()),
            ),
            (
                &["--syslog-socket=", "--syslog"],
                Err("missing value for option '--syslog-socket='".into()),
            ),
            (
                &["--syslog=yes"],
                Err("option takes no value '--syslog=yes'".into()),
            ),
            (
                &["--tag", "vpn", "--facility", "user"],
                Err("option needs --syslog '--tag'".into()),
            ),
        ];
        for (words, expected) in cases {
            assert_eq!(&parse_words(Event::Connect, words), expected, "{words:?}");
        }
    }

    #[cfg(not(feature = "syslog"))]
    #[test]
    fn says_when_syslog_is_not_built_in() {
        for words in [
            &["--syslog"][..],
            &["--facility", "daemon"],
            &["--tag=x"],
            &["--syslog-socket", "/dev/log"],
        ] {
            assert_eq!(
                parse_words(Event::Connect, words),
                Err(format!(
                    "this build has no syslog support, option '{}'",
                    words[0]
                )),
            );
        }
    }
}
