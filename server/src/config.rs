//! Configuration from the environment (or flags), typed, with secrets that never print.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// A secret value: parsed like a string, printed as `[redacted]`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Secret {
    /// Wraps a string as a secret.
    pub fn from_str_lossy(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Trellis: case tracking for couples counselors.",
    long_about = "Trellis: case tracking for couples counselors.\n\n\
        Every setting can be given as a flag or as the environment variable shown. \
        With no command, the server serves."
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve Trellis (the default).
    Serve,
    /// Create an administrator account. The password is read from TRELLIS_ADMIN_PASSWORD,
    /// or from standard input (one line).
    CreateAdmin {
        /// The administrator's email address.
        #[arg(long)]
        email: String,
        /// The administrator's name, as shown in Trellis.
        #[arg(long)]
        name: String,
    },
    /// Write a consistent copy of the SQLite database to FILE, while Trellis keeps serving.
    /// (On PostgreSQL, use pg_dump.)
    Backup {
        /// Where to write the backup; must not exist yet.
        file: PathBuf,
    },
    /// Replace the SQLite database with the backup in FILE. Stop Trellis first; the database
    /// it replaces is kept beside it. (On PostgreSQL, use pg_restore.)
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
    /// Fill an empty database with a large made-up practice for benchmarks: a counselor per
    /// 50 couples, months of homework, check-ins, sessions and notes. Every account's
    /// password is `trellis-bench`.
    SeedPractice {
        /// How many couples (10,000 gives about 500,000 homework submissions).
        #[arg(long, default_value_t = 10_000)]
        couples: u64,
        /// The random seed: the same seed and size give the same practice.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Database: `sqlite://PATH` (default: a file under the data directory) or
    /// `postgres://user:password@host/database`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<Secret>,

    /// Directory for the embedded SQLite database and the generated keys (session.key,
    /// encryption.key).
    #[arg(long, env = "TRELLIS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,

    /// Directory holding the built site (`pkg/` with the WASM, JS and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// The address people use to reach Trellis, e.g. https://trellis.example.org. Used for
    /// OIDC redirects, and cookies are marked Secure when it is https.
    /// Default: http:// and the listening address.
    #[arg(long, env = "TRELLIS_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// Key for hashing session tokens (at least 32 characters). Every server sharing one
    /// database must use the same key. Default: a random key kept in the data directory.
    #[arg(long, env = "TRELLIS_SESSION_SECRET", hide_env_values = true)]
    pub session_secret: Option<Secret>,

    /// Key that seals two-factor secrets in the database (at least 32 characters), so a copy
    /// of the database alone gives no working codes. Every server sharing one database must
    /// use the same key. Default: a random key kept in the data directory (encryption.key).
    #[arg(long, env = "TRELLIS_ENCRYPTION_KEY", hide_env_values = true)]
    pub encryption_key: Option<Secret>,

    /// Earlier encryption keys, separated by commas, during a key change: secrets sealed
    /// under them still open, and are sealed again under the current key at start-up.
    #[arg(long, env = "TRELLIS_ENCRYPTION_KEY_PREVIOUS", hide_env_values = true)]
    pub encryption_key_previous: Option<Secret>,

    /// Minutes without activity after which a session ends.
    #[arg(long, env = "TRELLIS_IDLE_TIMEOUT_MINUTES", default_value_t = 30)]
    pub idle_timeout_minutes: u64,

    /// Hours after sign-in at which a session ends, active or not.
    #[arg(long, env = "TRELLIS_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,

    /// OpenID Connect issuer URL (discovery at ISSUER/.well-known/openid-configuration).
    /// OIDC sign-in is offered when issuer, client id and client secret are all set.
    #[arg(long, env = "TRELLIS_OIDC_ISSUER")]
    pub oidc_issuer: Option<url::Url>,

    /// OpenID Connect client id registered with the issuer.
    #[arg(long, env = "TRELLIS_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// OpenID Connect client secret.
    #[arg(long, env = "TRELLIS_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<Secret>,

    /// Text of the single sign-on button.
    #[arg(
        long,
        env = "TRELLIS_OIDC_LABEL",
        default_value = "Sign in with your organisation"
    )]
    pub oidc_label: String,

    /// Seed the demo practice into an empty database and list its accounts on the sign-in page.
    #[arg(long, env = "TRELLIS_DEMO", default_value = "false", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Trust X-Forwarded-For from a reverse proxy for the client's address.
    #[arg(long, env = "TRELLIS_TRUST_PROXY", default_value = "false", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set)]
    pub trust_proxy: bool,

    /// Largest number of database connections this process reads through (SQLite adds one
    /// more that writes). Default: two per CPU core, at most 8; more only costs memory.
    #[arg(long, env = "TRELLIS_DB_MAX_CONNECTIONS", default_value_t = default_connections())]
    pub db_max_connections: u32,

    /// Outgoing mail server. Reminders, counselors' daily digests and invitation links are
    /// emailed only when this and TRELLIS_MAIL_FROM are set.
    #[arg(long, env = "TRELLIS_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// Mail server port. Default: 587 for starttls, 465 for tls, 25 for none.
    #[arg(long, env = "TRELLIS_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// How the mail connection is secured: starttls, tls, or none (none only for a relay on
    /// this machine).
    #[arg(
        long,
        env = "TRELLIS_SMTP_SECURITY",
        value_enum,
        default_value = "starttls"
    )]
    pub smtp_security: SmtpSecurity,

    /// Mail server user name, if it asks for one.
    #[arg(long, env = "TRELLIS_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// Mail server password.
    #[arg(long, env = "TRELLIS_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<Secret>,

    /// Sender of Trellis's emails, e.g. "Trellis <trellis@practice.example>".
    #[arg(long, env = "TRELLIS_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Hour of the day (UTC, 0-23) from which "due tomorrow" reminders and counselors'
    /// daily digests go out.
    #[arg(long, env = "TRELLIS_REMINDER_HOUR", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(0..24))]
    pub reminder_hour: u32,

    /// Seconds between rounds of the background task (repeating homework, reminders, email).
    #[arg(long, env = "TRELLIS_SCHEDULER_SECONDS", default_value_t = 60)]
    pub scheduler_seconds: u64,
}

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the start (port 465).
    Tls,
    /// No encryption: only for a relay on this machine.
    None,
}

impl Config {
    /// The database URL, defaulting to the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_string(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("trellis.db").display()
            ),
        }
    }

    pub fn public_url(&self) -> url::Url {
        self.public_url.clone().unwrap_or_else(|| {
            url::Url::parse(&format!("http://{}", self.site_addr)).expect("socket address URL")
        })
    }

    /// The OIDC client settings, when all three are configured.
    pub fn oidc(&self) -> Option<(url::Url, String, Secret)> {
        match (
            &self.oidc_issuer,
            &self.oidc_client_id,
            &self.oidc_client_secret,
        ) {
            (Some(i), Some(c), Some(s)) => Some((i.clone(), c.clone(), s.clone())),
            _ => None,
        }
    }
}

/// Two database connections per CPU core, between 2 and 8: a request waits on the database
/// only briefly, so more connections than that add memory (each SQLite connection keeps
/// its own page cache) without adding throughput.
fn default_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    (cores * 2).clamp(2, 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let cli = Cli::parse_from([
            "server",
            "--session-secret",
            "super-secret-value-0123456789abcdef",
            "--database-url",
            "postgres://u:hunter2@localhost/db",
            "--encryption-key",
            "sealing-key-value-0123456789abcdef",
            "--encryption-key-previous",
            "older-sealing-key-0123456789abcdef",
        ]);
        let printed = format!("{cli:?}");
        assert!(!printed.contains("super-secret-value"));
        assert!(!printed.contains("sealing-key-value"));
        assert!(!printed.contains("older-sealing-key"));
        assert!(!printed.contains("hunter2"));
        assert_eq!(cli.config.idle_timeout_minutes, 30);
        assert_eq!(
            cli.config.site_addr,
            "127.0.0.1:3000".parse::<SocketAddr>().unwrap()
        );
    }

    #[test]
    fn default_database_is_the_sqlite_file_in_the_data_dir() {
        let cli = Cli::parse_from(["server", "--data-dir", "/tmp/x"]);
        assert_eq!(
            cli.config.database_url(),
            "sqlite:///tmp/x/trellis.db?mode=rwc"
        );
    }
}
