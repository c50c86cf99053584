//! Sessions and clinical notes: the counselor schedules a session, writes and signs its
//! notes, sets treatment goals; an administrator pairs a supervisor with a counselor.

use super::{Partner, Partners, lands_on};
use crate::helpers::{Browser, Page, TestApp};

/// Tomorrow at `hh:mm` (UTC) as a `datetime-local` value.
pub fn tomorrow_at(hhmm: &str) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    format!("{d}T{hhmm}")
}

/// The counselor schedules a 50-minute video session from the case page, starting at
/// `starts` (a `datetime-local` value, in their time zone); returns the session's id.
pub async fn schedule(b: &mut Browser, couple: &str, starts: &str, with: Partners) -> String {
    let attendees = match with {
        Partners::Both => "both",
        Partners::Only(Partner::First) => "partner_1",
        Partners::Only(Partner::Second) => "partner_2",
    };
    let res = b
        .submit(
            &format!("/cases/{couple}/sessions"),
            "/api/schedule_session",
            &[
                ("couple_id", couple),
                ("starts_at", starts),
                ("duration_minutes", "50"),
                ("format", "video"),
                ("attendees", attendees),
            ],
        )
        .await;
    let to = res
        .location
        .unwrap_or_else(|| panic!("scheduled: {}", res.body));
    to.strip_prefix("/sessions/")
        .and_then(|r| r.strip_suffix("?scheduled=1"))
        .unwrap_or_else(|| panic!("to the session page, not {to}"))
        .to_string()
}

#[derive(Clone, Copy, Debug)]
pub enum NoteKind {
    Progress,
    /// The counselor's private process notes.
    Psychotherapy,
}

#[derive(Clone, Copy, Debug)]
pub enum Template {
    Soap,
    Dap,
    Birp,
    Free,
}

/// The counselor starts a note of `kind` on the session page; returns the note's id.
pub async fn start_note(
    b: &mut Browser,
    session: &str,
    kind: NoteKind,
    template: Template,
) -> String {
    let kind = match kind {
        NoteKind::Progress => "progress",
        NoteKind::Psychotherapy => "psychotherapy",
    };
    let template = match template {
        Template::Soap => "soap",
        Template::Dap => "dap",
        Template::Birp => "birp",
        Template::Free => "free",
    };
    let res = b
        .submit(
            &format!("/sessions/{session}"),
            "/api/start_note",
            &[
                ("session_id", session),
                ("kind", kind),
                ("template", template),
            ],
        )
        .await;
    let to = res
        .location
        .unwrap_or_else(|| panic!("started: {}", res.body));
    to.strip_prefix("/notes/")
        .unwrap_or_else(|| panic!("to the note page, not {to}"))
        .to_string()
}

/// The note page's "Save draft" with `fields` (`sections[..]` texts, `goals[..]` ticks);
/// returns the response to the form post.
pub async fn save_note(b: &mut Browser, note: &str, fields: &[(&str, &str)]) -> Page {
    let mut form = vec![("note_id", note)];
    form.extend_from_slice(fields);
    b.submit(&format!("/notes/{note}"), "/api/save_note", &form)
        .await
}

/// The note page's "Sign the note" with `fields` and the `password` typed to confirm: it
/// saves what is on the page, then signs. Returns the response to the form post.
pub async fn save_and_sign(
    b: &mut Browser,
    note: &str,
    fields: &[(&str, &str)],
    password: &str,
) -> Page {
    let mut form = vec![("note_id", note)];
    form.extend_from_slice(fields);
    form.extend([("intent", "sign"), ("password", password)]);
    b.submit(&format!("/notes/{note}"), "/api/save_note", &form)
        .await
}

/// The counselor adds a treatment goal on the case page; returns the goal's id.
pub async fn add_goal(
    app: &TestApp,
    b: &mut Browser,
    couple: &str,
    title: &str,
    objective: &str,
) -> String {
    let res = b
        .submit(
            &format!("/cases/{couple}/sessions"),
            "/api/add_goal",
            &[
                ("couple_id", couple),
                ("title", title),
                ("objective", objective),
            ],
        )
        .await;
    lands_on(&res, &format!("/cases/{couple}/sessions?goal=1#goals"));
    sqlx::query_scalar(
        "select treatment_goal_id from treatment_goal where couple_id = $1 and title = $2",
    )
    .bind(couple)
    .bind(title)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// An administrator ticks (or unticks) "supervises" for a pair of counselors on the
/// supervision page, and it is saved.
pub async fn set_supervision(b: &mut Browser, supervisor: &str, supervisee: &str, on: bool) {
    let res = b
        .submit(
            "/admin/supervision",
            "/api/set_supervision",
            &[
                ("supervisor_id", supervisor),
                ("supervisee_id", supervisee),
                ("on", if on { "on" } else { "off" }),
            ],
        )
        .await;
    lands_on(&res, "/admin/supervision?saved=1");
}
