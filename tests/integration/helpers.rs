//! Test harness: the real router on a fresh database (a SQLite file, or a new PostgreSQL
//! database on the server named by TRELLIS_TEST_PG_URL), served on port 0, and a small
//! browser-like client that keeps cookies the way a browser does.

use app::auth::Role;
use app::features::accounts::repo::{NewAccount, create_with_password};
use app::state::AppState;
use server::config::{Config, Secret};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

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

    /// Fails when any couple's caseload counts, kept on its row by migration 0030's triggers,
    /// differ from counting afresh the way the dashboard once did (so a write path, or a
    /// later migration that rebuilt a table and lost its triggers, cannot leave them stale).
    /// Returns how many couples have something counted, so a caller can show the check
    /// compared more than zeros.
    pub async fn assert_caseload_counts_current(&self) -> i64 {
        let stale: Vec<(String, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "select couple_id, awaiting_review, awaiting, open_flags, flags, \
               counselor_unread, unread from (select c.couple_id, c.awaiting_review, \
               (select count(*) from assignment a where a.couple_id = c.couple_id \
                 and a.cancelled_at is null \
                 and a.submitted_version > a.reviewed_version) as awaiting, \
               c.open_flags, (select count(*) from safety_flag f \
                 where f.couple_id = c.couple_id and f.acknowledged_at is null) as flags, \
               c.counselor_unread, (select count(*) from message m join message_thread t \
                 on t.message_thread_id = m.message_thread_id left join message_read r \
                 on r.message_thread_id = t.message_thread_id \
                 and r.app_user_id = c.counselor_id \
                 where t.couple_id = c.couple_id and m.author_user_id <> c.counselor_id \
                 and m.retracted_at is null \
                 and m.sent_at > coalesce(r.read_up_to, 0)) as unread \
             from couple c) x \
             where awaiting_review <> awaiting or open_flags <> flags \
               or counselor_unread <> unread",
        )
        .fetch_all(self.state.db.pool())
        .await
        .expect("the caseload counts");
        assert!(
            stale.is_empty(),
            "kept counts (awaiting, flags, unread) differ from fresh ones: {stale:?}"
        );
        sqlx::query_scalar(
            "select count(*) from couple \
             where awaiting_review + open_flags + counselor_unread > 0",
        )
        .fetch_one(self.state.db.pool())
        .await
        .expect("the caseload counts")
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

/// A browser-like client: keeps cookies (honouring removal), never follows redirects on
/// its own, and sends the headers a same-origin form submission carries.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub cookies: BTreeMap<String, String>,
    /// Sent as `X-Forwarded-For` (the address a proxy saw), when set.
    pub forwarded_for: Option<String>,
    /// Whether a partner signing in here signs the practice's consent at once, through its
    /// form (off for the tests of the consent gate); `consent_name` is the name they type.
    pub auto_consent: bool,
    pub consent_name: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            // A server that stops answering fails the test instead of hanging the run.
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .unwrap(),
            base: base.to_string(),
            cookies: BTreeMap::new(),
            forwarded_for: None,
            auto_consent: true,
            consent_name: "Test Partner".into(),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    /// A request with this browser's cookies (and forwarded address).
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let req = self
            .client
            .request(method, self.url(path))
            .header("cookie", self.cookie_header());
        match &self.forwarded_for {
            Some(ip) => req.header("x-forwarded-for", ip),
            None => req,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Takes a response as a browser does: stores and removes cookies, reads the page.
    pub async fn receive(&mut self, res: reqwest::Response) -> Page {
        for sc in res.headers().get_all(reqwest::header::SET_COOKIE) {
            let sc = sc.to_str().unwrap();
            let (pair, attrs) = sc.split_once(';').unwrap_or((sc, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let attrs = attrs.to_ascii_lowercase();
            if value.is_empty()
                || attrs.contains("max-age=0")
                || attrs.contains("expires=thu, 01 jan 1970")
            {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_string(), value.trim().to_string());
            }
        }
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let headers = res.headers().clone();
        let body = res.text().await.unwrap_or_default();
        Page {
            status,
            location,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let before = self.session_cookie();
        let res = self
            .request(reqwest::Method::GET, path)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let page = self.receive(res).await;
        self.after_sign_in(before, page).await
    }

    /// Follows redirects (as a browser would) until a page answers.
    pub async fn visit(&mut self, path: &str) -> (String, Page) {
        let mut at = path.to_string();
        for _ in 0..10 {
            let page = self.get(&at).await;
            match page.location.clone() {
                Some(next) if (300..400).contains(&page.status) => {
                    at = next.strip_prefix(&self.base).unwrap_or(&next).to_string();
                }
                _ => return (at, page),
            }
        }
        panic!("too many redirects from {path}");
    }

    /// A plain HTML form submission from `from_page`, as a browser sends it with JS off:
    /// no `Referer` (pages say `no-referrer`); the form's hidden field says where it was.
    pub async fn submit(&mut self, from_page: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let mut fields = form.to_vec();
        fields.push(("return_to", from_page));
        let before = self.session_cookie();
        let res = self
            .request(reqwest::Method::POST, action)
            .header("accept", "text/html")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .form(&fields)
            .send()
            .await
            .unwrap();
        let page = self.receive(res).await;
        self.after_sign_in(before, page).await
    }

    /// A server-function call as a non-browser client makes it (no text/html, no Origin).
    pub async fn call(&mut self, action: &str, form: &[(&str, &str)]) -> Page {
        let before = self.session_cookie();
        let res = self
            .request(reqwest::Method::POST, action)
            .form(form)
            .send()
            .await
            .unwrap();
        let page = self.receive(res).await;
        self.after_sign_in(before, page).await
    }

    /// Signs in through the sign-in form; returns the response to the form post.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/api/sign_in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies
            .get(app::auth::session::SESSION_COOKIE)
            .cloned()
    }
}
