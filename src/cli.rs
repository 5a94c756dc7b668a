//! The command line of both programs.
//!
//! OpenVPN splits the `client-connect` / `client-disconnect` string into words itself and, for
//! client-connect only, appends one more argument: the path of a temporary file for client
//! configuration directives. That path is accepted as the one positional argument and left
//! alone.
//!
//! Parsing is strict (an unknown option is an error, not silently ignored) but an error never
//! stops the record: the caller reports it and keeps the record on stderr.
//!
//! The syslog options exist only with the `syslog` feature. A build without it still knows
//! their names, to say that this build cannot log to syslog rather than "unknown option".

use crate::session::Event;
#[cfg(feature = "syslog")]
use crate::sink::syslog::{
    wire::{is_valid_tag, Facility, MAX_TAG},
    SOCKET_PATHS,
};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Log the event.
    Run(Options),
    /// `-h`, `--help`: print the help text.
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
    /// The positional argument OpenVPN appends for client-connect; never opened.
    pub config_file: Option<OsString>,
    /// `--syslog` and its settings: send the record to the local syslog daemon, instead of
    /// the default file or, with an explicit `--file`, as well as to it.
    #[cfg(feature = "syslog")]
    pub syslog: Option<SyslogOptions>,
}

/// The settings of `--syslog`.
#[cfg(feature = "syslog")]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyslogOptions {
    /// `--facility`; severity is always `info`.
    pub facility: Facility,
    /// `--tag`, checked by [`is_valid_tag`]; `None`: the program's name.
    pub tag: Option<Vec<u8>>,
    /// `--syslog-socket`; `None`: the first socket among [`SOCKET_PATHS`].
    pub socket: Option<OsString>,
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
    #[cfg(feature = "syslog")]
    UnknownFacility,
    #[cfg(feature = "syslog")]
    InvalidTag,
    /// `--facility`, `--tag` or `--syslog-socket` without `--syslog`: almost certainly a
    /// forgotten `--syslog`, which would send the record to the file unnoticed.
    #[cfg(feature = "syslog")]
    NeedsSyslog,
    #[cfg(not(feature = "syslog"))]
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

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            UsageErrorKind::UnknownOption => "unknown option",
            UsageErrorKind::MissingValue => "missing value for option",
            UsageErrorKind::UnexpectedValue => "option takes no value",
            UsageErrorKind::UnexpectedArgument => "unexpected argument",
            #[cfg(feature = "syslog")]
            UsageErrorKind::UnknownFacility => "unknown syslog facility (see --help)",
            #[cfg(feature = "syslog")]
            UsageErrorKind::InvalidTag => {
                "syslog tag is not 1 to 32 printable ASCII characters without ':', '[' or ']'"
            }
            #[cfg(feature = "syslog")]
            UsageErrorKind::NeedsSyslog => "option needs --syslog",
            #[cfg(not(feature = "syslog"))]
            UsageErrorKind::NoSyslogSupport => "this build has no syslog support, option",
        };
        write!(f, "{what} '{}'", self.argument.to_string_lossy())
    }
}

/// The default log file of each program: the paths of the scripts it replaces.
pub fn default_file(event: Event) -> &'static str {
    match event {
        Event::Connect => "/var/log/openvpn/remote.connect",
        Event::Disconnect => "/var/log/openvpn-disconnect.log",
    }
}

/// Parses the arguments after the program name.
pub fn parse(event: Event, args: &[OsString]) -> Result<Command, UsageError> {
    let mut options = Options::default();
    // `--syslog` itself, its settings, and the first setting given (for the error when
    // `--syslog` is missing).
    #[cfg(feature = "syslog")]
    let (mut syslog, mut settings, mut first_setting) =
        (false, SyslogOptions::default(), None::<&OsString>);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let bytes = arg.as_bytes();
        // `--name=value` is split here; `-f VALUE` and `--file VALUE` take the next argument.
        let (name, inline_value) = match bytes.iter().position(|&b| b == b'=') {
            Some(eq) if bytes.starts_with(b"--") => {
                let (name, equals_value) = bytes.split_at(eq);
                (name, equals_value.get(1..))
            }
            _ => (bytes, None),
        };
        let flag = |set: &mut bool| match inline_value {
            Some(_) => Err(UsageError::new(UsageErrorKind::UnexpectedValue, arg)),
            None => {
                *set = true;
                Ok(())
            }
        };
        match name {
            b"-h" | b"--help" => return Ok(Command::Help),
            b"-V" | b"--version" => return Ok(Command::Version),
            b"--utc" => flag(&mut options.utc)?,
            b"--strict" => flag(&mut options.strict)?,
            b"-q" | b"--quiet" => flag(&mut options.quiet)?,
            b"-f" | b"--file" => options.file = Some(value(arg, inline_value, &mut args)?),
            #[cfg(feature = "syslog")]
            b"--syslog" => flag(&mut syslog)?,
            #[cfg(feature = "syslog")]
            b"--facility" => {
                let name = value(arg, inline_value, &mut args)?;
                settings.facility = Facility::from_name(name.as_bytes())
                    .ok_or_else(|| UsageError::new(UsageErrorKind::UnknownFacility, &name))?;
                first_setting.get_or_insert(arg);
            }
            #[cfg(feature = "syslog")]
            b"--tag" => {
                let tag = value(arg, inline_value, &mut args)?;
                if !is_valid_tag(tag.as_bytes()) {
                    return Err(UsageError::new(UsageErrorKind::InvalidTag, &tag));
                }
                settings.tag = Some(tag.as_bytes().to_vec());
                first_setting.get_or_insert(arg);
            }
            #[cfg(feature = "syslog")]
            b"--syslog-socket" => {
                settings.socket = Some(value(arg, inline_value, &mut args)?);
                first_setting.get_or_insert(arg);
            }
            #[cfg(not(feature = "syslog"))]
            b"--syslog" | b"--facility" | b"--tag" | b"--syslog-socket" => {
                return Err(UsageError::new(UsageErrorKind::NoSyslogSupport, arg))
            }
            // A lone `-` is a value (stdout), not an option; anything else starting with `-`
            // is an option we do not know.
            [b'-', _, ..] => return Err(UsageError::new(UsageErrorKind::UnknownOption, arg)),
            _ => {
                if event != Event::Connect || options.config_file.is_some() {
                    return Err(UsageError::new(UsageErrorKind::UnexpectedArgument, arg));
                }
                options.config_file = Some(arg.clone());
            }
        }
    }
    #[cfg(feature = "syslog")]
    {
        if syslog {
            options.syslog = Some(settings);
        } else if let Some(setting) = first_setting {
            return Err(UsageError::new(UsageErrorKind::NeedsSyslog, setting));
        }
    }
    Ok(Command::Run(options))
}

/// The value of option `arg`: after its `=`, or the next argument. Never empty, and never
/// starting with `-` unless it is `-` itself.
fn value<'a>(
    arg: &OsString,
    inline_value: Option<&[u8]>,
    rest: &mut impl Iterator<Item = &'a OsString>,
) -> Result<OsString, UsageError> {
    let value = match inline_value {
        Some(value) => OsStr::from_bytes(value).to_owned(),
        None => rest
            .next()
            .cloned()
            .ok_or_else(|| UsageError::new(UsageErrorKind::MissingValue, arg))?,
    };
    // An option-like value (`--file --strict`) is almost certainly a forgotten value; a path
    // that really starts with `-` can be written `./-name`.
    if value.is_empty() || (value.as_bytes().starts_with(b"-") && value != "-") {
        return Err(UsageError::new(UsageErrorKind::MissingValue, arg));
    }
    Ok(value)
}

/// Whether `flag` appears among `args` as a whole word: used to honour `--strict` and
/// `--quiet` even when the rest of the command line could not be parsed.
pub fn mentions(args: &[OsString], flags: &[&str]) -> bool {
    args.iter()
        .any(|arg| flags.iter().any(|flag| arg.as_bytes() == flag.as_bytes()))
}

/// The `--help` text of `event`'s program.
pub fn help(event: Event) -> Vec<u8> {
    let mut text = Vec::with_capacity(1024);
    text.extend_from_slice(event.program().as_bytes());
    text.extend_from_slice(match event {
        Event::Connect => {
            b" - log an OpenVPN client connection (client-connect hook)\n\n\
Usage: vpn-connect-log [OPTIONS] [CONFIG_FILE]\n\n\
CONFIG_FILE is the temporary file OpenVPN appends to the command; it is left alone.\n\n"
        }
        Event::Disconnect => {
            b" - log an OpenVPN client disconnection (client-disconnect hook)\n\n\
Usage: vpn-disconnect-log [OPTIONS]\n\n"
        }
    });
    text.extend_from_slice(b"Options:\n  -f, --file PATH   append the record to PATH ('-': standard output)\n                    [default: ");
    text.extend_from_slice(default_file(event).as_bytes());
    text.extend_from_slice(b"]\n");
    #[cfg(feature = "syslog")]
    write_syslog_help(&mut text, event);
    text.extend_from_slice(
        // Not one literal with `\` line continuations: those also eat the next line's
        // leading blanks, which here are the indentation of the options.
        concat!(
            "      --utc         print times in UTC instead of local time\n",
            "      --strict      exit 1 when the record was not delivered or the command line is wrong\n",
            "  -q, --quiet       no diagnostics on standard error\n",
            "  -h, --help        print this help and exit\n",
            "  -V, --version     print the version and exit\n\n",
            "Exit status: 0, even when the record could not be delivered (it is then written to standard\n",
            "error), unless --strict is given. See the manual page for the record format.\n",
        )
        .as_bytes(),
    );
    text
}

/// The lines of `--help` about syslog.
#[cfg(feature = "syslog")]
fn write_syslog_help(text: &mut Vec<u8>, event: Event) {
    text.extend_from_slice(
        concat!(
            "      --syslog      send the record to the local syslog daemon instead of the\n",
            "                    default file; with --file as well, to both\n",
            "      --facility NAME\n",
            "                    syslog facility (the severity is info) [default: daemon]:\n",
            "                   ",
        )
        .as_bytes(),
    );
    for (i, name) in Facility::names().enumerate() {
        text.extend_from_slice(if i == 10 {
            b"\n                    "
        } else {
            b" "
        });
        text.extend_from_slice(name.as_bytes());
    }
    text.extend_from_slice(b"\n      --tag NAME    syslog tag, at most ");
    crate::numbers::write_u64(text, MAX_TAG as u64);
    text.extend_from_slice(b" characters [default: ");
    text.extend_from_slice(event.program().as_bytes());
    text.extend_from_slice(
        concat!(
            "]\n",
            "      --syslog-socket PATH\n",
            "                    the syslog daemon's socket [default: the first socket of\n",
            "                   ",
        )
        .as_bytes(),
    );
    for path in SOCKET_PATHS {
        text.push(b' ');
        text.extend_from_slice(path.as_bytes());
    }
    text.extend_from_slice(b"]\n");
}

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
        parse(event, &args).map_err(|e| e.to_string())
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
        ];
        for (words, expected) in cases {
            assert_eq!(&parse_words(Event::Connect, words), expected, "{words:?}");
        }
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
                Err("unknown syslog facility (see --help) 'local8'".into()),
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

    #[test]
    fn finds_flags_in_unparsable_command_lines() {
        let args: Vec<OsString> = ["--bogus", "--strict"].iter().map(OsString::from).collect();
        assert!(mentions(&args, &["--strict"]));
        assert!(!mentions(&args, &["-q", "--quiet"]));
    }
}
