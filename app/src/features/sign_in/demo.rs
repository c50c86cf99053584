//! The demo practice's accounts as the sign-in page lists them (and the demo seeder creates
//! them), shown only when the demo practice is on and was seeded.

use super::DemoAccount;
use crate::auth::Role;
use crate::db::Db;
use crate::db::get_setting;
use crate::error::AppError;

pub const DEMO_PASSWORD: &str = "trellis-demo";
pub const SEEDED_KEY: &str = "demo_practice";

pub struct DemoPerson {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub who: &'static str,
}

pub const PEOPLE: [DemoPerson; 4] = [
    DemoPerson {
        email: "admin@demo.trellis.test",
        name: "Morgan Ellis",
        role: Role::Admin,
        who: "Practice administrator",
    },
    DemoPerson {
        email: "counselor@demo.trellis.test",
        name: "Dr. Robin Hale",
        role: Role::Counselor,
        who: "Counselor for Alex & Sam",
    },
    DemoPerson {
        email: "alex@demo.trellis.test",
        name: "Alex Rivera",
        role: Role::Partner,
        who: "Partner in the Alex & Sam case",
    },
    DemoPerson {
        email: "sam@demo.trellis.test",
        name: "Sam Rivera",
        role: Role::Partner,
        who: "Partner in the Alex & Sam case",
    },
];

/// The demo accounts, as the sign-in page lists them.
pub fn accounts() -> Vec<DemoAccount> {
    PEOPLE
        .iter()
        .map(|p| DemoAccount {
            email: p.email.to_string(),
            role: p.role,
            who: p.who.to_string(),
        })
        .collect()
}

pub async fn is_seeded(db: &Db) -> Result<bool, AppError> {
    Ok(get_setting(db.pool(), SEEDED_KEY).await?.as_deref() == Some("seeded"))
}
