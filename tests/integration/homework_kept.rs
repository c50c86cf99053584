//! Homework that never loses a word: autosave keeps a draft (the partner's alone), a session
//! that ends while typing loses nothing already saved, repeating homework never piles up
//! (one open copy per series, earlier unsubmitted copies missed), and a partner reads every
//! time in their own time zone.

use crate::actions::Intent::{Draft, Submit};
use crate::actions::Visibility::CounselorOnly;
use crate::actions::{Homework, Partners, Repeat, assign, move_to_step, save_homework};
use crate::both_engines;
use crate::helpers::{Browser, Engine, TestApp};
use crate::practice::{as_actor, practice};
use chrono::{Duration, NaiveDate, Utc};

both_engines!(
    repeats_keep_one_open_copy_and_mark_the_rest_missed,
    a_partner_reads_times_in_their_time_zone,
    autosave_keeps_a_private_draft_and_an_ended_session_loses_nothing,
);

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn set_zone(b: &mut Browser, zone: &str) {
    let res = b
        .submit("/settings", "/api/set_time_zone", &[("time_zone", zone)])
        .await;
    assert_eq!(res.location.as_deref(), Some("/settings?saved=1"));
}

/// Copies of `title` for the partner at `position` that are still open: not submitted,
/// not cancelled, not missed.
async fn open_copies(app: &TestApp, title: &str, position: i64) -> i64 {
    sqlx::query_scalar(
        "select count(*) from assignment a where a.title = $1 and a.position = $2 \
         and a.cancelled_at is null and a.missed_at is null \
         and not exists (select 1 from submission s where s.assignment_id = a.assignment_id)",
    )
    .bind(title)
    .bind(position)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn repeats_keep_one_open_copy_and_mark_the_rest_missed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let program: String =
        sqlx::query_scalar("select program_id from program where builtin_key is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    move_to_step(&mut p.robin, &couple, Some(&program), 1, "Starting").await;
    let homework = Homework {
        title: "Daily lines",
        instructions: "Two lines about today.",
        due: Some(today() + Duration::days(1)),
        repeat: Some(Repeat::Daily),
        template: None,
    };
    let copies = assign(&app, &mut p.robin, &couple, Partners::Both, &homework).await;
    // The first copies fell due four days ago and nobody answered them.
    sqlx::query("update assignment set due_on = $1 where title = 'Daily lines'")
        .bind((today() - Duration::days(4)).to_string())
        .execute(app.state.db.writer())
        .await
        .unwrap();
    // Casey answered theirs in time; Jordan did not.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    save_homework(
        &mut casey,
        &copies[1],
        "response",
        "CASEY-LINES",
        CounselorOnly,
        Submit,
    )
    .await;
    let roll = |day: NaiveDate| app::features::homework::repo::roll_repeats(&app.state.db, day);
    assert_eq!(roll(today()).await.unwrap(), 2);
    assert_eq!(roll(today()).await.unwrap(), 0);
    for position in [1, 2] {
        assert_eq!(open_copies(&app, "Daily lines", position).await, 1);
    }
    let missed: Vec<(String, i64)> = sqlx::query_as(
        "select assignment_id, position from assignment \
         where title = 'Daily lines' and missed_at is not null",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        missed,
        vec![(copies[0].clone(), 1)],
        "only Jordan's unanswered copy is missed; Casey's answer stands"
    );

    // Days go by without answers: still one open copy each, never a pile.
    for day in 1..=3 {
        roll(today() + Duration::days(day)).await.unwrap();
        for position in [1, 2] {
            assert_eq!(open_copies(&app, "Daily lines", position).await, 1);
        }
    }

    // Jordan sees the current copy only, never a red list of what was missed.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert_eq!(home.body.matches("Daily lines").count(), 1, "{}", home.body);
    assert!(!home.body.contains("Overdue since"), "{}", home.body);
    // The missed copy is still there for Jordan to finish, saying a newer one exists.
    let (_, page) = jordan.visit(&format!("/homework/{}", copies[0])).await;
    assert!(page.body.contains("A newer copy of this homework"));

    // The counselor sees what was missed.
    let (_, board) = p.robin.visit(&format!("/cases/{couple}/homework")).await;
    assert!(board.body.contains("Missed"), "{}", board.body);
    let (_, review) = p.robin.visit(&format!("/assignments/{}", copies[0])).await;
    assert!(review.body.contains("Missed"));

    // No reminder for a missed copy: a series brings one reminder, for its current copy.
    let past = app::features::reminders::repo::past_due(
        &app.state.db,
        today() + Duration::days(3),
        today() - Duration::days(7),
    )
    .await
    .unwrap();
    let reminded: Vec<&String> = past.iter().map(|r| &r.0).collect();
    assert!(
        !reminded.contains(&&copies[0]),
        "a missed copy is never reminded of"
    );
    let jordan_id = app.user_id("jordan@example.org").await;
    assert!(
        past.iter().filter(|r| r.2 == jordan_id).count() <= 1,
        "one reminder per series"
    );
}

async fn a_partner_reads_times_in_their_time_zone(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let homework = Homework {
        title: "Our week",
        instructions: "A few lines.",
        due: Some(today() + Duration::days(3)),
        repeat: None,
        template: None,
    };
    let copies = assign(&app, &mut p.robin, &couple, Partners::Both, &homework).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    // India is 5½ hours ahead of UTC all year: no time there reads like UTC's.
    set_zone(&mut jordan, "Asia/Kolkata").await;
    set_zone(&mut p.robin, "America/New_York").await;
    let india: chrono_tz::Tz = "Asia/Kolkata".parse().unwrap();
    let new_york: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let at = |ms: i64, zone: chrono_tz::Tz| app::time::at(ms, zone);

    save_homework(
        &mut jordan,
        &copies[0],
        "response",
        "Draft",
        CounselorOnly,
        Draft,
    )
    .await;
    let saved: i64 =
        sqlx::query_scalar("select saved_at from homework_draft where assignment_id = $1")
            .bind(&copies[0])
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let (_, page) = jordan.visit(&format!("/homework/{}", copies[0])).await;
    let expected = format!("Draft saved {}.", at(saved, india).format("%-d %b %H:%M"));
    assert!(page.body.contains(&expected), "{expected}: {}", page.body);
    assert!(!page.body.contains("UTC"));

    save_homework(
        &mut jordan,
        &copies[0],
        "response",
        "Done",
        CounselorOnly,
        Submit,
    )
    .await;
    let submitted: i64 =
        sqlx::query_scalar("select submitted_at from submission where assignment_id = $1")
            .bind(&copies[0])
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let (_, page) = jordan.visit(&format!("/homework/{}", copies[0])).await;
    let expected = format!(
        "You submitted this on {}",
        at(submitted, india).format("%-d %b %Y, %H:%M")
    );
    assert!(page.body.contains(&expected), "{expected}: {}", page.body);

    // The counselor reads the same moment in their own zone, and their feedback's day is
    // shown to the partner in the partner's.
    let (_, review) = p.robin.visit(&format!("/assignments/{}", copies[0])).await;
    let expected = format!(
        "Submitted {}",
        at(submitted, new_york).format("%-d %b %Y, %H:%M")
    );
    assert!(
        review.body.contains(&expected),
        "{expected}: {}",
        review.body
    );
    assert!(!review.body.contains("UTC"));
}

async fn autosave_keeps_a_private_draft_and_an_ended_session_loses_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let homework = Homework {
        title: "A long letter",
        instructions: "Take your time.",
        due: Some(today() + Duration::days(3)),
        repeat: None,
        template: None,
    };
    let copies = assign(&app, &mut p.robin, &couple, Partners::Both, &homework).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let autosave = |words: &'static str| {
        [
            ("assignment_id", copies[0].clone()),
            ("answers[response]", words.to_string()),
            // Asking to share changes nothing: a draft is never shared.
            ("visibility", "shared".to_string()),
        ]
    };
    let form = autosave("FIRST-PARAGRAPH");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = jordan.call("/api/autosave_homework", &pairs).await;
    assert_eq!(res.status, 200, "{}", res.body);
    // The answer is the time it was saved, in plain text (the browser reads no JSON).
    let kind = res.headers["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert!(
        res.body.len() <= 8 && res.body.contains(':'),
        "{}",
        res.body
    );
    let (_, page) = jordan.visit(&format!("/homework/{}", copies[0])).await;
    assert!(page.body.contains("FIRST-PARAGRAPH"));
    // A draft is Jordan's alone, whatever it says about sharing.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, casey_home) = casey.visit("/").await;
    assert!(!casey_home.body.contains("FIRST-PARAGRAPH"));
    let (_, review) = p.robin.visit(&format!("/assignments/{}", copies[0])).await;
    assert!(!review.body.contains("FIRST-PARAGRAPH"));
    let submissions: i64 = sqlx::query_scalar("select count(*) from submission")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(submissions, 0, "autosave never submits");
    // Casey cannot autosave into Jordan's copy.
    let res = casey.call("/api/autosave_homework", &pairs).await;
    assert_eq!(res.status, 404);

    // Jordan goes quiet past the idle timeout, then types on.
    sqlx::query("update user_session set last_seen_at = last_seen_at - $1")
        .bind(31 * 60 * 1000_i64)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    // Half an hour has passed: the server's copy of the session is long gone.
    app::db::people_changed();
    let form = autosave("SECOND-PARAGRAPH");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = jordan.call("/api/autosave_homework", &pairs).await;
    assert_eq!(res.status, 401, "{}", res.body);
    assert!(res.body.contains("NotSignedIn"), "{}", res.body);
    // Without JavaScript, "Save draft" is refused the same way, and nothing is overwritten.
    let res = save_homework(
        &mut jordan,
        &copies[0],
        "response",
        "SECOND-PARAGRAPH",
        CounselorOnly,
        Draft,
    )
    .await;
    assert_ne!(
        res.location.as_deref(),
        Some(format!("/homework/{}?saved=1", copies[0]).as_str())
    );
    let draft: String =
        sqlx::query_scalar("select answers from homework_draft where assignment_id = $1")
            .bind(&copies[0])
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(draft.contains("FIRST-PARAGRAPH"), "what was saved is kept");

    // Signed in again, the words the page kept are saved.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let res = jordan.call("/api/autosave_homework", &pairs).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let (_, page) = jordan.visit(&format!("/homework/{}", copies[0])).await;
    assert!(page.body.contains("SECOND-PARAGRAPH"));

    // An autosave written before a submission never lands as a stale draft after it.
    save_homework(
        &mut jordan,
        &copies[0],
        "response",
        "FINAL",
        CounselorOnly,
        Submit,
    )
    .await;
    let res = jordan.call("/api/autosave_homework", &pairs).await;
    assert_eq!(res.status, 409, "{}", res.body);
    let drafts: i64 =
        sqlx::query_scalar("select count(*) from homework_draft where assignment_id = $1")
            .bind(&copies[0])
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(drafts, 0);
    let mut on_version_1 = pairs.clone();
    on_version_1.push(("version", "1"));
    let res = jordan.call("/api/autosave_homework", &on_version_1).await;
    assert_eq!(res.status, 200, "{}", res.body);
}
