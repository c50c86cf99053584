//! Every page finishes: a server-rendered page that waits on data never stalls half-sent,
//! however many people load it at once. (A data source created inside another's `Suspense`
//! made a fraction of the counselor's Settings and the administrator's home hang forever.)

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, TestApp};
use app::auth::Role;
use std::time::Duration;

both_engines!(pages_with_several_data_sources_always_finish_under_load);

/// How many times each page is loaded, all at once.
const LOADS: usize = 60;

async fn pages_with_several_data_sources_always_finish_under_load(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut pages = Vec::new();
    for (role, name, email, paths) in [
        (
            Role::Admin,
            "Ada Admin",
            "ada@example.org",
            &["/", "/settings"][..],
        ),
        (
            Role::Counselor,
            "Cora Counselor",
            "cora@example.org",
            &["/", "/settings", "/agenda"][..],
        ),
        (
            Role::Partner,
            "Alex Partner",
            "alex@example.org",
            // Not yet on a case, so without a home page.
            &["/settings"][..],
        ),
    ] {
        app.create_user(role, name, email).await;
        let mut b = app.browser();
        b.sign_in(email, PASSWORD).await;
        let first = b.get("/settings").await;
        assert_eq!(first.status, 200, "{email} opens Settings");
        let cookie = format!("trellis_session={}", b.session_cookie().unwrap());
        for path in paths {
            pages.push((email, *path, cookie.clone()));
        }
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut loads = tokio::task::JoinSet::new();
    for _ in 0..LOADS {
        for (email, path, cookie) in &pages {
            let req = client
                .get(format!("{}{path}", app.base))
                .header("cookie", cookie.as_str());
            let what = format!("{email} {path}");
            loads.spawn(async move {
                // Generous for a loaded 2-core machine; a stalled page never ends at all.
                let res = tokio::time::timeout(Duration::from_secs(60), async {
                    let res = req.send().await?;
                    let status = res.status().as_u16();
                    Ok::<_, reqwest::Error>((status, res.text().await?))
                })
                .await;
                (what, res)
            });
        }
    }
    let mut finished = 0;
    while let Some(done) = loads.join_next().await {
        let (what, res) = done.unwrap();
        let (status, body) = res
            .unwrap_or_else(|_| panic!("{what}: the page never finished"))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(status, 200, "{what}");
        assert!(
            body.contains("</html>") && body.contains("__INCOMPLETE_CHUNKS"),
            "{what}: the page stopped part-way: …{}",
            &body[body.len().saturating_sub(200)..]
        );
        finished += 1;
    }
    assert_eq!(finished, LOADS * pages.len());
}
