//! What the hooks left behind: their records, parsed strictly, and the copies of the
//! environment OpenVPN gave them.
//!
//! The records are parsed field by field against the classic format (issue 2); anything that
//! does not match it exactly fails the test, printing the line.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;

/// The wrapper each hook command runs under: it saves the environment OpenVPN passed, one
/// file per invocation, then execs the hook command (its arguments) in place, so the hook
/// sees exactly the same argv tail, environment and PID. `{env}` and `{dir}` are filled in.
pub const ENV_DUMP_SCRIPT: &str = "#!/bin/sh\n\
    # Saves the environment OpenVPN gave this hook, then runs the hook in place.\n\
    {env} -0 > \"{dir}/$script_type.$$\" || exit 1\n\
    exec \"$@\"\n";

/// The administrator's own client-connect command, chained after `--`: it records its run
/// (`$common_name`, then its arguments, NUL-separated) in a file named by its PID, then admits
/// every client but `mallory`. Built-ins only: the hook passes on OpenVPN's environment, which
/// has no `PATH`. `{dir}` is filled in.
pub const REJECT_MALLORY_SCRIPT: &str = "#!/bin/sh\n\
    # A chained client-connect command: records its arguments, then rejects mallory.\n\
    printf '%s\\0' \"$common_name\" \"$@\" > \"{dir}/$$\" || exit 1\n\
    [ \"$common_name\" != mallory ]\n";

/// One run of [`REJECT_MALLORY_SCRIPT`].
#[derive(Debug)]
pub struct ChainedRun {
    pub common_name: String,
    pub args: Vec<String>,
}

/// Every run of [`REJECT_MALLORY_SCRIPT`] recorded in `dir`.
pub fn chained_runs(dir: &Path) -> Vec<ChainedRun> {
    let mut runs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8(std::fs::read(&path).unwrap()).expect("UTF-8 arguments");
        let mut fields = text
            .strip_suffix('\0')
            .unwrap_or_else(|| panic!("{}: not NUL-terminated: {text:?}", path.display()))
            .split('\0')
            .map(str::to_owned);
        let common_name = fields.next().unwrap();
        runs.push(ChainedRun {
            common_name,
            args: fields.collect(),
        });
    }
    runs
}

/// A connect record: `User '<name>' at <start> using <vpn-ip> from <real-addr>`.
#[derive(Debug)]
pub struct ConnectRecord {
    /// The name as printed between the quotes, escapes included.
    pub name: String,
    pub start: String,
    pub virtual_ip: String,
    pub real: String,
}

/// A disconnect record: `User '<name>' using <vpn-ip> from <real-addr> for <start> to <end>
/// (<H>:<MM>) BW(up/down) <up>/<down>`.
#[derive(Debug)]
pub struct DisconnectRecord {
    pub name: String,
    pub virtual_ip: String,
    pub real: String,
    pub start: String,
    pub end: String,
    pub duration: String,
    pub up: String,
    pub down: String,
}

/// The lines of a record file; each must end in `\n` and be valid UTF-8 (the names used here
/// are). A file never created holds no records.
pub fn record_lines(path: &Path) -> Vec<String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("read {}: {e}", path.display()),
    };
    let text = String::from_utf8(bytes).expect("records are UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "{} does not end in a newline:\n{text}",
        path.display()
    );
    text.lines().map(str::to_owned).collect()
}

pub fn parse_connect(line: &str) -> ConnectRecord {
    let mut cursor = Cursor { line, rest: line };
    cursor.literal("User '");
    let name = cursor.name();
    cursor.literal("' at ");
    let start = cursor.minute();
    cursor.literal(" using ");
    let virtual_ip = cursor.ipv4();
    cursor.literal(" from ");
    let real = cursor.socket_address();
    cursor.end();
    ConnectRecord {
        name,
        start,
        virtual_ip,
        real,
    }
}

pub fn parse_disconnect(line: &str) -> DisconnectRecord {
    let mut cursor = Cursor { line, rest: line };
    cursor.literal("User '");
    let name = cursor.name();
    cursor.literal("' using ");
    let virtual_ip = cursor.ipv4();
    cursor.literal(" from ");
    let real = cursor.socket_address();
    cursor.literal(" for ");
    let start = cursor.minute();
    cursor.literal(" to ");
    let end = cursor.minute();
    cursor.literal(" (");
    let duration = cursor.hours_minutes();
    cursor.literal(") BW(up/down) ");
    let up = cursor.megabytes();
    cursor.literal("/");
    let down = cursor.megabytes();
    cursor.end();
    DisconnectRecord {
        name,
        virtual_ip,
        real,
        start,
        end,
        duration,
        up,
        down,
    }
}

/// A strict left-to-right reader of one record line.
struct Cursor<'a> {
    line: &'a str,
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn fail(&self, what: &str) -> ! {
        panic!("record {:?}: expected {what} at {:?}", self.line, self.rest)
    }

    fn literal(&mut self, text: &str) {
        match self.rest.strip_prefix(text) {
            Some(rest) => self.rest = rest,
            None => self.fail(&format!("{text:?}")),
        }
    }

    fn end(&self) {
        if !self.rest.is_empty() {
            self.fail("the end of the line");
        }
    }

    /// Takes the longest prefix made of `allowed` characters.
    fn take(&mut self, allowed: impl Fn(char) -> bool) -> &'a str {
        let len = self
            .rest
            .find(|c: char| !allowed(c))
            .unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        taken
    }

    /// The escaped name up to (not including) the closing quote: printable characters other
    /// than `'` and `\`, or the escapes `\\`, `\'`, `\xHH`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        let mut chars = self.rest.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\'' => {
                    self.rest = &self.rest[at..];
                    return name;
                }
                '\\' => {
                    name.push('\\');
                    match chars.next() {
                        Some((_, e @ ('\\' | '\''))) => name.push(e),
                        Some((_, 'x')) => {
                            name.push('x');
                            for _ in 0..2 {
                                match chars.next() {
                                    Some((_, h)) if h.is_ascii_hexdigit() => name.push(h),
                                    _ => self.fail("two hex digits after \\x"),
                                }
                            }
                        }
                        _ => self.fail("an escape after \\"),
                    }
                }
                c if c.is_control() => self.fail("no control character in the name"),
                c => name.push(c),
            }
        }
        self.fail("the closing quote")
    }

    /// `YYYY-MM-DD-HH:MM`.
    fn minute(&mut self) -> String {
        let shape = "dddd-dd-dd-dd:dd";
        let Some(text) = self.rest.get(..shape.len()) else {
            self.fail("a time YYYY-MM-DD-HH:MM")
        };
        let fits =
            text.chars()
                .zip(shape.chars())
                .all(|(c, s)| if s == 'd' { c.is_ascii_digit() } else { c == s });
        if !fits {
            self.fail("a time YYYY-MM-DD-HH:MM");
        }
        self.rest = &self.rest[shape.len()..];
        text.to_owned()
    }

    /// A dotted-quad IPv4 address as Rust prints it (the pools here are IPv4 first).
    fn ipv4(&mut self) -> String {
        let text = self.take(|c| c.is_ascii_digit() || c == '.');
        match text.parse::<Ipv4Addr>() {
            Ok(ip) if ip.to_string() == text => text.to_owned(),
            _ => self.fail("an IPv4 address"),
        }
    }

    /// The real address, in canonical form: `a.b.c.d:port` or `[v6]:port`; with
    /// `--real-address network` `a.b.c.d` or `[v6]`; with `--real-address none` `-`.
    fn socket_address(&mut self) -> String {
        let text = self.take(|c| c.is_ascii_hexdigit() || ".:[]-".contains(c));
        let canonical = match text.parse::<SocketAddr>() {
            Ok(address) => address.to_string(),
            Err(_) => match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                Some(v6) => match v6.parse::<IpAddr>() {
                    Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
                    _ => String::new(),
                },
                None => match text.parse::<Ipv4Addr>() {
                    Ok(ip) => ip.to_string(),
                    Err(_) => "-".to_owned(),
                },
            },
        };
        if canonical != text {
            self.fail("an address ip:port, [ip6]:port, ip, [ip6] or -");
        }
        text.to_owned()
    }

    /// `H:MM`: unpadded hours, two-digit minutes below 60.
    fn hours_minutes(&mut self) -> String {
        let hours = self.take(|c| c.is_ascii_digit());
        if hours.is_empty() || (hours.len() > 1 && hours.starts_with('0')) {
            self.fail("unpadded hours");
        }
        self.literal(":");
        let minutes = self.take(|c| c.is_ascii_digit());
        if minutes.len() != 2 || minutes >= "60" {
            self.fail("two-digit minutes");
        }
        format!("{hours}:{minutes}")
    }

    /// Megabytes with exactly three decimals.
    fn megabytes(&mut self) -> String {
        let whole = self.take(|c| c.is_ascii_digit());
        if whole.is_empty() || (whole.len() > 1 && whole.starts_with('0')) {
            self.fail("megabytes");
        }
        self.literal(".");
        let fraction = self.take(|c| c.is_ascii_digit());
        if fraction.len() != 3 {
            self.fail("three decimals");
        }
        format!("{whole}.{fraction}")
    }
}

/// One saved hook environment.
#[derive(Debug)]
pub struct HookEnv {
    pub file: String,
    pairs: Vec<(String, String)>,
}

impl HookEnv {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A variable OpenVPN must have set.
    pub fn var(&self, name: &str) -> &str {
        self.get(name)
            .unwrap_or_else(|| panic!("{} has no {name}: {:?}", self.file, self.pairs))
    }

    /// The names of the variables, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.pairs.iter().map(|(n, _)| n.as_str()).collect();
        names.sort();
        names
    }

    /// The PID of the hook run: the wrapper names the file `<script_type>.<pid>` and then
    /// execs the hook in place.
    pub fn pid(&self) -> u32 {
        let (_, pid) = self.file.rsplit_once('.').expect("<script_type>.<pid>");
        pid.parse()
            .unwrap_or_else(|e| panic!("{}: no PID: {e}", self.file))
    }

    pub fn number(&self, name: &str) -> u64 {
        let text = self.var(name);
        text.parse()
            .unwrap_or_else(|e| panic!("{}: {name}={text:?}: {e}", self.file))
    }
}

/// Every environment saved in `dir` (`<script_type>.<pid>`, NUL-separated `env -0` output).
pub fn hook_envs(dir: &Path) -> Vec<HookEnv> {
    let mut envs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes).expect("hook environment is UTF-8");
        let pairs = text
            .split('\0')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').expect("NAME=value");
                (name.to_owned(), value.to_owned())
            })
            .collect();
        envs.push(HookEnv {
            file: path.display().to_string(),
            pairs,
        });
    }
    envs.sort_by(|a, b| a.file.cmp(&b.file));
    envs
}

/// `H:MM` for a duration in seconds, as the records print it.
pub fn hours_minutes(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// Megabytes of 10^6 bytes with three decimals, truncated, as the records print them.
pub fn megabytes(bytes: u64) -> String {
    format!("{}.{:03}", bytes / 1_000_000, bytes % 1_000_000 / 1000)
}

#[test]
fn the_record_parser_accepts_the_classic_format_and_nothing_else() {
    let connect =
        parse_connect("User 'bob o\\'neil' at 2026-11-23-12:04 using 10.8.0.3 from [::1]:40002");
    assert_eq!(
        (
            connect.name.as_str(),
            connect.start.as_str(),
            connect.virtual_ip.as_str(),
            connect.real.as_str()
        ),
        (
            "bob o\\'neil",
            "2026-11-23-12:04",
            "10.8.0.3",
            "[::1]:40002"
        )
    );
    let disconnect = parse_disconnect(
        "User 'zoë' using 10.8.0.4 from 127.0.0.1:40003 for 2026-11-23-12:04 to \
         2026-11-23-13:09 (1:05) BW(up/down) 1.005/0.028",
    );
    assert_eq!(
        [
            disconnect.name,
            disconnect.real,
            disconnect.end,
            disconnect.duration,
            disconnect.up,
            disconnect.down
        ],
        [
            "zoë",
            "127.0.0.1:40003",
            "2026-11-23-13:09",
            "1:05",
            "1.005",
            "0.028"
        ]
    );
    for real in ["127.0.0.0", "[::]", "[2001:db8:1::]", "-"] {
        let line = format!("User 'a' at 2026-11-23-12:04 using 10.8.0.3 from {real}");
        assert_eq!(parse_connect(&line).real, real);
    }
    for bad in [
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from [::1]:40002 ",
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from ::",
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from [127.0.0.0]",
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from [0::]",
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from --",
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from ",
        "User 'a' at 2026-11-23-12:4 using 10.8.0.3 from [::1]:40002",
        "User 'a'b' at 2026-11-23-12:04 using 10.8.0.3 from ::1:40002",
        "User 'a' at 2026-11-23-12:04 using 10.8.0.3 from ::1:40002",
        "User 'a\\q' at 2026-11-23-12:04 using 10.8.0.3 from 127.0.0.1:1",
    ] {
        let result = std::panic::catch_unwind(|| parse_connect(bad));
        assert!(result.is_err(), "accepted {bad:?}");
    }
    assert_eq!(
        (hours_minutes(3900), megabytes(1_005_000)),
        ("1:05".into(), "1.005".into())
    );
    assert_eq!(
        (hours_minutes(90061), megabytes(28_948)),
        ("25:01".into(), "0.028".into())
    );
}
