//! markup: our small XML vocabulary → the `Document` model. Knows no page sizes or fonts.

pub mod document;
pub mod parse;
pub mod vocabulary;

pub use document::*;
pub use parse::{MarkupError, parse};
