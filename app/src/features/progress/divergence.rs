//! Divergence that compares like with like. With roles set, the hurt partner is asked how
//! much they trust their partner and the partner who broke trust how much they think they
//! are trusted: two reads of the same thing, whose gap means something. Hope is the same
//! question for both, so a partner's hope turning down while the other's does not means
//! something too. Unlike answers (one partner's trust against the other's) are never
//! compared.

use super::{Point, Scores};
use crate::couple::RuptureRole;

/// How far apart two reads of the same trust must be, two check-ins running.
pub const READ_GAP: i64 = 3;
/// How far a partner's hope or trust must fall over their last three check-ins to count as
/// turning.
pub const TURN: i64 = 2;

/// The trust question a partner is asked, by their part in the rupture.
pub fn trust_question(role: RuptureRole) -> &'static str {
    match role {
        RuptureRole::Hurt => "How much do you trust your partner right now?",
        RuptureRole::BrokeTrust => "How much do you think your partner trusts you right now?",
        RuptureRole::Unspecified => "How much do you trust your partner this week?",
    }
}

/// What the counselor should look at, in words (empty: nothing diverges).
pub fn signals(points: &[Point], roles: [RuptureRole; 2], names: &[String; 2]) -> Vec<String> {
    let mut out = Vec::new();
    let hurt = roles.iter().position(|r| *r == RuptureRole::Hurt);
    let broke = roles.iter().position(|r| *r == RuptureRole::BrokeTrust);
    if let (Some(h), Some(b)) = (hurt, broke) {
        let gaps: Vec<i64> = points
            .iter()
            .filter_map(|p| match (p.partners[h], p.partners[b]) {
                (Some(hs), Some(bs)) => Some(bs.trust - hs.trust),
                _ => None,
            })
            .collect();
        if let [.., before, last] = gaps.as_slice()
            && before.abs() >= READ_GAP
            && last.abs() >= READ_GAP
            && before.signum() == last.signum()
        {
            out.push(format!(
                "Diverging trust reads: {} reads {}'s trust as {} points {} than {} reports, two check-ins running.",
                names[b],
                names[h],
                last.abs(),
                if *last > 0 { "higher" } else { "lower" },
                names[h]
            ));
        }
    }
    let mut turns = vec![("hope", (|s: &Scores| s.hope) as fn(&Scores) -> i64)];
    // Trust is one question for both only when the roles are not set.
    if hurt.is_none() && broke.is_none() {
        turns.push(("trust", |s: &Scores| s.trust));
    }
    for (what, of) in turns {
        let change = |who: usize| -> Option<(i64, i64)> {
            let mine: Vec<i64> = points
                .iter()
                .filter_map(|p| p.partners[who].as_ref().map(of))
                .collect();
            match mine.as_slice() {
                [.., first, _, last] => Some((*first, *last)),
                _ => None,
            }
        };
        if let (Some(a), Some(b)) = (change(0), change(1)) {
            for (who, (from, to), other_change) in [(0, a, b.1 - b.0), (1, b, a.1 - a.0)] {
                if from - to >= TURN && other_change >= 0 {
                    out.push(format!(
                        "{} turning: {}'s {what} has fallen from {from} to {to} over their last three check-ins, while {}'s has not.",
                        if what == "hope" { "Hope" } else { "Trust" },
                        names[who],
                        names[1 - who]
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use RuptureRole::*;

    fn week(a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> Point {
        let s = |(trust, hope): (i64, i64)| Scores {
            csi: None,
            trust,
            hope,
        };
        Point {
            label: String::new(),
            partners: [a.map(s), b.map(s)],
        }
    }

    fn names() -> [String; 2] {
        ["Alex".into(), "Sam".into()]
    }

    const ROLES: [RuptureRole; 2] = [BrokeTrust, Hurt];

    #[test]
    fn reads_of_the_same_trust_diverge_only_two_check_ins_running_and_the_same_way() {
        // Alex thinks Sam trusts him far more than Sam says, twice: a signal.
        let apart = [
            week(Some((7, 6)), Some((3, 6))),
            week(Some((8, 6)), Some((4, 6))),
        ];
        assert_eq!(
            signals(&apart, ROLES, &names()),
            vec![
                "Diverging trust reads: Alex reads Sam's trust as 4 points higher than Sam reports, two check-ins running."
                    .to_string()
            ]
        );
        // Once is not a pattern; nor are gaps that cross over.
        assert!(signals(&apart[1..], ROLES, &names()).is_empty());
        let crossing = [
            week(Some((7, 6)), Some((3, 6))),
            week(Some((2, 6)), Some((6, 6))),
        ];
        assert!(signals(&crossing, ROLES, &names()).is_empty());
        // Close reads: nothing.
        let close = [
            week(Some((4, 6)), Some((3, 6))),
            week(Some((5, 6)), Some((4, 6))),
        ];
        assert!(signals(&close, ROLES, &names()).is_empty());
    }

    #[test]
    fn unlike_answers_are_never_compared() {
        // Roles unset: each answers how much they trust the other. A wide gap between the
        // two is not a read of one thing, and raises nothing.
        let history = [
            week(Some((9, 6)), Some((3, 6))),
            week(Some((9, 6)), Some((2, 6))),
        ];
        assert!(signals(&history, [Unspecified, Unspecified], &names()).is_empty());
    }

    #[test]
    fn a_partner_whose_hope_turns_down_while_the_other_does_not_is_named() {
        let history = [
            week(Some((5, 6)), Some((4, 7))),
            week(Some((5, 6)), Some((4, 6))),
            week(Some((5, 7)), Some((4, 4))),
        ];
        assert_eq!(
            signals(&history, ROLES, &names()),
            vec![
                "Hope turning: Sam's hope has fallen from 7 to 4 over their last three check-ins, while Alex's has not."
                    .to_string()
            ]
        );
        // Both falling together is a shared bad patch, not a divergence.
        let together = [
            week(Some((5, 7)), Some((4, 7))),
            week(Some((5, 6)), Some((4, 6))),
            week(Some((5, 4)), Some((4, 4))),
        ];
        assert!(signals(&together, ROLES, &names()).is_empty());
        // Too few check-ins to see a turn.
        assert!(signals(&history[1..], ROLES, &names()).is_empty());
    }

    #[test]
    fn without_roles_a_turn_in_trust_counts_too() {
        let history = [
            week(Some((7, 6)), Some((6, 6))),
            week(Some((6, 6)), Some((6, 6))),
            week(Some((4, 6)), Some((7, 6))),
        ];
        assert_eq!(
            signals(&history, [Unspecified, Unspecified], &names()),
            vec![
                "Trust turning: Alex's trust has fallen from 7 to 4 over their last three check-ins, while Sam's has not."
                    .to_string()
            ]
        );
    }

    #[test]
    fn each_role_is_asked_its_own_question() {
        assert!(trust_question(Hurt).contains("do you trust your partner"));
        assert!(trust_question(BrokeTrust).contains("think your partner trusts you"));
    }
}
