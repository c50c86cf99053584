//! The demo couple's treatment goals, sessions and signed note.

use crate::db::{Db, as_of};
use crate::error::AppError;

/// Alex & Sam's sessions: one last week with a signed SOAP note, their treatment goals, the
/// next one in two days (online, with its joining link) with an agenda item, and one in
/// person at the practice the week after.
pub(super) async fn seed_sessions(
    db: &Db,
    couple_id: &str,
    counselor: &str,
) -> Result<(), AppError> {
    use crate::features::notes::repo as notes;
    use crate::features::notes::{NoteKind, NoteTemplate};
    use crate::features::sessions::repo::{SessionInput, add_agenda_item, schedule, set_status};
    use crate::features::sessions::{SessionFormat, SessionStatus};
    let at_five = |days: i64| {
        let day = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
        day.and_hms_opt(17, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis()
    };
    let goals = [
        (
            "Rebuild everyday transparency",
            "Alex's weekly transparency check-in done four weeks running",
        ),
        (
            "Sam can name the hurt without the evening collapsing",
            "Sam reports being able to say it in three of four weekly check-ins",
        ),
    ];
    for (title, objective) in goals {
        let target = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
        as_of(
            30,
            0,
            notes::add_goal(
                db,
                couple_id,
                title,
                objective,
                Some(target),
                counselor,
                None,
            ),
        )
        .await?;
    }
    let last_week = SessionInput {
        starts_at: at_five(-7),
        duration_minutes: 50,
        format: SessionFormat::InPerson,
        attendees: "both".into(),
        place: None,
    };
    let past = as_of(10, 0, schedule(db, couple_id, counselor, &last_week, None)).await?;
    as_of(
        6,
        0,
        set_status(
            db,
            &past,
            SessionStatus::Attended,
            None,
            counselor,
            None,
            None,
        ),
    )
    .await?;
    let note = as_of(
        7,
        0,
        notes::create(
            db,
            &past,
            counselor,
            NoteKind::Progress,
            NoteTemplate::Soap,
            None,
        ),
    )
    .await?;
    let sections: std::collections::BTreeMap<String, String> = [
        ("subjective", "Sam said the week felt steadier; the messages Alex showed unprompted helped. Alex said the daily check-ins feel awkward but useful."),
        ("objective", "Both arrived on time. Sam's voice tightened when the colleague came up; Alex stayed with it instead of explaining."),
        ("assessment", "Transparency is becoming a habit rather than a performance. Sam's hurt is still close to the surface and needs room that is not treated as a setback."),
        ("plan", "Keep the weekly transparency exercise going. Next session: practise Sam naming one hard moment of the week while Alex only reflects it back."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let goal_ids: Vec<String> = notes::goals(db, couple_id)
        .await?
        .into_iter()
        .map(|g| g.goal_id)
        .collect();
    as_of(
        7,
        -1,
        notes::save_draft(db, &note, counselor, &sections, &goal_ids[..1], None),
    )
    .await?;
    as_of(6, 22, notes::sign(db, &note, counselor, None)).await?;
    let next = SessionInput {
        starts_at: at_five(2),
        duration_minutes: 50,
        format: SessionFormat::Video,
        attendees: "both".into(),
        place: Some("https://video.example.org/hale/alex-and-sam".into()),
    };
    let upcoming = as_of(0, 2, schedule(db, couple_id, counselor, &next, None)).await?;
    add_agenda_item(
        db,
        &upcoming,
        "Check in on how Sam's draft for this week's exercise is going.",
        counselor,
    )
    .await?;
    crate::features::sessions::repo::set_practice_address(
        db,
        "Harbour Counselling, 2nd floor, 14 Harbour Street",
        counselor,
        None,
    )
    .await?;
    let in_person = SessionInput {
        starts_at: at_five(9),
        duration_minutes: 50,
        format: SessionFormat::InPerson,
        attendees: "both".into(),
        place: None,
    };
    as_of(0, 2, schedule(db, couple_id, counselor, &in_person, None)).await?;
    Ok(())
}
