# vpn-log: build, test, install. `make check` is the full test suite that .ci/run runs.
CARGO ?= cargo

.PHONY: all build check test
all: build

build:
	$(CARGO) build --release

# The fast suite: what `cargo test` runs on any machine.
test:
	$(CARGO) test

# Everything CI checks, slow and privileged suites included (see README.md, "Testing").
check:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets --no-default-features -- -D warnings
	$(CARGO) test --no-default-features
	VPN_LOG_SLOW=1 $(CARGO) test
