//! Check-ins: each partner alone; a concerning safety answer flags the counselor's dashboard
//! at once; one partner never sees the other's safety answer or private text; the counselor
//! sees both partners side by side, with a divergence flag when their trust moves apart.

use crate::actions::{CheckIn, Partners, check_in, post_win, schedule, tomorrow_at};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{ACTORS, as_actor, practice};

both_engines!(
    a_safety_answer_flags_the_dashboard_and_stays_private,
    shared_text_reaches_the_other_partner_and_nothing_else,
    both_partners_side_by_side_with_a_divergence_flag,
    bad_check_ins_are_explained_and_the_measure_can_be_switched_off,
    check_ins_obey_the_access_table,
    small_wins_are_shared_by_the_couple_and_celebrated,
);

/// A weekly check-in as these tests send it: the relationship questions add up to 11 of 21,
/// and the "was hard" text is left empty.
const WEEKLY: CheckIn<'static> = CheckIn {
    csi: ["3", "3", "2", "3"],
    was_hard: Some(""),
    ..CheckIn::PLAIN
};

async fn a_safety_answer_flags_the_dashboard_and_stays_private(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, form) = jordan.visit("/check-in").await;
    for text in [
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        "Extremely Unhappy",
        "Perfect",
        "I have a warm and comfortable relationship with my partner.",
        "How rewarding is your relationship with your partner?",
        "In general, how satisfied are you with your relationship?",
        "Do you feel safe at home with your partner right now?",
        "rather talk to my counselor privately",
    ] {
        assert!(form.body.contains(text), "the form shows {text:?}");
    }
    check_in(
        &mut jordan,
        &CheckIn {
            trust: "4",
            hope: "6",
            went_well: "JORDAN-PRIVATE-TEXT",
            safety: "unsafe",
            ..WEEKLY
        },
    )
    .await;
    let (_, page) = jordan.visit("/check-in?done=1").await;
    assert!(page.body.contains("Your check-in is saved"));
    assert!(page.body.contains("trust 4"));
    assert!(page.body.contains("relationship 11/21"));

    // The counselor's dashboard shows it at once, first.
    let (_, caseload) = p.robin.visit("/").await;
    assert!(
        caseload.body.contains("1 safety flag to look at"),
        "{}",
        caseload.body
    );
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(case_page.body.contains("1 safety flag to look at."));
    assert!(
        case_page.body.contains("feel safe\u{201d}"),
        "the flag names the answer"
    );
    assert!(
        case_page.body.contains("JORDAN-PRIVATE-TEXT"),
        "the counselor reads it"
    );

    // Casey sees none of it, anywhere.
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    for path in [
        "/".to_string(),
        "/check-in".to_string(),
        format!("/cases/{couple}"),
        format!("/cases/{couple}/progress"),
    ] {
        let path = path.as_str();
        let (_, page) = casey.visit(path).await;
        assert!(!page.body.contains("JORDAN-PRIVATE-TEXT"), "{path}");
        assert!(!page.body.contains("trust 4"), "{path}");
    }
    let api = casey.call("/api/my_check_in", &[]).await;
    assert_eq!(api.status, 200);
    assert!(!api.body.contains("JORDAN-PRIVATE-TEXT"));
    assert!(!api.body.contains("unsafe"));

    // Acknowledged with a note, the flag leaves the dashboard and stays on the record.
    let flag: String = sqlx::query_scalar("select safety_flag_id from safety_flag")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let empty = p
        .robin
        .call(
            "/api/acknowledge_flag",
            &[("flag_id", flag.as_str()), ("note", " ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}/progress"),
            "/api/acknowledge_flag",
            &[
                ("flag_id", flag.as_str()),
                ("note", "Called Jordan; safety plan in place."),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/progress?acknowledged=1#check-ins").as_str())
    );
    let (_, caseload) = p.robin.visit("/").await;
    assert!(!caseload.body.contains("safety flag"));
    let (_, case_page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(case_page.body.contains("Acknowledged by Robin Hale"));
    assert!(
        case_page
            .body
            .contains("Called Jordan; safety plan in place.")
    );
    let actions = app.audit_actions().await;
    for a in [
        "check_in_submitted",
        "safety_flag_raised",
        "safety_flag_acknowledged",
    ] {
        assert!(actions.contains(&a.to_string()), "{a}");
    }
    let again = p
        .robin
        .call(
            "/api/acknowledge_flag",
            &[("flag_id", flag.as_str()), ("note", "again")],
        )
        .await;
    assert_eq!(again.status, 409);
}

async fn shared_text_reaches_the_other_partner_and_nothing_else(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    check_in(
        &mut casey,
        &CheckIn {
            trust: "7",
            hope: "8",
            went_well: "CASEY-SHARED-TEXT",
            share: true,
            safety: "private_talk",
            ..WEEKLY
        },
    )
    .await;
    check_in(
        &mut jordan,
        &CheckIn {
            trust: "5",
            hope: "5",
            went_well: "JORDAN-KEPT-TEXT",
            ..WEEKLY
        },
    )
    .await;
    let (_, page) = jordan.visit("/check-in").await;
    assert!(page.body.contains("Shared with you by your partner"));
    assert!(page.body.contains("CASEY-SHARED-TEXT"));
    assert!(!page.body.contains("trust 7"), "never Casey's scores");
    let api = jordan.call("/api/my_check_in", &[]).await;
    assert!(api.body.contains("CASEY-SHARED-TEXT"));
    assert!(
        !api.body.contains("PrivateTalk") && !api.body.contains("private_talk"),
        "never Casey's safety answer"
    );
    let (_, page) = casey.visit("/check-in").await;
    assert!(!page.body.contains("JORDAN-KEPT-TEXT"));
    assert!(!page.body.contains("Shared with you by your partner"));
}

async fn both_partners_side_by_side_with_a_divergence_flag(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    // Four weeks of check-ins; from the third week the partners' trust moves apart.
    let weeks = [("5", "5"), ("6", "5"), ("8", "4"), ("9", "3")];
    for (i, (j, c)) in weeks.iter().enumerate() {
        check_in(
            &mut jordan,
            &CheckIn {
                trust: j,
                hope: "6",
                ..WEEKLY
            },
        )
        .await;
        check_in(
            &mut casey,
            &CheckIn {
                trust: c,
                hope: "6",
                ..WEEKLY
            },
        )
        .await;
        let ago = (weeks.len() - 1 - i) as i64 * 7 * 24 * 3600 * 1000;
        sqlx::query("update check_in set submitted_at = submitted_at - $1 where submitted_at > $2")
            .bind(ago)
            .bind(app::db::now_ms() - 60_000)
            .execute(app.state.db.writer())
            .await
            .unwrap();
    }
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    // Jordan (who broke trust) reads how far Casey trusts them; Casey says it. The two reads
    // of one thing diverge.
    assert!(
        page.body
            .contains("Diverging trust reads: Jordan Lee reads Casey Lee")
            && page
                .body
                .contains("trust as 6 points higher than Casey Lee reports"),
        "the divergence flag"
    );
    // Each partner is asked the trust question that fits their part.
    let (_, form) = jordan.visit("/check-in").await;
    assert!(
        form.body
            .contains("How much do you think your partner trusts you right now?")
    );
    let (_, form) = casey.visit("/check-in").await;
    assert!(
        form.body
            .contains("How much do you trust your partner right now?")
    );
    for chart in ["chart-trust", "chart-hope", "chart-csi"] {
        assert!(
            page.body
                .contains(&format!("aria-labelledby=\"{chart}-title {chart}-desc\"")),
            "the {chart} chart"
        );
    }
    // Homework completion sits beside them (nothing came due yet).
    assert!(page.body.contains("Jordan Lee: no homework came due."));
    assert!(page.body.contains("cutoff 13.5"));
    assert!(page.body.contains("class=\"series series-1\""));
    assert!(page.body.contains("class=\"series series-2\""));
    assert!(
        page.body.contains("Latest Jordan Lee 9, Casey Lee 3"),
        "the chart's text summary"
    );
    // The data table alternative has a row per week.
    assert!(page.body.contains("9 / 6 / 11"));
    assert!(page.body.contains("3 / 6 / 11"));
    // And the pre-session brief says so too.
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), Partners::Both).await;
    let (_, brief) = p
        .robin
        .visit(&format!("/sessions/{session}?scheduled=1"))
        .await;
    assert!(brief.body.contains("Diverging trust"));
    assert!(brief.body.contains("trust 9 (was 8)"));
    assert!(brief.body.contains("trust 3 (was 4)"));
    assert!(brief.body.contains("below the 13.5 cutoff"));
}

async fn bad_check_ins_are_explained_and_the_measure_can_be_switched_off(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    for (form, message) in [
        (
            vec![("trust", "5"), ("hope", "5"), ("safety", "safe")],
            "Answer each of the four relationship questions.",
        ),
        (
            vec![
                ("csi[1]", "3"),
                ("csi[2]", "3"),
                ("csi[3]", "3"),
                ("csi[4]", "3"),
                ("trust", "11"),
                ("hope", "5"),
                ("safety", "safe"),
            ],
            "from 0 to 10",
        ),
        (
            vec![
                ("csi[1]", "3"),
                ("csi[2]", "3"),
                ("csi[3]", "3"),
                ("csi[4]", "3"),
                ("trust", "5"),
                ("hope", "5"),
            ],
            "Answer the question about feeling safe at home.",
        ),
    ] {
        let res = jordan
            .submit("/check-in", "/api/submit_check_in", &form)
            .await;
        let (_, page) = jordan.visit(&res.location.unwrap()).await;
        assert!(page.body.contains(message), "{message}");
    }
    let none: i64 = sqlx::query_scalar("select count(*) from check_in")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(none, 0);

    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let res = admin
        .submit("/", "/api/set_csi_enabled", &[("on", "off")])
        .await;
    assert!(res.location.is_some());
    let (_, page) = jordan.visit("/check-in").await;
    assert!(!page.body.contains("warm and comfortable"));
    let res = jordan
        .submit(
            "/check-in",
            "/api/submit_check_in",
            &[("trust", "5"), ("hope", "5"), ("safety", "safe")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/check-in?done=1"));
    let total: Option<i64> = sqlx::query_scalar("select csi_total from check_in")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(total, None);
}

async fn check_ins_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = practice(&app).await;
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    check_in(
        &mut jordan,
        &CheckIn {
            trust: "5",
            hope: "5",
            safety: "unsure",
            ..WEEKLY
        },
    )
    .await;
    let flag: String = sqlx::query_scalar("select safety_flag_id from safety_flag")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    // my_check_in, submit, acknowledge, set days, set CSI
    let expected: [[u16; 5]; 7] = [
        [401, 401, 401, 401, 401],
        [200, 200, 404, 404, 403],
        [200, 200, 404, 404, 403],
        [200, 200, 404, 404, 403],
        [403, 403, 200, 200, 403],
        [403, 403, 404, 404, 403],
        [403, 403, 404, 404, 200],
    ];
    for ((actor, email), want) in ACTORS.into_iter().zip(expected) {
        let mut b = as_actor(&app, email).await;
        let got = [
            b.call("/api/my_check_in", &[]).await.status,
            b.call(
                "/api/submit_check_in",
                &[
                    ("csi[1]", "3"),
                    ("csi[2]", "3"),
                    ("csi[3]", "3"),
                    ("csi[4]", "3"),
                    ("trust", "5"),
                    ("hope", "5"),
                    ("safety", "safe"),
                ],
            )
            .await
            .status,
            b.call(
                "/api/acknowledge_flag",
                &[("flag_id", flag.as_str()), ("note", "seen")],
            )
            .await
            .status,
            b.call(
                "/api/set_check_in_days",
                &[("couple_id", p.couple.as_str()), ("days", "14")],
            )
            .await
            .status,
            b.call("/api/set_csi_enabled", &[("on", "on")]).await.status,
        ];
        assert_eq!(
            got, want,
            "{actor}: my check-in, submit, acknowledge, days, CSI setting"
        );
    }
}

async fn small_wins_are_shared_by_the_couple_and_celebrated(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    // The wall opens from the practice's step (step 10 unless it chooses): not yet here.
    let (_, home) = jordan.visit("/").await;
    assert!(!home.body.contains("Small wins"), "no wall before it opens");
    let early = jordan.call("/api/post_win", &[("body", "Too soon")]).await;
    assert_eq!(early.status, 409);
    assert!(early.body.contains("has not opened the small wins wall"));
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(
        page.body.contains(
            "Partners do not see this wall yet: the practice opens the wall from step 10"
        )
    );
    // The counselor turns it on for this couple.
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}/progress"),
            "/api/set_wins_wall",
            &[("couple_id", couple.as_str()), ("wall", "on")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/progress#wins").as_str())
    );
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(
        page.body
            .contains("Partners see this wall: you turned it on.")
    );
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Share a small win"));
    let empty = jordan.call("/api/post_win", &[("body", "  ")]).await;
    assert_eq!(empty.status, 422);
    let win = post_win(&app, &mut jordan, "WIN-We cooked together").await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, home) = casey.visit("/").await;
    assert!(
        home.body.contains("WIN-We cooked together"),
        "the other partner sees it"
    );
    let (_, page) = p.robin.visit(&format!("/cases/{couple}/progress")).await;
    assert!(page.body.contains("WIN-We cooked together"));
    let res = p
        .robin
        .submit(
            &format!("/cases/{couple}/progress"),
            "/api/react_to_win",
            &[("win_id", win.as_str()), ("reaction", "celebrate")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}/progress#wins").as_str())
    );
    let (_, home) = jordan.visit("/").await;
    assert!(home.body.contains("Celebrated by your counselor"));
    // The reaction is for the partner who posted: Casey sees the win, not the praise.
    let (_, home) = casey.visit("/").await;
    assert!(home.body.contains("WIN-We cooked together"));
    assert!(!home.body.contains("Celebrated by your counselor"));
    // Nobody else sees or touches it.
    let mut pat = as_actor(&app, Some("pat@example.org")).await;
    let (_, other_home) = pat.visit("/").await;
    assert!(!other_home.body.contains("WIN-We cooked together"));
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        let react = b
            .call(
                "/api/react_to_win",
                &[("win_id", win.as_str()), ("reaction", "noticed")],
            )
            .await
            .status;
        let mine = b.call("/api/my_wins", &[]).await;
        let (want_react, want_mine) = match actor {
            "anonymous" => (401, 401),
            "assigned counselor" => (200, 403),
            "another counselor" | "admin" => (404, 403),
            _ => (404, 200),
        };
        assert_eq!(
            (react, mine.status),
            (want_react, want_mine),
            "{actor}: react, my wins"
        );
        assert_eq!(
            mine.body.contains("WIN-We cooked together"),
            actor == "partner A" || actor == "partner B",
            "{actor}"
        );
    }
}
