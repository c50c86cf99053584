//! Sessions and clinical notes: planning in the counselor's time zone, the pre-session
//! brief, notes signed and locked (by the server and by the database), addenda,
//! psychotherapy notes, supervision, treatment goals, and who may reach any of it.

mod access;
mod brief;
mod notes;
mod places;
mod scheduling;
mod supervision;

use crate::actions::{
    NoteKind, Partners, Template, save_and_sign, save_note, schedule, start_note, tomorrow_at,
};
use crate::helpers::PASSWORD;
use crate::practice::Practice;

/// A session with a signed SOAP note by Robin; returns (session, note).
async fn signed_note(p: &mut Practice) -> (String, String) {
    let couple = p.couple.clone();
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), Partners::Both).await;
    let note = start_note(&mut p.robin, &session, NoteKind::Progress, Template::Soap).await;
    save_note(
        &mut p.robin,
        &note,
        &[
            ("sections[subjective]", "NOTE-SECRET subjective words"),
            ("sections[plan]", "NOTE-PLAN practise reflecting back"),
        ],
    )
    .await;
    let res = save_and_sign(&mut p.robin, &note, &[], PASSWORD).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/notes/{note}?signed=1").as_str()),
        "{}",
        res.body
    );
    (session, note)
}
