//! Sending: each email exactly once, also by several servers sharing one database; an email
//! waits out a mail-server outage and goes after a restart; a replaced invitation link is
//! never sent.

use super::{another_server, app_with_mail, homework, today, today_at};
use crate::actions::{Partner, Partners, Repeat, assign, invite_partner, open_case, token_of};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::practice::{NEW_COUPLE, counselor, practice};
use crate::smtp::SmtpServer;
use chrono::{Duration, Utc};
use server::mail::Scheduler;

both_engines!(
    several_servers_send_each_email_exactly_once,
    an_email_waits_out_a_mail_server_outage,
    invitation_links_are_emailed_and_replaced_links_never_go,
    the_background_task_sends_after_a_restart,
);

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
                Partners::Both,
                &homework(&format!("Exercise {i}"), tomorrow, Repeat::Once),
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
    for copy in &copies {
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
pub(super) async fn futures_join_all<F: std::future::Future>(
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
        Partners::Only(Partner::First),
        &homework("Letter", tomorrow, Repeat::Once),
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
    assert!(mail[0].body.contains(&copies[0]));
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
    let case_page = format!("/cases/{couple}/partners");
    for partner in [Partner::First, Partner::Second, Partner::Second] {
        invite_partner(&mut robin, &couple, partner).await;
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
    let token = token_of(&link);
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
    invite_partner(&mut robin, &couple, Partner::First).await;
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
