//! zeren (责任): YAML and Excel data about units and their obligations → GB/T 9704 公文 as DOCX.
//!
//! The pipeline, one module per stage, each depending only on those before it:
//! `load` → `plan` → `render` → `markup` → `layout` → `write`; `build` is the run as one library
//! call over them; `cli` (the command line) and `serve` (the browser) are two doors into `build`
//! and never import each other. `diag` is the one problem type all of them report with.

pub mod build;
pub mod cli;
pub mod cn;
pub mod diag;
pub mod embedded;
pub mod layout;
pub mod load;
pub mod markup;
pub mod model;
pub mod pdf;
pub mod plan;
pub mod render;
pub mod rules;
pub mod serve;
pub mod stop;
pub mod write;
