//! What a build reports as it goes, to whoever runs it: stage times,
//! warnings, progress, profiling marks. The trait sits below every stage
//! (it uses no other module) so that composition and export can report to
//! the same observer as the [`crate::build`] that runs them, instead of
//! printing.

use std::time::Duration;

/// Watches a build as it goes. Composition and export run on two threads
/// at once, so the methods take `&self` and an observer must be `Sync`;
/// each has a default that ignores the event, except [`Observer::warning`].
pub trait Observer: Sync {
    /// A warning about an input the user should see (the build goes on).
    fn warning(&self, message: &str);

    /// A stage has ended, `elapsed` after the previous one ended (or after
    /// the build began). The stages of a build are `parse`, `fonts`, then
    /// `compose` (report only) or `compose+export` and `write`.
    fn stage(&self, name: &str, elapsed: Duration) {
        let _ = (name, elapsed);
    }

    /// A step is starting, for a progress display: `reading`, `composing`,
    /// `drawing` (then [`Observer::page_drawn`] for each page), `writing`.
    fn begin(&self, step: &str) {
        let _ = step;
    }

    /// One more page has been drawn into the PDF.
    fn page_drawn(&self) {}

    /// A point inside a stage, `at` after the stage began: a profiling
    /// detail finer than [`Observer::stage`].
    fn mark(&self, name: &str, at: Duration) {
        let _ = (name, at);
    }

    /// A worker was busy for `busy` of the `of` its stage took: a
    /// profiling detail (how much of compose+export went to drawing).
    fn busy(&self, name: &str, busy: Duration, of: Duration) {
        let _ = (name, busy, of);
    }
}

/// An observer that drops every event, warnings included: for tests,
/// benchmarks and callers that read the outcome only.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Observer for Quiet {
    fn warning(&self, _message: &str) {}
}

// Composition runs on a thread of its own: an observer must be shareable
// with it.
const _: () = {
    fn shareable<T: Send>() {}
    #[expect(dead_code, reason = "a compile-time check, never called")]
    fn check() {
        shareable::<&dyn Observer>();
    }
};
