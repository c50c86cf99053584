//! Agreements in a JSON export.

use crate::db::Db;
use crate::error::AppError;
use crate::time::iso;

/// Agreements for a JSON export. For a partner (`Some(position)`): approved wordings and both
/// partners' acknowledgements, their own proposals and their own answers about keeping them;
/// for the counselor (`None`): everything.
pub async fn export(
    db: &Db,
    couple_id: &str,
    viewer: Option<i64>,
) -> Result<Vec<serde_json::Value>, AppError> {
    use serde_json::json;
    let versions = super::versions(db, couple_id).await?;
    let acks = super::ack_rows(db, couple_id).await?;
    let keeping: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "select k.agreement_id, c.position, c.submitted_at, k.kept from agreement_keeping k \
         join check_in c on c.check_in_id = k.check_in_id where c.couple_id = $1 \
         and ($2 = 0 or c.position = $2) order by c.submitted_at",
    )
    .bind(couple_id)
    .bind(viewer.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<serde_json::Value> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for v in &versions {
        if !seen.contains(&v.agreement_id.as_str()) {
            seen.push(&v.agreement_id);
        }
    }
    for id in seen {
        let mine = versions.iter().filter(|v| v.agreement_id == id);
        let wordings: Vec<_> = mine
            .clone()
            .filter(|v| v.approved_at.is_some())
            .map(|v| {
                json!({
                    "version": v.version,
                    "wording": v.body,
                    "written_by": v.writer,
                    "approved_at": v.approved_at.map(iso),
                    "acknowledged_by_partner": acks.iter()
                        .filter(|(version, _, _)| *version == v.agreement_version_id)
                        .map(|(_, position, at)| json!({"partner_position": position, "at": iso(*at)}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let proposals: Vec<_> = mine
            .clone()
            .filter(|v| v.approved_at.is_none() && viewer.is_none_or(|p| v.position == Some(p)))
            .map(|v| {
                json!({
                    "wording": v.body, "proposed_by": v.writer, "proposed_at": iso(v.written_at),
                    "declined_at": v.declined_at.map(iso), "decline_reason": v.decline_reason,
                })
            })
            .collect();
        if wordings.is_empty() && proposals.is_empty() {
            continue;
        }
        out.push(json!({
            "wordings": wordings,
            "proposals": proposals,
            "ended_at": mine.clone().next().and_then(|v| v.retired_at).map(iso),
            "kept": keeping.iter()
                .filter(|(agreement, _, _, _)| agreement == id)
                .map(|(_, position, at, kept)| json!({"partner_position": position, "check_in_at": iso(*at), "kept": kept}))
                .collect::<Vec<_>>(),
        }));
    }
    Ok(out)
}
