//! The OpenVPN configuration files: one server, and one client per session.
//!
//! Directives as documented in OpenVPN 2.6's manual (`doc/man-sections/`): `server` and
//! `server-ipv6` set up the pools and `topology subnet`; `keepalive 1 5` becomes `ping 1`,
//! `ping-restart 10` on the server (it doubles the timeout) and pushes `ping 1`,
//! `ping-restart 5` to clients; `disable-dco` keeps the tun devices ordinary ones (a data
//! channel offload device could not be moved to another namespace like this).

/// The server's VPN networks; each scenario has its own namespaces, so they never clash.
pub const POOL_IPV4: &str = "10.231.0.0 255.255.255.0";
pub const SERVER_IPV4: &str = "10.231.0.1";
pub const POOL_IPV6: &str = "fd00:231::/64";
pub const SERVER_IPV6: &str = "fd00:231::1";
/// The server's port inside its namespace.
pub const PORT: &str = "1194";

/// How clients reach the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `proto udp6`: one dual-stack socket; IPv4 clients arrive as v4-mapped addresses, which
    /// OpenVPN reports as plain IPv4 (`trusted_ip`).
    Udp,
    /// `proto tcp6-server`, dual-stack likewise.
    Tcp,
}

/// How clients authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// A client certificate each; the name is its common name.
    Certificate,
    /// Username and password only (`verify-client-cert none`), checked by a script;
    /// `username-as-common-name` makes the username the name.
    Password,
}

/// The paths and command strings a server config is made of.
pub struct Server<'a> {
    pub transport: Transport,
    pub auth: Auth,
    pub ca: &'a str,
    pub cert: &'a str,
    pub key: &'a str,
    pub status_file: &'a str,
    pub management: &'a str,
    /// Complete command strings, wrapper included; quoted here. `None`: no such hook.
    pub client_connect: Option<&'a str>,
    pub client_disconnect: Option<&'a str>,
    /// `auth-user-pass-verify` command for [`Auth::Password`].
    pub verify_password: &'a str,
}

pub fn server(s: &Server) -> String {
    let proto = match s.transport {
        Transport::Udp => "udp6",
        Transport::Tcp => "tcp6-server",
    };
    let mut text = format!(
        "# vpn-log end-to-end test server\n\
         server {POOL_IPV4}\n\
         server-ipv6 {POOL_IPV6}\n\
         topology subnet\n\
         proto {proto}\n\
         port {PORT}\n\
         dev vlsrv\n\
         dev-type tun\n\
         disable-dco\n\
         ca {ca}\n\
         cert {cert}\n\
         key {key}\n\
         dh none\n\
         keepalive 1 5\n\
         status {status} 1\n\
         {management}\n\
         script-security 2\n\
         verb 3\n",
        ca = s.ca,
        cert = s.cert,
        key = s.key,
        status = s.status_file,
        management = s.management,
    );
    if let Some(command) = s.client_connect {
        text.push_str(&format!("client-connect \"{command}\"\n"));
    }
    if let Some(command) = s.client_disconnect {
        text.push_str(&format!("client-disconnect \"{command}\"\n"));
    }
    if s.auth == Auth::Password {
        text.push_str(&format!(
            "verify-client-cert none\n\
             username-as-common-name\n\
             auth-user-pass-verify \"{}\" via-file\n",
            s.verify_password
        ));
    }
    text
}

/// A script for `auth-user-pass-verify ... via-file`: line 1 of the file is the username,
/// line 2 the password; exit 0 accepts. `{password}` is filled in.
pub const VERIFY_PASSWORD_SCRIPT: &str = "#!/bin/sh\n\
    { IFS= read -r user; IFS= read -r password; } < \"$1\" || exit 1\n\
    [ -n \"$user\" ] && [ \"$password\" = '{password}' ]\n";

/// A client's `--up` script: OpenVPN created the tun device in the server's namespace (the
/// client process runs there and talks to the server over its loopback); this moves the device
/// into the client's own namespace (argument 1) and configures it there from the variables
/// OpenVPN sets (`ifconfig-noexec` stopped it from doing so itself), so pings from that
/// namespace really cross the tunnel. `{ip}` is filled in: hooks and scripts get no PATH.
pub const TUN_TO_NETNS_SCRIPT: &str = "#!/bin/sh\n\
    set -e\n\
    {ip} link set dev \"$dev\" netns \"$1\"\n\
    {ip} -n \"$1\" addr add \"$ifconfig_local/24\" dev \"$dev\"\n\
    {ip} -n \"$1\" -6 addr add \"$ifconfig_ipv6_local/$ifconfig_ipv6_netbits\" dev \"$dev\" nodad\n\
    {ip} -n \"$1\" link set dev \"$dev\" up\n";

/// The paths and settings a client config is made of.
pub struct Client<'a> {
    pub transport: Transport,
    /// `127.0.0.1` or `::1`.
    pub server_address: &'a str,
    /// The client's own source address (`local`), if not the default one for the server's.
    pub local_address: Option<&'a str>,
    /// The client's own source port, fixed so the expected real address is known exactly.
    pub local_port: u16,
    pub dev: &'a str,
    pub ca: &'a str,
    pub credentials: &'a ClientCredentials,
    /// The `up` command string, if any.
    pub up: Option<&'a str>,
    /// `setenv IV_GUI_VER`, as a GUI sets it: the client passes it on to the server.
    pub gui_version: Option<&'a str>,
}

/// Certificate and key, or the `auth-user-pass` file (username, password).
pub enum ClientCredentials {
    Certificate { cert: String, key: String },
    Password { file: String },
}

pub fn client(c: &Client) -> String {
    let proto = match c.transport {
        Transport::Udp => "udp",
        Transport::Tcp => "tcp-client",
    };
    let mut text = format!(
        "# vpn-log end-to-end test client\n\
         client\n\
         dev {dev}\n\
         dev-type tun\n\
         disable-dco\n\
         proto {proto}\n\
         remote {server} {PORT}\n\
         lport {lport}\n\
         ca {ca}\n\
         remote-cert-tls server\n\
         ifconfig-noexec\n\
         route-noexec\n\
         verb 3\n",
        dev = c.dev,
        server = c.server_address,
        lport = c.local_port,
        ca = c.ca,
    );
    if let Some(up) = c.up {
        text.push_str(&format!("script-security 2\nup \"{up}\"\n"));
    }
    match c.credentials {
        ClientCredentials::Certificate { cert, key } => {
            text.push_str(&format!("cert {cert}\nkey {key}\n"));
        }
        ClientCredentials::Password { file } => {
            text.push_str(&format!("auth-user-pass {file}\n"));
        }
    }
    if let Some(local) = c.local_address {
        text.push_str(&format!("local {local}\n"));
    }
    if let Some(gui) = c.gui_version {
        text.push_str(&format!("setenv IV_GUI_VER \"{gui}\"\n"));
    }
    if c.transport == Transport::Udp {
        // Tell the server on SIGTERM, so it ends the session without waiting for a timeout.
        text.push_str("explicit-exit-notify 1\n");
    }
    text
}
