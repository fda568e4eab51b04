//! A request to stop a run early: set from elsewhere (the web service when a request's time
//! limit passes or its client goes away), checked by the build between documents and between
//! stages, so a run nobody waits for frees its CPU, its slot and its folder at once.

use crate::diag::{Place, Problem, Problems};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Default)]
pub struct Stop(AtomicBool);

impl Stop {
    pub fn new() -> Stop {
        Stop::default()
    }

    /// Asks the run to stop; it does at its next check.
    pub fn request(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The one problem a stopped run ends with; nothing is kept of it.
    pub fn check(&self) -> Result<(), Problems> {
        if self.requested() {
            Err(Problem::error(Place::Nowhere, "build.stopped", "生成已中止（超出时限或已取消），未生成文书").into())
        } else {
            Ok(())
        }
    }
}
