//! SQL for messages: threads, sending, retracting, how far each reader has read, unread
//! counts and the record for exports. The caller has checked who may do what.

mod settings;

pub use settings::{messaging, save_messaging};

use super::{JOINT, RETRACT_WINDOW_MS};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;

/// One stored message.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub message_id: String,
    pub author_user_id: String,
    /// "counselor", "partner_1" or "partner_2".
    pub author: String,
    pub body: Option<String>,
    pub sent_at: i64,
    pub retracted_at: Option<i64>,
}

/// The audit detail naming a thread: "joint" or "partner_N".
pub fn thread_detail(position: i64) -> String {
    if position == JOINT {
        "joint".into()
    } else {
        format!("partner_{position}")
    }
}

/// The thread's id, if it exists (a private thread once used, the joint one once opened).
pub async fn thread_id(
    db: &Db,
    couple_id: &str,
    position: i64,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "select message_thread_id from message_thread where couple_id = $1 and position = $2",
    )
    .bind(couple_id)
    .bind(position)
    .fetch_optional(db.pool())
    .await?)
}

/// Opens the couple's joint thread (nothing changes if it is open already).
pub async fn open_joint(
    db: &Db,
    couple_id: &str,
    by: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "insert into message_thread (message_thread_id, couple_id, position, opened_at, opened_by) \
         values ($1, $2, $3, $4, $5) on conflict (couple_id, position) do nothing",
    )
    .bind(new_id())
    .bind(couple_id)
    .bind(JOINT)
    .bind(now_ms())
    .bind(by)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        record(
            &mut *tx,
            AuditAction::JointThreadOpened,
            AuditEntry {
                actor_user_id: Some(by),
                couple_id: Some(couple_id),
                ip,
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What a sent message was: its id, its thread and when it was sent.
pub struct Sent {
    pub message_id: String,
    pub thread_id: String,
    pub sent_at: i64,
}

/// Sends `body` in the thread at `position` (a private thread is made on its first message;
/// the joint thread must have been opened: `None` otherwise). The sender has read their own
/// thread up to their message.
pub async fn send(
    db: &Db,
    couple_id: &str,
    position: i64,
    author_user_id: &str,
    author: &str,
    body: &str,
    ip: Option<&str>,
) -> Result<Option<Sent>, AppError> {
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    if position != JOINT {
        sqlx::query(
            "insert into message_thread (message_thread_id, couple_id, position, opened_at) \
             values ($1, $2, $3, $4) on conflict (couple_id, position) do nothing",
        )
        .bind(new_id())
        .bind(couple_id)
        .bind(position)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let thread: Option<String> = sqlx::query_scalar(
        "select message_thread_id from message_thread where couple_id = $1 and position = $2",
    )
    .bind(couple_id)
    .bind(position)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(thread_id) = thread else {
        return Ok(None);
    };
    let message_id = new_id();
    sqlx::query(
        "insert into message (message_id, message_thread_id, author_user_id, author, body, sent_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&message_id)
    .bind(&thread_id)
    .bind(author_user_id)
    .bind(author)
    .bind(body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    advance(&mut *tx, &thread_id, author_user_id, now).await?;
    let detail = thread_detail(position);
    record(
        &mut *tx,
        AuditAction::MessageSent,
        AuditEntry {
            actor_user_id: Some(author_user_id),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Sent {
        message_id,
        thread_id,
        sent_at: now,
    }))
}

/// Moves the reader's place in the thread forward to `up_to` (never back). True when it moved.
async fn advance<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    thread_id: &str,
    user_id: &str,
    up_to: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "insert into message_read (message_thread_id, app_user_id, read_up_to) values ($1, $2, $3) \
         on conflict (message_thread_id, app_user_id) do update set read_up_to = excluded.read_up_to \
         where message_read.read_up_to < excluded.read_up_to",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(up_to)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// How far the reader had read the thread (0: never).
pub async fn read_up_to(db: &Db, thread_id: &str, user_id: &str) -> Result<i64, AppError> {
    let at: Option<i64> = sqlx::query_scalar(
        "select read_up_to from message_read where message_thread_id = $1 and app_user_id = $2",
    )
    .bind(thread_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(at.unwrap_or(0))
}

/// Records that the reader has read the thread up to `up_to`. Audited when they were shown
/// it (`opened`: a page load) or when it showed them something new (a poll).
// Each argument is one fact of the reading; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn mark_read(
    db: &Db,
    couple_id: &str,
    position: i64,
    thread_id: &str,
    user_id: &str,
    up_to: i64,
    opened: bool,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let moved = advance(&mut *tx, thread_id, user_id, up_to).await?;
    if opened || moved {
        let detail = thread_detail(position);
        record(
            &mut *tx,
            AuditAction::MessageThreadRead,
            AuditEntry {
                actor_user_id: Some(user_id),
                couple_id: Some(couple_id),
                ip,
                detail: Some(&detail),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every message of the thread, oldest first.
pub async fn messages(db: &Db, thread_id: &str) -> Result<Vec<MessageRow>, AppError> {
    Ok(sqlx::query_as(
        "select message_id, author_user_id, author, body, sent_at, retracted_at from message \
         where message_thread_id = $1 order by sent_at, message_id",
    )
    .bind(thread_id)
    .fetch_all(db.pool())
    .await?)
}

/// The messages of thread `t` that the reader (the account bound at `user`, "$2" say) has
/// not read yet, their own and retracted ones aside: count `m.message_id`.
fn unread_joins(user: &str) -> String {
    format!(
        "left join message_read r on r.message_thread_id = t.message_thread_id \
           and r.app_user_id = {user} \
         left join message m on m.message_thread_id = t.message_thread_id \
           and m.author_user_id <> {user} and m.retracted_at is null \
           and m.sent_at > coalesce(r.read_up_to, 0)"
    )
}

/// Every open thread of the couple, by position, with how many of its messages `user_id`
/// has not read yet (their own and retracted ones aside), in one statement.
pub async fn unread_by_thread(
    db: &Db,
    couple_id: &str,
    user_id: &str,
) -> Result<Vec<(i64, i64)>, AppError> {
    let sql = format!(
        "select t.position, count(m.message_id) from message_thread t {} \
         where t.couple_id = $1 group by t.position",
        unread_joins("$2")
    );
    Ok(sqlx::query_as(&sql)
        .bind(couple_id)
        .bind(user_id)
        .fetch_all(db.pool())
        .await?)
}

/// The partner's home's messages card as two columns of a statement about one partner (`$1`
/// the couple, `$2` the partner's position, `$3` their account): `unread_own`, unread
/// messages in their private thread with the counselor, and `unread_joint`, in the joint
/// thread (null while it is not open). Counted as `unread_by_thread` counts them.
pub fn home_columns() -> String {
    let joins = unread_joins("$3");
    format!(
        "(select count(m.message_id) from message_thread t {joins} \
          where t.couple_id = $1 and t.position = $2) as unread_own, \
         (select count(m.message_id) from message_thread t {joins} \
          where t.couple_id = $1 and t.position = {JOINT} group by t.position) as unread_joint",
        JOINT = super::JOINT
    )
}

/// A message's couple, thread position, author and when it was sent (for retracting).
pub async fn message_of(
    db: &Db,
    message_id: &str,
) -> Result<Option<(String, i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select t.couple_id, t.position, m.author_user_id, m.sent_at from message m \
         join message_thread t on t.message_thread_id = m.message_thread_id \
         where m.message_id = $1",
    )
    .bind(message_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Retracts the author's message if it was sent within the window: its words are deleted and
/// the time is kept. False when it is too late (or already retracted).
pub async fn retract(
    db: &Db,
    couple_id: &str,
    position: i64,
    message_id: &str,
    author_user_id: &str,
    ip: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let done = sqlx::query(
        "update message set body = null, retracted_at = $1 \
         where message_id = $2 and author_user_id = $3 and retracted_at is null \
           and sent_at >= $4",
    )
    .bind(now)
    .bind(message_id)
    .bind(author_user_id)
    .bind(now - RETRACT_WINDOW_MS)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let detail = thread_detail(position);
    record(
        &mut *tx,
        AuditAction::MessageRetracted,
        AuditEntry {
            actor_user_id: Some(author_user_id),
            couple_id: Some(couple_id),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// One message of the record: (thread position, who wrote, words or none, sent at,
/// retracted at).
pub type RecordRow = (i64, String, Option<String>, i64, Option<i64>);

/// The record of the couple's threads at `positions`, for exports, thread by thread, oldest
/// first.
pub async fn record_of(
    db: &Db,
    couple_id: &str,
    positions: &[i64],
) -> Result<Vec<RecordRow>, AppError> {
    let rows: Vec<RecordRow> = sqlx::query_as(
        "select t.position, m.author, m.body, m.sent_at, m.retracted_at from message m \
         join message_thread t on t.message_thread_id = m.message_thread_id \
         where t.couple_id = $1 order by t.position, m.sent_at, m.message_id",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| positions.contains(&r.0))
        .collect())
}
