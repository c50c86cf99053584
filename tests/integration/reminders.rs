//! Email reminders through a real SMTP server: partners hear about homework due tomorrow,
//! homework past due and new feedback; counselors get a daily digest. Each email is sent
//! exactly once (also by several servers sharing one database), survives a mail-server
//! outage, carries nothing anyone wrote, and stops when the person turns reminders off.
//! Also: repeating homework.

use crate::both_engines;
use crate::helpers::{Browser, Engine, Options, TestApp, temp_dir};
use crate::practice::{ACTORS, NEW_COUPLE, as_actor, counselor, open_case, practice};
use crate::smtp::SmtpServer;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use server::mail::Scheduler;

both_engines!(
    reminders_and_digests_arrive_once_and_carry_nothing_private,
    turning_reminders_off_stops_them,
    several_servers_send_each_email_exactly_once,
    an_email_waits_out_a_mail_server_outage,
    repeating_homework_comes_back_until_the_couple_moves_on,
    reminder_settings_obey_the_access_table,
    invitation_links_are_emailed_and_replaced_links_never_go,
    the_background_task_sends_after_a_restart,
);

async fn app_with_mail(engine: Engine, smtp: &SmtpServer) -> TestApp {
    TestApp::spawn_with(
        engine,
        Options {
            smtp: Some(smtp.port),
            ..Default::default()
        },
    )
    .await
}

/// A second server process on the first one's database.
async fn another_server(engine: Engine, first: &TestApp, smtp: &SmtpServer) -> TestApp {
    let url = first.config.database_url.as_ref().unwrap().expose();
    let options = Options {
        smtp: Some(smtp.port),
        ..Default::default()
    };
    TestApp::spawn_on(engine, temp_dir(), url.to_string(), options).await
}

/// Today at the given UTC hour.
fn today_at(hour: u32) -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    Utc.from_utc_datetime(&today.and_hms_opt(hour, 0, 0).unwrap())
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Assigns written-from-scratch homework through the form; returns the copies' ids by
/// partner position.
async fn assign(
    app: &TestApp,
    robin: &mut Browser,
    couple: &str,
    recipients: &str,
    title: &str,
    due: Option<NaiveDate>,
    repeat: &str,
) -> Vec<(i64, String)> {
    let due = due.map(|d| d.to_string()).unwrap_or_default();
    let res = robin
        .submit(
            &format!("/cases/{couple}/assign"),
            "/api/assign_homework",
            &[
                ("couple_id", couple),
                ("recipients", recipients),
                ("title", title),
                ("instructions", "Write a few lines, on your own."),
                ("due_on", &due),
                ("repeat", repeat),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/cases/{couple}?assigned=1#homework").as_str()),
        "{}",
        res.body
    );
    sqlx::query_as(
        "select position, assignment_id from assignment where couple_id = $1 and title = $2 \
         order by assigned_at, position",
    )
    .bind(couple)
    .bind(title)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

async fn submit(b: &mut Browser, assignment: &str, text: &str) {
    let res = b
        .submit(
            &format!("/homework/{assignment}"),
            "/api/save_homework",
            &[
                ("assignment_id", assignment),
                ("answers[response]", text),
                ("visibility", "counselor"),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/homework/{assignment}?submitted=1").as_str()),
        "{}",
        res.body
    );
}

async fn set_due(app: &TestApp, assignment: &str, due: NaiveDate) {
    sqlx::query("update assignment set due_on = $1 where assignment_id = $2")
        .bind(due.to_string())
        .bind(assignment)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

async fn reminders_and_digests_arrive_once_and_carry_nothing_private(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let tomorrow = today() + Duration::days(1);
    let weekly = assign(
        &app,
        &mut p.robin,
        &couple,
        "both",
        "TITLE-WEEK",
        Some(tomorrow),
        "once",
    )
    .await;
    let late = assign(
        &app,
        &mut p.robin,
        &couple,
        "2",
        "TITLE-LATE",
        Some(tomorrow),
        "once",
    )
    .await;
    set_due(&app, &late[0].1, today() - Duration::days(2)).await;
    // An old overdue piece of work is not announced when email is switched on.
    let ancient = assign(
        &app,
        &mut p.robin,
        &couple,
        "2",
        "TITLE-OLD",
        Some(tomorrow),
        "once",
    )
    .await;
    set_due(&app, &ancient[0].1, today() - Duration::days(30)).await;

    // Jordan answers this week's homework; Robin reads it and leaves feedback.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    submit(&mut jordan, &weekly[0].1, "JORDAN-PRIVATE-ANSWER").await;
    let res = p
        .robin
        .submit(
            &format!("/assignments/{}", weekly[0].1),
            "/api/review_homework",
            &[
                ("assignment_id", weekly[0].1.as_str()),
                ("feedback", "ROBIN-PRIVATE-FEEDBACK"),
            ],
        )
        .await;
    assert!(res.location.is_some(), "{}", res.body);

    let scheduler = Scheduler::new(&app.config).unwrap();
    // Before the reminder hour: only what cannot wait (past due, feedback).
    let sent = scheduler.round(&app.state.db, today_at(6)).await.unwrap();
    assert_eq!(sent.sent, 2, "{sent:?}");
    let casey = smtp.to("casey@example.org");
    assert_eq!(casey.len(), 1, "{casey:?}");
    assert_eq!(casey[0].subject, "Homework past its due date");
    assert!(casey[0].body.contains(&format!("/homework/{}", late[0].1)));
    let jordan_mail = smtp.to("jordan@example.org");
    assert_eq!(jordan_mail.len(), 1);
    assert_eq!(jordan_mail[0].subject, "Your counselor left you feedback");
    assert!(
        jordan_mail[0]
            .body
            .contains(&format!("{}/homework/{}", app.base, weekly[0].1))
    );
    assert!(jordan_mail[0].from.contains("trellis@practice.test"));

    // From the reminder hour: due tomorrow (Casey has not answered; Jordan has) and
    // Robin's digest.
    let sent = scheduler.round(&app.state.db, today_at(9)).await.unwrap();
    assert_eq!(sent.sent, 2, "{sent:?}");
    let casey = smtp.to("casey@example.org");
    assert_eq!(casey.len(), 2, "{casey:?}");
    assert_eq!(casey[1].subject, "Homework due tomorrow");
    assert!(
        casey[1]
            .body
            .contains(&format!("/homework/{}", weekly[1].1))
    );
    assert_eq!(
        smtp.to("jordan@example.org").len(),
        1,
        "Jordan already answered"
    );
    let robin = smtp.to("robin@example.org");
    assert_eq!(robin.len(), 1);
    assert_eq!(
        robin[0].subject,
        "Trellis: 1 new homework submission since yesterday"
    );
    assert!(
        robin[0].body.contains("0 are waiting for your review"),
        "{}",
        robin[0].body
    );
    assert!(robin[0].body.contains(&format!("{}/reviews", app.base)));
    assert!(
        smtp.to("pat@example.org").is_empty(),
        "nothing for another couple"
    );
    assert!(
        smtp.to("dana@example.org").is_empty(),
        "no digest without submissions"
    );

    // Nothing private travels by email, and nothing is sent twice.
    for mail in smtp.messages() {
        for secret in [
            "JORDAN-PRIVATE-ANSWER",
            "ROBIN-PRIVATE-FEEDBACK",
            "TITLE-",
            "Jordan & Casey",
        ] {
            assert!(!mail.body.contains(secret), "{secret} in {mail:?}");
            assert!(!mail.subject.contains(secret), "{secret} in {mail:?}");
        }
    }
    for hour in [9, 12, 23] {
        let again = scheduler
            .round(&app.state.db, today_at(hour))
            .await
            .unwrap();
        assert_eq!(again.sent, 0);
    }
    let other = Scheduler::new(&app.config).unwrap();
    assert_eq!(
        other.round(&app.state.db, today_at(10)).await.unwrap().sent,
        0
    );
    assert_eq!(smtp.messages().len(), 4);
    // Sent emails are not kept as text.
    let kept: Vec<(String,)> =
        sqlx::query_as("select body from email_outbox where sent_at is not null and body <> ''")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert!(kept.is_empty());
}

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
        "both",
        "Weekly letter",
        Some(tomorrow),
        "once",
    )
    .await;
    let scheduler = Scheduler::new(&app.config).unwrap();
    scheduler.round(&app.state.db, today_at(9)).await.unwrap();
    assert!(
        smtp.to("casey@example.org").is_empty(),
        "Casey turned reminders off"
    );
    assert_eq!(smtp.to("jordan@example.org").len(), 1, "Jordan did not");
    assert!(smtp.to("jordan@example.org")[0].body.contains(&copies[0].1));

    // An email already queued when someone turns reminders off is not sent either.
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    submit(&mut jordan, &copies[0].1, "done").await;
    p.robin
        .submit(
            &format!("/assignments/{}", copies[0].1),
            "/api/review_homework",
            &[
                ("assignment_id", copies[0].1.as_str()),
                ("feedback", "Thank you."),
            ],
        )
        .await;
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
        "2",
        "Another",
        Some(tomorrow),
        "once",
    )
    .await;
    scheduler.round(&app.state.db, today_at(11)).await.unwrap();
    let casey_mail = smtp.to("casey@example.org");
    assert_eq!(
        casey_mail.len(),
        2,
        "both of Casey's open assignments: {casey_mail:?}"
    );
    assert!(casey_mail.iter().any(|m| m.body.contains(&next[0].1)));
}

async fn several_servers_send_each_email_exactly_once(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let first = app_with_mail(engine, &smtp).await;
    let mut p = practice(&first).await;
    let couple = p.couple.clone();
    let second = another_server(engine, &first, &smtp).await;
    let tomorrow = today() + Duration::days(1);
    let mut copies = Vec::new();
    for i in 0..12 {
        copies.extend(
            assign(
                &first,
                &mut p.robin,
                &couple,
                "both",
                &format!("Exercise {i}"),
                Some(tomorrow),
                "once",
            )
            .await,
        );
    }
    assert_eq!(copies.len(), 24);
    let schedulers: Vec<(Scheduler, &TestApp)> = vec![
        (Scheduler::new(&first.config).unwrap(), &first),
        (Scheduler::new(&second.config).unwrap(), &second),
        (Scheduler::new(&first.config).unwrap(), &first),
        (Scheduler::new(&second.config).unwrap(), &second),
    ];
    let rounds = schedulers
        .iter()
        .map(|(s, app)| s.round(&app.state.db, today_at(9)));
    let results = futures_join_all(rounds).await;
    let total: usize = results.iter().map(|r| r.as_ref().unwrap().sent).sum();
    assert_eq!(total, 24, "{results:?}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 24);
    for (_, copy) in &copies {
        let n = messages
            .iter()
            .filter(|m| m.body.contains(copy.as_str()))
            .count();
        assert_eq!(n, 1, "one email for {copy}");
    }
    let mut ids: Vec<&str> = messages.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24, "distinct Message-IDs");
}

/// Runs the futures at once (on this task) and collects their results in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let handles: Vec<_> = futures.collect();
    let mut out = Vec::new();
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = handles.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if done[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => done[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    for d in done {
        out.push(d.unwrap());
    }
    out
}

async fn an_email_waits_out_a_mail_server_outage(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let port = smtp.port;
    let app = app_with_mail(engine, &smtp).await;
    smtp.stop().await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let tomorrow = today() + Duration::days(1);
    let copies = assign(
        &app,
        &mut p.robin,
        &couple,
        "1",
        "Letter",
        Some(tomorrow),
        "once",
    )
    .await;
    let scheduler = Scheduler::new(&app.config).unwrap();
    let now = today_at(9);
    let sent = scheduler.round(&app.state.db, now).await.unwrap();
    assert_eq!((sent.sent, sent.retrying), (0, 1), "{sent:?}");
    let (attempts, error): (i64, Option<String>) =
        sqlx::query_as("select attempts, last_error from email_outbox")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some());

    // The mail server is back; the email goes at its next try, once.
    let smtp = SmtpServer::start_on(Some(port)).await;
    assert_eq!(
        scheduler.round(&app.state.db, now).await.unwrap().sent,
        0,
        "backing off"
    );
    let later = now + Duration::minutes(2);
    assert_eq!(scheduler.round(&app.state.db, later).await.unwrap().sent, 1);
    assert_eq!(scheduler.round(&app.state.db, later).await.unwrap().sent, 0);
    let mail = smtp.to("jordan@example.org");
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body.contains(&copies[0].1));
}

async fn repeating_homework_comes_back_until_the_couple_moves_on(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut p = practice(&app).await;
    let couple = p.couple.clone();
    let case_page = format!("/cases/{couple}");
    let program: String =
        sqlx::query_scalar("select program_id from program where builtin_key is not null")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    p.robin
        .submit(
            &case_page,
            "/api/move_couple_step",
            &[
                ("couple_id", couple.as_str()),
                ("program_id", program.as_str()),
                ("to_step", "1"),
                ("reason", "Starting"),
            ],
        )
        .await;

    // Repeating needs a first due date, and says so.
    let res = p
        .robin
        .submit(
            &format!("{case_page}/assign"),
            "/api/assign_homework",
            &[
                ("couple_id", couple.as_str()),
                ("recipients", "both"),
                ("title", "Weekly check"),
                ("instructions", "Three lines on the week."),
                ("repeat", "weekly"),
            ],
        )
        .await;
    let (_, page) = p.robin.visit(&res.location.unwrap()).await;
    assert!(
        page.body
            .contains("Repeating homework needs a first due date")
    );

    let first_due = today() + Duration::days(2);
    let copies = assign(
        &app,
        &mut p.robin,
        &couple,
        "both",
        "Weekly check",
        Some(first_due),
        "weekly",
    )
    .await;
    assert_eq!(copies.len(), 2);
    let (_, page) = p.robin.visit(&case_page).await;
    assert!(page.body.contains("repeats weekly"));
    let roll = |day: NaiveDate| app::features::homework::repo::roll_repeats(&app.state.db, day);
    assert_eq!(roll(today()).await.unwrap(), 0, "not yet due");
    // The day after the due date, each partner gets the next week's copy, once.
    let day_after = first_due + Duration::days(1);
    assert_eq!(roll(day_after).await.unwrap(), 2);
    assert_eq!(roll(day_after).await.unwrap(), 0);
    let dues: Vec<(i64, String)> = sqlx::query_as(
        "select position, due_on from assignment where title = 'Weekly check' order by due_on, position",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let next = (first_due + Duration::days(7)).to_string();
    assert_eq!(
        dues,
        vec![
            (1, first_due.to_string()),
            (2, first_due.to_string()),
            (1, next.clone()),
            (2, next.clone())
        ]
    );
    let mut jordan = as_actor(&app, Some("jordan@example.org")).await;
    let (_, home) = jordan.visit("/").await;
    assert_eq!(
        home.body.matches("Weekly check").count(),
        2,
        "both weeks on the list"
    );

    // Cancelling Casey's copy ends Casey's repeats; Jordan's go on while on step 1.
    let casey_next: String = sqlx::query_scalar(
        "select assignment_id from assignment where title = 'Weekly check' and position = 2 and due_on = $1",
    )
    .bind(&next)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    p.robin
        .submit(
            &case_page,
            "/api/cancel_homework",
            &[("assignment_id", casey_next.as_str())],
        )
        .await;
    let week_after = first_due + Duration::days(8);
    assert_eq!(roll(week_after).await.unwrap(), 1, "Jordan's only");

    // The couple moves on to step 2: no more repeats.
    p.robin
        .submit(
            &case_page,
            "/api/move_couple_step",
            &[
                ("couple_id", couple.as_str()),
                ("to_step", "2"),
                ("reason", "Ready for the next step"),
            ],
        )
        .await;
    assert_eq!(roll(first_due + Duration::days(30)).await.unwrap(), 0);
    let total: i64 =
        sqlx::query_scalar("select count(*) from assignment where title = 'Weekly check'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(total, 5);
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

/// The invitation link inside an email body.
fn link_in(body: &str) -> String {
    let at = body.find("/invite/").expect("a link in the email");
    body[at..].split_whitespace().next().unwrap().to_string()
}

async fn invitation_links_are_emailed_and_replaced_links_never_go(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    let case_page = format!("/cases/{couple}");
    for position in ["1", "2", "2"] {
        let res = robin
            .submit(
                &case_page,
                "/api/invite_partner",
                &[("couple_id", couple.as_str()), ("position", position)],
            )
            .await;
        assert_eq!(res.status, 302, "{}", res.body);
    }
    let page = robin.get(&case_page).await;
    assert!(
        page.body
            .contains("Trellis is emailing this link to Casey Lee")
    );

    let scheduler = Scheduler::new(&app.config).unwrap();
    let sent = scheduler.round(&app.state.db, Utc::now()).await.unwrap();
    assert_eq!(
        (sent.sent, sent.dropped),
        (2, 1),
        "the replaced link is never sent: {sent:?}"
    );
    let jordan = smtp.to("jordan@example.org");
    let casey = smtp.to("casey@example.org");
    assert_eq!((jordan.len(), casey.len()), (1, 1));
    assert_eq!(casey[0].subject, "Your invitation to Trellis");
    assert!(casey[0].body.contains("Robin Hale has invited you"));

    // The emailed link works, and is the one the counselor saw.
    let link = link_in(&casey[0].body);
    assert!(page.body.contains(&link), "the page shows the same link");
    let mut stranger = app.browser();
    let (_, invitation) = stranger.visit(&link).await;
    assert!(
        invitation.body.contains("Welcome, Casey Lee"),
        "{}",
        invitation.body
    );
    // Nothing of the link stays in the outbox.
    let token = link.rsplit('/').next().unwrap();
    let bodies: Vec<(String,)> = sqlx::query_as("select body from email_outbox")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    assert!(bodies.iter().all(|(b,)| !b.contains(token)));
}

async fn the_background_task_sends_after_a_restart(engine: Engine) {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(engine, &smtp).await;
    let mut robin = counselor(&app, "robin@example.org").await;
    let couple = open_case(&mut robin, &NEW_COUPLE).await;
    robin
        .submit(
            &format!("/cases/{couple}"),
            "/api/invite_partner",
            &[("couple_id", couple.as_str()), ("position", "1")],
        )
        .await;
    // The server queued the email but never sent it (it ran no background task); a new
    // server process on the same database sends it on its own.
    let restarted = another_server(engine, &app, &smtp).await;
    Scheduler::new(&restarted.config).unwrap().spawn(
        restarted.state.clone(),
        std::time::Duration::from_millis(200),
    );
    for _ in 0..100 {
        if !smtp.to("jordan@example.org").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(smtp.to("jordan@example.org").len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(smtp.messages().len(), 1, "sent once, not every round");
}
