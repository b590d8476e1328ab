//! Test harness: an in-process sandbox on loopback with a frozen clock, and a plain reqwest
//! client that trusts only the sandbox's CA (never tipi-client: the two sides must not share
//! code paths).
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use reqwest::{Method, Response, StatusCode};
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use tipi_protocol::admin::ClockCommand;
use tipi_protocol::lot::LotDemPaimt;
use tipi_protocol::rfp::*;
use tipi_protocol::{paths, ErrorBody, XmlMessage};
use tipi_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

pub const ADMIN_TOKEN: &str = "test-admin-token";
/// Tuesday 2026-03-10, 10:00 in Montréal (EDT, UTC-4).
pub const TUESDAY_10H: &str = "2026-03-10T14:00:00Z";
/// A valid NAM (Julie Tremblay, born 1985-03-15) and one with a wrong check digit.
pub const NAM: &str = "TREJ85531510";
pub const BAD_NAM: &str = "TREJ85531511";
pub const PASSWORD: &str = "Secret12";

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub struct Env {
    pub sandbox: SandboxHandle,
    pub http: reqwest::Client,
    pub base: String,
    pub dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

pub fn client(ca_pem: &str) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap()
}

impl Env {
    /// A fresh sandbox frozen at Tuesday 10:00, without demo agencies.
    pub async fn start() -> Env {
        Env::start_at(TUESDAY_10H).await
    }

    pub async fn start_at(instant: &str) -> Env {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_owned();
        let mut env = Env::open(&dir, Some(ClockCommand::Freeze { at: at(instant) }), false).await;
        env._temp = Some(temp);
        env
    }

    /// A sandbox on an existing data dir (restart).
    pub async fn open(dir: &std::path::Path, clock: Option<ClockCommand>, demo: bool) -> Env {
        // The test's events go to `cargo xtask test`'s trace dir for the leak scan.
        tipi_trace::init_for_tests();
        let mut config = SandboxConfig::new(dir);
        config.admin_token = Some(ADMIN_TOKEN.into());
        config.clock = clock;
        config.seed_demo = demo;
        let sandbox = Sandbox::start(config).await.unwrap();
        let http = client(sandbox.ca_cert_pem());
        let base = sandbox.base_url();
        Env {
            sandbox,
            http,
            base,
            dir: dir.to_owned(),
            _temp: None,
        }
    }

    /// Stops the sandbox, keeping its data dir alive for a restart.
    pub async fn stop(self) -> Option<tempfile::TempDir> {
        self.sandbox.shutdown().await;
        self._temp
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(ADMIN_TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    pub async fn freeze(&self, instant: &str) {
        let response = self
            .admin(
                Method::PUT,
                paths::ADMIN_CLOCK,
                Some(json!({"action": "freeze", "at": instant})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    pub async fn advance(&self, seconds: i64) {
        let response = self
            .admin(
                Method::PUT,
                paths::ADMIN_CLOCK,
                Some(json!({"action": "advance", "seconds": seconds})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    pub async fn seed(&self, body: Value) -> Value {
        let response = self
            .admin(Method::POST, paths::ADMIN_AGENCIES, Some(body))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// An agency enrolled with [`PASSWORD`], in test.
    pub async fn enrolled(&self, transmission: &str) {
        self.seed(
            json!({"kind": "enrolled", "transmission_number": transmission, "password": PASSWORD}),
        )
        .await;
    }

    pub async fn agency(&self, transmission: &str) -> Value {
        self.admin(Method::GET, &paths::admin_agency(transmission), None)
            .await
            .json()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, user: &str, password: &str) -> Response {
        self.http
            .get(self.url(path))
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, auth: Option<(&str, &str)>, body: Value) -> Response {
        let mut request = self.http.post(self.url(path)).json(&body);
        if let Some((user, password)) = auth {
            request = request.basic_auth(user, Some(password));
        }
        request.send().await.unwrap()
    }

    pub async fn post_xml(&self, path: &str, user: &str, password: &str, body: String) -> Response {
        self.http
            .post(self.url(path))
            .basic_auth(user, Some(password))
            .header("content-type", "application/xml")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn send_batch(&self, transmission: &str, lot: &LotDemPaimt) -> Response {
        self.post_xml(
            paths::BATCHES,
            &format!("AGP{transmission}"),
            PASSWORD,
            lot.to_xml().unwrap(),
        )
        .await
    }

    pub async fn journal(&self, transmission: &str) -> tipi_protocol::service::Journal {
        let response = self
            .get(paths::JOURNAL, &format!("AGP{transmission}"), PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    pub async fn exchanges(&self) -> Vec<tipi_protocol::admin::ExchangeRecord> {
        self.admin(Method::GET, paths::ADMIN_EXCHANGES, None)
            .await
            .json()
            .await
            .unwrap()
    }
}

/// Reads an error answer: status and body.
pub async fn error(response: Response) -> (StatusCode, ErrorBody) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}

pub fn software() -> LogclFact {
    LogclFact {
        no_devpr_logcl: "AGP16001".into(),
        nom_devpr_logcl: "Tests".into(),
        nom_logcl_fact: "Tipi tests".into(),
        no_versi_logcl_fact: "0.1.0".into(),
        no_versi_xml_dem: XML_VERSION.into(),
    }
}

/// A receivable request for a physician: one line of code 00001 (45.00 $) on `service_date`.
pub fn request(no_dem_ext: &str, no_fact_ext: &str, nam: &str, service_date: &str) -> DemPaimt {
    request_with(no_dem_ext, no_fact_ext, nam, service_date, "00001", 1)
}

pub fn request_with(
    no_dem_ext: &str,
    no_fact_ext: &str,
    nam: &str,
    service_date: &str,
    billing_code: &str,
    units: u32,
) -> DemPaimt {
    DemPaimt {
        no_dem_ext: no_dem_ext.into(),
        logcl_fact: software(),
        demdr: Intervenant {
            typ_id_intvn: "1".into(),
            id_intvn: "123456".into(),
        },
        exped_difrn_demdr: None,
        moda_paimt: ModaPaimt {
            typ_moda_paimt: "1".into(),
            no_cpte_admin: None,
        },
        liste_fact: vec![Fact {
            no_fact_ext: no_fact_ext.into(),
            typ_remun: "RFP".into(),
            typ_clien: "physicians".into(),
            prof: Prof {
                id_prof: "123456".into(),
            },
            lieu_consi: "99999".into(),
            ind_hors_dela: false,
            liste_pers_objet_fact: vec![PersObjetFact {
                pers_patnt_avec_idt: Some(PersAvecIdt {
                    id_pers: nam.into(),
                    nom_pers: "Tremblay".into(),
                    pren_pers: "Julie".into(),
                }),
                pers_patnt_sans_idt: None,
            }],
            liste_ligne_fact: vec![LigneFact {
                no_ligne_fact: 1,
                id_elm_fact: billing_code.into(),
                dat_serv_elm_fact: service_date.into(),
                cod_role: "1".into(),
                qte_unit: units,
                mnt_prcu: dec!(45.00) * rust_decimal::Decimal::from(units),
            }],
        }],
    }
}

/// A batch whose trailer matches.
pub fn lot(transmission: &str, no_attes: u32, requests: Vec<DemPaimt>) -> LotDemPaimt {
    LotDemPaimt::new(transmission.into(), no_attes, software(), requests)
}

/// `count` receivable requests numbered from `first`.
pub fn valid_requests(first: u64, count: u64, service_date: &str) -> Vec<DemPaimt> {
    (first..first + count)
        .map(|n| request(&n.to_string(), &format!("F{n}"), NAM, service_date))
        .collect()
}
