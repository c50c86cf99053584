//! The session page's server function.

use super::SessionPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::guard,
    crate::features::sessions::{self, api::require_session_counselor},
    crate::state::app_state,
};

/// The session page: details, pre-session brief, agenda items and notes.
#[server(prefix = "/api", endpoint = "get_session")]
pub async fn get_session(session_id: String) -> Result<SessionPage, AppError> {
    let (counselor, couple_id) = require_session_counselor(&session_id).await?;
    let state = app_state()?;
    let zone = crate::couple::time_zone(&state.db, &counselor.user.user_id).await?;
    let session = sessions::repo::summary_of(&state.db, &session_id, zone).await?;
    let couple = crate::couple::load(&state.db, &couple_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let partners: Vec<(i64, String)> = couple
        .partners
        .iter()
        .map(|p| (p.position, p.display_name.clone()))
        .collect();
    let brief = super::brief::brief(&state.db, &session_id, zone).await?;
    // The brief quotes a note's plan: that is a read of the note.
    if let Some((note_id, _, _)) = &brief.last_plan {
        let ip = guard::request_context().ip;
        crate::features::notes::repo::record_read(
            &state.db,
            note_id,
            &couple_id,
            &counselor.user.user_id,
            ip.as_deref(),
        )
        .await?;
    }
    Ok(SessionPage {
        session,
        partners,
        closed: couple.is_closed(),
        time_zone: zone.name().to_string(),
        brief,
        agenda: sessions::repo::agenda_items(&state.db, &session_id, zone).await?,
        notes: crate::features::notes::repo::for_session(
            &state.db,
            &session_id,
            &counselor.user.user_id,
            zone,
        )
        .await?,
    })
}
