//! Each person's choice to receive reminder emails: turned off, nothing goes (not even what
//! was already queued); turned on, they flow again; and nobody reaches anyone else's choice.

use super::{app_with_mail, homework, today, today_at};
use crate::actions::{Partner, Partners, Repeat, Visibility, answer, assign, review};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{ACTORS, as_actor, practice};
use crate::smtp::SmtpServer;
use chrono::Duration;
use server::mail::Scheduler;

both_engines!(
    turning_reminders_off_stops_them,
    reminder_settings_obey_the_access_table,
);

async fn turning_reminders_off_stops_them(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let mut casey = as_actor(&app, Some("casey@example.org")).await;
    let (_, page) = casey.visit("/settings").await;
    assert!(page.body.contains("Reminder emails"));
    assert!(page.body.contains("casey@example.org"));
    assert!(!page.body.contains("has not set up email"));

    // A nonsense choice is explained; nothing changes.
    let res = casey
        .submit(
            "/settings",
            "/api/set_email_reminders",
            &[("email_reminders", "maybe")],
        )
        .await;
    let (_, page) = casey.visit(&res.location.unwrap()).await;
    assert!(
        page.body
            .contains("Choose whether you want reminder emails.")
    );

    let res = casey
        .submit(
            "/settings",
            "/api/set_email_reminders",
            &[("email_reminders", "off")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/settings?saved=1"));
    let (_, page) = casey.visit("/settings?saved=1").await;
    assert!(page.body.contains("Settings saved."));
    assert!(
        app.audit_actions()
            .await
            .contains(&"reminders_off".to_string())
    );

    let tomorrow = today() + Duration::days(1);
    let copies = assign(
        &app,
        &mut p.robin,
        &couple,
        Partners::Both,
        &homework("Weekly letter", tomorrow, Repeat::Once),
    )
    .await;
    let scheduler = Scheduler::new(&app.config).unwrap();
    scheduler.round(&app.state.db, today_at(9)).await.unwrap();
    assert!(
        smtp.to("casey@example.org").is_empty(),
        "Casey turned reminders off"
    );
    assert_eq!(smtp.to("jordan@example.org").len(), 1, "Jordan did not");
    assert!(smtp.to("jordan@example.org")[0].body.contains(&copies[0]));

    // An email already queued when someone turns reminders off is not sent either.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    answer(&mut jordan, &copies[0], "done", Visibility::CounselorOnly).await;
    review(&mut p.robin, &copies[0], "Thank you.").await;
    app::features::reminders::plan::plan(
        &app.state.db,
        today_at(10),
        &app::features::reminders::plan::PlanSettings {
            public_url: &app.base,
            reminder_hour: 8,
        },
    )
    .await
    .unwrap();
    jordan
        .submit(
            "/settings",
            "/api/set_email_reminders",
            &[("email_reminders", "off")],
        )
        .await;
    scheduler.round(&app.state.db, today_at(10)).await.unwrap();
    assert_eq!(
        smtp.to("jordan@example.org").len(),
        1,
        "the feedback email was not sent"
    );
    let dropped: Vec<(String,)> = sqlx::query_as(
        "select o.kind from email_outbox o join app_user u on u.app_user_id = o.app_user_id \
         where u.email = 'jordan@example.org' and o.dropped_at is not null",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(dropped, vec![("feedback".to_string(),)]);

    // Turned back on, new reminders flow again.
    casey
        .submit(
            "/settings",
            "/api/set_email_reminders",
            &[("email_reminders", "on")],
        )
        .await;
    let (_, page) = casey.visit("/settings").await;
    assert!(
        page.body.contains(r#"value="on" checked"#),
        "the choice shows as on"
    );
    let next = assign(
        &app,
        &mut p.robin,
        &couple,
        Partners::Only(Partner::Second),
        &homework("Another", tomorrow, Repeat::Once),
    )
    .await;
    scheduler.round(&app.state.db, today_at(11)).await.unwrap();
    let casey_mail = smtp.to("casey@example.org");
    assert_eq!(
        casey_mail.len(),
        2,
        "both of Casey's open assignments: {casey_mail:?}"
    );
    assert!(casey_mail.iter().any(|m| m.body.contains(&next[0])));
}

async fn reminder_settings_obey_the_access_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    practice(&app).await;
    app.create_user(app::auth::Role::Counselor, "Sky Moreno", "sky@example.org")
        .await;
    for (actor, email) in ACTORS {
        let mut b = as_actor(&app, email).await;
        let (at, page) = b.visit("/settings").await;
        let call = b.call("/api/my_reminder_settings", &[]).await;
        let set = b
            .call("/api/set_email_reminders", &[("email_reminders", "off")])
            .await;
        match email {
            None => {
                assert!(at.starts_with("/login"), "{actor}: {at}");
                assert!(!page.body.contains("Reminder emails"), "{actor}");
                assert_eq!(call.status, 401, "{actor}");
                assert_eq!(set.status, 401, "{actor}");
            }
            Some(email) => {
                assert_eq!(call.status, 200, "{actor}");
                let settings: serde_json::Value = serde_json::from_str(&call.body).unwrap();
                assert_eq!(
                    settings["email"], email,
                    "{actor} reads their own settings only"
                );
                assert!(
                    page.body.contains("has not set up email"),
                    "{actor}: mail is off here"
                );
                assert!(set.status < 400, "{actor}: {}", set.status);
                let on: i64 =
                    sqlx::query_scalar("select email_reminders from app_user where email = $1")
                        .bind(email)
                        .fetch_one(app.state.db.pool())
                        .await
                        .unwrap();
                assert_eq!(on, 0, "{actor} turned their own reminders off");
            }
        }
    }
    // Nobody turned anyone else's off: an account that never called keeps its reminders.
    let bystander_on: i64 =
        sqlx::query_scalar("select email_reminders from app_user where email = 'sky@example.org'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(bystander_on, 1);
}
