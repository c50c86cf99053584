//! The edges of a request: bodies past the limit (declared or streamed) and addresses whose
//! ids are not ids.

use super::{cookie_header, has_message};
use crate::privacy::Actor;
use crate::privacy::world::World;

/// Bodies past the limit are refused with 413 and a message, with a declared length or
/// streamed; a form field of a megabyte is refused the same way.
pub async fn oversized_bodies(world: &mut World<'_>) -> Vec<String> {
    let mut failures = Vec::new();
    let couple = world.ids["couple"].clone();
    let before = world.counts().await;
    let b = world.browser(Actor::Counselor);
    let big = "x".repeat(1024 * 1024 + 10);
    let declared = b
        .call(
            "/api/write_agreement",
            &[("couple_id", couple.as_str()), ("body", big.as_str())],
        )
        .await;
    if declared.status != 413 || !has_message(&declared.body) {
        failures.push(format!(
            "a 1 MB form: {} {:?}",
            declared.status,
            &declared.body[..declared.body.len().min(200)]
        ));
    }
    let (status, text) = streamed_post(b, "/api/post_win", 2 * 1024 * 1024).await;
    if !(400..500).contains(&status) || !has_message(&text) {
        failures.push(format!("a streamed 2 MB body: {status} {text:?}"));
    }
    if world.counts().await != before {
        failures.push("an oversized body wrote something".into());
    }
    failures
}

/// Posts `size` bytes in chunks with no declared length, over a plain connection; returns
/// the status and body.
async fn streamed_post(b: &crate::helpers::Browser, path: &str, size: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = b.base.trim_start_matches("http://").to_string();
    let mut conn = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncookie: {}\r\n\
         content-type: application/x-www-form-urlencoded\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        cookie_header(b)
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'x'; 32 * 1024];
    let mut sent = 0;
    while sent < size {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        // The server may answer and close before everything is sent.
        if conn.write_all(&frame).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = conn.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response).to_string();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Page and export addresses with ids that are not ids: never a server error.
pub async fn odd_addresses(world: &mut World<'_>) -> Vec<String> {
    let long = "a".repeat(4000);
    let ids = [
        "not-a-uuid",
        "%00",
        "%3Cscript%3E",
        "00000000-0000-4000-8000-000000000000",
        "-1",
        "%E2%80%AEevil",
        "..%2F..%2Fetc%2Fpasswd",
        long.as_str(),
    ];
    let mut failures = Vec::new();
    for route in crate::privacy::pages::ROUTES {
        if route.post || !route.path.contains('{') {
            continue;
        }
        let actor = route.allow.first().copied().unwrap_or(Actor::Counselor);
        for id in ids {
            let mut path = String::new();
            let mut rest = route.path;
            while let (Some(a), Some(b)) = (rest.find('{'), rest.find('}')) {
                path.push_str(&rest[..a]);
                path.push_str(id);
                rest = &rest[b + 1..];
            }
            path.push_str(rest);
            let page = world.browser(actor).get(&path).await;
            if page.status >= 500 {
                failures.push(format!("GET {path} as {actor:?}: {}", page.status));
            }
        }
    }
    failures
}
