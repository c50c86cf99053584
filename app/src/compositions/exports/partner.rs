//! `GET /export/my-data.json`: a partner's right of access. Everything they wrote, and of what
//! others wrote exactly what they can read in Trellis at this moment, for each couple they are
//! in. What the other partner shared is read through the same functions as the pages that show
//! it (`homework::repo::shared_with`, `progress::repo::shared_texts`, the wins wall, the
//! agreements export), so the download can never hold more than the app shows.

use super::{
    audit_export, check_ins, homework, intake, iso, measures, messages, refuse, respond, sessions,
    together,
};
use crate::auth::Role;
use crate::auth::session::RequestContext;
use crate::couple::partner_couple;
use crate::db::Db;
use crate::error::AppError;
use crate::features::cases::repo::partner_couples;
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use serde_json::{Value, json};

pub async fn my_data_json(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
) -> Response {
    let Some(session) = &ctx.session else {
        return refuse(AppError::NotSignedIn);
    };
    if session.user.role != Role::Partner {
        return refuse(AppError::NotFound);
    }
    let user = session.user.clone();
    let result = async {
        let db = &state.db;
        let mut couples = Vec::new();
        for couple in partner_couples(db, &user.user_id).await? {
            let (couple_id, position, _) = partner_couple(db, &user.user_id, &couple.couple_id)
                .await?
                .ok_or(AppError::NotFound)?;
            couples.push(json!({
                "case": couple.case_name,
                "counselor": couple.counselor_name,
                "partner": couple.partner_name,
                "your_homework": homework(db, &couple_id, Some(position)).await?,
                "your_drafts": drafts(db, &couple_id, position).await?,
                "done_together": together(db, &couple_id).await?,
                "your_unsaved_words_done_together": crate::features::homework::repo::joint::crossed_of(db, &couple_id, position).await?,
                "shared_with_you": crate::features::homework::repo::shared_with(db, &user.user_id, Some(&couple_id)).await?,
                "your_check_ins": check_ins(db, &couple_id, Some(position)).await?,
                "check_in_texts_shared_with_you": shared_texts(db, &couple_id, position).await?,
                "small_wins": crate::features::progress::wins::wall(db, &couple_id, chrono_tz::UTC, Some(position)).await?,
                "agreements": crate::features::agreements::repo::export(db, &couple_id, Some(position)).await?,
                "sessions": sessions(db, &couple_id, Some(position)).await?,
                // Their own private thread and the joint one; never the other partner's.
                "messages": messages(db, &couple_id, &[position, 0]).await?,
                "your_intake": intake(db, &couple_id, Some(position)).await?,
                "your_questionnaires": measures(db, &couple_id, Some(position)).await?,
                "your_intake_draft": intake_draft(db, &couple_id, position, &user.user_id).await?,
            }));
            audit_export(
                db,
                &user.user_id,
                &couple_id,
                ctx.ip.as_deref(),
                "partner_json",
            )
            .await?;
        }
        let consents: Vec<Value> = crate::features::consent::repo::signatures_of(db, &user.user_id)
            .await?
            .into_iter()
            .map(|(version, typed, at, sha)| {
                json!({"version": version, "name_typed": typed, "signed_at": iso(at), "text_sha256": sha})
            })
            .collect();
        let value = json!({
            "exported_at": iso(crate::db::now_ms()),
            "account": {"name": user.display_name, "email": user.email},
            "consent_signatures": consents,
            "couples": couples,
        });
        serde_json::to_string_pretty(&value).map_err(|e| AppError::internal("export", e))
    }
    .await;
    respond(result, "application/json", "my-trellis-data.json")
}

/// The partner's unsent drafts: their own words, not yet with anyone.
async fn drafts(db: &Db, couple_id: &str, position: i64) -> Result<Vec<Value>, AppError> {
    let rows = crate::features::homework::repo::drafts_of(db, couple_id, position).await?;
    Ok(rows
        .into_iter()
        .map(|(title, answers, at)| {
            json!({
                "title": title,
                "answers": serde_json::from_str::<Value>(&answers).unwrap_or(Value::Null),
                "saved_at": iso(at),
            })
        })
        .collect())
}

/// The partner's unsent intake draft, when there is one.
async fn intake_draft(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
) -> Result<Value, AppError> {
    use crate::features::intake::repo;
    Ok(match repo::mine(db, couple_id, position, user_id).await? {
        Some(row) if row.draft.is_some() => json!({
            "answers": repo::answers_of(db, &row).await?,
            "saved_at": row.draft_saved_at.map(iso),
        }),
        _ => Value::Null,
    })
}

/// Every check-in text the other partner shared, as the check-in page shows them.
async fn shared_texts(db: &Db, couple_id: &str, position: i64) -> Result<Vec<Value>, AppError> {
    let texts =
        crate::features::progress::repo::shared_texts(db, couple_id, position, i64::MAX).await?;
    Ok(texts
        .into_iter()
        .map(|(from, at, went_well, was_hard)| {
            json!({"from": from, "submitted_at": iso(at), "went_well": went_well, "was_hard": was_hard})
        })
        .collect())
}
