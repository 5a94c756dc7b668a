//! One scenario: a server with its hooks, some client sessions run concurrently, and the
//! checks of every record against what the server reported.

use super::config::{self, Auth, ClientCredentials, Transport};
use super::evidence::{
    self, hook_envs, parse_connect, parse_disconnect, DisconnectRecord, HookEnv,
};
use super::lab::{poll, DaemonId, Lab, Tools};
use super::management::{ClientRow, Management};
use super::pki::Pki;
use super::rsyslog;
use crate::json_parse::{self, Value};
use crate::util::{self, hook_path, require_program, CONNECT, DISCONNECT};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// How many echo requests cross each tunnel, over IPv4 and over IPv6 each.
const PINGS: u64 = 5;
/// The bytes of one IPv4 echo request as it enters the tunnel (20 IP + 8 ICMP + 56 data).
const IPV4_PING_BYTES: u64 = 84;

/// The hook command strings the server runs, before the environment-saving wrapper is put in
/// front; and where their records land. `{connect}` and `{disconnect}` stand for the binaries
/// under test (through `$VPN_LOG_RUNNER` if set), `{dir}` for the scenario's directory.
///
/// Another way of running the hooks is another value of this type: records sent to syslog
/// are `"{connect} --syslog --syslog-socket {dir}/log.sock"` with [`Hooks::syslog`] set, which
/// starts a private rsyslogd (see [`rsyslog`]) that writes each program's message text, one
/// per line, to `connect_records` / `disconnect_records`; a chained hook that refuses some
/// clients is `"{connect} ... -- {dir}/reject-mallory"` with [`Hooks::chained`] set, and
/// those clients' sessions ending in [`Ending::Rejected`].
pub struct Hooks {
    pub connect: &'static str,
    pub disconnect: &'static str,
    /// Files in `{dir}` that must hold the records, one per line, in the classic format.
    pub connect_records: &'static str,
    pub disconnect_records: &'static str,
    /// The records go through rsyslogd, which must also have seen these headers.
    pub syslog: Option<SyslogHeaders>,
    /// The connect hook chains `{dir}/reject-mallory` (see [`evidence::REJECT_MALLORY_SCRIPT`]),
    /// which every session must have run once, with OpenVPN's temporary file as argument.
    pub chained: bool,
    /// The records are JSON (`--format json`), checked by [`Scenario::check_json_records`];
    /// the clients with an even index then also send `IV_GUI_VER` ([`GUI_SENT`]).
    pub json: bool,
    /// What `--real-address` the connect and the disconnect hook are given.
    pub real_address: [Kept; 2],
}

/// What a hook's `--real-address` keeps of the client's real address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    Full,
    /// `network`: IPv4 /24, IPv6 /48, no port.
    Network,
    Nothing,
}

/// The `setenv IV_GUI_VER` value of the JSON scenarios' GUI clients, as the config file
/// spells it, and the value the server passes the hooks: OpenVPN replaces spaces (and other
/// unsafe characters) in peer info values with `_`.
pub const GUI_SENT: &str = r#"vpn-log e2e \"1.0\""#;
pub const GUI_PASSED: &str = r#"vpn-log_e2e_"1.0""#;

/// What rsyslogd must have made of each hook's message header: `<facility>.<severity> <tag>`,
/// without the `[<pid>]:` that follows the tag.
#[derive(Debug, Clone, Copy)]
pub struct SyslogHeaders {
    pub connect: &'static str,
    pub disconnect: &'static str,
}

/// The hooks as the README tells users to configure them: records appended to files.
pub const FILE_HOOKS: Hooks = Hooks {
    connect: "{connect} --file {dir}/connect.log",
    disconnect: "{disconnect} --file {dir}/disconnect.log",
    connect_records: "connect.log",
    disconnect_records: "disconnect.log",
    syslog: None,
    chained: false,
    json: false,
    real_address: [Kept::Full, Kept::Full],
};

/// Which loopback address a client connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

/// How a session ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// SIGTERM: a clean exit (with an explicit exit notification over UDP).
    Term,
    /// SIGKILL: the server notices by keepalive timeout (UDP) or the closed connection (TCP).
    Kill,
    /// The server rejects the client at connect (its client-connect command fails); the
    /// client then exits by itself.
    Rejected,
}

/// One client session.
pub struct Session {
    /// The certificate's common name, or the username with [`Auth::Password`].
    pub name: &'static str,
    /// The name as the records must print it, escapes included.
    pub printed: &'static str,
    pub family: Family,
    pub ending: Ending,
    /// The client's source address, on the server's loopback device: `None` for `127.0.0.1`
    /// or `::1`; another one (the suite adds an IPv6 one to `lo`) has bits beyond the host
    /// part that `--real-address network` must keep. Over TCP only: a UDP server without
    /// `multihome` could answer an IPv6 client from another address than it was sent to.
    pub source: Option<&'static str>,
}

impl Session {
    /// The client's real address, as the server sees it.
    fn address(&self) -> &'static str {
        self.source.unwrap_or(match self.family {
            Family::V4 => "127.0.0.1",
            Family::V6 => "::1",
        })
    }

    /// The client's fixed source port.
    fn local_port(index: usize) -> u16 {
        40001 + index as u16
    }

    /// The real address as the records print it.
    fn printed_real(&self, port: u16) -> String {
        match self.family {
            Family::V4 => format!("{}:{port}", self.address()),
            Family::V6 => format!("[{}]:{port}", self.address()),
        }
    }

    /// The real address as `status 3` prints it: OpenVPN 2.6 leaves out an IPv6 port.
    fn status_real(&self, port: u16) -> String {
        match self.family {
            Family::V4 => format!("{}:{port}", self.address()),
            Family::V6 => self.address().to_owned(),
        }
    }
}

/// A server, how it runs the hooks, and the sessions its clients have with it.
pub struct Scenario {
    /// Names the scenario's temp directory.
    pub label: &'static str,
    pub transport: Transport,
    pub auth: Auth,
    pub hooks: Hooks,
    pub sessions: Vec<Session>,
}

/// Where the chained command records each run, in the lab's directory.
const CHAINED_DIR: &str = "chained";

/// The password every [`Auth::Password`] session uses.
const PASSWORD: &str = "s3cret pw";

/// One session's client, and what the server reported of it while connected.
struct Client {
    daemon: DaemonId,
    netns: String,
    row: Option<ClientRow>,
}

impl Scenario {
    fn admitted(&self) -> impl Iterator<Item = &Session> {
        self.sessions
            .iter()
            .filter(|s| s.ending != Ending::Rejected)
    }

    pub fn run(&self, tools: Tools) {
        let mut lab = Lab::new(tools, self.label);
        let server_ns = lab.netns("srv");
        // Other IPv6 source addresses than ::1 exist only once added to the loopback device
        // (IPv4's 127.0.0.0/8 is all there).
        for source in self.sessions.iter().filter_map(|s| s.source) {
            if source.contains(':') {
                let address = format!("{source}/128");
                lab.ip(&[
                    "-n", &server_ns, "addr", "add", &address, "dev", "lo", "nodad",
                ]);
            }
        }
        let env_dir = lab.dir.join("env");
        std::fs::create_dir(&env_dir).unwrap();
        std::fs::create_dir(lab.dir.join(CHAINED_DIR)).unwrap();
        let wrapper = self.write_scripts(&lab);
        let mut pki = Pki::new(&lab);
        let (management, management_line) = Management::new(&lab, &server_ns);
        if self.hooks.syslog.is_some() {
            let (connect, disconnect) = (self.hooks.connect_records, self.hooks.disconnect_records);
            rsyslog::start(&mut lab, &server_ns, connect, disconnect);
        }

        let server = self.start_server(&mut lab, &mut pki, &server_ns, &wrapper, &management_line);
        let mut clients = self.start_clients(&mut lab, &mut pki, &server_ns);

        // What the server reports while they are connected.
        let expected = self.admitted().count();
        let rows = poll("every client in status 3", Duration::from_secs(10), || {
            let rows = management.clients(&lab);
            (rows.len() == expected).then_some(rows)
        });
        for (session, client) in self.sessions.iter().zip(&mut clients) {
            let matching: Vec<&ClientRow> = rows
                .iter()
                .filter(|r| r.common_name == session.name)
                .collect();
            match session.ending {
                Ending::Rejected => assert!(matching.is_empty(), "{:?}: {rows:#?}", session.name),
                _ => {
                    assert_eq!(matching.len(), 1, "{:?} in {rows:#?}", session.name);
                    client.row = Some(matching[0].clone());
                }
            }
        }

        self.ping_through_every_tunnel(&lab, &clients);

        // The endings, all at once; then wait until the server has forgotten every client,
        // which it does only after the client-disconnect hook returned.
        for (session, client) in self.sessions.iter().zip(&clients) {
            match session.ending {
                Ending::Term => lab.terminate(client.daemon),
                Ending::Kill => lab.daemon(client.daemon).kill(),
                Ending::Rejected => {}
            }
        }
        for client in &clients {
            lab.daemon(client.daemon).wait_exit(Duration::from_secs(15));
        }
        poll(
            "status 3 to list no clients",
            Duration::from_secs(40),
            || management.clients(&lab).is_empty().then_some(()),
        );

        if self.hooks.syslog.is_some() {
            self.wait_for_syslog(&lab, &env_dir);
        }
        if self.hooks.json {
            self.check_json_records(&lab, &clients, &env_dir);
        } else {
            self.check_records(&lab, &clients, &env_dir);
        }
        if let Some(headers) = self.hooks.syslog {
            self.check_syslog_headers(&lab, &env_dir, headers);
        }
        if self.hooks.chained {
            self.check_chained_runs(&lab, &env_dir);
        }
        self.check_server_log(&util::read(&lab.daemon(server).log));
        let status = util::read(&lab.dir.join("status.txt"));
        assert!(
            status.contains("OpenVPN CLIENT LIST"),
            "status file:\n{status}"
        );
    }

    /// Writes the server's config and starts it; returns once it serves.
    fn start_server(
        &self,
        lab: &mut Lab,
        pki: &mut Pki,
        netns: &str,
        wrapper: &str,
        management_line: &str,
    ) -> DaemonId {
        let credentials = pki.server(lab);
        let connect_hook = self.hook_command(lab, wrapper, self.hooks.connect);
        let disconnect_hook = self.hook_command(lab, wrapper, self.hooks.disconnect);
        let text = config::server(&config::Server {
            transport: self.transport,
            auth: self.auth,
            ca: &pki.ca,
            cert: &credentials.cert,
            key: &credentials.key,
            status_file: &lab.path("status.txt"),
            management: management_line,
            client_connect: Some(&connect_hook),
            client_disconnect: Some(&disconnect_hook),
            verify_password: &lab.path("verify-password"),
        });
        let server = lab.openvpn(netns, "server", &text);
        lab.daemon(server)
            .wait_for_log("Initialization Sequence Completed", Duration::from_secs(20));
        server
    }

    /// Starts every session's client at once, each with its own namespace for its tunnel;
    /// returns once each is connected, or rejected and gone.
    fn start_clients(&self, lab: &mut Lab, pki: &mut Pki, server_ns: &str) -> Vec<Client> {
        let mut clients = Vec::new();
        for (i, session) in self.sessions.iter().enumerate() {
            let netns = lab.netns(&format!("c{i}"));
            let stem = format!("client{i}");
            let credentials = match self.auth {
                Auth::Certificate => {
                    let c = pki.client(lab, &stem, session.name);
                    ClientCredentials::Certificate {
                        cert: c.cert,
                        key: c.key,
                    }
                }
                Auth::Password => {
                    let file = lab.path(&format!("{stem}.pass"));
                    std::fs::write(&file, format!("{}\n{PASSWORD}\n", session.name)).unwrap();
                    ClientCredentials::Password { file }
                }
            };
            let text = config::client(&config::Client {
                transport: self.transport,
                server_address: match session.family {
                    Family::V4 => "127.0.0.1",
                    Family::V6 => "::1",
                },
                local_address: session.source,
                local_port: Session::local_port(i),
                dev: &format!("vlc{i}"),
                ca: &pki.ca,
                credentials: &credentials,
                up: Some(&format!("{} {netns}", lab.path("tun-to-netns"))),
                gui_version: (self.hooks.json && i % 2 == 0).then_some(GUI_SENT),
            });
            let daemon = lab.openvpn(server_ns, &stem, &text);
            clients.push(Client {
                daemon,
                netns,
                row: None,
            });
        }
        for (session, client) in self.sessions.iter().zip(&clients) {
            let daemon = lab.daemon(client.daemon);
            match session.ending {
                Ending::Rejected => {
                    // The server refuses it; a client with no other server to try then exits.
                    daemon.wait_for_exit_after("AUTH_FAILED", Duration::from_secs(30));
                }
                _ => daemon
                    .wait_for_log("Initialization Sequence Completed", Duration::from_secs(30)),
            }
        }
        clients
    }

    /// A fixed number of pings from each admitted client's namespace to the server's VPN
    /// addresses, IPv4 and IPv6, all at once; every one must be answered.
    fn ping_through_every_tunnel(&self, lab: &Lab, clients: &[Client]) {
        std::thread::scope(|scope| {
            for (_, client) in self
                .sessions
                .iter()
                .zip(clients)
                .filter(|(s, _)| s.ending != Ending::Rejected)
            {
                for target in [config::SERVER_IPV4, config::SERVER_IPV6] {
                    scope.spawn(move || {
                        let count = PINGS.to_string();
                        let ping = lab.tools.ping.clone();
                        let args = ["-q", "-c", &count, "-i", "0.2", "-w", "10", target];
                        util::run(&mut lab.in_netns(&client.netns, &ping, &args)).expect_code(0);
                    });
                }
            }
        });
    }

    /// The hooks succeeded unless a session was to be rejected; a UDP client killed outright
    /// was noticed by the keepalive timeout.
    fn check_server_log(&self, log: &str) {
        let rejections = self.sessions.len() - self.admitted().count();
        let failures = log
            .matches("Failed running command (--client-connect)")
            .count();
        assert_eq!(failures, rejections, "client-connect failures:\n{log}");
        assert!(
            !log.contains("Failed running command (--client-disconnect)"),
            "a client-disconnect hook failed:\n{log}"
        );
        if self.transport == Transport::Udp {
            for session in self.sessions.iter().filter(|s| s.ending == Ending::Kill) {
                let prefix = format!("{}/", session.name);
                assert!(
                    log.lines()
                        .any(|l| l.contains(&prefix) && l.contains("Inactivity timeout")),
                    "no keepalive timeout for {:?}:\n{log}",
                    session.name
                );
            }
        }
    }

    /// Writes the environment-saving wrapper, the `up` script, the password checker and the
    /// chained command; returns the wrapper's path.
    fn write_scripts(&self, lab: &Lab) -> String {
        let env = lab.tools.env.to_str().unwrap();
        let ip = lab.tools.ip.to_str().unwrap();
        let wrapper = lab.path("save-env");
        let scripts = [
            (
                wrapper.clone(),
                evidence::ENV_DUMP_SCRIPT
                    .replace("{env}", env)
                    .replace("{dir}", &lab.path("env")),
            ),
            (
                lab.path("tun-to-netns"),
                config::TUN_TO_NETNS_SCRIPT.replace("{ip}", ip),
            ),
            (
                lab.path("verify-password"),
                config::VERIFY_PASSWORD_SCRIPT.replace("{password}", PASSWORD),
            ),
            (
                lab.path("reject-mallory"),
                evidence::REJECT_MALLORY_SCRIPT.replace("{dir}", &lab.path(CHAINED_DIR)),
            ),
        ];
        for (path, text) in scripts {
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        wrapper
    }

    /// A hook command string with its placeholders filled in, behind the wrapper.
    fn hook_command(&self, lab: &Lab, wrapper: &str, template: &str) -> String {
        let program = |name: &str| {
            let path = super::lab::config_safe(&hook_path(name));
            match std::env::var("VPN_LOG_RUNNER") {
                // OpenVPN execs without a PATH search: the runner needs its full path.
                Ok(runner) if !runner.contains('/') && !runner.is_empty() => {
                    let runner = require_program(&runner, &runner);
                    format!("{} {path}", super::lab::config_safe(&runner))
                }
                Ok(runner) if !runner.is_empty() => format!("{runner} {path}"),
                _ => path,
            }
        };
        let command = format!(
            "{wrapper} {}",
            template
                .replace("{connect}", &program(CONNECT))
                .replace("{disconnect}", &program(DISCONNECT))
                .replace("{dir}", &super::lab::config_safe(lab.dir.path()))
        );
        // OpenVPN's limit for one config token; a longer one would be cut, not rejected.
        assert!(
            command.len() < 256,
            "hook command too long for OpenVPN: {command}"
        );
        command
    }

    /// Every record and every saved environment against each other and the server's report.
    fn check_records(&self, lab: &Lab, clients: &[Client], env_dir: &Path) {
        let connects = evidence::record_lines(&lab.dir.join(self.hooks.connect_records));
        let disconnects = evidence::record_lines(&lab.dir.join(self.hooks.disconnect_records));
        let context =
            format!("connect records:\n{connects:#?}\ndisconnect records:\n{disconnects:#?}");
        let connects: Vec<_> = connects.iter().map(|l| parse_connect(l)).collect();
        let disconnects: Vec<_> = disconnects.iter().map(|l| parse_disconnect(l)).collect();
        let envs = hook_envs(env_dir);
        let of_type = |script_type: &str| {
            envs.iter()
                .filter(|e| e.var("script_type") == script_type)
                .count()
        };
        // Every session ran client-connect once; every session the server let in, and any
        // rejected one it still ends with client-disconnect, left exactly one record.
        assert_eq!(of_type("client-connect"), self.sessions.len(), "{envs:#?}");
        assert_eq!(connects.len(), self.admitted().count(), "{context}");
        assert_eq!(
            disconnects.len(),
            of_type("client-disconnect"),
            "{context}\n{envs:#?}"
        );
        assert_eq!(envs.len(), of_type("client-connect") + disconnects.len());

        for (i, (session, client)) in self.sessions.iter().zip(clients).enumerate() {
            let what = format!("session {:?}\n{context}", session.name);
            let env_of = |script_type: &str| -> Vec<&HookEnv> {
                envs.iter()
                    .filter(|e| {
                        e.var("script_type") == script_type
                            && e.get("common_name") == Some(session.name)
                    })
                    .collect()
            };
            let (cenvs, denvs) = (env_of("client-connect"), env_of("client-disconnect"));
            assert_eq!(cenvs.len(), 1, "connect environment of {what}\n{envs:#?}");
            if session.ending == Ending::Rejected {
                assert!(
                    !connects.iter().any(|r| r.name == session.printed),
                    "a connect record for rejected {what}"
                );
                let count = disconnects
                    .iter()
                    .filter(|r| r.name == session.printed)
                    .count();
                assert_eq!(count, denvs.len(), "disconnect records of rejected {what}");
                self.check_rejected_disconnect(session, &denvs, &envs, &disconnects, &what);
                continue;
            }
            assert_eq!(
                denvs.len(),
                1,
                "disconnect environment of {what}\n{envs:#?}"
            );
            let (cenv, denv) = (cenvs[0], denvs[0]);
            let port = Session::local_port(i);
            let row = client.row.as_ref().unwrap();
            let what = format!("{what}\n{row:#?}");
            let connect = one(&connects, |r| r.name == session.printed, &what);
            let disconnect = one(&disconnects, |r| r.name == session.printed, &what);

            // The name: what the server reports, printed with the specified escapes.
            assert_eq!(row.common_name, session.name, "{what}");
            if self.auth == Auth::Password {
                assert_eq!(row.username, session.name, "{what}");
                assert_eq!(cenv.var("username"), session.name, "{what}");
            }

            // The VPN address: the IPv4 pool address the server reports and passed.
            for (name, value) in [
                ("status 3", row.virtual_address.as_str()),
                ("connect env", cenv.var("ifconfig_pool_remote_ip")),
                ("disconnect env", denv.var("ifconfig_pool_remote_ip")),
                ("disconnect record", disconnect.virtual_ip.as_str()),
            ] {
                assert_eq!(connect.virtual_ip, value, "{name}: {what}");
            }
            assert_eq!(
                row.virtual_ipv6_address,
                cenv.var("ifconfig_pool_remote_ip6"),
                "{what}"
            );

            // The real address: the client's loopback address and its fixed source port.
            // With `--real-address`, what the mode keeps of the address the server reports.
            assert_eq!(row.real_address, session.status_real(port), "{what}");
            let [connect_kept, disconnect_kept] = self.hooks.real_address;
            let printed = |kept| match kept {
                Kept::Full => session.printed_real(port),
                Kept::Network => match network_of(&row.real_address) {
                    IpAddr::V4(ip) => ip.to_string(),
                    IpAddr::V6(ip) => format!("[{ip}]"),
                },
                Kept::Nothing => "-".to_owned(),
            };
            assert_eq!(connect.real, printed(connect_kept), "{what}");
            assert_eq!(disconnect.real, printed(disconnect_kept), "{what}");
            for env in [cenv, denv] {
                let ip_var = match session.family {
                    Family::V4 => "trusted_ip",
                    Family::V6 => "trusted_ip6",
                };
                let ip = session.address();
                assert_eq!(env.var(ip_var), ip, "{}: {what}", env.file);
                assert_eq!(env.number("trusted_port"), u64::from(port), "{}", env.file);
            }

            // The start: the instance's creation time, in the host's zone.
            let start = cenv.number("time_unix");
            assert_eq!(denv.number("time_unix"), start, "{what}");
            assert_eq!(row.connected_since, start as i64, "{what}");
            let start_text = lab.local_minute(start as i64);
            assert_eq!(connect.start, start_text, "{what}");
            assert_eq!(disconnect.start, start_text, "{what}");

            // Duration and traffic: what OpenVPN passed the disconnect hook.
            let duration = denv.number("time_duration");
            let end_text = lab.local_minute((start + duration) as i64);
            assert_eq!(disconnect.end, end_text, "{what}");
            assert_eq!(
                disconnect.duration,
                evidence::hours_minutes(duration),
                "{what}"
            );
            let (up, down) = (denv.number("bytes_received"), denv.number("bytes_sent"));
            assert_eq!(disconnect.up, evidence::megabytes(up), "{what}");
            assert_eq!(disconnect.down, evidence::megabytes(down), "{what}");
            // The pings crossed the tunnel both ways (plus IPv6 pings and keepalives).
            assert!(up > PINGS * IPV4_PING_BYTES, "bytes_received {up}: {what}");
            assert!(down > PINGS * IPV4_PING_BYTES, "bytes_sent {down}: {what}");
        }
    }

    /// The JSON records (`--format json`): one per admitted session and event, every key in
    /// order, each value what the server reported (`status 3`) and passed the hook; above all
    /// the client's own description, `client_version`, `client_platform` and `client_gui`, as
    /// the real clients sent it.
    fn check_json_records(&self, lab: &Lab, clients: &[Client], env_dir: &Path) {
        let parse = |file: &str| -> Vec<Value> {
            evidence::record_lines(&lab.dir.join(file))
                .iter()
                .map(|line| {
                    let value = json_parse::parse(line.as_bytes())
                        .unwrap_or_else(|e| panic!("{e}: {line}"));
                    assert_eq!(value.keys(), vpn_log::json::KEYS, "{line}");
                    value
                })
                .collect()
        };
        let connects = parse(self.hooks.connect_records);
        let disconnects = parse(self.hooks.disconnect_records);
        let context =
            format!("connect records:\n{connects:#?}\ndisconnect records:\n{disconnects:#?}");
        let envs = hook_envs(env_dir);
        assert!(self.sessions.iter().all(|s| s.ending != Ending::Rejected));
        assert_eq!(connects.len(), self.sessions.len(), "{context}");
        assert_eq!(disconnects.len(), self.sessions.len(), "{context}");
        let version = openvpn_version(lab);
        let string = |s: &str| Value::String(s.to_owned());
        let number = |n: u64| Value::Number(n.to_string());

        for (i, (session, client)) in self.sessions.iter().zip(clients).enumerate() {
            let row = client.row.as_ref().unwrap();
            let what = format!("session {:?}\n{row:#?}\n{context}", session.name);
            let named = |records: &[Value]| -> Value {
                let name = string(session.name);
                one(records, |r| r.get("common_name") == &name, &what).clone()
            };
            let env_of = |script_type: &str| -> &HookEnv {
                one(
                    &envs,
                    |e| {
                        e.var("script_type") == script_type
                            && e.get("common_name") == Some(session.name)
                    },
                    &what,
                )
            };
            let (connect, disconnect) = (named(&connects), named(&disconnects));
            let (cenv, denv) = (env_of("client-connect"), env_of("client-disconnect"));
            let port = Session::local_port(i);
            assert_eq!(row.real_address, session.status_real(port), "{what}");

            for (record, env, kept) in [
                (&connect, cenv, self.hooks.real_address[0]),
                (&disconnect, denv, self.hooks.real_address[1]),
            ] {
                let what = format!("{}: {what}", env.file);
                // The client, as it described itself, exactly as OpenVPN passed it on.
                assert_eq!(env.var("IV_VER"), version, "{what}");
                assert_eq!(env.var("IV_PLAT"), "linux", "{what}");
                assert_eq!(record.get("client_version"), &string(&version), "{what}");
                assert_eq!(record.get("client_platform"), &string("linux"), "{what}");
                let gui = (i % 2 == 0).then_some(GUI_PASSED);
                assert_eq!(env.get("IV_GUI_VER"), gui, "{what}");
                assert_eq!(
                    record.get("client_gui"),
                    &gui.map_or(Value::Null, string),
                    "{what}"
                );

                // The real address: what the mode keeps of what the server reports.
                let (ip, real_port) = match kept {
                    Kept::Full => (string(session.address()), number(u64::from(port))),
                    Kept::Network => (
                        string(&network_of(&row.real_address).to_string()),
                        Value::Null,
                    ),
                    Kept::Nothing => (Value::Null, Value::Null),
                };
                assert_eq!(record.get("real_ip"), &ip, "{what}");
                assert_eq!(record.get("real_port"), &real_port, "{what}");
                assert_eq!(env.number("trusted_port"), u64::from(port), "{what}");

                assert_eq!(record.get("username"), &Value::Null, "{what}");
                assert_eq!(
                    record.get("virtual_ip"),
                    &string(&row.virtual_address),
                    "{what}"
                );
                let ipv6 = string(&row.virtual_ipv6_address);
                assert_eq!(record.get("virtual_ipv6"), &ipv6, "{what}");
                assert_eq!(
                    record.get("start_unix").u64(),
                    env.number("time_unix"),
                    "{what}"
                );
                assert_eq!(
                    record.get("start_unix"),
                    &number(row.connected_since as u64)
                );
            }
            assert_eq!(connect.get("event"), &string("connect"), "{what}");
            assert_eq!(connect.get("deferred"), &Value::Bool(false), "{what}");
            for key in [
                "end",
                "end_unix",
                "duration",
                "bytes_received",
                "bytes_sent",
            ] {
                assert_eq!(connect.get(key), &Value::Null, "{key}: {what}");
            }
            assert_eq!(disconnect.get("event"), &string("disconnect"), "{what}");
            assert_eq!(disconnect.get("deferred"), &Value::Null, "{what}");
            let duration = denv.number("time_duration");
            assert_eq!(disconnect.get("duration").u64(), duration, "{what}");
            let end = denv.number("time_unix") + duration;
            assert_eq!(disconnect.get("end_unix").u64(), end, "{what}");
            for key in ["bytes_received", "bytes_sent"] {
                assert_eq!(disconnect.get(key).u64(), denv.number(key), "{key}: {what}");
                assert!(denv.number(key) > PINGS * IPV4_PING_BYTES, "{key}: {what}");
            }
        }
    }

    /// OpenVPN 2.6 runs client-disconnect for a client its client-connect command rejected,
    /// at once, so that record shows no time (`0:00`); and its hook
    /// gets the very variables an admitted client's gets (the man pages, NOTES, say so: this
    /// keeps them true).
    fn check_rejected_disconnect(
        &self,
        session: &Session,
        denvs: &[&HookEnv],
        envs: &[HookEnv],
        disconnects: &[DisconnectRecord],
        what: &str,
    ) {
        let [denv] = denvs else {
            return;
        };
        let record = one(disconnects, |r| r.name == session.printed, what);
        assert_eq!(record.duration, "0:00", "{what}");
        let admitted = self.admitted().filter(|s| s.family == session.family);
        for other in admitted {
            let other_env = envs.iter().find(|e| {
                e.var("script_type") == "client-disconnect"
                    && e.get("common_name") == Some(other.name)
            });
            if let Some(other_env) = other_env {
                assert_eq!(
                    denv.names(),
                    other_env.names(),
                    "a rejected client's disconnect environment ({}) differs from an admitted \
                     one's ({}) in its variables: update NOTES in the man pages",
                    denv.file,
                    other_env.file
                );
            }
        }
    }

    /// Syslog delivery is asynchronous: waits, at most 10 s, until rsyslogd has written as
    /// many records as the hooks made (the checks that follow say what is wrong if it never
    /// does). Every hook has returned by now, so every environment is saved.
    fn wait_for_syslog(&self, lab: &Lab, env_dir: &Path) {
        let disconnects = hook_envs(env_dir)
            .iter()
            .filter(|e| e.var("script_type") == "client-disconnect")
            .count();
        let connects = self.admitted().count();
        // Complete lines only: the strict reading comes after, once they are all there.
        let lines = |name: &str| {
            let bytes = std::fs::read(lab.dir.join(name)).unwrap_or_default();
            bytes.iter().filter(|&&b| b == b'\n').count()
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if lines(self.hooks.connect_records) == connects
                && lines(self.hooks.disconnect_records) == disconnects
                && lines(rsyslog::FIELDS) == connects + disconnects
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Each record arrived under the expected facility, severity and tag, with the PID of the
    /// hook run that made it (the wrapper execs the hook, so its saved environment is named
    /// with that PID), and rsyslog filtered it by program name.
    fn check_syslog_headers(&self, lab: &Lab, env_dir: &Path, headers: SyslogHeaders) {
        let mut seen = evidence::record_lines(&lab.dir.join(rsyslog::FIELDS));
        let mut expected: Vec<String> = hook_envs(env_dir)
            .iter()
            .filter_map(|env| {
                let (header, program) = match env.var("script_type") {
                    "client-connect" => {
                        let name = env.get("common_name");
                        // A rejected client's connect hook makes no record.
                        self.admitted().find(|s| Some(s.name) == name)?;
                        (headers.connect, CONNECT)
                    }
                    _ => (headers.disconnect, DISCONNECT),
                };
                Some(format!("{header}[{}]: {program}", env.pid()))
            })
            .collect();
        seen.sort();
        expected.sort();
        assert_eq!(seen, expected, "headers rsyslogd saw");
    }

    /// Every session ran the chained command once, with OpenVPN's temporary file (the one it
    /// also names in `client_connect_config_file`) as its last and only argument: the hook
    /// passed it on.
    fn check_chained_runs(&self, lab: &Lab, env_dir: &Path) {
        let runs = evidence::chained_runs(&lab.dir.join(CHAINED_DIR));
        let envs = hook_envs(env_dir);
        assert_eq!(runs.len(), self.sessions.len(), "{runs:#?}");
        for session in &self.sessions {
            let what = format!("chained runs for {:?}: {runs:#?}", session.name);
            let run = one(&runs, |r| r.common_name == session.name, &what);
            let env = one(
                &envs,
                |e| {
                    e.var("script_type") == "client-connect"
                        && e.get("common_name") == Some(session.name)
                },
                &what,
            );
            let config_file = env.var("client_connect_config_file");
            assert_eq!(run.args, [config_file], "{what}");
            let file_name = Path::new(config_file)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            assert!(
                file_name.starts_with("openvpn_cc_") && file_name.ends_with(".tmp"),
                "{what}"
            );
        }
    }
}

/// The network `--real-address network` keeps of a real address as `status 3` prints it
/// (`127.0.0.1:40001`, `::1`): the first 24 bits of IPv4, 48 of IPv6.
fn network_of(status_real: &str) -> IpAddr {
    let ip = match status_real.parse::<SocketAddr>() {
        Ok(address) => address.ip(),
        Err(_) => status_real.parse().unwrap(),
    };
    match ip {
        IpAddr::V4(ip) => IpAddr::V4(Ipv4Addr::from(u32::from(ip) & !0xff)),
        IpAddr::V6(ip) => IpAddr::V6(Ipv6Addr::from(u128::from(ip) & !(u128::MAX >> 48))),
    }
}

/// The version `openvpn --version` reports: what every client of the lab sends as `IV_VER`.
fn openvpn_version(lab: &Lab) -> String {
    let run = util::run(std::process::Command::new(&lab.tools.openvpn).arg("--version"));
    let first = run.stdout().lines().next().unwrap_or_default().to_owned();
    let version = first
        .strip_prefix("OpenVPN ")
        .and_then(|v| v.split(' ').next());
    version
        .unwrap_or_else(|| panic!("no version in {first:?}"))
        .to_owned()
}

/// The one item of `items` that `matches`; fails if there is none or more than one.
fn one<'a, T: std::fmt::Debug>(items: &'a [T], matches: impl Fn(&T) -> bool, what: &str) -> &'a T {
    let found: Vec<&T> = items.iter().filter(|i| matches(i)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one, found {found:#?}: {what}"
    );
    found[0]
}
