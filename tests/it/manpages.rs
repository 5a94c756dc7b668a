//! The manual pages pass the two formatters administrators read them with: mandoc (the BSDs,
//! Alpine, macOS) and groff (GNU/Linux man-db). Slow suite: gate `VPN_LOG_SLOW=1`; mandoc is
//! Debian's `mandoc` package, groff its `groff-base`.

use crate::util::{gate, require_program, run};
use std::path::PathBuf;
use std::process::Command;

/// Every page under `man/`, so a new page is linted without touching this file.
fn pages() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "8" || e == "1"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no manual pages in {}", dir.display());
    pages
}

/// Runs `program args page` on every page and asserts it succeeds and prints nothing.
fn check(program: &str, package: &str, args: &[&str]) {
    if !gate("VPN_LOG_SLOW") {
        return;
    }
    let program = require_program(program, package);
    for page in pages() {
        let lint = run(Command::new(&program).args(args).arg(&page));
        assert!(
            lint.status.success() && lint.stdout.is_empty() && lint.stderr.is_empty(),
            "{} is not clean\n{}",
            page.display(),
            lint.report()
        );
    }
}

#[test]
fn mandoc_finds_nothing_above_style() {
    // `-W warning` reports warnings, errors and unsupported requests; style hints (such as
    // a NAME line over 80 bytes) are not reported.
    check("mandoc", "mandoc", &["-T", "lint", "-W", "warning"]);
}

#[test]
fn groff_prints_no_warning() {
    // `-ww` turns on every warning; `-z` discards the output, so anything printed is one.
    check("groff", "groff-base", &["-ww", "-man", "-z"]);
}
