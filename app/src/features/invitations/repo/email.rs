//! The email that carries a new invitation link.

use crate::auth::Role;
use crate::error::AppError;
use crate::features::invitations::VALID_DAYS;
use crate::state::AppState;
use crate::time::utc as time;

/// Queues the email carrying a new invitation link (in the invitation's own transaction).
/// Its text, and so the link, is erased from the outbox once sent; a link revoked or
/// replaced before the email goes is never sent.
#[allow(clippy::too_many_arguments)]
pub(super) async fn queue_email(
    tx: &mut crate::db::Tx,
    app: &AppState,
    invitation_id: &str,
    token: &str,
    role: Role,
    email: &str,
    name: &str,
    actor: &str,
    now: i64,
) -> Result<(), AppError> {
    use crate::outbox::{NewEmail, enqueue};
    let inviter: String =
        sqlx::query_scalar("select display_name from app_user where app_user_id = $1")
            .bind(actor)
            .fetch_one(&mut **tx)
            .await?;
    let url = format!("{}/invite/{token}", app.auth.public_url);
    let expires = time(now + VALID_DAYS * 24 * 3600 * 1000).format("%A %-d %B");
    let what = match role {
        Role::Counselor => "to join your practice's Trellis as a counselor".to_string(),
        _ => "to Trellis, where you will find the homework your counselor sets for you \
              and can answer it privately"
            .to_string(),
    };
    let body = format!(
        "Hello {name},\n\n{inviter} has invited you {what}.\n\n\
         Open this link to set up your account. It works once, until {expires}:\n{url}\n\n\
         If you were not expecting this email, you can ignore it.\n"
    );
    let key = format!("invitation:{invitation_id}");
    enqueue(
        &mut **tx,
        NewEmail {
            dedupe_key: &key,
            kind: "invitation",
            app_user_id: None,
            to_address: email,
            subject: "Your invitation to Trellis",
            body: &body,
        },
        now,
    )
    .await?;
    Ok(())
}
