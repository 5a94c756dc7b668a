//! The OpenVPN `client-disconnect` hook: logs one finished session. See `vpn-disconnect-log(8)`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    vpn_log::hook::main(vpn_log::session::Event::Disconnect)
}
