//! SQL for supervision: who supervises whom, and the notes a supervisor may co-sign.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::notes::{NoteTemplate, SupervisedNote, Supervision};
use crate::time as tz;
use chrono_tz::Tz;

pub async fn is_supervisor(db: &Db, supervisor: &str, supervisee: &str) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "select count(*) from supervision s join app_user u on u.app_user_id = s.supervisor_id \
         where s.supervisor_id = $1 and s.supervisee_id = $2 and u.status = 'active'",
    )
    .bind(supervisor)
    .bind(supervisee)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

pub async fn supervisions(db: &Db) -> Result<Vec<Supervision>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "select s.supervisor_id, a.display_name, s.supervisee_id, b.display_name from supervision s \
         join app_user a on a.app_user_id = s.supervisor_id \
         join app_user b on b.app_user_id = s.supervisee_id order by a.display_name, b.display_name",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(supervisor_id, supervisor, supervisee_id, supervisee)| Supervision {
                supervisor_id,
                supervisor,
                supervisee_id,
                supervisee,
            },
        )
        .collect())
}

/// Adds (`on`) or ends a supervision. Both must be active counselors, and different people.
pub async fn set_supervision(
    db: &Db,
    supervisor: &str,
    supervisee: &str,
    on: bool,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if on {
        if supervisor == supervisee {
            return Err(AppError::validation(
                "supervisee_id",
                "A counselor cannot supervise themselves.",
            ));
        }
        let counselors: i64 = sqlx::query_scalar(
            "select count(*) from app_user where app_user_id in ($1, $2) and role = 'counselor' \
             and status = 'active'",
        )
        .bind(supervisor)
        .bind(supervisee)
        .fetch_one(&mut *tx)
        .await?;
        if counselors != 2 {
            return Err(AppError::validation(
                "supervisor_id",
                "Choose two active counselors.",
            ));
        }
        sqlx::query(
            "insert into supervision (supervisor_id, supervisee_id, created_at) values ($1, $2, $3) \
             on conflict (supervisor_id, supervisee_id) do nothing",
        )
        .bind(supervisor)
        .bind(supervisee)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("delete from supervision where supervisor_id = $1 and supervisee_id = $2")
            .bind(supervisor)
            .bind(supervisee)
            .execute(&mut *tx)
            .await?;
    }
    record(
        &mut *tx,
        AuditAction::SupervisionChanged,
        AuditEntry {
            actor_user_id: Some(actor),
            subject_user_id: Some(supervisee),
            ip,
            detail: Some(if on { "added" } else { "ended" }),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Signed progress notes of the counselors `supervisor` supervises, newest first.
pub async fn supervised_notes(
    db: &Db,
    supervisor: &str,
    tz: Tz,
) -> Result<Vec<SupervisedNote>, AppError> {
    let rows: Vec<(String, String, String, i64, String, i64)> = sqlx::query_as(
        "select n.clinical_note_id, u.display_name, c.case_name, s.starts_at, n.template, \
         (select count(*) from note_cosignature x where x.clinical_note_id = n.clinical_note_id \
            and x.cosigner_id = $1) as cosigned \
         from clinical_note n join supervision v on v.supervisee_id = n.author_id and v.supervisor_id = $1 \
         join app_user u on u.app_user_id = n.author_id \
         join couple c on c.couple_id = n.couple_id \
         join counseling_session s on s.counseling_session_id = n.counseling_session_id \
         where n.kind = 'progress' and n.signed_at is not null order by n.signed_at desc limit 200",
    )
    .bind(supervisor)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(note_id, author, case_name, at, template, cosigned)| SupervisedNote {
                note_id,
                author,
                case_name,
                session_when: tz::when(at, tz),
                template: NoteTemplate::parse(&template).unwrap_or(NoteTemplate::Free),
                cosigned: cosigned > 0,
            },
        )
        .collect())
}

/// Active counselors to choose a supervisor or supervisee from: (id, name), by name.
pub async fn counselor_choices(db: &Db) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select app_user_id, display_name from app_user where role = 'counselor' \
         and status = 'active' order by display_name",
    )
    .fetch_all(db.pool())
    .await?)
}
