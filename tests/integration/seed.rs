//! The benchmark practice (`server seed-practice`): deterministic, realistic enough to
//! sign in to and click through, and never mixed into a database with records.

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use app::seed::{BENCH_PASSWORD, Plan, counselor_email, large_practice};

both_engines!(
    the_benchmark_practice_is_seeded_the_same_every_time,
    the_benchmark_practice_is_a_working_practice,
);

const PLAN: Plan = Plan {
    couples: 120,
    seed: 7,
};

/// What a seeded practice holds, in a form two practices can be compared by.
async fn contents(app: &TestApp) -> Vec<String> {
    let pool = app.state.db.pool();
    let mut seen: Vec<String> = Vec::new();
    for sql in [
        "select email || ' ' || display_name || ' ' || role from app_user order by email",
        "select c.case_name || ' ' || c.status || ' ' || coalesce(c.current_step, 0) || ' ' || \
         u.email from couple c join app_user u on u.app_user_id = c.counselor_id \
         order by c.couple_id",
        "select a.title || ' ' || s.version || ' ' || s.answers from submission s \
         join assignment a on a.assignment_id = s.assignment_id order by s.submission_id",
        "select went_well || ' ' || trust || ' ' || safety from check_in order by check_in_id",
        "select sections from clinical_note order by clinical_note_id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await.unwrap();
        assert!(!rows.is_empty(), "{sql}");
        seen.extend(rows);
    }
    seen
}

async fn the_benchmark_practice_is_seeded_the_same_every_time(engine: Engine) {
    let first = TestApp::spawn(engine).await;
    let counts = large_practice(&first.state.db, PLAN, |_, _| {})
        .await
        .unwrap();
    let count = |table: &str| counts.iter().find(|(t, _)| *t == table).unwrap().1;
    // A counselor per fifty couples, two partners per couple (fewer at intake).
    assert_eq!(count("couple"), 120);
    assert!((200..=242).contains(&count("app_user")), "{counts:?}");
    // Months of work per couple, as the 10,000-couple practice has at scale.
    assert!(count("submission") > 120 * 20, "{counts:?}");
    assert!(count("check_in") > 120 * 8, "{counts:?}");
    assert!(count("clinical_note") > 120 * 3, "{counts:?}");
    let seeded: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(first.state.db.pool())
        .await
        .unwrap();
    assert!(seeded as u64 >= count("submission") + count("check_in"));

    let second = TestApp::spawn(engine).await;
    large_practice(&second.state.db, PLAN, |_, _| {})
        .await
        .unwrap();
    assert_eq!(contents(&first).await, contents(&second).await);
    let other = TestApp::spawn(engine).await;
    let plan = Plan { seed: 8, ..PLAN };
    large_practice(&other.state.db, plan, |_, _| {})
        .await
        .unwrap();
    assert_ne!(contents(&first).await, contents(&other).await);

    // Never into a database that has records.
    let again = large_practice(&first.state.db, PLAN, |_, _| {}).await;
    assert!(again.is_err());
    let couples: i64 = sqlx::query_scalar("select count(*) from couple")
        .fetch_one(first.state.db.pool())
        .await
        .unwrap();
    assert_eq!(couples, 120, "nothing added");
}

async fn the_benchmark_practice_is_a_working_practice(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut progress = Vec::new();
    large_practice(&app.state.db, PLAN, |done, rows| {
        progress.push((done, rows))
    })
    .await
    .unwrap();
    assert_eq!(progress.last().unwrap().0, 120, "progress reaches the end");

    // A seeded counselor signs in and sees a full caseload of cases with work to review.
    let mut counselor = app.browser();
    let res = counselor.sign_in(&counselor_email(1), BENCH_PASSWORD).await;
    assert!(res.status < 400, "{}", res.status);
    let (_, dashboard) = counselor.visit("/").await;
    assert_eq!(dashboard.status, 200);
    assert!(
        dashboard.body.contains("awaiting review"),
        "{}",
        dashboard.body
    );
    let case = dashboard
        .body
        .split("/cases/")
        .skip(1)
        .filter_map(|rest| rest.get(..36))
        .find(|id| uuid::Uuid::parse_str(id).is_ok())
        .unwrap()
        .to_string();
    let (_, page) = counselor.visit(&format!("/cases/{case}")).await;
    assert_eq!(page.status, 200);

    // Partners sign in and see their own homework; every signed note is sealed.
    let mut partner = app.browser();
    let email: String = sqlx::query_scalar(
        "select p.email from partner p join couple c on c.couple_id = p.couple_id \
         where c.status = 'active' and p.app_user_id is not null and exists \
         (select 1 from assignment a where a.couple_id = c.couple_id and a.position = p.position) \
         order by p.email limit 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(email.ends_with("@bench.trellis.test"), "{email}");
    let res = partner.sign_in(&email, BENCH_PASSWORD).await;
    assert!(res.status < 400, "{}", res.status);
    let (_, home) = partner.visit("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("/homework/"), "{}", home.body);
    let unsealed: i64 = sqlx::query_scalar(
        "select count(*) from clinical_note where signed_at is null or content_hash is null",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(unsealed, 0);
}
