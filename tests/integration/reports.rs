//! The printable report and the exports: CSV for the counselor (formulas neutralised), the
//! full case export for the counselor, and each partner's own data export, which carries
//! only what that partner may see.

use crate::actions::{
    CheckIn, Homework, NoteKind, Partners, Template, Visibility, answer, assign, check_in, review,
    save_and_sign, schedule, start_note, tomorrow_at,
};
use crate::both_engines;
use crate::helpers::{Browser, Engine, PASSWORD, TestApp};
use crate::practice::{ACTORS, as_actor, practice};

both_engines!(
    exports_carry_only_what_each_reader_may_see,
    the_report_includes_notes_only_when_ticked,
    reports_and_exports_obey_the_access_table,
    the_practice_overview_counts_and_names_no_one,
);

/// Fills a practice with private and shared words of every kind; returns the couple's id.
async fn lived_in(app: &TestApp) -> String {
    let mut p = practice(app).await;
    let couple = p.couple.clone();
    let copies = assign(
        app,
        &mut p.robin,
        &couple,
        Partners::Both,
        &Homework::titled("Letter"),
    )
    .await;
    let mut jordan = as_actor(app, Some("jordan@example.org")).await;
    let mut casey = as_actor(app, Some("casey@example.org")).await;
    answer(
        &mut jordan,
        &copies[0],
        "JORDAN-PRIVATE-ANSWER",
        Visibility::CounselorOnly,
    )
    .await;
    answer(
        &mut casey,
        &copies[1],
        "CASEY-SHARED-ANSWER",
        Visibility::Shared,
    )
    .await;
    review(&mut p.robin, &copies[0], "FEEDBACK-FOR-JORDAN").await;
    check_in(
        &mut jordan,
        &CheckIn {
            went_well: "=cmd|' /C calc'!A0 JORDAN-PRIVATE-TEXT",
            safety: "unsafe",
            ..CheckIn::PLAIN
        },
    )
    .await;
    check_in(
        &mut casey,
        &CheckIn {
            went_well: "CASEY-SHARED-TEXT",
            share: true,
            ..CheckIn::PLAIN
        },
    )
    .await;
    // A session with a signed progress note and a signed psychotherapy note.
    let session = schedule(&mut p.robin, &couple, &tomorrow_at("10:00"), Partners::Both).await;
    for (kind, template, key, text) in [
        (
            NoteKind::Progress,
            Template::Dap,
            "data",
            "NOTE-SECRET session data",
        ),
        (
            NoteKind::Psychotherapy,
            Template::Free,
            "note",
            "PROCESS-NOTE my reactions",
        ),
    ] {
        let note = start_note(&mut p.robin, &session, kind, template).await;
        let field = format!("sections[{key}]");
        let res = save_and_sign(&mut p.robin, &note, &[(field.as_str(), text)], PASSWORD).await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/notes/{note}?signed=1").as_str()),
            "{}",
            res.body
        );
    }
    couple
}

async fn download(b: &mut Browser, path: &str) -> crate::helpers::Page {
    b.get(path).await
}

async fn exports_carry_only_what_each_reader_may_see(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let couple = lived_in(&app).await;
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let mine = download(&mut casey, "/export/my-data.json").await;
    assert_eq!(mine.status, 200);
    assert!(
        mine.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
    assert_eq!(data["account"]["email"], "casey@example.org");
    assert!(mine.body.contains("CASEY-SHARED-ANSWER") && mine.body.contains("CASEY-SHARED-TEXT"));
    for secret in [
        "JORDAN-PRIVATE-ANSWER",
        "JORDAN-PRIVATE-TEXT",
        "FEEDBACK-FOR-JORDAN",
        "unsafe",
        "NOTE-SECRET",
        "PROCESS-NOTE",
    ] {
        assert!(!mine.body.contains(secret), "Casey's export holds {secret}");
    }
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let theirs = download(&mut jordan, "/export/my-data.json").await;
    for own in [
        "JORDAN-PRIVATE-ANSWER",
        "JORDAN-PRIVATE-TEXT",
        "FEEDBACK-FOR-JORDAN",
        "CASEY-SHARED-ANSWER",
        "CASEY-SHARED-TEXT",
    ] {
        assert!(theirs.body.contains(own), "Jordan's export lacks {own}");
    }
    assert!(!theirs.body.contains("NOTE-SECRET") && !theirs.body.contains("PROCESS-NOTE"));

    let mut robin = as_actor(&app, Some("robin@example.org")).await;
    let full = download(&mut robin, &format!("/cases/{couple}/export.json")).await;
    assert_eq!(full.status, 200, "{}", full.body);
    for all in [
        "JORDAN-PRIVATE-ANSWER",
        "CASEY-SHARED-ANSWER",
        "JORDAN-PRIVATE-TEXT",
        "NOTE-SECRET",
        "unsafe",
    ] {
        assert!(
            full.body.contains(all),
            "the counselor's export lacks {all}"
        );
    }
    assert!(
        !full.body.contains("PROCESS-NOTE"),
        "psychotherapy notes stay out unless asked for"
    );
    let with_private = download(
        &mut robin,
        &format!("/cases/{couple}/export.json?psychotherapy=1"),
    )
    .await;
    assert!(with_private.body.contains("PROCESS-NOTE"));

    let csv = download(&mut robin, &format!("/cases/{couple}/export/check-ins.csv")).await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.body.starts_with("\"submitted_at_utc\",\"partner\""));
    assert!(
        csv.body
            .contains("\"'=cmd|' /C calc'!A0 JORDAN-PRIVATE-TEXT\""),
        "the formula is neutralised: {}",
        csv.body
    );
    let homework = download(&mut robin, &format!("/cases/{couple}/export/homework.csv")).await;
    assert!(homework.body.contains("\"Letter\",\"Jordan Lee\""));
    assert!(
        app.audit_actions()
            .await
            .iter()
            .filter(|a| *a == "case_exported")
            .count()
            >= 5
    );
}

async fn the_report_includes_notes_only_when_ticked(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let couple = lived_in(&app).await;
    let mut robin = as_actor(&app, Some("robin@example.org")).await;
    let to = (chrono::Utc::now().date_naive() + chrono::Days::new(7)).to_string();
    let base = format!("/cases/{couple}/report?to={to}");
    let (_, plain) = robin.visit(&base).await;
    assert!(plain.body.contains("Progress report: Jordan &amp; Casey"));
    assert!(plain.body.contains("Homework completion"));
    assert!(
        plain.body.contains("<td>1</td><td>1</td><td>100%</td>"),
        "each partner submitted their one"
    );
    assert!(plain.body.contains("<svg"), "the measures are charted");
    assert!(!plain.body.contains("NOTE-SECRET"));
    let (_, with_notes) = robin.visit(&format!("{base}&notes=on")).await;
    assert!(with_notes.body.contains("NOTE-SECRET session data"));
    assert!(!with_notes.body.contains("PROCESS-NOTE"));
    let (_, with_private) = robin
        .visit(&format!("{base}&notes=on&psychotherapy=on"))
        .await;
    assert!(with_private.body.contains("PROCESS-NOTE my reactions"));
    let (_, bad) = robin
        .visit(&format!(
            "/cases/{couple}/report?from=2026-12-31&to=2026-01-01"
        ))
        .await;
    assert!(bad.body.contains("The period must start before it ends."));
    assert!(
        app.audit_actions()
            .await
            .contains(&"report_viewed".to_string())
    );
}

async fn reports_and_exports_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let couple = lived_in(&app).await;
    // report page, report fn, check-ins csv, homework csv, case json, my data
    let expected: [[u16; 6]; 7] = [
        [303, 401, 303, 303, 303, 303],
        [404, 404, 404, 404, 404, 200],
        [404, 404, 404, 404, 404, 200],
        [404, 404, 404, 404, 404, 200],
        [200, 200, 200, 200, 200, 404],
        [404, 404, 404, 404, 404, 404],
        [404, 404, 404, 404, 404, 404],
    ];
    for ((actor, email), want) in ACTORS.into_iter().zip(expected) {
        let mut b = as_actor(&app, email).await;
        let got = [
            b.get(&format!("/cases/{couple}/report")).await.status,
            b.call("/api/get_report", &[("couple_id", couple.as_str())])
                .await
                .status,
            b.get(&format!("/cases/{couple}/export/check-ins.csv"))
                .await
                .status,
            b.get(&format!("/cases/{couple}/export/homework.csv"))
                .await
                .status,
            b.get(&format!("/cases/{couple}/export.json")).await.status,
            b.get("/export/my-data.json").await.status,
        ];
        assert_eq!(
            got, want,
            "{actor}: report page, report, check-ins csv, homework csv, case json, my data"
        );
    }
}

async fn the_practice_overview_counts_and_names_no_one(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    lived_in(&app).await;
    let mut admin = as_actor(&app, Some("admin@example.org")).await;
    let (_, page) = admin.visit("/admin/overview").await;
    assert!(page.body.contains("Practice overview"));
    assert!(
        page.body.contains("<dt>Couples: Intake</dt><dd>2</dd>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<dt>Active counselors</dt><dd>2</dd>"));
    assert!(page.body.contains("<dt>Open safety flags</dt><dd>1</dd>"));
    let table = &page.body[page.body.find("Check-ins per week").unwrap()..];
    let rows = &table[..table.find("</tbody>").unwrap()];
    let this_week = rows.rsplit("<tr>").next().unwrap();
    assert!(
        this_week.contains("<td>2</td>"),
        "this week's two check-ins: {this_week}"
    );
    for private in [
        "Jordan",
        "Casey",
        "Pat",
        "JORDAN-PRIVATE",
        "NOTE-SECRET",
        "Letter",
    ] {
        assert!(!page.body.contains(private), "the overview shows {private}");
    }
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        let status = b.call("/api/practice_overview", &[]).await.status;
        let want = match actor {
            "anonymous" => 401,
            "admin" => 200,
            _ => 403,
        };
        assert_eq!(status, want, "{actor}");
    }
}
