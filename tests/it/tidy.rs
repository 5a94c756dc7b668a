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
    // HashMap/HashSet seed from getrandom(2); println!/eprintln! panic on a closed pipe.
    let forbidden = ["HashMap", "HashSet", "RandomState", "println!", "eprintln!"];
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
        assert!(
            !code.contains("unsafe {"),
            "{} has unsafe code",
            file.display()
        );
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
