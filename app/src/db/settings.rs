//! The practice's settings (`app_setting`): read through this server's short-lived copy and
//! each request's own, written with `put_setting`.

use super::Db;
use crate::error::AppError;
use sqlx::{Any, Executor};
use std::time::Duration;

type Settings = std::sync::Arc<std::collections::HashMap<String, String>>;

/// How long a server trusts its copy of the practice's settings. A change made on this
/// server replaces the copy at once; another server sharing the database (PostgreSQL) sees
/// it within this time. The two-factor policy is read with the session instead, so it
/// never waits.
pub const SETTINGS_FRESH_FOR: Duration = Duration::from_secs(5);

/// A server's copy of the practice's settings, read in one statement and kept for
/// `SETTINGS_FRESH_FOR`: settings change rarely and many pages read them.
#[derive(Debug, Default)]
pub(super) struct SettingsCopy {
    copy: std::sync::Mutex<Option<(std::time::Instant, u64, Settings)>>,
    /// Grows with every change, so a copy read while a change was made is never kept.
    generation: std::sync::atomic::AtomicU64,
}

impl Db {
    /// The practice's settings: this server's copy while fresh, else read now.
    async fn all_settings(&self) -> Result<Settings, AppError> {
        use std::sync::atomic::Ordering::SeqCst;
        let generation = self.settings.generation.load(SeqCst);
        if let Ok(copy) = self.settings.copy.lock()
            && let Some((at, kept, all)) = copy.as_ref()
            && *kept == generation
            && at.elapsed() < SETTINGS_FRESH_FOR
        {
            return Ok(all.clone());
        }
        let rows: Vec<(String, String)> =
            sqlx::query_as("select app_setting_id, value from app_setting")
                .fetch_all(self.pool())
                .await?;
        let all: Settings = std::sync::Arc::new(rows.into_iter().collect());
        if let Ok(mut copy) = self.settings.copy.lock()
            && self.settings.generation.load(SeqCst) == generation
        {
            *copy = Some((std::time::Instant::now(), generation, all.clone()));
        }
        Ok(all)
    }

    /// Drops this server's copy of the settings (a setting is being changed): the next
    /// read reads them afresh.
    pub fn forget_settings(&self) {
        self.settings
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut copy) = self.settings.copy.lock() {
            *copy = None;
        }
    }
}

/// The practice's settings as one request read them (provided per request by the
/// server): the first read takes the server's copy (or loads them all, in one statement),
/// and the rest of the request reads that. A request that changes a setting reads afresh
/// from then on, and drops the server's copy.
#[derive(Clone, Default)]
pub struct RequestSettings(std::sync::Arc<RequestSettingsInner>);

#[derive(Default)]
struct RequestSettingsInner {
    all: tokio::sync::OnceCell<Settings>,
    changed: std::sync::atomic::AtomicBool,
    /// The request changed people (`people_changed`): copies of sessions are dropped again
    /// when it ends.
    people_changed: std::sync::atomic::AtomicBool,
    /// The server's database, whose copy a change drops.
    db: Option<Db>,
}

/// A request that changed a setting drops the server's copy again once it is over (its
/// transaction committed by then): a copy read by another request meanwhile, before the
/// change was committed, is not kept.
impl Drop for RequestSettingsInner {
    fn drop(&mut self) {
        if self.changed.load(std::sync::atomic::Ordering::SeqCst)
            && let Some(db) = &self.db
        {
            db.forget_settings();
        }
        if self
            .people_changed
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            super::people::changed_again();
        }
    }
}

impl RequestSettings {
    /// A request's memory of the settings of `db`.
    pub fn of(db: &Db) -> Self {
        RequestSettings(std::sync::Arc::new(RequestSettingsInner {
            all: Default::default(),
            changed: Default::default(),
            people_changed: Default::default(),
            db: Some(db.clone()),
        }))
    }

    /// This request changes people: see `people_changed`.
    pub(super) fn people_changed(&self) {
        self.0
            .people_changed
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A practice setting, by key: from this request's copy of them all when there is a
/// request, else read on its own.
pub async fn setting(db: &Db, key: &str) -> Result<Option<String>, AppError> {
    let Some(memo) = leptos::prelude::use_context::<RequestSettings>()
        .filter(|m| !m.0.changed.load(std::sync::atomic::Ordering::SeqCst))
    else {
        return Ok(get_setting(db.pool(), key).await?);
    };
    let all = memo.0.all.get_or_try_init(|| db.all_settings()).await?;
    Ok(all.get(key).cloned())
}

/// A practice setting (`app_setting`), by key, read on its own (inside a transaction, or
/// outside any request).
pub async fn get_setting<'e>(
    ex: impl Executor<'e, Database = Any>,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select value from app_setting where app_setting_id = $1")
        .bind(key)
        .fetch_optional(ex)
        .await
}

pub async fn put_setting<'e>(
    ex: impl Executor<'e, Database = Any>,
    key: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    if let Some(memo) = leptos::prelude::use_context::<RequestSettings>() {
        memo.0
            .changed
            .store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(db) = &memo.0.db {
            db.forget_settings();
        }
    }
    // The two-factor policy is read with each session.
    super::changing_people(
        sqlx::query(
            "insert into app_setting (app_setting_id, value) values ($1, $2) \
             on conflict (app_setting_id) do update set value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(ex),
    )
    .await?;
    Ok(())
}
