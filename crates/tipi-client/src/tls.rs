//! The TLS configuration: rustls with the ring provider, the system's roots or (in the
//! sandbox) the sandbox's CA alone, certificate validation always on.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use crate::error::ClientError;

/// Builds the rustls configuration handed to reqwest.
pub(crate) fn client_config(
    extra_root_ca_pem: Option<&[u8]>,
) -> Result<rustls::ClientConfig, ClientError> {
    let roots = trusted_roots(extra_root_ca_pem)?;
    // ring, as the project chose (the sandbox uses it too). rustls 0.23.4x deprecates it for
    // lacking post-quantum key exchange; switching to aws-lc-rs is this one line.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| ClientError::Configuration("no TLS version available".into()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// The extra CA alone when there is one: it is the sandbox's, which signs every certificate
/// the sandbox presents, so reading the system's store (about 18 ms at each start of the app)
/// would buy nothing. Otherwise the system's roots.
fn trusted_roots(extra_root_ca_pem: Option<&[u8]>) -> Result<RootCertStore, ClientError> {
    let mut roots = RootCertStore::empty();
    if let Some(pem) = extra_root_ca_pem {
        for certificate in parse_pem(pem)? {
            roots.add(certificate).map_err(|_| {
                ClientError::Configuration("the extra CA certificate is not a valid CA".into())
            })?;
        }
        return Ok(roots);
    }
    // Unreadable system certificates are skipped: with no root at all every server is
    // refused as untrusted, which is the safe failure.
    let system = rustls_native_certs::load_native_certs();
    let (added, ignored) = roots.add_parsable_certificates(system.certs);
    tracing::debug!(added, ignored, "system root certificates");
    Ok(roots)
}

fn parse_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, ClientError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ClientError::Configuration("the extra CA file is not valid PEM".into()))?;
    if certificates.is_empty() {
        return Err(ClientError::Configuration(
            "the extra CA file holds no certificate".into(),
        ));
    }
    Ok(certificates)
}

/// Whether `error` (or one of its causes) is a certificate the server presented and rustls
/// refused. io::Error hides its inner error from `source()`, so it is opened by hand.
pub(crate) fn is_untrusted_certificate(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            );
        }
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if is_untrusted_certificate(inner) {
                    return true;
                }
            }
        }
        current = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extra_ca_that_is_not_pem_is_a_configuration_error() {
        let error = client_config(Some(b"not a certificate")).unwrap_err();
        assert_eq!(error.code(), "Configuration");
    }

    #[tokio::test]
    async fn with_an_extra_ca_that_ca_alone_is_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let config = tipi_sandbox::SandboxConfig::new(dir.path());
        let sandbox = tipi_sandbox::Sandbox::start(config).await.unwrap();
        let roots = trusted_roots(Some(sandbox.ca_cert_pem().as_bytes())).unwrap();
        assert_eq!(roots.len(), 1);
        sandbox.shutdown().await;
    }

    #[test]
    fn a_rustls_certificate_error_inside_io_is_recognised() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        assert!(is_untrusted_certificate(&io));
        let other = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert!(!is_untrusted_certificate(&other));
    }
}
