//! No secret material in errors or logs: the Debug output of kube's `Config` and of
//! `VitiClient`, and the errors of failed requests (connection refused, TLS handshake with a
//! server that is not TLS), never contain the bearer token, the password or the client key;
//! TLS verification is on unless the kubeconfig turns it off explicitly.
//!
//! No API server needed: everything here talks to closed or fake ports on 127.0.0.1.

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;
use vitistack_types::client::VitiClient;
use vitistack_types::kinds::Machine;

const TOKEN: &str = "tok-3f9a1c77e0b24d5c9e8f-SECRET";
const PASSWORD: &str = "pw-71c0e2aa-SECRET";
/// Base64 of a "key" whose text is easy to spot in output, and the text itself.
const KEY_TEXT: &str =
    "-----BEGIN PRIVATE KEY-----\nKEYMATERIAL-SECRET\n-----END PRIVATE KEY-----\n";

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Everything that must never be printed.
fn secrets() -> Vec<String> {
    vec![
        TOKEN.to_string(),
        PASSWORD.to_string(),
        "KEYMATERIAL".to_string(),
        base64(KEY_TEXT.as_bytes()),
    ]
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} shows secret material {secret:?}:\n{text}"
        );
    }
}

/// A port on 127.0.0.1 with nothing listening.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn kubeconfig(server: &str, user: &str, insecure: Option<bool>) -> Kubeconfig {
    let insecure = insecure
        .map(|b| format!("\n    insecure-skip-tls-verify: {b}"))
        .unwrap_or_default();
    let yaml = format!(
        "apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: {server}{insecure}
users:
- name: u
  user:
{user}
contexts:
- name: ctx
  context: {{cluster: c, user: u}}
current-context: ctx
"
    );
    Kubeconfig::from_yaml(&yaml).expect("kubeconfig parses")
}

fn token_user() -> String {
    format!("    token: {TOKEN}")
}

async fn config_from(kubeconfig: Kubeconfig) -> Config {
    Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("config from kubeconfig")
}

#[tokio::test]
async fn debug_of_config_and_client_hides_credentials() {
    let server = format!("https://127.0.0.1:{}", closed_port());
    let user = format!(
        "    token: {TOKEN}\n    username: admin\n    password: {PASSWORD}\n    client-key-data: {}",
        base64(KEY_TEXT.as_bytes())
    );
    let kubeconfig = kubeconfig(&server, &user, None);
    assert_no_secret("Debug of Kubeconfig", &format!("{kubeconfig:?}"));
    let config = config_from(kubeconfig).await;
    assert_no_secret("Debug of Config", &format!("{config:?}"));
    assert_no_secret("Debug of Config (pretty)", &format!("{config:#?}"));
    let auth = format!("{:?}", config.auth_info);
    assert_no_secret("Debug of AuthInfo", &auth);
    // The credentials are there, shown redacted.
    assert_eq!(auth.matches("REDACTED").count(), 3, "{auth}");

    // A token-only config builds a client; its wrapper's Debug shows no credentials either.
    let config = config_from(self::kubeconfig(&server, &token_user(), None)).await;
    let client = Client::try_from(config).expect("client");
    let viti = VitiClient::new(client);
    assert_no_secret("Debug of VitiClient", &format!("{viti:?}"));
    assert_no_secret("Debug of VitiClient (pretty)", &format!("{viti:#?}"));
}

#[tokio::test]
async fn a_bad_client_key_is_refused_without_quoting_it() {
    let server = format!("https://127.0.0.1:{}", closed_port());
    let user = format!(
        "    client-certificate-data: {}\n    client-key-data: {}",
        base64(b"-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----\n"),
        base64(KEY_TEXT.as_bytes())
    );
    let config = config_from(kubeconfig(&server, &user, None)).await;
    // The certificate is not one: building the client must fail, and the error must not quote
    // the key.
    let Err(e) = Client::try_from(config) else {
        panic!("a client with a certificate that is not one was built");
    };
    assert_no_secret("client construction error", &format!("{e}"));
    assert_no_secret("client construction error (Debug)", &format!("{e:?}"));
}

#[tokio::test]
async fn tls_verification_is_on_by_default() {
    let server = format!("https://127.0.0.1:{}", closed_port());
    assert!(!Config::new(server.parse().expect("uri")).accept_invalid_certs);
    let config = config_from(kubeconfig(&server, &token_user(), None)).await;
    assert!(!config.accept_invalid_certs, "default kubeconfig");
    let config = config_from(kubeconfig(&server, &token_user(), Some(false))).await;
    assert!(
        !config.accept_invalid_certs,
        "insecure-skip-tls-verify: false"
    );
    // Only an explicit opt-in turns it off.
    let config = config_from(kubeconfig(&server, &token_user(), Some(true))).await;
    assert!(
        config.accept_invalid_certs,
        "insecure-skip-tls-verify: true"
    );
}

async fn failed_request_error(server: String) -> String {
    let config = config_from(kubeconfig(&server, &token_user(), None)).await;
    let mut config = config;
    config.connect_timeout = Some(Duration::from_secs(5));
    config.read_timeout = Some(Duration::from_secs(5));
    let viti = VitiClient::new(Client::try_from(config).expect("client"));
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        viti.get::<Machine>("default", "nothing"),
    )
    .await
    .expect("the request ends within 20 s");
    let error = result.expect_err("the request fails");
    format!("{error}\n{error:?}")
}

#[tokio::test]
async fn errors_of_failed_requests_hide_the_token() {
    // Nothing listening.
    let text = failed_request_error(format!("https://127.0.0.1:{}", closed_port())).await;
    assert_no_secret("error of a request to a closed port", &text);

    // Something listening that is not TLS: the handshake fails.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("non-blocking");
    let fake = std::thread::spawn(move || {
        // Answers each connection (the client may retry) in plain HTTP, for at most 20 s.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut buffer = [0u8; 1024];
                    let _ = stream.read(&mut buffer);
                    let _ =
                        stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    let text = failed_request_error(format!("https://127.0.0.1:{port}")).await;
    assert_no_secret("error of a TLS handshake with a plain-text server", &text);
    assert!(
        !text.to_lowercase().contains("authorization"),
        "the error mentions the Authorization header:\n{text}"
    );
    drop(fake);
}
