//! markup: our small XML vocabulary → the `Document` model. Knows no page sizes or fonts.

pub mod document;
mod forms;
pub mod limits;
pub mod parse;
mod tree;
pub mod vocabulary;

pub use document::*;
pub use limits::Cap;
pub use parse::{MarkupError, MarkupErrorKind, parse};
