//! Server functions for homework: the counselor's side in `counselor`, the partner's in
//! `partner`, work done together in `joint`. Partners reach only their own copies; counselors only their couples'. Anything
//! else is "not found".

mod counselor;
mod joint;
mod partner;

pub use counselor::*;
pub use joint::*;
pub use partner::*;
