//! `--real-address full|network|none` and the client's description (`client_version`,
//! `client_platform`, `client_gui`), on the environments a real OpenVPN 2.6.14 server handed
//! its hooks (`tests/data/openvpn-env/`), in both formats and on both sinks.

use crate::json_parse::{parse, Value};
use crate::util::{self, Hook, TempDir, CONNECT, DISCONNECT};
use std::path::PathBuf;

/// The three modes, with what the classic record shows of the real clients' address
/// (`127.0.0.1`, port 46340) and what the JSON record's `real_ip` and `real_port` hold.
const MODES: [(&str, &str, Option<&str>, Option<u64>); 3] = [
    (
        "full",
        "from 127.0.0.1:46340",
        Some("127.0.0.1"),
        Some(46340),
    ),
    ("network", "from 127.0.0.0", Some("127.0.0.0"), None),
    ("none", "from -", None, None),
];

/// The environment block OpenVPN gave `program`, as `NAME=VALUE` pairs.
fn real_env(program: &str) -> Vec<(String, Vec<u8>)> {
    let file = match program {
        CONNECT => "client-connect.env0",
        _ => "client-disconnect.env0",
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/openvpn-env")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let pairs: Vec<(String, Vec<u8>)> = bytes
        .split(|&b| b == 0)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let eq = entry.iter().position(|&b| b == b'=').expect("NAME=VALUE");
            let name = String::from_utf8(entry[..eq].to_vec()).expect("ASCII names");
            (name, entry[eq + 1..].to_vec())
        })
        .collect();
    assert!(
        pairs.len() >= 59,
        "{}: {} variables",
        path.display(),
        pairs.len()
    );
    pairs
}

/// The value of `name` in `env`, as text.
fn var(env: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, value) = env.iter().find(|(n, _)| n == name).expect(name);
    String::from_utf8(value.clone()).unwrap()
}

/// `program` with exactly the real environment (and nothing else, like OpenVPN: no PATH, no
/// TZ); client-connect also gets the config file argument OpenVPN appends, which must come
/// last, so `args` go first.
fn real_hook(program: &str, dir: &TempDir, args: &[&str]) -> Hook {
    let mut hook = Hook::new(program).args(args);
    for (name, value) in real_env(program) {
        hook = hook.env(&name, value);
    }
    if program == CONNECT {
        hook = hook.arg(dir.join("openvpn_cc_0.tmp"));
    }
    hook
}

/// The record `program` writes to stdout with `args`, checked to be the only output.
fn record(program: &str, dir: &TempDir, args: &[&str]) -> String {
    let mut all = vec!["--utc", "--file", "-"];
    all.extend_from_slice(args);
    let run = real_hook(program, dir, &all).run();
    run.expect_code(0).expect_stderr_empty();
    assert!(!run.stdout().is_empty(), "{}", run.report());
    run.stdout()
}

fn json(line: &str) -> Value {
    let body = line.strip_suffix('\n').expect("one line");
    parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// What a mode may still show of the real address: nothing of the host part or the port.
fn assert_hidden(record: &str, mode: &str) {
    if mode != "full" {
        assert!(!record.contains("127.0.0.1"), "{mode}: {record}");
        assert!(!record.contains("46340"), "{mode}: {record}");
    }
}

#[test]
fn classic_records_of_real_sessions_show_what_each_mode_keeps() {
    let dir = TempDir::new("privacy-classic");
    for program in [CONNECT, DISCONNECT] {
        let full = record(program, &dir, &[]);
        assert!(full.contains(" from 127.0.0.1:46340"), "{full}");
        for (mode, shown, _, _) in MODES {
            let got = record(program, &dir, &["--real-address", mode]);
            // The address is all that differs.
            assert_eq!(
                got,
                full.replace("from 127.0.0.1:46340", shown),
                "{program} {mode}"
            );
            assert_hidden(&got, mode);
        }
    }
}

#[test]
fn json_records_of_real_sessions_show_what_each_mode_keeps() {
    let dir = TempDir::new("privacy-json");
    for program in [CONNECT, DISCONNECT] {
        let env = real_env(program);
        let full = json(&record(program, &dir, &["--format", "json"]));
        for (mode, _, ip, port) in MODES {
            let line = record(program, &dir, &["--format=json", "--real-address", mode]);
            assert_hidden(&line, mode);
            let value = json(&line);
            let ip = ip.map_or(Value::Null, |ip| Value::String(ip.into()));
            let port = port.map_or(Value::Null, |port| Value::Number(port.to_string()));
            assert_eq!(value.get("real_ip"), &ip, "{program} {mode}");
            assert_eq!(value.get("real_port"), &port, "{program} {mode}");
            // What the client said about itself: exactly what OpenVPN passed.
            for (key, variable) in [("client_version", "IV_VER"), ("client_platform", "IV_PLAT")] {
                assert_eq!(value.get(key).str(), var(&env, variable), "{program} {key}");
            }
            assert_eq!(value.get("client_version").str(), "2.6.14");
            assert_eq!(value.get("client_platform").str(), "linux");
            assert_eq!(
                value.get("client_gui"),
                &Value::Null,
                "no IV_GUI_VER was sent"
            );
            // Everything else as in full mode (`time` is the clock, which may have moved on).
            for key in full.keys() {
                if !["time", "real_ip", "real_port"].contains(&key) {
                    assert_eq!(value.get(key), full.get(key), "{program} {mode} {key}");
                }
            }
        }
    }
}

#[test]
fn the_file_sink_gets_only_what_the_mode_keeps() {
    let dir = TempDir::new("privacy-file");
    for program in [CONNECT, DISCONNECT] {
        for (mode, shown, _, _) in MODES {
            for format in ["classic", "json"] {
                let log = dir.join(&format!("{program}-{mode}-{format}.log"));
                let log_arg = log.to_str().unwrap();
                let args = ["--utc", "--format", format, "--real-address", mode];
                let run = real_hook(program, &dir, &args)
                    .args(["--file", log_arg])
                    .run();
                run.expect_code(0).expect_stderr_empty();
                let written = util::read(&log);
                assert_eq!(written.lines().count(), 1, "{written}");
                assert_hidden(&written, mode);
                if format == "classic" {
                    assert!(written.contains(shown), "{mode}: {written}");
                }
            }
        }
    }
}

/// A usage error puts the record on stderr, into OpenVPN's log: it keeps no more than the
/// command line asked for, and a `--real-address` value that cannot be understood keeps
/// nothing.
#[test]
fn a_usage_error_keeps_the_mode_asked_for() {
    let dir = TempDir::new("privacy-usage");
    let cases: &[(&[&str], &str)] = &[
        (&["--bogus"], "from 127.0.0.1:46340"),
        (&["--real-address", "network", "--bogus"], "from 127.0.0.0"),
        (&["--bogus", "--real-address=none"], "from -"),
        (&["--real-address", "netwrok"], "from -"),
        (&["--real-address=network:33,48"], "from -"),
        (&["--utc", "--real-address"], "from -"),
    ];
    for &(args, shown) in cases {
        for program in [CONNECT, DISCONNECT] {
            let run = real_hook(program, &dir, args).run();
            run.expect_code(0);
            let stderr = run.stderr();
            assert!(stderr.contains(": usage error: "), "{}", run.report());
            let kept = stderr
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{program}: undelivered record: ")))
                .unwrap_or_else(|| panic!("no record\n{}", run.report()));
            assert!(kept.contains(shown), "{args:?}: {kept}");
            if shown != "from 127.0.0.1:46340" {
                assert!(!stderr.contains("46340"), "{}", run.report());
            }
        }
    }
}

/// Warnings go to OpenVPN's log as well: with `network` or `none` they never quote a value
/// of the variables the real address comes from.
#[test]
fn warnings_do_not_quote_what_the_mode_hides() {
    let env: &[(&str, &str)] = &[
        ("common_name", "alice"),
        ("time_unix", "1700000000"),
        ("trusted_ip", "198.51.100.7 "),
        ("trusted_port", "50123"),
        ("untrusted_ip", "198.51.100.7"),
        ("untrusted_port", "5x"),
    ];
    let cases = [
        (
            "full",
            "from 198.51.100.7:0",
            &[
                "warning: trusted_ip='198.51.100.7 ': not an IP address; using untrusted_ip",
                "warning: untrusted_port='5x': not a decimal number; using no port",
            ][..],
        ),
        (
            "network",
            "from 198.51.100.0",
            &["warning: trusted_ip: not an IP address; using untrusted_ip"][..],
        ),
        ("none", "from -", &[][..]),
    ];
    for (mode, shown, warnings) in cases {
        let run = Hook::connect()
            .envs(env)
            .args(["--utc", "--file", "-", "--real-address", mode])
            .run();
        run.expect_code(0);
        assert!(run.stdout().contains(shown), "{}", run.report());
        let expected: String = warnings
            .iter()
            .map(|w| format!("{CONNECT}: {w}\n"))
            .collect();
        assert_eq!(run.stderr(), expected, "{mode}\n{}", run.report());
    }
}

/// OpenVPN 2.6.14 writes a link-local client's address with its zone id (`getnameinfo(3)`):
/// these variables are what it passed client-connect for a client that connected to
/// `fe80::1%pllveth1` over a veth pair between two network namespaces (2026-11-29).
#[test]
fn a_link_local_client_is_recorded_with_its_zone_id() {
    let env: &[(&str, &str)] = &[
        ("common_name", "client"),
        ("time_unix", "1700000000"),
        ("trusted_ip6", "fe80::2%pllveth0"),
        ("trusted_port", "52431"),
        ("untrusted_ip6", "fe80::2%pllveth0"),
        ("untrusted_port", "52431"),
        ("IV_VER", "2.6.14"),
        ("IV_PLAT", "linux"),
        ("IV_GUI_VER", "my_gui_1.0_\"q\"__x"),
    ];
    let cases = [
        (
            "full",
            "from [fe80::2%pllveth0]:52431",
            Some("fe80::2%pllveth0"),
        ),
        ("network", "from [fe80::]", Some("fe80::")),
        ("none", "from -", None),
    ];
    for (mode, shown, ip) in cases {
        let classic = Hook::connect()
            .envs(env)
            .args(["--utc", "--file", "-", "--real-address", mode])
            .run();
        classic.expect_code(0).expect_stderr_empty();
        assert!(
            classic.stdout().ends_with(&format!(" {shown}\n")),
            "{}",
            classic.report()
        );
        let run = Hook::disconnect()
            .envs(env)
            .args(["--format", "json", "--file", "-", "--real-address", mode])
            .run();
        run.expect_code(0);
        let value = json(&run.stdout());
        let ip = ip.map_or(Value::Null, |ip| Value::String(ip.into()));
        assert_eq!(value.get("real_ip"), &ip, "{mode}");
        assert_eq!(value.get("client_gui").str(), "my_gui_1.0_\"q\"__x");
    }
}

#[cfg(feature = "syslog")]
#[test]
fn the_syslog_sink_gets_only_what_the_mode_keeps() {
    let dir = TempDir::new("privacy-syslog");
    let socket_path = dir.join("log");
    let receiver = util::SyslogReceiver::bind(&socket_path);
    let socket_arg = socket_path.to_str().unwrap();
    for program in [CONNECT, DISCONNECT] {
        for (mode, shown, ip, _) in MODES {
            for format in ["classic", "json"] {
                let expected = record(program, &dir, &["--format", format, "--real-address", mode]);
                let args = ["--utc", "--syslog", "--syslog-socket", socket_arg];
                let run = real_hook(program, &dir, &args)
                    .args(["--format", format, "--real-address", mode])
                    .run();
                run.expect_code(0).expect_stderr_empty();
                let message = String::from_utf8_lossy(&receiver.message(&run)).into_owned();
                assert_hidden(&message, mode);
                let body = message.split_once("]: ").map(|(_, body)| body);
                let body = body.unwrap_or_else(|| panic!("no header: {message:?}"));
                if format == "classic" {
                    assert_eq!(format!("{body}\n"), expected, "{program} {mode}");
                    assert!(body.contains(shown), "{message}");
                } else {
                    // The same record but for `time`, the clock when each hook ran.
                    let (sent, made) = (json(&format!("{body}\n")), json(&expected));
                    let ip = ip.map_or(Value::Null, |ip| Value::String(ip.into()));
                    assert_eq!(sent.get("real_ip"), &ip, "{program} {mode}");
                    for key in made.keys().into_iter().filter(|&k| k != "time") {
                        assert_eq!(sent.get(key), made.get(key), "{program} {mode} {key}");
                    }
                }
            }
        }
    }
}
