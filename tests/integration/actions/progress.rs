//! A partner's weekly check-in, and the small wins a couple shares.

use super::lands_on;
use crate::helpers::{Browser, TestApp};

/// What a partner answers on the check-in form: the four relationship questions (CSI-4),
/// trust and hope (0-10), two optional texts, whether to share the texts with their partner,
/// the private safety question, and how each agreement was kept (agreement id, answer).
#[derive(Clone)]
pub struct CheckIn<'a> {
    pub csi: [&'a str; 4],
    pub trust: &'a str,
    pub hope: &'a str,
    pub went_well: &'a str,
    /// Sent only when set (a form opened by a browser sends it, empty or not).
    pub was_hard: Option<&'a str>,
    pub share: bool,
    pub safety: &'a str,
    pub kept: &'a [(String, &'a str)],
}

impl CheckIn<'_> {
    /// Middling answers, nothing written, nothing shared, safe at home, no agreements.
    pub const PLAIN: CheckIn<'static> = CheckIn {
        csi: ["3", "3", "3", "3"],
        trust: "5",
        hope: "5",
        went_well: "",
        was_hard: None,
        share: false,
        safety: "safe",
        kept: &[],
    };

    /// The form's fields, as a browser sends them.
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut form: Vec<(String, String)> = vec![];
        for (n, answer) in self.csi.iter().enumerate() {
            form.push((format!("csi[{}]", n + 1), answer.to_string()));
        }
        form.push(("trust".into(), self.trust.into()));
        form.push(("hope".into(), self.hope.into()));
        form.push(("text[went_well]".into(), self.went_well.into()));
        if let Some(was_hard) = self.was_hard {
            form.push(("text[was_hard]".into(), was_hard.into()));
        }
        form.push(("safety".into(), self.safety.into()));
        if self.share {
            form.push(("share_text".into(), "on".into()));
        }
        for (agreement, answer) in self.kept {
            form.push((format!("kept[agreement-{agreement}]"), answer.to_string()));
        }
        form
    }
}

/// A partner fills in the check-in form and sends it, and it is saved.
pub async fn check_in(b: &mut Browser, answers: &CheckIn<'_>) {
    let fields = answers.fields();
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = b.submit("/check-in", "/api/submit_check_in", &form).await;
    lands_on(&res, "/check-in?done=1");
}

/// A partner posts a small win on their home page, for their partner and counselor to see;
/// returns its id.
/// Every couple's small wins wall opened, as their counselors would have (the counselor's
/// switch and the practice's step are tested in `progress.rs`).
pub async fn open_wins_walls(app: &TestApp) {
    sqlx::query("update couple set wins_wall = 'on' where wins_wall is null")
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

/// A partner posts a small win (the walls opened first).
pub async fn post_win(app: &TestApp, b: &mut Browser, body: &str) -> String {
    open_wins_walls(app).await;
    let res = b.submit("/", "/api/post_win", &[("body", body)]).await;
    lands_on(&res, "/?win=1#wins");
    sqlx::query_scalar("select small_win_id from small_win where body = $1")
        .bind(body)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}
