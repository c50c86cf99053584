//! The intake questionnaire: Jordan sends an intake, updates it (the first copy is kept for
//! the counselor) and then starts a draft; Casey sends one whose safety answer raises a flag
//! (a choice, not words: it shows as Casey's own ticked answer, and to the counselor as the
//! flag and what it says); Riley sends one in their couple with Quinn.

use super::{World, scalar};
use crate::privacy::model::Actor::{self, *};

/// Reassuring answers to the safety screen.
const SAFE: [(&str, &str); 4] = [
    ("answers[safe_at_home]", "yes"),
    ("answers[hurt_or_threatened]", "no"),
    ("answers[afraid]", "no"),
    ("answers[self_harm]", "no"),
];

impl World<'_> {
    async fn send_intake(&mut self, actor: Actor, couple: &str, brings_you: &str) {
        let mut form = vec![
            ("couple_id", couple),
            ("answers[brings_you]", brings_you),
            ("intent", "submit"),
        ];
        form.extend(SAFE);
        self.ok(actor, "save_intake", &form).await;
    }

    pub(super) async fn write_intakes(&mut self) {
        let couple = self.ids["couple"].clone();
        let second = self.ids["second_couple"].clone();
        self.send_intake(PartnerA, &couple, "ZINTAKEOLD9Q").await;
        self.send_intake(PartnerA, &couple, "ZINTAKEA9Q").await;
        self.ok(
            PartnerA,
            "save_intake",
            &[
                ("couple_id", couple.as_str()),
                ("answers[hopes]", "ZINTAKEDRAFT9Q"),
                ("intent", "draft"),
            ],
        )
        .await;
        self.ok(
            PartnerB,
            "save_intake",
            &[
                ("couple_id", couple.as_str()),
                ("answers[brings_you]", "ZINTAKEB9Q"),
                ("answers[safe_at_home]", "yes"),
                ("answers[hurt_or_threatened]", "no"),
                ("answers[afraid]", "yes"),
                ("answers[self_harm]", "no"),
                ("intent", "submit"),
            ],
        )
        .await;
        let intake = scalar(
            self.app,
            "select intake_id from intake where couple_id = $1 and position = 2",
            &couple,
        )
        .await;
        let flag = scalar(
            self.app,
            "select safety_flag_id from safety_flag where source = 'intake' and source_id = $1",
            &intake,
        )
        .await;
        for probe in [
            flag,
            "Afraid of their partner: Yes".to_string(),
            r#"name="answers[afraid]" value="yes" checked"#.to_string(),
        ] {
            self.probes.push(("ZINTAKESAFETY9Q", probe));
        }
        self.send_intake(DualPartner, &second, "ZINTAKEDUAL9Q")
            .await;
    }
}
