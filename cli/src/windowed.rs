//! A stream checker over a window of positions, and how far it has got:
//! what a Kafka member keeps per partition and the outbox reader keeps for
//! its table. A reader that takes a stream over replays the window before
//! its start silently and so holds exactly the state its predecessor had.

use evcat::ir::Catalog;
use evcat::stream::{Finding, Positions, StreamChecker};

/// The window: each record is compared with the records of its partition
/// from the start of the previous epoch of `window` offsets on (between
/// `window` and `2 × window` records before it). Epochs start at offsets
/// that are multiples of `window`, so a member that takes the partition over
/// rebuilds exactly the state its predecessor had by replaying from
/// [`replay_start`].
pub struct WindowedChecker {
    checker: StreamChecker<'static>,
    window: u64,
    /// The epoch the checker's state was last trimmed for.
    epoch: u64,
    /// Records below this offset were checked and reported by an earlier
    /// owner of the partition: they are replayed into the state silently.
    replay_until: i64,
    /// The offset after the last record checked: what to commit.
    pub next: Option<i64>,
    /// `next` when it was last committed.
    pub committed: Option<i64>,
}

/// Where a member that takes a partition over starts reading, when the
/// group had committed `committed`: the start of the epoch before the one
/// `committed` falls in.
pub fn replay_start(committed: i64, window: u64) -> i64 {
    let window = window.max(1) as i64;
    (committed / window).saturating_sub(1).max(0) * window
}

impl WindowedChecker {
    /// A stream read from `start`, of which the records before
    /// `replay_until` were reported before (none if it is `start`);
    /// findings name earlier records by `positions`.
    pub fn new(
        catalog: &'static Catalog,
        window: u64,
        replay_until: i64,
        positions: Positions,
    ) -> Self {
        Self {
            checker: StreamChecker::new(catalog).counting(positions),
            window: window.max(1),
            epoch: 0,
            replay_until,
            next: None,
            committed: None,
        }
    }

    /// Whether the record at `offset` was reported by an earlier owner.
    pub fn is_replay(&self, offset: i64) -> bool {
        offset < self.replay_until
    }

    /// The record at `offset`, checked; the state forgets what fell out of
    /// the window first.
    pub fn check(&mut self, offset: i64, value: &[u8]) -> Option<Finding> {
        let position = offset.max(0) as u64;
        let epoch = position / self.window;
        if epoch > self.epoch {
            let keep_from = (epoch - 1) * self.window;
            self.checker.forget_before(keep_from as usize);
            self.epoch = epoch;
        }
        self.checker.check_bytes(position as usize, value)
    }

    /// The family and aggregate id of the record checked last.
    pub fn aggregate(&self) -> Option<(&str, &str)> {
        self.checker.aggregate()
    }
}

#[cfg(test)]
mod tests {
    use super::replay_start;

    #[test]
    fn a_takeover_replays_from_the_previous_epoch() {
        assert_eq!(replay_start(0, 100), 0);
        assert_eq!(replay_start(99, 100), 0);
        assert_eq!(replay_start(100, 100), 0);
        assert_eq!(replay_start(199, 100), 0);
        assert_eq!(replay_start(200, 100), 100);
        assert_eq!(replay_start(250, 100), 100);
        assert_eq!(replay_start(7, 0), 6);
    }
}
