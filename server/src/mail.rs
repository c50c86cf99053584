//! Email over SMTP (lettre), and the background task that, every round, rolls repeating
//! homework forward, queues the reminders that are due and sends what the outbox holds.
//!
//! The work lives in the database, so a restart loses nothing, and any number of server
//! processes may share one database: queueing is deduplicated, and sending claims each
//! email first (see `app::outbox`). An email is marked sent right after
//! the mail server accepts it; only a crash in between could repeat it, and its Message-ID
//! (fixed per email) lets mail systems discard such a repeat.

use crate::config::{Config, SmtpSecurity};
use app::db::Db;
use app::error::AppError;
use app::features::reminders::plan::{PlanSettings, plan};
use app::outbox::{
    OutboxEmail, claim, mark_dropped, mark_sent, ready, retry_later, still_current, still_wanted,
};
use app::state::AppState;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// How long a sender may hold an email before another may try it.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// Failed attempts after which an email is given up.
const MAX_ATTEMPTS: i64 = 8;
/// Emails sent per batch.
const BATCH: i64 = 50;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Domain for Message-IDs.
    domain: String,
}

impl Mailer {
    /// The mailer the configuration describes, or `None` when email is not configured.
    pub fn from_config(config: &Config) -> Result<Option<Mailer>, AppError> {
        let Some(host) = config.smtp_host.as_deref().filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let from: Mailbox = config
            .mail_from
            .as_deref()
            .ok_or_else(|| {
                AppError::Config("TRELLIS_MAIL_FROM must be set when TRELLIS_SMTP_HOST is".into())
            })?
            .parse()
            .map_err(|e| AppError::Config(format!("TRELLIS_MAIL_FROM is not an address: {e}")))?;
        let smtp_error = |e: lettre::transport::smtp::Error| {
            AppError::Config(format!("TRELLIS_SMTP_HOST cannot be used: {e}"))
        };
        let (builder, default_port) = match config.smtp_security {
            SmtpSecurity::Starttls => (
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(smtp_error)?,
                587,
            ),
            SmtpSecurity::Tls => (
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(smtp_error)?,
                465,
            ),
            SmtpSecurity::None => (
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                25,
            ),
        };
        let mut builder = builder
            .port(config.smtp_port.unwrap_or(default_port))
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&config.smtp_username, &config.smtp_password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        let domain = config
            .public_url()
            .host_str()
            .unwrap_or("trellis.invalid")
            .to_string();
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            domain,
        }))
    }

    fn message(&self, email: &OutboxEmail) -> Result<Message, String> {
        let to: Mailbox = email
            .to_address
            .parse()
            .map_err(|e| format!("not an email address: {e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}@{}>", email.email_id, self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| format!("cannot build the email: {e}"))
    }
}

/// What one sending round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub dropped: usize,
    pub retrying: usize,
}

/// Sends every email that is ready at `now`, claiming each first as `sender`.
pub async fn send_ready(
    db: &Db,
    mailer: &Mailer,
    sender: &str,
    now: i64,
) -> Result<Sent, AppError> {
    let mut report = Sent::default();
    loop {
        let batch = ready(db, now, BATCH).await?;
        let mut claimed_any = false;
        for email in &batch {
            if !claim(db, &email.email_id, sender, now, LEASE_MS).await? {
                continue;
            }
            claimed_any = true;
            if !still_current(db, &email.email_id, now).await? {
                mark_dropped(db, &email.email_id, now, "the link in it no longer works").await?;
                report.dropped += 1;
                continue;
            }
            if let Some(user) = &email.app_user_id
                && !still_wanted(db, user).await?
            {
                mark_dropped(
                    db,
                    &email.email_id,
                    now,
                    "reminders turned off or account inactive",
                )
                .await?;
                report.dropped += 1;
                continue;
            }
            let message = match mailer.message(email) {
                Ok(m) => m,
                Err(reason) => {
                    mark_dropped(db, &email.email_id, now, &reason).await?;
                    report.dropped += 1;
                    continue;
                }
            };
            match mailer.transport.send(message).await {
                Ok(_) => {
                    mark_sent(db, &email.email_id, sender, app::db::now_ms().max(now)).await?;
                    report.sent += 1;
                }
                Err(e) if e.is_permanent() || email.attempts + 1 >= MAX_ATTEMPTS => {
                    tracing::warn!(email_id = %email.email_id, kind = %email.kind, error = %e, "email given up");
                    mark_dropped(db, &email.email_id, now, &e.to_string()).await?;
                    report.dropped += 1;
                }
                Err(e) => {
                    // Back off: 1, 2, 4 ... minutes, at most an hour.
                    let wait = 60_000_i64 << (email.attempts.clamp(0, 6));
                    tracing::info!(email_id = %email.email_id, error = %e, "email will be retried");
                    retry_later(db, &email.email_id, sender, now + wait, &e.to_string()).await?;
                    report.retrying += 1;
                }
            }
        }
        if batch.len() < BATCH as usize || !claimed_any {
            return Ok(report);
        }
    }
}

/// Settings of the background task.
pub struct Scheduler {
    pub mailer: Option<Arc<Mailer>>,
    pub public_url: String,
    pub reminder_hour: u32,
    /// This process's name in the outbox's claims.
    pub sender: String,
}

impl Scheduler {
    pub fn new(config: &Config) -> Result<Scheduler, AppError> {
        Ok(Scheduler {
            mailer: Mailer::from_config(config)?.map(Arc::new),
            public_url: config
                .public_url()
                .as_str()
                .trim_end_matches('/')
                .to_string(),
            reminder_hour: config.reminder_hour,
            sender: format!("{}-{}", std::process::id(), app::db::new_id()),
        })
    }

    /// One round at `now`: repeating homework, then (with email on) planning and sending.
    pub async fn round(&self, db: &Db, now: DateTime<Utc>) -> Result<Sent, AppError> {
        app::features::homework::repo::roll_repeats(db, now.date_naive()).await?;
        let Some(mailer) = &self.mailer else {
            return Ok(Sent::default());
        };
        let settings = PlanSettings {
            public_url: &self.public_url,
            reminder_hour: self.reminder_hour,
        };
        plan(db, now, &settings).await?;
        send_ready(db, mailer, &self.sender, now.timestamp_millis()).await
    }

    /// Runs a round every `every`, for as long as the server runs.
    pub fn spawn(self, state: AppState, every: Duration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.round(&state.db, Utc::now()).await {
                    tracing::warn!(error = %e, "background round failed; will try again");
                }
            }
        });
    }
}
