//! Test harness: the real router on a fresh database (a SQLite file, or a new PostgreSQL
//! database on the server named by TRELLIS_TEST_PG_URL), served on port 0, and a small
//! browser-like client that keeps cookies the way a browser does.

use app::auth::Role;
use app::features::accounts::repo::{NewAccount, create_with_password};
use app::state::AppState;
use server::config::{Config, Secret};
use std::net::SocketAddr;
use std::path::PathBuf;

mod browser;
mod caseload_counts;

pub use browser::{Browser, Page};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs each named async test function once per database engine.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Engine::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Engine::Postgres).await
                }
            }
        )*
    };
}

pub const PASSWORD: &str = "copper kettle on a windy hill";

/// The sections of a case page by their path segment (`/cases/<id>/<segment>`; the
/// overview's is empty).
pub const CASE_SECTIONS: [&str; 7] = [
    "",
    "homework",
    "progress",
    "agreements",
    "sessions",
    "partners",
    "timeline",
];

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub config: Config,
    _dir: TempDir,
}

#[derive(Default)]
pub struct Options {
    pub demo: bool,
    pub oidc: Option<(String, String, String)>,
    /// Port of a plain SMTP server on 127.0.0.1 to send email through.
    pub smtp: Option<u16>,
    /// The address users reach Trellis at, when not the listening address.
    pub public_url: Option<String>,
    /// Take the client's address from `X-Forwarded-For` (as behind a reverse proxy).
    pub trust_proxy: bool,
    /// TRELLIS_ENCRYPTION_KEY and TRELLIS_ENCRYPTION_KEY_PREVIOUS (default: the generated
    /// key in the data directory).
    pub encryption_key: Option<String>,
    pub encryption_key_previous: Option<String>,
}

/// A directory removed when the test ends.
pub struct TempDir(pub PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir() -> TempDir {
    let dir = std::env::temp_dir().join(format!("trellis-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// A fresh, empty database URL for the engine.
pub async fn fresh_database(engine: Engine, dir: &std::path::Path) -> String {
    match engine {
        Engine::Sqlite => format!("sqlite://{}?mode=rwc", dir.join("trellis.db").display()),
        Engine::Postgres => {
            let admin_url = std::env::var("TRELLIS_TEST_PG_URL").expect(
                "TRELLIS_TEST_PG_URL must name a PostgreSQL server for the postgres tests \
                 (scripts/test.sh installs and starts one)",
            );
            let name = format!("trellis_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .expect("connect to the PostgreSQL test server");
            sqlx::query(&format!("create database {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let mut url = url::Url::parse(&admin_url).unwrap();
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
    }
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        Self::spawn_with(engine, Options::default()).await
    }

    pub async fn spawn_with(engine: Engine, options: Options) -> TestApp {
        let dir = temp_dir();
        let database_url = fresh_database(engine, &dir.0).await;
        Self::spawn_on(engine, dir, database_url, options).await
    }

    /// Serves an app on an existing database (to test what start-up does to it).
    pub async fn spawn_on(
        _engine: Engine,
        dir: TempDir,
        database_url: String,
        options: Options,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (oidc_issuer, oidc_client_id, oidc_client_secret) = match options.oidc {
            Some((i, c, s)) => (
                Some(url::Url::parse(&i).unwrap()),
                Some(c),
                Some(Secret::from_str_lossy(&s)),
            ),
            None => (None, None, None),
        };
        let config = Config {
            database_url: Some(Secret::from_str_lossy(&database_url)),
            data_dir: dir.0.clone(),
            site_addr: addr,
            site_root: dir.0.join("site").display().to_string(),
            public_url: options
                .public_url
                .as_deref()
                .map(|u| url::Url::parse(u).unwrap()),
            session_secret: None,
            encryption_key: options
                .encryption_key
                .as_deref()
                .map(Secret::from_str_lossy),
            encryption_key_previous: options
                .encryption_key_previous
                .as_deref()
                .map(Secret::from_str_lossy),
            idle_timeout_minutes: 30,
            session_max_hours: 12,
            oidc_issuer,
            oidc_client_id,
            oidc_client_secret,
            oidc_label: "Sign in with Test ID".into(),
            demo: options.demo,
            trust_proxy: options.trust_proxy,
            db_max_connections: 5,
            smtp_host: options.smtp.as_ref().map(|_| "127.0.0.1".to_string()),
            smtp_port: options.smtp,
            smtp_security: server::config::SmtpSecurity::None,
            smtp_username: None,
            smtp_password: None,
            mail_from: options
                .smtp
                .map(|_| "Trellis <trellis@practice.test>".to_string()),
            reminder_hour: 8,
            scheduler_seconds: 60,
        };
        let built = server::startup::build(&config).await.expect("app builds");
        let router = built.router;
        tokio::spawn(async move {
            axum_serve(listener, router).await;
        });
        TestApp {
            base: format!("http://{addr}"),
            state: built.state,
            config,
            _dir: dir,
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// Creates an active account with a password and returns its id.
    pub async fn create_user(&self, role: Role, name: &str, email: &str) -> String {
        let account = NewAccount {
            role,
            display_name: name,
            email,
            password: PASSWORD.to_string(),
        };
        create_with_password(&self.state.db, account, false, None, None)
            .await
            .expect("create user")
    }

    /// The id of the account that signs in with `email`.
    pub async fn user_id(&self, email: &str) -> String {
        sqlx::query_scalar("select app_user_id from app_user where email = $1")
            .bind(email)
            .fetch_one(self.state.db.pool())
            .await
            .unwrap_or_else(|e| panic!("an account for {email}: {e}"))
    }

    /// The audit trail's actions, newest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        app::audit::repo::latest(self.state.db.pool(), 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect()
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, router: axum::Router) {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .unwrap();
}
