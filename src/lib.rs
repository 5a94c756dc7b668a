//! vpn-log: the OpenVPN `client-connect` and `client-disconnect` accounting hooks.
//!
//! Each run turns the environment OpenVPN hands a hook into one record — who, which VPN
//! address, from which real address, when, for how long, how many bytes — and appends it to a
//! file or sends it to the local syslog daemon. ARCHITECTURE.md has the map; the modules, in the order a record flows through them:
//!
//! - [`cli`]: the command line;
//! - [`env`](mod@env): the hook environment as raw bytes;
//! - [`session`]: the environment interpreted as one VPN session;
//! - [`privacy`]: how much of the real address a record keeps (`--real-address`);
//! - [`time`]: the host's time zone and calendar arithmetic;
//! - [`record`]: the classic one-line record, with [`escape`] and [`numbers`];
//! - [`json`]: the JSON record (`--format json`);
//! - [`chain`]: running the administrator's own hook (`-- COMMAND`);
//! - [`sink`]: delivery to a file, or to the local syslog daemon (feature `syslog`);
//! - [`diag`]: diagnostics on stderr;
//! - [`hook`]: one run from start to exit status;
//! - [`sys`]: the few C-library calls std has no lean API for, the one module exempt from
//!   `deny(unsafe_code)`.
#![deny(unsafe_code)]

pub mod chain;
pub mod cli;
pub mod diag;
pub mod env;
pub mod escape;
pub mod hook;
pub mod json;
pub mod numbers;
pub mod privacy;
pub mod record;
pub mod session;
pub mod sink;
#[allow(unsafe_code)]
pub mod sys;
pub mod time;
