#!/usr/bin/env bash
# Packaging checks (README.md, "Install"), run by .ci/run as root after `make check`:
#   1. `make install` / `make uninstall` into a DESTDIR, and `cargo install --path .`;
#   2. without the tiny toolchain, `make deb` and `make rpm` say what is missing and how to get
#      it, and the fallback they name (packaging the stable route's build) works;
#   3. the .deb: built, lintian clean, installed with dpkg -i, both hooks run from /usr/sbin
#      (by hand and by the OpenVPN end-to-end suite), the logrotate configuration used for a
#      real rotation, removed with dpkg -r and -P;
#   4. the .rpm: built, its file list, config files and dependencies checked with rpm -qp;
#   5. `make dist`: the source tarball the OpenWrt, FreeBSD and Alpine recipes use.
# Every step fails loudly; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
work=$(mktemp -d)
installed=no
# A failure between dpkg -i and dpkg -P must not leave the package on the machine.
cleanup() {
    if [ "$installed" = yes ]; then dpkg -P vpn-log >/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n=== %s\n' "$*"; }
fail() {
    echo "FAILED: $*" >&2
    exit 1
}
# expect_same WHAT EXPECTED ACTUAL: compares two texts, printing both on a difference.
expect_same() {
    if [ "$2" != "$3" ]; then
        printf 'FAILED: %s\n--- expected ---\n%s\n--- actual ---\n%s\n' "$1" "$2" "$3" >&2
        exit 1
    fi
}
[ "$(id -u)" -eq 0 ] || fail "dpkg -i needs root: run as root (.ci/run does)"
for program in dpkg-deb lintian man rpmbuild rpm logrotate; do
    command -v "$program" >/dev/null || fail "$program not found: see the apt list in .ci/run"
done

# A sample session and the records the hooks must make of it (README.md).
sample_env=(common_name=alice ifconfig_pool_remote_ip=10.8.0.6 trusted_ip=198.51.100.7
    trusted_port=50123 time_unix=1700000000 time_duration=3900 bytes_received=1005000
    bytes_sent=28948)
connect_record="User 'alice' at 2023-11-14-22:13 using 10.8.0.6 from 198.51.100.7:50123"
disconnect_record="User 'alice' using 10.8.0.6 from 198.51.100.7:50123 for 2023-11-14-22:13 \
to 2023-11-14-23:18 (1:05) BW(up/down) 1.005/0.028"

step "make install / make uninstall (PREFIX, DESTDIR)"
stage=$work/stage
make --no-print-directory install DESTDIR="$stage" PREFIX=/opt/vpn-log
expect_same "files and modes after make install" "\
755 /opt/vpn-log/sbin/vpn-connect-log
755 /opt/vpn-log/sbin/vpn-disconnect-log
644 /opt/vpn-log/share/man/man8/vpn-connect-log.8
644 /opt/vpn-log/share/man/man8/vpn-disconnect-log.8" \
    "$(cd "$stage" && find . -type f -printf '%m /%P\n' | LC_ALL=C sort -k 2)"
"$stage/opt/vpn-log/sbin/vpn-connect-log" --version |
    grep -x "vpn-connect-log $version" >/dev/null ||
    fail "installed vpn-connect-log --version does not say $version"
make --no-print-directory uninstall DESTDIR="$stage" PREFIX=/opt/vpn-log
expect_same "files left after make uninstall" "" "$(find "$stage" ! -type d)"
make --no-print-directory install DESTDIR="$stage" # the default PREFIX
[ -x "$stage/usr/local/sbin/vpn-disconnect-log" ] || fail "default PREFIX is not /usr/local"
[ -f "$stage/usr/local/share/man/man8/vpn-disconnect-log.8" ] || fail "no man page in /usr/local"

step "cargo install --path ."
cargo install --quiet --locked --path . --root "$work/cargo"
for hook in vpn-connect-log vpn-disconnect-log; do
    "$work/cargo/bin/$hook" --version >/dev/null || fail "cargo install: $hook does not run"
done

step "make deb / make rpm without the tiny toolchain: what is missing and how to get it"
# Each must stop before cargo runs, name what is missing and both routes to get it.
mkdir -p "$work/no-std/bin"
# A compiler whose sysroot has no std sources (a rustup toolchain without rust-src).
printf '#!/bin/sh\ncase "$*" in "--print sysroot") echo %s ;; *) exec /usr/bin/rustc "$@" ;; esac\n' \
    "$work/no-std" >"$work/no-std/bin/rustc"
chmod +x "$work/no-std/bin/rustc"
for case in "TINY_RUSTC=/nonexistent/rustc|no Rust compiler at '/nonexistent/rustc'" \
    "TINY_CARGO=/nonexistent/cargo|no cargo at '/nonexistent/cargo'" \
    "TINY_RUSTC=$work/no-std/bin/rustc|no std sources in $work/no-std/lib/rustlib/src" \
    "LINKER=no-such-musl-gcc|no C linker 'no-such-musl-gcc'"; do
    for goal in deb rpm; do
        if make --no-print-directory "$goal" "${case%%|*}" >"$work/said" 2>&1; then
            fail "make $goal ${case%%|*} succeeded"
        fi
        for expected in "${case#*|}" "apt-get install rustc-web cargo-web rust-web-src musl-tools" \
            "rustup toolchain install nightly --component rust-src" \
            "make deb BIN_DIR=dist/stable/x86_64-unknown-linux-musl"; do
            grep -qF -- "$expected" "$work/said" ||
                fail "make $goal ${case%%|*} does not say: $expected; it said: $(cat "$work/said")"
        done
        ! grep -q 'Compiling\|^error' "$work/said" || fail "make $goal ${case%%|*} ran cargo"
    done
done

step "the documented fallback: make deb / rpm BIN_DIR=<the stable route's build>; lintian"
rustup target add x86_64-unknown-linux-musl
make --no-print-directory static-stable
rm -f dist/vpn-log_*.deb dist/vpn-log-*.rpm
make --no-print-directory deb rpm BIN_DIR=dist/stable/x86_64-unknown-linux-musl
deb=dist/vpn-log_${version}_amd64.deb
lintian --fail-on error,warning --tag-display-limit 0 "$deb" || fail "lintian: $deb"
cmp <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/sbin/vpn-connect-log) \
    dist/stable/x86_64-unknown-linux-musl/vpn-connect-log || fail "$deb: not the stable build"
[ -f "dist/vpn-log-$version-1.x86_64.rpm" ] || fail "make rpm BIN_DIR=... made no rpm"

step "make deb; lintian"
rm -f dist/vpn-log_*.deb
make --no-print-directory deb
deb=dist/vpn-log_${version}_amd64.deb
[ -f "$deb" ] || fail "make deb did not make $deb"
lintian --fail-on error,warning --tag-display-limit 0 "$deb" || fail "lintian: $deb"

step "dpkg -i; the hooks from /usr/sbin; logrotate; dpkg -r; dpkg -P"
installed=yes
dpkg -i "$deb"
dpkg -s vpn-log | grep -x "Version: $version" >/dev/null ||
    fail "dpkg -s: vpn-log $version not installed"
for hook in vpn-connect-log vpn-disconnect-log; do
    [ "$(stat -c '%a %U' "/usr/sbin/$hook")" = "755 root" ] || fail "/usr/sbin/$hook mode or owner"
    # man-db comes with lintian; `man HOOK` is what an administrator types.
    [ "$(man -w "$hook")" = "/usr/share/man/man8/$hook.8.gz" ] || fail "man -w $hook"
done
[ -f /usr/share/doc/vpn-log/copyright ] || fail "no copyright file"
logs=$work/logs
mkdir -p "$logs"
# As OpenVPN runs them: an empty environment but OpenVPN's variables, and for client-connect
# the path of a client-config file, which must stay untouched.
: >"$work/openvpn_cc.tmp"
env -i "${sample_env[@]}" /usr/sbin/vpn-connect-log --utc --file "$logs/remote.connect" \
    "$work/openvpn_cc.tmp"
env -i "${sample_env[@]}" /usr/sbin/vpn-disconnect-log --utc --file "$logs/disconnect.log"
expect_same "connect record" "$connect_record" "$(cat "$logs/remote.connect")"
expect_same "disconnect record" "$disconnect_record" "$(cat "$logs/disconnect.log")"
[ ! -s "$work/openvpn_cc.tmp" ] || fail "vpn-connect-log wrote into the client-config file"
# And under real OpenVPN servers and clients: the end-to-end suite on the installed hooks.
make --no-print-directory e2e E2E_BIN_DIR=/usr/sbin

# The packaged logrotate configuration, pointed at the sample files: after a forced
# rotation the next record lands in a new file, without any signal to anyone.
sed -e "s#/var/log/openvpn/remote.connect#$logs/remote.connect#" \
    -e "s#/var/log/openvpn-disconnect.log#$logs/disconnect.log#" \
    /etc/logrotate.d/vpn-log >"$work/logrotate.conf"
grep -q "$logs/disconnect.log" "$work/logrotate.conf" || fail "logrotate paths not replaced"
logrotate --force --state "$work/logrotate.state" "$work/logrotate.conf"
[ -f "$logs/remote.connect.1" ] || fail "logrotate did not rotate remote.connect"
env -i "${sample_env[@]}" /usr/sbin/vpn-connect-log --utc --file "$logs/remote.connect"
expect_same "record after rotation" "$connect_record" "$(cat "$logs/remote.connect")"

dpkg -r vpn-log
for path in /usr/sbin/vpn-connect-log /usr/sbin/vpn-disconnect-log \
    /usr/share/man/man8/vpn-connect-log.8.gz /usr/share/doc/vpn-log; do
    [ ! -e "$path" ] || fail "dpkg -r left $path"
done
[ -f /etc/logrotate.d/vpn-log ] || fail "dpkg -r removed the conffile (only purge may)"
dpkg -P vpn-log
installed=no
[ ! -e /etc/logrotate.d/vpn-log ] || fail "dpkg -P left /etc/logrotate.d/vpn-log"

step "make rpm; rpm -qp"
rm -f dist/vpn-log-*.rpm
make --no-print-directory rpm
rpm=dist/vpn-log-$version-1.x86_64.rpm
[ -f "$rpm" ] || fail "make rpm did not make $rpm"
expect_same "rpm -qlp $rpm" "\
/etc/logrotate.d/vpn-log
/usr/sbin/vpn-connect-log
/usr/sbin/vpn-disconnect-log
/usr/share/doc/vpn-log-$version
/usr/share/doc/vpn-log-$version/CHANGELOG.md
/usr/share/doc/vpn-log-$version/README.md
/usr/share/doc/vpn-log-$version/examples
/usr/share/doc/vpn-log-$version/examples/openvpn-server-file.conf
/usr/share/doc/vpn-log-$version/examples/openvpn-server-syslog.conf
/usr/share/licenses/vpn-log-$version
/usr/share/licenses/vpn-log-$version/LICENSE
/usr/share/man/man8/vpn-connect-log.8.gz
/usr/share/man/man8/vpn-disconnect-log.8.gz" "$(rpm -qlp "$rpm")"
expect_same "rpm -qpc (config files)" "/etc/logrotate.d/vpn-log" "$(rpm -qpc "$rpm")"
expect_same "rpm -qp --requires (nothing but rpmlib features)" "" \
    "$(rpm -qpR "$rpm" | grep -v '^rpmlib(' || true)"
expect_same "modes in the rpm" "755 /usr/sbin/vpn-connect-log
755 /usr/sbin/vpn-disconnect-log" \
    "$(rpm -qp --queryformat '[%{FILEMODES:octal} %{FILENAMES}\n]' "$rpm" |
        sed -n 's#^100\(755\) \(/usr/sbin/.*\)#\1 \2#p')"

step "make dist"
rm -f "dist/vpn-log-$version.tar.gz"
make --no-print-directory dist
tar -tzf "dist/vpn-log-$version.tar.gz" | grep -x "vpn-log-$version/Cargo.toml" >/dev/null ||
    fail "dist/vpn-log-$version.tar.gz has no vpn-log-$version/Cargo.toml"

step "packages: all checks passed"
