//! `--format json` and `--instance`: every line the programs write parses with a strict JSON
//! parser, with every key, in order, and the values the environment gave.

use crate::json_parse::{parse, Value};
use crate::util::{read, Hook, Prng, TempDir, CONNECT, DISCONNECT};

// The keys of every JSON record, in order: the code's list, which the manual pages must show
// (see `the_manual_pages_list_every_key_in_order`).
use vpn_log::json::KEYS;

const ALICE: &[(&str, &str)] = &[
    ("common_name", "alice"),
    ("username", "alice@example.org"),
    ("ifconfig_pool_remote_ip", "10.8.0.6"),
    ("ifconfig_pool_remote_ip6", "fd00::6"),
    ("trusted_ip6", "2001:db8::7"),
    ("trusted_port", "50123"),
    ("time_unix", "1700000000"),
    ("time_duration", "3900"),
    ("bytes_received", "18446744073709551615"),
    ("bytes_sent", "28948"),
];

/// Parses one record line strictly, checks its shape, and returns it.
fn record(line: &[u8]) -> Value {
    assert_eq!(
        line.last(),
        Some(&b'\n'),
        "{:?}",
        String::from_utf8_lossy(line)
    );
    let body = &line[..line.len() - 1];
    assert!(
        !body.contains(&b'\n'),
        "{:?}",
        String::from_utf8_lossy(line)
    );
    let value = parse(body).unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(line)));
    assert_eq!(value.keys(), KEYS, "{value:?}");
    value
}

/// Runs `hook` with `--format json --utc --file -`; returns the parsed record.
fn json(hook: Hook) -> Value {
    let run = hook
        .args(["--format", "json", "--utc", "--file", "-"])
        .run();
    run.expect_code(0);
    record(&run.stdout)
}

fn string(s: &str) -> Value {
    Value::String(s.into())
}

fn number(n: &str) -> Value {
    Value::Number(n.into())
}

#[test]
fn connect_and_disconnect_records_have_every_field() {
    let connect = json(Hook::connect().envs(ALICE).args(["--instance", "udp-1194"]));
    let disconnect = json(Hook::disconnect().envs(ALICE).args(["--instance=udp-1194"]));
    let expected: &[(&str, Value, Value)] = &[
        ("event", string("connect"), string("disconnect")),
        ("instance", string("udp-1194"), string("udp-1194")),
        ("common_name", string("alice"), string("alice")),
        (
            "username",
            string("alice@example.org"),
            string("alice@example.org"),
        ),
        ("real_ip", string("2001:db8::7"), string("2001:db8::7")),
        ("real_port", number("50123"), number("50123")),
        ("virtual_ip", string("10.8.0.6"), string("10.8.0.6")),
        ("virtual_ipv6", string("fd00::6"), string("fd00::6")),
        (
            "start",
            string("2023-11-14T22:13:20+00:00"),
            string("2023-11-14T22:13:20+00:00"),
        ),
        ("start_unix", number("1700000000"), number("1700000000")),
        ("end", Value::Null, string("2023-11-14T23:18:20+00:00")),
        ("end_unix", Value::Null, number("1700003900")),
        ("duration", Value::Null, number("3900")),
        (
            "bytes_received",
            Value::Null,
            number("18446744073709551615"),
        ),
        ("bytes_sent", Value::Null, number("28948")),
        ("deferred", Value::Bool(false), Value::Null),
    ];
    for (key, at_connect, at_disconnect) in expected {
        assert_eq!(connect.get(key), at_connect, "connect {key}");
        assert_eq!(disconnect.get(key), at_disconnect, "disconnect {key}");
    }
    assert_eq!(disconnect.get("bytes_received").u64(), u64::MAX);
}

#[test]
fn absent_values_are_null() {
    for program in [CONNECT, DISCONNECT] {
        let value = json(Hook::new(program).env("time_unix", "0"));
        for key in [
            "instance",
            "common_name",
            "username",
            "real_ip",
            "real_port",
            "virtual_ip",
            "virtual_ipv6",
        ] {
            assert_eq!(value.get(key), &Value::Null, "{program} {key}");
        }
        assert_eq!(value.get("start").str(), "1970-01-01T00:00:00+00:00");
    }
    // A real address without a port: the port is null, not 0 as in the classic line.
    let value = json(Hook::connect().env("trusted_ip", "198.51.100.7"));
    assert_eq!(value.get("real_ip").str(), "198.51.100.7");
    assert_eq!(value.get("real_port"), &Value::Null);
}

#[test]
fn time_is_when_the_record_was_made() {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let before = now();
    let value = json(Hook::connect().env("time_unix", "1700000000"));
    let after = now();
    let time = value.get("time").str().to_string();
    let expected: Vec<String> = (before..=after)
        .map(|t| crate::util::utc_date(t as i64, "%Y-%m-%dT%H:%M:%S+00:00"))
        .collect();
    assert!(expected.contains(&time), "{time} not in {expected:?}");
}

#[test]
fn names_are_escaped_json_strings() {
    let long = "A".repeat(100_000);
    let cases: &[(&[u8], &str)] = &[
        (b"bob \"the\" o'neil", "bob \"the\" o'neil"),
        (b"back\\slash\\", "back\\slash\\"),
        (b"x\n{\"event\":\"connect\"}", "x\n{\"event\":\"connect\"}"),
        (b"bell\x07esc\x1b[31mred\x7f", "bell\x07esc\x1b[31mred\x7f"),
        (
            "ls\u{2028}ps\u{2029}nel\u{85}".as_bytes(),
            "ls\u{2028}ps\u{2029}nel\u{85}",
        ),
        ("zoë 日本 😀".as_bytes(), "zoë 日本 😀"),
        (
            b"bad \xff\xc3 utf8\xed\xa0\x80",
            "bad \u{FFFD}\u{FFFD} utf8\u{FFFD}\u{FFFD}\u{FFFD}",
        ),
        (long.as_bytes(), &format!("{}\u{2026}", "A".repeat(256))),
    ];
    for (name, decoded) in cases {
        let run = Hook::connect()
            .env("common_name", name)
            .env("username", name)
            .env("time_unix", "1700000000")
            .args(["--utc", "--format", "json", "--file", "-"])
            .run();
        run.expect_code(0).expect_stderr_empty();
        let value = record(&run.stdout);
        assert_eq!(value.get("common_name").str(), *decoded, "{}", run.report());
        assert_eq!(value.get("username").str(), *decoded, "{}", run.report());
        // The line itself holds no raw control characters and no raw U+2028/U+2029.
        let line = run.stdout();
        assert!(
            !line
                .trim_end_matches('\n')
                .chars()
                .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}'),
            "{line:?}"
        );
    }
}

#[test]
fn random_names_always_make_a_valid_record() {
    const SEED: u64 = 0x6a73_6f6e_2d38;
    let mut prng = Prng::new(SEED);
    let dir = TempDir::new("json-random");
    let log = dir.join("records.jsonl");
    let mut names = Vec::new();
    for n in 0..60 {
        // Bytes 1..=255 (an environment cannot hold NUL), biased towards the interesting ones.
        let len = prng.below(if n % 10 == 0 { 400 } else { 40 });
        let name: Vec<u8> = (0..len)
            .map(|_| match prng.below(4) {
                0 => [b'"', b'\\', b'\n', 0x1b, 0x7f][prng.below(5)],
                1 => 0x80 + prng.below(0x80) as u8,
                _ => 1 + prng.below(255) as u8,
            })
            .collect();
        let program = if n % 2 == 0 { CONNECT } else { DISCONNECT };
        Hook::new(program)
            .env("common_name", &name)
            .envs(&[("time_unix", "1"), ("time_duration", "2")])
            .envs(&[("bytes_received", "3"), ("bytes_sent", "4")])
            .args(["--utc", "--format", "json", "--file"])
            .arg(&log)
            .run()
            .expect_code(0)
            .expect_stderr_empty();
        names.push(name);
    }
    let text = std::fs::read(&log).unwrap();
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(lines.len(), names.len(), "seed {SEED:#x}");
    for (line, name) in lines.iter().zip(&names) {
        let value = record(line);
        let decoded = value.get("common_name");
        let lossy = String::from_utf8_lossy(name);
        let decoded = match (decoded, name.is_empty()) {
            (Value::Null, true) => continue,
            (value, _) => value.str(),
        };
        match decoded.strip_suffix('\u{2026}') {
            Some(cut) if decoded != lossy => {
                assert!(
                    lossy.starts_with(cut),
                    "seed {SEED:#x}: {decoded:?} of {lossy:?}"
                )
            }
            _ => assert_eq!(decoded, lossy, "seed {SEED:#x}"),
        }
    }
}

#[test]
fn json_records_append_like_classic_ones() {
    let dir = TempDir::new("json-append");
    let log = dir.join("records.jsonl");
    for program in [CONNECT, DISCONNECT, CONNECT] {
        Hook::new(program)
            .envs(ALICE)
            .args(["--utc", "--format=json", "--instance", "tcp-443", "--file"])
            .arg(&log)
            .run()
            .expect_code(0)
            .expect_stderr_empty();
    }
    let text = read(&log);
    let events: Vec<String> = text
        .split_inclusive('\n')
        .map(|line| record(line.as_bytes()).get("event").str().to_string())
        .collect();
    assert_eq!(events, ["connect", "disconnect", "connect"]);
}

#[test]
fn bad_format_and_instance_values_are_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--format", "yaml"],
            "unknown format (classic or json) 'yaml'",
        ),
        (&["--format"], "missing value for option '--format'"),
        (
            &["--instance", "a b"],
            "invalid instance name (1 to 64 of A-Z a-z 0-9 . _ -) 'a b'",
        ),
        (
            &["--instance", "-x"],
            "missing value for option '--instance'",
        ),
    ];
    for (args, message) in cases {
        let run = Hook::connect().args(*args).run();
        run.expect_code(0);
        let err = run.stderr();
        assert!(
            err.starts_with(&format!(
                "vpn-connect-log: usage error: {message} (see --help)\n"
            )),
            "{}",
            run.report()
        );
        assert!(
            err.contains("undelivered record: User ''"),
            "{}",
            run.report()
        );
        Hook::connect()
            .args(*args)
            .arg("--strict")
            .run()
            .expect_code(1);
    }
}

/// With `--syslog`, the JSON record is the message, and `--instance` names the tag. The
/// longest names OpenVPN passes (a 64-byte common name, a 127-byte username), all quotes, with
/// the longest addresses and numbers, still fit one 1024-byte message whole.
#[cfg(feature = "syslog")]
#[test]
fn json_records_go_to_syslog_whole_with_the_instance_in_the_tag() {
    let dir = TempDir::new("json-syslog");
    let socket_path = dir.join("log");
    let receiver = crate::util::SyslogReceiver::bind(&socket_path);
    let longest_ip6 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
    let cases: &[(&str, &[&str], &str)] = &[
        (
            CONNECT,
            &["--instance", "udp-1194"],
            "vpn-connect-log/udp-1194",
        ),
        (
            DISCONNECT,
            &["--instance", "tcp-443.srv01"],
            "vpn-disconnect-log/tcp-443.srv01",
        ),
        (
            DISCONNECT,
            &["--instance", "a-much-longer-instance-name", "--tag", "ovpn"],
            "ovpn",
        ),
    ];
    for (program, args, tag) in cases {
        let run = Hook::new(program)
            .env("common_name", "\"".repeat(64))
            .env("username", "\\".repeat(127))
            .envs(&[
                ("trusted_ip6", longest_ip6),
                ("trusted_port", "65535"),
                ("ifconfig_pool_remote_ip", "255.255.255.255"),
                ("ifconfig_pool_remote_ip6", longest_ip6),
                // The latest end accepted (9999-12-30T00:00:00Z), in as many digits as ever.
                ("time_unix", "253402127201"),
                ("time_duration", "799"),
                ("bytes_received", "18446744073709551615"),
                ("bytes_sent", "18446744073709551615"),
            ])
            .args([
                "--utc",
                "--format",
                "json",
                "--syslog",
                "--facility",
                "local7",
            ])
            .arg("--syslog-socket")
            .arg(&socket_path)
            .args(*args)
            .run();
        run.expect_code(0).expect_stderr_empty();
        let message = receiver.message(&run);
        assert!(message.len() < 1024, "{} bytes on the wire", message.len());
        // `<PRI>Mmm dd hh:mm:ss TAG[PID]: RECORD`: the record starts after the first `]: `.
        let text = String::from_utf8_lossy(&message);
        let after_time = &text[text.find('>').unwrap() + 16..];
        assert!(
            after_time.starts_with(&format!(" {tag}[")),
            "tag {tag:?} in {text:?}"
        );
        let at = text.find("]: ").unwrap() + 3;
        let mut line = message[at..].to_vec();
        line.push(b'\n');
        let value = record(&line);
        assert_eq!(value.get("common_name").str(), "\"".repeat(64));
        assert_eq!(value.get("username").str(), "\\".repeat(127));
    }
}

#[test]
fn the_manual_pages_list_every_key_in_order() {
    for page in ["vpn-connect-log.8", "vpn-disconnect-log.8"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("man")
            .join(page);
        let text = read(&path);
        let section = text
            .split(".SH JSON FORMAT\n")
            .nth(1)
            .and_then(|rest| rest.split("\n.SH ").next())
            .unwrap_or_else(|| panic!("no JSON FORMAT in {page}"));
        // Each key is named in the tag line after a `.TP`: `.B event`, `.BR start ", " end`.
        let lines: Vec<&str> = section.lines().collect();
        let named: Vec<&str> = lines
            .windows(2)
            .filter(|pair| pair[0] == ".TP")
            .flat_map(|pair| pair[1].split([' ', '"', ',']))
            .filter(|word| word.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        assert_eq!(named, KEYS, "{page}, JSON FORMAT");
    }
}

#[test]
fn the_readme_examples_have_every_key_in_order() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let examples: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("{\"event\":"))
        .collect();
    assert_eq!(examples.len(), 2, "README.md's JSON examples");
    for line in examples {
        record(format!("{line}\n").as_bytes());
    }
}
