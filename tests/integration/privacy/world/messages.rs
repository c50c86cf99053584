//! Secure messages in every state of the model, each sent through the product by the person
//! who writes it, carrying its marker.

use super::{World, scalar};
use crate::privacy::model::Actor::*;

impl World<'_> {
    pub(super) async fn write_messages(&mut self) {
        let couple = self.ids["couple"].clone();
        let other = self.ids["other_couple"].clone();
        let second = self.ids["second_couple"].clone();
        let c = couple.as_str();
        // Jordan writes to Robin privately and Robin replies; Casey writes privately too.
        self.ok(
            PartnerA,
            "send_message",
            &[("couple_id", c), ("body", "ZMSGA9Q")],
        )
        .await;
        self.ok(
            Counselor,
            "reply_message",
            &[("couple_id", c), ("thread", "1"), ("body", "ZMSGREPLYA9Q")],
        )
        .await;
        self.ok(
            PartnerB,
            "send_message",
            &[("couple_id", c), ("body", "ZMSGB9Q")],
        )
        .await;
        // Robin opens the couple's joint thread; Casey and Robin write in it.
        self.ok(Counselor, "open_joint_thread", &[("couple_id", c)])
            .await;
        self.ok(
            PartnerB,
            "send_message",
            &[
                ("couple_id", c),
                ("thread", "joint"),
                ("body", "ZMSGJOINT9Q"),
            ],
        )
        .await;
        self.ok(
            Counselor,
            "reply_message",
            &[
                ("couple_id", c),
                ("thread", "joint"),
                ("body", "ZMSGJOINTC9Q"),
            ],
        )
        .await;
        // Jordan sends a message and takes it back at once: its words are gone.
        self.ok(
            PartnerA,
            "send_message",
            &[("couple_id", c), ("body", "ZMSGRETRACTED9Q")],
        )
        .await;
        let retracted = scalar(
            self.app,
            "select message_id from message where body = $1",
            "ZMSGRETRACTED9Q",
        )
        .await;
        self.ok(
            PartnerA,
            "retract_message",
            &[("message_id", retracted.as_str())],
        )
        .await;
        // Riley writes to Robin in their couple with Quinn.
        self.ok(
            DualPartner,
            "send_message",
            &[("couple_id", second.as_str()), ("body", "ZMSGDUAL9Q")],
        )
        .await;
        // Pat & Riley's joint thread, opened by Dana.
        self.ok(
            OtherCounselor,
            "open_joint_thread",
            &[("couple_id", other.as_str())],
        )
        .await;
        self.ok(
            OtherPartner,
            "send_message",
            &[
                ("couple_id", other.as_str()),
                ("thread", "joint"),
                ("body", "ZMSGPAT9Q"),
            ],
        )
        .await;
    }
}
