//! The records the real programs write, for well-formed, partial and hostile environments.

use crate::util::{Hook, TempDir, ALICE};

/// Runs `hook` writing to stdout in UTC, and returns (stdout, stderr) after checking exit 0.
fn record(hook: Hook) -> (String, String) {
    let run = hook.args(["--utc", "--file", "-"]).run();
    run.expect_code(0);
    (run.stdout(), run.stderr())
}

#[test]
fn connect_writes_the_classic_line() {
    let (out, err) = record(Hook::connect().envs(ALICE));
    assert_eq!(
        out,
        "User 'alice' at 2023-11-14-22:13 using 10.8.0.6 from 198.51.100.7:50123\n"
    );
    assert_eq!(err, "");
}

#[test]
fn disconnect_writes_the_classic_line_with_padded_fields() {
    let (out, err) = record(Hook::disconnect().envs(ALICE));
    assert_eq!(
        out,
        "User 'alice' using 10.8.0.6 from 198.51.100.7:50123 for 2023-11-14-22:13 to \
         2023-11-14-23:18 (1:05) BW(up/down) 1.005/0.028\n"
    );
    assert_eq!(err, "");
}

#[test]
fn ipv6_clients_and_pools_are_printed() {
    let env = [
        ("common_name", "zoë"),
        ("ifconfig_pool_remote_ip6", "fd00:8::1000"),
        ("trusted_ip6", "2001:db8::7"),
        ("trusted_port", "1194"),
        ("time_unix", "1700000000"),
        ("time_duration", "90061"),
        ("bytes_received", "18446744073709551615"),
        ("bytes_sent", "0"),
    ];
    let (out, _) = record(Hook::connect().envs(&env));
    assert_eq!(
        out,
        "User 'zoë' at 2023-11-14-22:13 using fd00:8::1000 from [2001:db8::7]:1194\n"
    );
    let (out, _) = record(Hook::disconnect().envs(&env));
    assert_eq!(
        out,
        "User 'zoë' using fd00:8::1000 from [2001:db8::7]:1194 for 2023-11-14-22:13 to \
         2023-11-15-23:14 (25:01) BW(up/down) 18446744073709.551/0.000\n"
    );
}

#[test]
fn names_fall_back_to_the_certificate_then_the_username() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("X509_0_CN", "cert-cn"), ("username", "u")], "cert-cn"),
        (&[("username", "carol")], "carol"),
        (&[("common_name", ""), ("username", "dave")], "dave"),
        (&[], ""),
    ];
    for (env, name) in cases {
        let (out, _) = record(Hook::connect().envs(env).env("time_unix", "0"));
        assert_eq!(
            out,
            format!("User '{name}' at 1970-01-01-00:00 using - from -\n")
        );
    }
}

#[test]
fn hostile_names_stay_inside_their_quotes_on_one_line() {
    let long = vec![b'A'; 100_000];
    let cases: &[(&[u8], &str)] = &[
        (b"bob o'neil", r"bob o\'neil"),
        (b"back\\slash", r"back\\slash"),
        (
            b"x\nUser 'eve' at 2000-01-01-00:00 using 1.1.1.1 from 1.1.1.1:1",
            r"x\x0AUser \'eve\' at 2000-01-01-00:00 using 1.1.1.1 from 1.1.1.1:1",
        ),
        (b"bell\x07esc\x1b[31mred", r"bell\x07esc\x1B[31mred"),
        (b"bad \xff\xc3 utf8", r"bad \xFF\xC3 utf8"),
        (&long, &format!("{}\\...", "A".repeat(256))),
    ];
    for (name, shown) in cases {
        let (out, err) = record(
            Hook::connect()
                .env("common_name", name)
                .env("time_unix", "0"),
        );
        assert_eq!(
            out,
            format!("User '{shown}' at 1970-01-01-00:00 using - from -\n"),
            "name {:?}",
            String::from_utf8_lossy(name)
        );
        assert_eq!(err, "");
    }
}

#[test]
fn garbage_numbers_fall_back_and_are_reported() {
    let run = Hook::disconnect()
        .envs(&[
            ("common_name", "alice"),
            ("trusted_ip", "198.51.100.7; rm -rf /"),
            ("untrusted_ip", "203.0.113.5"),
            ("untrusted_port", "99999"),
            ("time_unix", "1700000000"),
            ("time_duration", "12abc"),
            ("bytes_received", "-5"),
            ("bytes_sent", "1234567890123456789012345"),
        ])
        .args(["--utc", "--file", "-"])
        .run();
    run.expect_code(0);
    assert_eq!(
        run.stdout(),
        "User 'alice' using - from 203.0.113.5:0 for 2023-11-14-22:13 to 2023-11-14-22:13 \
         (0:00) BW(up/down) 0.000/0.000\n"
    );
    let err = run.stderr();
    for expected in [
        "vpn-disconnect-log: warning: trusted_ip='198.51.100.7; rm -rf /': not an IP address; using untrusted_ip\n",
        "vpn-disconnect-log: warning: untrusted_port='99999': too large; using no port\n",
        "vpn-disconnect-log: warning: time_duration='12abc': not a decimal number; using 0\n",
        "vpn-disconnect-log: warning: bytes_received='-5': not a decimal number; using 0\n",
        "vpn-disconnect-log: warning: bytes_sent='1234567890123456789012345': too large; using 0\n",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{}", run.report());
    }
    // --quiet silences warnings but not the record.
    let quiet = Hook::disconnect()
        .envs(&[("time_duration", "x")])
        .args(["-q", "--file", "-"])
        .run();
    quiet.expect_code(0).expect_stderr_empty();
    assert_eq!(quiet.stdout().lines().count(), 1);
}

#[test]
fn missing_time_unix_uses_the_current_time() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (out, _) = record(Hook::connect());
    let date = out
        .strip_prefix("User '' at ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("unexpected record {out:?}"));
    // Compare with what `date` says for the instants around the run (a minute may turn).
    let expected: Vec<String> = [before, before + 60]
        .iter()
        .map(|&t| crate::util::utc_date(t as i64, "%F-%H:%M"))
        .collect();
    assert!(
        expected.iter().any(|e| e == date),
        "{date} not in {expected:?}"
    );
}

#[test]
fn the_client_config_file_argument_is_accepted_and_left_alone() {
    let dir = TempDir::new("ccfile");
    let config = dir.join("openvpn_cc_0123456789abcdef.tmp");
    std::fs::write(&config, b"").unwrap();
    let log = dir.join("connect.log");
    let run = Hook::connect()
        .envs(ALICE)
        .args(["--utc", "--file"])
        .arg(&log)
        .arg(&config)
        .run();
    run.expect_code(0).expect_stderr_empty();
    assert_eq!(
        std::fs::read(&config).unwrap(),
        b"",
        "config file was written"
    );
    assert_eq!(crate::util::read(&log).lines().count(), 1);
}
