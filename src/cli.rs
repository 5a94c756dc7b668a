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
//! stops the record: the caller reports it and keeps the record on stderr.
//!
//! The syslog options exist only with the `syslog` feature. A build without it still knows
//! their names, to say that this build cannot log to syslog rather than "unknown option".

use crate::chain::Chain;
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
    /// The positional argument OpenVPN appends for client-connect; never opened. With `--`,
    /// the last argument of all, which is also passed on to COMMAND.
    pub config_file: Option<OsString>,
    /// `--format`: the record's form.
    pub format: Format,
    /// `--instance`: the name of this server instance, validated by [`valid_instance`].
    pub instance: Option<OsString>,
    /// `-- COMMAND [ARGS...]`: a hook to run first.
    pub chain: Option<Chain>,
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
    /// `--tag`, checked by [`is_valid_tag`]; without it, `PROGRAM/NAME` with `--instance NAME`
    /// (filled in by [`parse`]); `None`: the program's name.
    pub tag: Option<Vec<u8>>,
    /// `--syslog-socket`; `None`: the first socket among [`SOCKET_PATHS`].
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
#[cfg(feature = "syslog")]
pub const INSTANCE_TAG_CAP: usize = MAX_TAG - "vpn-disconnect-log/".len();

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
    MissingCommand,
    /// `--syslog` without `--tag`, and an `--instance` too long for the tag it would make.
    #[cfg(feature = "syslog")]
    InstanceTooLongForTag,
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
            UsageErrorKind::UnknownFormat => "unknown format (classic or json)",
            UsageErrorKind::InvalidInstance => {
                "invalid instance name (1 to 64 of A-Z a-z 0-9 . _ -)"
            }
            UsageErrorKind::MissingCommand => "missing command after",
            #[cfg(feature = "syslog")]
            UsageErrorKind::InstanceTooLongForTag => {
                "instance name longer than 13 characters, too long for the syslog tag \
                 (give --tag)"
            }
            #[cfg(feature = "syslog")]
            UsageErrorKind::UnknownFacility => "unknown syslog facility",
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
    let (args, chain) = split_at_separator(args);
    if let Some(words) = chain {
        let Some((program, rest)) = words.split_first() else {
            return Err(UsageError::new(
                UsageErrorKind::MissingCommand,
                OsStr::new("--"),
            ));
        };
        // OpenVPN appends its temporary file after everything: with `--` it can only be last.
        if event == Event::Connect {
            options.config_file = rest.last().cloned();
        }
        options.chain = Some(Chain {
            program: program.clone(),
            args: rest.to_vec(),
        });
    }
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
            b"--format" => {
                let value = value(arg, inline_value, &mut args)?;
                options.format = match value.as_bytes() {
                    b"classic" => Format::Classic,
                    b"json" => Format::Json,
                    _ => return Err(UsageError::new(UsageErrorKind::UnknownFormat, &value)),
                };
            }
            b"--instance" => {
                let value = value(arg, inline_value, &mut args)?;
                if !valid_instance(value.as_bytes()) {
                    return Err(UsageError::new(UsageErrorKind::InvalidInstance, &value));
                }
                options.instance = Some(value);
            }
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
                // With `--`, OpenVPN's temporary file comes after COMMAND, so nothing is
                // expected here.
                if event != Event::Connect
                    || options.config_file.is_some()
                    || options.chain.is_some()
                {
                    return Err(UsageError::new(UsageErrorKind::UnexpectedArgument, arg));
                }
                options.config_file = Some(arg.clone());
            }
        }
    }
    #[cfg(feature = "syslog")]
    {
        if let (true, None, Some(instance)) = (syslog, &settings.tag, &options.instance) {
            if instance.len() > INSTANCE_TAG_CAP {
                return Err(UsageError::new(
                    UsageErrorKind::InstanceTooLongForTag,
                    instance,
                ));
            }
            let tag = [event.program().as_bytes(), b"/", instance.as_bytes()].concat();
            settings.tag = Some(tag);
        }
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

/// Splits `args` at the first `--`: the hook's own arguments, and the command to run first if
/// there is a `--`. The first `--` is always the separator: no option accepts `--` as its
/// value.
pub fn split_at_separator(args: &[OsString]) -> (&[OsString], Option<&[OsString]>) {
    match args.iter().position(|arg| arg == "--") {
        Some(at) => (args.get(..at).unwrap_or_default(), args.get(at + 1..)),
        None => (args, None),
    }
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

/// Whether `flag` appears among `args` before any `--` as a whole word: used to honour
/// `--strict` and `--quiet` even when the rest of the command line could not be parsed.
pub fn mentions(args: &[OsString], flags: &[&str]) -> bool {
    let (own, _) = split_at_separator(args);
    own.iter()
        .any(|arg| flags.iter().any(|flag| arg.as_bytes() == flag.as_bytes()))
}

/// The command after the first `--`, if there is one: run even when the options before it
/// could not be parsed, because it may be what rejects a client.
pub fn chain_of(args: &[OsString]) -> Option<Chain> {
    let (_, words) = split_at_separator(args);
    let (program, rest) = words?.split_first()?;
    Some(Chain {
        program: program.clone(),
        args: rest.to_vec(),
    })
}

/// The `--help` text of `event`'s program.
pub fn help(event: Event) -> Vec<u8> {
    let mut text = Vec::with_capacity(2048);
    text.extend_from_slice(event.program().as_bytes());
    text.extend_from_slice(match event {
        Event::Connect => CONNECT_USAGE.as_bytes(),
        Event::Disconnect => DISCONNECT_USAGE.as_bytes(),
    });
    text.extend_from_slice(b"Options:\n  -f, --file PATH   append the record to PATH ('-': standard output)\n                    [default: ");
    text.extend_from_slice(default_file(event).as_bytes());
    text.extend_from_slice(b"]\n");
    text.extend_from_slice(FORMAT_HELP.as_bytes());
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
            "  -V, --version     print the version and exit\n",
        )
        .as_bytes(),
    );
    text.extend_from_slice(match event {
        Event::Connect => CONNECT_STATUS.as_bytes(),
        Event::Disconnect => DISCONNECT_STATUS.as_bytes(),
    });
    text
}

// The texts below are joined with `concat!`, which keeps each line's indentation.

const CONNECT_USAGE: &str = concat!(
    " - log an OpenVPN client connection (client-connect hook)\n\n",
    "Usage: vpn-connect-log [OPTIONS] [CONFIG_FILE]\n",
    "       vpn-connect-log [OPTIONS] -- COMMAND [ARGS...] CONFIG_FILE\n\n",
    "CONFIG_FILE is the temporary file OpenVPN appends to the command; it is left alone.\n",
    "With --, COMMAND runs first, with the same environment and ARGS... CONFIG_FILE: the\n",
    "record is made only if it exits 0.\n\n",
);

const DISCONNECT_USAGE: &str = concat!(
    " - log an OpenVPN client disconnection (client-disconnect hook)\n\n",
    "Usage: vpn-disconnect-log [OPTIONS] [-- COMMAND [ARGS...]]\n\n",
    "With --, COMMAND runs after the record is made, with the same environment and ARGS.\n\n",
);

const FORMAT_HELP: &str = concat!(
    "      --format FORMAT\n",
    "                    classic (the scripts' line) or json (one object a line)\n",
    "                    [default: classic]\n",
    "      --instance NAME\n",
    "                    name this server in JSON records (A-Z a-z 0-9 . _ -)\n",
);

const CONNECT_STATUS: &str = concat!(
    "\nExit status: 0, even when the record could not be delivered (it is then written to\n",
    "standard error), unless --strict is given. With --, COMMAND's status when it is not 0\n",
    "(127 when it cannot be run). See the manual page for the record formats.\n",
);

const DISCONNECT_STATUS: &str = concat!(
    "\nExit status: 0, even when the record could not be delivered (it is then written to\n",
    "standard error), unless --strict is given. With -- and --strict, COMMAND's status\n",
    "when it is not 0. See the manual page for the record formats.\n",
);

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
    text.extend_from_slice(b",\n                    or ");
    text.extend_from_slice(event.program().as_bytes());
    text.extend_from_slice(
        concat!(
            "/NAME with --instance NAME]\n",
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
    fn finds_the_command_and_flags_in_unparsable_command_lines() {
        let args = |words: &[&str]| -> Vec<OsString> { words.iter().map(OsString::from).collect() };
        let line = args(&["--bogus", "--", "/etc/fw.sh", "--strict", "-q"]);
        assert!(!mentions(&line, &["--strict"]), "after -- is COMMAND's");
        assert_eq!(
            chain_of(&line),
            Some(Chain {
                program: "/etc/fw.sh".into(),
                args: args(&["--strict", "-q"]),
            })
        );
        assert_eq!(chain_of(&args(&["--bogus", "--"])), None);
        assert_eq!(chain_of(&args(&["--bogus"])), None);
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

    #[test]
    fn finds_flags_in_unparsable_command_lines() {
        let args: Vec<OsString> = ["--bogus", "--strict"].iter().map(OsString::from).collect();
        assert!(mentions(&args, &["--strict"]));
        assert!(!mentions(&args, &["-q", "--quiet"]));
    }
}
