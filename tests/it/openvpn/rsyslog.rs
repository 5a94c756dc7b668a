//! A private rsyslogd for the scenarios whose hooks send their records with `--syslog`.
//!
//! It listens only on `<lab>/log.sock` (`imuxsock` with `SysSock.Use="off"`: the host's
//! `/dev/log` is never touched) and writes each program's message text, one per line, to the
//! files the scenario's [`super::scenario::Hooks`] name, so the strict record parser reads
//! them exactly as it reads the files of `--file`. A third file keeps what the daemon made of
//! each message's header (facility, severity, tag with PID, program name).
//!
//! rsyslog's `$programname` is the tag up to the first `/` (rsyslog's
//! `parser.permitSlashInProgramName` is off by default), so `vpn-connect-log/NAME`, the tag
//! `--instance NAME` gives, is still filtered as `vpn-connect-log`.

use super::lab::{config_safe, DaemonId, Lab};
use crate::util::{CONNECT, DISCONNECT};
use std::time::Duration;

/// The socket the hooks are given with `--syslog-socket`, in the lab's directory.
pub const SOCKET: &str = "log.sock";
/// The header of every message: `<facility>.<severity> <tag>[<pid>]: <programname>`.
pub const FIELDS: &str = "syslog-fields.log";

/// `{dir}`, `{socket}`, `{connect}`, `{disconnect}`, `{connect_out}`, `{disconnect_out}` and
/// `{fields}` are filled in. `%msg%` starts with the space after the tag's colon
/// (RFC 3164's MSG as rsyslog splits it); `%msg:2:$%` leaves it out.
const CONFIG: &str = r#"# vpn-log end-to-end test: a private rsyslogd
global(workDirectory="{dir}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="{socket}")
template(name="text" type="string" string="%msg:2:$%\n")
template(name="fields" type="string"
         string="%syslogfacility-text%.%syslogseverity-text% %syslogtag% %programname%\n")
if $programname == "{connect}" then {
    action(type="omfile" file="{connect_out}" template="text")
    action(type="omfile" file="{fields}" template="fields")
}
if $programname == "{disconnect}" then {
    action(type="omfile" file="{disconnect_out}" template="text")
    action(type="omfile" file="{fields}" template="fields")
}
"#;

/// Starts rsyslogd in `netns` (it needs no network: the socket is a file) writing the connect
/// and disconnect messages to `connect_out` and `disconnect_out` in the lab's directory;
/// returns once its socket exists.
pub fn start(lab: &mut Lab, netns: &str, connect_out: &str, disconnect_out: &str) -> DaemonId {
    let config = lab.path("rsyslog.conf");
    let text = CONFIG
        .replace("{dir}", &config_safe(lab.dir.path()))
        .replace("{socket}", &lab.path(SOCKET))
        .replace("{connect}", CONNECT)
        .replace("{disconnect}", DISCONNECT)
        .replace("{connect_out}", &lab.path(connect_out))
        .replace("{disconnect_out}", &lab.path(disconnect_out))
        .replace("{fields}", &lab.path(FIELDS));
    std::fs::write(&config, text).unwrap();
    let rsyslogd = lab.tools.rsyslogd.clone();
    let pid_file = lab.path("rsyslogd.pid");
    let command = lab.in_netns(netns, &rsyslogd, &["-n", "-f", &config, "-i", &pid_file]);
    let daemon = lab.spawn("rsyslogd", command);
    let socket = lab.dir.join(SOCKET);
    lab.daemon(daemon)
        .wait_for_path(&socket, Duration::from_secs(10));
    daemon
}
