//! A case read as a whole: its overview (details, partners with their invitations, timeline)
//! and its own record in an export.

use crate::audit::AuditAction;
use crate::couple::{CaseStatus, RuptureRole};
use crate::db::Db;
use crate::error::AppError;
use crate::features::cases::{CaseOverview, PartnerView, TIMELINE_LENGTH, TimelineEntry};
use crate::features::invitations::repo::{
    JoinedInvitation, LATEST_OF_PARTNER_COLUMNS, LATEST_OF_PARTNER_JOIN,
};
use crate::features::invitations::{InvitationState, InvitationStatus};
use crate::state::AppState;

/// The couple's row beside one of its partners (one row per partner).
#[derive(sqlx::FromRow)]
struct CoupleRow {
    case_name: String,
    status: String,
    counselor_name: String,
    rupture_date: Option<String>,
    presenting_concerns: Option<String>,
    intake_notes: Option<String>,
    closed_at: Option<i64>,
    #[sqlx(flatten)]
    partner: PartnerRow,
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    position: i64,
    display_name: String,
    email: String,
    pronouns: Option<String>,
    rupture_role: String,
    app_user_id: Option<String>,
    #[sqlx(flatten)]
    invitation: JoinedInvitation,
}

/// The case without its timeline: its details, and both partners with their latest
/// invitations, in one statement.
pub async fn details(app: &AppState, couple_id: &str) -> Result<CaseOverview, AppError> {
    let db = &app.db;
    let sql = format!(
        "select c.case_name, c.status, u.display_name as counselor_name, c.rupture_date, \
                c.presenting_concerns, c.intake_notes, c.closed_at, p.position, p.display_name, \
                p.email, p.pronouns, p.rupture_role, p.app_user_id, {LATEST_OF_PARTNER_COLUMNS} \
             from couple c join app_user u on u.app_user_id = c.counselor_id \
             join partner p on p.couple_id = c.couple_id {LATEST_OF_PARTNER_JOIN} \
             where c.couple_id = $1 order by p.position"
    );
    let rows: Vec<CoupleRow> = sqlx::query_as(&sql)
        .bind(couple_id)
        .fetch_all(db.pool())
        .await?;
    let mut partners = Vec::with_capacity(2);
    let mut couple = None;
    for row in rows {
        partners.push(row.partner);
        couple.get_or_insert((
            row.case_name,
            row.status,
            row.counselor_name,
            row.rupture_date,
            row.presenting_concerns,
            row.intake_notes,
            row.closed_at,
        ));
    }
    let (case_name, status, counselor_name, rupture, concerns, intake, closed_at) =
        couple.ok_or(AppError::NotFound)?;
    Ok(CaseOverview {
        kept_until: kept_until(db, closed_at).await?,
        couple_id: couple_id.to_string(),
        case_name,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Intake),
        counselor_name,
        rupture_date: rupture.and_then(|d| d.parse().ok()),
        presenting_concerns: concerns,
        intake_notes: intake,
        partners: partners
            .into_iter()
            .map(|p| PartnerView {
                position: p.position,
                display_name: p.display_name,
                email: p.email,
                pronouns: p.pronouns,
                rupture_role: RuptureRole::parse(&p.rupture_role)
                    .unwrap_or(RuptureRole::Unspecified),
                joined: p.app_user_id.is_some(),
                invitation: match p.invitation.row(couple_id, p.position) {
                    Some(i) => i.state(app),
                    None if p.app_user_id.is_some() => InvitationState {
                        status: InvitationStatus::Accepted,
                        ..InvitationState::none()
                    },
                    None => InvitationState::none(),
                },
            })
            .collect(),
        timeline_truncated: false,
        timeline: vec![],
    })
}

/// For a case closed at `closed_at` (UTC milliseconds): the date until which the practice
/// keeps its records.
async fn kept_until(
    db: &Db,
    closed_at: Option<i64>,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    let Some(at) = closed_at else {
        return Ok(None);
    };
    let years = crate::couple::retention_years(db).await?;
    Ok(chrono::DateTime::from_timestamp_millis(at).and_then(|d| {
        d.date_naive()
            .checked_add_months(chrono::Months::new(12 * years))
    }))
}

/// What the overview of a case page says of the case itself: (rupture date, the date its
/// records are kept until when closed).
pub async fn facts(
    db: &Db,
    couple: &crate::couple::CoupleContext,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), AppError> {
    Ok((couple.rupture_date, kept_until(db, couple.closed_at).await?))
}

/// The newest changes to the case, oldest first, and whether earlier ones were left out
/// (reads are audited too, but are not the case's history). `steps` names the steps of step
/// moves; `names` are the partners'.
pub async fn timeline(
    db: &Db,
    couple_id: &str,
    steps: &[crate::features::program::StepTitle],
    names: &[String],
) -> Result<(Vec<TimelineEntry>, bool), AppError> {
    // One more than shown tells whether earlier ones were left out.
    let mut events: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "select a.at, a.action, a.detail, u.display_name from audit_event a \
         left join app_user u on u.app_user_id = a.actor_user_id \
         where a.couple_id = $1 and a.action not in ('case_viewed', 'submission_viewed', 'note_viewed', \
           'note_change_refused', 'message_thread_read') \
         order by a.at desc, a.audit_event_id desc limit $2",
    )
    .bind(couple_id)
    .bind(TIMELINE_LENGTH + 1)
    .fetch_all(db.pool())
    .await?;
    let truncated = events.len() as i64 > TIMELINE_LENGTH;
    events.truncate(TIMELINE_LENGTH as usize);
    events.reverse();
    let step_title = |detail: Option<&str>| {
        let n: i64 = detail?.parse().ok()?;
        steps
            .iter()
            .find(|s| s.number == n)
            .map(|s| s.title.clone())
    };
    let entries = events
        .into_iter()
        .map(|(at, action, detail, who)| TimelineEntry {
            at: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
            what: match step_title(detail.as_deref()).filter(|_| action == "step_moved") {
                Some(title) => format!(
                    "{}: {title}",
                    AuditAction::describe(&action, detail.as_deref(), names)
                ),
                None => AuditAction::describe(&action, detail.as_deref(), names),
            },
            who,
        })
        .collect();
    Ok((entries, truncated))
}

/// The case's own record for its export: (name, status, rupture date, presenting concerns,
/// intake notes).
pub async fn export_record(
    db: &Db,
    couple_id: &str,
) -> Result<
    (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    AppError,
> {
    sqlx::query_as(
        "select case_name, status, rupture_date, presenting_concerns, intake_notes from couple \
         where couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)
}
