//! zeren (责任): YAML and Excel data about units and their obligations → GB/T 9704 公文 as DOCX.
//!
//! The pipeline, one module per stage, each depending only on those before it:
//! `load` → `plan` → `render` → `markup` → `layout` → `write`; `site` (`Site`: a workspace opened)
//! is the build as one library call over them; `cli` (the command line) and `serve` (the
//! browser) are two doors into `site` and never import each other. `diag` is the one problem type all of them report with.

pub mod cli;
pub mod cn;
pub mod diag;
pub mod embedded;
pub mod input;
pub mod layout;
pub mod load;
pub mod markup;
pub mod model;
pub mod pdf;
pub mod plan;
pub mod render;
pub mod rules;
pub mod serve;
pub mod site;
pub mod stop;
pub mod wordtpl;
pub mod write;
