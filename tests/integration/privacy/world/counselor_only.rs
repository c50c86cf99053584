//! A counselor-only exercise: Jordan writes step 1's account letter, first trying to share it
//! with Casey by a forged form (refused), then for the counselor alone.

use super::{World, scalar};
use crate::privacy::model::Actor::*;

impl World<'_> {
    pub(super) async fn answer_a_counselor_only_exercise(&mut self) {
        let couple = self.ids["couple"].clone();
        let template = scalar(
            self.app,
            "select exercise_template_id from exercise_template where builtin_key = $1",
            "s1-accountability-letter",
        )
        .await;
        self.ok(
            Counselor,
            "assign_homework",
            &[
                ("couple_id", couple.as_str()),
                ("template_id", template.as_str()),
                ("recipients", "1"),
                ("title", "An account in your own words"),
                ("instructions", "For our next session."),
            ],
        )
        .await;
        let copy = scalar(
            self.app,
            "select assignment_id from assignment where title = $1",
            "An account in your own words",
        )
        .await;
        let answer = |visibility: &'static str| {
            [
                ("assignment_id", copy.clone()),
                ("answers[what_i_did]", "What I did. ZHWONLY9Q".to_string()),
                ("visibility", visibility.to_string()),
                ("intent", "submit".to_string()),
            ]
        };
        let forged = answer("shared");
        let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = self
            .browser(PartnerA)
            .call("/api/save_homework", &forged)
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        let honest = answer("counselor");
        let honest: Vec<(&str, &str)> = honest.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.ok(PartnerA, "save_homework", &honest).await;
    }
}
