//! Project rules checked as tests: no dependencies, versions in step, formatting, and the
//! invariants of ARCHITECTURE.md that a grep can see.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_dependency_section_has_entries() {
    let manifest = text("Cargo.toml");
    let mut section = String::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        assert!(
            !section.contains("dependencies"),
            "Cargo.toml {section} has an entry: {line}; the hooks are std-only"
        );
    }
}

#[test]
fn versions_agree_everywhere() {
    let version = env!("CARGO_PKG_VERSION");
    for page in ["man/vpn-connect-log.8", "man/vpn-disconnect-log.8"] {
        let th = text(page)
            .lines()
            .find(|l| l.starts_with(".TH "))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{page} has no .TH line"));
        assert!(
            th.contains(&format!("\"vpn-log {version}\"")),
            "{page}: {th} does not name vpn-log {version}"
        );
    }
    let changelog = text("CHANGELOG.md");
    let latest = changelog
        .lines()
        .find(|l| l.starts_with("## ") && !l.contains("Unreleased"))
        .unwrap_or_default();
    assert!(
        latest.starts_with(&format!("## {version} ")),
        "CHANGELOG.md's latest release is {latest:?}, Cargo.toml says {version}"
    );
}

#[test]
fn code_is_formatted() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let run = crate::util::run(
        std::process::Command::new(cargo)
            .args(["fmt", "--check"])
            .current_dir(root()),
    );
    assert!(
        run.status.success(),
        "cargo fmt --check failed\n{}",
        run.report()
    );
}

#[test]
fn product_code_avoids_what_breaks_the_hooks() {
    // HashMap/HashSet seed from getrandom(2); println!/eprintln! panic on a closed pipe;
    // `sys::getenv` reads the environment in place, sound only while nothing changes it.
    let forbidden = [
        "HashMap",
        "HashSet",
        "RandomState",
        "println!",
        "eprintln!",
        "set_var",
        "remove_var",
    ];
    let mut files = Vec::new();
    source_files(&root().join("src"), &mut files);
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        // Unit tests follow `#[cfg(test)]` at the end of a module and may print.
        let product = source.split("#[cfg(test)]").next().unwrap_or_default();
        // Comments may name what they avoid.
        let code: String = product
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for word in forbidden {
            assert!(
                !code.contains(word),
                "{} uses {word} outside its tests",
                file.display()
            );
        }
    }
}

/// The code of a Rust source line: without its `//` comment and without the contents of its
/// string literals (enough for the one-line strings of this project).
fn code_of(line: &str) -> String {
    let mut code = String::new();
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, _) => code.push(c),
        }
    }
    code
}

/// Whether `code` holds `word` as a whole Rust word (so `unsafe_code` is not `unsafe`).
fn has_word(code: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[test]
fn unsafe_code_is_only_in_sys_and_every_block_says_why_it_is_sound() {
    let sys = root().join("src/sys.rs");
    let mut files = Vec::new();
    for dir in ["src", "tests", "bench"] {
        source_files(&root().join(dir), &mut files);
    }
    assert!(files.contains(&sys), "src/sys.rs is missing");
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for (number, line) in lines.iter().enumerate() {
            if !has_word(&code_of(line), "unsafe") {
                continue;
            }
            assert_eq!(
                file,
                &sys,
                "{}:{}: unsafe outside src/sys.rs: {line}",
                file.display(),
                number + 1
            );
            // `extern` items are declarations; every `unsafe` block (or `unsafe impl`, `unsafe
            // fn`) needs the comment block right above it to start with `// SAFETY:`.
            let comments: Vec<&str> = lines[..number]
                .iter()
                .rev()
                .map(|l| l.trim_start())
                .take_while(|l| l.starts_with("//"))
                .collect();
            assert!(
                comments.last().is_some_and(|c| c.starts_with("// SAFETY:")),
                "src/sys.rs:{}: no `// SAFETY:` comment right above: {line}",
                number + 1
            );
        }
    }
    // The crate denies unsafe code and allows it on that one module only.
    let lib = text("src/lib.rs");
    assert!(lib.contains("#![deny(unsafe_code)]"), "src/lib.rs: no deny");
    let allows: Vec<&str> = lib.matches("#[allow(unsafe_code)]").collect();
    assert_eq!(allows.len(), 1, "src/lib.rs: one #[allow(unsafe_code)]");
    assert!(
        lib.contains("#[allow(unsafe_code)]\npub mod sys;"),
        "src/lib.rs: #[allow(unsafe_code)] must be on `mod sys` alone"
    );
}

#[test]
fn the_unsafe_check_sees_what_it_should() {
    let cases = [
        ("let x = unsafe { f() };", true),
        ("unsafe fn f() {}", true),
        ("#![deny(unsafe_code)]", false),
        ("// unsafe { in a comment }", false),
        ("let not_unsafe = 1;", false),
        ("f(); // SAFETY: unsafe is fine here", false),
        ("assert!(x, \"unsafe {\");", false),
        ("let s = \"a \\\" b\"; unsafe { g() }", true),
    ];
    for (line, expected) in cases {
        assert_eq!(has_word(&code_of(line), "unsafe"), expected, "{line}");
    }
}

#[test]
fn man_pages_use_only_portable_macros() {
    // The subset that mandoc (the BSDs, macOS) and groff render alike; see STYLE.md.
    let allowed = [".TH", ".SH", ".B", ".BR", ".I", ".IR", ".PP", ".TP"];
    for page in ["man/vpn-connect-log.8", "man/vpn-disconnect-log.8"] {
        for (number, line) in text(page).lines().enumerate() {
            if let Some(request) = line
                .split_whitespace()
                .next()
                .filter(|w| w.starts_with('.'))
            {
                assert!(
                    allowed.contains(&request),
                    "{page}:{}: {request} is not one of {allowed:?}",
                    number + 1
                );
            }
            assert!(
                !line.starts_with('\''),
                "{page}:{}: line starts with a quote",
                number + 1
            );
        }
    }
}

#[test]
fn packaging_versions_match_cargo_toml() {
    // The recipes in packaging/ name the version themselves; a release bumps them all.
    // (file, what precedes the version on its line, what follows it; "" for the line's end)
    let recipes = [
        ("packaging/debian/changelog", "vpn-log (", ")"),
        ("packaging/rpm/vpn-log.spec", "Version:", ""),
        ("packaging/openwrt/Makefile", "PKG_VERSION:=", ""),
        ("packaging/freebsd/Makefile", "DISTVERSION=", ""),
        ("packaging/alpine/APKBUILD", "pkgver=", ""),
    ];
    let version = env!("CARGO_PKG_VERSION");
    for (file, before, after) in recipes {
        let source = text(file);
        let line = source
            .lines()
            .find(|l| l.starts_with(before))
            .unwrap_or_else(|| panic!("{file} has no line starting with {before:?}"));
        let rest = &line[before.len()..];
        let found = if after.is_empty() {
            rest
        } else {
            rest.split(after).next().unwrap_or_default()
        };
        assert_eq!(
            found.trim(),
            version,
            "{file}: {line:?} does not name version {version} (Cargo.toml)"
        );
    }
}

#[test]
fn the_retention_the_man_pages_state_is_the_logrotate_files() {
    // PRIVACY says how long the packaged logrotate configuration keeps records.
    let config = text("packaging/logrotate/vpn-log");
    let directives: Vec<&str> = config.lines().map(str::trim).collect();
    for page in ["man/vpn-connect-log.8", "man/vpn-disconnect-log.8"] {
        let page_text = text(page);
        assert!(
            page_text.contains("keeps twelve monthly files, a year of records")
                && page_text.contains("(\\fBmonthly\\fR, \\fBrotate 12\\fR)"),
            "{page}: PRIVACY no longer states the retention; update this test with it"
        );
        for directive in ["monthly", "rotate 12"] {
            assert!(
                directives.contains(&directive),
                "packaging/logrotate/vpn-log has no {directive:?}, as {page} (PRIVACY) says"
            );
        }
    }
}
