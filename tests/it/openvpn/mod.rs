//! End to end: real OpenVPN 2.6 servers and clients on this machine run the hooks under test,
//! and every record is checked against what the server itself reported.
//!
//! Gated by `VPN_LOG_E2E=1`: it needs root, `/dev/net/tun` and the programs `openvpn`,
//! `openssl`, `ip` (iproute2), `ping` (iputils-ping), `bash` and `rsyslogd` (rsyslog); when the
//! gate is on and one is missing, the test fails naming it. The hooks are the binaries `util::hook_path` finds (CI
//! points `VPN_LOG_BIN_DIR` at the release build).
//!
//! Shape, per scenario (the scenarios run in parallel, each in its own namespaces):
//!
//! ```text
//!  namespace <id>-srv                                 namespace <id>-c<i>
//!  openvpn server (tun vlsrv 10.231.0.1, fd00:231::1)   tun vlc<i> 10.231.0.x  <- ping
//!    ^ loopback 127.0.0.1 / ::1                            ^ moved here by the client's
//!  openvpn client <i> (created tun vlc<i>) ----------------+ `up` script
//! ```
//!
//! Some clients connect from other loopback source addresses (`127.0.5.9`, and
//! `2001:db8:1:2::7`, which the suite adds to `lo` in the server's namespace) so that
//! `--real-address network` has more than host bits to cut.
//!
//! Traffic exists only on loopback and inside namespaces the suite made (`vpnlog-<pid>-<n>-*`);
//! the VPN pools exist only there. Every process is killed by PID and every namespace deleted
//! when the scenario ends, also when an assertion fails (`lab::Lab` is a drop guard).
//!
//! Each session goes: connect, `status 3` through the management interface, pings through the
//! tunnel, then an ending (SIGTERM or SIGKILL); the scenario is complete when `status 3` lists
//! no client, since OpenVPN forgets a client only after its client-disconnect hook returned.
//! Then each record must equal, field by field, what the server reported (`status 3`) and what
//! it passed the hook (a copy of the environment saved by a wrapper around each hook).
//!
//! Adding a variant (another record destination, a chained hook) is a new [`Scenario`] with
//! other [`scenario::Hooks`] command strings: see that type.
//!
//! The same lab serves a benchmark, [`stall`]: the server's stall with many real clients per
//! kind of hook, gated separately (`VPN_LOG_BENCH_STALL=1`, run by `bench/run`).

mod config;
mod evidence;
mod lab;
mod management;
mod pki;
mod rsyslog;
mod scenario;
mod stall;

use config::{Auth, Transport};
use scenario::{Ending, Family, Hooks, Kept, Scenario, Session, SyslogHeaders, FILE_HOOKS};

/// A common name of exactly 64 characters, OpenVPN's (and X.509's) maximum.
const LONG_NAME: &str = "a-common-name-of-exactly-sixty-four-characters-0123456789-abcdef";

fn session(name: &'static str, printed: &'static str, family: Family, ending: Ending) -> Session {
    Session {
        name,
        printed,
        family,
        ending,
        source: None,
    }
}

/// Over UDP: IPv4 and IPv6, a quote and UTF-8 in names, the longest name, a killed client.
fn udp_sessions() -> Vec<Session> {
    vec![
        session("alice", "alice", Family::V4, Ending::Term),
        session("bob o'neil", "bob o\\'neil", Family::V6, Ending::Term),
        session("zoë", "zoë", Family::V4, Ending::Kill),
        session(LONG_NAME, LONG_NAME, Family::V6, Ending::Term),
    ]
}

#[test]
fn udp_sessions_are_logged_as_the_server_reports_them() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    assert_eq!(LONG_NAME.len(), 64);
    Scenario {
        label: "e2e-udp",
        transport: Transport::Udp,
        auth: Auth::Certificate,
        hooks: FILE_HOOKS,
        sessions: udp_sessions(),
    }
    .run(tools);
}

/// The same sessions with `--syslog`: a real rsyslogd receives every record intact, under the
/// facility and the `--instance` tag given, from the PID of the hook run that made it.
#[test]
fn udp_sessions_are_logged_through_rsyslogd() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-syslog",
        transport: Transport::Udp,
        auth: Auth::Certificate,
        hooks: Hooks {
            connect: "{connect} --syslog --syslog-socket {dir}/log.sock --instance e2e",
            disconnect: "{disconnect} --syslog --syslog-socket {dir}/log.sock --instance e2e \
                         --facility local3",
            connect_records: "syslog-connect.log",
            disconnect_records: "syslog-disconnect.log",
            syslog: Some(SyslogHeaders {
                connect: "daemon.info vpn-connect-log/e2e",
                disconnect: "local3.info vpn-disconnect-log/e2e",
            }),
            chained: false,
            json: false,
            real_address: [Kept::Full, Kept::Full],
        },
        sessions: udp_sessions(),
    }
    .run(tools);
}

#[test]
fn tcp_sessions_are_logged_as_the_server_reports_them() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-tcp",
        transport: Transport::Tcp,
        auth: Auth::Certificate,
        hooks: FILE_HOOKS,
        sessions: vec![
            session("dave", "dave", Family::V4, Ending::Term),
            session("erin", "erin", Family::V6, Ending::Kill),
            session("zoë", "zoë", Family::V6, Ending::Term),
            session("bob o'neil", "bob o\\'neil", Family::V4, Ending::Kill),
        ],
    }
    .run(tools);
}

#[test]
fn a_username_password_session_is_logged_under_its_username() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-userpass",
        transport: Transport::Udp,
        auth: Auth::Password,
        hooks: FILE_HOOKS,
        sessions: vec![
            session("carol", "carol", Family::V4, Ending::Term),
            session("zoë", "zoë", Family::V6, Ending::Term),
        ],
    }
    .run(tools);
}

/// `--strict` makes an undeliverable connect record a failed client-connect, which OpenVPN
/// answers by rejecting the client: it never gets in, and no connect record claims it did.
#[test]
fn with_strict_an_undeliverable_connect_record_rejects_the_client() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-reject",
        transport: Transport::Udp,
        auth: Auth::Certificate,
        hooks: Hooks {
            connect: "{connect} --strict --file {dir}/missing/connect.log",
            connect_records: "missing/connect.log",
            ..FILE_HOOKS
        },
        sessions: vec![session("mallory", "mallory", Family::V4, Ending::Rejected)],
    }
    .run(tools);
}

/// A chained client-connect command decides: the client it rejects never gets in and has no
/// connect record; the clients it admits are recorded as usual. (OpenVPN 2.6 still runs
/// client-disconnect for the rejected one, so it may have a disconnect record.)
#[test]
fn a_client_the_chained_command_rejects_has_no_connect_record() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-chain",
        transport: Transport::Udp,
        auth: Auth::Certificate,
        hooks: Hooks {
            connect: "{connect} --file {dir}/connect.log -- {dir}/reject-mallory",
            chained: true,
            ..FILE_HOOKS
        },
        sessions: vec![
            session("alice", "alice", Family::V4, Ending::Term),
            session("mallory", "mallory", Family::V4, Ending::Rejected),
            session("zoë", "zoë", Family::V6, Ending::Term),
        ],
    }
    .run(tools);
}

/// JSON records of real clients: the version, platform and GUI each client sent
/// (`client_version`, `client_platform`, `client_gui`); connect records with the whole real
/// address, disconnect records without any (`--real-address none`).
#[test]
fn json_records_describe_each_client_as_it_reported_itself() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-json",
        transport: Transport::Udp,
        auth: Auth::Certificate,
        hooks: Hooks {
            connect: "{connect} --format json --file {dir}/connect.log",
            disconnect:
                "{disconnect} --format json --real-address none --file {dir}/disconnect.log",
            json: true,
            real_address: [Kept::Full, Kept::Nothing],
            ..FILE_HOOKS
        },
        sessions: udp_sessions(),
    }
    .run(tools);
}

/// Clients from source addresses with bits beyond the host part to cut (over TCP: see
/// [`Session::source`]), and one from the plain loopback address.
fn network_sessions() -> Vec<Session> {
    let from = |source, session: Session| Session {
        source: Some(source),
        ..session
    };
    vec![
        from(
            "127.0.5.9",
            session("dave", "dave", Family::V4, Ending::Term),
        ),
        from(
            "2001:db8:1:2::7",
            session("erin", "erin", Family::V6, Ending::Term),
        ),
        session("zoë", "zoë", Family::V4, Ending::Term),
    ]
}

/// `--real-address network`: the records keep the /24 or /48 of the address the server
/// reports (127.0.0.0, `[::]`), and no port; and so does JSON.
#[test]
fn with_real_address_network_the_records_keep_only_the_network() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-network",
        transport: Transport::Tcp,
        auth: Auth::Certificate,
        hooks: Hooks {
            connect: "{connect} --real-address network --file {dir}/connect.log",
            disconnect: "{disconnect} --real-address network --file {dir}/disconnect.log",
            real_address: [Kept::Network, Kept::Network],
            ..FILE_HOOKS
        },
        sessions: network_sessions(),
    }
    .run(tools);
}

/// The same in JSON, with the prefix lengths spelt out on disconnect.
#[test]
fn with_real_address_network_json_records_keep_only_the_network() {
    let Some(tools) = lab::prerequisites() else {
        return;
    };
    Scenario {
        label: "e2e-network-json",
        transport: Transport::Tcp,
        auth: Auth::Certificate,
        hooks: Hooks {
            connect: "{connect} --format=json --real-address network --file {dir}/connect.log",
            disconnect: "{disconnect} --format=json --real-address=network:24,48 \
                         --file {dir}/disconnect.log",
            json: true,
            real_address: [Kept::Network, Kept::Network],
            ..FILE_HOOKS
        },
        sessions: network_sessions(),
    }
    .run(tools);
}
