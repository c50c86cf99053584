//! SQL for consent: published versions (append-only; the database refuses changes) and
//! signatures. The default text becomes version 1 the first time anyone needs it.

use super::{ConsentStatus, ConsentVersion, SignatureRecord, default_text};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

/// SHA-256 of the text exactly as published, hex.
pub fn sha256_hex(body: &str) -> String {
    format!("{:x}", Sha256::digest(body.as_bytes()))
}

/// "3 Dec 2026" in `tz`.
pub fn day(ms: i64, tz: Tz) -> String {
    crate::time::at(ms, tz).format("%-d %b %Y").to_string()
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    consent_version_id: String,
    version: i64,
    body: String,
    body_sha256: String,
    published_at: i64,
}

impl VersionRow {
    fn view(self, tz: Tz) -> ConsentVersion {
        ConsentVersion {
            version: self.version,
            body: self.body,
            sha256: self.body_sha256,
            published: day(self.published_at, tz),
        }
    }
}

async fn latest(db: &Db) -> Result<Option<VersionRow>, AppError> {
    Ok(sqlx::query_as(
        "select consent_version_id, version, body, body_sha256, published_at \
         from consent_version order by version desc limit 1",
    )
    .fetch_optional(db.pool())
    .await?)
}

/// The current version, making the default version 1 when nothing is published yet.
async fn current_row(db: &Db) -> Result<VersionRow, AppError> {
    if let Some(row) = latest(db).await? {
        return Ok(row);
    }
    let years = crate::couple::retention_years(db).await?;
    let body = default_text(years);
    // Two first readers at once: one insert wins, the other finds it.
    let insert = sqlx::query(
        "insert into consent_version (consent_version_id, version, body, body_sha256, published_by, published_at) \
         values ($1, 1, $2, $3, null, $4) on conflict (version) do nothing",
    )
    .bind(new_id())
    .bind(&body)
    .bind(sha256_hex(&body))
    .bind(now_ms())
    .execute(db.writer());
    crate::db::changing_people(insert).await?;
    latest(db)
        .await?
        .ok_or_else(|| AppError::internal("consent", "no version after insert"))
}

/// The current version's id, number and fingerprint (making the default version 1 when
/// nothing is published yet), for a seeded practice whose partners have all signed it.
pub async fn current_for_seeding(db: &Db) -> Result<(String, i64, String), AppError> {
    let row = current_row(db).await?;
    Ok((row.consent_version_id, row.version, row.body_sha256))
}

/// The practice's current consent.
pub async fn current(db: &Db, tz: Tz) -> Result<ConsentVersion, AppError> {
    Ok(current_row(db).await?.view(tz))
}

/// Whether anyone has published a version (false: the current one is the default).
pub async fn is_default(db: &Db) -> Result<bool, AppError> {
    let by: Option<Option<String>> = sqlx::query_scalar(
        "select published_by from consent_version order by version desc limit 1",
    )
    .fetch_optional(db.pool())
    .await?;
    Ok(by.flatten().is_none())
}

/// Every version, newest first: (version, published, by whom).
pub async fn history(db: &Db, tz: Tz) -> Result<Vec<(i64, String, String)>, AppError> {
    let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "select v.version, v.published_at, u.display_name from consent_version v \
         left join app_user u on u.app_user_id = v.published_by order by v.version desc",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(v, at, by)| {
            let by = by.unwrap_or_else(|| "Trellis (the default text)".into());
            (v, day(at, tz), by)
        })
        .collect())
}

/// Publishes `body` as the next version, unless it is the current text word for word.
/// Returns the new version number (or the current one when nothing changed).
pub async fn publish(db: &Db, body: &str, actor: &str, ip: Option<&str>) -> Result<i64, AppError> {
    let current = current_row(db).await?;
    if current.body == body {
        return Ok(current.version);
    }
    let version = current.version + 1;
    let mut tx = db.begin_write().await?;
    let insert = sqlx::query(
        "insert into consent_version (consent_version_id, version, body, body_sha256, published_by, published_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict (version) do nothing",
    )
    .bind(new_id())
    .bind(version)
    .bind(body)
    .bind(sha256_hex(body))
    .bind(actor)
    .bind(now_ms())
    .execute(&mut *tx);
    let done = crate::db::changing_people(insert).await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Someone published another version while you were editing. Nothing was changed; \
             open the page again to see it."
                .into(),
        ));
    }
    let detail = format!("version_{version}");
    record(
        &mut *tx,
        AuditAction::ConsentPublished,
        AuditEntry {
            actor_user_id: Some(actor),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Records `user`'s signature of `version`, which must be the current one (a version
/// published while they read gets a clear refusal, not a signature of text they never saw).
pub async fn sign(
    db: &Db,
    user: &str,
    version: i64,
    typed_name: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let current = current_row(db).await?;
    if current.version != version {
        return Err(AppError::Conflict(format!(
            "Your practice has updated its consent (now version {}) since this page opened. \
             Please read the new version below and sign it.",
            current.version
        )));
    }
    let mut tx = db.begin_write().await?;
    let done = crate::db::changing_people(
        sqlx::query(
            "insert into consent_signature (consent_signature_id, app_user_id, consent_version_id, \
         version, typed_name, signed_at, ip, body_sha256) values ($1, $2, $3, $4, $5, $6, $7, $8) \
         on conflict (app_user_id, version) do nothing",
        )
        .bind(new_id())
        .bind(user)
        .bind(&current.consent_version_id)
        .bind(version)
        .bind(typed_name)
        .bind(now_ms())
        .bind(ip)
        .bind(&current.body_sha256)
        .execute(&mut *tx),
    )
    .await?;
    // Signing twice (a double click) keeps the first signature, and says so.
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(format!(
            "You have already signed version {version}. There is nothing more to sign."
        )));
    }
    let detail = format!("version_{version}");
    record(
        &mut *tx,
        AuditAction::ConsentSigned,
        AuditEntry {
            actor_user_id: Some(user),
            subject_user_id: Some(user),
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A person's latest signature: (version, signed on, record id).
pub async fn latest_signature(
    db: &Db,
    user: &str,
    tz: Tz,
) -> Result<Option<(i64, String, String)>, AppError> {
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "select version, signed_at, consent_signature_id from consent_signature \
         where app_user_id = $1 order by version desc limit 1",
    )
    .bind(user)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(v, at, id)| (v, day(at, tz), id)))
}

/// Every consent a person signed, oldest first, for their own data export: (version, name
/// typed, signed at, SHA-256 of the text signed).
pub async fn signatures_of(
    db: &Db,
    user: &str,
) -> Result<Vec<(i64, String, i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "select version, typed_name, signed_at, body_sha256 from consent_signature \
         where app_user_id = $1 order by version",
    )
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// Both partners' consent, for their counselor.
pub async fn statuses(
    db: &Db,
    partners: &[(String, Option<String>)],
    tz: Tz,
) -> Result<Vec<ConsentStatus>, AppError> {
    let accounts: Vec<&String> = partners.iter().filter_map(|(_, a)| a.as_ref()).collect();
    // The current version's number and every signature of these accounts, newest version
    // first, in one statement (one row of nulls when there is no signature).
    let signed_by = if accounts.is_empty() {
        "1 = 0".to_string()
    } else {
        format!(
            "s.app_user_id in ({})",
            crate::db::placeholders(1, accounts.len())
        )
    };
    let sql = format!(
        "select (select max(version) from consent_version) as current_version, \
         s.app_user_id, s.version, s.signed_at, s.consent_signature_id \
         from (select 1 as one) k left join consent_signature s on {signed_by} \
         order by s.version desc"
    );
    type Row = (
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let mut query = sqlx::query_as(&sql);
    for account in &accounts {
        query = query.bind(*account);
    }
    let found: Vec<Row> = query.fetch_all(db.pool()).await?;
    let current_version = match found.first().and_then(|row| row.0) {
        Some(version) => version,
        // Nothing published yet: the default version 1 is made now.
        None => current_row(db).await?.version,
    };
    let rows: Vec<(String, i64, i64, String)> = found
        .into_iter()
        .filter_map(|(_, user, version, at, id)| Some((user?, version?, at?, id?)))
        .collect();
    Ok(partners
        .iter()
        .map(|(name, account)| ConsentStatus {
            partner_name: name.clone(),
            signed: account.as_ref().and_then(|user| {
                rows.iter()
                    .find(|(u, ..)| u == user)
                    .map(|(_, v, at, id)| (*v, day(*at, tz), id.clone()))
            }),
            current_version,
            joined: account.is_some(),
        })
        .collect())
}

/// signer, account name, typed name, signed at, address, version, fingerprint, text
type SignatureRow = (
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
    String,
    String,
);

/// Who signed (their account) and the record itself; `None` when there is no such record.
pub async fn signature(
    db: &Db,
    signature_id: &str,
) -> Result<Option<(String, SignatureRecord)>, AppError> {
    let row: Option<SignatureRow> = sqlx::query_as(
        "select s.app_user_id, u.display_name, s.typed_name, s.signed_at, s.ip, s.version, \
                    s.body_sha256, v.body \
             from consent_signature s join app_user u on u.app_user_id = s.app_user_id \
             join consent_version v on v.consent_version_id = s.consent_version_id \
             where s.consent_signature_id = $1",
    )
    .bind(signature_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(
        row.map(|(user, account, typed, at, ip, version, sha, body)| {
            (
                user,
                SignatureRecord {
                    signer_account_name: account,
                    typed_name: typed,
                    signed_at: crate::time::utc(at)
                        .format("%Y-%m-%d %H:%M:%S UTC")
                        .to_string(),
                    ip,
                    version,
                    sha256: sha,
                    body,
                },
            )
        }),
    )
}

/// Whether `counselor` is the counselor of a couple `partner` belongs to.
pub async fn counsels(db: &Db, counselor: &str, partner: &str) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "select count(*) from partner p join couple c on c.couple_id = p.couple_id \
         where p.app_user_id = $1 and c.counselor_id = $2",
    )
    .bind(partner)
    .bind(counselor)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}
