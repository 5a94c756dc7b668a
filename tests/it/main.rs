//! The one integration-test binary: runs the real programs with explicit environments.
//!
//! Slow or privileged suites are gated by environment variables (see README.md, "Testing");
//! when a gate is on and something the suite needs is missing, it fails loudly.

mod util;

mod chain;
mod cli;
mod delivery;
mod examples;
mod json;
mod json_parse;
mod manpages;
mod openvpn;
mod privacy;
mod records;
mod static_build;
mod syslog;
mod tidy;
mod zones;
