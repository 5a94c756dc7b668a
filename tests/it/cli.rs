//! The command line as an administrator meets it: help, version, mistakes.

use crate::util::{Hook, CONNECT, DISCONNECT};

#[test]
fn help_lists_every_option_and_exits_0() {
    let defaults = [
        (CONNECT, "/var/log/openvpn/remote.connect"),
        (DISCONNECT, "/var/log/openvpn-disconnect.log"),
    ];
    for (program, default_file) in defaults {
        for flag in ["-h", "--help"] {
            let run = Hook::new(program).arg(flag).run();
            run.expect_code(0).expect_stderr_empty();
            let help = run.stdout();
            assert!(help.starts_with(program), "{}", run.report());
            for option in [
                "--file",
                #[cfg(feature = "syslog")]
                "--syslog",
                #[cfg(feature = "syslog")]
                "--facility",
                #[cfg(feature = "syslog")]
                "--tag",
                #[cfg(feature = "syslog")]
                "--syslog-socket",
                "--format",
                "--instance",
                "--utc",
                "--strict",
                "--quiet",
                "--help",
                "--version",
            ] {
                assert!(help.contains(option), "{option} missing\n{}", run.report());
            }
            assert!(help.contains(default_file), "{}", run.report());
            // Every option line is indented, none starts at the margin.
            for line in help.lines().filter(|l| l.trim_start().starts_with('-')) {
                assert!(
                    line.starts_with("  "),
                    "unindented {line:?}\n{}",
                    run.report()
                );
            }
        }
    }
}

#[test]
fn version_prints_the_package_version() {
    for program in [CONNECT, DISCONNECT] {
        for flag in ["-V", "--version"] {
            let run = Hook::new(program).arg(flag).run();
            run.expect_code(0).expect_stderr_empty();
            assert_eq!(
                run.stdout(),
                format!("{program} {}\n", env!("CARGO_PKG_VERSION"))
            );
        }
    }
}

#[test]
fn usage_errors_exit_0_and_keep_the_record_on_stderr() {
    let cases: &[(&str, &[&str], &str)] = &[
        (CONNECT, &["--bogus"], "unknown option '--bogus'"),
        (CONNECT, &["--file"], "missing value for option '--file'"),
        (CONNECT, &["a", "b"], "unexpected argument 'b'"),
        (DISCONNECT, &["/tmp/x"], "unexpected argument '/tmp/x'"),
        (DISCONNECT, &["--utc=1"], "option takes no value '--utc=1'"),
    ];
    for &(program, args, message) in cases {
        let run = Hook::new(program)
            .envs(&[("common_name", "alice"), ("time_unix", "0")])
            .args(args)
            .run();
        run.expect_code(0);
        assert!(run.stdout.is_empty(), "{}", run.report());
        let err = run.stderr();
        let diagnostic = format!("{program}: usage error: {message} (see --help)\n");
        assert!(err.starts_with(&diagnostic), "{}", run.report());
        let kept = format!("{program}: undelivered record: User 'alice' ");
        assert!(err.contains(&kept), "{}", run.report());

        let strict = Hook::new(program).args(args).arg("--strict").run();
        strict.expect_code(1);
        let quiet = Hook::new(program).args(args).arg("--quiet").run();
        quiet.expect_code(0);
        assert!(
            quiet
                .stderr()
                .starts_with(&format!("{program}: undelivered record: ")),
            "--quiet keeps only the record\n{}",
            quiet.report()
        );
    }
}

#[test]
fn a_lone_dash_means_standard_output() {
    let run = Hook::connect()
        .envs(&[("common_name", "alice"), ("time_unix", "0")])
        .args(["--utc", "-f", "-"])
        .run();
    run.expect_code(0).expect_stderr_empty();
    assert_eq!(
        run.stdout(),
        "User 'alice' at 1970-01-01-00:00 using - from -\n"
    );
}
