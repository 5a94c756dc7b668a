//! The command line as an administrator meets it: help, version, mistakes.

use crate::util::{Hook, TempDir, ALICE, ALICE_DISCONNECT, CONNECT, DISCONNECT};

#[test]
fn help_prints_the_programs_help_text_and_exits_0() {
    // What the text says is checked where it is written (`cli::tests`).
    let texts = [
        (CONNECT, vpn_log::cli::CONNECT_HELP),
        (DISCONNECT, vpn_log::cli::DISCONNECT_HELP),
    ];
    for (program, text) in texts {
        for flag in ["-h", "--help"] {
            let run = Hook::new(program).arg(flag).run();
            run.expect_code(0).expect_stderr_empty();
            assert_eq!(run.stdout(), text, "{}", run.report());
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

#[test]
fn a_newline_in_an_argument_forges_no_line_in_the_servers_log() {
    let dir = TempDir::new("forged-argument");
    let run = Hook::disconnect()
        .envs(ALICE)
        .args(["--utc", "-f"])
        .arg(dir.join("x.log"))
        .arg("\nvpn-disconnect-log: forged")
        .run();
    run.expect_code(0);
    let kept = format!("{DISCONNECT}: undelivered record: {ALICE_DISCONNECT}");
    let expected = [
        format!(
            "{DISCONNECT}: usage error: unexpected argument '\\x0A{DISCONNECT}: forged' \
             (see --help)\n"
        ),
        kept,
    ];
    assert_eq!(run.stderr(), expected.concat(), "{}", run.report());
    assert_eq!(run.stderr().lines().count(), 2, "{}", run.report());
}
