//! The clock that runs the time-based rules ("unacknowledged for 15 minutes", "sync failing for
//! 30 minutes") between syncs: nothing else would notice that time passed.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing::debug;

/// How often the app ticks by default: the thresholds are whole minutes, so an alert comes at
/// most a minute late.
pub const TICK_INTERVAL: Duration = Duration::from_secs(60);

/// Calls a closure every interval on a thread of its own until dropped. The closure does the
/// locking and the call to [`super::Alerting::tick`], since only the app knows how it shares its
/// store between threads.
#[derive(Debug)]
pub struct AlertTimer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl AlertTimer {
    /// Starts ticking; the first tick comes one interval from now.
    pub fn start(
        interval: Duration,
        mut tick: impl FnMut() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("vigil-alert-timer".into())
            .spawn(move || loop {
                match stopped.recv_timeout(interval) {
                    Err(RecvTimeoutError::Timeout) => tick(),
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                        debug!("alert timer stopped");
                        break;
                    }
                }
            })?;
        Ok(AlertTimer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for AlertTimer {
    /// Stops the thread and waits for a tick under way to finish, so no tick outlives the timer.
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    #[test]
    fn the_timer_ticks_until_dropped_and_not_after() {
        let ticks = Arc::new(AtomicUsize::new(0));
        let counter = ticks.clone();
        let timer = AlertTimer::start(Duration::from_millis(10), move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        while ticks.load(Ordering::SeqCst) < 3 {
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(timer);
        let after_drop = ticks.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(ticks.load(Ordering::SeqCst), after_drop);
    }
}
