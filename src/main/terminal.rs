//! What the command line shows while it works: warnings, stage times and a
//! progress bar, as the [`Observer`] of a build.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use broadsheet::build::Observer;

/// What the command line shows of a build as it goes: warnings, the stage
/// times with `--timings`, the finer profiling marks with
/// `BROADSHEET_STAGE_TIMES` set, and a progress bar on a terminal.
pub(crate) struct Terminal {
    timings: bool,
    details: bool,
    start: Instant,
    progress: Progress,
}

impl Terminal {
    /// Stage times when `timings`; the progress bar only where `progress`
    /// asks for it (a build) and stderr is a terminal.
    pub(crate) fn new(timings: bool, progress: bool) -> Self {
        Terminal {
            timings,
            details: std::env::var_os("BROADSHEET_STAGE_TIMES").is_some(),
            start: Instant::now(),
            progress: if progress {
                Progress::new()
            } else {
                Progress(None)
            },
        }
    }

    /// Print the time since this observer was made.
    pub(crate) fn total(&self) {
        if self.timings {
            eprintln!("  {:<8} {:>8.1} ms", "total", ms(self.start.elapsed()));
        }
    }
}

/// A duration in milliseconds, as the time lines show it.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Observer for Terminal {
    fn warning(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    fn stage(&self, name: &str, elapsed: Duration) {
        if self.timings {
            eprintln!("  {name:<8} {:>8.1} ms", ms(elapsed));
        }
    }

    fn begin(&self, step: &str) {
        match step {
            "drawing" => self.progress.pages(),
            "writing" => self.progress.finish(),
            _ => self.progress.stage(step),
        }
    }

    fn page_drawn(&self) {
        self.progress.tick();
    }

    fn mark(&self, name: &str, at: Duration) {
        if self.details {
            eprintln!("  {name:<8} {:>8.1} ms", ms(at));
        }
    }

    fn busy(&self, name: &str, busy: Duration, of: Duration) {
        if self.details {
            eprintln!("  {name:<8} {:>8.1} ms busy of {:.1} ms", ms(busy), ms(of));
        }
    }
}

/// A progress bar on stderr for long editions, shown only on a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new() -> Self {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            Progress(Some(bar))
        } else {
            Progress(None)
        }
    }

    fn stage(&self, name: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(name.to_string());
            bar.tick();
        }
    }

    fn pages(&self) {
        if let Some(bar) = &self.0 {
            bar.set_position(0);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} page(s) written")
            {
                bar.set_style(style);
            }
            bar.set_message("composing and writing PDF");
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
