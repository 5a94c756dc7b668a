//! The OpenVPN server configuration fragments in `examples/` work as written: each
//! `client-connect` and `client-disconnect` command, split into words as OpenVPN splits it,
//! names the hook in `/usr/sbin` and options the hook accepts, and the record arrives where the
//! example sends it.

use crate::util::{self, Hook, Run, TempDir};
use std::ffi::OsString;
use std::path::PathBuf;

/// One session, as OpenVPN describes it to both hooks.
const SESSION: &[(&str, &str)] = &[
    ("common_name", "alice"),
    ("trusted_ip", "198.51.100.7"),
    ("trusted_port", "50123"),
    ("ifconfig_pool_remote_ip", "10.8.0.6"),
    ("time_unix", "1700000000"),
    ("time_duration", "3900"),
    ("bytes_received", "1005000"),
    ("bytes_sent", "28948"),
];

/// A hook command of an example: which hook, and the words after the program path.
struct ExampleCommand {
    program: &'static str,
    args: Vec<String>,
}

/// The hook commands of `examples/<name>`, checked to be one quoted parameter naming the hook
/// in /usr/sbin, as the README and the man pages say they must be.
fn commands(name: &str) -> Vec<ExampleCommand> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let text = util::read(&path);
    let mut found = Vec::new();
    for line in text.lines() {
        let Some((directive, parameter)) = line.split_once(' ') else {
            continue;
        };
        let program = match directive {
            "client-connect" => util::CONNECT,
            "client-disconnect" => util::DISCONNECT,
            _ => continue,
        };
        // OpenVPN takes the command as one parameter: unquoted, it would see extra parameters.
        let command = parameter
            .trim()
            .strip_prefix('"')
            .and_then(|p| p.strip_suffix('"'))
            .unwrap_or_else(|| panic!("{name}: {line:?}: the command is not one quoted word"));
        let mut words = command.split_whitespace().map(str::to_owned);
        let binary = words.next().unwrap_or_default();
        assert_eq!(binary, format!("/usr/sbin/{program}"), "{name}: {line:?}");
        found.push(ExampleCommand {
            program,
            args: words.collect(),
        });
    }
    assert_eq!(
        found.iter().map(|c| c.program).collect::<Vec<_>>(),
        [util::CONNECT, util::DISCONNECT],
        "{name} should configure both hooks, connect first"
    );
    found
}

/// The record `program` makes of the session, written to standard output.
fn record(program: &str) -> String {
    let run = Hook::new(program).envs(SESSION).args(["--file", "-"]).run();
    run.expect_code(0).expect_stderr_empty();
    run.stdout()
}

/// Runs an example command as OpenVPN would, with `args` in place of the example's, and for
/// client-connect the client-config file OpenVPN appends, which must stay empty.
fn run(command: &ExampleCommand, args: Vec<OsString>, dir: &TempDir) -> Run {
    let mut hook = Hook::new(command.program).envs(SESSION).args(args);
    let config = dir.join("openvpn_cc.tmp");
    std::fs::write(&config, "").unwrap();
    if command.program == util::CONNECT {
        hook = hook.arg(&config);
    }
    let run = hook.run();
    assert!(util::read(&config).is_empty(), "{}", run.report());
    run
}

#[test]
fn the_file_example_appends_both_records() {
    let dir = TempDir::new("example-file");
    for command in commands("openvpn-server-file.conf") {
        // Each --file value is moved into the test's directory, keeping its name.
        let mut args = Vec::new();
        let mut log = None;
        let mut words = command.args.iter();
        while let Some(word) = words.next() {
            args.push(OsString::from(word));
            if word == "--file" {
                let original = words.next().expect("--file has a value");
                let name = original.rsplit('/').next().unwrap_or_default();
                let path = dir.join(name);
                args.push(path.clone().into_os_string());
                log = Some(path);
            }
        }
        let log = log.unwrap_or_else(|| panic!("{} has no --file", command.program));
        run(&command, args, &dir)
            .expect_code(0)
            .expect_stderr_empty();
        assert_eq!(util::read(&log), record(command.program));
    }
}

#[cfg(feature = "syslog")]
#[test]
fn the_syslog_example_sends_both_records() {
    let dir = TempDir::new("example-syslog");
    let socket_path = dir.join("log");
    let receiver = util::SyslogReceiver::bind(&socket_path);
    for command in commands("openvpn-server-syslog.conf") {
        // The example uses the system's socket; the test listens on its own.
        let mut args: Vec<OsString> = command.args.iter().map(OsString::from).collect();
        args.push("--syslog-socket".into());
        args.push(socket_path.clone().into_os_string());
        let run = run(&command, args, &dir);
        run.expect_code(0).expect_stderr_empty();
        let message = String::from_utf8_lossy(&receiver.message(&run)).into_owned();
        // local5 (21) * 8 + info (6) = 174; the tag the example gives, then the record.
        let expected = record(command.program);
        assert!(
            message.starts_with("<174>")
                && message.contains(" openvpn-acct[")
                && message.ends_with(&format!("]: {}", expected.trim_end())),
            "{message:?} is not a local5.info message tagged openvpn-acct carrying {expected:?}"
        );
    }
}
