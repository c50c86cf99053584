//! Standard measures (PHQ-9, GAD-7, PCL-5) that partners answer in the check-in flow, and
//! their scores over time.

pub mod instruments;
/// The PCL-5's items and cluster subscores, split out of `instruments` for length.
pub mod pcl5;
#[cfg(test)]
mod tests;
