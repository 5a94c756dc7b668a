//! The OpenVPN `client-disconnect` hook: logs one finished session. See `vpn-disconnect-log(8)`.
#![forbid(unsafe_code)]

/// A run allocates a few kilobytes and exits: see `vpn_log::sys::Arena`.
#[global_allocator]
static ALLOCATOR: vpn_log::sys::Arena<{ 64 * 1024 }> = vpn_log::sys::Arena::new();

fn main() -> std::process::ExitCode {
    vpn_log::hook::main(vpn_log::session::Event::Disconnect)
}
