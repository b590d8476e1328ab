//! The sandbox's own local certificate authority and server certificate.
//!
//! At start the sandbox reuses `ca.pem`, `server.pem` and `server-key.pem` from its data dir,
//! or creates all three: a CA (its key is never written: a lost server certificate means a new
//! CA) and a server certificate for `localhost` and the loopback addresses, signed by it. The
//! client trusts `ca.pem` only; nothing is added to the system's trust store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// File names inside the data dir.
pub(crate) const CA_FILE: &str = "ca.pem";
const SERVER_CERT_FILE: &str = "server.pem";
const SERVER_KEY_FILE: &str = "server-key.pem";

/// Why the certificates could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Reading or writing a certificate file failed.
    #[error("certificate file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Generating a certificate failed.
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
    /// A stored certificate or key could not be used.
    #[error("invalid certificate or key: {0}")]
    Invalid(String),
}

/// The certificates in use.
#[derive(Debug, Clone)]
pub(crate) struct Certificates {
    pub(crate) ca_path: PathBuf,
    pub(crate) ca_pem: String,
    pub(crate) server_config: Arc<rustls::ServerConfig>,
}

/// Reuses the certificates in `dir`, or creates them for `hostnames` (DNS names or IPs).
pub(crate) fn prepare(dir: &Path, hostnames: &[String]) -> Result<Certificates, TlsError> {
    let ca_path = dir.join(CA_FILE);
    let cert_path = dir.join(SERVER_CERT_FILE);
    let key_path = dir.join(SERVER_KEY_FILE);
    if !(ca_path.exists() && cert_path.exists() && key_path.exists()) {
        generate(&ca_path, &cert_path, &key_path, hostnames)?;
    }
    let ca_pem = read(&ca_path)?;
    let cert_pem = read(&cert_path)?;
    let key_pem = read(&key_path)?;
    let chain = rustls_pemfile::certs(&mut cert_pem.as_bytes())
        .collect::<Result<Vec<CertificateDer<'static>>, _>>()
        .map_err(|e| TlsError::Invalid(e.to_string()))?;
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut key_pem.as_bytes())
        .map_err(|e| TlsError::Invalid(e.to_string()))?
        .ok_or_else(|| TlsError::Invalid("no private key in server-key.pem".into()))?;
    // ring, not aws-lc: the project's one crypto provider (rustls deprecates ring's default
    // provider only for its lack of post-quantum key exchange, irrelevant on loopback).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Invalid(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Invalid(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Certificates {
        ca_path,
        ca_pem,
        server_config: Arc::new(config),
    })
}

fn generate(
    ca_path: &Path,
    cert_path: &Path,
    key_path: &Path,
    hostnames: &[String],
) -> Result<(), TlsError> {
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Tipi sandbox local CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate()?;
    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    for name in hostnames {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut params = CertificateParams::new(names)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "Tipi sandbox TIP-I");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let server_cert = params.signed_by(&server_key, &issuer)?;

    write(key_path, &server_key.serialize_pem(), true)?;
    write(cert_path, &server_cert.pem(), false)?;
    write(ca_path, &ca_cert.pem(), false)?;
    Ok(())
}

fn read(path: &Path) -> Result<String, TlsError> {
    std::fs::read_to_string(path).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })
}

fn write(path: &Path, text: &str, private: bool) -> Result<(), TlsError> {
    let io = |source| TlsError::Io {
        path: path.to_owned(),
        source,
    };
    std::fs::write(path, text).map_err(io)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}
