//! Server functions for messages. A partner reads and writes their own private thread and,
//! once the counselor has opened it, the couple's joint thread; the couple's counselor reads
//! and writes all three. Nobody else reaches a thread by any argument.

use super::{MessagingSettings, ThreadPage};
use crate::error::AppError;
use crate::ids::CoupleId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::page::{self, Reader},
    super::{JOINT, MAX_MESSAGE, MAX_RESPONSE, parse_thread, repo},
    crate::auth::session::SessionUser,
    crate::auth::{Role, guard},
    crate::couple::{CaseRelation, CoupleContext, couple_param, partner_couple},
    crate::error::{finish, not_found},
    crate::state::{AppState, app_state},
    std::sync::Arc,
};

/// The partner's couple (one of theirs; empty: the one their home opens with), their
/// position in it, and how their links name it.
#[cfg(feature = "ssr")]
async fn partner_case(
    state: &AppState,
    partner: &SessionUser,
    couple_id: &str,
) -> Result<(Arc<CoupleContext>, i64, String), AppError> {
    let Some((couple_id, position, _)) =
        partner_couple(&state.db, &partner.user.user_id, couple_id).await?
    else {
        return not_found();
    };
    let couple = crate::couple::load(&state.db, &couple_id.as_str().into())
        .await?
        .ok_or(AppError::NotFound)?;
    let param = couple_param(&state.db, &partner.user.user_id, &couple_id).await?;
    Ok((couple, position, param))
}

/// The partner's thread: "joint", or ("private" or nothing) their own private one.
#[cfg(feature = "ssr")]
fn partner_thread(thread: &str, position: i64) -> Result<i64, AppError> {
    match thread.trim() {
        "joint" => Ok(JOINT),
        "" | "private" => Ok(position),
        _ => not_found(),
    }
}

/// The signed-in partner's private thread (or, `thread` = "joint", the couple's joint one).
/// Reading it marks it read; `poll` ("1") is an open page asking for new messages.
#[server(prefix = "/api", endpoint = "my_thread")]
pub async fn my_thread(
    #[server(default)] couple_id: String,
    #[server(default)] thread: String,
    #[server(default)] poll: String,
) -> Result<ThreadPage, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let (couple, position, param) = partner_case(&state, &partner, &couple_id).await?;
    let reader = Reader {
        user_id: &partner.user.user_id,
        relation: CaseRelation::Partner { position },
        couple_param: &param,
    };
    let ip = guard::request_context().ip;
    let at = partner_thread(&thread, position)?;
    page::thread(&state, &couple, &reader, at, poll == "1", ip.as_deref()).await
}

/// A thread of the couple as its counselor reads it: "1" or "2" (each partner's private
/// thread) or "joint".
#[server(prefix = "/api", endpoint = "case_thread")]
pub async fn case_thread(
    couple_id: CoupleId,
    thread: String,
    #[server(default)] poll: String,
) -> Result<ThreadPage, AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let Some(position) = parse_thread(&thread) else {
        return not_found();
    };
    let state = app_state()?;
    let couple = crate::couple::load(&state.db, &couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = Reader {
        user_id: &counselor.user.user_id,
        relation: CaseRelation::Counselor,
        couple_param: "",
    };
    let ip = guard::request_context().ip;
    page::thread(
        &state,
        &couple,
        &reader,
        position,
        poll == "1",
        ip.as_deref(),
    )
    .await
}

/// The messages of the signed-in partner's thread as HTML, for its open page asking for new
/// ones (JavaScript on). Reading them marks them read, as `my_thread` with `poll` does.
#[server(prefix = "/api", endpoint = "my_thread_messages", output = crate::wire::PlainText)]
pub async fn my_thread_messages(
    #[server(default)] couple_id: String,
    #[server(default)] thread: String,
) -> Result<String, AppError> {
    let page = my_thread(couple_id, thread, "1".into()).await?;
    Ok(super::ui::messages_html(page))
}

/// The messages of a thread of the couple as HTML, for its counselor's open page asking
/// for new ones (JavaScript on); see `case_thread`.
#[server(prefix = "/api", endpoint = "case_thread_messages", output = crate::wire::PlainText)]
pub async fn case_thread_messages(couple_id: CoupleId, thread: String) -> Result<String, AppError> {
    let page = case_thread(couple_id, thread, "1".into()).await?;
    Ok(super::ui::messages_html(page))
}

/// The words of a message, trimmed, or a clear message saying what to change.
#[cfg(feature = "ssr")]
fn words(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::validation(
            "body",
            "Write a message before sending it.",
        ));
    }
    let length = body.chars().count();
    if length > MAX_MESSAGE {
        return Err(AppError::validation(
            "body",
            format!(
                "A message can be up to {MAX_MESSAGE} characters long, and this one has \
                 {length}. Please shorten it, or send it in two parts."
            ),
        ));
    }
    Ok(body.to_string())
}

/// Sends a message as `user` in the couple's thread at `position`, and emails the others
/// who read it (when email is on).
#[cfg(feature = "ssr")]
async fn post(
    state: &AppState,
    couple: &CoupleContext,
    position: i64,
    user: &SessionUser,
    author: &str,
    body: &str,
) -> Result<(), AppError> {
    let body = words(body)?;
    couple.require_open("send messages")?;
    let ip = guard::request_context().ip;
    let sent = repo::send(
        &state.db,
        &couple.couple_id,
        position,
        &user.user.user_id,
        author,
        &body,
        ip.as_deref(),
    )
    .await?
    .ok_or_else(|| {
        AppError::Conflict(
            "There is no joint thread yet: the counselor opens it. Nothing was sent.".into(),
        )
    })?;
    tracing::info!(message_id = %sent.message_id, "message sent");
    if state.mail_enabled {
        page::notify(state, couple, position, &user.user.user_id, &sent.thread_id).await?;
    }
    Ok(())
}

/// A partner writes in their private thread (or, `thread` = "joint", the joint one).
#[server(prefix = "/api", endpoint = "send_message")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn send_message(
    #[server(default)] couple_id: String,
    #[server(default)] thread: String,
    body: String,
) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let (couple, position, param) = partner_case(&state, &partner, &couple_id).await?;
    let at = partner_thread(&thread, position)?;
    let result = async {
        if !repo::messaging(&state.db).await?.partners_may_write {
            return Err(AppError::Conflict(
                "Your practice does not take messages between sessions, so nothing was sent. \
                 Bring it to your next session; if you need help now, use \u{201c}Get help now\u{201d}."
                    .into(),
            ));
        }
        let author = format!("partner_{position}");
        post(&state, &couple, at, &partner, &author, &body).await
    }
    .await;
    let reader = Reader {
        user_id: &partner.user.user_id,
        relation: CaseRelation::Partner { position },
        couple_param: &param,
    };
    finish(&result, &page::href(&reader, &couple.couple_id, at));
    result
}

/// The couple's counselor writes in a thread ("1", "2" or "joint").
#[server(prefix = "/api", endpoint = "reply_message")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reply_message(
    couple_id: CoupleId,
    thread: String,
    body: String,
) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let Some(position) = parse_thread(&thread) else {
        return not_found();
    };
    let state = app_state()?;
    let couple = crate::couple::load(&state.db, &couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result = post(&state, &couple, position, &counselor, "counselor", &body).await;
    finish(
        &result,
        &format!(
            "/cases/{couple_id}/messages/{}",
            super::thread_name(position)
        ),
    );
    result
}

/// The sender retracts their own message, within five minutes of sending it: its words are
/// deleted for everyone and a "Message retracted" trace stays.
#[server(prefix = "/api", endpoint = "retract_message")]
pub async fn retract_message(message_id: String) -> Result<(), AppError> {
    let user = guard::require_user()?;
    let state = app_state()?;
    let Some((couple_id, position, author, _)) =
        repo::message_of(&state.db, message_id.trim()).await?
    else {
        return not_found();
    };
    // Only the sender, while they still belong to the couple; anyone else learns nothing.
    let couple = crate::couple::load(&state.db, &couple_id.as_str().into())
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(relation) = couple
        .relation(&user.user.user_id)
        .filter(|_| author == user.user.user_id.as_str())
    else {
        return not_found();
    };
    let ip = guard::request_context().ip;
    let result = async {
        let done = repo::retract(
            &state.db,
            &couple_id,
            position,
            message_id.trim(),
            &user.user.user_id,
            ip.as_deref(),
        )
        .await?;
        if done {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "A message can be retracted only in the first five minutes after sending, so \
                 this one stays as it is. You can send another message to correct it."
                    .into(),
            ))
        }
    }
    .await;
    let param = couple_param(&state.db, &user.user.user_id, &couple_id).await?;
    let reader = Reader {
        user_id: &user.user.user_id,
        relation,
        couple_param: &param,
    };
    finish(&result, &page::href(&reader, &couple_id, position));
    result
}

/// The couple's counselor opens the joint thread (both partners and the counselor).
#[server(prefix = "/api", endpoint = "open_joint_thread")]
pub async fn open_joint_thread(couple_id: CoupleId) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let state = app_state()?;
    let result = async {
        let couple = crate::couple::load(&state.db, &couple_id)
            .await?
            .ok_or(AppError::NotFound)?;
        couple.require_open("open a joint thread")?;
        let ip = guard::request_context().ip;
        repo::open_joint(
            &state.db,
            &couple_id,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(&result, &format!("/cases/{couple_id}/messages/joint"));
    result
}

/// The practice's messaging settings, for the administrator's page.
#[server(prefix = "/api", endpoint = "practice_messaging")]
pub async fn practice_messaging() -> Result<MessagingSettings, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    repo::messaging(&app_state()?.db).await
}

/// Whether partners may message between sessions ("on"), and the response-time statement
/// every thread shows (empty: the default).
#[server(prefix = "/api", endpoint = "set_messaging")]
pub async fn set_messaging(
    #[server(default)] partners_may_write: String,
    #[server(default)] response: String,
) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let response = response.trim();
        if response.chars().count() > MAX_RESPONSE
            || response
                .replace(['\n', '\r'], " ")
                .chars()
                .any(char::is_control)
        {
            return Err(AppError::validation(
                "response",
                format!("Write the statement in up to {MAX_RESPONSE} characters."),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::save_messaging(
            &state.db,
            partners_may_write == "on",
            response,
            &admin.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(&result, "/admin/messages?saved=1");
    result
}
