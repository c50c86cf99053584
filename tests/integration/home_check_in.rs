//! What a partner's home says of their check-in: that the first one is waiting, when the
//! next is due after they check in, that it is due once the couple's rhythm has passed, and
//! nothing of what the other partner shared (that stays on the check-in page).

use crate::actions::{CheckIn, check_in};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{as_actor, practice};

both_engines!(a_partners_home_says_when_their_check_in_is_due);

async fn a_partners_home_says_when_their_check_in_is_due(engine: Engine) {
    const FIRST: &str = "Your first check-in is waiting for you.";
    const NEXT: &str = "Next check-in due ";
    const DUE: &str = "Your check-in is due.";
    const SHARED: &str = "Casey's shared words about the walk we took";
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;

    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains(FIRST), "{}", home.body);
    assert!(!home.body.contains(NEXT) && !home.body.contains(DUE));

    // Casey checks in and shares a text with Jordan; Jordan checks in.
    check_in(
        &mut casey,
        &CheckIn {
            went_well: SHARED,
            share: true,
            ..CheckIn::PLAIN
        },
    )
    .await;
    check_in(&mut jordan, &CheckIn::PLAIN).await;
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains(NEXT), "{}", home.body);
    assert!(!home.body.contains(FIRST) && !home.body.contains(DUE));
    // The shared words are Jordan's to read on the check-in page, not carried by the home.
    assert!(!home.body.contains(SHARED), "{}", home.body);
    let (_, page) = jordan.visit("/check-in").await;
    assert!(page.body.contains(SHARED), "{}", page.body);

    // The couple's rhythm (a week unless the counselor changed it) has passed since.
    let eight_days = 8 * 24 * 60 * 60 * 1000_i64;
    sqlx::query("update check_in set submitted_at = submitted_at - $1 where couple_id = $2")
        .bind(eight_days)
        .bind(&p.couple)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains(DUE), "{}", home.body);
    assert!(!home.body.contains(NEXT));
}
