//! The demo couple's messages: a few in Alex's and Sam's private threads with Dr. Hale, and a
//! short joint thread about moving a session. The newest message in each private thread is
//! still unread by the counselor, so the caseload shows it.

use crate::db::{Db, as_of};
use crate::error::AppError;
use crate::features::messages::{JOINT, repo};

/// (thread position, who: 0 the counselor, 1 Alex, 2 Sam, days ago, hours ago, words)
const MESSAGES: &[(i64, usize, i64, i64, &str)] = &[
    (
        JOINT,
        0,
        14,
        0,
        "I've opened this thread for the two of you and me, for practical \
        things between sessions: moving a session, a reading to share. Anything you would \
        like to raise with me alone belongs in your own private thread.",
    ),
    (
        JOINT,
        2,
        13,
        20,
        "Thank you. Could we move next week's session to the evening? The \
        children have a school concert in the afternoon.",
    ),
    (JOINT, 1, 13, 18, "Evening works for me too."),
    (
        JOINT,
        0,
        12,
        22,
        "Done: next Thursday at 18:00. See you both then.",
    ),
    (
        1,
        1,
        9,
        6,
        "I keep wanting to explain myself when Sam brings up the work trip in March. \
        I know it comes out as defending. Can we work on that on Thursday?",
    ),
    (
        1,
        0,
        9,
        3,
        "Thank you for noticing that, Alex. Yes, let's start there. Until then, try \
        the pause we practised: say \u{201c}I hear you\u{201d}, and wait before you explain.",
    ),
    (
        2,
        2,
        5,
        10,
        "I checked Alex's phone again on Saturday. I told Alex afterwards, like we \
        agreed. I felt awful, but I'm glad I said it.",
    ),
    (
        2,
        0,
        4,
        20,
        "Telling Alex was the hard part, and you did it. On Thursday we'll look at \
        what came just before the urge. You're not doing this wrong.",
    ),
    (
        1,
        1,
        1,
        4,
        "The pause worked twice this week. Once it didn't, and I went quiet instead. \
        Is that better or worse?",
    ),
    (
        2,
        2,
        0,
        3,
        "Could we keep some time on Thursday for our anniversary coming up? It is the \
        first one since I found out.",
    ),
];

pub(super) async fn seed_messages(
    db: &Db,
    couple_id: &str,
    counselor: &str,
    [alex, sam]: [&str; 2],
) -> Result<(), AppError> {
    as_of(14, 1, repo::open_joint(db, couple_id, counselor, None)).await?;
    for (position, who, days, hours, body) in MESSAGES {
        let (user, author) = match who {
            1 => (alex, "partner_1"),
            2 => (sam, "partner_2"),
            _ => (counselor, "counselor"),
        };
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let send = repo::send(db, couple_id, *position, user, author, &body, None);
        as_of(*days, *hours, send).await?;
    }
    // Both partners have read everything in their threads; the counselor has read up to
    // their own replies (their newest messages from Alex and Sam wait for them).
    for (position, user) in [(JOINT, alex), (JOINT, sam), (1, alex), (2, sam)] {
        let Some(thread) = repo::thread_id(db, couple_id, position).await? else {
            continue;
        };
        let newest = crate::db::now_ms();
        let read = repo::mark_read(db, couple_id, position, &thread, user, newest, true, None);
        as_of(0, 1, read).await?;
    }
    Ok(())
}
