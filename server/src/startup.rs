//! Builds the application (database, state, router) and serves it. Tests call `build` and
//! serve the router on port 0; `main` calls `serve`.

use crate::config::Config;
use crate::oidc::{self, Oidc};
use crate::security::{self, TrustProxy};
use app::auth::mfa::reseal::reseal_all;
use app::auth::repo;
use app::crypto::seal::Keyring;
use app::db::Db;
use app::error::AppError;
use app::state::{AppState, AuthSettings};
use app::{App, shell};
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router, middleware};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};

/// Largest request body accepted (forms, server-function calls). The largest real form, a
/// note with several full 20,000-character sections in a non-Latin script, URL-encodes to
/// about half of this.
const BODY_LIMIT: usize = 1024 * 1024;

pub struct Built {
    pub router: Router,
    pub state: AppState,
}

/// Opens the database (applying migrations), seeds the demo practice when asked, and
/// assembles the router.
pub async fn build(config: &Config) -> Result<Built, AppError> {
    let db = open_database(config).await?;
    app::features::program::seed::ensure_builtin(&db).await?;
    let session_key = crate::keys::session_key(config)?;
    let mfa_keys = crate::keys::encryption_keys(config)?;
    seal_two_factor_secrets(&db, &mfa_keys).await?;
    let public_url = config.public_url();
    let oidc = config.oidc().map(|(issuer, client_id, secret)| {
        Arc::new(Oidc::new(
            &issuer,
            client_id,
            secret.expose().to_string(),
            &public_url,
        ))
    });
    let leptos_options = LeptosOptions::builder()
        .output_name("trellis")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build();
    let state = AppState {
        db,
        auth: Arc::new(AuthSettings {
            session_key,
            mfa_keys,
            idle_timeout: Duration::from_secs(config.idle_timeout_minutes * 60),
            absolute_timeout: Duration::from_secs(config.session_max_hours * 3600),
            secure_cookies: public_url.scheme() == "https",
            oidc_label: oidc.as_ref().map(|_| config.oidc_label.clone()),
            demo: config.demo,
            public_url: public_url.as_str().trim_end_matches('/').to_string(),
        }),
        leptos_options,
        mail_enabled: crate::mail::Mailer::from_config(config)?.is_some(),
    };
    if config.demo && app::demo::seed_if_empty(&state).await? {
        tracing::info!("seeded the demo practice");
    }
    let router = router(state.clone(), oidc, config.trust_proxy);
    Ok(Built { router, state })
}

/// Seals under the current key every two-factor secret that is not yet: plain ones from
/// before sealing, and ones under an earlier key (a rotation). Rows sealed under a key this
/// server was not given are reported loudly but do not stop it: everyone else can still work,
/// those people still have their recovery codes, and an administrator can reset them.
async fn seal_two_factor_secrets(db: &Db, keys: &Keyring) -> Result<(), AppError> {
    let done = reseal_all(db, keys).await?;
    let current = keys.current_id();
    tracing::info!(
        key_id = current,
        "two-factor secrets are sealed with this key"
    );
    if done.from_plain > 0 {
        tracing::info!(
            count = done.from_plain,
            "sealed two-factor secrets stored in plain text before this version"
        );
    }
    if done.from_previous > 0 {
        tracing::info!(
            count = done.from_previous,
            key_id = current,
            "sealed two-factor secrets again under the current key"
        );
    }
    for (key_id, count) in &done.unknown_keys {
        tracing::error!(
            key_id = key_id.as_str(),
            count,
            "two-factor secrets are sealed with key id {key_id}, which this server was not \
             given. Those people cannot sign in with codes from their app (their recovery \
             codes still work) until that key is set in TRELLIS_ENCRYPTION_KEY_PREVIOUS, or an \
             administrator resets their two-factor sign-in"
        );
    }
    if done.unreadable > 0 {
        tracing::error!(
            count = done.unreadable,
            "two-factor secrets do not open with their key (altered, or copied between \
             accounts): an administrator should reset those people's two-factor sign-in"
        );
    }
    Ok(())
}

pub async fn open_database(config: &Config) -> Result<Db, AppError> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::Config(format!(
                "cannot create the data directory {}: {e}",
                config.data_dir.display()
            ))
        })?;
    }
    Db::connect(&config.database_url(), config.db_max_connections).await
}

/// The app's routes, generated once per process. Generating them runs the app with resource
/// loading suppressed through a process-wide flag, so a page rendering at that moment (in
/// another app of the same process, as in the tests) would wait forever (leptos #4773).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The routes served by plain axum handlers rather than pages or server functions.
fn handler_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    use app::compositions::exports as export;
    use app::features::calendar::feed as calendar;
    vec![
        ("/healthz", get(crate::health::healthz)),
        ("/auth/oidc/start", post(oidc::start)),
        ("/auth/oidc/callback", get(oidc::callback)),
        (
            "/cases/{id}/export/check-ins.csv",
            get(export::check_ins_csv),
        ),
        ("/cases/{id}/export/homework.csv", get(export::homework_csv)),
        ("/cases/{id}/export/measures.csv", get(export::measures_csv)),
        ("/cases/{id}/export.json", get(export::case_json)),
        ("/export/my-data.json", get(export::my_data_json)),
        ("/calendar/{file}", get(calendar::feed)),
        ("/sessions/{id}/calendar.ics", get(calendar::session_ics)),
    ]
}

/// Every address the app answers, for tests that must cover each one: the page routes
/// (axum syntax, e.g. `/cases/{id}`), the plain handlers, and the registered server
/// functions (`/api/<endpoint>`).
pub struct Surface {
    pub pages: Vec<String>,
    pub handlers: Vec<String>,
    pub server_fns: Vec<String>,
}

pub fn surface() -> Surface {
    Surface {
        pages: route_list().iter().map(|r| r.path().to_string()).collect(),
        handlers: handler_routes()
            .into_iter()
            .map(|(path, _)| path.to_string())
            .collect(),
        server_fns: leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_string())
            .collect(),
    }
}

fn router(state: AppState, oidc: Option<Arc<Oidc>>, trust_proxy: bool) -> Router {
    let https = state.auth.public_url.starts_with("https://");
    let routes = route_list();
    let ctx_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let site = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let handlers = handler_routes()
        .into_iter()
        .fold(Router::new(), |r, (path, route)| r.route(path, route));
    let resume = crate::held::Resume::new(state.clone(), server_fns(state.clone()));
    handlers
        .merge(server_fns(state.clone()))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx_state.clone());
                provide_context(app::couple::RequestCouples::for_request());
                provide_context(app::db::RequestSettings::of(&ctx_state.db));
            },
            move || shell(shell_options.clone()),
        )
        // Static files straight from disk; the fallback renders "page not found".
        // Release builds put brotli and gzip copies beside the bundle (scripts/precompress.mjs).
        .nest_service(
            "/pkg",
            ServeDir::new(site.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .route_service("/favicon.svg", ServeFile::new(site.join("favicon.svg")))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::held::keep_words,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::request_context,
        ))
        .layer(middleware::from_fn(security::honest_status))
        .layer(middleware::from_fn(crate::return_to::form_return))
        .layer(middleware::from_fn_with_state(
            resume,
            crate::held::resume_words,
        ))
        .layer(middleware::from_fn(security::same_origin_only))
        .layer(middleware::from_fn(security::refuse_nul))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn(security::explain_too_large))
        .layer(middleware::from_fn(security::security_headers))
        .layer(Extension(oidc))
        .layer(Extension(TrustProxy(trust_proxy)))
        .layer(Extension(security::Https(https)))
        .with_state(state)
}

/// Every server function, under `/api/`.
fn server_fns(state: AppState) -> Router<AppState> {
    Router::new().route(
        "/api/{*fn_name}",
        post(move |req: axum::extract::Request| {
            let state = state.clone();
            leptos_axum::handle_server_fns_with_context(
                move || {
                    provide_context(state.clone());
                    provide_context(app::couple::RequestCouples::for_request());
                    provide_context(app::db::RequestSettings::of(&state.db));
                },
                req,
            )
        }),
    )
}

/// Removes expired sessions (a day after they lapse), kept forms past their day, stale
/// throttle counters, abandoned OIDC logins and expired two-factor sign-ins. Every
/// statement is idempotent, so any number of server processes may run it.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = app::db::now_ms();
            let idle = state.auth.idle_timeout.as_millis() as i64;
            let grace = app::auth::held::KEEP_FOR.as_millis() as i64;
            if let Err(e) = repo::delete_stale_sessions(state.db.writer(), now, idle, grace).await {
                tracing::warn!(error = %e, "session clean-up failed");
            }
            let _ = app::auth::held::repo::delete_expired(state.db.writer(), now).await;
            let _ = app::auth::throttle::delete_stale(&state.db).await;
            let _ = sqlx::query("delete from oidc_login where created_at <= $1")
                .bind(now - 10 * 60 * 1000)
                .execute(state.db.writer())
                .await;
            let _ = app::auth::mfa::repo::delete_expired_pending(state.db.writer()).await;
        }
    });
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), AppError> {
    let built = build(&config).await?;
    spawn_housekeeping(built.state.clone());
    let scheduler = crate::mail::Scheduler::new(&config)?;
    if scheduler.mailer.is_some() {
        tracing::info!("email is on: reminders and invitations are sent");
    }
    scheduler.spawn(
        built.state.clone(),
        Duration::from_secs(config.scheduler_seconds.max(1)),
    );
    let listener = TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| AppError::Config(format!("cannot listen on {}: {e}", config.site_addr)))?;
    tracing::info!("Trellis is listening on http://{}", config.site_addr);
    axum::serve(
        listener,
        built
            .router
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| AppError::Config(format!("server error: {e}")))?;
    built.state.db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
