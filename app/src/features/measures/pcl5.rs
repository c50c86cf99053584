//! The PCL-5 (past-month version, without Criterion A) as data, and its DSM-5 cluster
//! subscores. Kept apart from `instruments.rs` only because its twenty items are long.

use super::instruments::{Band, Choice, Instrument, ScoreError};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The past-month PCL-5 without Criterion A (National Center for PTSD form, 11 April 2018).
/// It has no official severity bands: the two bands only say which side of the provisional
/// cut-point (31-33) a total falls, and are not diagnostic.
pub const PCL5: Instrument = Instrument {
    key: "pcl5",
    name: "PCL-5",
    title: "PTSD Checklist for DSM-5",
    // Kept exact, "circle one of the numbers to the right" included, rather than adapted
    // for a web form: the UI should show each item's numbered options beside it.
    stem: "Below is a list of problems that people sometimes have in response to a very stressful experience. Please read each problem carefully and then circle one of the numbers to the right to indicate how much you have been bothered by that problem in the past month.",
    lead_in: Some("In the past month, how much were you bothered by:"),
    // As on the VA form. Some reprints write "thoughts like:" (9), "or for what happened"
    // (10) or "jumpy, or" (18). Copies differ on straight or curly quotes in 17: straight.
    items: &[
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        "Being \"superalert\" or watchful or on guard?",
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ],
    options: &[
        Choice::new("Not at all", 0),
        Choice::new("A little bit", 1),
        Choice::new("Moderately", 2),
        Choice::new("Quite a bit", 3),
        Choice::new("Extremely", 4),
    ],
    follow_up: None,
    bands: &[
        Band::new(0, 30, "Below the provisional cut-point"),
        Band::new(
            31,
            80,
            "At or above the provisional cut-point of 31-33: a clinician should assess",
        ),
    ],
    bands_note: "The PCL-5 has no official severity bands. The National Center for PTSD \
        suggests 31-33 as a provisional cut-point for probable PTSD; these bands only say \
        which side of it a total falls. They are not diagnostic.",
    citation: "Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP. (2013). The \
        PTSD Checklist for DSM-5 (PCL-5). Scale available from the National Center for PTSD \
        at www.ptsd.va.gov.",
    rights: "A work of the US Government (National Center for PTSD), in the public domain.",
    about: "Twenty questions about how much a very stressful experience has been bothering \
        you over the past month.",
    safety_item: None,
    max: 80,
};

/// The PCL-5's four DSM-5 symptom clusters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cluster {
    B,
    C,
    D,
    E,
}

impl Cluster {
    pub const ALL: [Cluster; 4] = [Cluster::B, Cluster::C, Cluster::D, Cluster::E];

    /// DSM-5's name for the cluster.
    pub fn label(self) -> &'static str {
        match self {
            Cluster::B => "Intrusion",
            Cluster::C => "Avoidance",
            Cluster::D => "Negative alterations in cognitions and mood",
            Cluster::E => "Alterations in arousal and reactivity",
        }
    }

    /// 0-based PCL-5 items: B 1-5, C 6-7, D 8-14, E 15-20 when counted from 1.
    pub fn items(self) -> Range<usize> {
        match self {
            Cluster::B => 0..5,
            Cluster::C => 5..7,
            Cluster::D => 7..14,
            Cluster::E => 14..20,
        }
    }
}

/// One cluster's subtotal out of its maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterScore {
    pub cluster: Cluster,
    pub total: i64,
    pub max: i64,
}

/// The four cluster subtotals (B, C, D, E) of a complete PCL-5 answer set.
pub fn pcl5_clusters(answers: &[i64]) -> Result<[ClusterScore; 4], ScoreError> {
    PCL5.check(answers)?;
    Ok(Cluster::ALL.map(|cluster| {
        let items = cluster.items();
        ClusterScore {
            cluster,
            max: PCL5.top_option() * items.len() as i64,
            total: answers[items].iter().sum(),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The band of `total`, scored from 20 answers that sum to it (4s first).
    fn band_of(total: i64) -> String {
        let answers: Vec<i64> = (0..20).map(|i| (total - 4 * i).clamp(0, 4)).collect();
        PCL5.score(&answers).unwrap().band
    }

    #[test]
    fn pcl5_band_edges() {
        assert_eq!(band_of(0), PCL5.bands[0].label);
        assert_eq!(band_of(30), PCL5.bands[0].label);
        assert_eq!(band_of(31), PCL5.bands[1].label);
        assert_eq!(band_of(80), PCL5.bands[1].label);
        assert!(PCL5.bands[1].label.contains("clinician"));
        assert!(PCL5.bands_note.contains("not diagnostic"));
    }

    #[test]
    fn pcl5_cluster_sums() {
        // Item n (from 1) answered n % 5: B 1+2+3+4+0, C 1+2, D 3+4+0+1+2+3+4, E 0+1+2+3+4+0.
        let answers: Vec<i64> = (1..=20).map(|n| n % 5).collect();
        let clusters = pcl5_clusters(&answers).unwrap();
        let got: Vec<(Cluster, i64, i64)> = clusters
            .iter()
            .map(|c| (c.cluster, c.total, c.max))
            .collect();
        assert_eq!(
            got,
            [
                (Cluster::B, 10, 20),
                (Cluster::C, 3, 8),
                (Cluster::D, 17, 28),
                (Cluster::E, 10, 24)
            ]
        );
        let sum: i64 = clusters.iter().map(|c| c.total).sum();
        assert_eq!(sum, PCL5.score(&answers).unwrap().total);
        assert!(pcl5_clusters(&answers[..19]).is_err());
        // The clusters tile the 20 items in order.
        let ranges: Vec<Range<usize>> = Cluster::ALL.iter().map(|c| c.items()).collect();
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(ranges.last().map(|r| r.end), Some(PCL5.items.len()));
    }
}
