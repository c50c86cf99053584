//! Password reset links, as every actor: a link made for one account sets that account's
//! password and no one else's, signs the browser that used it in as nobody (whoever was
//! signed in there is signed out), and works once: used again, it is refused and changes
//! nothing.

use super::tables::{changed, table_contents};
use super::world::World;
use super::{ALL, Actor};
use crate::helpers::PASSWORD;

const NEW: &str = "a brand new phrase for the matrix";

async fn hash_of(world: &World<'_>, user_id: &str) -> Option<String> {
    sqlx::query_scalar("select password_hash from app_user where app_user_id = $1")
        .bind(user_id)
        .fetch_one(world.app.state.db.pool())
        .await
        .unwrap()
}

pub async fn check_reset_links(world: &mut World<'_>, failures: &mut Vec<String>) {
    for actor in ALL {
        let token = world.fresh("new_reset_token").await;
        let hash = app::crypto::token::keyed_hash(&world.app.state.auth.session_key, &token);
        let owner: String =
            sqlx::query_scalar("select app_user_id from password_reset where token_hash = $1")
                .bind(&hash)
                .fetch_one(world.app.state.db.pool())
                .await
                .unwrap();
        let own_id = match actor.email() {
            Some(email) => Some(super::world::user_id(world.app, email).await),
            None => None,
        };
        let own_before = match &own_id {
            Some(id) => hash_of(world, id).await,
            None => None,
        };
        let owner_before = hash_of(world, &owner).await;
        let mut b = world.fresh_browser(actor).await;
        let form = [
            ("token", token.as_str()),
            ("password", NEW),
            ("password_confirm", NEW),
        ];
        let res = b.call("/api/reset_password", &form).await;
        let what = format!("reset_password with another account's link, as {actor:?}");
        if !(200..300).contains(&res.status) {
            failures.push(format!("{what}: {} {}", res.status, res.body));
        }
        world.observe(actor, &what, &res.body, failures);
        let me = b.call("/api/current_user", &[]).await;
        if me.body.trim() != "null" {
            failures.push(format!("{what}: still signed in afterwards: {}", me.body));
        }
        if let Some(id) = &own_id
            && hash_of(world, id).await != own_before
        {
            failures.push(format!("{what}: changed the caller's own password"));
        }
        if hash_of(world, &owner).await == owner_before {
            failures.push(format!("{what}: the link's own account kept its password"));
        }
        if let Some(email) = actor.email() {
            let mut again = world.app.browser();
            again.forwarded_for = b.forwarded_for.clone();
            again.sign_in(email, PASSWORD).await;
            if again.session_cookie().is_none() {
                failures.push(format!("{what}: the caller's own password stopped working"));
            }
        }
        // Once only.
        let before = table_contents(world.app).await;
        let form = [
            ("token", token.as_str()),
            ("password", "yet another phrase, never set"),
            ("password_confirm", "yet another phrase, never set"),
        ];
        let mut fresh = world.app.browser();
        let res = fresh.call("/api/reset_password", &form).await;
        let what = format!("a used reset link, again, after {actor:?} used it");
        if res.status != 409 {
            failures.push(format!("{what}: {} {}", res.status, res.body));
        }
        let diff = changed(&before, &table_contents(world.app).await);
        if !diff.is_empty() {
            failures.push(format!("{what}: refused but changed {diff:?}"));
        }
        world.observe(Actor::Anonymous, &what, &res.body, failures);
    }
}
