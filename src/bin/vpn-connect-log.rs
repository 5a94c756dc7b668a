//! The OpenVPN `client-connect` hook: logs one connection. See `vpn-connect-log(8)`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    vpn_log::hook::main(vpn_log::session::Event::Connect)
}
