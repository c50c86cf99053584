//! Safety items in homework: Casey ticks "Feeling unsafe" in step 7's "Support for me", which
//! raises a flag. The tick is a choice, not words: it shows as Casey's own ticked box, and to
//! the counselor as the flag and what it says.

use super::{World, scalar};
use crate::privacy::model::Actor::*;

impl World<'_> {
    pub(super) async fn tick_a_safety_item(&mut self) {
        let couple = self.ids["couple"].clone();
        let template = scalar(
            self.app,
            "select exercise_template_id from exercise_template where builtin_key = $1",
            "s7-support-for-me",
        )
        .await;
        let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
        self.ok(
            Counselor,
            "assign_homework",
            &[
                ("couple_id", couple.as_str()),
                ("template_id", template.as_str()),
                ("recipients", "2"),
                ("title", "Support for me"),
                ("instructions", "On your own, when you have a quiet moment."),
                ("due_on", &due),
            ],
        )
        .await;
        let copy = scalar(
            self.app,
            "select assignment_id from assignment where title = $1",
            "Support for me",
        )
        .await;
        self.ok(
            PartnerB,
            "save_homework",
            &[
                ("assignment_id", copy.as_str()),
                ("answers[support_needed]", "Time to myself."),
                ("answers[struggling-5]", "on"),
                ("visibility", "counselor"),
                ("intent", "submit"),
            ],
        )
        .await;
        let flag = scalar(
            self.app,
            "select safety_flag_id from safety_flag where source = 'homework' and source_id = $1",
            &copy,
        )
        .await;
        for probe in [
            flag,
            "ticked \u{201c}Feeling unsafe\u{201d}".to_string(),
            r#"name="answers[struggling-5]" value="on" checked"#.to_string(),
        ] {
            self.probes.push(("ZHWSAFETY9Q", probe));
        }
        self.ids.insert("assignment_safety", copy);
    }
}
