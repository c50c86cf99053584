//! The dashboard's counts kept on each couple's row (migration 0030's triggers), checked
//! against counting afresh.

use super::TestApp;

impl TestApp {
    /// Fails when any couple's caseload counts, kept on its row by migration 0030's triggers,
    /// differ from counting afresh the way the dashboard once did (so a write path, or a
    /// later migration that rebuilt a table and lost its triggers, cannot leave them stale).
    /// Returns how many couples have something counted, so a caller can show the check
    /// compared more than zeros.
    pub async fn assert_caseload_counts_current(&self) -> i64 {
        let stale: Vec<(String, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "select couple_id, awaiting_review, awaiting, open_flags, flags, \
               counselor_unread, unread from (select c.couple_id, c.awaiting_review, \
               (select count(*) from assignment a where a.couple_id = c.couple_id \
                 and a.cancelled_at is null \
                 and a.submitted_version > a.reviewed_version) as awaiting, \
               c.open_flags, (select count(*) from safety_flag f \
                 where f.couple_id = c.couple_id and f.acknowledged_at is null) as flags, \
               c.counselor_unread, (select count(*) from message m join message_thread t \
                 on t.message_thread_id = m.message_thread_id left join message_read r \
                 on r.message_thread_id = t.message_thread_id \
                 and r.app_user_id = c.counselor_id \
                 where t.couple_id = c.couple_id and m.author_user_id <> c.counselor_id \
                 and m.retracted_at is null \
                 and m.sent_at > coalesce(r.read_up_to, 0)) as unread \
             from couple c) x \
             where awaiting_review <> awaiting or open_flags <> flags \
               or counselor_unread <> unread",
        )
        .fetch_all(self.state.db.pool())
        .await
        .expect("the caseload counts");
        assert!(
            stale.is_empty(),
            "kept counts (awaiting, flags, unread) differ from fresh ones: {stale:?}"
        );
        sqlx::query_scalar(
            "select count(*) from couple \
             where awaiting_review + open_flags + counselor_unread > 0",
        )
        .fetch_one(self.state.db.pool())
        .await
        .expect("the caseload counts")
    }
}
