//! The server's stall, measured with real clients: a benchmark (`bench/run` prints its table),
//! not a timed test. OpenVPN's server is one event loop that waits for every hook run, so what
//! a hook costs the VPN is how much longer the server needs for the same work with it.
//!
//! Gated by `VPN_LOG_BENCH_STALL=1`; it needs what the end-to-end suite needs (root,
//! `/dev/net/tun`, `openvpn`, `openssl`, `ip`, `bash`, ...) and also `musl-gcc` (musl-tools,
//! for the do-nothing hook) and `dash`; a missing one fails the run, naming it.
//! `VPN_LOG_BENCH_STALL_CLIENTS` sets N (default 100), `VPN_LOG_BENCH_STALL_ROUNDS` the rounds
//! per hook (default 3; the table shows medians).
//!
//! One round, for each kind of hook in turn (interleaved, so that a change of the machine's
//! load hits every kind alike): a fresh server in a fresh namespace; N real clients started
//! at once; once the server has set up all N (and `status 3` lists them), SIGTERM to the
//! server, which runs the N client-disconnect hooks one after another before it exits. The
//! times come from the server's own log (`machine-readable-output`: a microsecond timestamp
//! on every line), and from this process's clock, which is the same clock, where the server
//! logs nothing (when the clients were started, when the signal was sent):
//!
//! - **storm** (b): from starting the clients to the last one set up (`MULTI: primary virtual
//!   IP for`, logged after its client-connect run). The TLS handshakes of N clients on the
//!   same cores make this span noisy, so the connect runs are also timed one by one: each lies
//!   between two lines the server logs for that client.
//! - **stop** (a): from the signal to the server's last line (`process exiting`); its
//!   disconnect runs end where the server closes its tun device.
//!
//! The stall per hook run is `(T_hook - T_no_hook) / N`. The clients run in the server's
//! namespace (they need no tunnel of their own here) with their devices unconfigured, and
//! all traffic stays on that namespace's loopback. Cheapest crypto of the lab: EC P-256
//! certificates, no `tls-auth`; `connect-freq-initial` and `connect-freq` are raised, since
//! OpenVPN 2.6 answers only 100 new clients per 10 s by default.

use super::config::{self, Auth, ClientCredentials, Transport};
use super::lab::{self, config_safe, poll, DaemonId, Lab, Tools};
use super::management::Management;
use super::pki::{Credentials, Pki};
use crate::util::{self, hook_path, require_program, CONNECT, DISCONNECT};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The variable that switches the benchmark on.
const GATE: &str = "VPN_LOG_BENCH_STALL";

/// One kind of hook the server runs.
struct Kind {
    name: &'static str,
    /// `client-connect` and `client-disconnect` command strings, `{dir}` the round's
    /// directory; `None`: the server has no hooks.
    hooks: Option<(String, String)>,
    /// The files in `{dir}` the hooks append their records to, N lines each: proof that they ran.
    records: &'static [&'static str],
}

/// What one round measured, in microseconds.
#[derive(Debug, Clone, Copy)]
struct Round {
    /// (b) From starting the first client to the last one set up.
    storm: i64,
    /// The N client-connect runs: each from the line before it to the line after it.
    connect_hooks: i64,
    /// (a) From SIGTERM to the server's last line.
    stop: i64,
    /// The N client-disconnect runs: from the signal to the first step after the last hook
    /// (closing the tun device). The event loop logs a signal only when it interrupts a wait,
    /// so the signal's time is this process's clock, which is the log's clock too.
    disconnect_hooks: i64,
}

#[test]
fn server_stall_with_real_clients() {
    let Some(tools) = lab::prerequisites_for(GATE) else {
        return;
    };
    let clients = count("VPN_LOG_BENCH_STALL_CLIENTS", 100);
    let rounds = count("VPN_LOG_BENCH_STALL_ROUNDS", 3);
    assert!(clients <= 250, "at most 250 clients (one /24 pool)");

    // What every round shares: the PKI and the hooks' programs.
    let base = Lab::new(tools.clone(), "stall");
    let kinds = kinds(&base);
    let mut pki = Pki::new(&base);
    let server = pki.server(&base);
    let credentials: Vec<Credentials> = (0..clients)
        .map(|i| pki.client(&base, &format!("client{i}"), &format!("client-{i:03}")))
        .collect();

    let mut results: Vec<Vec<Round>> = vec![Vec::new(); kinds.len()];
    for round in 0..rounds {
        for (kind, results) in kinds.iter().zip(&mut results) {
            let measured = run_round(&tools, &pki, &server, &credentials, kind);
            eprintln!("round {} {}: {measured:?} (us)", round + 1, kind.name);
            results.push(measured);
        }
    }
    print_table(&tools, &kinds, &results, clients, rounds);
}

/// A count from `variable`, or `default`.
fn count(variable: &str, default: usize) -> usize {
    match std::env::var(variable) {
        Ok(text) => text
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .unwrap_or_else(|| panic!("{variable}={text:?}: expected a positive number")),
        Err(_) => default,
    }
}

/// The kinds of hook compared, their programs written to or built in `base`.
fn kinds(base: &Lab) -> Vec<Kind> {
    let repo = env!("CARGO_MANIFEST_DIR");
    let nothing = base.path("nothing");
    let cc = require_program("musl-gcc", "musl-tools");
    let build = util::run(Command::new(cc).args([
        "-static",
        "-Os",
        "-s",
        "-o",
        &nothing,
        &format!("{repo}/bench/nothing.c"),
    ]));
    build.expect_code(0);
    let dash = config_safe(&require_program("dash", "dash"));
    let bash = config_safe(&base.tools.bash);
    let script = |name: &str| {
        let path = base.path(name);
        std::fs::copy(format!("{repo}/bench/{name}"), &path).unwrap();
        path
    };
    let (shell, original_connect, original_disconnect) = (
        script("hook.sh"),
        script("original-connect.sh"),
        script("original-disconnect.sh"),
    );
    let connect = config_safe(&hook_path(CONNECT));
    let disconnect = config_safe(&hook_path(DISCONNECT));
    vec![
        Kind {
            name: "no hook",
            hooks: None,
            records: &[],
        },
        Kind {
            name: "static do-nothing program (bench/nothing.c)",
            hooks: Some((nothing.clone(), nothing)),
            records: &[],
        },
        Kind {
            name: "vpn-connect-log / vpn-disconnect-log",
            hooks: Some((
                format!("{connect} --file {{dir}}/connect.log"),
                format!("{disconnect} --file {{dir}}/disconnect.log"),
            )),
            records: &["connect.log", "disconnect.log"],
        },
        Kind {
            name: "shell hook (bench/hook.sh, dash)",
            hooks: Some((
                format!("{dash} {shell} {{dir}}/shell.connect"),
                format!("{dash} {shell} {{dir}}/shell.disconnect"),
            )),
            records: &["shell.connect", "shell.disconnect"],
        },
        Kind {
            name: "original scripts (bash)",
            hooks: Some((
                format!("{bash} {original_connect} {{dir}}/original.connect"),
                format!("{bash} {original_disconnect} {{dir}}/original.disconnect"),
            )),
            records: &["original.connect", "original.disconnect"],
        },
    ]
}

/// One server with `kind`'s hooks, its storm of clients and its stop.
fn run_round(
    tools: &Tools,
    pki: &Pki,
    server: &Credentials,
    clients: &[Credentials],
    kind: &Kind,
) -> Round {
    let mut lab = Lab::new(tools.clone(), "stall-round");
    let netns = lab.netns("srv");
    let (management, management_line) = Management::new(&lab, &netns);
    let dir = config_safe(lab.dir.path());
    let hooks = kind
        .hooks
        .as_ref()
        .map(|(c, d)| (c.replace("{dir}", &dir), d.replace("{dir}", &dir)));
    let mut text = config::server(&config::Server {
        transport: Transport::Udp,
        auth: Auth::Certificate,
        ca: &pki.ca,
        cert: &server.cert,
        key: &server.key,
        status_file: &lab.path("status.txt"),
        management: &management_line,
        client_connect: hooks.as_ref().map(|(c, _)| c.as_str()),
        client_disconnect: hooks.as_ref().map(|(_, d)| d.as_str()),
        verify_password: "",
    });
    text.push_str(&format!(
        "machine-readable-output\n\
         connect-freq-initial {n} 10\n\
         connect-freq {n} 10\n",
        n = clients.len() * 10
    ));
    let server = lab.openvpn(&netns, "server", &text);
    lab.daemon(server)
        .wait_for_log("Initialization Sequence Completed", Duration::from_secs(20));

    // The storm: every client at once.
    let started = now_us();
    let ids: Vec<DaemonId> = clients
        .iter()
        .enumerate()
        .map(|(i, credentials)| {
            let text = config::client(&config::Client {
                transport: Transport::Udp,
                server_address: "127.0.0.1",
                local_address: None,
                local_port: 40001 + i as u16,
                dev: &format!("vlc{i}"),
                ca: &pki.ca,
                credentials: &ClientCredentials::Certificate {
                    cert: credentials.cert.clone(),
                    key: credentials.key.clone(),
                },
                up: None,
                gui_version: None,
            });
            lab.openvpn(&netns, &format!("client{i}"), &text)
        })
        .collect();
    // Connected means set up after its client-connect run; `status 3` lists a client
    // earlier, as soon as its TLS handshake is done, so it only confirms the count.
    let limit = Duration::from_secs(30 + clients.len() as u64);
    let log = lab.daemon(server).log.clone();
    poll("every client set up in the server's log", limit, || {
        (util::read(&log).matches(SET_UP).count() == clients.len()).then_some(())
    });
    assert_eq!(
        management.clients(&lab).len(),
        clients.len(),
        "clients in status 3"
    );
    // The query's connection closed first, so the signal finds the server idle.
    poll(
        "the management client to leave",
        Duration::from_secs(10),
        || {
            let text = util::read(&log);
            (text.matches(MANAGEMENT_IN).count() == text.matches(MANAGEMENT_OUT).count())
                .then_some(())
        },
    );

    // The stop: SIGTERM, then the server runs every client-disconnect hook and exits.
    let signalled = now_us();
    lab.terminate(server);
    let daemon = lab.daemon(server);
    daemon.wait_exit(Duration::from_secs(60));
    let log = util::read(&daemon.log);
    for id in ids {
        lab.daemon(id).kill();
        lab.daemon(id).wait_exit(Duration::from_secs(10));
    }
    for name in kind.records {
        let records = util::read(&lab.dir.join(name));
        assert_eq!(
            records.lines().count(),
            clients.len(),
            "records of {} in {name}:\n{records}",
            kind.name
        );
    }
    measure(&log, started, signalled, clients.len(), kind)
}

/// Microseconds since the epoch, the clock of OpenVPN's machine-readable timestamps.
fn now_us() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_micros()).unwrap()
}

/// The server's log lines that bracket the hooks.
const POOL: &str = " MULTI_sva: pool returned";
const LEARN: &str = " MULTI: Learn:";
const SET_UP: &str = "MULTI: primary virtual IP for";
const MANAGEMENT_IN: &str = "MANAGEMENT: Client connected";
const MANAGEMENT_OUT: &str = "MANAGEMENT: Client disconnected";
const CLOSING: &str = "Closing TUN/TAP interface";
const EXITING: &str = "process exiting";

/// The spans of one round from the server's log, `started` and `signalled` being when the
/// clients were started and the signal sent; checks that every hook ran and succeeded.
fn measure(log: &str, started: i64, signalled: i64, clients: usize, kind: &Kind) -> Round {
    let lines: Vec<(i64, &str)> = log.lines().filter_map(timestamped).collect();
    let at = |needle: &str| {
        let found: Vec<i64> = lines
            .iter()
            .filter(|(_, l)| l.contains(needle))
            .map(|(t, _)| *t)
            .collect();
        assert!(
            !found.is_empty(),
            "no {needle:?} in the log of the server with {}:\n{log}",
            kind.name
        );
        found
    };
    assert!(
        !log.contains("Failed running command"),
        "a hook failed:\n{log}"
    );
    let set_up = at(SET_UP);
    assert_eq!(set_up.len(), clients, "clients set up:\n{log}");

    // Each client-connect run lies between the pool's answer and the address being learnt,
    // which the server logs with the client's name in front of both.
    let mut connect_hooks = 0;
    for (i, &(before, line)) in lines.iter().enumerate() {
        let Some(client) = line.find(POOL).map(|end| &line[..end]) else {
            continue;
        };
        let (after, _) = lines[i..]
            .iter()
            .find(|(_, l)| l.starts_with(client) && l.contains(LEARN))
            .unwrap_or_else(|| panic!("no {LEARN:?} after {line:?}:\n{log}"));
        connect_hooks += after - before;
    }
    Round {
        storm: set_up[set_up.len() - 1] - started,
        connect_hooks,
        stop: at(EXITING)[0] - signalled,
        disconnect_hooks: at(CLOSING)[0] - signalled,
    }
}

/// A line of `machine-readable-output`: `SECONDS.MICROSECONDS FLAGS MESSAGE`.
fn timestamped(line: &str) -> Option<(i64, &str)> {
    let (stamp, rest) = line.split_once(' ')?;
    let (seconds, micros) = stamp.split_once('.')?;
    let us = seconds.parse::<i64>().ok()? * 1_000_000 + micros.parse::<i64>().ok()?;
    let (_flags, message) = rest.split_once(' ')?;
    Some((us, message))
}

/// The median of `values`.
fn median(mut values: Vec<i64>) -> i64 {
    values.sort_unstable();
    values[values.len() / 2]
}

/// Milliseconds, from microseconds.
fn ms(us: f64) -> String {
    format!("{:.3}", us / 1000.0)
}

/// `value / floor` with two decimals.
fn times(value: f64, floor: f64) -> String {
    if floor > 0.0 {
        format!("{:.2}", value / floor)
    } else {
        "-".to_owned()
    }
}

/// The table (markdown): medians over the rounds; the stall per hook run against the server
/// without hooks. Rows: [`kinds`]'s order (no hook, do-nothing, ours, shell, original).
fn print_table(
    tools: &Tools,
    kinds: &[Kind],
    results: &[Vec<Round>],
    clients: usize,
    rounds: usize,
) {
    let medians: Vec<[f64; 4]> = results
        .iter()
        .map(|rs| {
            let of = |f: fn(&Round) -> i64| median(rs.iter().map(f).collect()) as f64;
            [
                of(|r| r.stop),
                of(|r| r.disconnect_hooks),
                of(|r| r.storm),
                of(|r| r.connect_hooks),
            ]
        })
        .collect();
    let n = clients as f64;
    let per = |kind: usize, column: usize| (medians[kind][column] - medians[0][column]) / n;
    let version = util::run(Command::new(&tools.openvpn).arg("--version"));
    let version = version.stdout();
    println!();
    println!(
        "Server stall: {}, {clients} clients, UDP, medians of {rounds} round(s); hooks from {}",
        version.lines().next().unwrap_or("openvpn ?"),
        hook_path(CONNECT).parent().unwrap().display()
    );
    println!();
    println!(
        "| hook | (a) SIGTERM to exit (ms) | its {clients} disconnect runs (ms) | \
         stall per client-disconnect (ms) | x do-nothing | (b) {clients} connect at once (ms) | \
         its {clients} connect runs (ms) | stall per client-connect (ms) | x do-nothing |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    // No ratio for the server without hooks: its stall is 0 by definition.
    let ratio = |k: usize, value: f64, floor: f64| match k {
        0 => "-".to_owned(),
        _ => times(value, floor),
    };
    for (k, kind) in kinds.iter().enumerate() {
        let m = medians[k];
        let (disconnect, connect) = (per(k, 1), per(k, 3));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            kind.name,
            ms(m[0]),
            ms(m[1]),
            ms(disconnect),
            ratio(k, disconnect, per(1, 1)),
            ms(m[2]),
            ms(m[3]),
            ms(connect),
            ratio(k, connect, per(1, 3)),
        );
    }
    println!();
    println!(
        "From the server's whole stop and storm instead of the hook runs: per client-disconnect \
         {} ms (ours) against {} ms (do-nothing); per client-connect {} ms against {} ms.",
        ms(per(2, 0)),
        ms(per(1, 0)),
        ms(per(2, 2)),
        ms(per(1, 2)),
    );
    for (event, column) in [("client-disconnect", 1), ("client-connect", 3)] {
        let (ours, floor) = (per(2, column), per(1, column));
        println!(
            "{event}: ours {}x the do-nothing hook's stall (target <= 1.1: {})",
            times(ours, floor),
            if ours <= 1.1 * floor { "met" } else { "MISSED" }
        );
    }
}
