//! Downloads: CSV of a couple's check-ins and homework (for the counselor), and the full case
//! export as JSON for the couple's counselor. A partner's own data is in `partner.rs`. Plain
//! axum handlers: files, not pages. A composition: each feature's repository reads its own
//! part; this shapes the files.

mod partner;
mod records;

use records::{check_ins, homework, intake, measures, messages, sessions, together};

pub use partner::my_data_json;

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record_read};
use crate::auth::Role;
use crate::auth::session::RequestContext;
use crate::couple::CaseRelation;
use crate::db::Db;
use crate::error::AppError;
use crate::features::{cases, homework, notes, progress, sessions};
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A cell as written: a value a spreadsheet would run as a formula gets a leading apostrophe.
fn neutralised(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// The rows as CSV (RFC 4180): every cell quoted, CRLF after every row, formulas neutralised.
fn csv(rows: &[Vec<String>]) -> Result<String, AppError> {
    let mut out = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        out.write_record(row.iter().map(|cell| neutralised(cell).into_owned()))
            .map_err(|e| AppError::internal("csv export", e))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal("csv export", e.error()))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("csv export", e))
}

pub(crate) use crate::time::iso;

fn download(body: String, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The file, or the error with its status.
pub(super) fn respond(
    result: Result<String, AppError>,
    content_type: &str,
    name: &str,
) -> Response {
    match result {
        Ok(body) => download(body, content_type, name),
        Err(e) => refuse(e),
    }
}

pub(super) fn refuse(err: AppError) -> Response {
    let status =
        StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, err.to_string()).into_response()
}

/// The couple's counselor, or an error response ("not found" for anyone else).
async fn counselor_of(
    state: &AppState,
    ctx: &RequestContext,
    couple_id: &str,
) -> Result<String, Response> {
    let Some(session) = &ctx.session else {
        return Err(refuse(AppError::NotSignedIn));
    };
    if session.must_enrol {
        return Err(refuse(AppError::TwoFactorRequired));
    }
    let user = &session.user;
    let couple = crate::couple::load(&state.db, &couple_id.into()).await;
    match couple.map(|c| c.and_then(|c| c.relation(&user.user_id))) {
        Ok(Some(CaseRelation::Counselor)) if user.role == Role::Counselor => {
            Ok(user.user_id.to_string())
        }
        Ok(_) => Err(refuse(AppError::NotFound)),
        Err(e) => Err(refuse(e)),
    }
}

pub(super) async fn audit_export(
    db: &Db,
    actor: &str,
    couple_id: &str,
    ip: Option<&str>,
    what: &str,
) -> Result<(), AppError> {
    record_read(
        db,
        AuditAction::CaseExported,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            detail: Some(what),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// `GET /cases/{id}/export/check-ins.csv`
pub async fn check_ins_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(couple_id): Path<String>,
) -> Response {
    let actor = match counselor_of(&state, &ctx, &couple_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let result = async {
        let rows = progress::repo::check_in_rows(&state.db, &couple_id).await?;
        let mut out = vec![
            [
                "submitted_at_utc",
                "partner",
                "csi4_total",
                "trust",
                "hope",
                "went_well",
                "was_hard",
                "texts_shared_with_partner",
                "safety_answer",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for (at, name, csi, trust, hope, well, hard, shared, safety) in rows {
            out.push(vec![
                iso(at),
                name,
                csi.map(|c| c.to_string()).unwrap_or_default(),
                trust.to_string(),
                hope.to_string(),
                well,
                hard,
                if shared == 1 { "yes" } else { "no" }.into(),
                safety,
            ]);
        }
        audit_export(
            &state.db,
            &actor,
            &couple_id,
            ctx.ip.as_deref(),
            "check_ins_csv",
        )
        .await?;
        csv(&out)
    }
    .await;
    respond(result, "text/csv; charset=utf-8", "check-ins.csv")
}

/// `GET /cases/{id}/export/measures.csv`: every questionnaire answer, with its total and band.
pub async fn measures_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(couple_id): Path<String>,
) -> Response {
    use crate::features::measures::instruments::by_key;
    let actor = match counselor_of(&state, &ctx, &couple_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let result = async {
        let names = crate::couple::partner_names(&state.db, &couple_id.as_str().into()).await?;
        let rows = crate::features::measures::repo::records(&state.db, &couple_id, None).await?;
        let mut out = vec![
            [
                "answered_at_utc",
                "partner",
                "measure",
                "total",
                "band",
                "item_answers",
                "follow_up",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for (position, key, answers, follow_up, total, at) in rows {
            let Some(i) = by_key(&key) else { continue };
            out.push(vec![
                iso(at),
                names[(position as usize).clamp(1, 2) - 1].clone(),
                i.name.to_string(),
                total.to_string(),
                i.band(total).map(|b| b.label).unwrap_or("").to_string(),
                answers
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                follow_up.unwrap_or_default(),
            ]);
        }
        audit_export(
            &state.db,
            &actor,
            &couple_id,
            ctx.ip.as_deref(),
            "measures_csv",
        )
        .await?;
        csv(&out)
    }
    .await;
    respond(result, "text/csv; charset=utf-8", "questionnaires.csv")
}

/// `GET /cases/{id}/export/homework.csv`
pub async fn homework_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(couple_id): Path<String>,
) -> Response {
    let actor = match counselor_of(&state, &ctx, &couple_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let result = async {
        let items = homework::repo::board(&state.db, &couple_id).await?;
        let mut out = vec![
            ["title", "partner", "step", "due", "state", "overdue"]
                .map(String::from)
                .to_vec(),
        ];
        for i in items {
            out.push(vec![
                i.title,
                i.partner_name,
                i.step_number.map(|s| s.to_string()).unwrap_or_default(),
                i.due_on.map(|d| d.to_string()).unwrap_or_default(),
                i.state.label().to_string(),
                if i.overdue { "yes" } else { "no" }.into(),
            ]);
        }
        audit_export(
            &state.db,
            &actor,
            &couple_id,
            ctx.ip.as_deref(),
            "homework_csv",
        )
        .await?;
        csv(&out)
    }
    .await;
    respond(result, "text/csv; charset=utf-8", "homework.csv")
}

#[derive(serde::Deserialize)]
pub struct ExportOptions {
    /// "1" to include the exporting counselor's own psychotherapy notes.
    #[serde(default)]
    pub psychotherapy: String,
}

/// `GET /cases/{id}/export.json`: everything in the case, for its counselor.
pub async fn case_json(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(couple_id): Path<String>,
    Query(options): Query<ExportOptions>,
) -> Response {
    let actor = match counselor_of(&state, &ctx, &couple_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let result = async {
        let db = &state.db;
        let couple = cases::repo::export_record(db, &couple_id).await?;
        let partners = crate::couple::load(db, &couple_id.as_str().into())
            .await?
            .ok_or(AppError::NotFound)?
            .partners
            .clone();
        let include_private = options.psychotherapy == "1";
        let notes = notes::repo::signed_with_addenda(db, &couple_id, include_private.then_some(actor.as_str())).await?;
        let mut note_values = Vec::new();
        for ((_, kind, template, sections, author, signed, hash), addenda) in notes {
            note_values.push(json!({
                "kind": kind, "template": template,
                "sections": serde_json::from_str::<Value>(&sections).unwrap_or(Value::Null),
                "author": author, "signed_at": signed.map(iso), "content_hash": hash,
                "addenda": addenda.into_iter().map(|(b, at, h)| json!({"body": b, "signed_at": iso(at), "content_hash": h})).collect::<Vec<_>>(),
            }));
        }
        let value = json!({
            "exported_at": iso(crate::db::now_ms()),
            "case": {"name": couple.0, "status": couple.1, "rupture_date": couple.2, "presenting_concerns": couple.3, "intake_notes": couple.4},
            "partners": partners.into_iter().map(|p| json!({"position": p.position, "name": p.display_name, "email": p.email, "role_in_rupture": p.rupture_role.as_str()})).collect::<Vec<_>>(),
            "homework": homework(db, &couple_id, None).await?,
            "done_together": together(db, &couple_id).await?,
            "check_ins": check_ins(db, &couple_id, None).await?,
            "agreements": crate::features::agreements::repo::export(db, &couple_id, None).await?,
            "sessions": sessions(db, &couple_id, None).await?,
            "messages": messages(db, &couple_id, &[1, 2, 0]).await?,
            "intake": intake(db, &couple_id, None).await?,
            "questionnaires": measures(db, &couple_id, None).await?,
            "goals": crate::features::notes::repo::goals(db, &couple_id).await?.into_iter().map(|g| json!({"title": g.title, "objective": g.objective, "status": g.status.as_str(), "target_date": g.target_date})).collect::<Vec<_>>(),
            "notes": note_values,
            "psychotherapy_notes_included": include_private,
        });
        audit_export(db, &actor, &couple_id, ctx.ip.as_deref(), "case_json").await?;
        serde_json::to_string_pretty(&value).map_err(|e| AppError::internal("export", e))
    }
    .await;
    respond(result, "application/json", "case-export.json")
}

#[cfg(test)]
mod tests {
    use super::csv;

    /// One cell, as the file holds it (without the row's CRLF).
    fn csv_cell(value: &str) -> String {
        let row = csv(&[vec![value.to_string()]]).unwrap();
        row.strip_suffix("\r\n").unwrap().to_string()
    }

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "\"'+1\"");
        assert_eq!(csv_cell("-2"), "\"'-2\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("\tcmd"), "\"'\tcmd\"");
        assert_eq!(csv_cell("\rcmd"), "\"'\rcmd\"");
        assert_eq!(csv_cell("plain, with comma"), "\"plain, with comma\"");
        assert_eq!(csv_cell(""), "\"\"");
    }

    #[test]
    fn every_cell_is_quoted_and_every_row_ends_in_crlf() {
        let rows = [
            vec!["title".to_string(), "partner".to_string()],
            vec!["two\nlines".to_string(), "Jordan \"J\" Lee".to_string()],
            vec![String::new(), "=1+1".to_string()],
        ];
        assert_eq!(
            csv(&rows).unwrap(),
            "\"title\",\"partner\"\r\n\"two\nlines\",\"Jordan \"\"J\"\" Lee\"\r\n\"\",\"'=1+1\"\r\n"
        );
    }
}
