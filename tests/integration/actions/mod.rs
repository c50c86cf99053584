//! What people do in Trellis, one function per action, done the way a person does it: through
//! the product's own forms, sent as a browser with JavaScript off sends them. Where the
//! product answers with a redirect that does not name what it made (homework, a goal, an
//! agreement), the new row's id is read back with SQL, the only SQL here. An action named for
//! what a person achieves (`assign`, `schedule`, `join`...) checks that it worked, so a test
//! built on it fails where the building went wrong; the few that send a form as it is
//! (`save_homework`, `save_note`, `save_and_sign`, `write_agreement`, `accept_invitation`) return
//! the answer for the test to examine.

mod agreements;
mod cases;
mod consent;
mod homework;
mod progress;
mod sessions;
mod together;

use crate::helpers::Page;

pub use agreements::{new_agreement, propose_agreement, write_agreement};
pub use cases::{
    accept_invitation, invite_partner, join, links_on, move_to_step, open_case, path_of, token_of,
};
pub use consent::consent_version_on;
pub use homework::{
    Homework, Intent, Repeat, Visibility, answer, assign, assign_exercise_to_both,
    exercise_for_both, review, save_homework,
};
pub use progress::{CheckIn, check_in, open_wins_walls, post_win};
pub use sessions::{
    NoteKind, Template, add_goal, save_and_sign, save_note, schedule, set_supervision, start_note,
    tomorrow_at,
};
pub use together::{call_together, save_together, send_together};

/// One partner of a couple, by position (the first partner is partner 1 on the case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partner {
    First,
    Second,
}

impl Partner {
    pub fn position(self) -> i64 {
        match self {
            Partner::First => 1,
            Partner::Second => 2,
        }
    }
}

/// Whom something is for: homework's recipients, a session's attendees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partners {
    Both,
    Only(Partner),
}

impl Partners {
    /// How many partners that is (one copy of homework each).
    pub fn count(self) -> usize {
        match self {
            Partners::Both => 2,
            Partners::Only(_) => 1,
        }
    }
}

/// Checks that a form post was accepted: the browser is sent on to `to`.
fn lands_on(res: &Page, to: &str) {
    assert_eq!(
        res.location.as_deref(),
        Some(to),
        "expected to land on {to}: {} {}",
        res.status,
        res.body
    );
}
