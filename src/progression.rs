//! Progress bars on standard error, for the stages that can take more than a
//! second (reading large exports, computing over millions of rows). Drawn only
//! on a terminal, never with `--quiet`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static SILENCE: AtomicBool = AtomicBool::new(false);

/// Silences every progress bar (`--quiet`).
pub fn silence() {
    SILENCE.store(true, Ordering::Relaxed);
}

fn cible() -> ProgressDrawTarget {
    if SILENCE.load(Ordering::Relaxed) {
        ProgressDrawTarget::hidden()
    } else {
        // Hidden by indicatif itself when standard error is not a terminal.
        ProgressDrawTarget::stderr()
    }
}

/// A bar over `total` bytes, titled `message`.
pub fn octets(total: u64, message: &str) -> ProgressBar {
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {percent} % ({eta} restantes)")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    ProgressBar::with_draw_target(Some(total), cible())
        .with_style(style)
        .with_message(message.to_string())
}

/// A spinner for a stage whose length is not known, titled `message`.
pub fn attente(message: &str) -> ProgressBar {
    let p = ProgressBar::with_draw_target(None, cible())
        .with_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        )
        .with_message(message.to_string());
    p.enable_steady_tick(Duration::from_millis(120));
    p
}
