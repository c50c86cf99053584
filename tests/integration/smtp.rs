//! A real SMTP server for the email tests: aiosmtpd (PyPI), started by the test through
//! `fixtures/smtp/sink.py`, which records every message it accepts as a JSON line.

use crate::helpers::{TempDir, temp_dir};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct SmtpServer {
    pub port: u16,
    child: Child,
    file: PathBuf,
    _dir: TempDir,
}

/// One message as a mail client shows it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub body: String,
}

impl SmtpServer {
    /// Starts the server on a free port.
    pub async fn start() -> SmtpServer {
        Self::start_on(None).await
    }

    /// Starts the server on `port` (or a free one).
    pub async fn start_on(port: Option<u16>) -> SmtpServer {
        let dir = temp_dir();
        let file = dir.0.join("mail.jsonl");
        let python = std::env::var("TRELLIS_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/smtp/sink.py");
        let mut command = Command::new(&python);
        command.arg(script).arg(&file);
        if let Some(port) = port {
            command.arg(port.to_string());
        }
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {python} (scripts/test.sh installs aiosmtpd): {e}")
            });
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the SMTP server starts within 30 s")
            .unwrap()
            .unwrap_or_else(|| {
                panic!("the SMTP server did not start: is aiosmtpd installed for {python}? (scripts/test.sh installs it)")
            });
        let port = ready
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("unexpected SMTP server output: {ready}"));
        SmtpServer {
            port,
            child,
            file,
            _dir: dir,
        }
    }

    /// Every message accepted so far, in arrival order.
    pub fn messages(&self) -> Vec<Mail> {
        let text = std::fs::read_to_string(&self.file).unwrap_or_default();
        text.lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                Mail {
                    to: v["rcpt_tos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap().to_string())
                        .collect(),
                    from: s("from"),
                    subject: s("subject"),
                    message_id: s("message_id"),
                    body: s("body"),
                }
            })
            .collect()
    }

    /// Messages to one address.
    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }

    /// Stops the server (as a mail server going down would).
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
