//! Questionnaires: the counselor chooses a weekly GAD-7 for Jordan and a PHQ-9 every two
//! weeks for Casey; each answers. Answers are numbers, not words: the probes are how the
//! product shows them (the exports' rows, the case page's chart, and for Casey's PHQ-9, whose
//! item 9 raised a flag, the flag and what it says).

use super::{World, scalar};
use crate::privacy::model::Actor::*;

impl World<'_> {
    pub(super) async fn write_measures(&mut self) {
        let couple = self.ids["couple"].clone();
        for (position, key, days) in [("1", "gad7", "7"), ("2", "phq9", "14")] {
            let every = format!("every[{key}]");
            self.ok(
                Counselor,
                "set_measures",
                &[
                    ("couple_id", couple.as_str()),
                    ("position", position),
                    (every.as_str(), days),
                ],
            )
            .await;
        }
        let items: Vec<String> = (1..=9).map(|n| format!("item[{n}]")).collect();
        let gad7: Vec<(&str, &str)> = items[..7].iter().map(|i| (i.as_str(), "2")).collect();
        let mut form = vec![("key", "gad7"), ("couple_id", couple.as_str())];
        form.extend(gad7);
        self.ok(PartnerA, "answer_measure", &form).await;
        let mut form = vec![("key", "phq9"), ("couple_id", couple.as_str())];
        form.extend(items[..8].iter().map(|i| (i.as_str(), "1")));
        form.push((items[8].as_str(), "1"));
        self.ok(PartnerB, "answer_measure", &form).await;
        let flag = scalar(
            self.app,
            "select safety_flag_id from safety_flag where source = 'measure' and couple_id = $1",
            &couple,
        )
        .await;
        for probe in ["\"measure\": \"GAD-7\"", "(GAD-7, 0"] {
            self.probes.push(("ZGAD7A9Q", probe.to_string()));
        }
        for probe in [
            flag,
            "PHQ-9: \u{201c}Several days\u{201d} to item 9".to_string(),
            "\"measure\": \"PHQ-9\"".to_string(),
            "(PHQ-9, 0".to_string(),
        ] {
            self.probes.push(("ZPHQ9B9Q", probe));
        }
    }
}
