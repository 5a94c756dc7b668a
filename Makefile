# vpn-log: build, test, install. `make check` is the full test suite that .ci/run runs.
CARGO ?= cargo

.PHONY: all build check test demo e2e
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
