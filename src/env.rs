//! The environment OpenVPN hands a hook, as raw bytes.
//!
//! OpenVPN passes everything it knows about a client in environment variables (see
//! `openvpn(8)`, "Environmental Variables", and the manual pages' ENVIRONMENT), and nothing
//! else: no `PATH`, no `TZ`, and a variable whose value would be empty is deleted. Values are
//! bytes, not necessarily UTF-8: a certificate's common name can hold anything OpenVPN did not
//! remap. They are kept as bytes here and judged by the code that uses them.
//!
//! The process environment is not copied: a real OpenVPN environment has some 60 variables and
//! a hook reads about ten, so each one is looked up when asked for (`sys::getenv`). Copying
//! them all cost more than half of a run's instructions. An explicit environment (tests) is a
//! plain `Vec` searched linearly: std's hashed map would seed its hasher from the OS random source
//! (`getrandom(2)`), which the hooks must never call.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// The environment of the running process, or an explicit one in tests.
#[derive(Debug, Clone)]
pub struct HookEnv {
    /// `None`: the process's own.
    pairs: Option<Vec<(OsString, OsString)>>,
}

impl HookEnv {
    /// The environment of the running process, read as variables are asked for.
    pub fn from_process() -> HookEnv {
        HookEnv { pairs: None }
    }

    /// Builds an environment from explicit pairs (tests, tools).
    pub fn from_pairs(pairs: &[(&str, &[u8])]) -> HookEnv {
        HookEnv {
            pairs: Some(
                pairs
                    .iter()
                    .map(|(k, v)| (OsString::from(k), OsString::from_vec(v.to_vec())))
                    .collect(),
            ),
        }
    }

    /// The value of `name`, if set. When a name appears twice (possible only in a hand-made
    /// environment), the first one wins, as with `getenv(3)`.
    ///
    /// A value of the process environment is copied out once per call and never freed: a hook
    /// asks for each variable once or twice and then exits, and the copy lives as long as the
    /// borrow of `self` says, whatever later happens to the environment.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        match &self.pairs {
            None => crate::sys::getenv(name.as_bytes()).map(|value| &*value.leak()),
            Some(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_bytes() == name.as_bytes())
                .map(|(_, v)| v.as_bytes()),
        }
    }

    /// The value of `name` if set and not empty. OpenVPN deletes variables whose value would
    /// be empty, so an empty value means the same as an absent one.
    pub fn get_nonempty(&self, name: &str) -> Option<&[u8]> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_values_as_bytes() {
        let env = HookEnv::from_pairs(&[
            ("common_name", b"alice"),
            ("empty", b""),
            ("raw", b"\xff\xfe"),
            ("common_name", b"second"),
        ]);
        type Case = (&'static str, Option<&'static [u8]>, Option<&'static [u8]>);
        let cases: &[Case] = &[
            ("common_name", Some(b"alice"), Some(b"alice")),
            ("empty", Some(b""), None),
            ("raw", Some(b"\xff\xfe"), Some(b"\xff\xfe")),
            ("missing", None, None),
            ("COMMON_NAME", None, None),
        ];
        for &(name, get, nonempty) in cases {
            assert_eq!(env.get(name), get, "get({name})");
            assert_eq!(env.get_nonempty(name), nonempty, "get_nonempty({name})");
        }
    }
}
