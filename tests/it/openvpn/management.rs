//! OpenVPN's management interface: `status 3`, asked on the server namespace's loopback.
//!
//! The interface listens on 127.0.0.1 inside the server's namespace, which the test process
//! cannot reach directly (std cannot enter a namespace), so each query is a short bash script
//! run there with `ip netns exec`, using bash's `/dev/tcp`. The script waits for the password
//! prompt before answering it (OpenVPN drops input that arrives earlier), and reads up to the
//! `END` line itself rather than sending `quit`: OpenVPN closes at once on `quit` and may lose
//! output still queued. Every read has a timeout, so a query is bounded.

use super::lab::Lab;
use crate::util;

/// The port the interface listens on, inside the server's own namespace.
pub const PORT: &str = "7505";

const SCRIPT: &str = r#"#!/bin/bash
# Usage: management PORT PASSWORD_FILE COMMAND: prints COMMAND's output up to its END line.
IFS= read -r password < "$2" || exit 2
exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 3
IFS= read -r -t 5 -d : -u 3 prompt && [ "$prompt" = "ENTER PASSWORD" ] || exit 4
printf '%s\n%s\n' "$password" "$3" >&3
while IFS= read -r -t 5 -u 3 line; do
    line=${line%$'\r'}
    printf '%s\n' "$line"
    [ "$line" = END ] && exit 0
done
exit 5
"#;

/// One `CLIENT_LIST` row of `status 3` (tab-separated; see the `HEADER CLIENT_LIST` line).
#[derive(Debug, Clone)]
pub struct ClientRow {
    pub common_name: String,
    /// `127.0.0.1:port` for IPv4 clients; OpenVPN 2.6 prints IPv6 clients without the port.
    pub real_address: String,
    pub virtual_address: String,
    pub virtual_ipv6_address: String,
    /// "Connected Since (time_t)": the instance's creation time, which OpenVPN also passes to
    /// the hooks as `time_unix`.
    pub connected_since: i64,
    /// `UNDEF` without user/password authentication.
    pub username: String,
}

pub struct Management {
    netns: String,
    script: String,
    password_file: String,
}

impl Management {
    /// Writes the query script and the password file; returns the interface and the
    /// `management` config line.
    pub fn new(lab: &Lab, netns: &str) -> (Management, String) {
        let script = lab.path("management");
        std::fs::write(&script, SCRIPT).unwrap();
        let password_file = lab.path("management.pw");
        std::fs::write(&password_file, "vpn-log e2e\n").unwrap();
        let line = format!("management 127.0.0.1 {PORT} {password_file}");
        let management = Management {
            netns: netns.to_owned(),
            script,
            password_file,
        };
        (management, line)
    }

    /// The clients the server lists now.
    pub fn clients(&self, lab: &Lab) -> Vec<ClientRow> {
        let bash = lab.tools.bash.clone();
        let mut command = lab.in_netns(
            &self.netns,
            &bash,
            &[&self.script, PORT, &self.password_file, "status 3"],
        );
        let run = util::run(&mut command);
        run.expect_code(0);
        let text = run.stdout();
        assert!(text.contains("\nEND\n"), "incomplete status:\n{text}");
        text.lines()
            .filter_map(|line| line.strip_prefix("CLIENT_LIST\t"))
            .map(|row| parse_row(row, &text))
            .collect()
    }
}

fn parse_row(row: &str, text: &str) -> ClientRow {
    // Common Name, Real Address, Virtual Address, Virtual IPv6 Address, Bytes Received,
    // Bytes Sent, Connected Since, Connected Since (time_t), Username, Client ID, Peer ID,
    // Data Channel Cipher.
    let fields: Vec<&str> = row.split('\t').collect();
    assert_eq!(
        fields.len(),
        12,
        "unexpected CLIENT_LIST row {row:?} in\n{text}"
    );
    ClientRow {
        common_name: fields[0].to_owned(),
        real_address: fields[1].to_owned(),
        virtual_address: fields[2].to_owned(),
        virtual_ipv6_address: fields[3].to_owned(),
        connected_since: fields[7]
            .parse()
            .unwrap_or_else(|e| panic!("time_t {:?}: {e}", fields[7])),
        username: fields[8].to_owned(),
    }
}
