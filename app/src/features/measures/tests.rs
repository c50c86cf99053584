//! Scoring of every instrument at its band edges, and what is refused.

use super::instruments::*;

/// Answers summing to `total`, filling items from the first with the top option.
fn answers_for(inst: &Instrument, total: i64) -> Vec<i64> {
    let mut left = total;
    let answers: Vec<i64> = (0..inst.items.len())
        .map(|_| {
            let a = left.min(inst.top_option());
            left -= a;
            a
        })
        .collect();
    assert_eq!(left, 0, "{} cannot reach {total}", inst.name);
    answers
}

fn band_of(inst: &Instrument, total: i64) -> String {
    inst.score(&answers_for(inst, total)).unwrap().band
}

#[test]
fn item_counts_options_and_max() {
    assert_eq!(PHQ9.items.len(), 9);
    assert_eq!(GAD7.items.len(), 7);
    assert_eq!(PCL5.items.len(), 20);
    for inst in ALL {
        assert_eq!(inst.max, inst.items.len() as i64 * inst.top_option());
        let values: Vec<i64> = inst.options.iter().map(|c| c.value).collect();
        assert_eq!(values, (0..=inst.top_option()).collect::<Vec<_>>());
        assert!(inst.items.iter().all(|t| !t.trim().is_empty()));
    }
    assert_eq!(PHQ9.top_option(), 3);
    assert_eq!(PCL5.top_option(), 4);
    assert_eq!(PHQ9.follow_up.map(|f| f.options.len()), Some(4));
}

#[test]
fn band_edges() {
    let phq = [
        (0, 4, "None or minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 19, "Moderately severe"),
        (20, 27, "Severe"),
    ];
    let gad = [
        (0, 4, "Minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 21, "Severe"),
    ];
    for (inst, want) in [(&PHQ9, &phq[..]), (&GAD7, &gad[..])] {
        let got: Vec<_> = inst.bands.iter().map(|b| (b.min, b.max, b.label)).collect();
        assert_eq!(got, want);
        // Both edges of every band (4/5, 9/10, ...), scored from real answer sets.
        for &(min, max, label) in want {
            assert_eq!(band_of(inst, min), label, "{} total {min}", inst.name);
            assert_eq!(band_of(inst, max), label, "{} total {max}", inst.name);
        }
    }
}

#[test]
fn totals_at_zero_and_max() {
    for inst in ALL {
        let zero = vec![0; inst.items.len()];
        assert_eq!(inst.score(&zero).unwrap().total, 0);
        let top = vec![inst.top_option(); inst.items.len()];
        assert_eq!(inst.score(&top).unwrap().total, inst.max);
    }
}

#[test]
fn wrong_length_rejected() {
    for inst in ALL {
        let n = inst.items.len();
        for len in [0, n - 1, n + 1] {
            let err = inst.score(&vec![0; len]).unwrap_err();
            assert_eq!(
                err,
                ScoreError::WrongCount {
                    expected: n,
                    got: len
                }
            );
            assert!(err.to_string().starts_with("Answer every question"));
        }
    }
}

#[test]
fn out_of_range_rejected() {
    for inst in ALL {
        let top = inst.top_option();
        for bad in [-1, top + 1] {
            let mut answers = vec![0; inst.items.len()];
            answers[2] = bad;
            let err = inst.score(&answers).unwrap_err();
            assert_eq!(
                err,
                ScoreError::OutOfRange {
                    question: 3,
                    value: bad,
                    max: top
                }
            );
            assert!(err.to_string().contains("question 3"));
        }
    }
}

#[test]
fn phq9_item_9_sets_the_safety_flag() {
    assert_eq!(PHQ9.safety_item, Some(8));
    assert!(PHQ9.items[8].starts_with("Thoughts that you would be better off dead"));
    let mut answers = vec![3; 8];
    answers.push(0);
    assert!(!PHQ9.needs_safety_flag(&answers));
    assert!(!PHQ9.score(&answers).unwrap().safety_flag);
    answers[8] = 1;
    assert!(PHQ9.needs_safety_flag(&answers));
    assert!(PHQ9.score(&answers).unwrap().safety_flag);
    // Still flagged when the rest of the set is unfinished or invalid.
    assert!(PHQ9.needs_safety_flag(&[9, 0, 0, 0, 0, 0, 0, 0, 2]));
    assert!(!PHQ9.needs_safety_flag(&[0, 0]));
}

#[test]
fn gad7_and_pcl5_have_no_safety_item() {
    for inst in [&GAD7, &PCL5] {
        assert_eq!(inst.safety_item, None);
        let top = vec![inst.top_option(); inst.items.len()];
        assert!(!inst.needs_safety_flag(&top));
        assert!(!inst.score(&top).unwrap().safety_flag);
    }
}

#[test]
fn bands_cover_every_total_once() {
    for inst in ALL {
        for total in 0..=inst.max {
            let hits = inst
                .bands
                .iter()
                .filter(|b| (b.min..=b.max).contains(&total))
                .count();
            assert_eq!(hits, 1, "{} total {total}", inst.name);
        }
        assert!(inst.bands.windows(2).all(|w| w[0].max + 1 == w[1].min));
        assert_eq!(inst.band(-1), None);
        assert_eq!(inst.band(inst.max + 1), None);
    }
}

#[test]
fn lookup_by_key() {
    for inst in ALL {
        assert_eq!(by_key(inst.key).map(|i| i.name), Some(inst.name));
    }
    assert_eq!(by_key("phq9").map(|i| i.max), Some(27));
    assert!(by_key("PHQ9").is_none());
}

mod due {
    use crate::features::measures::Frequency;

    const DAY: i64 = 24 * 60 * 60 * 1000;
    const NOW: i64 = 1_000 * DAY;

    #[test]
    fn a_repeating_measure_is_due_when_never_answered_or_its_interval_has_passed() {
        let weekly = Frequency::EveryDays(7);
        assert!(weekly.due(None, (None, None), NOW));
        assert!(!weekly.due(Some(NOW - 6 * DAY), (None, None), NOW));
        // Half a day early: answered a week ago in the evening, due this morning.
        assert!(weekly.due(Some(NOW - 7 * DAY + DAY / 3), (None, None), NOW));
        assert!(!weekly.due(Some(NOW - 6 * DAY - DAY / 3), (None, None), NOW));
        assert!(Frequency::EveryDays(28).due(Some(NOW - 28 * DAY), (None, None), NOW));
    }

    #[test]
    fn before_each_session_is_due_once_in_the_week_before_the_next_session() {
        let before = Frequency::BeforeEachSession;
        // No session coming, or none within a week: not due.
        assert!(!before.due(None, (None, None), NOW));
        assert!(!before.due(None, (None, Some(NOW + 8 * DAY)), NOW));
        // A session in three days, never answered: due.
        assert!(before.due(None, (None, Some(NOW + 3 * DAY)), NOW));
        // Answered yesterday for it: not due.
        assert!(!before.due(Some(NOW - DAY), (None, Some(NOW + 3 * DAY)), NOW));
        // Answered before last week's session (two days ago): that counted for it.
        assert!(before.due(
            Some(NOW - 3 * DAY),
            (Some(NOW - 2 * DAY), Some(NOW + 5 * DAY)),
            NOW
        ));
        // Answered after it: counts for the next one.
        assert!(!before.due(
            Some(NOW - DAY),
            (Some(NOW - 2 * DAY), Some(NOW + 5 * DAY)),
            NOW
        ));
    }

    #[test]
    fn frequencies_read_as_a_counselor_says_them_and_store_as_days() {
        let labels: Vec<String> = Frequency::CHOICES.iter().map(|f| f.label()).collect();
        assert_eq!(
            labels,
            [
                "Before each session",
                "Every week",
                "Every 2 weeks",
                "Every 4 weeks"
            ]
        );
        for f in Frequency::CHOICES {
            assert_eq!(Frequency::from_days(f.days()), Some(f));
        }
        assert_eq!(Frequency::from_days(-1), None);
    }
}
