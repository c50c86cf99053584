//! Homework pages: the counselor's board and assign page, the partner's list and answer
//! page, and the counselor's review page.

mod answer;
mod autosave;
mod counselor;
mod joint;

pub use answer::{AnswersView, HomeworkAnswerPage, PartnerHomeworkList};
pub use counselor::{AssignPage, AssignmentPage, HomeworkBoard, ReviewQueuePage};
pub use joint::JointWorkPage;

/// "Due 3 Dec", "Due today", "Overdue since 1 Dec".
pub fn due_phrase(due: Option<chrono::NaiveDate>, overdue: bool) -> String {
    let today = chrono::Utc::now().date_naive();
    match due {
        None => "No due date".into(),
        Some(d) if overdue => format!("Overdue since {}", d.format("%-d %b")),
        Some(d) if d == today => "Due today".into(),
        Some(d) => format!("Due {}", d.format("%-d %b")),
    }
}
