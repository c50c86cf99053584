//! Work done together: the counselor sends step 2's "How we'll handle hard feelings" to
//! Jordan & Casey. Jordan saves a first version, Casey changes it, and Jordan, still on the
//! first version's page, saves words that cross Casey's (kept for Jordan alone). A second
//! piece is written and then cancelled. Dana sends the same exercise to Pat & Riley, who
//! write theirs.

use super::{World, scalar};
use crate::privacy::model::Actor::{self, *};

impl World<'_> {
    /// Sends the built-in joint exercise to a couple; its id.
    async fn send_together(&mut self, counselor: Actor, couple: &str, title: &str) -> String {
        let template = scalar(
            self.app,
            "select exercise_template_id from exercise_template where builtin_key = $1",
            "s2-hard-feelings-agreement",
        )
        .await;
        self.ok(
            counselor,
            "assign_homework",
            &[
                ("couple_id", couple),
                ("template_id", template.as_str()),
                ("recipients", "both"),
                ("title", title),
                ("instructions", "Together, before our next session."),
            ],
        )
        .await;
        scalar(
            self.app,
            "select joint_work_id from joint_work where title = $1",
            title,
        )
        .await
    }

    async fn save_together(&mut self, actor: Actor, joint: &str, base: &str, words: &str) {
        self.ok(
            actor,
            "save_joint",
            &[
                ("joint_id", joint),
                ("answers[pause_signal]", words),
                ("base_version", base),
                ("intent", "save"),
            ],
        )
        .await;
    }

    pub(super) async fn write_together(&mut self) {
        let couple = self.ids["couple"].clone();
        let other = self.ids["other_couple"].clone();
        let joint = self
            .send_together(Counselor, &couple, "Hard feelings, together")
            .await;
        self.save_together(PartnerA, &joint, "0", "A hand up. ZJOINTV1A9Q")
            .await;
        self.save_together(PartnerB, &joint, "1", "We say pause. ZJOINTV2B9Q")
            .await;
        // Jordan's page still showed version 1: nothing is overwritten, Jordan's words wait.
        let crossed = self
            .browser(PartnerA)
            .call(
                "/api/save_joint",
                &[
                    ("joint_id", joint.as_str()),
                    ("answers[pause_signal]", "A bell. ZJOINTCROSS9Q"),
                    ("base_version", "1"),
                    ("intent", "save"),
                ],
            )
            .await;
        assert_eq!(crossed.status, 409, "{}", crossed.body);
        self.ids.insert("joint", joint);

        let cancelled = self
            .send_together(Counselor, &couple, "Hard feelings, cancelled")
            .await;
        self.save_together(PartnerB, &cancelled, "0", "Later. ZJOINTCANCEL9Q")
            .await;
        self.ok(
            Counselor,
            "cancel_joint",
            &[("joint_id", cancelled.as_str())],
        )
        .await;

        let theirs = self
            .send_together(OtherCounselor, &other, "Hard feelings, Pat and Riley")
            .await;
        self.save_together(OtherPartner, &theirs, "0", "Time out. ZJOINTPAT9Q")
            .await;
    }
}
