//! A throwaway PKI made with `openssl` at test time: one CA, a server, and one client
//! certificate per common name. EC P-256 keys, so the whole PKI takes a fraction of a second.

use super::lab::{config_safe, Lab};
use crate::util;
use std::path::Path;
use std::process::Command;

/// A certificate and its key, as config-ready paths.
pub struct Credentials {
    pub cert: String,
    pub key: String,
}

/// The extensions OpenVPN's `remote-cert-tls server` checks for (key usage present, extended
/// key usage serverAuth), and the client counterpart.
const SERVER_EXTENSIONS: &str =
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n";
const CLIENT_EXTENSIONS: &str =
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n";

pub struct Pki {
    dir: String,
    pub ca: String,
    serial: u32,
}

impl Pki {
    /// Makes the CA in `<lab>/pki`.
    pub fn new(lab: &Lab) -> Pki {
        let dir = lab.dir.join("pki");
        std::fs::create_dir(&dir).unwrap();
        let dir = config_safe(&dir);
        std::fs::write(format!("{dir}/server.ext"), SERVER_EXTENSIONS).unwrap();
        std::fs::write(format!("{dir}/client.ext"), CLIENT_EXTENSIONS).unwrap();
        let ca = format!("{dir}/ca.crt");
        openssl(
            lab,
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=vpn-log test CA",
                "-keyout",
                &format!("{dir}/ca.key"),
                "-out",
                &ca,
            ],
        );
        Pki { dir, ca, serial: 1 }
    }

    /// Issues the server certificate.
    pub fn server(&mut self, lab: &Lab) -> Credentials {
        self.issue(lab, "server", "server", "server.ext")
    }

    /// Issues a client certificate for `common_name` (UTF-8, up to 64 characters), stored as
    /// `<stem>.crt` / `<stem>.key`.
    pub fn client(&mut self, lab: &Lab, stem: &str, common_name: &str) -> Credentials {
        self.issue(lab, stem, common_name, "client.ext")
    }

    fn issue(&mut self, lab: &Lab, stem: &str, common_name: &str, ext: &str) -> Credentials {
        let dir = &self.dir;
        let (csr, cert, key) = (
            format!("{dir}/{stem}.csr"),
            format!("{dir}/{stem}.crt"),
            format!("{dir}/{stem}.key"),
        );
        // The subject goes to openssl as one argv word (no shell); `-utf8` makes `zoë` a
        // UTF8String rather than bytes read as Latin-1. `/`, `+` and `\` would need escaping
        // in -subj; the names used here have none.
        assert!(
            !common_name.contains(['/', '+', '\\', '=']),
            "{common_name:?}"
        );
        openssl(
            lab,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-utf8",
                "-subj",
                &format!("/CN={common_name}"),
                "-keyout",
                &key,
                "-out",
                &csr,
            ],
        );
        self.serial += 1;
        openssl(
            lab,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &self.ca,
                "-CAkey",
                &format!("{dir}/ca.key"),
                "-set_serial",
                &self.serial.to_string(),
                "-days",
                "2",
                "-extfile",
                &format!("{dir}/{ext}"),
                "-out",
                &cert,
            ],
        );
        assert!(Path::new(&cert).is_file(), "{cert} not made");
        Credentials { cert, key }
    }
}

fn openssl(lab: &Lab, args: &[&str]) {
    util::run(Command::new(&lab.tools.openssl).args(args)).expect_code(0);
}
