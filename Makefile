# vpn-log: build, test, install. `make check` is the full test suite that .ci/run runs.
CARGO ?= cargo
INSTALL ?= install

VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n 1)
HOOKS = vpn-connect-log vpn-disconnect-log

.PHONY: all build check test demo e2e
.PHONY: install uninstall dist deb rpm package-bins package-check
all: build

build:
	$(CARGO) build --release

# A sample session through both hooks, printed to standard output (README.md, "Try it").
DEMO_ENV = common_name=alice ifconfig_pool_remote_ip=10.8.0.6 trusted_ip=198.51.100.7 \
	trusted_port=50123 time_unix=1700000000 time_duration=3900 \
	bytes_received=1005000 bytes_sent=28948
demo: build
	env -i $(DEMO_ENV) target/release/vpn-connect-log --file - /tmp/openvpn_cc_demo.tmp
	env -i $(DEMO_ENV) target/release/vpn-disconnect-log --file -

# The fast suite: what `cargo test` runs on any machine.
test:
	$(CARGO) test

# The end-to-end suite: real OpenVPN servers and clients run the release hooks (as root, with
# /dev/net/tun and the packages README.md, "Testing", lists). E2E_BIN_DIR: the hooks to test.
# The scenarios mostly wait (on keepalive timeouts), so all of them run at once, whatever the
# number of cores.
E2E_BIN_DIR ?= $(CURDIR)/target/release
e2e: build
	VPN_LOG_E2E=1 VPN_LOG_BIN_DIR=$(E2E_BIN_DIR) $(CARGO) test --test it openvpn -- --test-threads=8

# Everything CI checks, slow and privileged suites included (see README.md, "Testing").
check:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets --no-default-features -- -D warnings
	$(CARGO) test --no-default-features
	VPN_LOG_SLOW=1 $(CARGO) test
	$(MAKE) demo
	$(MAKE) e2e

# --- Static builds (README.md, "Building for your router") --------------------------------
# `make static TARGET=<triple>` -> dist/<triple>/vpn-connect-log, vpn-disconnect-log.
# The tiny route: Debian's rustc-web/cargo-web with the std sources of rust-web-src, std rebuilt
# for size with immediate-abort panics, offline. Nothing here changes a plain `cargo build`.
TARGET ?= x86_64-unknown-linux-musl
TINY_CARGO ?= /usr/bin/cargo
TINY_RUSTC ?= /usr/bin/rustc
# The crates std depends on, vendored by rust-web-src: build-std never touches the network.
RUST_VENDOR ?= /usr/lib/rustlib/src/rust/library/vendor
TINY_CONFIG = --config 'source.crates-io.replace-with="vendored-std"' \
	--config 'source.vendored-std.directory="$(RUST_VENDOR)"'
TINY_ZFLAGS = -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
# OPT_LEVEL=s overrides Cargo.toml's "z" (measured: README.md, "Size"); TINY_CARGOFLAGS adds
# any other cargo arguments.
OPT_LEVEL ?=
TINY_CARGOFLAGS ?= $(if $(OPT_LEVEL),--config 'profile.release.opt-level="$(OPT_LEVEL)"')
# One target dir per route and target: caches std, and lets builds run side by side.
TINY_DIR = target/tiny/$(TARGET)
DIST = dist/$(TARGET)

# The C side per target: Debian's musl-gcc wrappers (musl-dev:<arch> + gcc-<triple>).
# mipsel links a soft-float musl built from Debian's source package (see musl-softfloat).
MUSL_SF = target/musl-softfloat/mipsel
LINKER_x86_64-unknown-linux-musl = x86_64-linux-musl-gcc
LINKER_aarch64-unknown-linux-musl = aarch64-linux-musl-gcc
LINKER_armv7-unknown-linux-musleabihf = arm-linux-musleabihf-gcc
LINKER_mipsel-unknown-linux-musl = $(CURDIR)/$(MUSL_SF)/bin/musl-gcc
RUNNER_aarch64-unknown-linux-musl = qemu-aarch64-static
RUNNER_armv7-unknown-linux-musleabihf = qemu-arm-static
RUNNER_mipsel-unknown-linux-musl = qemu-mipsel-static
STATIC_TARGETS = x86_64-unknown-linux-musl aarch64-unknown-linux-musl \
	armv7-unknown-linux-musleabihf mipsel-unknown-linux-musl

# Why each flag (BUILD-NOTES, README.md "Building for your router"): the system musl-gcc links
# (no self-contained objects) and cannot make static-pie; mips needs +crt-static spelled out;
# nothing unwinds, so no unwind tables and an empty libunwind.a satisfies std's link line;
# noseparate-code and norelro drop page padding that a static binary gains nothing from
# (only a dynamic loader applies RELRO).
TINY_RUSTFLAGS = -C linker=$(LINKER_$(TARGET)) -C link-self-contained=no \
	-C relocation-model=static -C target-feature=+crt-static \
	-Z unstable-options -C panic=immediate-abort -C force-unwind-tables=no \
	-L $(CURDIR)/$(TINY_DIR)/empty \
	-C link-arg=-Wl,-z,noseparate-code -C link-arg=-Wl,-z,norelro

.PHONY: static static-all static-stable static-test static-test-all static-budget cross-check musl-softfloat bench
static: $(if $(filter mipsel-%,$(TARGET)),$(MUSL_SF)/bin/musl-gcc)
	@test -n "$(LINKER_$(TARGET))" || { echo "no linker known for $(TARGET)" >&2; exit 1; }
	mkdir -p $(TINY_DIR)/empty $(DIST)
	rm -f $(TINY_DIR)/empty/libunwind.a && ar rc $(TINY_DIR)/empty/libunwind.a
	+RUSTC_BOOTSTRAP=1 RUSTC=$(TINY_RUSTC) RUSTFLAGS="$(TINY_RUSTFLAGS)" \
		$(TINY_CARGO) build --release --offline $(TINY_CONFIG) $(TINY_ZFLAGS) \
		$(TINY_CARGOFLAGS) --target $(TARGET) --target-dir $(TINY_DIR)
	cp $(TINY_DIR)/$(TARGET)/release/vpn-connect-log \
		$(TINY_DIR)/$(TARGET)/release/vpn-disconnect-log $(DIST)/
	@ls -l $(DIST)/

# All router and server targets; `make -j2 static-all` builds two at a time.
static-all: $(addprefix static-,$(STATIC_TARGETS))
static-%:
	$(MAKE) static TARGET=$*

# The plain stable route, for comparison: rustup's prebuilt musl std (~390 KiB binaries).
# Needs `rustup target add $(TARGET)`; -> dist/stable/<triple>/.
static-stable:
	$(CARGO) build --release --target $(TARGET) --target-dir target/stable
	mkdir -p dist/stable/$(TARGET)
	cp target/stable/$(TARGET)/release/vpn-connect-log \
		target/stable/$(TARGET)/release/vpn-disconnect-log dist/stable/$(TARGET)/
	@ls -l dist/stable/$(TARGET)/

# Type-checks the BSDs and macOS, which cannot be linked here, with the same toolchain: no
# Linux-only API slips in. One cargo run for all of them keeps both cores busy.
CHECK_TARGETS ?= x86_64-unknown-freebsd x86_64-unknown-openbsd x86_64-unknown-netbsd \
	aarch64-apple-darwin
cross-check:
	+RUSTC_BOOTSTRAP=1 RUSTC=$(TINY_RUSTC) $(TINY_CARGO) check --offline $(TINY_CONFIG) \
		--config profile.dev.debug=0 $(TINY_ZFLAGS) \
		$(addprefix --target ,$(CHECK_TARGETS)) --target-dir target/cross-check

# The integration suite against the binaries in dist/<triple>, through qemu-user for foreign
# CPUs (tests/it/util.rs reads VPN_LOG_BIN_DIR and VPN_LOG_RUNNER).
static-test:
	VPN_LOG_BIN_DIR=$(CURDIR)/$(DIST) VPN_LOG_RUNNER=$(RUNNER_$(TARGET)) $(CARGO) test --test it

static-test-all:
	for t in $(STATIC_TARGETS); do $(MAKE) static-test TARGET=$$t || exit 1; done

# Size, static linking and no getrandom(2) of dist/x86_64-unknown-linux-musl; with
# VPN_LOG_STATIC_STABLE=1 in the environment also of dist/stable/ (make static-stable).
static-budget:
	VPN_LOG_STATIC=1 $(CARGO) test --test it static_build -- --nocapture

# Wall time, instructions, peak RSS and size against a shell hook and a do-nothing floor
# (README.md, "Performance"); uses dist/x86_64-unknown-linux-musl.
bench:
	bench/run

# Soft-float musl for mipsel (OpenWrt's ath79/ramips have no FPU; Debian's mipsel musl is
# hard-float), from Debian's source package (needs deb-src) or MUSL_SRC=<unpacked musl>.
MUSL_SRC ?=
musl-softfloat: $(MUSL_SF)/bin/musl-gcc
$(MUSL_SF)/bin/musl-gcc:
	rm -rf target/musl-src && mkdir -p target/musl-src
	$(if $(MUSL_SRC),cp -r $(MUSL_SRC) target/musl-src/,cd target/musl-src && apt-get source -qq musl)
	cd target/musl-src/musl-*/ && ./configure --target=mipsel-linux-gnu \
		--prefix=$(CURDIR)/$(MUSL_SF) --disable-shared --enable-wrapper=gcc \
		CC=mipsel-linux-gnu-gcc CFLAGS="-msoft-float -Os" >/dev/null
	$(MAKE) -C target/musl-src/musl-*/ install >/dev/null

# Installation (README.md, "Install"): `make install PREFIX=/usr DESTDIR=/tmp/stage`. The
# binaries are rebuilt only when a source is newer, so `sudo make install` after `make` needs
# no toolchain for root.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SOURCES := Cargo.toml Cargo.lock $(shell find src -name '*.rs')

target/release/vpn-connect-log target/release/vpn-disconnect-log: $(SOURCES)
	$(CARGO) build --release

install: $(addprefix target/release/,$(HOOKS))
	$(INSTALL) -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0755 $(addprefix target/release/,$(HOOKS)) $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0644 $(addprefix man/,$(addsuffix .8,$(HOOKS))) $(DESTDIR)$(MANDIR)/man8/

# Removes the files `install` put there; the directories are shared and stay.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(HOOKS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(addsuffix .8,$(HOOKS)))

# The source tarball the OpenWrt, FreeBSD and Alpine recipes in packaging/ build from.
dist:
	mkdir -p dist
	git archive --format=tar.gz --prefix=vpn-log-$(VERSION)/ \
		-o dist/vpn-log-$(VERSION).tar.gz HEAD

# Binary packages of the static musl build (README.md, "Install"). BIN_DIR holds the two
# binaries; by default `make static` builds them into dist/$(TARGET) (x86_64 unless TARGET is
# given). Another BIN_DIR is packaged as it is, for TARGET's architecture.
BIN_DIR ?= $(DIST)
# The packages' architecture names for the CPU part of TARGET.
DEB_ARCH_x86_64 = amd64
DEB_ARCH_aarch64 = arm64
DEB_ARCH_armv7 = armhf
DEB_ARCH_mipsel = mipsel
RPM_ARCH_armv7 = armv7hl
PKG_CPU = $(firstword $(subst -, ,$(TARGET)))
DEB_ARCH ?= $(or $(DEB_ARCH_$(PKG_CPU)),$(PKG_CPU))
RPM_ARCH ?= $(or $(RPM_ARCH_$(PKG_CPU)),$(PKG_CPU))

package-bins:
ifeq ($(BIN_DIR),$(DIST))
	$(MAKE) static TARGET=$(TARGET)
endif
	@for hook in $(HOOKS); do test -x $(BIN_DIR)/$$hook || \
		{ echo "$(BIN_DIR)/$$hook: no such executable" >&2; exit 1; }; done

deb: package-bins
	packaging/debian/build-deb $(BIN_DIR) $(DEB_ARCH) dist

rpm: package-bins
	packaging/rpm/build-rpm $(BIN_DIR) $(RPM_ARCH) dist

# Builds, lints, installs and exercises the packages and `make install` (needs root; .ci/run).
package-check:
	.ci/packages.sh
